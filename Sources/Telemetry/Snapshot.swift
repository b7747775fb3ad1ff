/// Everything the screen and the scripts may know at one moment: an immutable value
/// published by the monitor at the end of each tick.
///
/// The dashboard draws only from the newest snapshot; it never reads /proc or the
/// database itself (DESIGN.md: one direction).
public struct Snapshot: Sendable {
    /// Counts ticks since the monitor started, so a reader can tell a new snapshot from an old one.
    public var sequence: UInt64
    /// Seconds since 1970, when the sample was taken.
    public var time: Double
    /// The sampling interval, in seconds.
    public var interval: Double
    public var host: HostFacts
    /// Nil until two samples exist to compute rates from.
    public var cpu: CPUUsage?
    public var memory: MemoryUsage?
    /// Every signal's current value, sorted by id.
    public var readings: [Reading]
    /// Recent values of the signals the screen draws as sparklines, oldest first.
    public var history: [SignalID: SignalHistory]
    public var health: CollectorHealth
    /// Process counts and the top processes by CPU, memory and I/O; nil until the table was read.
    public var processes: ProcessSummary?
    /// Active anomalies (and those that ended this tick), most severe first.
    public var anomalies: [Anomaly] = []
    /// Signals currently out of band or past a limit, by how bad; absent means normal.
    public var flagged: [SignalID: Severity] = [:]
    /// The trend of every signal that can run out, sorted by signal; empty where this process does not run the engine.
    public var forecasts: [Forecast] = []
    /// The engine's progress, when this process runs it.
    public var detector: DetectorHealth?
    /// Incidents, their details and timelines, and the store's state.
    public var incidents = IncidentBoard()
    /// The newest log lines from every source, oldest first; bounded by the monitor.
    public var logs: [LogRecord] = []
    /// Each log source and how it is being followed.
    public var logSources: [LogSourceHealth] = []
    /// The log templates learnt so far, the most frequent first; bounded by the monitor.
    public var templates: [TemplateSummary] = []
    /// The journal, the Prometheus textfile and Alertmanager, when in use, and how they fare.
    public var links: [LinkStatus] = []

    public init(
        sequence: UInt64, time: Double, interval: Double, host: HostFacts, cpu: CPUUsage?,
        memory: MemoryUsage?, readings: [Reading], history: [SignalID: SignalHistory],
        health: CollectorHealth, processes: ProcessSummary? = nil
    ) {
        self.sequence = sequence
        self.time = time
        self.interval = interval
        self.host = host
        self.cpu = cpu
        self.memory = memory
        self.readings = readings
        self.history = history
        self.health = health
        self.processes = processes
    }

    /// The forecast of one signal, if it has one.
    public func forecast(of id: SignalID) -> Forecast? {
        forecasts.first { $0.signal == id }
    }

    /// The value of one signal, if it was sampled; a binary search, as readings are sorted by id.
    public func value(of id: SignalID) -> Double? {
        var low = 0
        var high = readings.count
        while low < high {
            let middle = (low + high) / 2
            if readings[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < readings.count && readings[low].id == id ? readings[low].value : nil
    }
}
