import Telemetry

/// Pressure stall information: how much of the last seconds tasks waited for CPU, memory or I/O.
enum PressurePanel {
    private static let resources = [("cpu", "cpu"), ("memory", "mem"), ("io", "io")]

    /// A title and a row per resource; one compact row when space is short.
    static func preferredHeight(_ snapshot: Snapshot?) -> Int { 4 }
    static let minimumHeight = 2

    static func hasData(_ snapshot: Snapshot?) -> Bool {
        snapshot?.value(of: "psi.cpu.some.avg10") != nil || snapshot?.value(of: "psi.io.some.avg10") != nil
    }

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1, let snapshot else { return }
        Meter.titleRule("Pressure", detail: "% stalled, some/full avg10", focused: focused, in: rect, on: &buffer)
        if rect.height < 4 {
            var x = rect.column
            for (resource, label) in resources {
                let some = snapshot.value(of: SignalID("psi.\(resource).some.avg10")) ?? 0
                x += buffer.put("\(label) ", row: rect.row + 1, column: x, role: SignalState.role(snapshot, "psi.\(resource)."), limit: rect.right - x)
                x += buffer.put(HumanReadable.fixed(some, decimals: 1) + "   ", row: rect.row + 1, column: x, role: role(some), limit: rect.right - x)
            }
            return
        }
        for (offset, (resource, label)) in resources.enumerated() {
            let row = rect.row + 1 + offset
            let some = snapshot.value(of: SignalID("psi.\(resource).some.avg10")) ?? 0
            let full = snapshot.value(of: SignalID("psi.\(resource).full.avg10"))
            buffer.put(TerminalText.padded(label, to: 5), row: row, column: rect.column, role: SignalState.role(snapshot, "psi.\(resource)."))
            let gaugeWidth = max(0, min(30, rect.width - 22))
            Meter.gauge(fraction: some / 100, text: HumanReadable.fixed(some, decimals: 1), row: row, column: rect.column + 5, width: gaugeWidth, on: &buffer)
            var x = rect.column + 5 + gaugeWidth + 1
            if let full {
                x += buffer.put("full \(HumanReadable.fixed(full, decimals: 1))", row: row, column: x, role: role(full), limit: rect.right - x)
            }
            Meter.trailingSparkline(snapshot, SignalID("psi.\(resource).some.avg10"), prefix: "psi.\(resource).", ceiling: 100,
                                    row: row, from: x, to: rect.right, on: &buffer)
        }
    }

    static func role(_ percent: Double) -> Role {
        percent >= 25 ? .critical : (percent >= 5 ? .warning : .value)
    }
}
