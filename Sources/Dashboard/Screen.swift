import Telemetry

/// Lays out the panels for a terminal size and draws a whole frame off-screen.
///
/// A pure function of the snapshot, the view state and the size, as btop's boxes
/// are: the same call renders for the terminal and for the tests.
public enum Screen {
    /// The smallest terminal the dashboard draws in; below it a short message says so.
    public static let minimumColumns = 40
    public static let minimumRows = 10

    public static func render(
        _ snapshot: Snapshot?, state: ViewState, rows: Int, columns: Int, unicode: Bool
    ) -> CellBuffer {
        var buffer = CellBuffer(rows: rows, columns: columns, unicode: unicode)
        guard rows >= minimumRows, columns >= minimumColumns else {
            drawTooSmall(rows: rows, columns: columns, on: &buffer)
            return buffer
        }
        HeaderPanel.draw(snapshot, in: Rect(row: 0, column: 0, height: 1, width: columns), on: &buffer)
        let body = Rect(row: 2, column: 1, height: rows - 3, width: columns - 2)
        let cores = snapshot?.host.cpuCount ?? 1
        let cpuHeight = min(CPUPanel.preferredHeight(cores: cores, width: body.width), max(3, body.height - MemoryPanel.preferredHeight - 1))
        CPUPanel.draw(snapshot, in: Rect(row: body.row, column: body.column, height: cpuHeight, width: body.width), on: &buffer)
        let memoryTop = body.row + cpuHeight + 1
        let memoryHeight = min(MemoryPanel.preferredHeight, body.bottom - memoryTop)
        MemoryPanel.draw(
            snapshot,
            in: Rect(row: memoryTop, column: body.column, height: memoryHeight, width: body.width),
            on: &buffer
        )
        // The log panel takes what is left, and is left out when too little is.
        let logTop = memoryTop + memoryHeight + 1
        if body.bottom - logTop >= LogPanel.minimumHeight {
            LogPanel.draw(snapshot, in: Rect(row: logTop, column: body.column, height: body.bottom - logTop, width: body.width), on: &buffer)
        }
        drawFooter(row: rows - 1, columns: columns, on: &buffer)
        if state.showingHelp {
            HelpOverlay.draw(in: Rect(row: 1, column: 0, height: rows - 2, width: columns), on: &buffer)
        }
        return buffer
    }

    static func drawFooter(row: Int, columns: Int, on buffer: inout CellBuffer) {
        buffer.fill(Rect(row: row, column: 0, height: 1, width: columns), role: .footerText)
        var x = 0
        for binding in KeyMap.bindings where binding.inFooter {
            let key = binding.keys.split(separator: " ").first.map(String.init) ?? binding.keys
            x += buffer.put(key, row: row, column: x, role: .footerKey, limit: columns - x)
            x += buffer.put(TerminalText.padded(binding.action.rawValue.prefix(1).uppercased() + binding.action.rawValue.dropFirst(), to: 7), row: row, column: x, role: .footerText, limit: columns - x)
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
