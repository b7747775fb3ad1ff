import Foundation
import Testing
import Telemetry

@testable import Detection

/// Synthetic series of a filesystem's free bytes, one sample per second, through the live
/// forecaster with its live defaults.
@Suite("forecaster")
struct ForecasterTests {
    static let start = 1_800_000_000.0
    static let gigabyte = 1024.0 * 1024 * 1024
    /// 1.2 GB an hour, in bytes per second.
    static let fillRate = 1.2 * gigabyte / 3600

    /// Feeds one value per second; returns the estimate after each sample (nil between buckets).
    static func feed(_ forecaster: inout Forecaster, _ values: [Double], from offset: Int = 0) -> [(second: Int, estimate: Forecaster.Estimate?)] {
        values.enumerated().map { index, value in
            (offset + index, forecaster.observe(value, at: start + Double(offset + index)))
        }
    }

    /// Free bytes of a filesystem with 4 GB left, filling at 1.2 GB/h: full in 3h20m.
    static func steadyFill(seconds: Int, free: Double = 4 * gigabyte, rate: Double = fillRate) -> [Double] {
        (0..<seconds).map { free - rate * Double($0) }
    }

    @Test("a steady fill opens a warning once two minutes of evidence agree, with the right time and rate")
    func steadyFill() throws {
        var forecaster = Forecaster(limit: 0, rising: false)
        let results = Self.feed(&forecaster, Self.steadyFill(seconds: 600))
        let first = try #require(results.first { $0.estimate?.isOpen == true })
        // 12 buckets of 10 samples, then 2 in a row inside the horizon.
        #expect(first.second >= 119 && first.second <= 140, "opened at \(first.second) s")
        #expect(results.filter { $0.second < 119 }.allSatisfy { $0.estimate?.isOpen != true })
        let last = try #require(forecaster.estimate)
        #expect(last.status == .warning)
        let remaining = 4 * Self.gigabyte / Self.fillRate - 599
        let eta = try #require(last.secondsToLimit)
        #expect(abs(eta - remaining) / remaining < 0.01, "eta \(eta) vs \(remaining)")
        #expect(abs(-(last.slope ?? 0) - Self.fillRate) / Self.fillRate < 0.01)
        let forecast = Forecasting.forecast(Reading("fs./var.free", 1, .bytes), target: ForecastTarget.defaults[0], limit: 0, estimate: last, pending: 0)
        let text = Forecasting.explain(forecast)
        #expect(text.hasPrefix("/var full in 3h1"), "\(text)")
        #expect(text.hasSuffix("at 1.2G/h"), "\(text)")
        #expect(forecast.shortText?.hasPrefix("full in 3h1") == true)
    }

    @Test("a fill that reaches the limit within the hour is critical")
    func criticalFill() throws {
        var forecaster = Forecaster(limit: 0, rising: false)
        _ = Self.feed(&forecaster, Self.steadyFill(seconds: 300, free: 1 * Self.gigabyte))
        #expect(forecaster.estimate?.status == .critical)
        #expect(forecaster.estimate?.isOpen == true)
    }

    @Test("noise and spikes do not move the estimate nor make it flap", arguments: [UInt64(1), 2, 3])
    func noisyFillWithSpikes(seed: UInt64) throws {
        var noise = SeededNoise(seed: seed)
        var values = Self.steadyFill(seconds: 1800)
        for index in values.indices {
            values[index] += noise.next(in: -30...30) * 1024 * 1024
            // A spike every 97 seconds: a temporary file of 2 GB, gone the next second.
            if index % 97 == 50 { values[index] -= 2 * Self.gigabyte }
            if index % 131 == 70 { values[index] += 3 * Self.gigabyte }
        }
        var forecaster = Forecaster(limit: 0, rising: false)
        let results = Self.feed(&forecaster, values)
        let opened = try #require(results.firstIndex { $0.estimate?.isOpen == true })
        #expect(opened < 300, "opened at \(opened) s")
        let afterwards = results[opened...].compactMap(\.estimate)
        #expect(afterwards.allSatisfy { $0.isOpen }, "the forecast withdrew during a steady fill")
        let eta = try #require(forecaster.estimate?.secondsToLimit)
        let remaining = 4 * Self.gigabyte / Self.fillRate - 1799
        #expect(abs(eta - remaining) / remaining < 0.1, "eta \(eta) vs \(remaining)")
    }

    @Test("noise alone, however long, never forecasts; nor does a minute of steep fill")
    func noiseAndShortEvidence() throws {
        var noise = SeededNoise(seed: 7)
        var forecaster = Forecaster(limit: 0, rising: false)
        let flat = (0..<7200).map { _ in 4 * Self.gigabyte + noise.next(in: -200...200) * 1024 * 1024 }
        let results = Self.feed(&forecaster, flat)
        #expect(results.allSatisfy { $0.estimate?.isOpen != true })
        #expect(results.compactMap(\.estimate).filter { $0.status == .warning || $0.status == .critical }.isEmpty)

        var short = Forecaster(limit: 0, rising: false)
        // A minute of writing at 50 MB/s: 4 GB would be gone in 80 s, but a minute is not evidence.
        let steep = Self.feed(&short, Self.steadyFill(seconds: 60, rate: 50 * 1024 * 1024))
        #expect(steep.allSatisfy { $0.estimate?.isOpen != true })
        #expect(short.estimate?.status == .learning)
    }

    @Test("a fill that stops withdraws the forecast within a few minutes")
    func fillThatStops() throws {
        var noise = SeededNoise(seed: 11)
        var forecaster = Forecaster(limit: 0, rising: false)
        let filling = Self.steadyFill(seconds: 900).map { $0 + noise.next(in: -20...20) * 1024 * 1024 }
        _ = Self.feed(&forecaster, filling)
        #expect(forecaster.estimate?.isOpen == true)
        let level = filling.last!
        let stopped = (0..<1200).map { _ in level + noise.next(in: -20...20) * 1024 * 1024 }
        let results = Self.feed(&forecaster, stopped, from: 900)
        let closed = try #require(results.first { $0.estimate?.isOpen == false })
        #expect(closed.second - 900 <= 240, "withdrew \(closed.second - 900) s after the fill stopped")
        // And it stays withdrawn.
        #expect(results.filter { $0.second > closed.second }.allSatisfy { $0.estimate?.isOpen != true })
        #expect(forecaster.estimate?.status == .steady)
    }

    @Test("a log rotation that frees space withdraws at once; a fill that goes on comes back after fresh evidence")
    func rotationFreesSpace() throws {
        var forecaster = Forecaster(limit: 0, rising: false)
        let filling = Self.steadyFill(seconds: 600)
        _ = Self.feed(&forecaster, filling)
        #expect(forecaster.estimate?.isOpen == true)
        // The rotated log is compressed and the old one deleted: 3 GB come back, and the log starts again.
        let freed = filling.last! + 3 * Self.gigabyte
        let after = (0..<600).map { freed - Self.fillRate * Double($0) }
        let results = Self.feed(&forecaster, after, from: 600)
        let closed = try #require(results.first { $0.estimate != nil })
        #expect(closed.estimate?.isOpen == false, "the first bucket after the rotation withdraws it")
        #expect(closed.estimate?.status == .learning)
        let reopened = try #require(results.first { $0.estimate?.isOpen == true })
        #expect(reopened.second - 600 >= 119, "came back after \(reopened.second - 600) s, before fresh evidence")
    }

    @Test("a fill that speeds up is seen within minutes, not after the whole window")
    func slopeChange() throws {
        var forecaster = Forecaster(limit: 0, rising: false)
        // Fifteen minutes of a slow fill (days to full), then ten times faster.
        let slow = Self.steadyFill(seconds: 900, free: 40 * Self.gigabyte, rate: Self.fillRate / 10)
        let results = Self.feed(&forecaster, slow)
        #expect(results.allSatisfy { $0.estimate?.isOpen != true })
        let fast = (0..<600).map { slow.last! - Self.fillRate * 10 * Double($0 + 1) }
        let later = Self.feed(&forecaster, fast, from: 900)
        let opened = try #require(later.first { $0.estimate?.isOpen == true })
        #expect(opened.second - 900 <= 200, "saw the new slope after \(opened.second - 900) s")
        let eta = try #require(forecaster.estimate?.secondsToLimit)
        let remaining = fast.last! / (Self.fillRate * 10)
        #expect(abs(eta - remaining) / remaining < 0.1, "eta \(eta) vs \(remaining)")
    }

    @Test("Sen's slope and its interval, selected in place, equal those of the sorted slopes")
    func selectionMatchesSorting() {
        var noise = SeededNoise(seed: 5)
        for n in [2, 3, 12, 13, 40, 90] {
            let points = (0..<n).map { Forecaster.Point(time: Double($0) * 10 + noise.next(), value: Double($0) * 3 + noise.next(in: -20...20) + (noise.next() < 0.1 ? 500 : 0)) }
            var slopes: [Double] = []
            for i in 0..<n { for j in (i + 1)..<n { slopes.append((points[j].value - points[i].value) / (points[j].time - points[i].time)) } }
            slopes.sort()
            let median = slopes.count % 2 == 1 ? slopes[slopes.count / 2] : (slopes[slopes.count / 2 - 1] + slopes[slopes.count / 2]) / 2
            let trend = Forecaster.trend(points[...])
            #expect(trend.slope == median, "n=\(n)")
            #expect(slopes.contains(trend.lower) && slopes.contains(trend.upper) && trend.lower <= median && median <= trend.upper)
            var copy = Array(slopes.reversed())
            for rank in [0, slopes.count / 3, slopes.count - 1] {
                #expect(Forecaster.select(&copy, rank: rank, from: 0) == slopes[rank])
            }
        }
    }

    @Test("the engine turns an open forecast into an anomaly that joins the filesystem's incident")
    func engineAndCorrelator() throws {
        var engine = DetectionEngine()
        var correlator = Correlator()
        let size = 20 * Self.gigabyte
        var changes: [Correlator.Change] = []
        var forecasts: [Forecast] = []
        var anomalies: [Anomaly] = []
        for second in 0..<400 {
            let free = 4 * Self.gigabyte - Self.fillRate * 20 * Double(second)
            let readings = [
                Reading("fs./var.free", free, .bytes),
                Reading("fs./var.size", size, .bytes),
                Reading("fs./var.used_percent", (size - free) / size * 100, .percent),
            ]
            let time = Self.start + Double(second)
            let step = engine.step(readings, at: time)
            forecasts = step.forecasts
            anomalies = step.anomalies
            changes += correlator.step(anomalies: step.anomalies, processes: nil, at: time)
        }
        let forecast = try #require(forecasts.first { $0.signal == "fs./var.free" })
        #expect(forecast.status == .critical)
        let anomaly = try #require(anomalies.first { $0.kind == .forecast })
        #expect(anomaly.signal == "fs./var.free")
        #expect(anomaly.severity == .critical)
        #expect(anomaly.explanation.hasPrefix("/var full in "), "\(anomaly.explanation)")
        // The forecast and the filesystem's other anomalies are one incident.
        let opened = changes.filter { if case .opened = $0 { true } else { false } }
        #expect(opened.count == 1)
        let members = correlator.detail(forKey: 1)?.members ?? []
        #expect(members.contains { $0.kind == .forecast })
        // The engine's state, forecasts included, survives a checkpoint.
        let saved = try JSONEncoder().encode(engine)
        let restored = try JSONDecoder().decode(DetectionEngine.self, from: saved)
        #expect(restored.forecasting == engine.forecasting)
        // The filesystem is unmounted: its forecast ends instead of staying open for ever.
        let gone = engine.step([Reading("mem.total", 1, .bytes)], at: Self.start + 400)
        let ended = try #require(gone.anomalies.first { $0.kind == .forecast })
        #expect(ended.end == Self.start + 400)
        #expect(gone.forecasts.isEmpty)
    }

    /// One case per kind of target: the signal, its steady trend per second from a start value,
    /// the readings that give its limit, and the words the forecast must use.
    struct TargetCase: Sendable, CustomTestStringConvertible {
        var signal: SignalID
        var start: Double
        var perSecond: Double
        var unit: SignalUnit
        var limitReadings: [Reading]
        var subject: String
        var targets: [ForecastTarget] = ForecastTarget.defaults
        var testDescription: String { signal.rawValue }
    }

    static let targetCases: [TargetCase] = [
        TargetCase(signal: "fs./srv.inodes_used_percent", start: 60, perSecond: 0.01, unit: .percent, limitReadings: [], subject: "/srv out of inodes"),
        TargetCase(signal: "mem.available", start: 8 * gigabyte, perSecond: -gigabyte / 600, unit: .bytes, limitReadings: [], subject: "memory exhausted"),
        TargetCase(signal: "swap.used", start: gigabyte, perSecond: gigabyte / 900, unit: .bytes,
                   limitReadings: [Reading("swap.total", 4 * gigabyte, .bytes)], subject: "swap full"),
        TargetCase(signal: "fd.open", start: 50_000, perSecond: 40, unit: .count,
                   limitReadings: [Reading("fd.max", 200_000, .count)], subject: "file handles exhausted"),
        // [forecast] limit = procs.total 30000, and floor = mem.free 268435456.
        TargetCase(signal: "procs.total", start: 2_000, perSecond: 5, unit: .count, limitReadings: [], subject: "procs total reaches 30000",
                   targets: [ForecastTarget(pattern: "procs.total", rising: true, limit: .value(30_000), outcome: "reaches 30000")] + ForecastTarget.defaults),
        TargetCase(signal: "mem.free", start: 4 * gigabyte, perSecond: -gigabyte / 1800, unit: .bytes, limitReadings: [], subject: "memory free falls to 268435456",
                   targets: [ForecastTarget(pattern: "mem.free", rising: false, limit: .value(268_435_456), outcome: "falls to 268435456")] + ForecastTarget.defaults),
    ]

    @Test("every kind of target forecasts its limit: inodes, memory, swap against its size, file handles against their maximum, an operator's limit and floor", arguments: targetCases)
    func everyTarget(_ target: TargetCase) throws {
        var forecasting = Forecasting(configuration: .init(targets: target.targets))
        var last: Forecasting.Step?
        var generator = SplitMix(seed: 11)
        for second in 0..<400 {
            // A little noise, and one spike a real trend must shrug off.
            let noise = (generator.unit() - 0.5) * abs(target.perSecond) * 4
            let spike = second == 250 ? abs(target.start) * 0.2 : 0
            let value = target.start + target.perSecond * Double(second) + noise + spike
            last = forecasting.step([Reading(target.signal, value, target.unit)] + target.limitReadings, silenced: { _ in false }, at: Self.start + Double(second))
        }
        let step = try #require(last)
        let forecast = try #require(step.forecasts.first { $0.signal == target.signal }, "no forecast for \(target.signal)")
        #expect(forecast.isNews, "\(forecast.status)")
        let seconds = try #require(forecast.secondsToLimit)
        let limit = target.limitReadings.first?.value ?? (target.targets.first { Glob.matches($0.pattern, target.signal.rawValue) }.map { target in
            if case .value(let value) = target.limit { return value }
            return 0
        } ?? 0)
        let now = target.start + target.perSecond * 399
        let expected = (limit - now) / target.perSecond
        #expect(abs(seconds - expected) / expected < 0.1, "\(seconds) s to the limit, expected about \(expected)")
        let anomaly = try #require(step.anomalies.first { $0.kind == .forecast && $0.signal == target.signal })
        #expect(anomaly.explanation.hasPrefix(target.subject + " in "), "\(anomaly.explanation)")
    }

    @Test("swap turned off mid-run: its forecast ends instead of dividing by a missing size")
    func swapTurnedOff() throws {
        var forecasting = Forecasting()
        for second in 0..<300 {
            _ = forecasting.step([Reading("swap.used", Self.gigabyte + Self.gigabyte / 900 * Double(second), .bytes), Reading("swap.total", 4 * Self.gigabyte, .bytes)],
                                 silenced: { _ in false }, at: Self.start + Double(second))
        }
        let off = forecasting.step([Reading("swap.used", 0, .bytes), Reading("swap.total", 0, .bytes)], silenced: { _ in false }, at: Self.start + 300)
        #expect(!off.forecasts.contains { $0.signal == "swap.used" && $0.isNews })
        #expect(off.anomalies.allSatisfy { !$0.isActive })
    }
}
