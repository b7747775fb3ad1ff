import Telemetry

/// One incident, full screen: what broke first, what it dragged along, the process
/// behind it, the log lines that prove it, and what people did about it.
enum IncidentView {
    /// - Returns: the row after the last one drawn, so a scrolled view knows its length.
    @discardableResult
    static func draw(_ snapshot: Snapshot?, id: Int64, in rect: Rect, on buffer: inout CellBuffer) -> Int {
        guard let incident = snapshot?.incidents.incidents.first(where: { $0.id == id }) else {
            buffer.put("Incident #\(id) is no longer listed (resolved over an hour ago?). Esc goes back.", row: rect.row, column: rect.column, role: .message, limit: rect.width)
            return rect.row + 1
        }
        let detail = snapshot?.incidents.details[id] ?? IncidentDetail()
        let timeline = snapshot?.incidents.timelines[id] ?? []
        var row = rect.row
        func line(_ text: String, role: Role = .normal, indent: Int = 0) {
            guard row < rect.bottom else { return }
            buffer.put(text, row: row, column: rect.column + indent, role: role, limit: rect.width - indent)
            row += 1
        }
        func section(_ title: String, detail: String = "") {
            guard row < rect.bottom - 1 else { return }
            row += row > rect.row ? 1 : 0
            Meter.titleRule(title, detail: detail, in: Rect(row: row, column: rect.column, height: 1, width: rect.width), on: &buffer)
            row += 1
        }
        let severityRole: Role = incident.severity == .critical ? .critical : .warning
        section("Incident #\(incident.id)", detail: "\(incident.severity.rawValue), \(incident.state.rawValue)")
        line(incident.title, role: severityRole)
        var status = "opened \(HeaderPanel.localTime(incident.openedAt))"
        if let resolved = incident.resolvedAt { status += ", resolved \(HeaderPanel.localTime(resolved))" }
        if let ack = incident.acknowledgement {
            status += ", acknowledged by \(ack.who) at \(HeaderPanel.localTime(ack.at))" + (ack.note.map { ": \($0)" } ?? "")
        } else if incident.state == .open {
            status += ", not acknowledged (a to acknowledge)"
        }
        line(status, role: .dim)

        section("Likely causes")
        if detail.candidates.isEmpty { line("none ranked yet", role: .dim) }
        for (index, candidate) in detail.candidates.prefix(3).enumerated() {
            line("\(index + 1). \(RootCauseText.title(candidate)) - \(candidate.reason)", role: index == 0 ? .value : .normal)
        }

        section("Members", detail: "\(detail.members.count)")
        let chartWidth = max(0, min(30, rect.width / 4))
        for member in detail.members.prefix(8) {
            // "new": it ended at a level the baseline learnt as normal, not back in its band.
            let state = member.isActive ? (member.severity == .critical ? "CRIT" : "WARN") : member.endedAtNewLevel ? "new " : "ok  "
            let role: Role = member.isActive ? (member.severity == .critical ? .critical : .warning) : member.endedAtNewLevel ? .dim : .ok
            guard row < rect.bottom else { break }
            var x = rect.column
            x += buffer.put(state + " ", row: row, column: x, role: role)
            if chartWidth >= 8, let history = snapshot?.history[member.signal] {
                x += Meter.bandSparkline(history.values, low: member.bandLow, high: member.bandHigh, row: row, column: x, width: chartWidth, on: &buffer) + 1
            }
            buffer.put(member.explanation, row: row, column: x, role: .normal, limit: rect.right - x)
            row += 1
        }

        if !detail.processesAtOnset.isEmpty {
            section("Top processes at onset")
            for process in detail.processesAtOnset.prefix(3) {
                line("\(process.pid)  \(process.name)  cpu \(HumanReadable.percent(process.cpuPercent))  rss \(HumanReadable.bytes(process.residentBytes))  \(process.command)", role: .normal)
            }
        }
        if !detail.logLines.isEmpty {
            section("Log lines around onset")
            for evidence in detail.logLines.prefix(5) {
                // Why a line that is not an error was kept: it bursts, or it is a new kind.
                let why = evidence.reason == "error" ? "" : "[\(evidence.reason)] "
                line("\(HeaderPanel.localTime(evidence.time)) \(evidence.source): \(why)\(evidence.text)", role: evidence.severity == "error" ? .warning : .normal)
            }
        }
        section("Timeline", detail: "\(timeline.count) events")
        for event in fitting(timeline, rows: max(0, rect.bottom - row)) {
            let actor = event.actor.map { " (\($0))" } ?? ""
            let role: Role = event.kind == .acknowledged || event.kind == .note ? .value : .dim
            // An action's result carries the first lines of its output, each on a line of its own.
            let lines = event.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            line("\(HeaderPanel.localTime(event.at))  \(event.kind.rawValue)\(actor)\(event.text.isEmpty ? "" : ": \(lines[0])")", role: event.kind == .action ? .value : role)
            for output in lines.dropFirst() { line(output, role: .dim, indent: 11) }
        }
        return row
    }
}

extension IncidentView {
    /// The newest incident member for `signal`, for a view opened on an anomaly that has left the list.
    static func member(_ signal: SignalID, in snapshot: Snapshot?) -> Anomaly? {
        guard let board = snapshot?.incidents else { return nil }
        for incident in board.incidents {
            if let member = board.details[incident.id]?.members.last(where: { $0.signal == signal }) { return member }
        }
        return nil
    }
}

extension IncidentView {
    /// The newest events whose lines fit in `rows` (an action's result takes a line per output line).
    static func fitting(_ timeline: [TimelineEvent], rows: Int) -> [TimelineEvent] {
        var left = rows
        var shown: [TimelineEvent] = []
        for event in timeline.reversed() {
            let lines = event.text.split(separator: "\n", omittingEmptySubsequences: false).count
            if lines > left { break }
            left -= lines
            shown.append(event)
        }
        return shown.reversed()
    }
}

/// A root-cause candidate as one phrase: "CPU saturation: stress-ng (pid 4242) at 198%".
enum RootCauseText {
    static func title(_ candidate: RootCauseCandidate) -> String {
        guard let process = candidate.process else { return candidate.headline }
        return "\(candidate.headline): \(process.name) (pid \(process.pid))"
    }
}
