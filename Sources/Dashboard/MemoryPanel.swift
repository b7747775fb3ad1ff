import Telemetry

/// Memory used against total, what is available and cached, and swap.
enum MemoryPanel {
    static let preferredHeight = 5

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        let total = snapshot?.memory.map { HumanReadable.bytes($0.total) } ?? ""
        Meter.titleRule("Memory", detail: total, focused: focused, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        guard let memory = snapshot?.memory else {
            buffer.put("unavailable", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        buffer.put("used", row: rect.row + 1, column: rect.column, role: SignalState.role(snapshot, "mem.", "psi.memory.", "vm.oom"))
        Meter.gauge(
            fraction: memory.usedPercent / 100,
            text: "\(HumanReadable.bytes(memory.used))/\(HumanReadable.bytes(memory.total))",
            row: rect.row + 1, column: rect.column + 6, width: rect.width - 6, on: &buffer
        )
        if rect.height >= 3 {
            var x = rect.column
            for (label, value) in [
                ("avail", memory.available), ("cached", memory.cached),
                ("buffers", memory.buffers), ("free", memory.free),
            ] {
                guard x < rect.right else { break }
                x += buffer.put(label + " ", row: rect.row + 2, column: x, role: .label, limit: rect.right - x)
                x += buffer.put(HumanReadable.bytes(value) + "  ", row: rect.row + 2, column: x, role: .value, limit: rect.right - x)
                if label == "avail", let badge = ForecastBadge.of(snapshot, "mem.available", "swap.used") {
                    x += buffer.put(badge.text + "  ", row: rect.row + 2, column: x, role: badge.role, limit: rect.right - x)
                }
            }
        }
        if rect.height >= 4 {
            buffer.put("swap", row: rect.row + 3, column: rect.column, role: SignalState.role(snapshot, "swap."))
            if memory.swapTotal == 0 {
                buffer.put("none configured", row: rect.row + 3, column: rect.column + 6, role: .dim, limit: rect.width - 6)
            } else {
                Meter.gauge(
                    fraction: memory.swapUsedPercent / 100,
                    text: "\(HumanReadable.bytes(memory.swapUsed))/\(HumanReadable.bytes(memory.swapTotal))",
                    row: rect.row + 3, column: rect.column + 6, width: rect.width - 6, on: &buffer
                )
            }
        }
        if rect.height >= 5, let history = snapshot?.history["mem.used_percent"] {
            let line = Meter.sparkline(history.values, width: rect.width - 6, ceiling: 100, unicode: buffer.unicode)
            buffer.put("hist", row: rect.row + 4, column: rect.column, role: .dim)
            buffer.put(line, row: rect.row + 4, column: rect.column + 6, role: SignalState.role(snapshot, "mem.", "swap.", normal: .sparkline))
        }
    }
}
