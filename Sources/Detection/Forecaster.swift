import Telemetry

/// The trend of one signal that can run out, and the time until it reaches its limit.
///
/// **Method.** Samples are gathered into buckets of `samplesPerBucket` and each bucket is
/// reduced to its median, so a spike shorter than half a bucket never reaches the trend.
/// Over the last `windowBuckets` bucket medians the slope is Sen's estimator (the median
/// of the slopes between every pair of points, as in Theil–Sen regression): up to 29% of
/// the buckets can be wild without moving it, and it needs no assumption about the noise.
/// Its companion, the Mann–Kendall test (the share of pairs that rise against those that
/// fall, as a z score), says whether the trend is real; a forecast needs
/// `minimumBuckets` buckets of evidence and a z score of at least `significance`, so a
/// minute of noise never speaks.
///
/// A long window is robust but slow to see a change of slope, so on every bucket the slope
/// of the newest `minimumBuckets` is compared with the whole window's: when each lies
/// outside the other's confidence interval, the older buckets are dropped and the trend
/// restarts from the recent ones (a fill that stops, slows or speeds up is seen within a
/// few buckets). A bucket that falls far below the last (a log rotation freeing space)
/// restarts the trend at once, which withdraws the forecast.
///
/// The time to the limit is the distance from the trend's level now (the median of the
/// buckets projected to now along the slope) divided by the slope. Hysteresis: a forecast
/// opens after `openAfter` buckets in a row inside the horizon and closes after
/// `closeAfter` outside it (at once on a restart). Everything counts in samples, as the
/// learnt detectors do, so one set of defaults serves 1 s sampling (buckets of 10 s, two
/// minutes of evidence, a 15-minute window) and a faster or slower interval alike.
///
/// Pure and deterministic: values and times come in, estimates go out.
public struct Forecaster: Sendable, Codable, Equatable {
    /// How much evidence the trend needs and how far ahead it looks.
    public struct Configuration: Sendable, Codable, Equatable {
        /// Samples reduced to one median point.
        public var samplesPerBucket: Int
        /// Bucket medians the trend is fitted over, at most.
        public var windowBuckets: Int
        /// Bucket medians needed before the trend may speak, and the size of the recent
        /// segment tested for a change of slope.
        public var minimumBuckets: Int
        /// The Mann–Kendall z score a trend must reach (3: about 1 in 700 for pure noise).
        public var significance: Double
        /// Seconds: a limit reached within this is a warning (`[forecast] warn_within`).
        public var warnWithin: Double
        /// Seconds: a limit reached within this is critical (`[forecast] critical_within`).
        public var criticalWithin: Double
        /// Buckets in a row inside the horizon before a forecast opens, and outside it before it closes.
        public var openAfter: Int
        public var closeAfter: Int

        public init(
            samplesPerBucket: Int = 10, windowBuckets: Int = 90, minimumBuckets: Int = 12, significance: Double = 3,
            warnWithin: Double = 86_400, criticalWithin: Double = 3600, openAfter: Int = 2, closeAfter: Int = 3
        ) {
            self.samplesPerBucket = samplesPerBucket
            self.windowBuckets = windowBuckets
            self.minimumBuckets = minimumBuckets
            self.significance = significance
            self.warnWithin = warnWithin
            self.criticalWithin = criticalWithin
            self.openAfter = openAfter
            self.closeAfter = closeAfter
        }

        public static let standard = Configuration()
    }

    /// One bucket: the median of its values at the mean of its times.
    struct Point: Sendable, Codable, Equatable {
        var time: Double
        var value: Double
    }

    /// What the trend says after a bucket.
    public struct Estimate: Sendable, Equatable, Codable {
        /// Per second, toward the limit when positive.
        public var slope: Double?
        public var level: Double
        public var secondsToLimit: Double?
        public var status: Forecast.Status
        public var samples: Int
        public var span: Double
        /// Whether the forecast is open (inside the horizon, past the hysteresis).
        public var isOpen: Bool
    }

    public var configuration: Configuration
    /// The value the signal runs out at, and whether it runs out by rising (used space) or falling (free bytes).
    public var limit: Double
    public var rising: Bool
    /// Samples the first bucket goes short by, so forecasters started on one tick refit on different ticks.
    var phase: Int?
    var pending: [Point] = []
    var buckets: [Point] = []
    var inside = 0
    var outside = 0
    var open = false
    var lastEstimate: Estimate?

    /// - Parameter phase: how many samples short the first bucket is (0 up to `samplesPerBucket - 1`):
    ///   many forecasters started together then spread their refits over the ticks of a bucket.
    public init(limit: Double, rising: Bool, configuration: Configuration = .standard, phase: Int = 0) {
        self.limit = limit
        self.rising = rising
        self.configuration = configuration
        self.phase = phase
    }

    /// The latest estimate, updated once per bucket.
    public var estimate: Estimate? { lastEstimate }

    /// Takes one sample; returns a new estimate when it completes a bucket, else nil.
    public mutating func observe(_ value: Double, at time: Double) -> Estimate? {
        guard value.isFinite, time.isFinite else { return nil }
        // Internally everything rises toward the limit: falling signals are mirrored.
        pending.append(Point(time: time, value: rising ? value : -value))
        let first = buckets.isEmpty && lastEstimate == nil
        let size = first ? max(1, configuration.samplesPerBucket - (phase ?? 0)) : configuration.samplesPerBucket
        guard pending.count >= size else { return nil }
        let values = pending.map(\.value)
        let bucket = Point(time: pending.map(\.time).reduce(0, +) / Double(pending.count), value: Self.median(values))
        let newest = pending.last!.time
        pending.removeAll(keepingCapacity: true)
        let estimate = add(bucket, now: newest)
        lastEstimate = estimate
        return estimate
    }

    /// Forgets the trend (the limit changed, or the signal came back after a gap).
    public mutating func reset() {
        pending.removeAll()
        buckets.removeAll()
        inside = 0
        outside = 0
        open = false
        lastEstimate = nil
    }

    private mutating func add(_ bucket: Point, now: Double) -> Estimate {
        var restarted = false
        if isDrop(bucket) {
            buckets.removeAll()
            restarted = true
        }
        buckets.append(bucket)
        if buckets.count > configuration.windowBuckets { buckets.removeFirst(buckets.count - configuration.windowBuckets) }
        let minimum = max(3, configuration.minimumBuckets)
        var fit: (slope: Double, lower: Double, upper: Double, z: Double)? = nil
        if buckets.count >= minimum + minimum / 2 {
            let whole = Self.trend(buckets[...])
            let recent = Self.trend(buckets.suffix(minimum))
            if !(whole.lower...whole.upper).contains(recent.slope) && !(recent.lower...recent.upper).contains(whole.slope) {
                buckets.removeFirst(buckets.count - minimum)
                fit = recent
            } else {
                fit = whole
            }
        }
        let samples = buckets.count * configuration.samplesPerBucket
        let span = buckets.count > 1 ? buckets.last!.time - buckets.first!.time : 0
        let level = rising ? bucket.value : -bucket.value
        guard buckets.count >= minimum else {
            closeNow()
            return Estimate(slope: nil, level: level, secondsToLimit: nil, status: .learning, samples: samples, span: span, isOpen: false)
        }
        let trend = fit ?? Self.trend(buckets[...])
        let current = Self.median(buckets.map { $0.value + trend.slope * (now - $0.time) })
        let target = rising ? limit : -limit
        var status = Forecast.Status.steady
        var seconds: Double? = nil
        if trend.slope > 0, trend.z >= configuration.significance {
            let eta = max(0, (target - current) / trend.slope)
            seconds = eta
            status = eta <= configuration.criticalWithin ? .critical : eta <= configuration.warnWithin ? .warning : .growing
        }
        if status == .warning || status == .critical {
            inside += 1
            outside = 0
            if inside >= configuration.openAfter { open = true }
        } else {
            outside += 1
            inside = 0
            if restarted || outside >= configuration.closeAfter { open = false }
        }
        // While the hysteresis holds a forecast open, it keeps its last news-worthy status.
        if open, !(status == .warning || status == .critical) {
            status = lastEstimate?.status == .critical ? .critical : .warning
            seconds = seconds ?? lastEstimate?.secondsToLimit
        }
        if !open, status == .warning || status == .critical {
            // Inside the horizon but not yet for long enough: say so without alarming.
            status = .growing
        }
        return Estimate(
            slope: rising ? trend.slope : -trend.slope, level: rising ? current : -current, secondsToLimit: seconds,
            status: status, samples: samples, span: span, isOpen: open
        )
    }

    private mutating func closeNow() {
        inside = 0
        outside = 0
        open = false
    }

    /// Whether a bucket fell well below the last: the resource was freed (a rotation, a clean-up),
    /// beyond what the bucket-to-bucket noise explains.
    private func isDrop(_ bucket: Point) -> Bool {
        guard let previous = buckets.last else { return false }
        let step = bucket.value - previous.value
        // Two buckets tell nothing about the noise yet.
        guard step < 0, buckets.count >= 3 else { return false }
        let steps = zip(buckets.dropFirst(), buckets).map { $0.value - $1.value }
        let typical = Self.median(steps)
        let spread = 1.4826 * Self.median(steps.map { abs($0 - typical) })
        return step < typical - 6 * spread - abs(typical)
    }

    /// Sen's slope, its 99% confidence interval, and the Mann–Kendall z score, over points in time order.
    static func trend(_ points: ArraySlice<Point>) -> (slope: Double, lower: Double, upper: Double, z: Double) {
        let n = points.count
        guard n >= 2 else { return (0, 0, 0, 0) }
        var slopes: [Double] = []
        slopes.reserveCapacity(n * (n - 1) / 2)
        var s = 0
        let base = points.startIndex
        for i in 0..<(n - 1) {
            let a = points[base + i]
            for j in (i + 1)..<n {
                let b = points[base + j]
                let dv = b.value - a.value
                s += dv > 0 ? 1 : dv < 0 ? -1 : 0
                let dt = b.time - a.time
                if dt > 0 { slopes.append(dv / dt) }
            }
        }
        guard !slopes.isEmpty else { return (0, 0, 0, 0) }
        let variance = Double(n * (n - 1) * (2 * n + 5)) / 18
        let deviation = variance.squareRoot()
        let z = s == 0 ? 0 : (Double(s) - (s > 0 ? 1 : -1)) / deviation
        // Sen's interval: the slopes at ranks (N -+ z * sd(S)) / 2. Only three ranks are needed, so
        // they are selected in order (each search starts past the last) instead of sorting them all.
        let half = 2.576 * deviation / 2
        let count = Double(slopes.count)
        let last = slopes.count - 1
        let middle = slopes.count / 2
        let lowerRank = max(0, min(last, Int(((count - 1) / 2 - half).rounded(.down))))
        let upperRank = max(0, min(last, Int(((count - 1) / 2 + half).rounded(.up))))
        let lower = select(&slopes, rank: lowerRank, from: 0)
        let belowMiddle = slopes.count % 2 == 0 ? select(&slopes, rank: middle - 1, from: min(lowerRank, middle - 1)) : nil
        let atMiddle = select(&slopes, rank: middle, from: min(belowMiddle == nil ? lowerRank : middle, middle))
        let upper = select(&slopes, rank: upperRank, from: min(middle, upperRank))
        return (belowMiddle.map { ($0 + atMiddle) / 2 } ?? atMiddle, lower, upper, z)
    }

    /// The value of rank `rank` (0 is the smallest) once sorted, partitioning `values` in place as
    /// quickselect does; every index below `from` already holds a value no larger than the rest.
    static func select(_ values: inout [Double], rank: Int, from: Int) -> Double {
        var low = from
        var high = values.count - 1
        while low < high {
            // Median of three as the pivot keeps sorted and nearly sorted input (a steady fill) linear.
            let mid = low + (high - low) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low
            var j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                return values[rank]
            }
        }
        return values[rank]
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
