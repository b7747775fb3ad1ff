import Synchronization
@testable import Collector
import Telemetry
import Testing

@Suite("/proc/self/mountinfo")
struct MountInfoTests {
    @Test("a real mount table keeps the real filesystems, each once")
    func realFile() throws {
        let info = try FixtureTree.withBytes("debian12-2cpu/self/mountinfo") { MountInfo.parse($0) }
        #expect(info.mounts.count == 20)
        #expect(info.malformed == 0)
        #expect(info.realFilesystems.map(\.mountPoint) == ["/"])
        #expect(info.realFilesystems.first?.fsType == "ext4")
    }

    @Test("escaped mount points, optional fields, bind mounts and pseudo filesystems")
    func handMade() {
        let text = """
        36 25 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        37 36 8:2 / /srv/my\\040data rw shared:2 master:1 - xfs /dev/sda2 rw
        38 36 8:1 /var/lib/docker /var/lib/docker rw - ext4 /dev/sda1 rw
        39 36 0:5 / /proc rw - proc proc rw
        40 36 0:44 / /mnt/nas rw - nfs4 nas:/export rw
        41 36 8:3 / /broken rw
        """
        let info = FixtureTree.withBytes(of: text) { MountInfo.parse($0) }
        #expect(info.malformed == 1)
        #expect(info.realFilesystems.map(\.mountPoint) == ["/", "/srv/my data"])
    }

    @Test("space readings per mount, from statvfs (faked here)")
    func spaceReadings() throws {
        let tree = try ScratchTree()
        try tree.write("self/mountinfo", "36 25 8:1 / / rw - ext4 /dev/sda1 rw\n37 36 8:2 / /var rw - xfs /dev/sda2 rw\n38 36 0:9 / /gone rw - ext4 /dev/sdc1 rw\n")
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path) { path in
            switch path {
            case "/": FilesystemSpace(totalBytes: 100, availableBytes: 20, freeBytes: 25, totalInodes: 10, freeInodes: 9)
            case "/var": FilesystemSpace(totalBytes: 1000, availableBytes: 1000, freeBytes: 1000, totalInodes: 0, freeInodes: 0)
            default: nil
            }
        }
        let sample = collector.collect(at: 0)
        // df's arithmetic: 75 used of 75 + 20 usable.
        #expect(abs((sample.value(of: "fs./.used_percent") ?? 0) - 75.0 / 95 * 100) < 1e-9)
        #expect(sample.value(of: "fs./.free") == 20)
        #expect(sample.value(of: "fs./.inodes_used_percent") == 10)
        #expect(sample.value(of: "fs./var.used_percent") == 0)
        #expect(sample.value(of: "fs./var.inodes_used_percent") == nil)
        #expect(!sample.readings.contains { $0.id.rawValue.hasPrefix("fs./gone.") })
    }

    @Test("watching a host from a container: its init's mount table and network, mount points reached through its root")
    func hostFromAContainer() throws {
        let tree = try ScratchTree()
        // The container's own view, which PROC/self shows, and the host's, which pid 1 has.
        try tree.write("self/mountinfo", "50 40 0:60 / / rw - overlay overlay rw\n")
        try tree.write("1/mountinfo", "36 25 8:1 / / rw - ext4 /dev/sda1 rw\n37 36 8:2 / /data rw - xfs /dev/sdb1 rw\n")
        try tree.write("net/dev", "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n  eth0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n")
        try tree.write("1/net/dev", "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets errs drop fifo colls carrier compressed\n  bond0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0\n")
        try tree.makeDirectory("1/root")
        let asked = Mutex<[String]>([])
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path) { path in
            asked.withLock { $0.append(path) }
            return FilesystemSpace(totalBytes: 100, availableBytes: 50, freeBytes: 50, totalInodes: 10, freeInodes: 5)
        }
        _ = collector.collect(at: 0)
        let sample = collector.collect(at: 1)
        #expect(sample.value(of: "fs./data.used_percent") == 50, "the host's filesystems, not the container's overlay")
        #expect(asked.withLock { $0 }.contains(tree.path + "/1/root/data"), "statvfs through the host's root: \(asked.withLock { $0 })")
        #expect(sample.readings.contains { $0.id == "net.bond0.rx_bytes" }, "the host's interfaces")
        #expect(!sample.readings.contains { $0.id == "net.eth0.rx_bytes" })

        // Without a way into the host's root, its mount table would be measured on this
        // process's own filesystems: the process's own table is used instead.
        try tree.remove("1/root")
        let own = HostCollector(procRoot: tree.path, sysRoot: tree.path) { _ in
            FilesystemSpace(totalBytes: 100, availableBytes: 50, freeBytes: 50, totalInodes: 10, freeInodes: 5)
        }
        let ownSample = own.collect(at: 0)
        #expect(ownSample.value(of: "fs./data.used_percent") == nil)
    }
}
