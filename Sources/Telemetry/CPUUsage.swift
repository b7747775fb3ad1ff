/// Where one CPU (or all of them together) spent the last interval, in percent.
public struct CPUBreakdown: Hashable, Sendable, Codable {
    public var user: Double
    public var nice: Double
    public var system: Double
    public var iowait: Double
    public var irq: Double
    public var softirq: Double
    public var steal: Double
    public var idle: Double

    public init(
        user: Double = 0, nice: Double = 0, system: Double = 0, iowait: Double = 0,
        irq: Double = 0, softirq: Double = 0, steal: Double = 0, idle: Double = 100
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
        self.idle = idle
    }

    /// Time not idle and not waiting for I/O, as htop counts it.
    public var busy: Double {
        max(0, min(100, 100 - idle - iowait))
    }
}

/// CPU time split for the whole machine and for each core.
public struct CPUUsage: Hashable, Sendable, Codable {
    public var total: CPUBreakdown
    /// One entry per online core, in the kernel's order.
    public var cores: [CPUBreakdown]

    public init(total: CPUBreakdown, cores: [CPUBreakdown]) {
        self.total = total
        self.cores = cores
    }
}
