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
        // Each part with its rank: on a narrow line the lower ranks go first, yet what is shown
        // keeps this order. The host, kernel, uptime and time always show (cut if they must).
        var parts: [(text: String, rank: Int)] = [
            (paused ? " PAUSED (p resumes)  \(host.hostname)" : " \(host.hostname)", 0),
            ("\(host.kernel)", 0),
            ("up \(HumanReadable.uptime(host.uptime))", 0),
            (localTime(snapshot.time), 0),
            ("every \(DurationText.format(snapshot.interval))", 3),
        ]
        let board = snapshot.incidents
        parts.append((board.openCount > 0 ? "\(board.openCount) open, \(board.unacknowledgedCount) unacked" : "no open incidents", 1))
        // What is wrong ranks right after the incidents: an operator must see it at 80 columns.
        if board.storeWarning != nil { parts.append(("db: memory only", 2)) }
        let health = snapshot.health
        if health.isHealthy {
            parts.append(("collector ok \(HumanReadable.fixed(health.lastTickCost * 1000, decimals: 1))ms", 4))
        }
        if !health.unavailable.isEmpty {
            parts.append(("no " + health.unavailable.keys.sorted().joined(separator: ","), 2))
        }
        if health.malformedLines > 0 {
            parts.append(("\(health.malformedLines) bad lines", 2))
        }
        parts += snapshot.links.map { ($0.headerText, $0.healthy ? 5 : 2) }
        let place = [host.container, host.virtualMachine].compactMap { $0 }
        if !place.isEmpty { parts.append(("(" + place.joined(separator: " in ") + ")", 6)) }
        // Whole parts only, chosen by rank, so a narrow header never ends in half a word.
        var room = rect.width - 1 - TerminalText.width(parts.prefix(4).map(\.text).joined(separator: "  "))
        var shown = Set(0..<min(4, parts.count))
        for index in parts.indices.dropFirst(4).sorted(by: { (parts[$0].rank, $0) < (parts[$1].rank, $1) }) {
            let width = 2 + TerminalText.width(parts[index].text)
            if width <= room {
                shown.insert(index)
                room -= width
            }
        }
        var text = parts.indices.filter(shown.contains).map { parts[$0].text }.joined(separator: "  ")
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
