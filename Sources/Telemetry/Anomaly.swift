/// A signal out of its usual band (or past a limit) for long enough to matter.
///
/// Opens after the signal stays out of band for a few samples and closes after it
/// stays back for a few; `end` is nil while it is active.
public struct Anomaly: Hashable, Sendable, Codable, Identifiable {
    /// Which way the signal broke its band.
    public enum Direction: String, Hashable, Sendable, Codable {
        case above
        case below
    }

    /// What found it.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The signal left the band its baseline learnt.
        case learnt
        /// The signal crossed a fixed limit (`[thresholds]`).
        case limit
        /// The signal's trend reaches its limit within the horizon.
        case forecast
        /// A log template never seen before.
        case newTemplate = "new_template"
        /// One log template far above its own rate.
        case burst
        /// More error-level log lines than usual.
        case logErrors = "log_errors"
        /// A message operators always want to see: OOM killer, segfault, I/O error, disk full.
        case criticalMessage = "critical_message"
    }

    /// Stable for the anomaly's life: the signal and its onset (and `/forecast` for a forecast, which
    /// may begin on the same tick as a learnt anomaly of the same signal).
    public var id: String { "\(signal.rawValue)@\(Int64((onset * 1000).rounded()))" + (kind == .forecast ? "/forecast" : "") }
    public var signal: SignalID
    public var kind: Kind
    /// Seconds since 1970.
    public var onset: Double
    /// Nil while active.
    public var end: Double?
    /// The latest value seen.
    public var value: Double
    /// The value furthest from the band during the anomaly.
    public var peak: Double
    /// The usual band the signal broke, when there is one.
    public var bandLow: Double?
    public var bandHigh: Double?
    public var direction: Direction
    public var severity: Severity
    /// Recorded, but silenced by the operator: shown, never alerted on.
    public var silenced: Bool
    /// One line in an operator's words: "io pressure 38% vs usual 0-2%".
    public var explanation: String

    public init(
        signal: SignalID, kind: Kind, onset: Double, end: Double? = nil, value: Double, peak: Double,
        bandLow: Double? = nil, bandHigh: Double? = nil, direction: Direction = .above,
        severity: Severity, silenced: Bool = false, explanation: String
    ) {
        self.signal = signal
        self.kind = kind
        self.onset = onset
        self.end = end
        self.value = value
        self.peak = peak
        self.bandLow = bandLow
        self.bandHigh = bandHigh
        self.direction = direction
        self.severity = severity
        self.silenced = silenced
        self.explanation = explanation
    }

    public var isActive: Bool { end == nil }

    /// Ended while its value was still outside the band it broke: the learnt baseline took
    /// the new level as normal (a static limit, if one applies, goes on flagging it).
    public var endedAtNewLevel: Bool {
        guard !isActive else { return false }
        return (bandHigh.map { value > $0 } ?? false) || (bandLow.map { value < $0 } ?? false)
    }
}
