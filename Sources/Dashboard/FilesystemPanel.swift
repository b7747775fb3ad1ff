import Telemetry

/// A gauge per mounted filesystem: space used, what is left, inodes used.
enum FilesystemPanel {
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        1 + max(1, SignalTable(snapshot?.readings ?? [], family: "fs").entities.count)
    }

    static let minimumHeight = 2

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1 else { return }
        Meter.titleRule("Filesystems", detail: "used, free, inodes", focused: focused, in: rect, on: &buffer)
        let mounts = SignalTable(snapshot?.readings ?? [], family: "fs").entities
        if mounts.isEmpty {
            buffer.put(snapshot?.health.unavailable["mountinfo"] != nil ? "unavailable" : "none", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let nameWidth = min(16, max(4, mounts.map { TerminalText.width($0.name) }.max() ?? 4))
        for (offset, mount) in mounts.enumerated() {
            let row = rect.row + 1 + offset
            guard row < rect.bottom else { break }
            let v = mount.values
            buffer.put(TerminalText.padded(TerminalText.clipped(mount.name, to: nameWidth, unicode: buffer.unicode), to: nameWidth + 1), row: row, column: rect.column, role: SignalState.role(snapshot, "fs.\(mount.name)."))
            var tail = "\(HumanReadable.bytes(v["free"] ?? 0)) free" + (v["inodes_used_percent"].map { "  inodes \(HumanReadable.percent($0))" } ?? "")
            let badge = ForecastBadge.of(snapshot, "fs.\(mount.name).free", "fs.\(mount.name).inodes_used_percent")
            // A forecast is the news: where room is short it takes the place of the inodes.
            let badgeText = badge.map { "  " + $0.text } ?? ""
            if !badgeText.isEmpty, rect.width < nameWidth + 1 + 12 + TerminalText.width(tail + badgeText) + 1 { tail = "\(HumanReadable.bytes(v["free"] ?? 0)) free" }
            let tailWidth = rect.width >= nameWidth + 1 + 12 + TerminalText.width(tail + badgeText) + 1 ? TerminalText.width(tail + badgeText) + 1 : 0
            let gaugeWidth = min(30, rect.width - nameWidth - 1 - tailWidth)
            let used = v["used_percent"] ?? 0
            Meter.gauge(fraction: used / 100, text: HumanReadable.percent(used), row: row, column: rect.column + nameWidth + 1, width: gaugeWidth, on: &buffer)
            var x = rect.column + nameWidth + 1 + gaugeWidth
            if tailWidth > 0 {
                x += 1 + buffer.put(tail, row: row, column: x + 1, role: .value)
                if let badge { x += buffer.put(badgeText, row: row, column: x, role: badge.role, limit: rect.right - x) }
            }
            Meter.trailingSparkline(snapshot, SignalID("fs.\(mount.name).used_percent"), prefix: "fs.\(mount.name).", ceiling: 100,
                                    row: row, from: x, to: rect.right, on: &buffer)
        }
    }
}
