@testable import Collector
import Foundation
import Telemetry
import Testing

@Suite("host collector")
struct HostCollectorTests {
    @Test("a fixture tree gives host facts, memory, and CPU from the second tick on")
    func fixtureTree() {
        let collector = HostCollector(procRoot: FixtureTree.path("debian12-2cpu"))
        let first = collector.collect(at: 1)
        #expect(first.host.hostname == "vm")
        #expect(first.host.kernel == "6.18.44-fc-v1252")
        #expect(first.host.cpuCount == 2)
        #expect(first.host.uptime > 0)
        #expect(first.cpu == nil)
        #expect(first.memory?.total == 24_683_792 * 1024)
        #expect(first.health.unavailable.isEmpty)
        let second = collector.collect(at: 2)
        #expect(second.cpu?.cores.count == 2)
        #expect(second.readings.contains { $0.id == "cpu.total.busy" })
    }

    @Test("a missing /proc leaves its sources listed as unavailable, nothing traps")
    func missingRoot() {
        let collector = HostCollector(procRoot: "/nonexistent/proc")
        let sample = collector.collect(at: 1)
        #expect(sample.memory == nil)
        #expect(sample.health.unavailable["stat"] != nil)
        #expect(sample.health.unavailable["meminfo"] != nil)
        #expect(sample.host.hostname == "unknown")
    }

    @Test("the live host reads as sysconf and /proc/meminfo say")
    func liveCrossCheck() throws {
        let collector = HostCollector()
        _ = collector.collect(at: 0)
        let sample = collector.collect(at: 1)
        #expect(sample.host.cpuCount == Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let meminfo = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let totalLine = try #require(meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(UInt64(totalLine.split(separator: " ")[1]))
        #expect(sample.memory?.total == kib * 1024)
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        #expect(sample.host.hostname == String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
}
