/// The cumulative counters of one line of /proc/diskstats.
public struct DiskCounters: Hashable, Sendable {
    public var reads: UInt64 = 0
    public var sectorsRead: UInt64 = 0
    /// Milliseconds spent on reads, summed over requests.
    public var readTime: UInt64 = 0
    public var writes: UInt64 = 0
    public var sectorsWritten: UInt64 = 0
    public var writeTime: UInt64 = 0
    /// Requests in flight now (a gauge, not a counter).
    public var inFlight: UInt64 = 0
    /// Milliseconds during which at least one request was in flight.
    public var busyTime: UInt64 = 0
    /// Milliseconds in flight weighted by the number of requests: its rate is the average queue depth.
    public var weightedTime: UInt64 = 0

    public init() {}
}

/// One block device of /proc/diskstats.
public struct DiskLine: Hashable, Sendable {
    public var major: UInt32
    public var minor: UInt32
    public var name: String
    public var counters: DiskCounters
}

/// The parsed content of /proc/diskstats.
public struct DiskStats: Hashable, Sendable {
    public var devices: [DiskLine] = []
    /// Lines with fewer than the eleven classic counters.
    public var malformed = 0

    public init() {}

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> DiskStats {
        var stats = DiskStats()
        var scanner = ByteScanner(bytes)
        var fields = [UInt64](repeating: 0, count: 11)
        while !scanner.isAtEnd {
            guard let major = scanner.unsigned(), let minor = scanner.unsigned() else {
                if !scanner.restOfLine().allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { stats.malformed += 1 }
                continue
            }
            let name = scanner.token()
            var count = 0
            while count < 11, let value = scanner.unsigned() {
                fields[count] = value
                count += 1
            }
            scanner.skipLine()
            guard count == 11, !name.isEmpty else {
                stats.malformed += 1
                continue
            }
            var counters = DiskCounters()
            counters.reads = fields[0]
            counters.sectorsRead = fields[2]
            counters.readTime = fields[3]
            counters.writes = fields[4]
            counters.sectorsWritten = fields[6]
            counters.writeTime = fields[7]
            counters.inFlight = fields[8]
            counters.busyTime = fields[9]
            counters.weightedTime = fields[10]
            stats.devices.append(DiskLine(major: UInt32(truncatingIfNeeded: major), minor: UInt32(truncatingIfNeeded: minor), name: name.text, counters: counters))
        }
        return stats
    }
}
