/// What one collection tick read from the host, before the engine sees it.
public struct HostSample: Sendable {
    /// Seconds since 1970.
    public var time: Double
    public var host: HostFacts
    /// Nil on the first tick: percentages need two readings of the counters.
    public var cpu: CPUUsage?
    public var memory: MemoryUsage?
    public var readings: [Reading]
    public var health: CollectorHealth
    /// Counts and top processes; nil when the process table could not be read.
    public var processes: ProcessSummary?

    public init(
        time: Double, host: HostFacts, cpu: CPUUsage?, memory: MemoryUsage?,
        readings: [Reading], health: CollectorHealth, processes: ProcessSummary? = nil
    ) {
        self.time = time
        self.host = host
        self.cpu = cpu
        self.memory = memory
        self.readings = readings
        self.health = health
        self.processes = processes
    }
}
