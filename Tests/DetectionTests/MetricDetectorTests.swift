import Foundation
import Testing

@testable import Detection

/// A small deterministic generator, so every run sees the same "random" series.
struct SeededNoise {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// Uniform in [0, 1).
    mutating func next() -> Double {
        // SplitMix64.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    /// Uniform in `range`.
    mutating func next(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + next() * (range.upperBound - range.lowerBound)
    }
}

/// Feeds `values` one per second and returns every observation.
func run(_ detector: inout MetricDetector, _ values: [Double], start: Double = 1_700_000_000) -> [Observation] {
    values.enumerated().map { i, v in detector.observe(v, at: start + Double(i)) }
}

func cpuConfiguration() -> MetricDetector.Configuration {
    var c = MetricDetector.Configuration.standard
    c.minimumSpread = 5  // percentage points, as the live engine sets for CPU busy %
    return c
}

/// Ten minutes of an idle host's CPU busy %: jitter of 0-3 % and a brief cron spike every couple of minutes.
func idleCPU(seed: UInt64, seconds: Int = 600) -> [Double] {
    var noise = SeededNoise(seed: seed)
    var values: [Double] = []
    var spikeLeft = 0
    for second in 0..<seconds {
        if second > 40, second % 97 == 13 { spikeLeft = 1 + Int(noise.next() * 2) }
        if spikeLeft > 0 {
            values.append(noise.next(in: 10...20))
            spikeLeft -= 1
        } else {
            values.append(noise.next(in: 0...3))
        }
    }
    return values
}

@Suite("MetricDetector")
struct MetricDetectorTests {
    @Test("an idle host raises no anomaly", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func idleHost(seed: UInt64) {
        var cpu = MetricDetector(configuration: cpuConfiguration())
        let cpuFlags = run(&cpu, idleCPU(seed: seed)).filter(\.isAnomalous)
        #expect(cpuFlags.isEmpty, "CPU flagged at \(cpuFlags.map(\.value))")

        // Available memory: nearly flat, a few pages of jitter around 6 GiB.
        var noise = SeededNoise(seed: seed + 100)
        var memory = MetricDetector()
        let memoryValues = (0..<600).map { _ in 6.0 * 1_073_741_824 + noise.next(in: -2e6...2e6) }
        #expect(run(&memory, memoryValues).allSatisfy { !$0.isAnomalous })

        // A counter (e.g. disk writes per second) that is mostly 0 with an occasional small burst.
        var counter = MetricDetector()
        let counts = (0..<600).map { _ -> Double in
            let r = noise.next()
            return r < 0.93 ? 0 : (r < 0.98 ? 1 : 2)
        }
        let counterFlags = run(&counter, counts).filter(\.isAnomalous)
        #expect(counterFlags.isEmpty, "counter flagged at \(counterFlags.map(\.time))")
    }

    @Test("a step from 2 % to 100 % CPU is flagged within 5 samples")
    func stepUp() throws {
        var detector = MetricDetector(configuration: cpuConfiguration())
        var values = idleCPU(seed: 7, seconds: 300)
        values += Array(repeating: 100, count: 20)
        let observations = run(&detector, values)
        let firstIndex = observations.firstIndex { $0.isAnomalous }
        let firstFlag = try #require(firstIndex)
        #expect(firstFlag >= 300 && firstFlag < 305)
        #expect(observations[firstFlag].transition == .opened(.above))
        #expect(observations[firstFlag].direction == .above)
        #expect(observations[firstFlag].severity == .critical)
        #expect(observations[firstFlag].cause == .outOfBand)
    }

    @Test("a single large spike is flagged at once, and the anomaly closes after it")
    func spike() throws {
        var noise = SeededNoise(seed: 11)
        var values = (0..<400).map { _ in 50 + noise.next(in: -2...2) }
        values[300] = 120
        var detector = MetricDetector()
        let observations = run(&detector, values)
        #expect(observations[300].isAnomalous)
        #expect(observations[300].transition == .opened(.above))
        #expect(observations[300].score >= 0.5)
        let closedIndex = observations[301...].firstIndex { $0.transition == .closed }
        let closed = try #require(closedIndex)
        #expect(closed <= 300 + detector.configuration.closeAfter + 1)
        #expect(observations.filter(\.isAnomalous).count <= detector.configuration.closeAfter + 1)
    }

    @Test("a slow drift is followed, not flagged")
    func slowDrift() {
        var noise = SeededNoise(seed: 13)
        // CPU busy % from 20 % to 45 % over 40 minutes.
        let values = (0..<2400).map { i in 20 + 25 * Double(i) / 2400 + noise.next(in: -2...2) }
        var detector = MetricDetector(configuration: cpuConfiguration())
        let observations = run(&detector, values)
        #expect(observations.allSatisfy { !$0.isAnomalous })
        #expect(abs(observations.last!.level - 45) < 3)
    }

    @Test("a signal hovering at the band's edge does not flap")
    func hysteresis() throws {
        var noise = SeededNoise(seed: 17)
        var detector = MetricDetector()
        // Learn a quiet level first.
        _ = run(&detector, (0..<300).map { _ in 100 + noise.next(in: -1...1) })
        let edge = try #require(detector.band).upperBound
        // Then sit on the upper edge, half the samples just outside, half just inside.
        let hovering = (0..<600).map { _ in edge + noise.next(in: -0.5...0.5) }
        let observations = run(&detector, hovering, start: 1_700_000_300)
        let opened = observations.filter { if case .opened = $0.transition { true } else { false } }
        #expect(opened.count <= 1)
        var switches = 0
        for (a, b) in zip(observations, observations.dropFirst()) where a.isAnomalous != b.isAnomalous {
            switches += 1
        }
        #expect(switches <= 2)
    }

    @Test("a sustained new level is accepted after a while")
    func levelShiftIsRelearnt() {
        var noise = SeededNoise(seed: 19)
        var values = (0..<300).map { _ in 10 + noise.next(in: -1...1) }
        values += (0..<300).map { _ in 40 + noise.next(in: -1...1) }
        var detector = MetricDetector()
        let observations = run(&detector, values)
        let flagged = observations.filter(\.isAnomalous).count
        #expect(flagged > 0)
        #expect(flagged <= detector.configuration.relearnAfter)
        #expect(!observations.last!.isAnomalous)
        #expect(abs(observations.last!.level - 40) < 2)
    }

    @Test("the score is at least 0.5 exactly when the signal is flagged")
    func scoreMatchesState() {
        var noise = SeededNoise(seed: 23)
        var detector = MetricDetector()
        for i in 0..<5000 {
            let base = 50 + 10 * sin(Double(i) / 50)
            let spike = noise.next() < 0.01 ? noise.next(in: -100...100) : 0
            let o = detector.observe(base + noise.next(in: -3...3) + spike, at: Double(i) * 60)
            #expect((o.score >= 0.5) == o.isAnomalous)
            #expect((0...1).contains(o.score))
            if o.band == nil { #expect(!o.isAnomalous) }
        }
    }

    @Test("warm-up: nothing is flagged and no band is reported before it ends")
    func warmUp() {
        var detector = MetricDetector()
        let observations = run(&detector, (0..<detector.configuration.warmUp).map { Double($0 % 2) * 1000 })
        #expect(observations.allSatisfy { $0.band == nil && !$0.isAnomalous })
        #expect(detector.isWarm)
    }

    @Test("a gap (NaN) is not learnt and keeps the state")
    func gap() {
        var detector = MetricDetector()
        _ = run(&detector, (0..<100).map { Double($0 % 3) })
        let before = detector
        let o = detector.observe(.nan, at: 2_000_000_000)
        #expect(!o.isAnomalous)
        #expect(detector.baseline == before.baseline)
    }

    @Test("state survives a JSON round trip and carries on identically")
    func codableRoundTrip() throws {
        var noise = SeededNoise(seed: 29)
        let values = (0..<3000).map { i in 100 + 20 * sin(Double(i) / 40) + noise.next(in: -5...5) }
        var original = MetricDetector()
        _ = run(&original, Array(values[..<2000]))
        let data = try JSONEncoder().encode(original)
        var restored = try JSONDecoder().decode(MetricDetector.self, from: data)
        #expect(restored == original)
        let a = run(&original, Array(values[2000...]), start: 1_700_002_000)
        let b = run(&restored, Array(values[2000...]), start: 1_700_002_000)
        #expect(a == b)
        #expect(data.count < 16_384)
    }
}

@Suite("Surprise")
struct SurpriseTests {
    @Test("a quiet signal that starts to jitter inside its band is flagged once, briefly")
    func jitterInsideBand() throws {
        var noise = SeededNoise(seed: 31)
        var detector = MetricDetector()
        var values = (0..<1000).map { _ in 100 + noise.next(in: -0.5...0.5) }
        _ = run(&detector, values)
        let edge = try #require(detector.band).upperBound - 100
        // Jitter three times as large as before, yet never leaving the band learnt so far.
        values = (0..<300).map { _ in 100 + noise.next(in: -0.9...0.9) * edge }
        let observations = run(&detector, values, start: 1_700_001_000)
        let opened = observations.filter { if case .opened = $0.transition { true } else { false } }
        #expect(opened.count >= 1)
        #expect(opened.count <= 2)
        #expect(opened.first?.cause == .unusualErrors)
        #expect(observations.filter(\.isAnomalous).count <= 2 * detector.configuration.closeAfter)
    }

    @Test("fires on the rising edge only and re-arms once the errors calm down")
    func risingEdge() {
        var surprise = Surprise()
        let zs: [Double] = [0, 5, 6, 5, 3, 5, 0.5, 4]
        let fired = zs.map { surprise.fires(z: $0, level: 3.5, rearm: 1) }
        #expect(fired == [false, true, false, false, false, false, false, true])
    }

    @Test("a jump in the errors gives a large z; the same errors later give none")
    func likelihood() {
        var surprise = Surprise()
        var noise = SeededNoise(seed: 37)
        for _ in 0..<2000 { _ = surprise.learn(noise.next(in: 0...1), shortRate: 0.1, longRate: 0.001) }
        var z = 0.0
        for _ in 0..<10 { z = max(z, surprise.learn(5, shortRate: 0.1, longRate: 0.001).z) }
        #expect(z > 10)
        surprise.habituate()
        #expect(surprise.learn(0.5, shortRate: 0.1, longRate: 0.001).z < 0)
    }
}
