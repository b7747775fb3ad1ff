import Telemetry

/// Lays out the panels for a terminal size and draws a whole frame off-screen.
///
/// A pure function of the snapshot, the view state and the size, as btop's boxes
/// are: the same call renders for the terminal and for the tests.
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
        HeaderPanel.draw(snapshot, in: Rect(row: 0, column: 0, height: 1, width: columns), on: &buffer)
        let body = Rect(row: 2, column: 1, height: rows - 3, width: columns - 2)
        if let id = state.openIncident {
            IncidentView.draw(snapshot, id: id, in: body, on: &buffer)
        } else {
            drawMain(snapshot, state: state, in: body, on: &buffer)
        }
        drawFooter(row: rows - 1, columns: columns, view: state.kind, status: footerStatus(snapshot, status: status), on: &buffer)
        if let prompt = state.prompt {
            drawPrompt(prompt, row: rows - 1, columns: columns, on: &buffer)
        }
        if let menu = state.actionMenu {
            menu.draw(in: body, on: &buffer)
        }
        if state.showingHelp {
            HelpOverlay.draw(in: Rect(row: 1, column: 0, height: rows - 2, width: columns), on: &buffer)
        }
        return buffer
    }

    /// CPU and memory first, then incidents and anomalies, then the other panels in what is left.
    static func drawMain(_ snapshot: Snapshot?, state: ViewState, in body: Rect, on buffer: inout CellBuffer) {
        let cores = snapshot?.host.cpuCount ?? 1
        let cpuHeight = min(CPUPanel.preferredHeight(cores: cores, width: body.width), max(3, body.height - MemoryPanel.preferredHeight - 1))
        CPUPanel.draw(snapshot, in: Rect(row: body.row, column: body.column, height: cpuHeight, width: body.width), on: &buffer)
        let memoryTop = body.row + cpuHeight + 1
        let memoryHeight = min(MemoryPanel.preferredHeight, body.bottom - memoryTop)
        MemoryPanel.draw(snapshot, in: Rect(row: memoryTop, column: body.column, height: memoryHeight, width: body.width), on: &buffer)
        var top = memoryTop + memoryHeight + 1
        let incidentsHeight = min(IncidentsPanel.preferredHeight(snapshot), body.bottom - top)
        if incidentsHeight >= IncidentsPanel.minimumHeight {
            IncidentsPanel.draw(snapshot, selection: state.selection, in: Rect(row: top, column: body.column, height: incidentsHeight, width: body.width), on: &buffer)
            top += incidentsHeight + 1
        }
        let anomaliesHeight = min(AnomaliesPanel.preferredHeight(snapshot), body.bottom - top)
        if anomaliesHeight >= 2 {
            AnomaliesPanel.draw(snapshot, in: Rect(row: top, column: body.column, height: anomaliesHeight, width: body.width), on: &buffer)
            top += anomaliesHeight + 1
        }
        // Live logs next, with the room they need; then the host panels in what is left.
        let logHeight = min(LogPanel.preferredHeight(snapshot), body.bottom - top)
        if logHeight >= LogPanel.minimumHeight {
            LogPanel.draw(snapshot, in: Rect(row: top, column: body.column, height: logHeight, width: body.width), on: &buffer)
            top += logHeight + 1
        }
        if top < body.bottom {
            PanelStack.draw(snapshot, in: Rect(row: top, column: body.column, height: body.bottom - top, width: body.width), on: &buffer)
        }
    }

    /// The footer's right end: the outcome of the last command for a while, else the status.
    static func footerStatus(_ snapshot: Snapshot?, status: String) -> String {
        guard let snapshot, let outcome = snapshot.incidents.lastOutcome, snapshot.time - outcome.at < 10 else { return status }
        if let failure = outcome.failure { return "failed: \(failure)" }
        switch outcome.command {
        case .acknowledge(let id, _): return "acknowledged #\(id)"
        case .resolve(let id, _): return "resolved #\(id)"
        case .addNote(let id, _): return "noted on #\(id)"
        case .silence(let pattern, _, _): return "silenced \(pattern)"
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

    static func drawFooter(row: Int, columns: Int, view: ViewState.Kind = .main, status: String, on buffer: inout CellBuffer) {
        buffer.fill(Rect(row: row, column: 0, height: 1, width: columns), role: .footerText)
        var x = 0
        for binding in KeyMap.bindings where binding.footer.contains(view) {
            let key = binding.keys.split(separator: " ").first.map(String.init) ?? binding.keys
            x += buffer.put(key, row: row, column: x, role: .footerKey, limit: columns - x)
            x += buffer.put(TerminalText.padded(binding.footerLabel, to: max(7, binding.footerLabel.count + 1)), row: row, column: x, role: .footerText, limit: columns - x)
        }
        let width = TerminalText.width(status)
        if !status.isEmpty, x + width + 1 < columns {
            buffer.put(status, row: row, column: columns - width - 1, role: .footerText)
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
