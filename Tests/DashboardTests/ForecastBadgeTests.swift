@testable import Dashboard
import Telemetry
import Testing

@Suite("forecasts on the KPI panels")
struct ForecastBadgeTests {
    static func forecast(_ signal: SignalID, seconds: Double, status: Forecast.Status, outcome: String = "full") -> Forecast {
        Forecast(signal: signal, limit: 0, level: 1, ratePerSecond: -1000, secondsToLimit: seconds, status: status,
                 samples: 300, span: 300, subject: "/", outcome: outcome, unit: .bytes)
    }

    @Test("a filesystem filling within the horizon says 'full in 3h20m' next to its free space; a trend beyond it says nothing")
    func filesystem() {
        var snapshot = fullSnapshot()
        snapshot.forecasts = [Self.forecast("fs./.free", seconds: 12_000, status: .warning), Self.forecast("fs./srv/data.v2.free", seconds: 200_000, status: .growing)]
        let text = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true).text
        let rows = text.split(separator: "\n").filter { $0.contains("free") }
        #expect(rows.contains { $0.contains("9.0G free") && $0.contains("full in 3h20m") }, "\(text)")
        #expect(!rows.contains { $0.contains("/srv/data.v2") && $0.contains("full in") }, "\(text)")
    }

    @Test("memory running out says so next to what is available, in the critical colour")
    func memory() throws {
        var snapshot = fullSnapshot()
        snapshot.forecasts = [Self.forecast("mem.available", seconds: 2400, status: .critical, outcome: "exhausted")]
        let text = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true).text
        #expect(text.split(separator: "\n").contains { $0.contains("avail") && $0.contains("exhausted in 40m") }, "\(text)")
        let badge = try #require(ForecastBadge.of(snapshot, "mem.available"))
        #expect(badge.role == .critical)
    }
}
