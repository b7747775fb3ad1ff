/// One process as the collector last saw it: what htop shows on its row.
///
/// A value, so the correlator can keep the processes that were on top when an
/// incident began long after they have exited.
public struct ProcessSample: Hashable, Sendable, Codable {
    public var pid: Int32
    /// Clock ticks after boot at which the process started; with `pid` it names one process
    /// even after the kernel reuses the pid.
    public var startTime: UInt64
    /// The short name from /proc/PID/stat (`comm`), at most 15 bytes.
    public var name: String
    /// The command line with NULs as spaces; `[name]` for kernel threads.
    public var command: String
    /// The owner's user name, or the uid in digits when it has no name.
    public var user: String
    /// The one-letter state: R running, S sleeping, D uninterruptible (blocked), Z zombie, ...
    public var state: String
    public var threads: Int
    /// CPU time over the last interval, in percent of one core (a busy 4-thread process shows 400).
    public var cpuPercent: Double
    /// Resident memory in bytes.
    public var residentBytes: UInt64
    /// Bytes read from storage per second; nil when /proc/PID/io is not readable (another user's process).
    public var readBytesPerSecond: Double?
    public var writeBytesPerSecond: Double?

    public init(
        pid: Int32, startTime: UInt64, name: String, command: String, user: String, state: String,
        threads: Int, cpuPercent: Double, residentBytes: UInt64, readBytesPerSecond: Double?,
        writeBytesPerSecond: Double?
    ) {
        self.pid = pid
        self.startTime = startTime
        self.name = name
        self.command = command
        self.user = user
        self.state = state
        self.threads = threads
        self.cpuPercent = cpuPercent
        self.residentBytes = residentBytes
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
    }

    /// Storage bytes per second, read and write together; nil when unknown.
    public var ioBytesPerSecond: Double? {
        guard let read = readBytesPerSecond, let write = writeBytesPerSecond else { return nil }
        return read + write
    }
}
