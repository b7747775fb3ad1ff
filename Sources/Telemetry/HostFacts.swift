/// What the header says about the machine: who it is and how long it has run.
public struct HostFacts: Hashable, Sendable, Codable {
    public var hostname: String
    public var kernel: String
    /// Seconds since boot.
    public var uptime: Double
    public var cpuCount: Int
    /// As /proc/cpuinfo names it (`model name`), or empty when it does not say.
    public var cpuModel: String
    /// MemTotal in bytes; 0 when /proc/meminfo is unreadable.
    public var memoryBytes: UInt64
    /// The container runtime Vigil runs in (`docker`, `podman`, `lxc`, `kubernetes`, ...), or nil on the host.
    public var container: String?
    /// The hypervisor underneath (`kvm`, `vmware`, `xen`, ..., or `vm` when only the CPU flag says so), or nil on bare metal.
    public var virtualMachine: String?

    public init(
        hostname: String, kernel: String, uptime: Double, cpuCount: Int, cpuModel: String = "",
        memoryBytes: UInt64 = 0, container: String? = nil, virtualMachine: String? = nil
    ) {
        self.hostname = hostname
        self.kernel = kernel
        self.uptime = uptime
        self.cpuCount = cpuCount
        self.cpuModel = cpuModel
        self.memoryBytes = memoryBytes
        self.container = container
        self.virtualMachine = virtualMachine
    }
}
