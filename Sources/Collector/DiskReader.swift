import Telemetry
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads /proc/diskstats into `disk.DEVICE.{read_bytes,write_bytes,iops,util,await,queue}`.
///
/// Whole devices only (a partition's I/O is already in its disk's), md and dm included.
/// Loop and ram devices show only in intervals in which they did I/O: an idle snap's loop
/// device is noise, a busy one is news.
final class DiskReader {
    private let file: ProcFile
    private let sysRoot: String
    /// Whether `SYS/block` can be listed; without it a name pattern decides what is a partition.
    private let hasSysBlock: Bool
    private var wholeDevice: [String: Bool] = [:]
    private var previous: [String: DiskCounters] = [:]
    private var ids = EntitySignalIDs(prefix: "disk", measures: ["read_bytes", "write_bytes", "iops", "util", "await", "queue"])

    init(procRoot: String, sysRoot: String) {
        file = ProcFile(path: procRoot + "/diskstats", initialCapacity: 8192)
        self.sysRoot = sysRoot
        hasSysBlock = access(sysRoot + "/block", F_OK) == 0
    }

    func read(elapsed: Double?, into report: inout TickReport) {
        guard let stats = file.withContents({ DiskStats.parse($0) }) else {
            report.missing("diskstats", file)
            previous.removeAll()
            return
        }
        report.malformed += stats.malformed
        var current: [String: DiskCounters] = [:]
        current.reserveCapacity(stats.devices.count)
        for device in stats.devices where isWholeDevice(device.name) {
            current[device.name] = device.counters
            // A device that appeared since the last tick has no rate yet: it shows from the next.
            guard let elapsed, let before = previous[device.name] else { continue }
            let now = device.counters
            let reads = counterDelta(from: before.reads, to: now.reads)
            let writes = counterDelta(from: before.writes, to: now.writes)
            if Self.isVirtualRAMOrLoop(device.name), reads == 0, writes == 0, now.inFlight == 0 { continue }
            let names = ids.ids(for: device.name)
            // Sums in Double: garbage fields near 2^64 must not trap the collector.
            let ios = Double(reads) + Double(writes)
            let waited = Double(counterDelta(from: before.readTime, to: now.readTime)) + Double(counterDelta(from: before.writeTime, to: now.writeTime))
            report.add(names[0], rate(before.sectorsRead, now.sectorsRead, elapsed) * 512, .bytesPerSecond)
            report.add(names[1], rate(before.sectorsWritten, now.sectorsWritten, elapsed) * 512, .bytesPerSecond)
            report.add(names[2], ios / elapsed, .perSecond)
            report.add(names[3], min(100, rate(before.busyTime, now.busyTime, elapsed) / 10), .percent)
            report.add(names[4], ios > 0 ? waited / ios : 0, .milliseconds)
            report.add(names[5], rate(before.weightedTime, now.weightedTime, elapsed) / 1000, .count)
        }
        previous = current
    }

    static func isVirtualRAMOrLoop(_ name: String) -> Bool {
        name.hasPrefix("loop") || (name.hasPrefix("ram") && name.utf8.count > 3)
    }

    private func isWholeDevice(_ name: String) -> Bool {
        if let known = wholeDevice[name] { return known }
        let whole: Bool
        if hasSysBlock {
            // sysfs spells a `/` in a device name (cciss/c0d0) as `!`.
            whole = access(sysRoot + "/block/" + name.replacingSlashes, F_OK) == 0
        } else {
            whole = !Self.looksLikePartition(name)
        }
        wholeDevice[name] = whole
        return whole
    }

    /// Without sysfs: `sda1`, `vda2`, `xvdb3`, `nvme0n1p1`, `mmcblk0p1` are partitions; `dm-0`, `md0`, `nvme0n1`, `sr0` are not.
    static func looksLikePartition(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let last = bytes.last, last >= 0x30 && last <= 0x39 else { return false }
        var digitsStart = bytes.count
        while digitsStart > 0, bytes[digitsStart - 1] >= 0x30 && bytes[digitsStart - 1] <= 0x39 { digitsStart -= 1 }
        guard digitsStart > 0 else { return false }
        let before = bytes[digitsStart - 1]
        if before == UInt8(ascii: "p"), name.hasPrefix("nvme") || name.hasPrefix("mmcblk") {
            return true
        }
        for prefix in ["sd", "vd", "hd", "xvd"] where name.hasPrefix(prefix) {
            // sdX1: letters then digits.
            return before >= 0x61 && before <= 0x7A
        }
        return false
    }
}

extension String {
    var replacingSlashes: String {
        utf8.contains(0x2F) ? String(decoding: utf8.map { $0 == 0x2F ? 0x21 : $0 }, as: UTF8.self) : self
    }
}
