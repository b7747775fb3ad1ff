import Telemetry

/// The engine: one learnt baseline per signal plus the static limits, turned into
/// anomalies with onset, peak, band, severity and a sentence an operator reads.
///
/// Pure and deterministic: readings and the time come in, anomalies go out. The
/// same `MetricDetector` with the same defaults scores offline series in `vigil score`.
public struct DetectionEngine: Sendable {
    /// What the engine is tuned with: the detector defaults and the static limits.
    public struct Configuration: Sendable, Equatable {
        public var detector: MetricDetector.Configuration
        public var limits: [StaticLimit]
        /// The trends of signals that can run out (`[forecast]`).
        public var forecast: Forecasting.Configuration

        public init(detector: MetricDetector.Configuration = .standard, limits: [StaticLimit] = StaticLimit.defaults, forecast: Forecasting.Configuration = .standard) {
            self.detector = detector
            self.limits = limits
            self.forecast = forecast
        }

        public static let standard = Configuration()
    }

    /// A silence as the engine needs it: which ids, until when.
    public struct SilenceRule: Sendable, Equatable {
        public var pattern: String
        public var until: Double
        public init(pattern: String, until: Double) {
            self.pattern = pattern
            self.until = until
        }
    }

    /// How a signal looks right now, for colouring the screen.
    public enum SignalState: String, Sendable, Codable, Comparable {
        case normal
        case warning
        case critical

        public static func < (lhs: SignalState, rhs: SignalState) -> Bool {
            let order: [SignalState] = [.normal, .warning, .critical]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// What one step found.
    public struct Step: Sendable {
        /// Active anomalies, and those that ended on this step (with `end` set), most severe first.
        public var anomalies: [Anomaly]
        /// Every judged signal's state.
        public var states: [SignalID: SignalState]
        /// The trend of every signal that can run out.
        public var forecasts: [Forecast] = []
    }

    /// A limit being tracked for one signal.
    struct LimitTrack: Sendable, Codable, Equatable {
        var over = 0
        var clear = 0
        var anomaly: Anomaly?
    }

    public var configuration: Configuration {
        didSet { forecasting.configuration = configuration.forecast }
    }
    public private(set) var forecasting: Forecasting
    var detectors: [SignalID: MetricDetector] = [:]
    var learnt: [SignalID: Anomaly] = [:]
    var limits: [String: LimitTrack] = [:]
    /// Each signal's policy and matching limits, worked out once: glob matching every
    /// signal against every pattern each tick would cost more than the detectors.
    var policies: [SignalID: (policy: SignalPolicy, limits: [Int])] = [:]

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
        forecasting = Forecasting(configuration: configuration.forecast)
    }

    /// Number of signals with a learnt baseline.
    public var signalCount: Int { detectors.count }

    /// Number of those past their warm-up, able to flag.
    public var readyCount: Int { detectors.values.reduce(0) { $0 + ($1.isWarm ? 1 : 0) } }

    /// Judges one tick's readings.
    public mutating func step(_ readings: [Reading], silences: [SilenceRule] = [], at time: Double) -> Step {
        var anomalies: [Anomaly] = []
        var states: [SignalID: SignalState] = [:]
        states.reserveCapacity(readings.count)
        let activeSilences = silences.filter { $0.until > time }
        func silenced(_ id: SignalID) -> Bool {
            activeSilences.contains { Glob.matches($0.pattern, id.rawValue) }
        }
        for reading in readings where reading.value.isFinite {
            let known = policies[reading.id] ?? {
                let entry = (SignalPolicy.of(reading), configuration.limits.indices.filter { Glob.matches(configuration.limits[$0].pattern, reading.id.rawValue) })
                policies[reading.id] = entry
                return entry
            }()
            let policy = known.policy
            if policy.learnt {
                if detectors[reading.id] == nil {
                    var configuration = configuration.detector
                    configuration.minimumSpread = policy.minimumSpread
                    detectors[reading.id] = MetricDetector(configuration: configuration)
                }
                // Observed in place: copying a detector out and back per tick costs more than observing.
                let observation = detectors[reading.id]!.observe(reading.value, at: time)
                if let anomaly = learntAnomaly(reading, observation, policy: policy, silenced: !activeSilences.isEmpty && silenced(reading.id), at: time) {
                    anomalies.append(anomaly)
                    if anomaly.isActive { states[reading.id] = max(states[reading.id] ?? .normal, anomaly.severity == .critical ? .critical : .warning) }
                }
                states[reading.id] = states[reading.id] ?? .normal
            }
            for index in known.limits {
                let limit = configuration.limits[index]
                if let anomaly = limitAnomaly(limit, reading, silenced: !activeSilences.isEmpty && silenced(reading.id), at: time) {
                    anomalies.append(anomaly)
                    if anomaly.isActive { states[reading.id] = max(states[reading.id] ?? .normal, anomaly.severity == .critical ? .critical : .warning) }
                }
                states[reading.id] = states[reading.id] ?? .normal
            }
        }
        let forecast = forecasting.step(readings, silenced: { !activeSilences.isEmpty && silenced($0) }, at: time)
        for anomaly in forecast.anomalies {
            anomalies.append(anomaly)
            if anomaly.isActive { states[anomaly.signal] = max(states[anomaly.signal] ?? .normal, anomaly.severity == .critical ? .critical : .warning) }
        }
        anomalies.sort { ($0.isActive ? 0 : 1, $1.severity, $0.onset) < ($1.isActive ? 0 : 1, $0.severity, $1.onset) }
        return Step(anomalies: anomalies, states: states, forecasts: forecast.forecasts)
    }

    /// Feeds recorded readings to the forecasts only (priming them from history); nothing is reported.
    public mutating func primeForecasts(_ readings: [Reading], at time: Double) {
        _ = forecasting.step(readings, silenced: { _ in false }, complete: false, at: time)
    }

    /// Tracks the learnt anomaly of a signal: opens, grows its peak, closes. Departures the
    /// policy does not care about (a CPU getting idle) are not reported.
    private mutating func learntAnomaly(_ reading: Reading, _ observation: Observation, policy: SignalPolicy, silenced: Bool, at time: Double) -> Anomaly? {
        let relevant: Bool
        switch (policy.polarity, observation.direction) {
        case (.both, _): relevant = true
        case (.high, .above?), (.low, .below?): relevant = true
        default: relevant = false
        }
        if observation.isAnomalous && relevant {
            var anomaly = learnt[reading.id] ?? Anomaly(
                signal: reading.id, kind: .learnt, onset: time, value: reading.value, peak: reading.value,
                bandLow: observation.band?.lowerBound, bandHigh: observation.band?.upperBound,
                direction: observation.direction == .below ? .below : .above, severity: .warning, explanation: ""
            )
            anomaly.value = reading.value
            anomaly.peak = anomaly.direction == .above ? max(anomaly.peak, reading.value) : min(anomaly.peak, reading.value)
            anomaly.severity = observation.severity == .critical ? .critical : max(anomaly.severity, .warning)
            anomaly.silenced = silenced
            anomaly.explanation = Self.explain(reading, band: (anomaly.bandLow, anomaly.bandHigh), direction: anomaly.direction)
            learnt[reading.id] = anomaly
            return anomaly
        }
        guard var ended = learnt.removeValue(forKey: reading.id) else { return nil }
        ended.end = time
        ended.value = reading.value
        return ended
    }

    private mutating func limitAnomaly(_ limit: StaticLimit, _ reading: Reading, silenced: Bool, at time: Double) -> Anomaly? {
        let key = "\(limit.name) \(reading.id.rawValue)"
        var track = limits[key] ?? LimitTrack()
        defer { limits[key] = track }
        if let severity = limit.severity(of: reading.value) {
            track.over += 1
            track.clear = 0
            if var anomaly = track.anomaly {
                anomaly.value = reading.value
                anomaly.peak = limit.above ? max(anomaly.peak, reading.value) : min(anomaly.peak, reading.value)
                anomaly.severity = max(anomaly.severity, severity)
                anomaly.silenced = silenced
                anomaly.explanation = Self.explainLimit(limit, reading)
                track.anomaly = anomaly
                return anomaly
            }
            guard track.over >= limit.openAfter else { return nil }
            let anomaly = Anomaly(
                signal: reading.id, kind: .limit, onset: time, value: reading.value, peak: reading.value,
                bandLow: limit.above ? nil : limit.warning ?? limit.critical, bandHigh: limit.above ? limit.warning ?? limit.critical : nil,
                direction: limit.above ? .above : .below, severity: severity, silenced: silenced,
                explanation: Self.explainLimit(limit, reading)
            )
            track.anomaly = anomaly
            return anomaly
        }
        track.over = 0
        guard var anomaly = track.anomaly else { return nil }
        track.clear += 1
        guard track.clear >= limit.closeAfter else {
            anomaly.value = reading.value
            track.anomaly = anomaly
            return anomaly
        }
        track.anomaly = nil
        anomaly.end = time
        anomaly.value = reading.value
        return anomaly
    }

    /// "io pressure 38% vs usual 0-2%".
    static func explain(_ reading: Reading, band: (Double?, Double?), direction: Anomaly.Direction) -> String {
        let label = SignalPolicy.label(reading.id)
        let value = SignalPolicy.format(reading.value, reading.unit)
        guard let low = band.0, let high = band.1 else { return "\(label) \(value), unusually \(direction == .above ? "high" : "low")" }
        // Kernel counters and sizes are never negative; a band reaching below 0 reads as 0.
        let floor = max(0, low)
        return "\(label) \(value) vs usual \(SignalPolicy.format(floor, reading.unit))-\(SignalPolicy.format(high, reading.unit))"
    }

    /// "CPU busy 97% over the 90% limit".
    static func explainLimit(_ limit: StaticLimit, _ reading: Reading) -> String {
        let bound = (limit.severity(of: reading.value) == .critical ? limit.critical : limit.warning) ?? limit.critical ?? 0
        let value = SignalPolicy.format(reading.value, reading.unit)
        if limit.name == "oom_kills" { return "the kernel's OOM killer ended a process" }
        let subject = reading.id.rawValue.hasPrefix("fs.") || reading.id.rawValue.hasPrefix("disk.") ? SignalPolicy.label(reading.id) : limit.meaning
        return "\(subject) \(value) \(limit.above ? "over" : "under") the \(SignalPolicy.format(bound, reading.unit)) limit"
    }
}

extension DetectionEngine: Codable {
    enum CodingKeys: String, CodingKey {
        case detectors, learnt, limits, forecasting
    }

    /// Restores saved baselines; the configuration is always today's, not the saved one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = .standard
        forecasting = try container.decodeIfPresent(Forecasting.self, forKey: .forecasting) ?? Forecasting()
        forecasting.configuration = configuration.forecast
        detectors = try container.decode([SignalID: MetricDetector].self, forKey: .detectors)
        learnt = try container.decode([SignalID: Anomaly].self, forKey: .learnt)
        limits = try container.decode([String: LimitTrack].self, forKey: .limits)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(detectors, forKey: .detectors)
        try container.encode(learnt, forKey: .learnt)
        try container.encode(limits, forKey: .limits)
        try container.encode(forecasting, forKey: .forecasting)
    }
}
