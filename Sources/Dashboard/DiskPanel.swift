import Telemetry

/// A row per block device: throughput, IOPS, utilisation, wait and queue depth.
enum DiskPanel {
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        1 + max(1, table(snapshot).entities.count)
    }

    static let minimumHeight = 2

    static func table(_ snapshot: Snapshot?) -> SignalTable {
        SignalTable(snapshot?.readings ?? [], family: "disk")
    }

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        Meter.titleRule("Disks", detail: "read/write per s", focused: focused, in: rect, on: &buffer)
        let devices = table(snapshot).entities
        if devices.isEmpty {
            buffer.put(snapshot?.health.unavailable["diskstats"] != nil ? "unavailable" : "measuring…", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let nameWidth = min(12, max(4, devices.map { TerminalText.width($0.name) }.max() ?? 4))
        for (offset, device) in devices.enumerated() {
            let row = rect.row + 1 + offset
            guard row < rect.bottom else { break }
            let v = device.values
            var x = rect.column
            x += buffer.put(TerminalText.padded(TerminalText.clipped(device.name, to: nameWidth), to: nameWidth + 1), row: row, column: x, role: SignalState.role(snapshot, "disk.\(device.name)."), limit: rect.right - x)
            let util = v["util"] ?? 0
            let fields: [(String, String, Role)] = [
                ("r ", HumanReadable.bytes(v["read_bytes"] ?? 0), .value),
                ("w ", HumanReadable.bytes(v["write_bytes"] ?? 0), .value),
                ("util ", HumanReadable.percent(util), util >= 90 ? .critical : (util >= 70 ? .warning : .value)),
                ("iops ", HumanReadable.fixed(v["iops"] ?? 0, decimals: 0), .value),
                ("await ", HumanReadable.fixed(v["await"] ?? 0, decimals: 1) + "ms", .value),
                ("q ", HumanReadable.fixed(v["queue"] ?? 0, decimals: 1), .value),
            ]
            x = Meter.fields(fields, row: row, from: x, to: rect.right, on: &buffer)
            Meter.trailingSparkline(snapshot, SignalID("disk.\(device.name).util"), prefix: "disk.\(device.name).", ceiling: 100,
                                    row: row, from: x, to: rect.right, on: &buffer)
        }
    }
}
