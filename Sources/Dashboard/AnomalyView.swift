import Telemetry

/// One anomaly, full screen: the signal's recent history against the band it broke,
/// what it means in words, and the incident it belongs to.
enum AnomalyView {
    static func draw(_ snapshot: Snapshot?, signal: SignalID, id: String, scroll: Int = 0, in rect: Rect, on buffer: inout CellBuffer) {
        let anomalies = snapshot?.anomalies ?? []
        let anomaly = anomalies.first { $0.id == id } ?? anomalies.first { $0.signal == signal }
            ?? IncidentView.member(signal, in: snapshot)
        var row = rect.row
        let severity = anomaly.map { $0.severity == .critical ? "critical" : "warning" } ?? "ended"
        let state = anomaly.map { $0.silenced ? "silenced" : ($0.isActive ? "active" : "ended") } ?? "no longer listed"
        Meter.titleRule("Anomaly: \(signal.rawValue)", detail: "\(severity), \(state)", in: Rect(row: row, column: rect.column, height: 1, width: rect.width), on: &buffer)
        row += 1
        let unit = snapshot?.readings.first { $0.id == signal }?.unit
        if let anomaly {
            let role: Role = anomaly.severity == .critical ? .critical : .warning
            buffer.put(anomaly.explanation, row: row, column: rect.column, role: role, limit: rect.width)
            row += 1
            let now = snapshot?.time ?? anomaly.onset
            var facts = "since \(HeaderPanel.localTime(anomaly.onset)) (\(DurationText.format(max(0, now - anomaly.onset))))"
            if let end = anomaly.end { facts = "from \(HeaderPanel.localTime(anomaly.onset)) to \(HeaderPanel.localTime(end))" }
            func text(_ value: Double) -> String { unit?.format(value) ?? HumanReadable.fixed(value, decimals: 2) }
            facts += "  now \(text(anomaly.value))  peak \(text(anomaly.peak))"
            if let low = anomaly.bandLow, let high = anomaly.bandHigh { facts += "  usual \(text(low))..\(text(high))" }
            facts += "  found by \(kindText(anomaly.kind))"
            buffer.put(facts, row: row, column: rect.column, role: .dim, limit: rect.width)
            row += 1
        } else {
            buffer.put("This anomaly has ended and left the list; its signal's history follows.", row: row, column: rect.column, role: .dim, limit: rect.width)
            row += 1
        }
        let incident = ViewState.incident(containing: signal, in: snapshot)
        let incidentText = incident.map { "Incident #\($0.id) (\(IncidentsPanel.stateWord($0))): \($0.title)  - Enter opens it" } ?? "Not part of an incident."
        buffer.put(incidentText, row: row, column: rect.column, role: incident == nil ? .dim : .value, limit: rect.width)
        row += 2
        guard row < rect.bottom - 2 else { return }
        let history = snapshot?.history[signal]?.values ?? []
        if history.count < 2, let source = logSource(of: signal) {
            drawLogLines(snapshot, source: source, in: Rect(row: row, column: rect.column, height: rect.bottom - row, width: rect.width), on: &buffer)
            return
        }
        let interval = snapshot?.interval ?? 1
        Meter.titleRule("History", detail: "last \(DurationText.format(Double(history.count) * interval)), one column per sample, band dotted",
                        in: Rect(row: row, column: rect.column, height: 1, width: rect.width), on: &buffer)
        row += 1
        HistoryChart.draw(history, low: anomaly?.bandLow, high: anomaly?.bandHigh, unit: unit,
                          in: Rect(row: row, column: rect.column, height: rect.bottom - row, width: rect.width), on: &buffer)
    }

    /// The log file a log signal (`log.SOURCE.MEASURE`) is about, or nil for a host signal.
    static func logSource(of signal: SignalID) -> String? {
        let id = signal.rawValue
        guard id.hasPrefix("log."), let dot = id.lastIndex(of: "."), dot > id.index(id.startIndex, offsetBy: 3) else { return nil }
        return String(id[id.index(id.startIndex, offsetBy: 4)..<dot])
    }

    /// A log anomaly's evidence is its lines: the newest of that source, warnings and worse first.
    static func drawLogLines(_ snapshot: Snapshot?, source: String, in rect: Rect, on buffer: inout CellBuffer) {
        let lines = (snapshot?.logs ?? []).filter { $0.source == source }
        let serious = lines.filter { $0.severity >= .warning }
        Meter.titleRule("Recent lines of \(source)", detail: "\(serious.count) warnings or worse of the last \(lines.count)",
                        in: Rect(row: rect.row, column: rect.column, height: 1, width: rect.width), on: &buffer)
        let shown = Array((serious.isEmpty ? lines : serious).suffix(rect.height - 1))
        guard !shown.isEmpty else {
            buffer.put("no recent lines of this source in memory", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        for (offset, record) in shown.enumerated() {
            let row = rect.row + 1 + offset
            var x = rect.column
            x += buffer.put(HeaderPanel.localTime(record.time ?? record.received) + " ", row: row, column: x, role: .dim)
            x += buffer.put(TerminalText.padded(record.severity.label, to: 5) + " ", row: row, column: x, role: LogPanel.role(of: record.severity))
            buffer.put(record.message, row: row, column: x, role: .normal, limit: rect.right - x)
        }
    }

    static func kindText(_ kind: Anomaly.Kind) -> String {
        switch kind {
        case .learnt: "its learnt baseline"
        case .limit: "a fixed limit ([thresholds])"
        case .forecast: "its trend"
        case .newTemplate: "a new log template"
        case .burst: "a burst of one template"
        case .logErrors: "a rise in error lines"
        case .criticalMessage: "a critical message"
        }
    }
}
