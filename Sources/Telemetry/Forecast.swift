/// Where a signal that can run out is heading: its trend, and how long until it reaches its limit.
///
/// Published with every snapshot for each signal the engine forecasts (filesystem space
/// and inodes, memory available, swap, file handles, and the limits set in `[forecast]`),
/// whether or not it is news; `status` says which it is.
public struct Forecast: Hashable, Sendable, Codable {
    /// What the trend says now.
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Not enough evidence yet: too few samples since the start or since the trend last changed.
        case learning
        /// No significant movement toward the limit: flat, noisy, or moving away.
        case steady
        /// Moving toward the limit, but it is further away than the horizon.
        case growing
        /// The limit is within the warning horizon (default 24 h).
        case warning
        /// The limit is within the critical horizon (default 1 h).
        case critical
    }

    public var signal: SignalID
    /// The value the signal runs out at: 0 bytes free, 100% of inodes, the file-handle maximum.
    public var limit: Double
    /// The trend's level now, in the signal's unit (robust: a spike does not move it).
    public var level: Double
    /// Change per second in the signal's unit, signed as the signal moves; nil while learning.
    public var ratePerSecond: Double?
    /// Seconds until the limit at this rate; nil unless moving toward it.
    public var secondsToLimit: Double?
    public var status: Status
    /// Samples behind the current trend, and the seconds they span.
    public var samples: Int
    public var span: Double
    /// What runs out, in a phrase: "/var full", "memory exhausted", "/ out of inodes".
    public var subject: String
    /// The word for reaching the limit: "full", "out of inodes", "exhausted".
    public var outcome: String
    public var unit: SignalUnit

    public init(
        signal: SignalID, limit: Double, level: Double, ratePerSecond: Double?, secondsToLimit: Double?, status: Status,
        samples: Int, span: Double, subject: String, outcome: String, unit: SignalUnit
    ) {
        self.signal = signal
        self.limit = limit
        self.level = level
        self.ratePerSecond = ratePerSecond
        self.secondsToLimit = secondsToLimit
        self.status = status
        self.samples = samples
        self.span = span
        self.subject = subject
        self.outcome = outcome
        self.unit = unit
    }

    /// Whether the limit is inside the horizon, so the operator is told.
    public var isNews: Bool { status == .warning || status == .critical }

    /// For a panel next to the value: "full in 3h20m"; nil unless the limit is inside the horizon.
    public var shortText: String? {
        guard isNews, let seconds = secondsToLimit else { return nil }
        return seconds <= 0 ? "\(outcome) now" : "\(outcome) in \(DurationText.format(seconds))"
    }
}
