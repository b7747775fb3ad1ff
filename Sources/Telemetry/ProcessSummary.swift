/// The process table in brief: counts by state and the few processes that matter most.
///
/// Every snapshot carries one, so an incident can name the processes that were
/// busiest when it began.
public struct ProcessSummary: Hashable, Sendable, Codable {
    public var total: Int
    public var running: Int
    /// In uninterruptible sleep (state D), usually waiting for storage.
    public var blocked: Int
    public var zombie: Int
    /// Threads of all processes together.
    public var threads: Int
    /// Highest CPU first.
    public var topByCPU: [ProcessSample]
    /// Largest resident memory first.
    public var topByMemory: [ProcessSample]
    /// Most storage I/O first; processes whose I/O is unreadable or zero are left out.
    public var topByIO: [ProcessSample]
    /// Every process of the tick, in no order, for the screen's full list (sorted and
    /// filtered there). Not encoded: evidence and scripts keep the top lists only.
    public var all: [ProcessSample] = []

    enum CodingKeys: String, CodingKey {
        case total, running, blocked, zombie, threads, topByCPU, topByMemory, topByIO
    }

    public init(
        total: Int = 0, running: Int = 0, blocked: Int = 0, zombie: Int = 0, threads: Int = 0,
        topByCPU: [ProcessSample] = [], topByMemory: [ProcessSample] = [], topByIO: [ProcessSample] = []
    ) {
        self.total = total
        self.running = running
        self.blocked = blocked
        self.zombie = zombie
        self.threads = threads
        self.topByCPU = topByCPU
        self.topByMemory = topByMemory
        self.topByIO = topByIO
    }
}
