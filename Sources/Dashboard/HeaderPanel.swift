import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The top line: which host this is, how long it has run, the time, and how the collector fares.
enum HeaderPanel {
    static func draw(_ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(Rect(row: rect.row, column: rect.column, height: 1, width: rect.width), role: .header)
        guard let snapshot else {
            buffer.put(" vigil  waiting for the first sample…", row: rect.row, column: rect.column, role: .header, limit: rect.width)
            return
        }
        let host = snapshot.host
        var parts = [
            " \(host.hostname)",
            "\(host.kernel)",
            "up \(HumanReadable.uptime(host.uptime))",
            localTime(snapshot.time),
            "every \(DurationText.format(snapshot.interval))",
        ]
        let board = snapshot.incidents
        if board.openCount > 0 {
            parts.append("\(board.openCount) open, \(board.unacknowledgedCount) unacked")
        }
        if board.storeWarning != nil { parts.append("db: memory only") }
        let health = snapshot.health
        if !health.unavailable.isEmpty {
            parts.append("no " + health.unavailable.keys.sorted().joined(separator: ","))
        }
        if health.malformedLines > 0 {
            parts.append("\(health.malformedLines) bad lines")
        }
        parts += snapshot.links.map(\.headerText)
        // Where Vigil runs comes after what is wrong with the collector: on a narrow line it is cut first.
        let place = [host.container, host.virtualMachine].compactMap { $0 }
        if !place.isEmpty { parts.append("(" + place.joined(separator: " in ") + ")") }
        var text = parts.joined(separator: "  ")
        // The machine's size only when everything more urgent already fits.
        let size = [host.cpuModel, host.memoryBytes > 0 ? HumanReadable.bytes(host.memoryBytes) : ""].filter { !$0.isEmpty }.joined(separator: ", ")
        if !size.isEmpty, TerminalText.width(text) + TerminalText.width(size) + 12 < rect.width {
            text += "  " + size
        }
        buffer.put(text, row: rect.row, column: rect.column, role: .header, limit: rect.width)
        let brand = "vigil "
        let used = TerminalText.width(text)
        if used + TerminalText.width(brand) + 1 < rect.width {
            buffer.put(brand, row: rect.row, column: rect.right - TerminalText.width(brand), role: .header)
        }
    }

    /// Local wall-clock time as `HH:MM:SS`; the corresponding C function is `localtime_r`.
    static func localTime(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
