import Telemetry

/// Reads /proc/net/dev, /proc/net/snmp and /proc/net/netstat into
/// `net.IFACE.{rx_bytes,tx_bytes,rx_packets,tx_packets,rx_errors,tx_errors,rx_drops,tx_drops}` (per second)
/// and `tcp.{established,active_opens,passive_opens,retransmits,resets,estab_resets,listen_overflows}`.
final class NetworkReader {
    private let dev: ProcFile
    private let snmp: ProcFile
    private let netstat: ProcFile
    private var previous: [String: InterfaceCounters] = [:]
    private var previousTCP: TCPStats?
    private var ids = EntitySignalIDs(prefix: "net", measures: ["rx_bytes", "tx_bytes", "rx_packets", "tx_packets", "rx_errors", "tx_errors", "rx_drops", "tx_drops"])

    /// - Parameter netFolder: `PROC/net`, or the host's `PROC/1/net` from a container (`HostView`).
    init(netFolder: String) {
        dev = ProcFile(path: netFolder + "/dev", initialCapacity: 8192)
        snmp = ProcFile(path: netFolder + "/snmp", initialCapacity: 8192)
        netstat = ProcFile(path: netFolder + "/netstat", initialCapacity: 16_384)
    }

    convenience init(procRoot: String) {
        self.init(netFolder: HostView(procRoot: procRoot).netFolder)
    }

    func read(elapsed: Double?, into report: inout TickReport) {
        readInterfaces(elapsed: elapsed, into: &report)
        readTCP(elapsed: elapsed, into: &report)
    }

    private func readInterfaces(elapsed: Double?, into report: inout TickReport) {
        guard let parsed = dev.withContents({ NetDev.parse($0) }) else {
            report.missing("net/dev", dev)
            previous.removeAll()
            return
        }
        report.malformed += parsed.malformed
        var current: [String: InterfaceCounters] = [:]
        current.reserveCapacity(parsed.interfaces.count)
        for (name, now) in parsed.interfaces {
            current[name] = now
            guard let elapsed, let before = previous[name] else { continue }
            let names = ids.ids(for: name)
            report.add(names[0], rate(before.rxBytes, now.rxBytes, elapsed), .bytesPerSecond)
            report.add(names[1], rate(before.txBytes, now.txBytes, elapsed), .bytesPerSecond)
            report.add(names[2], rate(before.rxPackets, now.rxPackets, elapsed), .perSecond)
            report.add(names[3], rate(before.txPackets, now.txPackets, elapsed), .perSecond)
            report.add(names[4], rate(before.rxErrors, now.rxErrors, elapsed), .perSecond)
            report.add(names[5], rate(before.txErrors, now.txErrors, elapsed), .perSecond)
            report.add(names[6], rate(before.rxDrops, now.rxDrops, elapsed), .perSecond)
            report.add(names[7], rate(before.txDrops, now.txDrops, elapsed), .perSecond)
        }
        previous = current
    }

    private func readTCP(elapsed: Double?, into report: inout TickReport) {
        var tcp = TCPStats()
        if snmp.withContents({ tcp.parseSNMP($0) }) == nil { report.missing("net/snmp", snmp) }
        if netstat.withContents({ tcp.parseNetstat($0) }) == nil { report.missing("net/netstat", netstat) }
        report.malformed += tcp.malformed
        if let established = tcp.established { report.add("tcp.established", Double(established), .count) }
        if let elapsed, let before = previousTCP {
            func counter(_ id: SignalID, _ path: KeyPath<TCPStats, UInt64?>) {
                guard let old = before[keyPath: path], let new = tcp[keyPath: path] else { return }
                report.add(id, rate(old, new, elapsed), .perSecond)
            }
            counter("tcp.active_opens", \.activeOpens)
            counter("tcp.passive_opens", \.passiveOpens)
            counter("tcp.retransmits", \.retransmits)
            counter("tcp.resets", \.resetsSent)
            counter("tcp.estab_resets", \.establishedResets)
            counter("tcp.listen_overflows", \.listenOverflows)
        }
        previousTCP = tcp
    }
}
