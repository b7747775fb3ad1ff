@testable import Detection
import Telemetry
import Testing

/// The engine as a whole: fixed limits next to learnt baselines, silences, and the words it uses.
@Suite("detection engine")
struct DetectionEngineTests {
    /// Steps the engine through (time, readings) ticks and returns every step.
    static func run(_ engine: inout DetectionEngine, _ ticks: [(Double, [Reading])], silences: [DetectionEngine.SilenceRule] = []) -> [DetectionEngine.Step] {
        ticks.map { engine.step($0.1, silences: silences, at: $0.0) }
    }

    @Test("CPU busy past the 90% limit opens after three samples, critical past 98%, and closes after three clear ones")
    func cpuLimit() throws {
        var engine = DetectionEngine()
        // 95% from the first sample: the learnt baseline is still warming up, the fixed limit is not.
        let busy = (0..<3).map { (Double($0), [Reading("cpu.total.busy", 95, .percent)]) }
        let steps = Self.run(&engine, busy)
        #expect(steps[1].anomalies.allSatisfy { $0.kind != .limit }, "two samples are not enough")
        let opened = try #require(steps[2].anomalies.first { $0.kind == .limit })
        #expect(opened.severity == .warning)
        #expect(opened.explanation == "CPU busy 95% over the 90% limit")
        let harder = Self.run(&engine, [(3, [Reading("cpu.total.busy", 99, .percent)])])
        #expect(harder[0].anomalies.first { $0.kind == .limit }?.severity == .critical, "the same anomaly grows to critical")
        let clear = Self.run(&engine, (4..<7).map { (Double($0), [Reading("cpu.total.busy", 20, .percent)]) })
        #expect(clear[1].anomalies.first { $0.kind == .limit }?.isActive == true)
        let ended = try #require(clear[2].anomalies.first { $0.kind == .limit })
        #expect(!ended.isActive)
        #expect(ended.peak == 99)
    }

    @Test("one OOM kill is critical at once, with no warm-up and no warning step")
    func oomKill() throws {
        var engine = DetectionEngine()
        let step = engine.step([Reading("vm.oom_kill_rate", 1, .perSecond)], at: 10)
        let kill = try #require(step.anomalies.first { $0.signal == "vm.oom_kill_rate" })
        #expect(kill.severity == .critical)
        #expect(step.states["vm.oom_kill_rate"] == .critical)
    }

    @Test("an operator's [thresholds] value replaces the default; '-' turns a level off")
    func changedLimit() throws {
        var limits = StaticLimit.defaults
        let index = try #require(limits.firstIndex { $0.name == "fs_used" })
        limits[index].warning = 70
        limits[index].critical = nil
        var engine = DetectionEngine(configuration: .init(limits: limits))
        let step = engine.step([Reading("fs./var.used_percent", 99, .percent)], at: 0)
        let full = try #require(step.anomalies.first { $0.kind == .limit })
        #expect(full.severity == .warning, "with critical off, 99% is a warning")
        #expect(full.explanation.contains("70%"))
    }

    @Test("a silenced signal's anomaly is still recorded, marked silenced; an expired silence no longer applies")
    func silences() throws {
        var engine = DetectionEngine()
        let silence = DetectionEngine.SilenceRule(pattern: "fs.*", until: 100)
        let quiet = engine.step([Reading("fs./.used_percent", 96, .percent)], silences: [silence], at: 50)
        let muted = try #require(quiet.anomalies.first { $0.signal == "fs./.used_percent" })
        #expect(muted.silenced)
        #expect(muted.severity == .critical)
        var other = DetectionEngine()
        let later = other.step([Reading("fs./.used_percent", 96, .percent)], silences: [silence], at: 150)
        #expect(later.anomalies.first { $0.signal == "fs./.used_percent" }?.silenced == false)
    }

    @Test("a learnt anomaly speaks in the operator's words: the value against its usual band")
    func learntWords() throws {
        var engine = DetectionEngine()
        var time = 0.0
        var generator = SplitMix(seed: 7)
        for _ in 0..<600 {
            _ = engine.step([Reading("psi.io.some.avg10", 1 + generator.unit(), .percent)], at: time)
            time += 1
        }
        var opened: Anomaly?
        for _ in 0..<10 where opened == nil {
            opened = engine.step([Reading("psi.io.some.avg10", 38, .percent)], at: time).anomalies.first { $0.kind == .learnt }
            time += 1
        }
        let anomaly = try #require(opened)
        #expect(anomaly.explanation.hasPrefix("io pressure 38% vs usual "), "\(anomaly.explanation)")
        #expect((anomaly.bandHigh ?? 100) < 10, "the band is learnt from 1-2%, widened by the floor for percentages")
    }
}

/// A small deterministic generator, so the learnt band is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
