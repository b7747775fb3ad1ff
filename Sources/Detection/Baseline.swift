/// A signal's usual level and spread, learnt online and robust to outliers.
///
/// The level is an exponentially weighted mean whose updates are clipped
/// (a Huber-style M-estimate): a single wild sample moves it by at most
/// `rate × clip`, so spikes and the anomaly itself barely bend it, while a
/// slow drift passes through the clip untouched and is followed.
///
/// The spread is kept separately above and below the level, as the
/// exponentially weighted mean absolute deviation of the samples on that
/// side. Real metrics are skewed (request counts spike up, free memory falls
/// down), and a one-sided spread gives a band that is tight on the quiet side
/// and loose on the busy side. For normally distributed noise each one-sided
/// spread converges to about 0.8 σ.
///
/// Rates start at `1/count`, so the first samples form a plain average and
/// the estimate is usable after a short warm-up instead of after the full
/// memory length.
public struct Baseline: Sendable, Equatable {
    /// Samples learnt from so far.
    public private(set) var count: Int = 0
    /// The robust running level.
    public private(set) var level: Double = 0
    /// Mean distance of the samples above the level.
    public private(set) var upperSpread: Double = 0
    /// Mean distance of the samples below the level.
    public private(set) var lowerSpread: Double = 0

    /// Creates an empty baseline that has learnt nothing yet.
    public init() {}

    /// Learns one sample.
    ///
    /// - Parameters:
    ///   - value: The sample.
    ///   - levelRate: The smallest weight a sample gets in the level (1 / memory in samples).
    ///   - spreadRate: The smallest weight a sample gets in the spreads.
    ///   - upperClip: The largest upward deviation a sample may contribute.
    ///   - lowerClip: The largest downward deviation a sample may contribute (positive).
    public mutating func learn(
        _ value: Double, levelRate: Double, spreadRate: Double, upperClip: Double, lowerClip: Double
    ) {
        count += 1
        if count == 1 {
            level = value
            return
        }
        let n = Double(count)
        let a = max(1 / n, levelRate)
        let b = max(1 / (n - 1), spreadRate)
        let deviation = value - level
        if deviation > 0 {
            let d = min(deviation, upperClip)
            level += a * d
            upperSpread += b * (d - upperSpread)
        } else {
            let d = min(-deviation, lowerClip)
            level -= a * d
            lowerSpread += b * (d - lowerSpread)
        }
    }

    /// Widens the spread on one side to at least `spread`.
    public mutating func widen(_ side: Observation.Direction, toSpread spread: Double) {
        switch side {
        case .above: upperSpread = max(upperSpread, spread)
        case .below: lowerSpread = max(lowerSpread, spread)
        }
    }

    /// Sets both spreads to `spread`, when the signal is about to be measured against a different model.
    public mutating func rescale(spread: Double) {
        upperSpread = spread
        lowerSpread = spread
    }

    /// Accepts a new regime: moves the level to `level` and widens the spreads to at least the given ones.
    ///
    /// A persistent shift (a deploy, a new tenant, a saturated resource) is the new normal after a
    /// while; re-learning it stops a single change from being flagged for hours.
    public mutating func relearn(level newLevel: Double, upperSpread up: Double, lowerSpread down: Double) {
        level = newLevel
        upperSpread = max(upperSpread, up)
        lowerSpread = max(lowerSpread, down)
    }
}

extension Baseline: Codable {}
