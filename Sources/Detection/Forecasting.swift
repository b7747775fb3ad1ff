import Telemetry

/// A forecaster per signal that can run out, turning their estimates into forecasts for the
/// screen and, inside the horizon, into anomalies of kind `forecast` like any other.
///
/// Pure and deterministic: the engine hands in each tick's readings and the time.
public struct Forecasting: Sendable, Codable, Equatable {
    /// The forecaster's defaults and the signals that can run out.
    public struct Configuration: Sendable, Codable, Equatable {
        public var forecaster: Forecaster.Configuration
        public var targets: [ForecastTarget]

        public init(forecaster: Forecaster.Configuration = .standard, targets: [ForecastTarget] = ForecastTarget.defaults) {
            self.forecaster = forecaster
            self.targets = targets
        }

        public static let standard = Configuration()
    }

    /// What one tick found.
    public struct Step: Sendable {
        /// Open forecasts, and those that closed on this tick (with `end` set).
        public var anomalies: [Anomaly] = []
        /// Every forecast signal's trend, sorted by signal.
        public var forecasts: [Forecast] = []
    }

    public var configuration: Configuration {
        didSet {
            targetIndex.removeAll()
            for id in forecasters.keys { forecasters[id]!.configuration = configuration.forecaster }
        }
    }
    var forecasters: [SignalID: Forecaster] = [:]
    /// Signals with a trend.
    public var count: Int { forecasters.count }
    var open: [SignalID: Anomaly] = [:]
    /// Which target each signal matches (-1: none), worked out once per signal.
    var targetIndex: [SignalID: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case configuration, forecasters, open
    }

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// Equal in what they know; the lookup cache does not count.
    public static func == (lhs: Forecasting, rhs: Forecasting) -> Bool {
        lhs.configuration == rhs.configuration && lhs.forecasters == rhs.forecasters && lhs.open == rhs.open
    }

    /// Takes one tick's readings.
    /// - Parameter silenced: whether the operator silenced a signal.
    /// - Parameter complete: the readings are the host's whole tick, so a forecast signal missing from
    ///   them has vanished (an unmounted filesystem) and its forecast ends; false when priming from history.
    public mutating func step(_ readings: [Reading], silenced: (SignalID) -> Bool, complete: Bool = true, at time: Double) -> Step {
        var step = Step()
        var seen: Set<SignalID> = []
        for reading in readings where reading.value.isFinite {
            let index = targetIndex[reading.id] ?? {
                let found = configuration.targets.firstIndex { Glob.matches($0.pattern, reading.id.rawValue) } ?? -1
                targetIndex[reading.id] = found
                return found
            }()
            guard index >= 0 else { continue }
            seen.insert(reading.id)
            let target = configuration.targets[index]
            guard let limit = target.limitValue(for: reading.id, in: readings) else {
                // A limit that vanished (swap turned off) ends the forecast.
                if forecasters.removeValue(forKey: reading.id) != nil, var ended = open.removeValue(forKey: reading.id) {
                    ended.end = time
                    step.anomalies.append(ended)
                }
                continue
            }
            var forecaster = forecasters[reading.id] ?? Forecaster(
                limit: limit, rising: target.rising, configuration: configuration.forecaster,
                phase: forecasters.count % max(1, configuration.forecaster.samplesPerBucket)
            )
            forecaster.limit = limit
            _ = forecaster.observe(reading.value, at: time)
            forecasters[reading.id] = forecaster
            let forecast = Self.forecast(reading, target: target, limit: limit, estimate: forecaster.estimate, pending: forecaster.pending.count)
            step.forecasts.append(forecast)
            if let anomaly = anomaly(for: reading, rising: target.rising, forecast: forecast, isOpen: forecaster.estimate?.isOpen ?? false, silenced: silenced(reading.id), at: time) {
                step.anomalies.append(anomaly)
            }
        }
        if complete, forecasters.count > seen.count {
            for id in forecasters.keys where !seen.contains(id) {
                forecasters.removeValue(forKey: id)
                if var ended = open.removeValue(forKey: id) {
                    ended.end = time
                    step.anomalies.append(ended)
                }
            }
        }
        step.forecasts.sort { $0.signal < $1.signal }
        return step
    }

    /// Whether a signal's recorded history helps the forecasts: it is forecast, or it is a limit.
    public func needsHistory(of id: SignalID) -> Bool {
        configuration.targets.contains { target in
            if Glob.matches(target.pattern, id.rawValue) { return true }
            if case .sibling(let measure) = target.limit { return id.rawValue.hasSuffix("." + measure) }
            return false
        }
    }

    /// Opens, updates or closes the forecast anomaly of one signal.
    private mutating func anomaly(for reading: Reading, rising: Bool, forecast: Forecast, isOpen: Bool, silenced: Bool, at time: Double) -> Anomaly? {
        guard isOpen else {
            guard var ended = open.removeValue(forKey: reading.id) else { return nil }
            ended.end = time
            ended.value = reading.value
            return ended
        }
        var anomaly = open[reading.id] ?? Anomaly(
            signal: reading.id, kind: .forecast, onset: time, value: reading.value, peak: reading.value,
            bandLow: rising ? nil : forecast.limit, bandHigh: rising ? forecast.limit : nil,
            direction: rising ? .above : .below, severity: .warning, explanation: ""
        )
        anomaly.value = reading.value
        anomaly.peak = anomaly.direction == .above ? max(anomaly.peak, reading.value) : min(anomaly.peak, reading.value)
        anomaly.severity = forecast.status == .critical ? .critical : .warning
        anomaly.silenced = silenced
        anomaly.explanation = Self.explain(forecast)
        open[reading.id] = anomaly
        return anomaly
    }

    static func forecast(_ reading: Reading, target: ForecastTarget, limit: Double, estimate: Forecaster.Estimate?, pending: Int) -> Forecast {
        let subject = ForecastTarget.subject(of: reading.id)
        let outcome = target.outcome
        guard let estimate else {
            return Forecast(signal: reading.id, limit: limit, level: reading.value, ratePerSecond: nil, secondsToLimit: nil, status: .learning,
                            samples: pending, span: 0, subject: subject, outcome: outcome, unit: reading.unit)
        }
        return Forecast(
            signal: reading.id, limit: limit, level: estimate.level, ratePerSecond: estimate.slope, secondsToLimit: estimate.secondsToLimit,
            status: estimate.status, samples: estimate.samples, span: estimate.span, subject: subject, outcome: outcome, unit: reading.unit
        )
    }

    /// "/var full in 3h20m at 1.2G/h".
    public static func explain(_ forecast: Forecast) -> String {
        switch forecast.status {
        case .learning: return "\(forecast.subject): trend still learning (\(forecast.samples) samples)"
        case .steady: return "\(forecast.subject): steady, no trend toward its limit"
        default: break
        }
        let when = forecast.shortText ?? forecast.secondsToLimit.map { "\(forecast.outcome) in \(DurationText.format($0))" } ?? "\(forecast.outcome) ahead"
        guard let rate = forecast.ratePerSecond else { return "\(forecast.subject) \(when)" }
        return "\(forecast.subject) \(when) at \(rateText(abs(rate), forecast.unit))"
    }

    /// A rate per hour in the signal's unit: `1.2G/h`, `2.5%/h`, `1200/h`.
    static func rateText(_ perSecond: Double, _ unit: SignalUnit) -> String {
        let perHour = perSecond * 3600
        switch unit {
        case .bytes: return HumanReadable.bytes(perHour) + "/h"
        case .percent: return HumanReadable.fixed(perHour, decimals: perHour < 10 ? 1 : 0) + "%/h"
        default: return HumanReadable.fixed(perHour, decimals: perHour < 10 ? 1 : 0) + "/h"
        }
    }
}
