@testable import Collector
import Telemetry
import Testing

@Suite("/proc/diskstats")
struct DiskStatsTests {
    @Test("a real file gives every device with its counters")
    func realFile() throws {
        let stats = try FixtureTree.withBytes("debian12-2cpu/diskstats") { DiskStats.parse($0) }
        let vda = try #require(stats.devices.first { $0.name == "vda" })
        #expect(vda.major == 254)
        #expect(vda.counters.reads == 90_975)
        #expect(vda.counters.sectorsWritten == 10_788_952)
        #expect(vda.counters.busyTime == 31_296)
        #expect(vda.counters.weightedTime == 139_713)
        #expect(stats.devices.contains { $0.name == "loop0" })
        #expect(stats.malformed == 0)
    }

    @Test("a line cut short is skipped and counted")
    func truncated() {
        let stats = FixtureTree.withBytes(of: " 8 0 sda 1 2 3 4 5 6 7 8 0 10 11\n 8 16 sdb 1 2 3\n") { DiskStats.parse($0) }
        #expect(stats.devices.map(\.name) == ["sda"])
        #expect(stats.malformed == 1)
    }

    @Test("two real samples a second apart give rates for whole devices only")
    func ratesFromRealSamples() throws {
        let tree = try ScratchTree()
        try tree.copy(fromFixture: "debian12-2cpu", ["diskstats"])
        try tree.copy(fromFixture: "debian12-2cpu-sys", ["block/vda/stat", "block/zram0/stat", "block/loop0/stat"])
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path)
        _ = collector.collect(at: 100)
        try tree.copy(fromFixture: "debian12-2cpu-later", ["diskstats"])
        let sample = collector.collect(at: 101)
        #expect(sample.value(of: "disk.vda.read_bytes") == Double(14_283_266 - 14_279_730) * 512)
        #expect(sample.value(of: "disk.vda.write_bytes") == Double(10_796_976 - 10_788_952) * 512)
        #expect(sample.value(of: "disk.vda.iops") == Double(22 + 45))
        #expect(sample.value(of: "disk.vda.util") == 1.2)
        #expect(sample.value(of: "disk.vda.queue") == 0.01)
        #expect(sample.value(of: "disk.zram0.util") == 0)
        // loop0 did nothing in the interval, so it stays hidden.
        #expect(sample.value(of: "disk.loop0.util") == nil)
    }

    @Test("a device that appears between samples shows from its second sample; a 32-bit wrap is a small step")
    func appearingDeviceAndWrap() throws {
        let tree = try ScratchTree()
        try tree.makeDirectory("block/sda")
        try tree.makeDirectory("block/sdb")
        let nearWrap = UInt64(UInt32.max) - 99
        try tree.write("diskstats", "   8 0 sda 10 0 \(nearWrap) 5 0 0 0 0 0 100 100\n")
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path)
        _ = collector.collect(at: 0)
        try tree.write("diskstats", "   8 0 sda 20 0 100 5 0 0 0 0 0 600 100\n   8 16 sdb 1 0 8 1 0 0 0 0 0 1 1\n   8 1 sda1 20 0 100 5 0 0 0 0 0 600 100\n")
        let second = collector.collect(at: 1)
        // 100 sectors to the wrap and 100 after it: 200 sectors, not 4 billion.
        #expect(second.value(of: "disk.sda.read_bytes") == Double(200 * 512))
        #expect(second.value(of: "disk.sda.util") == 50)
        #expect(second.value(of: "disk.sdb.iops") == nil)
        #expect(second.value(of: "disk.sda1.iops") == nil)
        try tree.write("diskstats", "   8 0 sda 20 0 100 5 0 0 0 0 0 600 100\n   8 16 sdb 3 0 24 3 0 0 0 0 0 3 3\n")
        let third = collector.collect(at: 2)
        #expect(third.value(of: "disk.sdb.iops") == 2)
        #expect(third.value(of: "disk.sdb.await") == 1)
    }

    @Test("without sysfs a name pattern tells partitions from disks", arguments: [
        ("sda", false), ("sda1", true), ("vdb12", true), ("xvda1", true), ("nvme0n1", false), ("nvme0n1p2", true),
        ("mmcblk0", false), ("mmcblk0p1", true), ("dm-0", false), ("md127", false), ("sr0", false), ("loop3", false),
    ])
    func partitionPattern(name: String, partition: Bool) {
        #expect(DiskReader.looksLikePartition(name) == partition)
    }
}
