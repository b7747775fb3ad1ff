import Telemetry

/// What the operator has chosen to look at: the part of the screen that keys change.
///
/// A value with no terminal in it, so every key's effect is tested without one.
public struct ViewState: Sendable {
    /// Which screen is up, for the footer and the help: the open view, else the focused panel's kind.
    public enum Kind: Hashable, Sendable {
        case main
        case incident
        case anomaly
        case logs
        case processes
    }

    /// The panels of the main screen, numbered for the zoom keys `1`..`7`.
    public enum Panel: Int, CaseIterable, Sendable {
        case cpu = 1, memory, incidents, anomalies, processes, logs, devices

        var title: String {
            switch self {
            case .cpu: "CPU"
            case .memory: "Memory"
            case .incidents: "Incidents"
            case .anomalies: "Anomalies"
            case .processes: "Processes"
            case .logs: "Logs"
            case .devices: "Devices"
            }
        }
    }

    /// What the process list is sorted by.
    public enum ProcessOrder: String, CaseIterable, Sendable {
        case cpu, memory, io

        var label: String {
            switch self {
            case .cpu: "CPU%"
            case .memory: "RSS"
            case .io: "IO/s"
            }
        }
    }

    public var showingHelp = false
    /// First binding shown by a help overlay taller than the terminal.
    public var helpScroll = 0
    /// The incident whose view is open.
    public var openIncident: Int64?
    /// The anomaly whose view is open: its signal, and its id while it is listed.
    public var openAnomaly: (signal: SignalID, id: String)?
    /// The panel the movement keys act on.
    public var focus: Panel = .incidents
    /// The panel drawn full screen, if any.
    public var zoomed: Panel?
    /// Position in the incidents list, and the incident chosen there. The choice follows the
    /// incident when the list reorders, so `a` never lands on one that slid under the bar; the
    /// position only serves when the chosen incident has left the list.
    public var selection = 0
    public var selectedIncident: Int64?
    public var anomalySelection = 0
    public var selectedAnomaly: String?
    public var processSelection = 0
    public var processOrder: ProcessOrder = .cpu
    /// Processes whose command, name, user or pid contain it (case-insensitive); empty shows all.
    public var processFilter = ""
    /// Whether the CPU panel shows a gauge per core.
    public var perCore = true
    /// Updates held: the screen keeps the snapshot it had.
    public var paused = false
    /// Scroll offset of the incident and anomaly views, in rows.
    public var detailScroll = 0
    public var log = LogCursor()
    public var prompt: Prompt?
    /// The runbook actions of an incident (`x`), while open.
    public var actionMenu: ActionMenu?
    /// Commands the loop must send to the monitor.
    public private(set) var pendingCommands: [Command] = []
    /// Rows of the terminal, for the page keys; the loop keeps it current.
    public var screenRows = 24
    /// A short message for the footer about the last key, such as "no later error".
    public var notice: String?

    public init() {}

    public var kind: Kind {
        if openIncident != nil { return .incident }
        if openAnomaly != nil { return .anomaly }
        switch zoomed ?? focus {
        case .logs: return .logs
        case .processes: return .processes
        default: return .main
        }
    }

    /// What a key changed, as htop's action handlers report it, so the loop
    /// redraws only when something did.
    public struct Reaction: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let redraw = Reaction(rawValue: 1)
        public static let quit = Reaction(rawValue: 2)
        /// The next theme was asked for; the loop owns the terminal's colours.
        public static let nextTheme = Reaction(rawValue: 4)
        /// `pendingCommands` holds commands to send.
        public static let command = Reaction(rawValue: 8)
        /// Pause was switched; the loop decides which snapshot to show.
        public static let pause = Reaction(rawValue: 16)
    }

    /// The commands to send, handed over once.
    public mutating func takeCommands() -> [Command] {
        defer { pendingCommands = [] }
        return pendingCommands
    }

    /// The row of the selected incident in the list: where the chosen incident now is.
    public func incidentRow(in snapshot: Snapshot?) -> Int {
        let incidents = snapshot?.incidents.incidents ?? []
        if let chosen = selectedIncident, let row = incidents.firstIndex(where: { $0.id == chosen }) { return row }
        return max(0, min(selection, incidents.count - 1))
    }

    /// The row of the selected anomaly in the list: where the chosen anomaly now is.
    public func anomalyRow(in snapshot: Snapshot?) -> Int {
        let anomalies = snapshot?.anomalies ?? []
        if let chosen = selectedAnomaly, let row = anomalies.firstIndex(where: { $0.id == chosen }) { return row }
        return max(0, min(anomalySelection, anomalies.count - 1))
    }

    /// The incident the keys act on: the open one, else the selected one in the list.
    public func target(in snapshot: Snapshot?) -> Incident? {
        guard let incidents = snapshot?.incidents.incidents, !incidents.isEmpty else { return nil }
        if let open = openIncident { return incidents.first { $0.id == open } }
        return incidents[incidentRow(in: snapshot)]
    }

    /// The anomaly the keys act on: the open one, else the selected one when the anomalies have focus.
    public func targetAnomaly(in snapshot: Snapshot?) -> Anomaly? {
        guard let anomalies = snapshot?.anomalies, !anomalies.isEmpty else { return nil }
        if let open = openAnomaly { return anomalies.first { $0.id == open.id } ?? anomalies.first { $0.signal == open.signal } }
        guard (zoomed ?? focus) == .anomalies else { return nil }
        return anomalies[anomalyRow(in: snapshot)]
    }

    /// Applies one key code.
    public mutating func handle(key code: Int32, snapshot: Snapshot? = nil) -> Reaction {
        notice = nil
        if prompt != nil { return handlePrompt(key: code) }
        if var menu = actionMenu {
            switch menu.handle(key: code) {
            case .open: actionMenu = menu
            case .closed: actionMenu = nil
            case .run(let name):
                actionMenu = nil
                pendingCommands.append(.runAction(incident: menu.incident, action: name))
                return [.redraw, .command]
            }
            return .redraw
        }
        guard let action = KeyMap.action(for: code) else { return [] }
        if showingHelp {
            switch action {
            case .quit, .cycleTheme:
                break
            case .up, .pageUp, .top:
                guard helpScroll > 0 else { return [] }
                helpScroll = action == .up ? helpScroll - 1 : 0
                return .redraw
            case .down, .pageDown, .bottom:
                helpScroll = min(KeyMap.bindings.count, helpScroll + (action == .down ? 1 : page))
                return .redraw
            default:
                // Any other key closes the help, as htop's does.
                showingHelp = false
                return .redraw
            }
        }
        switch action {
        case .quit:
            return .quit
        case .help:
            showingHelp = true
            helpScroll = 0
            return .redraw
        case .cycleTheme:
            return [.nextTheme, .redraw]
        case .pause:
            paused.toggle()
            return [.pause, .redraw]
        case .back:
            return back()
        case .focusNext, .focusPrevious:
            guard openIncident == nil, openAnomaly == nil else { return [] }
            let order = Panel.allCases
            let index = order.firstIndex(of: zoomed ?? focus) ?? 0
            let step = action == .focusNext ? 1 : order.count - 1
            focus = order[(index + step) % order.count]
            if zoomed != nil { zoomed = focus }
            return .redraw
        case .zoomPanel:
            guard openIncident == nil, openAnomaly == nil,
                  let digit = Int(String(UnicodeScalar(UInt8(clamping: code)))), let panel = Panel(rawValue: digit) else { return [] }
            zoomed = zoomed == panel ? nil : panel
            focus = panel
            return .redraw
        case .zoom:
            guard openIncident == nil, openAnomaly == nil else { return [] }
            zoomed = zoomed == nil ? focus : nil
            return .redraw
        case .up, .down, .top, .bottom, .pageUp, .pageDown:
            return move(action, snapshot: snapshot)
        case .open:
            return open(snapshot: snapshot)
        case .actions:
            guard openAnomaly == nil, openIncident != nil || (zoomed ?? focus) == .incidents,
                  let incident = target(in: snapshot) else { return [] }
            actionMenu = ActionMenu(incident: incident.id, actions: snapshot?.incidents.actions[incident.id] ?? [], warnings: snapshot?.incidents.actionWarnings ?? [])
            return .redraw
        case .acknowledge, .resolve, .note:
            guard openAnomaly == nil, openIncident != nil || (zoomed ?? focus) == .incidents,
                  let incident = target(in: snapshot) else { return [] }
            let purpose: Prompt.Purpose = action == .acknowledge ? .acknowledge(incident.id) : action == .resolve ? .resolve(incident.id) : .note(incident.id)
            prompt = Prompt(purpose: purpose)
            return .redraw
        case .silence:
            let patterns: [String]
            if let anomaly = targetAnomaly(in: snapshot) {
                patterns = [anomaly.signal.rawValue]
            } else if openIncident != nil || (zoomed ?? focus) == .incidents, let incident = target(in: snapshot),
                      let members = snapshot?.incidents.details[incident.id]?.members, !members.isEmpty {
                patterns = Array(Set(members.map(\.signal.rawValue))).sorted()
            } else {
                return []
            }
            prompt = Prompt(purpose: .silence(patterns))
            return .redraw
        case .filter:
            guard openIncident == nil, openAnomaly == nil else { return [] }
            switch zoomed ?? focus {
            case .processes: prompt = Prompt(purpose: .processFilter, text: processFilter)
            case .logs: prompt = Prompt(purpose: .logFilter, text: log.filter)
            default: return []
            }
            return .redraw
        case .sortProcesses:
            guard (zoomed ?? focus) == .processes, openIncident == nil, openAnomaly == nil else { return [] }
            let all = ProcessOrder.allCases
            processOrder = all[(all.firstIndex(of: processOrder)! + 1) % all.count]
            processSelection = 0
            return .redraw
        case .perCore:
            perCore.toggle()
            return .redraw
        case .follow, .severityFilter, .nextError, .previousError, .templates:
            guard (zoomed ?? focus) == .logs, openIncident == nil, openAnomaly == nil else { return [] }
            return logKey(action, snapshot: snapshot)
        }
    }

    /// What the mouse did, where (screen row and column).
    public enum MouseEvent: Sendable, Equatable {
        case click(row: Int, column: Int)
        case wheelUp(row: Int, column: Int)
        case wheelDown(row: Int, column: Int)
    }

    /// A click focuses the panel under it and selects the row; a click on the selected
    /// row opens it, as Enter would. The wheel scrolls what is under the pointer.
    public mutating func handle(mouse event: MouseEvent, snapshot: Snapshot?, rows: Int, columns: Int) -> Reaction {
        notice = nil
        if showingHelp {
            showingHelp = false
            return .redraw
        }
        guard prompt == nil else { return [] }
        switch event {
        case .wheelUp(let row, let column), .wheelDown(let row, let column):
            let action: Action = { if case .wheelUp = event { return .up } else { return .down } }()
            if openIncident == nil, openAnomaly == nil, let hit = Screen.hit(snapshot, state: self, rows: rows, columns: columns, row: row, column: column) {
                focus = hit.panel
            }
            var reaction: Reaction = []
            for _ in 0..<3 { reaction.formUnion(move(action, snapshot: snapshot)) }
            return reaction.union(.redraw)
        case .click(let row, let column):
            guard openIncident == nil, openAnomaly == nil,
                  let hit = Screen.hit(snapshot, state: self, rows: rows, columns: columns, row: row, column: column) else { return [] }
            let wasFocused = focus == hit.panel
            focus = hit.panel
            guard let index = hit.index else { return .redraw }
            switch hit.panel {
            case .incidents:
                if wasFocused, incidentRow(in: snapshot) == index { return open(snapshot: snapshot) }
                selectIncident(row: index, in: snapshot)
            case .anomalies:
                if wasFocused, anomalyRow(in: snapshot) == index { return open(snapshot: snapshot) }
                selectAnomaly(row: index, in: snapshot)
            case .processes:
                processSelection = index
            default:
                break
            }
            return .redraw
        }
    }

    private mutating func back() -> Reaction {
        if showingHelp {
            showingHelp = false
        } else if openAnomaly != nil {
            openAnomaly = nil
            detailScroll = 0
        } else if openIncident != nil {
            openIncident = nil
            detailScroll = 0
        } else if zoomed == .logs, log.showTemplates {
            log.showTemplates = false
        } else if zoomed != nil {
            zoomed = nil
        } else {
            return []
        }
        return .redraw
    }

    private mutating func open(snapshot: Snapshot?) -> Reaction {
        if let open = openAnomaly {
            // From an anomaly to the incident it belongs to.
            guard let incident = Self.incident(containing: open.signal, in: snapshot) else { return [] }
            openAnomaly = nil
            openIncident = incident.id
            detailScroll = 0
            return .redraw
        }
        guard openIncident == nil else { return [] }
        switch zoomed ?? focus {
        case .incidents:
            guard let incident = target(in: snapshot) else { return [] }
            selectIncident(row: incidentRow(in: snapshot), in: snapshot)
            openIncident = incident.id
        case .anomalies:
            guard let anomaly = targetAnomaly(in: snapshot) else { return [] }
            selectAnomaly(row: anomalyRow(in: snapshot), in: snapshot)
            openAnomaly = (anomaly.signal, anomaly.id)
        case .logs:
            guard zoomed == nil else { return [] }
            zoomed = .logs
        default:
            zoomed = zoomed == nil ? (zoomed ?? focus) : nil
        }
        detailScroll = 0
        return .redraw
    }

    /// The newest incident with `signal` among its members.
    static func incident(containing signal: SignalID, in snapshot: Snapshot?) -> Incident? {
        guard let board = snapshot?.incidents else { return nil }
        return board.incidents.first { board.details[$0.id]?.members.contains { $0.signal == signal } ?? false }
    }

    /// Rows a page key moves: the terminal less the header, footer and a panel title.
    private var page: Int { max(1, screenRows - 5) }

    private mutating func move(_ action: Action, snapshot: Snapshot?) -> Reaction {
        if openIncident != nil || openAnomaly != nil {
            // A view is drawn at most 200 rows taller than the screen (Screen.drawScrolled).
            return Self.step(&detailScroll, action, count: 201, page: page)
        }
        switch zoomed ?? focus {
        case .incidents:
            var row = incidentRow(in: snapshot)
            let reaction = Self.step(&row, action, count: snapshot?.incidents.incidents.count ?? 0, page: page)
            selectIncident(row: row, in: snapshot)
            return reaction
        case .anomalies:
            var row = anomalyRow(in: snapshot)
            let reaction = Self.step(&row, action, count: snapshot?.anomalies.count ?? 0, page: page)
            selectAnomaly(row: row, in: snapshot)
            return reaction
        case .processes:
            let count = ProcessPanel.rows(snapshot, order: processOrder, filter: processFilter, all: zoomed == .processes).count
            return Self.step(&processSelection, action, count: count, page: page)
        case .logs:
            if log.showTemplates {
                return Self.step(&log.templateSelection, action, count: LogPanel.templates(snapshot, filter: log.filter).count, page: page)
            }
            return log.move(action, in: LogPanel.visible(snapshot, log), page: page) ? .redraw : []
        default:
            return []
        }
    }

    /// Chooses the incident at `row`, so the choice follows it from now on.
    private mutating func selectIncident(row: Int, in snapshot: Snapshot?) {
        selection = row
        let incidents = snapshot?.incidents.incidents ?? []
        selectedIncident = incidents.indices.contains(row) ? incidents[row].id : nil
    }

    private mutating func selectAnomaly(row: Int, in snapshot: Snapshot?) {
        anomalySelection = row
        let anomalies = snapshot?.anomalies ?? []
        selectedAnomaly = anomalies.indices.contains(row) ? anomalies[row].id : nil
    }

    /// Moves a list position, clamped to the list; whether it moved.
    static func step(_ position: inout Int, _ action: Action, count: Int, page: Int) -> Reaction {
        let before = position
        position = destination(of: action, from: position, count: count, page: page)
        return position == before ? [] : .redraw
    }

    /// Where a movement key takes a position in a list of `count` rows, clamped to the list.
    static func destination(of action: Action, from position: Int, count: Int, page: Int) -> Int {
        var target = position
        switch action {
        case .up: target -= 1
        case .down: target += 1
        case .pageUp: target -= page
        case .pageDown: target += page
        case .top: target = 0
        default: target = count - 1
        }
        return max(0, min(count - 1, target))
    }

    private mutating func logKey(_ action: Action, snapshot: Snapshot?) -> Reaction {
        switch action {
        case .follow:
            log.following.toggle()
            if !log.following { log.selected = LogPanel.visible(snapshot, log).last?.sequence }
        case .severityFilter:
            log.minimumSeverity = switch log.minimumSeverity {
            case nil: .warning
            case .warning?: .error
            default: nil
            }
        case .templates:
            log.showTemplates.toggle()
            log.templateSelection = 0
        default:
            guard !log.showTemplates else { return [] }
            let forward = action == .nextError
            if !log.jumpToError(forward: forward, in: LogPanel.visible(snapshot, log)) {
                notice = forward ? "no later error" : "no earlier error"
            }
        }
        return .redraw
    }

    private mutating func handlePrompt(key code: Int32) -> Reaction {
        guard var prompt else { return [] }
        let outcome = prompt.handle(key: code)
        switch outcome {
        case .editing:
            self.prompt = prompt
            // Filters apply as they are typed, as htop's F4 does.
            switch prompt.purpose {
            case .processFilter:
                processFilter = prompt.value
                processSelection = 0
            case .logFilter:
                log.filter = prompt.value
                log.templateSelection = 0
            default: break
            }
            return .redraw
        case .cancelled:
            self.prompt = nil
            switch prompt.purpose {
            case .processFilter: processFilter = prompt.initial
            case .logFilter: log.filter = prompt.initial
            default: break
            }
            return .redraw
        case .submitted:
            self.prompt = nil
            let text = prompt.value.trimmingSpaces
            switch prompt.purpose {
            case .acknowledge(let id): pendingCommands = [.acknowledge(incident: id, note: text.isEmpty ? nil : text)]
            case .resolve(let id): pendingCommands = [.resolve(incident: id, note: text.isEmpty ? nil : text)]
            case .note(let id):
                guard !text.isEmpty else { return .redraw }
                pendingCommands = [.addNote(incident: id, text: text)]
            case .silence(let patterns):
                guard let seconds = DurationText.seconds(text.isEmpty ? Prompt.defaultSilence : text), seconds > 0 else {
                    notice = "not a duration: \(text) (try 30m, 2h, 1d)"
                    return .redraw
                }
                pendingCommands = patterns.map { .silence(pattern: $0, seconds: seconds, note: nil) }
            case .processFilter:
                processFilter = text
                return .redraw
            case .logFilter:
                log.filter = text
                return .redraw
            }
            return [.redraw, .command]
        }
    }
}

/// Where the operator is in the logs: following the newest line, or stopped on one.
///
/// The place is a line's sequence number, not a row index, so it stays on the same
/// line while new lines arrive at the bottom and old ones leave at the top.
public struct LogCursor: Sendable, Equatable {
    /// New lines scroll in at the bottom, as `tail -f`.
    public var following = true
    /// The selected line's sequence number, when not following.
    public var selected: UInt64?
    /// Lines containing it (case-insensitive), empty for all.
    public var filter = ""
    /// Lines below this level are hidden; nil shows all.
    public var minimumSeverity: LogSeverity?
    /// The template list instead of the lines.
    public var showTemplates = false
    public var templateSelection = 0

    /// The row of the selected line among `visible`, the last when following or when it has gone.
    func index(in visible: [LogRecord]) -> Int? {
        guard !visible.isEmpty else { return nil }
        guard !following, let selected else { return visible.count - 1 }
        // Sequence numbers grow down the list: the first at or after the selected one.
        var low = 0
        var high = visible.count
        while low < high {
            let middle = (low + high) / 2
            if visible[middle].sequence < selected { low = middle + 1 } else { high = middle }
        }
        return min(low, visible.count - 1)
    }

    /// Moves the selection; the bottom starts following again. Whether anything changed.
    mutating func move(_ action: Action, in visible: [LogRecord], page: Int) -> Bool {
        guard let current = index(in: visible) else { return false }
        let wasFollowing = following
        let before = selected
        let target = ViewState.destination(of: action, from: current, count: visible.count, page: page)
        let downward = action == .down || action == .pageDown || action == .bottom
        if downward && target == visible.count - 1 {
            following = true
            selected = nil
            return !wasFollowing
        }
        following = false
        selected = visible[target].sequence
        return wasFollowing || before != selected
    }

    /// Stops on the next (or previous) line of error level or worse; false when there is none.
    mutating func jumpToError(forward: Bool, in visible: [LogRecord]) -> Bool {
        guard let current = index(in: visible) else { return false }
        let start = following && !forward ? visible.count : current
        let candidates = forward
            ? Array(visible.indices.dropFirst(start + 1))
            : Array(visible.indices.prefix(start).reversed())
        guard let found = candidates.first(where: { visible[$0].severity >= .error }) else { return false }
        following = false
        selected = visible[found].sequence
        return true
    }
}
