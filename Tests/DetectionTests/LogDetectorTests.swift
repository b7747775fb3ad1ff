import Foundation
@testable import Detection
import Telemetry
import Testing

@Suite("log detector")
struct LogDetectorTests {
    static func record(_ message: String, template: UInt64, severity: LogSeverity = .info, source: String = "/var/log/app.log") -> LogRecord {
        LogRecord(source: source, received: 0, severity: severity, message: message, templateID: template)
    }

    @Test("a new template counts only after the source's learning period")
    func newTemplate() {
        var detector = LogDetector(configuration: .init(learningPeriod: 60))
        detector.observe(Self.record("service started", template: 1), isNewTemplate: true, at: 0)
        #expect(detector.step(at: 1).anomalies.isEmpty)
        detector.observe(Self.record("connection refused to db", template: 2, severity: .error), isNewTemplate: true, at: 120)
        let anomalies = detector.step(at: 121).anomalies
        #expect(anomalies.map(\.signal) == ["log./var/log/app.log.new_template"])
        #expect(anomalies.first?.severity == .critical)
        #expect(anomalies.first?.explanation.contains("connection refused to db") == true)
    }

    @Test("known-critical messages raise at once, whatever the learning period", arguments: [
        ("Out of memory: Killed process 4242 (java)", "oom"),
        ("app[12]: segfault at 0 ip 00007f sp 00007ffd error 4", "segfault"),
        ("blk_update_request: I/O error, dev sda, sector 12345", "io_error"),
        ("write failed: No space left on device", "disk_full"),
        ("INFO: task kworker:12 blocked for more than 120 seconds.", "hung_task"),
        ("watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [stress-ng:4242]", "kernel_bug"),
    ])
    func criticalMessages(message: String, measure: String) {
        var detector = LogDetector()
        detector.observe(Self.record(message, template: 9, severity: .error), isNewTemplate: true, at: 0)
        let anomalies = detector.step(at: 1).anomalies
        #expect(anomalies.map(\.signal.rawValue) == ["log./var/log/app.log.\(measure)"])
        #expect(anomalies.first?.severity == .critical)
    }

    @Test("five failed logins within the hold are repeated authentication failures")
    func authenticationFailures() {
        var detector = LogDetector()
        for second in 0..<4 {
            detector.observe(Self.record("Failed password for root from 10.0.0.\(second)", template: 3), isNewTemplate: false, at: Double(second))
        }
        #expect(detector.step(at: 4).anomalies.isEmpty)
        detector.observe(Self.record("Failed password for root from 10.0.0.9", template: 3), isNewTemplate: false, at: 5)
        #expect(detector.step(at: 6).anomalies.map(\.signal.rawValue) == ["log./var/log/app.log.auth_failures"])
    }

    @Test("a burst of one template far above its usual rate, after learning")
    func burst() {
        var detector = LogDetector(configuration: .init(learningPeriod: 10))
        for second in 0..<60 {
            detector.observe(Self.record("GET /health 200", template: 5), isNewTemplate: second == 0, at: Double(second))
            _ = detector.step(at: Double(second) + 0.5)
        }
        for _ in 0..<50 {
            detector.observe(Self.record("retrying upstream", template: 6), isNewTemplate: false, at: 61)
        }
        let anomalies = detector.step(at: 61.5).anomalies
        #expect(anomalies.contains { $0.signal == "log./var/log/app.log.burst" })
    }

    @Test("line and error rates per source are readings; an event ends after its hold")
    func ratesAndHold() {
        var detector = LogDetector(configuration: .init(hold: 30))
        _ = detector.step(at: 0)
        for _ in 0..<10 { detector.observe(Self.record("e", template: 7, severity: .error), isNewTemplate: false, at: 1) }
        detector.observe(Self.record("segfault at 0", template: 8, severity: .error), isNewTemplate: false, at: 1)
        let step = detector.step(at: 2)
        #expect(step.readings.first { $0.id == "log./var/log/app.log.errors" }?.value == 5.5)
        #expect(step.anomalies.first?.isActive == true)
        #expect(detector.step(at: 20).anomalies.first?.isActive == true)
        #expect(detector.step(at: 40).anomalies.first?.end == 40)
        #expect(detector.step(at: 41).anomalies.isEmpty)
    }

    @Test("saved and restored across a restart: the source stays learnt and a held crash ends on time, with the same id")
    func restart() throws {
        var detector = LogDetector()
        detector.observe(Self.record("service started", template: 1), isNewTemplate: true, at: 0)
        _ = detector.step(at: 1)
        detector.observe(Self.record("app[12]: segfault at 0 ip 00007f", template: 2, severity: .error), isNewTemplate: true, at: 400)
        let crash = try #require(detector.step(at: 401).anomalies.first { $0.signal == "log./var/log/app.log.segfault" })
        let bytes = try JSONEncoder().encode(detector)
        var restored = try JSONDecoder().decode(LogDetector.self, from: bytes)
        // Still held after the restart, under the same id the correlator knows.
        #expect(restored.step(at: 420).anomalies.first { $0.signal == crash.signal }?.id == crash.id)
        // Past its learning period already: a new kind of message is news at once.
        restored.observe(Self.record("disk quota exceeded for tenant", template: 3, severity: .warning), isNewTemplate: true, at: 430)
        #expect(restored.step(at: 431).anomalies.contains { $0.signal == "log./var/log/app.log.new_template" })
        let ended = try #require(restored.step(at: 470).anomalies.first { $0.signal == crash.signal })
        #expect(ended.id == crash.id)
        #expect(ended.end == 470)
    }

    @Test("the phrase search finds a phrase at the start, the middle and the end, in any ASCII case, and nothing that is not there")
    func phraseSearch() {
        func has(_ text: String, _ phrase: String) -> Bool {
            LogDetector.contains(any: [Array(phrase.utf8)], in: LogDetector.lowered(text))
        }
        #expect(has("Segfault at 0", "segfault"))
        #expect(has("app[12]: SEGFAULT at 0", "segfault"))
        #expect(has("write failed: No space left on device", "no space left on device"))
        #expect(!has("No space left on devic", "no space left on device"))
        #expect(!has("seg", "segfault"))
        #expect(!has("", "segfault"))
        #expect(has("ss segsegfault", "segfault"), "a partial match before the real one")
        #expect(has("Ünïcödé then Out Of Memory", "out of memory"))
    }

    @Test("a brute-force flood of failed logins is counted within the hold, old ones forgotten")
    func failedLoginFlood() throws {
        var detector = LogDetector()
        for second in 0..<3000 {
            detector.observe(Self.record("Failed password for root from 10.0.0.\(second % 250) port 22", template: 9, severity: .warning),
                             isNewTemplate: false, at: Double(second) / 10)
        }
        let step = detector.step(at: 300)
        let flood = try #require(step.anomalies.first { $0.signal == "log./var/log/app.log.auth_failures" })
        // Ten a second for a 60 s hold: 600 (or 601) failures counted, not the 3000 since the start.
        #expect(flood.explanation.hasPrefix("60"), "\(flood.explanation)")
    }
}
