import Telemetry

/// What the operator has chosen to look at: the part of the screen that keys change.
public struct ViewState: Sendable {
    /// Which screen is up.
    public enum Kind: Hashable, Sendable {
        case main
        case incident
    }

    public var showingHelp = false
    /// The incident whose view is open, or nil on the main screen.
    public var openIncident: Int64?
    /// Position in the incidents list.
    public var selection = 0
    public var prompt: Prompt?
    /// The runbook actions of an incident (`x`), while open.
    public var actionMenu: ActionMenu?
    /// A command the loop must send to the monitor.
    public private(set) var pendingCommand: Command?

    public init() {}

    public var kind: Kind { openIncident == nil ? .main : .incident }

    /// What a key changed, as htop's action handlers report it, so the loop
    /// redraws only when something did.
    public struct Reaction: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let redraw = Reaction(rawValue: 1)
        public static let quit = Reaction(rawValue: 2)
        /// The next theme was asked for; the loop owns the terminal's colours.
        public static let nextTheme = Reaction(rawValue: 4)
        /// `pendingCommand` holds a command to send.
        public static let command = Reaction(rawValue: 8)
    }

    /// The command to send, handed over once.
    public mutating func takeCommand() -> Command? {
        defer { pendingCommand = nil }
        return pendingCommand
    }

    /// The incident the keys act on: the open one, else the selected one in the list.
    public func target(in snapshot: Snapshot?) -> Incident? {
        guard let incidents = snapshot?.incidents.incidents, !incidents.isEmpty else { return nil }
        if let open = openIncident { return incidents.first { $0.id == open } }
        return incidents[min(selection, incidents.count - 1)]
    }

    /// Applies one key code.
    public mutating func handle(key code: Int32, snapshot: Snapshot? = nil) -> Reaction {
        if var prompt {
            switch prompt.handle(key: code) {
            case .editing:
                self.prompt = prompt
            case .cancelled:
                self.prompt = nil
            case .submitted:
                self.prompt = nil
                let text = prompt.value.trimmingSpaces
                switch prompt.purpose {
                case .acknowledge(let id): pendingCommand = .acknowledge(incident: id, note: text.isEmpty ? nil : text)
                case .resolve(let id): pendingCommand = .resolve(incident: id, note: text.isEmpty ? nil : text)
                case .note(let id):
                    guard !text.isEmpty else { return .redraw }
                    pendingCommand = .addNote(incident: id, text: text)
                }
                return [.redraw, .command]
            }
            return .redraw
        }
        if var menu = actionMenu {
            switch menu.handle(key: code) {
            case .open: actionMenu = menu
            case .closed: actionMenu = nil
            case .run(let name):
                actionMenu = nil
                pendingCommand = .runAction(incident: menu.incident, action: name)
                return [.redraw, .command]
            }
            return .redraw
        }
        guard let action = KeyMap.action(for: code) else { return [] }
        let count = snapshot?.incidents.incidents.count ?? 0
        switch action {
        case .quit:
            return .quit
        case .help:
            showingHelp.toggle()
            return .redraw
        case .cycleTheme:
            return [.nextTheme, .redraw]
        case .back:
            if showingHelp {
                showingHelp = false
                return .redraw
            }
            guard openIncident != nil else { return [] }
            openIncident = nil
            return .redraw
        case .up:
            guard openIncident == nil, selection > 0 else { return [] }
            selection -= 1
            return .redraw
        case .down:
            guard openIncident == nil, selection + 1 < count else { return [] }
            selection += 1
            return .redraw
        case .open:
            guard openIncident == nil, let incident = target(in: snapshot) else { return [] }
            openIncident = incident.id
            return .redraw
        case .actions:
            guard let incident = target(in: snapshot) else { return [] }
            actionMenu = ActionMenu(incident: incident.id, actions: snapshot?.incidents.actions[incident.id] ?? [])
            return .redraw
        case .acknowledge, .resolve, .note:
            guard let incident = target(in: snapshot) else { return [] }
            let purpose: Prompt.Purpose = action == .acknowledge ? .acknowledge(incident.id) : action == .resolve ? .resolve(incident.id) : .note(incident.id)
            prompt = Prompt(purpose: purpose)
            return .redraw
        }
    }
}
