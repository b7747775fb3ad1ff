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
            var items: [(String, String)] = [
                ("avail", HumanReadable.bytes(memory.available)), ("cached", HumanReadable.bytes(memory.cached)),
                ("buffers", HumanReadable.bytes(memory.buffers)), ("free", HumanReadable.bytes(memory.free)),
            ]
            for (label, id) in [("dirty", "mem.dirty"), ("writeback", "mem.writeback")] {
                if let value = snapshot?.value(of: SignalID(id)) { items.append((label, HumanReadable.bytes(value))) }
            }
            for (label, value) in items {
                // Whole items only: a cut "writeb…" says less than nothing.
                guard x + TerminalText.width(label + " " + value) <= rect.right else { break }
                x += buffer.put(label + " ", row: rect.row + 2, column: x, role: .label, limit: rect.right - x)
                x += buffer.put(value + "  ", row: rect.row + 2, column: x, role: .value, limit: rect.right - x)
                if label == "avail", let badge = ForecastBadge.of(snapshot, "mem.available") {
                    x += buffer.put(badge.text + "  ", row: rect.row + 2, column: x, role: badge.role, limit: rect.right - x)
                }
            }
        }
        if rect.height >= 4 {
            buffer.put("swap", row: rect.row + 3, column: rect.column, role: SignalState.role(snapshot, "swap.", "vm."))
            // Paging beside the swap gauge, as vmstat's si/so and the major faults and OOM kills.
            var paging = ""
            if let snapshot {
                if memory.swapTotal > 0, let swapIn = snapshot.value(of: "swap.in"), let swapOut = snapshot.value(of: "swap.out") {
                    paging += "in \(HumanReadable.count(swapIn))/s out \(HumanReadable.count(swapOut))/s  "
                }
                if let faults = snapshot.value(of: "vm.major_faults") { paging += "majflt \(HumanReadable.count(faults))/s  " }
                if let kills = snapshot.value(of: "vm.oom_kills") { paging += "oom kills \(HumanReadable.count(kills))" }
            }
            let badge = ForecastBadge.of(snapshot, "swap.used")
            let tail = (badge.map { $0.text + "  " } ?? "") + paging
            // The gauge keeps at least 16 columns; the paging numbers take the rest they need.
            let tailWidth = rect.width >= 60 && !tail.isEmpty ? min(TerminalText.width(tail) + 2, rect.width - 6 - 16) : 0
            var x = rect.column + 6
            if memory.swapTotal == 0 {
                x += buffer.put("none configured  ", row: rect.row + 3, column: x, role: .dim, limit: rect.right - x)
            } else {
                let width = rect.width - 6 - tailWidth
                Meter.gauge(
                    fraction: memory.swapUsedPercent / 100,
                    text: "\(HumanReadable.bytes(memory.swapUsed))/\(HumanReadable.bytes(memory.swapTotal))",
                    row: rect.row + 3, column: x, width: width, on: &buffer
                )
                x += width + 2
            }
            if tailWidth > 0 {
                if let badge { x += buffer.put(badge.text + "  ", row: rect.row + 3, column: x, role: badge.role, limit: rect.right - x) }
                buffer.put(paging, row: rect.row + 3, column: x, role: .value, limit: rect.right - x)
            }
        }
        if rect.height >= 5, let history = snapshot?.history["mem.used_percent"] {
            let line = Meter.sparkline(history.values, width: rect.width - 6, ceiling: 100, unicode: buffer.unicode)
            buffer.put("hist", row: rect.row + 4, column: rect.column, role: .dim)
            buffer.put(line, row: rect.row + 4, column: rect.column + 6, role: SignalState.role(snapshot, "mem.", "swap.", normal: .sparkline))
        }
    }
}
