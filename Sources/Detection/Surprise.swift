/// How unusual the signal's recent errors are, compared with the errors it usually makes.
///
/// This is the anomaly-likelihood idea of Numenta's HTM detector in O(1) form. Each sample's error (its
/// distance from the baseline's prediction) is averaged over a short memory; the long-run mean and variance
/// of that short average are learnt over a long memory. A short average that sits `z` long-run standard
/// deviations above its usual mean has a Gaussian tail probability of about `Q(z)`; `z = 4.26` is the
/// 1-in-100 000 level HTM flags at.
///
/// Because it measures the errors and not the values, it sees what a band around the level cannot: a
/// quiet signal that starts to jitter, spikes that come more often, a pattern that stops repeating, each
/// while every single sample is still inside the band. Because the short average accumulates, one sample
/// far out counts as much evidence as several just out.
public struct Surprise: Sendable, Equatable {
    /// Samples learnt so far.
    public private(set) var count: Int = 0
    /// Short-memory average of the errors.
    public private(set) var recent: Double = 0
    /// Long-memory mean of `recent`.
    public private(set) var usual: Double = 0
    /// Long-memory variance of `recent`.
    public private(set) var variance: Double = 0

    /// Whether a new surprise may be reported: cleared when one is, set again once the errors calm down.
    public private(set) var armed = true

    /// Creates a surprise tracker that has seen nothing yet.
    public init() {}

    /// The long-run standard deviation of the short average.
    public var deviation: Double { variance.squareRoot() }

    /// Learns one error and returns how many long-run standard deviations the short average now lies above
    /// its usual value, together with that distance in the error's unit.
    ///
    /// The comparison is made against the long-run statistics before they learn the new short average.
    /// - Parameters:
    ///   - error: The sample's absolute distance from the prediction.
    ///   - shortRate: Weight of the newest error in the short average (1 / samples).
    ///   - longRate: Smallest weight of a short average in the long-run statistics (1 / samples).
    public mutating func learn(_ error: Double, shortRate: Double, longRate: Double) -> (z: Double, excess: Double) {
        count += 1
        if count == 1 {
            recent = error
            usual = error
            return (0, 0)
        }
        recent += shortRate * (error - recent)
        let excess = recent - usual
        let sd = variance.squareRoot()
        let z = sd > 0 ? excess / sd : (excess > 0 ? .infinity : 0)
        let rate = max(1 / Double(count), longRate)
        usual += rate * excess
        variance += rate * ((1 - rate) * excess * excess - variance)
        return (z, excess)
    }

    /// Reports a surprise on the rising edge only: `z` reaching `level` fires once and disarms, and `z`
    /// falling below `rearm` arms again, like a Schmitt trigger.
    /// - Parameters:
    ///   - z: The latest result of `learn`.
    ///   - level: The z that fires.
    ///   - rearm: The z below which the next surprise may fire.
    ///   - eligible: Whether the caller would act on a surprise now (warm, and large enough to matter); an
    ///     ineligible sample neither fires nor disarms.
    public mutating func fires(z: Double, level: Double, rearm: Double, eligible: Bool = true) -> Bool {
        if z < rearm { armed = true }
        guard armed, eligible, z >= level else { return false }
        armed = false
        return true
    }

    /// Accepts the current short average as usual, so that the same surprise is not reported twice.
    public mutating func habituate() {
        usual = max(usual, recent)
    }
}

extension Surprise: Codable {}
