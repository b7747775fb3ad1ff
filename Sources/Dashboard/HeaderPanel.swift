import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The top line: which host this is, how long it has run, the time, and how the collector fares.
enum HeaderPanel {
    /// - Parameter paused: updates are held (`p`): said first, as it explains a still screen.
    static func draw(_ snapshot: Snapshot?, paused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        buffer.fill(Rect(row: rect.row, column: rect.column, height: 1, width: rect.width), role: .header)
        guard let snapshot else {
            buffer.put(" vigil  waiting for the first sample…", row: rect.row, column: rect.column, role: .header, limit: rect.width)
            return
        }
        let host = snapshot.host
        var parts = [
            paused ? " PAUSED (p resumes)  \(host.hostname)" : " \(host.hostname)",
            "\(host.kernel)",
            "up \(HumanReadable.uptime(host.uptime))",
            localTime(snapshot.time),
            "every \(DurationText.format(snapshot.interval))",
        ]
        let board = snapshot.incidents
        parts.append(board.openCount > 0 ? "\(board.openCount) open, \(board.unacknowledgedCount) unacked" : "no open incidents")
        if board.storeWarning != nil { parts.append("db: memory only") }
        let health = snapshot.health
        if health.isHealthy {
            parts.append("collector ok \(HumanReadable.fixed(health.lastTickCost * 1000, decimals: 1))ms")
        }
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
        // Whole parts only: the first ones always (cut if they must be), later ones when they fit,
        // so a narrow header never ends in half a word.
        var text = parts.prefix(4).joined(separator: "  ")
        for part in parts.dropFirst(4) where TerminalText.width(text) + 2 + TerminalText.width(part) <= rect.width - 1 {
            text += "  " + part
        }
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
