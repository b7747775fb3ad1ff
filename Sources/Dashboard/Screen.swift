import Telemetry

/// Lays out the panels for a terminal size and draws a whole frame off-screen.
///
/// A pure function of the snapshot, the view state and the size, as btop's boxes
/// are: the same call renders for the terminal and for the tests, and the same
/// layout tells a mouse click which panel and row it hit.
public enum Screen {
    /// The smallest terminal the dashboard draws in; below it a short message says so.
    public static let minimumColumns = 40
    public static let minimumRows = 10

    /// - Parameter status: a short note for the footer's right end, such as the theme's name.
    public static func render(
        _ snapshot: Snapshot?, state: ViewState, rows: Int, columns: Int, unicode: Bool, status: String = ""
    ) -> CellBuffer {
        var buffer = CellBuffer(rows: rows, columns: columns, unicode: unicode)
        guard rows >= minimumRows, columns >= minimumColumns else {
            drawTooSmall(rows: rows, columns: columns, on: &buffer)
            return buffer
        }
        HeaderPanel.draw(snapshot, paused: state.paused, in: Rect(row: 0, column: 0, height: 1, width: columns), on: &buffer)
        let body = body(rows: rows, columns: columns)
        if let id = state.openIncident {
            drawScrolled(scroll: state.detailScroll, in: body, on: &buffer) { rect, tall in
                IncidentView.draw(snapshot, id: id, in: rect, on: &tall)
            }
        } else if let open = state.openAnomaly {
            AnomalyView.draw(snapshot, signal: open.signal, id: open.id, in: body, on: &buffer)
        } else {
            for (panel, rect) in layout(snapshot, state: state, in: body) {
                draw(panel, snapshot, state: state, in: rect, on: &buffer)
            }
        }
        let notice = state.notice ?? footerStatus(snapshot, status: status)
        drawFooter(row: rows - 1, columns: columns, view: state.kind, status: notice, urgent: notice != status, on: &buffer)
        if let prompt = state.prompt {
            drawPrompt(prompt, row: rows - 1, columns: columns, on: &buffer)
        }
        if let menu = state.actionMenu {
            menu.draw(in: body, on: &buffer)
        }
        if state.showingHelp {
            HelpOverlay.draw(scroll: state.helpScroll, in: Rect(row: 1, column: 0, height: rows - 2, width: columns), on: &buffer)
        }
        return buffer
    }

    /// The part of the screen between the header and the footer.
    static func body(rows: Int, columns: Int) -> Rect {
        Rect(row: 2, column: 1, height: rows - 3, width: columns - 2)
    }

    /// Where each panel of the main screen goes: the zoomed one alone, else CPU and memory
    /// first, then incidents and anomalies, then the logs, then processes and devices.
    static func layout(_ snapshot: Snapshot?, state: ViewState, in body: Rect) -> [(panel: ViewState.Panel, rect: Rect)] {
        if let zoomed = state.zoomed { return [(zoomed, body)] }
        var placed: [(panel: ViewState.Panel, rect: Rect)] = []
        let cores = snapshot?.host.cpuCount ?? 1
        let cpuHeight = min(CPUPanel.preferredHeight(cores: cores, width: body.width, perCore: state.perCore), max(3, body.height - MemoryPanel.preferredHeight - 1))
        placed.append((.cpu, Rect(row: body.row, column: body.column, height: cpuHeight, width: body.width)))
        let memoryTop = body.row + cpuHeight + 1
        let memoryHeight = min(MemoryPanel.preferredHeight, body.bottom - memoryTop)
        placed.append((.memory, Rect(row: memoryTop, column: body.column, height: memoryHeight, width: body.width)))
        var top = memoryTop + memoryHeight + 1
        let incidentsHeight = min(IncidentsPanel.preferredHeight(snapshot), body.bottom - top)
        if incidentsHeight >= IncidentsPanel.minimumHeight {
            placed.append((.incidents, Rect(row: top, column: body.column, height: incidentsHeight, width: body.width)))
            top += incidentsHeight + 1
        }
        // The anomalies panel takes no room when there are none, unless it has the focus.
        let anomaliesHeight = min(max(AnomaliesPanel.preferredHeight(snapshot), state.focus == .anomalies ? 2 : 0), body.bottom - top)
        if anomaliesHeight >= 2 {
            placed.append((.anomalies, Rect(row: top, column: body.column, height: anomaliesHeight, width: body.width)))
            top += anomaliesHeight + 1
        }
        // Live logs next, with the room they need; then the host panels in what is left.
        let logHeight = min(LogPanel.preferredHeight(snapshot), body.bottom - top)
        if logHeight >= LogPanel.minimumHeight {
            placed.append((.logs, Rect(row: top, column: body.column, height: logHeight, width: body.width)))
            top += logHeight + 1
        }
        if top < body.bottom {
            placed.append((.processes, Rect(row: top, column: body.column, height: body.bottom - top, width: body.width)))
        }
        return placed
    }

    /// Draws one panel of the layout. The processes slot holds the process list and the
    /// device panels together (PanelStack) unless one of them is zoomed.
    static func draw(_ panel: ViewState.Panel, _ snapshot: Snapshot?, state: ViewState, in rect: Rect, on buffer: inout CellBuffer) {
        let zoomed = state.zoomed == panel
        let focused = state.focus == panel && !zoomed
        switch panel {
        case .cpu:
            let height = zoomed ? min(rect.height, CPUPanel.preferredHeight(cores: snapshot?.host.cpuCount ?? 1, width: rect.width, perCore: state.perCore)) : rect.height
            CPUPanel.draw(snapshot, focused: focused, perCore: state.perCore, in: Rect(row: rect.row, column: rect.column, height: height, width: rect.width), on: &buffer)
            if zoomed { drawHistory("cpu.total.busy", "CPU busy", snapshot, below: height, in: rect, on: &buffer) }
        case .memory:
            let height = min(rect.height, MemoryPanel.preferredHeight)
            MemoryPanel.draw(snapshot, focused: focused, in: Rect(row: rect.row, column: rect.column, height: height, width: rect.width), on: &buffer)
            if zoomed { drawHistory("mem.used_percent", "Memory used", snapshot, below: height, in: rect, on: &buffer) }
        case .incidents:
            IncidentsPanel.draw(snapshot, selection: state.incidentRow(in: snapshot), focused: focused || zoomed, in: rect, on: &buffer)
        case .anomalies:
            AnomaliesPanel.draw(snapshot, selection: state.anomalyRow(in: snapshot), focused: focused || zoomed, in: rect, on: &buffer)
        case .logs:
            LogPanel.draw(snapshot, cursor: state.log, focused: focused || zoomed, in: rect, on: &buffer)
        case .processes where zoomed:
            ProcessPanel.draw(snapshot, order: state.processOrder, filter: state.processFilter, selection: state.processSelection,
                              focused: true, all: true, in: rect, on: &buffer)
        case .processes:
            PanelStack.draw(snapshot, state: state, in: rect, on: &buffer)
        case .devices:
            let devices = PanelStack.devices(snapshot)
            for (device, deviceRect) in PanelStack.stack(devices, priority: devices, snapshot, in: rect) {
                device.draw(snapshot, state: state, focused: false, in: deviceRect, on: &buffer)
            }
        }
    }

    /// A zoomed KPI panel's history chart in the rows below the panel.
    static func drawHistory(_ signal: SignalID, _ title: String, _ snapshot: Snapshot?, below height: Int, in rect: Rect, on buffer: inout CellBuffer) {
        let top = rect.row + height + 1
        guard rect.bottom - top >= 4 else { return }
        let history = snapshot?.history[signal]?.values ?? []
        let span = DurationText.format(Double(history.count) * (snapshot?.interval ?? 1))
        Meter.titleRule(title, detail: "last \(span)", in: Rect(row: top, column: rect.column, height: 1, width: rect.width), on: &buffer)
        HistoryChart.draw(history, unit: .percent, in: Rect(row: top + 1, column: rect.column, height: rect.bottom - top - 1, width: rect.width), on: &buffer)
    }

    /// Draws a view taller than the screen off-screen and shows it from row `scroll`.
    static func drawScrolled(scroll: Int, in rect: Rect, on buffer: inout CellBuffer, _ draw: (Rect, inout CellBuffer) -> Int) {
        guard scroll > 0 else {
            _ = draw(rect, &buffer)
            return
        }
        var tall = CellBuffer(rows: rect.height + scroll, columns: rect.width, unicode: buffer.unicode)
        let used = draw(Rect(row: 0, column: 0, height: tall.rows, width: rect.width), &tall)
        let start = max(0, min(scroll, used - rect.height))
        buffer.copy(tall, from: start, into: rect)
    }

    /// What a mouse click at (`row`, `column`) hit: a panel, and the list row within it if any.
    static func hit(
        _ snapshot: Snapshot?, state: ViewState, rows: Int, columns: Int, row: Int, column: Int
    ) -> (panel: ViewState.Panel, index: Int?)? {
        let body = body(rows: rows, columns: columns)
        for (panel, rect) in layout(snapshot, state: state, in: body) {
            guard row >= rect.row, row < rect.bottom, column >= rect.column, column < rect.right else { continue }
            switch panel {
            case .incidents:
                let top = IncidentsPanel.listTop(snapshot, in: rect)
                let count = snapshot?.incidents.incidents.count ?? 0
                let first = ListWindow.first(selection: state.incidentRow(in: snapshot), count: count, rows: rect.bottom - top)
                return (panel, row >= top && first + row - top < count ? first + row - top : nil)
            case .anomalies:
                let count = snapshot?.anomalies.count ?? 0
                let first = ListWindow.first(selection: state.anomalyRow(in: snapshot), count: count, rows: rect.height - 1)
                return (panel, row > rect.row && first + row - rect.row - 1 < count ? first + row - rect.row - 1 : nil)
            case .processes:
                // The slot holds the process list and the device panels side by side or stacked.
                let all = state.zoomed == .processes
                let listRect = all ? rect : PanelStack.layout(snapshot, in: rect).first { $0.panel == .processes }?.rect
                guard let listRect, row >= listRect.row, row < listRect.bottom, column >= listRect.column, column < listRect.right else {
                    return (.devices, nil)
                }
                let count = ProcessPanel.rows(snapshot, order: state.processOrder, filter: state.processFilter, all: all).count
                let top = ProcessPanel.listTop(in: listRect)
                let first = ListWindow.first(selection: state.processSelection, count: count, rows: listRect.bottom - top)
                return (panel, row >= top && first + row - top < count ? first + row - top : nil)
            default:
                return (panel, nil)
            }
        }
        return nil
    }

    /// The footer's right end: the outcome of the last command for a while, else the status.
    static func footerStatus(_ snapshot: Snapshot?, status: String) -> String {
        guard let snapshot, let outcome = snapshot.incidents.lastOutcome, snapshot.time - outcome.at < 10 else { return status }
        if let failure = outcome.failure { return "failed: \(failure)" }
        switch outcome.command {
        case .acknowledge(let id, _): return "acknowledged #\(id)"
        case .resolve(let id, _): return "resolved #\(id)"
        case .addNote(let id, _): return "noted on #\(id)"
        case .silence(let pattern, let seconds, _): return "silenced \(pattern) for \(DurationText.format(seconds))"
        case .runAction(let id, let action): return "running \(action) on #\(id)"
        }
    }

    static func drawPrompt(_ prompt: Prompt, row: Int, columns: Int, on buffer: inout CellBuffer) {
        buffer.fill(Rect(row: row, column: 0, height: 1, width: columns), role: .selected)
        let used = buffer.put(prompt.label, row: row, column: 0, role: .selected)
        let room = columns - used - 1
        let text = Array(prompt.value)
        // Keep the cursor in view on a long line.
        let start = max(0, prompt.cursor - room + 1)
        let shown = String(text[min(start, text.count)...])
        buffer.put(shown, row: row, column: used, role: .selected, limit: room)
        let before = TerminalText.width(String(text[min(start, text.count)..<min(prompt.cursor, text.count)]))
        let cursorColumn = min(columns - 1, used + before)
        let under = prompt.cursor < text.count ? String(text[prompt.cursor]) : " "
        buffer.put(under, row: row, column: cursorColumn, role: .footerKey)
    }

    /// htop's function bar: the keys of the view in front, then `status` at the right end.
    /// - Parameter urgent: the status is a notice or a command's outcome, worth more than the last keys.
    static func drawFooter(row: Int, columns: Int, view: ViewState.Kind = .main, status: String, urgent: Bool = false, on buffer: inout CellBuffer) {
        buffer.fill(Rect(row: row, column: 0, height: 1, width: columns), role: .footerText)
        var items = KeyMap.bindings.filter { $0.footer.contains(view) }.map { binding in
            (key: binding.keys.split(separator: " ").first.map(String.init) ?? binding.keys,
             label: TerminalText.padded(binding.footerLabel, to: max(7, binding.footerLabel.count + 1)))
        }
        // Too narrow: keys go from the right, but Quit stays at the end, as htop keeps F10.
        while items.count > 2, items.reduce(0, { $0 + TerminalText.width($1.key) + TerminalText.width($1.label) }) > columns {
            items.remove(at: items.count - 2)
        }
        var x = 0
        for item in items {
            x += buffer.put(item.key, row: row, column: x, role: .footerKey, limit: columns - x)
            x += buffer.put(item.label, row: row, column: x, role: .footerText, limit: columns - x)
        }
        let width = TerminalText.width(status)
        if !status.isEmpty, x + width + 1 < columns {
            buffer.put(status, row: row, column: columns - width - 1, role: .footerText)
        } else if !status.isEmpty, urgent {
            let shown = TerminalText.clipped(status, to: columns - 1, unicode: buffer.unicode)
            let start = max(0, columns - TerminalText.width(shown) - 1)
            buffer.fill(Rect(row: row, column: start, height: 1, width: columns - start), role: .footerText)
            buffer.put(shown, row: row, column: start, role: .footerText)
        }
    }

    static func drawTooSmall(rows: Int, columns: Int, on buffer: inout CellBuffer) {
        let lines = ["Terminal too small", "\(columns)x\(rows), need \(minimumColumns)x\(minimumRows)"]
        for (index, line) in lines.enumerated() {
            let row = rows / 2 - 1 + index
            let text = TerminalText.clipped(line, to: columns, unicode: buffer.unicode)
            buffer.put(text, row: row, column: max(0, (columns - TerminalText.width(text)) / 2), role: .message)
        }
    }
}
