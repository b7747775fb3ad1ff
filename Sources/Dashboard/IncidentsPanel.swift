import Telemetry

/// The incidents list on the main screen: id, severity, state, since, members, who acked, title.
enum IncidentsPanel {
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        2 + max(1, min(6, snapshot?.incidents.incidents.count ?? 0))
    }

    static let minimumHeight = 2

    /// The row of the first incident in a panel drawn in `rect`.
    static func listTop(_ snapshot: Snapshot?, in rect: Rect) -> Int {
        rect.row + (snapshot?.incidents.storeWarning == nil ? 1 : 2)
    }

    static func draw(_ snapshot: Snapshot?, selection: Int, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        let board = snapshot?.incidents ?? IncidentBoard()
        var detail = "\(board.openCount) open, \(board.unacknowledgedCount) unacknowledged"
        if board.role == .follower { detail += ", following another Vigil's engine" }
        Meter.titleRule("Incidents", detail: detail, focused: focused, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        if let warning = board.storeWarning {
            buffer.put("! " + warning, row: rect.row + 1, column: rect.column, role: .warning, limit: rect.width)
            if rect.height < 3 { return }
        }
        let top = listTop(snapshot, in: rect)
        guard !board.incidents.isEmpty else {
            buffer.put("no incidents: all quiet", row: top, column: rect.column, role: .ok, limit: rect.width)
            return
        }
        let now = snapshot?.time ?? 0
        let rows = rect.bottom - top
        let first = ListWindow.first(selection: selection, count: board.incidents.count, rows: rows)
        for (offset, incident) in board.incidents.dropFirst(first).prefix(rows).enumerated() {
            let row = top + offset
            let index = first + offset
            let members = board.details[incident.id]?.members.count ?? 0
            let since = DurationText.format(max(0, now - incident.openedAt))
            var x = rect.column
            let severityRole: Role = incident.state == .resolved ? .dim : (incident.severity == .critical ? .critical : .warning)
            x += buffer.put(TerminalText.padded("#\(incident.id)", to: 6), row: row, column: x, role: .label)
            x += buffer.put(TerminalText.padded(incident.severity == .critical ? "CRIT" : "WARN", to: 5), row: row, column: x, role: severityRole)
            x += buffer.put(TerminalText.padded(stateWord(incident), to: 6), row: row, column: x, role: incident.state == .open ? .value : .dim)
            x += buffer.put(TerminalText.padded(since, to: 7, alignRight: true) + " ", row: row, column: x, role: .dim)
            if rect.width >= 80 {
                x += buffer.put(TerminalText.padded(members == 1 ? "1 sig" : "\(members) sigs", to: 8), row: row, column: x, role: .dim)
                x += buffer.put(TerminalText.padded(incident.acknowledgement?.who ?? "-", to: 9), row: row, column: x, role: .dim)
            }
            buffer.put(incident.title, row: row, column: x, role: incident.state == .resolved ? .dim : .normal, limit: rect.right - x)
            if index == selection, focused {
                buffer.paint(Rect(row: row, column: rect.column, height: 1, width: rect.width), role: .selected)
            }
        }
    }

    static func stateWord(_ incident: Incident) -> String {
        switch incident.state {
        case .open: "OPEN"
        case .acknowledged: "ACKED"
        case .resolved: "done"
        }
    }
}

/// Active anomalies: signal, value against its usual band, severity, since when, and why.
enum AnomaliesPanel {
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        let count = snapshot?.anomalies.count ?? 0
        return count == 0 ? 0 : 1 + min(5, count)
    }

    static func draw(_ snapshot: Snapshot?, selection: Int = 0, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        let anomalies = snapshot?.anomalies ?? []
        let silenced = anomalies.filter(\.silenced).count
        Meter.titleRule("Anomalies", detail: "\(anomalies.count) active" + (silenced > 0 ? ", \(silenced) silenced" : ""), focused: focused, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        guard !anomalies.isEmpty else {
            buffer.put("none: every signal within its usual band", row: rect.row + 1, column: rect.column, role: .ok, limit: rect.width)
            return
        }
        let now = snapshot?.time ?? 0
        let rows = rect.height - 1
        let first = ListWindow.first(selection: selection, count: anomalies.count, rows: rows)
        for (offset, anomaly) in anomalies.dropFirst(first).prefix(rows).enumerated() {
            let row = rect.row + 1 + offset
            var x = rect.column
            let role: Role = anomaly.silenced ? .dim : (anomaly.severity == .critical ? .critical : .warning)
            x += buffer.put(TerminalText.padded(anomaly.silenced ? "MUTE" : (anomaly.severity == .critical ? "CRIT" : "WARN"), to: 5), row: row, column: x, role: role)
            x += buffer.put(TerminalText.padded(DurationText.format(max(0, now - anomaly.onset)), to: 6, alignRight: true) + " ", row: row, column: x, role: .dim)
            buffer.put(anomaly.explanation, row: row, column: x, role: .normal, limit: rect.right - x)
            if first + offset == selection, focused {
                buffer.paint(Rect(row: row, column: rect.column, height: 1, width: rect.width), role: .selected)
            }
        }
    }
}

/// Which rows of a list a panel shows: the selected row stays in view, the list
/// scrolls as little as it can, as htop's does.
enum ListWindow {
    static func first(selection: Int, count: Int, rows: Int) -> Int {
        max(0, min(selection - rows + 1, count - rows))
    }
}
