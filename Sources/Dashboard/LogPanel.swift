import Telemetry

/// The newest log lines from every source, newest at the bottom as `tail -f` shows them:
/// time, source, severity and the message. Focused or zoomed (`6`), it is lnav in
/// small: stop and scroll, filter by text and level, jump between errors, and list
/// the templates the miner learnt.
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

    /// The lines the cursor's filters let through, oldest first.
    static func visible(_ snapshot: Snapshot?, _ cursor: LogCursor) -> [LogRecord] {
        let records = snapshot?.logs ?? []
        let needle = cursor.filter.lowercased()
        guard !needle.isEmpty || cursor.minimumSeverity != nil else { return records }
        return records.filter { record in
            if let minimum = cursor.minimumSeverity, record.severity < minimum { return false }
            guard !needle.isEmpty else { return true }
            return record.message.lowercased().contains(needle) || (record.program?.lowercased().contains(needle) ?? false)
                || record.source.lowercased().contains(needle)
        }
    }

    /// The templates whose text contains `filter` (case-insensitive), the most frequent first.
    static func templates(_ snapshot: Snapshot?, filter: String) -> [TemplateSummary] {
        let all = snapshot?.templates ?? []
        let needle = filter.lowercased()
        return needle.isEmpty ? all : all.filter { $0.text.lowercased().contains(needle) }
    }

    static func draw(_ snapshot: Snapshot?, cursor: LogCursor = LogCursor(), focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1, rect.width > 0 else { return }
        if cursor.showTemplates {
            drawTemplates(snapshot, cursor: cursor, focused: focused, in: rect, on: &buffer)
            return
        }
        let sources = snapshot?.logSources ?? []
        let following = sources.filter { $0.state == .following }.count
        var detail = sources.isEmpty ? "" : "\(following)/\(sources.count) files"
        let troubled = sources.filter { $0.state == .unreadable }
        if let first = troubled.first {
            detail += "  cannot read \(baseName(first.path))" + (troubled.count > 1 ? " +\(troubled.count - 1)" : "")
        }
        if !cursor.filter.isEmpty { detail += "  filter \"\(cursor.filter)\"" }
        if let minimum = cursor.minimumSeverity { detail += "  \(minimum.label)+" }
        if focused { detail += cursor.following ? "  following" : "  stopped (G follows)" }
        Meter.titleRule("Logs", detail: detail, detailRole: SignalState.role(snapshot, "log.", normal: .dim), focused: focused, in: rect, on: &buffer)
        let rows = rect.height - 1
        guard rows > 0 else { return }
        let records = visible(snapshot, cursor)
        guard !records.isEmpty else {
            let message: String
            if !(snapshot?.logs.isEmpty ?? true) {
                message = "no line matches the filter (/ to change it, v for levels)"
            } else if sources.isEmpty {
                message = "no log files to follow (vigil --log PATH)"
            } else if let waiting = sources.first(where: { $0.state == .waiting }), following == 0 {
                message = "waiting for \(waiting.path)"
            } else {
                message = "no new lines yet"
            }
            buffer.put(message, row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let selected = cursor.following ? nil : cursor.index(in: records)
        let first = selected.map { ListWindow.first(selection: $0, count: records.count, rows: rows) } ?? max(0, records.count - rows)
        let shown = records[first..<min(records.count, first + rows)]
        let sourceWidth = rect.width >= 80 ? 14 : (rect.width >= 60 ? 10 : 0)
        var row = rect.row + 1 + (rows - shown.count)
        for (offset, record) in shown.enumerated() {
            var x = rect.column
            x += buffer.put(HeaderPanel.localTime(record.time ?? record.received) + " ", row: row, column: x, role: .dim, limit: rect.right - x)
            if sourceWidth > 0 {
                let name = record.unit ?? record.program ?? baseName(record.source)
                x += buffer.put(TerminalText.padded(TerminalText.sanitized(name), to: sourceWidth - 1, unicode: buffer.unicode) + " ", row: row, column: x, role: .label, limit: rect.right - x)
            }
            let role = self.role(of: record.severity)
            x += buffer.put(TerminalText.padded(record.severity.label, to: 5) + " ", row: row, column: x, role: role, limit: rect.right - x)
            buffer.put(record.message, row: row, column: x, role: record.severity >= .warning ? role : .normal, limit: rect.right - x)
            highlight(cursor.filter, in: record.message, row: row, column: x, right: rect.right, on: &buffer)
            if first + offset == selected {
                buffer.paint(Rect(row: row, column: rect.column, height: 1, width: rect.width), role: .selected)
            }
            row += 1
        }
    }

    /// The template view: count, rate, new mark and text of each template, most frequent first.
    static func drawTemplates(_ snapshot: Snapshot?, cursor: LogCursor, focused: Bool, in rect: Rect, on buffer: inout CellBuffer) {
        let list = templates(snapshot, filter: cursor.filter)
        let fresh = list.filter(\.isNew).count
        var detail = "\(list.count) templates, \(fresh) new"
        if !cursor.filter.isEmpty { detail += "  filter \"\(cursor.filter)\"" }
        Meter.titleRule("Log templates", detail: detail, focused: focused, in: rect, on: &buffer)
        guard rect.height >= 3 else { return }
        buffer.put("  COUNT   /MIN NEW TEMPLATE", row: rect.row + 1, column: rect.column, role: .label, limit: rect.width)
        guard !list.isEmpty else {
            buffer.put("no templates yet: they are learnt from the lines read", row: rect.row + 2, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let rows = rect.height - 2
        let first = ListWindow.first(selection: cursor.templateSelection, count: list.count, rows: rows)
        for (offset, template) in list.dropFirst(first).prefix(rows).enumerated() {
            let row = rect.row + 2 + offset
            var x = rect.column
            x += buffer.put(TerminalText.padded(HumanReadable.fixed(Double(template.count), decimals: 0), to: 7, alignRight: true) + " ", row: row, column: x, role: .value)
            x += buffer.put(TerminalText.padded(HumanReadable.fixed(template.perMinute, decimals: template.perMinute < 10 ? 1 : 0), to: 6, alignRight: true) + " ", row: row, column: x, role: .dim)
            x += buffer.put(template.isNew ? "NEW " : "    ", row: row, column: x, role: .warning)
            buffer.put(template.text, row: row, column: x, role: .normal, limit: rect.right - x)
            if focused, first + offset == cursor.templateSelection {
                buffer.paint(Rect(row: row, column: rect.column, height: 1, width: rect.width), role: .selected)
            }
        }
    }

    /// Marks where the filter's text occurs in a message drawn at `column`, as lnav marks
    /// search hits, so the eye finds why a line was kept.
    static func highlight(_ needle: String, in message: String, row: Int, column: Int, right: Int, on buffer: inout CellBuffer) {
        guard !needle.isEmpty else { return }
        // Character by character, each compared lowercased, so a column is a character's width.
        let hay = Array(TerminalText.sanitized(message))
        let lowered = hay.map { $0.lowercased() }
        let wanted = needle.map { $0.lowercased() }
        guard wanted.count <= hay.count else { return }
        var x = column
        var index = 0
        while index + wanted.count <= hay.count, x < right {
            if Array(lowered[index..<index + wanted.count]) == wanted {
                let width = hay[index..<index + wanted.count].reduce(0) { $0 + TerminalText.width(of: $1) }
                buffer.paint(Rect(row: row, column: x, height: 1, width: min(width, right - x)), role: .footerKey)
                x += width
                index += wanted.count
            } else {
                x += TerminalText.width(of: hay[index])
                index += 1
            }
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
