/// Flags one metric signal as normal or anomalous, sample by sample, against a learnt baseline.
///
/// Each sample is compared with a band around the robust level: `bandWidth` one-sided spreads wide,
/// and never narrower than the absolute and relative floors. An anomaly opens after `openAfter`
/// consecutive samples out of band on one side and closes after `closeAfter` consecutive samples back
/// in band, so a signal hovering at the band's edge does not flap.
///
/// The baseline keeps learning while the signal is out of band, but each sample's pull is clipped, so an
/// anomaly cannot drag the band after itself. A change that persists is a new normal, though: once the
/// out-of-band samples outnumber the in-band ones by `relearnAfter`, the detector re-learns the level and
/// spread from the samples since the change began and closes the anomaly. Offline, that keeps one level
/// shift from being flagged for the rest of a series; live, static limits are the tool for "still
/// saturated".
///
/// A band around the level cannot see a change in how a signal behaves while it stays inside the band: a
/// quiet signal that starts to jitter, spikes that come more often, a rhythm that breaks. A second test
/// watches the errors themselves (`Surprise`, the anomaly-likelihood idea of Numenta's HTM detector): when
/// the short average of the distances from the level rises `surpriseLevel` standard deviations above its
/// long-run usual value, and by more than the band's floor, an anomaly opens even though the sample may be
/// in band. That is an evidence rule (one far-out sample counts as much as several just-out ones, because
/// both raise the average); it fires on the rising edge only and then takes the new error level as usual,
/// so the anomaly closes on the next calm sample and cannot flap.
///
/// The detector is a value: it holds no clock and does no I/O, time arrives with each sample, and its whole
/// state is `Codable`, so a restart resumes from the stored baseline instead of warming up again.
public struct MetricDetector: Sendable, Equatable {
    /// The knobs this detector runs with.
    public var configuration: Configuration
    /// The learnt level and spreads.
    public private(set) var baseline = Baseline()
    /// The side of the current anomaly; nil while normal.
    public private(set) var anomaly: Observation.Direction?
    /// What opened the current anomaly.
    public private(set) var cause: Observation.Cause?
    /// The largest absolute deviation seen in the current anomaly.
    public private(set) var peakDeviation: Double = 0
    /// The largest distance from the level seen in the current anomaly, in the signal's unit.
    private var peakDistance: Double = 0

    /// The signal's shape over the day; nil when the configuration has no daily slots.
    public private(set) var profile: DailyProfile?
    /// Whether the daily profile is subtracted before comparing with the baseline.
    public private(set) var usesProfile = false
    /// Mean distance of samples from the level alone, and from the level plus the daily profile.
    private var plainResidual: Double = 0
    private var dailyResidual: Double = 0

    /// The smallest non-zero step seen between consecutive samples: the signal's resolution.
    public private(set) var quantum: Double = 0
    private var lastValue: Double?

    /// How unusual the recent errors are.
    public private(set) var surprise = Surprise()

    /// Consecutive out-of-band samples, all on `outsideSide`.
    private var outsideRun = 0
    private var outsideSide: Observation.Direction = .above
    /// Consecutive in-band samples.
    private var insideRun = 0
    /// The evidence for a new regime: +1 per out-of-band sample, -1 per in-band one, never below 0.
    private var shiftEvidence = 0
    /// Running mean and sum of squared deviations (Welford) of the samples since the evidence last was 0.
    private var shiftCount = 0
    private var shiftMean: Double = 0
    private var shiftSquares: Double = 0

    /// Creates a detector that has learnt nothing yet.
    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
        profile = configuration.dailySlots > 0 ? DailyProfile(slots: configuration.dailySlots) : nil
    }

    /// Whether the detector has learnt enough to flag.
    public var isWarm: Bool { baseline.count >= configuration.warmUp }

    /// The band a sample is compared against right now; nil while warming up.
    public var band: ClosedRange<Double>? {
        guard isWarm else { return nil }
        let (low, high) = halfWidths()
        return (baseline.level - low)...(baseline.level + high)
    }

    /// Learns one sample and reports whether the signal is anomalous.
    ///
    /// A non-finite value (a gap) is not learnt; the state stays as it was.
    /// - Parameters:
    ///   - value: The sample, in the signal's unit.
    ///   - time: When it was taken (seconds, any epoch); only carried into the observation.
    public mutating func observe(_ value: Double, at time: Double) -> Observation {
        let config = configuration
        guard value.isFinite else { return gap(value, at: time) }
        if let lastValue, value != lastValue {
            let step = abs(value - lastValue)
            quantum = quantum == 0 ? step : min(quantum, step)
        }
        lastValue = value
        profile?.tick(time)
        let offset = usesProfile ? (profile?.offset(at: time) ?? 0) : 0
        // Everything below compares the deseasonalised sample with the baseline.
        let adjusted = value - offset
        guard isWarm else {
            baseline.learn(
                adjusted, levelRate: 1 / config.levelMemory, spreadRate: 1 / config.spreadMemory,
                upperClip: .infinity, lowerClip: .infinity)
            learnProfile(value, at: time, clip: .infinity)
            return Observation(
                time: time, value: value, score: 0, isAnomalous: false, band: nil,
                level: baseline.level + offset, deviation: 0, direction: nil, severity: nil, transition: nil)
        }

        let level = baseline.level
        let (lowWidth, highWidth) = halfWidths()
        let band = (level + offset - lowWidth)...(level + offset + highWidth)
        let deviation = Self.deviation(adjusted - level, low: lowWidth, high: highWidth)
        let outside = abs(deviation) > 1
        let (surpriseZ, surpriseExcess) = surprise.learn(
            abs(adjusted - level), shortRate: 1 / config.surpriseMemory, longRate: 1 / config.historyMemory)
        var surprised = false
        if let surpriseLevel = config.surpriseLevel {
            let eligible = surprise.count > config.surpriseWarmUp
                && surpriseExcess >= max(config.minimumSpread, config.surpriseFloor * bandFloor())
            surprised = surprise.fires(
                z: surpriseZ, level: surpriseLevel, rearm: config.surpriseRearm, eligible: eligible)
        }
        let side: Observation.Direction = deviation > 0 ? .above : .below

        if outside {
            outsideRun = (outsideRun > 0 && outsideSide == side) ? outsideRun + 1 : 1
            outsideSide = side
            insideRun = 0
        } else {
            outsideRun = 0
            insideRun += 1
        }

        var transition: Observation.Transition?
        if anomaly == nil {
            // A lone sample opens an anomaly only when it is far out statistically and also several minimum
            // spreads away: the operator's floor says what size of change matters at all.
            let strong = config.openImmediately.map {
                abs(deviation) >= $0 && abs(adjusted - level) >= config.immediateSpreads * config.minimumSpread
            } ?? false
            if surprised {
                surprise.habituate()
            }
            if (outside && (outsideRun >= config.openAfter || strong)) || surprised {
                anomaly = side
                cause = outside && (outsideRun >= config.openAfter || strong) ? .outOfBand : .unusualErrors
                peakDeviation = abs(deviation)
                peakDistance = abs(adjusted - level)
                transition = .opened(side)
            }
        } else {
            peakDeviation = max(peakDeviation, abs(deviation))
            if (adjusted > level) == (anomaly == .above) {
                peakDistance = max(peakDistance, abs(adjusted - level))
            }
            // Two thresholds, like a Schmitt trigger: back in band for `closeAfter` samples, or back close to
            // the level at once. Either way a signal hovering at the band's edge cannot flap.
            if insideRun >= config.closeAfter || abs(deviation) <= config.closeDeviation {
                transition = .closed
                // Habituate: an excursion just seen is less news the next time, so the band on its side
                // widens to cover part of it and narrows again as the spread forgets.
                baseline.widen(
                    anomaly == .above ? .above : .below,
                    toSpread: config.habituation * peakDistance / config.bandWidth)
            }
        }

        let relearnt = trackShift(adjusted, outside: outside)
        if relearnt, anomaly != nil, transition == nil {
            transition = .closed
        } else if !relearnt {
            baseline.learn(
                adjusted, levelRate: 1 / config.levelMemory, spreadRate: 1 / config.spreadMemory,
                upperClip: config.learnClip * highWidth, lowerClip: config.learnClip * lowWidth)
        }
        learnProfile(value, at: time, clip: config.learnClip * max(lowWidth, highWidth))

        let direction = anomaly
        let severity: Observation.Severity? = anomaly.map { _ in
            peakDeviation >= config.criticalDeviation ? .critical : .warning
        }
        let flagged = anomaly != nil
        let openedBy = cause
        if transition == .closed {
            anomaly = nil
            cause = nil
            peakDeviation = 0
            peakDistance = 0
        }
        let isAnomalous = flagged && transition != .closed
        return Observation(
            time: time, value: value, score: Self.score(deviation: deviation, anomalous: isAnomalous),
            isAnomalous: isAnomalous, band: band, level: level + offset, deviation: deviation,
            direction: isAnomalous ? direction : nil, severity: isAnomalous ? severity : nil,
            transition: transition, cause: isAnomalous ? openedBy : nil)
    }

    /// Teaches the daily profile where the sample sat relative to the level, and decides whether the
    /// profile explains the signal well enough to be used.
    private mutating func learnProfile(_ value: Double, at time: Double, clip: Double) {
        guard var profile else { return }
        let config = configuration
        let level = baseline.level
        let offset = profile.offset(at: time)
        let days = profile.days(at: time)
        if days >= 1 {
            // Once every slot has seen a day, compare how far the samples stray from the level alone and from
            // the level plus the profile; the profile is used only while it clearly does better.
            let rate = 1 / config.spreadMemory
            plainResidual += rate * (abs(value - level) - plainResidual)
            dailyResidual += rate * (abs(value - level - offset) - dailyResidual)
            let better = dailyResidual < config.dailyGain * plainResidual
            if !usesProfile, better, days >= config.dailyWarmUp {
                usesProfile = true
                baseline.rescale(spread: dailyResidual)
            } else if usesProfile, dailyResidual > (config.dailyGain + 0.1) * plainResidual {
                usesProfile = false
                baseline.rescale(spread: plainResidual)
            }
        }
        let residual = min(max(value - level - offset, -clip), clip)
        profile.learn(offset + residual, at: time, memoryDays: config.dailyMemory)
        self.profile = profile
    }

    /// Band half-widths below and above the level, after the floors.
    private func halfWidths() -> (low: Double, high: Double) {
        // A band narrower than the signal's own resolution would flag every tick of a counter that is
        // mostly 0; the floors keep it at least a couple of steps wide.
        let floor = bandFloor()
        return (
            max(configuration.bandWidth * baseline.lowerSpread, floor),
            max(configuration.bandWidth * baseline.upperSpread, floor)
        )
    }

    /// The narrowest band half-width allowed: the operator's minimum, a fraction of the level, two steps.
    private func bandFloor() -> Double {
        max(
            configuration.minimumSpread, configuration.relativeSpread * abs(baseline.level),
            configuration.minimumSteps * quantum)
    }

    /// Counts the evidence for a new regime and re-learns the baseline once there is enough.
    /// - Returns: Whether the baseline was re-learnt from the recent samples.
    private mutating func trackShift(_ value: Double, outside: Bool) -> Bool {
        if outside {
            shiftEvidence += 1
        } else if shiftEvidence > 0 {
            shiftEvidence -= 1
        }
        guard shiftEvidence > 0 else {
            shiftCount = 0
            shiftMean = 0
            shiftSquares = 0
            return false
        }
        shiftCount += 1
        let delta = value - shiftMean
        shiftMean += delta / Double(shiftCount)
        shiftSquares += delta * (value - shiftMean)
        guard shiftEvidence >= configuration.relearnAfter else { return false }
        // Mean absolute deviation of normal noise is about 0.8 σ: keep the spreads in that scale.
        // Widen the band to cover the level just left behind as well: a signal that has jumped once can jump
        // back (batch jobs, failovers, day and night), and the return should not count as a new anomaly.
        let jump = abs(shiftMean - baseline.level) * configuration.relearnWidening / configuration.bandWidth
        let spread = max(0.8 * (shiftSquares / Double(shiftCount)).squareRoot(), jump)
        baseline.relearn(level: shiftMean, upperSpread: spread, lowerSpread: spread)
        shiftEvidence = 0
        shiftCount = 0
        shiftMean = 0
        shiftSquares = 0
        outsideRun = 0
        insideRun = 0
        return true
    }

    /// The observation for a missing sample: nothing learnt, the state carried over.
    private func gap(_ value: Double, at time: Double) -> Observation {
        let anomalous = anomaly != nil
        return Observation(
            time: time, value: value, score: anomalous ? 0.5 : 0, isAnomalous: anomalous, band: band,
            level: baseline.level, deviation: 0, direction: anomaly,
            severity: anomalous ? (peakDeviation >= configuration.criticalDeviation ? .critical : .warning) : nil,
            transition: nil, cause: cause)
    }

    /// Signed distance from the level in band half-widths.
    static func deviation(_ difference: Double, low: Double, high: Double) -> Double {
        let width = difference > 0 ? high : low
        if width > 0 { return difference / width }
        return difference == 0 ? 0 : (difference > 0 ? .infinity : -.infinity)
    }

    /// Maps a deviation onto [0, 1] so that the score is >= 0.5 exactly when the signal is flagged.
    static func score(deviation: Double, anomalous: Bool) -> Double {
        let distance = abs(deviation)
        if anomalous {
            return distance <= 1 ? 0.5 : 1 - 0.5 / distance
        }
        return 0.49 * min(distance, 1)
    }
}

extension MetricDetector: Codable {}
