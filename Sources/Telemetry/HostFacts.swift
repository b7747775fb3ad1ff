/// What the header says about the machine: who it is and how long it has run.
public struct HostFacts: Hashable, Sendable, Codable {
    public var hostname: String
    public var kernel: String
    /// Seconds since boot.
    public var uptime: Double
    public var cpuCount: Int

    public init(hostname: String, kernel: String, uptime: Double, cpuCount: Int) {
        self.hostname = hostname
        self.kernel = kernel
        self.uptime = uptime
        self.cpuCount = cpuCount
    }
}
