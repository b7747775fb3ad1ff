import Telemetry

/// Total CPU busy with its split and recent history, then a gauge per core.
enum CPUPanel {
    /// Rows the panel wants at `width`: title, total, sparkline, then the cores in columns.
    /// - Parameter perCore: whether the per-core gauges are shown (`c` toggles them).
    static func preferredHeight(cores: Int, width: Int, perCore: Bool = true) -> Int {
        3 + (perCore ? coreRows(cores: cores, width: width) : 0)
    }

    static func coreRows(cores: Int, width: Int) -> Int {
        let columns = coreColumns(cores: cores, width: width)
        return (cores + columns - 1) / columns
    }

    /// Cores side by side: as many as fit at 24 columns each, at most 4, never more than there are.
    static func coreColumns(cores: Int, width: Int) -> Int {
        max(1, min(4, width / 24, max(1, cores)))
    }

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, perCore: Bool = true, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        let cores = snapshot?.host.cpuCount ?? 0
        var detail = cores > 0 ? "\(cores) cores" + (perCore ? "" : " (c shows each)") : ""
        if let snapshot, let one = snapshot.value(of: "load.1"), let five = snapshot.value(of: "load.5"), let fifteen = snapshot.value(of: "load.15") {
            detail += "  load \(HumanReadable.fixed(one, decimals: 2)) \(HumanReadable.fixed(five, decimals: 2)) \(HumanReadable.fixed(fifteen, decimals: 2))"
        }
        // vmstat's cs, in and the fork rate, where the title has room for them.
        if let snapshot, rect.width >= 76 {
            for (label, id) in [("ctxsw", "kernel.context_switches"), ("irq", "kernel.interrupts"), ("forks", "kernel.forks")] {
                if let value = snapshot.value(of: SignalID(id)) { detail += "  \(label) \(HumanReadable.count(value))/s" }
            }
        }
        Meter.titleRule("CPU", detail: detail, detailRole: SignalState.role(snapshot, "load.", "kernel.", normal: .dim), focused: focused, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        guard let cpu = snapshot?.cpu else {
            buffer.put("measuring…", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let total = cpu.total
        let split = "usr \(HumanReadable.percent(total.user + total.nice))  sys \(HumanReadable.percent(total.system + total.irq + total.softirq))  io \(HumanReadable.percent(total.iowait))  steal \(HumanReadable.percent(total.steal))"
        let splitWidth = rect.width >= 60 ? TerminalText.width(split) + 1 : 0
        buffer.put("total", row: rect.row + 1, column: rect.column, role: SignalState.role(snapshot, "cpu.total.", "load.", "psi.cpu."))
        Meter.gauge(
            fraction: total.busy / 100, text: HumanReadable.percent(total.busy),
            row: rect.row + 1, column: rect.column + 6, width: rect.width - 6 - splitWidth, on: &buffer
        )
        if splitWidth > 0 {
            buffer.put(split, row: rect.row + 1, column: rect.right - splitWidth + 1, role: .value)
        }
        if rect.height >= 3, let history = snapshot?.history["cpu.total.busy"] {
            let line = Meter.sparkline(history.values, width: rect.width - 6, ceiling: 100, unicode: buffer.unicode)
            buffer.put("hist", row: rect.row + 2, column: rect.column, role: .dim)
            buffer.put(line, row: rect.row + 2, column: rect.column + 6, role: SignalState.role(snapshot, "cpu.total.", normal: .sparkline))
        }
        guard perCore else { return }
        let columns = coreColumns(cores: cpu.cores.count, width: rect.width)
        let columnWidth = rect.width / columns
        let labelWidth = max(3, String(max(0, cpu.cores.count - 1)).count + 1)
        for (index, core) in cpu.cores.enumerated() {
            let line = index / columns
            let row = rect.row + 3 + line
            guard row < rect.bottom else { break }
            let column = rect.column + (index % columns) * columnWidth
            buffer.put(TerminalText.padded("\(index)", to: labelWidth, alignRight: true), row: row, column: column, role: .label)
            Meter.gauge(
                fraction: core.busy / 100, text: HumanReadable.percent(core.busy),
                row: row, column: column + labelWidth + 1, width: columnWidth - labelWidth - 2, on: &buffer
            )
        }
    }
}
