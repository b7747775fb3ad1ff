extension MetricDetector {
    /// The knobs of a metric detector. Every length is counted in samples, never in seconds, so the same
    /// defaults serve a live signal sampled every second and an offline series sampled every five minutes.
    public struct Configuration: Sendable, Equatable {
        /// Samples learnt before the detector may flag anything.
        public var warmUp: Int
        /// Memory of the level, in samples: the level follows drifts slower than this.
        public var levelMemory: Double
        /// Memory of the spreads, in samples.
        public var spreadMemory: Double
        /// Band half-width in one-sided spreads (a spread is about 0.8 σ for normal noise).
        public var bandWidth: Double
        /// How far a sample may pull the baseline, in band half-widths; beyond that it counts as clipped.
        public var learnClip: Double
        /// Absolute floor on the band half-width, in the signal's unit (e.g. 5 for CPU busy %).
        public var minimumSpread: Double
        /// Floor on the band half-width relative to the level's magnitude, so a flat-lining signal does not
        /// flag tiny wobbles.
        public var relativeSpread: Double
        /// Floor on the band half-width in steps of the signal's resolution (the smallest change seen).
        public var minimumSteps: Double
        /// Consecutive out-of-band samples on one side that open an anomaly.
        public var openAfter: Int
        /// A sample this many band half-widths from the level opens an anomaly at once; nil waits for `openAfter`.
        public var openImmediately: Double?
        /// A lone sample must also lie this many `minimumSpread`s from the level to open an anomaly at once.
        public var immediateSpreads: Double
        /// Consecutive in-band samples that close an anomaly.
        public var closeAfter: Int
        /// A sample this close to the level (in band half-widths) closes an anomaly at once.
        public var closeDeviation: Double
        /// Net out-of-band samples (each in-band sample takes one back) after which the recent samples are
        /// accepted as the new normal and the baseline re-learns from them.
        public var relearnAfter: Int
        /// After a re-learn, the band's half-width covers at least this fraction of the jump.
        public var relearnWidening: Double
        /// When an anomaly closes, the band on its side widens to cover this fraction of its peak distance.
        public var habituation: Double
        /// Slots per day in the daily profile; 0 leaves the profile out.
        public var dailySlots: Int
        /// Days after which an old day's weight in the profile has faded to 1/e.
        public var dailyMemory: Double
        /// Days of data before the profile may be used.
        public var dailyWarmUp: Double
        /// The profile is used while it leaves less than this fraction of the level-only residual.
        public var dailyGain: Double
        /// Memory of the short average of errors, in samples.
        public var surpriseMemory: Double
        /// Memory of the usual level and variance of that short average, in samples.
        public var historyMemory: Double
        /// Standard deviations above its usual value at which the short average of errors opens an anomaly;
        /// nil leaves this test out. 3.5 is a one-sided Gaussian tail of about 2e-4 (Numenta's HTM detector
        /// flags at 1e-5, z = 4.26; the floors and the rising-edge rule here keep noise out instead).
        public var surpriseLevel: Double?
        /// After a surprise, the standard deviations below which the short average of errors must fall before
        /// another surprise can be reported.
        public var surpriseRearm: Double
        /// Samples before the surprise test may open anything.
        public var surpriseWarmUp: Int
        /// The short average must also exceed its usual value by `minimumSpread` (the operator's idea of what
        /// size of change matters applies to the errors too) and by this fraction of the band's floor.
        public var surpriseFloor: Double
        /// Peak deviation, in band half-widths, from which an anomaly is critical rather than a warning.
        public var criticalDeviation: Double

        /// Creates a configuration; every parameter defaults to the standard value.
        public init(
            warmUp: Int = 30,
            levelMemory: Double = 200,
            spreadMemory: Double = 1000,
            bandWidth: Double = 6,
            learnClip: Double = 0.5,
            minimumSpread: Double = 0,
            relativeSpread: Double = 0.005,
            minimumSteps: Double = 2,
            openAfter: Int = 3,
            openImmediately: Double? = 1.5,
            immediateSpreads: Double = 4,
            closeAfter: Int = 2,
            closeDeviation: Double = 0.9,
            relearnAfter: Int = 6,
            relearnWidening: Double = 1.2,
            habituation: Double = 1,
            dailySlots: Int = 288,
            dailyMemory: Double = 3,
            dailyWarmUp: Double = 2,
            dailyGain: Double = 0.7,
            surpriseMemory: Double = 10,
            historyMemory: Double = 1000,
            surpriseLevel: Double? = 3.5,
            surpriseRearm: Double = 1,
            surpriseWarmUp: Int = 100,
            surpriseFloor: Double = 0.5,
            criticalDeviation: Double = 2
        ) {
            self.surpriseMemory = surpriseMemory
            self.historyMemory = historyMemory
            self.surpriseLevel = surpriseLevel
            self.surpriseRearm = surpriseRearm
            self.surpriseWarmUp = surpriseWarmUp
            self.surpriseFloor = surpriseFloor
            self.warmUp = warmUp
            self.levelMemory = levelMemory
            self.spreadMemory = spreadMemory
            self.bandWidth = bandWidth
            self.learnClip = learnClip
            self.minimumSpread = minimumSpread
            self.relativeSpread = relativeSpread
            self.minimumSteps = minimumSteps
            self.openAfter = openAfter
            self.openImmediately = openImmediately
            self.immediateSpreads = immediateSpreads
            self.closeAfter = closeAfter
            self.closeDeviation = closeDeviation
            self.relearnAfter = relearnAfter
            self.relearnWidening = relearnWidening
            self.habituation = habituation
            self.dailySlots = dailySlots
            self.dailyMemory = dailyMemory
            self.dailyWarmUp = dailyWarmUp
            self.dailyGain = dailyGain
            self.criticalDeviation = criticalDeviation
        }

        /// The defaults used for every live signal and by `vigil score`.
        public static let standard = Configuration()
    }
}

extension MetricDetector.Configuration: Codable {}
