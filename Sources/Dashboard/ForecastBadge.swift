import Telemetry

/// "full in 3h20m" next to a KPI whose trend reaches its limit within the horizon.
enum ForecastBadge {
    /// The text and its colour for the forecasts of these signals, the soonest first; nil when none is news.
    static func of(_ snapshot: Snapshot?, _ ids: String...) -> (text: String, role: Role)? {
        guard let snapshot, !snapshot.forecasts.isEmpty else { return nil }
        let soonest = ids.compactMap { snapshot.forecast(of: SignalID($0)) }.filter(\.isNews)
            .min { ($0.secondsToLimit ?? .infinity) < ($1.secondsToLimit ?? .infinity) }
        guard let forecast = soonest, let text = forecast.shortText else { return nil }
        return (text, forecast.status == .critical ? .critical : .warning)
    }
}
