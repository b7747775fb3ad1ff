import Telemetry
import Testing

@Suite("durations")
struct DurationTextTests {
    @Test("operators' spellings of a span", arguments: [
        ("500ms", 0.5), ("1s", 1.0), ("2s", 2.0), ("2", 2.0), ("1.5s", 1.5),
        ("5m", 300.0), ("1h30m", 5400.0), ("7d", 604_800.0), ("100ms", 0.1),
    ])
    func parses(text: String, seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test("text that is not a span", arguments: ["", "s", "fast", "1x", "-1s", "1s2", "ms"])
    func rejects(text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test("short forms", arguments: [(0.25, "250ms"), (0.9996, "1s"), (42.0, "42s"), (300.0, "5m"), (12_000.0, "3h20m"), (190_800.0, "2d5h")])
    func formats(seconds: Double, text: String) {
        #expect(DurationText.format(seconds) == text)
    }
}

@Suite("human-readable numbers")
struct HumanReadableTests {
    static let byteCases: [(Double, String)] = [
        (512, "512B"), (1536, "1.5K"), (10_485_760, "10M"), (25_276_203_008, "24G"), (161_061_273_600, "150G"),
    ]

    @Test("bytes", arguments: byteCases)
    func bytes(value: Double, text: String) {
        #expect(HumanReadable.bytes(value) == text)
    }

    @Test("percent", arguments: [(0.0, "0%"), (3.14, "3.1%"), (37.4, "37%"), (100.0, "100%")])
    func percent(value: Double, text: String) {
        #expect(HumanReadable.percent(value) == text)
    }

    @Test("uptime", arguments: [(59.0, "00:00:59"), (3_723.0, "01:02:03"), (273_120.0, "3d 03:52")])
    func uptime(seconds: Double, text: String) {
        #expect(HumanReadable.uptime(seconds) == text)
    }
}

@Suite("signal history")
struct SignalHistoryTests {
    @Test("keeps the newest values up to its capacity, oldest first")
    func ring() {
        var history = SignalHistory(capacity: 3)
        for value in 1...5 { history.append(Double(value)) }
        #expect(history.values == [3, 4, 5])
        #expect(history.last == 5)
        #expect(history.suffix(2) == [4, 5])
    }
}
