import Telemetry

/// The newest log lines from every source, newest at the bottom as `tail -f` shows them:
/// time, source, severity and the message.
///
/// Every piece of a line is text from outside; `CellBuffer.put` sanitises it, so no
/// control character or escape sequence in a log line reaches the terminal.
enum LogPanel {
    /// Rows below which the panel is left out: its title and one line.
    static let minimumHeight = 2

    /// Rows it would like on the main screen: its title and up to eight lines.
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        1 + max(1, min(8, snapshot?.logs.count ?? 0))
    }

    static func draw(_ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1, rect.width > 0 else { return }
        let sources = snapshot?.logSources ?? []
        let following = sources.filter { $0.state == .following }.count
        var detail = sources.isEmpty ? "" : "\(following)/\(sources.count) files"
        let troubled = sources.filter { $0.state == .unreadable }
        if let first = troubled.first {
            detail += "  cannot read \(baseName(first.path))" + (troubled.count > 1 ? " +\(troubled.count - 1)" : "")
        }
        Meter.titleRule("Logs", detail: detail, in: rect, on: &buffer)
        let rows = rect.height - 1
        guard rows > 0 else { return }
        let records = snapshot?.logs.suffix(rows) ?? []
        guard !records.isEmpty else {
            let message: String
            if sources.isEmpty {
                message = "no log files to follow (vigil --log PATH)"
            } else if let waiting = sources.first(where: { $0.state == .waiting }), following == 0 {
                message = "waiting for \(waiting.path)"
            } else {
                message = "no new lines yet"
            }
            buffer.put(message, row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let sourceWidth = rect.width >= 80 ? 14 : (rect.width >= 60 ? 10 : 0)
        var row = rect.row + 1 + (rows - records.count)
        for record in records {
            var x = rect.column
            x += buffer.put(HeaderPanel.localTime(record.time ?? record.received) + " ", row: row, column: x, role: .dim, limit: rect.right - x)
            if sourceWidth > 0 {
                let name = record.unit ?? record.program ?? baseName(record.source)
                x += buffer.put(TerminalText.padded(TerminalText.sanitized(name), to: sourceWidth - 1, unicode: buffer.unicode) + " ", row: row, column: x, role: .label, limit: rect.right - x)
            }
            let role = self.role(of: record.severity)
            x += buffer.put(TerminalText.padded(record.severity.label, to: 5) + " ", row: row, column: x, role: role, limit: rect.right - x)
            buffer.put(record.message, row: row, column: x, role: record.severity >= .warning ? role : .normal, limit: rect.right - x)
            row += 1
        }
    }

    static func role(of severity: LogSeverity) -> Role {
        switch severity {
        case .critical, .error: return .critical
        case .warning: return .warning
        case .notice, .info: return .value
        case .debug: return .dim
        }
    }

    static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
