@testable import Collector
import Telemetry
import Testing

@Suite("/proc/net")
struct NetworkTests {
    @Test("a real /proc/net/dev gives every interface with its counters")
    func realNetDev() throws {
        let dev = try FixtureTree.withBytes("debian12-2cpu/net/dev") { NetDev.parse($0) }
        #expect(dev.interfaces.map(\.name) == ["lo", "ifb0", "ifb1", "eth0"])
        let eth0 = try #require(dev.interfaces.last?.counters)
        #expect(eth0.rxBytes == 42_989_440)
        #expect(eth0.txPackets == 695)
        #expect(dev.malformed == 0)
    }

    @Test("an old kernel's name glued to its first number, and a cut line", arguments: [
        ("eth0:4294967295 1 0 0 0 0 0 0 5 6 0 0 0 0 0 0\n", ["eth0"], 0),
        ("  eth1: 1 2 3\n", [], 1),
        ("Inter-|   Receive\n face |bytes\n", [], 0),
    ])
    func oddLines(text: String, names: [String], malformed: Int) {
        let dev = FixtureTree.withBytes(of: text) { NetDev.parse($0) }
        #expect(dev.interfaces.map(\.name) == names)
        #expect(dev.malformed == malformed)
    }

    @Test("TCP counters are found by column name in real snmp and netstat files")
    func realTCP() throws {
        var tcp = TCPStats()
        try FixtureTree.withBytes("debian12-2cpu/net/snmp") { tcp.parseSNMP($0) }
        try FixtureTree.withBytes("debian12-2cpu/net/netstat") { tcp.parseNetstat($0) }
        #expect(tcp.activeOpens == 13)
        #expect(tcp.passiveOpens == 2)
        #expect(tcp.established == 0)
        #expect(tcp.resetsSent == 4)
        #expect(tcp.retransmits == 0)
        #expect(tcp.listenOverflows == 0)
        #expect(tcp.malformed == 0)
    }

    @Test("a values line shorter than its header is counted, the columns present still read")
    func shortValues() {
        var tcp = TCPStats()
        FixtureTree.withBytes(of: "Tcp: ActiveOpens PassiveOpens CurrEstab\nTcp: 5 6\n") { tcp.parseSNMP($0) }
        #expect(tcp.activeOpens == 5)
        #expect(tcp.established == nil)
        #expect(tcp.malformed == 1)
    }

    @Test("rates per interface; an interface that vanishes and returns starts over")
    func interfaceRates() throws {
        let tree = try ScratchTree()
        let header = "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n"
        try tree.write("net/dev", header + "  eth0: 1000 10 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
        try tree.write("net/snmp", "Tcp: ActiveOpens PassiveOpens RetransSegs CurrEstab OutRsts EstabResets\nTcp: 10 20 30 4 0 0\n")
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path)
        _ = collector.collect(at: 0)
        try tree.write("net/dev", header + "  eth0: 3000 30 1 0 0 0 0 0 900 9 0 2 0 0 0 0\n")
        try tree.write("net/snmp", "Tcp: ActiveOpens PassiveOpens RetransSegs CurrEstab OutRsts EstabResets\nTcp: 14 20 40 5 2 0\n")
        let second = collector.collect(at: 2)
        #expect(second.value(of: "net.eth0.rx_bytes") == 1000)
        #expect(second.value(of: "net.eth0.tx_packets") == 2)
        #expect(second.value(of: "net.eth0.rx_errors") == 0.5)
        #expect(second.value(of: "net.eth0.tx_drops") == 1)
        #expect(second.value(of: "tcp.active_opens") == 2)
        #expect(second.value(of: "tcp.retransmits") == 5)
        #expect(second.value(of: "tcp.resets") == 1)
        #expect(second.value(of: "tcp.established") == 5)
        #expect(second.health.unavailable["net/netstat"] != nil)
        try tree.write("net/dev", header + "  eth0: 3000 30 1 0 0 0 0 0 900 9 0 2 0 0 0 0\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n")
        let third = collector.collect(at: 3)
        #expect(third.value(of: "net.lo.rx_bytes") == nil)
        #expect(third.value(of: "net.eth0.rx_bytes") == 0)
    }
}
