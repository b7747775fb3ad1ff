import Telemetry

/// Cumulative CPU time of one CPU line of /proc/stat, in clock ticks.
public struct CPUTimes: Hashable, Sendable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0

    public init() {}

    public init(
        user: UInt64, nice: UInt64, system: UInt64, idle: UInt64, iowait: UInt64,
        irq: UInt64, softirq: UInt64, steal: UInt64
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
    }

    /// Percentages of the time that passed between `earlier` and this reading.
    ///
    /// With no time passed (two reads within one tick) the CPU counts as idle.
    public func breakdown(since earlier: CPUTimes) -> CPUBreakdown {
        let user = counterDelta(from: earlier.user, to: self.user)
        let nice = counterDelta(from: earlier.nice, to: self.nice)
        let system = counterDelta(from: earlier.system, to: self.system)
        let idle = counterDelta(from: earlier.idle, to: self.idle)
        let iowait = counterDelta(from: earlier.iowait, to: self.iowait)
        let irq = counterDelta(from: earlier.irq, to: self.irq)
        let softirq = counterDelta(from: earlier.softirq, to: self.softirq)
        let steal = counterDelta(from: earlier.steal, to: self.steal)
        // Summed as Double: a garbage field near 2^64 must not trap the collector.
        let total = [user, nice, system, idle, iowait, irq, softirq, steal].reduce(0.0) { $0 + Double($1) }
        guard total > 0 else { return CPUBreakdown() }
        let scale = 100 / total
        return CPUBreakdown(
            user: Double(user) * scale, nice: Double(nice) * scale, system: Double(system) * scale,
            iowait: Double(iowait) * scale, irq: Double(irq) * scale, softirq: Double(softirq) * scale,
            steal: Double(steal) * scale, idle: Double(idle) * scale
        )
    }
}

/// The parsed content of /proc/stat.
public struct CPUStat: Hashable, Sendable {
    /// The aggregate `cpu` line.
    public var total = CPUTimes()
    /// The `cpuN` lines, by N. Offline CPUs have no line, so the numbers may have gaps.
    public var cores: [(number: Int, times: CPUTimes)] = []
    public var contextSwitches: UInt64?
    /// Processes and threads created since boot (`processes`).
    public var forks: UInt64?
    /// Interrupts serviced since boot (first field of `intr`).
    public var interrupts: UInt64?
    public var running: UInt64?
    public var blocked: UInt64?
    /// Lines that did not parse.
    public var malformed = 0

    public init() {}

    public static func == (lhs: CPUStat, rhs: CPUStat) -> Bool {
        lhs.total == rhs.total && lhs.cores.map(\.number) == rhs.cores.map(\.number)
            && lhs.cores.map(\.times) == rhs.cores.map(\.times)
            && lhs.contextSwitches == rhs.contextSwitches && lhs.forks == rhs.forks
            && lhs.interrupts == rhs.interrupts && lhs.running == rhs.running
            && lhs.blocked == rhs.blocked && lhs.malformed == rhs.malformed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(total)
        hasher.combine(cores.count)
    }

    /// Parses the bytes of /proc/stat. Unknown lines are ignored; a cpu line with
    /// fewer than four numbers is counted as malformed and skipped.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> CPUStat {
        var stat = CPUStat()
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let key = scanner.token()
            if key.starts(with: "cpu") {
                var fields = [UInt64](repeating: 0, count: 8)
                var count = 0
                while count < 8, let value = scanner.unsigned() {
                    fields[count] = value
                    count += 1
                }
                if count < 4 {
                    stat.malformed += 1
                } else {
                    let times = CPUTimes(
                        user: fields[0], nice: fields[1], system: fields[2], idle: fields[3],
                        iowait: fields[4], irq: fields[5], softirq: fields[6], steal: fields[7]
                    )
                    if key.count == 3 {
                        stat.total = times
                    } else {
                        var digits = ByteScanner(UnsafeRawBufferPointer(rebasing: key[3...]))
                        if let number = digits.unsigned(), digits.isAtEnd {
                            stat.cores.append((Int(number), times))
                        } else {
                            stat.malformed += 1
                        }
                    }
                }
            } else if key.equals("ctxt") {
                stat.contextSwitches = scanner.unsigned()
            } else if key.equals("processes") {
                stat.forks = scanner.unsigned()
            } else if key.equals("intr") {
                stat.interrupts = scanner.unsigned()
            } else if key.equals("procs_running") {
                stat.running = scanner.unsigned()
            } else if key.equals("procs_blocked") {
                stat.blocked = scanner.unsigned()
            }
            scanner.skipLine()
        }
        return stat
    }
}
