@testable import Collector
import Telemetry
import Testing

@Suite("/proc/meminfo")
struct MemInfoTests {
    @Test("a real /proc/meminfo gives total, available, cache and swap in bytes")
    func parsesRealFile() throws {
        let info = try FixtureTree.withBytes("debian12-2cpu/meminfo") { MemInfo.parse($0) }
        #expect(info.total == 24_683_792 * 1024)
        #expect(info.available == 24_371_364 * 1024)
        #expect(info.buffers == 2520 * 1024)
        let usage = try #require(info.usage)
        #expect(usage.used == (24_683_792 - 24_371_364) * 1024)
        #expect(usage.usedPercent > 0 && usage.usedPercent < 100)
        #expect(info.malformed == 0)
    }

    @Test("an old kernel without MemAvailable falls back to free + buffers + cache")
    func noMemAvailable() {
        let text = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n"
        let usage = FixtureTree.withBytes(of: text) { MemInfo.parse($0) }.usage
        #expect(usage?.available == 350 * 1024)
        #expect(usage?.swapUsed == 0)
    }

    @Test("a truncated file without MemTotal yields no memory reading")
    func truncated() {
        let info = FixtureTree.withBytes(of: "MemFree:   12") { MemInfo.parse($0) }
        #expect(info.usage == nil)
    }

    @Test("a line with no number is counted as malformed")
    func garbageLine() {
        let info = FixtureTree.withBytes(of: "MemTotal: 1000 kB\nGarbage: kB\nMemFree: 10 kB\n") { MemInfo.parse($0) }
        #expect(info.malformed == 1)
        #expect(info.free == 10 * 1024)
    }
}
