import Telemetry

/// The busiest processes: by CPU first, then the largest by memory to fill the rows.
enum ProcessPanel {
    static let minimumHeight = 3

    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        2 + max(1, rows(snapshot).count)
    }

    /// CPU users first, then memory holders not already listed.
    static func rows(_ snapshot: Snapshot?) -> [ProcessSample] {
        guard let processes = snapshot?.processes else { return [] }
        var seen = Set<Int32>()
        var result: [ProcessSample] = []
        for process in processes.topByCPU + processes.topByMemory where seen.insert(process.pid).inserted {
            result.append(process)
        }
        return result
    }

    static func draw(_ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        let processes = snapshot?.processes
        let detail = processes.map { "\($0.total) total, \($0.running) running, \($0.blocked) blocked, \($0.zombie) zombie" } ?? ""
        Meter.titleRule("Processes", detail: detail, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        guard processes != nil else {
            buffer.put(snapshot?.health.unavailable["processes"] != nil ? "unavailable" : "measuring…", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let showIO = rect.width >= 60
        let header = "    PID USER     S  CPU%   RSS " + (showIO ? "  IO/s " : "") + "COMMAND"
        buffer.put(header, row: rect.row + 1, column: rect.column, role: .label, limit: rect.width)
        for (offset, process) in rows(snapshot).enumerated() {
            let row = rect.row + 2 + offset
            guard row < rect.bottom else { break }
            var line = TerminalText.padded(String(process.pid), to: 7, alignRight: true) + " "
            line += TerminalText.padded(TerminalText.clipped(process.user, to: 8, unicode: buffer.unicode), to: 8) + " "
            line += process.state + " "
            line += TerminalText.padded(HumanReadable.fixed(process.cpuPercent, decimals: 1), to: 5, alignRight: true) + " "
            line += TerminalText.padded(HumanReadable.bytes(process.residentBytes), to: 5, alignRight: true) + " "
            if showIO {
                line += TerminalText.padded(process.ioBytesPerSecond.map { HumanReadable.bytes($0) } ?? "-", to: 6, alignRight: true) + " "
            }
            let used = buffer.put(line, row: row, column: rect.column, role: process.cpuPercent >= 50 ? .warning : .value, limit: rect.width)
            // The command comes from the process itself: `put` sanitises it, `clipped` keeps it in its cell.
            buffer.put(TerminalText.clipped(process.command, to: rect.width - used, unicode: buffer.unicode), row: row, column: rect.column + used, role: .normal, limit: rect.width - used)
        }
    }
}
