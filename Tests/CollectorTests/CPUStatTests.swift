@testable import Collector
import Telemetry
import Testing

@Suite("/proc/stat")
struct CPUStatTests {
    @Test("a real /proc/stat gives the aggregate line, every core and the counters")
    func parsesRealFile() throws {
        let stat = try FixtureTree.withBytes("debian12-2cpu/stat") { CPUStat.parse($0) }
        #expect(stat.cores.map(\.number) == [0, 1])
        #expect(stat.total.user == 1191)
        #expect(stat.total.idle == 973_507)
        #expect(stat.total.steal == 42)
        #expect(stat.cores[1].times.iowait == 652)
        #expect(stat.contextSwitches != nil)
        #expect(stat.forks != nil)
        #expect(stat.interrupts == 130_182)
        #expect(stat.running != nil)
        #expect(stat.malformed == 0)
    }

    @Test("busy percentages from two real samples one second apart stay within 0-100")
    func percentagesFromTwoSamples() throws {
        let first = try FixtureTree.withBytes("debian12-2cpu/stat") { CPUStat.parse($0) }
        let second = try FixtureTree.withBytes("debian12-2cpu-later/stat") { CPUStat.parse($0) }
        let usage = HostCollector.usage(from: first, to: second)
        #expect(usage.cores.count == 2)
        for breakdown in [usage.total] + usage.cores {
            let sum = breakdown.user + breakdown.nice + breakdown.system + breakdown.idle + breakdown.iowait
                + breakdown.irq + breakdown.softirq + breakdown.steal
            #expect(abs(sum - 100) < 0.001)
            #expect((0...100).contains(breakdown.busy))
        }
    }

    @Test("busy is everything but idle and iowait", arguments: [
        // user, system, idle, iowait deltas -> busy %
        (50 as UInt64, 25 as UInt64, 25 as UInt64, 0 as UInt64, 75.0),
        (0, 0, 100, 0, 0.0),
        (10, 10, 40, 40, 20.0),
        (100, 0, 0, 0, 100.0),
    ])
    func busyFromDeltas(user: UInt64, system: UInt64, idle: UInt64, iowait: UInt64, busy: Double) {
        let before = CPUTimes(user: 1000, nice: 0, system: 1000, idle: 1000, iowait: 1000, irq: 0, softirq: 0, steal: 0)
        let after = CPUTimes(user: 1000 + user, nice: 0, system: 1000 + system, idle: 1000 + idle, iowait: 1000 + iowait, irq: 0, softirq: 0, steal: 0)
        #expect(abs(after.breakdown(since: before).busy - busy) < 1e-9)
    }

    @Test("no time passed counts as idle, not as a division by zero")
    func noTimePassed() {
        let times = CPUTimes(user: 5, nice: 0, system: 5, idle: 5, iowait: 0, irq: 0, softirq: 0, steal: 0)
        #expect(times.breakdown(since: times).busy == 0)
    }

    @Test("garbage fields near 2^64 do not trap: the percentages stay within 0-100")
    func hugeFields() {
        let before = CPUTimes(user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0)
        let huge = UInt64.max - 5
        let after = CPUTimes(user: huge, nice: huge, system: huge, idle: huge, iowait: 0, irq: 0, softirq: 0, steal: 0)
        let breakdown = after.breakdown(since: before)
        #expect(abs(breakdown.busy - 75) < 1e-6)
    }

    @Test("a truncated cpu line is skipped and counted, the rest still parses")
    func truncatedLine() {
        let text = "cpu  10 20 30 40 0 0 0 0 0 0\ncpu0 10 20\ncpu1 5 10 15 20 0 0 0 0\nctxt 99\n"
        let stat = FixtureTree.withBytes(of: text) { CPUStat.parse($0) }
        #expect(stat.malformed == 1)
        #expect(stat.cores.map(\.number) == [1])
        #expect(stat.contextSwitches == 99)
    }

    @Test("a file cut off mid-number neither traps nor invents values")
    func cutMidLine() {
        let stat = FixtureTree.withBytes(of: "cpu  10 20 30 4") { CPUStat.parse($0) }
        #expect(stat.total.idle == 4)
        #expect(stat.cores.isEmpty)
    }
}

@Suite("counters")
struct CounterDeltaTests {
    @Test("increase, 32-bit wrap and reset", arguments: [
        (100 as UInt64, 150 as UInt64, 50 as UInt64),
        (UInt64(UInt32.max) - 9, 10, 20),
        (5_000_000_000, 12, 0),
        // A 64-bit counter near three billion reset to ten: not a 1.3 GB wrap.
        (3_000_000_000, 10, 0),
        (UInt64(UInt32.max) - 100_000_000, 50_000_000, 150_000_001),
        (7, 7, 0),
    ])
    func delta(old: UInt64, new: UInt64, expected: UInt64) {
        #expect(counterDelta(from: old, to: new) == expected)
    }
}
