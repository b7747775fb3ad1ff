import Telemetry

/// A row per interface (loopback last), then a TCP summary row.
enum NetworkPanel {
    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        1 + max(1, interfaces(snapshot).count) + (snapshot?.value(of: "tcp.established") != nil ? 1 : 0)
    }

    static let minimumHeight = 2

    /// Interfaces in id order with `lo` moved last: it is seldom the one in trouble.
    static func interfaces(_ snapshot: Snapshot?) -> [(name: String, values: [String: Double])] {
        let all = SignalTable(snapshot?.readings ?? [], family: "net").entities
        return all.filter { $0.name != "lo" } + all.filter { $0.name == "lo" }
    }

    static func draw(_ snapshot: Snapshot?, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 1, let snapshot else { return }
        Meter.titleRule("Network", detail: "per s", focused: focused, in: rect, on: &buffer)
        var row = rect.row + 1
        let rows = interfaces(snapshot)
        // Keep the TCP row when space is short: it says more than the fourth interface.
        let hasTCP = snapshot.value(of: "tcp.established") != nil
        let interfaceRows = max(0, rect.height - 1 - (hasTCP ? 1 : 0))
        if rows.isEmpty, interfaceRows > 0 {
            buffer.put(snapshot.health.unavailable["net/dev"] != nil ? "unavailable" : "measuring…", row: row, column: rect.column, role: .dim, limit: rect.width)
            row += 1
        }
        let nameWidth = min(12, max(4, rows.map { TerminalText.width($0.name) }.max() ?? 4))
        for interface in rows.prefix(interfaceRows) {
            let v = interface.values
            var x = rect.column
            x += buffer.put(TerminalText.padded(TerminalText.clipped(interface.name, to: nameWidth), to: nameWidth + 1), row: row, column: x, role: SignalState.role(snapshot, "net.\(interface.name)."), limit: rect.right - x)
            let errors = (v["rx_errors"] ?? 0) + (v["tx_errors"] ?? 0)
            let drops = (v["rx_drops"] ?? 0) + (v["tx_drops"] ?? 0)
            let fields: [(String, String, Role)] = [
                ("rx ", HumanReadable.bytes(v["rx_bytes"] ?? 0), .value),
                ("tx ", HumanReadable.bytes(v["tx_bytes"] ?? 0), .value),
                ("pk ", HumanReadable.fixed((v["rx_packets"] ?? 0) + (v["tx_packets"] ?? 0), decimals: 0), .value),
                ("err ", HumanReadable.fixed(errors, decimals: 0), errors > 0 ? .warning : .value),
                ("drop ", HumanReadable.fixed(drops, decimals: 0), drops > 0 ? .warning : .value),
            ]
            x = Meter.fields(fields, row: row, from: x, to: rect.right, on: &buffer)
            Meter.trailingSparkline(snapshot, SignalID("net.\(interface.name).rx_bytes"), prefix: "net.\(interface.name).",
                                    row: row, from: x, to: rect.right, on: &buffer)
            row += 1
        }
        if hasTCP, row < rect.bottom {
            let retransmits = snapshot.value(of: "tcp.retransmits") ?? 0
            let overflows = snapshot.value(of: "tcp.listen_overflows") ?? 0
            let text = "tcp estab \(Int(snapshot.value(of: "tcp.established") ?? 0))  opens \(HumanReadable.fixed((snapshot.value(of: "tcp.active_opens") ?? 0) + (snapshot.value(of: "tcp.passive_opens") ?? 0), decimals: 1))  retrans \(HumanReadable.fixed(retransmits, decimals: 1))  resets \(HumanReadable.fixed(snapshot.value(of: "tcp.resets") ?? 0, decimals: 1))  overflows \(HumanReadable.fixed(overflows, decimals: 1))"
            buffer.put(text, row: row, column: rect.column, role: SignalState.role(snapshot, "tcp.", normal: retransmits > 0 || overflows > 0 ? .warning : .value), limit: rect.width)
        }
    }
}
