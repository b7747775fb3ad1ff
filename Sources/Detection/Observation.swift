/// What a metric detector concluded about one sample.
///
/// `score` is the single number offline scoring writes out: it is at least 0.5
/// exactly when `isAnomalous` is true, and grows towards 1 the further the
/// sample lies outside the band; below 0.5 it tells how close a normal sample
/// came to the band's edge.
public struct Observation: Sendable, Equatable {
    /// Which side of the band a signal broke.
    public enum Direction: String, Sendable, Codable {
        /// The signal rose above the band.
        case above
        /// The signal fell below the band.
        case below
    }

    /// A change of anomaly state, reported on the sample where it happens.
    public enum Transition: Sendable, Equatable {
        /// An anomaly began on this sample, breaking the band on the given side.
        case opened(Direction)
        /// The anomaly ended on this sample (the signal stayed in band long enough, or its new level was accepted).
        case closed
    }

    /// What opened an anomaly, for the operator's one-line explanation.
    public enum Cause: String, Sendable, Codable {
        /// The signal left its band: several samples out, or one far out.
        case outOfBand
        /// The signal's recent errors (distances from the level) grew far beyond their usual size, as when a
        /// quiet signal starts to jitter or spikes come more often, possibly while each sample is in band.
        case unusualErrors
    }

    /// How bad an anomaly is, from how far its peak lies outside the band.
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Out of band, but by less than the critical distance.
        case warning
        /// At least `Configuration.criticalDeviation` band half-widths away from the level.
        case critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .critical
        }
    }

    /// The sample's time, as given to the detector.
    public var time: Double
    /// The sample.
    public var value: Double
    /// Anomaly score in [0, 1]; >= 0.5 exactly when `isAnomalous`.
    public var score: Double
    /// Whether the signal is in an anomaly after this sample.
    public var isAnomalous: Bool
    /// The band the sample was compared against; nil while the detector is still warming up.
    public var band: ClosedRange<Double>?
    /// The baseline level the sample was compared against.
    public var level: Double
    /// Signed distance from the level in band half-widths: beyond ±1 is out of band.
    public var deviation: Double
    /// The side of the band the current anomaly broke; nil when normal.
    public var direction: Direction?
    /// The severity of the current anomaly so far, from its peak deviation; nil when normal.
    public var severity: Severity?
    /// Set on the sample where an anomaly opens or closes.
    public var transition: Transition?
    /// What opened the current anomaly; nil when normal.
    public var cause: Cause? = nil
}
