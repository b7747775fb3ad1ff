/// How well the collector is reading the host, for the header.
public struct CollectorHealth: Hashable, Sendable, Codable {
    /// Sources that could not be read at all (for example `/proc/pressure`), each with why.
    public var unavailable: [String: String]
    /// Lines that did not parse and were skipped since the start.
    public var malformedLines: Int
    /// CPU seconds the last collection took, to show what watching costs.
    public var lastTickCost: Double

    public init(unavailable: [String: String] = [:], malformedLines: Int = 0, lastTickCost: Double = 0) {
        self.unavailable = unavailable
        self.malformedLines = malformedLines
        self.lastTickCost = lastTickCost
    }

    public var isHealthy: Bool { unavailable.isEmpty && malformedLines == 0 }
}

/// How far the detection engine has got: signals still warming up and those it judges, and
/// the log templates it knows. Filled by the process that runs the engine; nil on a follower.
public struct DetectorHealth: Hashable, Sendable, Codable {
    /// Signals with a learnt baseline that can flag.
    public var signalsReady: Int
    /// Signals still in their warm-up: judged against the fixed limits only.
    public var signalsWarmingUp: Int
    /// Log templates the miner keeps.
    public var logTemplates: Int

    public init(signalsReady: Int, signalsWarmingUp: Int, logTemplates: Int) {
        self.signalsReady = signalsReady
        self.signalsWarmingUp = signalsWarmingUp
        self.logTemplates = logTemplates
    }
}
