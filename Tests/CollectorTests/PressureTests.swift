@testable import Collector
import Telemetry
import Testing

@Suite("/proc/pressure")
struct PressureTests {
    @Test("a real io pressure file gives some and full with their totals")
    func realFile() throws {
        let pressure = try FixtureTree.withBytes("debian12-2cpu/pressure/io") { Pressure.parse($0) }
        #expect(pressure.some == PressureLine(avg10: 0.07, avg60: 0.23, avg300: 0.20, total: 18_675_333))
        #expect(pressure.full?.total == 17_514_612)
        #expect(pressure.malformed == 0)
    }

    @Test("old cpu files have no full line; a cut line is skipped and counted", arguments: [
        ("some avg10=1.00 avg60=2.00 avg300=3.00 total=10\n", true, false, 0),
        ("some avg10=1.00 avg60=2.00 avg300=3.00 total=10\nfull avg10=0.00 avg60=0.0", true, false, 1),
        ("some avg10=1.0", false, false, 1),
        ("", false, false, 0),
    ])
    func partialFiles(text: String, hasSome: Bool, hasFull: Bool, malformed: Int) {
        let pressure = FixtureTree.withBytes(of: text) { Pressure.parse($0) }
        #expect((pressure.some != nil) == hasSome)
        #expect((pressure.full != nil) == hasFull)
        #expect(pressure.malformed == malformed)
    }

    @Test("the stall rate comes from the total counter; a kernel without PSI leaves the signals out")
    func stallRateAndNoPSI() throws {
        let tree = try ScratchTree()
        try tree.write("pressure/io", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
        try tree.write("pressure/cpu", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
        try tree.write("pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path + "/sys")
        _ = collector.collect(at: 10)
        try tree.write("pressure/io", "some avg10=25.00 avg60=5.00 avg300=1.00 total=1500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=250000\n")
        let sample = collector.collect(at: 12)
        // 0.5 s stalled in 2 s.
        #expect(sample.value(of: "psi.io.some.stall") == 25)
        #expect(sample.value(of: "psi.io.full.stall") == 12.5)
        #expect(sample.value(of: "psi.io.some.avg10") == 25)
        #expect(sample.value(of: "psi.cpu.full.avg10") == nil)
        #expect(sample.health.unavailable["pressure"] == nil)

        let old = try ScratchTree()
        try old.copy(fromFixture: "debian12-2cpu", ["stat", "meminfo"])
        let oldKernel = HostCollector(procRoot: old.path, sysRoot: old.path + "/sys")
        let first = oldKernel.collect(at: 1)
        #expect(first.health.unavailable["pressure"] != nil)
        #expect(!first.readings.contains { $0.id.rawValue.hasPrefix("psi.") })
        #expect(first.memory != nil)
    }
}

extension HostSample {
    func value(of id: SignalID) -> Double? {
        readings.first { $0.id == id }?.value
    }
}
