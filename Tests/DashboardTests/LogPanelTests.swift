@testable import Dashboard
import Telemetry
import Testing

@Suite("log panel")
struct LogPanelTests {
    static func snapshot(_ messages: [(String, LogSeverity)]) -> Snapshot {
        var snapshot = sampleSnapshot()
        snapshot.logs = messages.enumerated().map { index, item in
            LogRecord(source: "/var/log/syslog", received: 1_700_000_000 + Double(index), severity: item.1, program: "sshd", pid: 42, message: item.0)
        }
        snapshot.logSources = [LogSourceHealth(path: "/var/log/syslog", state: .following, format: "syslog", lines: messages.count)]
        return snapshot
    }

    @Test("the newest lines fill the rows left under memory, newest at the bottom")
    func newestAtBottom() {
        let messages = (0..<50).map { ("message number \($0)", LogSeverity.info) }
        let text = Screen.render(Self.snapshot(messages), state: ViewState(), rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("Logs ─ 1/1 files"))
        #expect(text.contains("message number 49"))
        #expect(!text.contains("message number 0\n"))
        let lines = text.split(separator: "\n")
        let last = lines.lastIndex { $0.contains("message number 49") }!
        let previous = lines.lastIndex { $0.contains("message number 48") }!
        #expect(previous < last)
    }

    @Test("severity picks the colour role")
    func severityRoles() {
        let frame = Screen.render(Self.snapshot([("disk on fire", .critical), ("slow", .warning)]), state: ViewState(), rows: 40, columns: 120, unicode: true)
        var roles: Set<Role> = []
        for row in 0..<frame.rows where frame.text(ofRow: row).contains("disk on fire") || frame.text(ofRow: row).contains("slow") {
            for column in 0..<frame.columns { roles.insert(frame[row, column].role) }
        }
        #expect(roles.contains(.critical))
        #expect(roles.contains(.warning))
    }

    @Test("a line full of escape sequences reaches the frame harmless")
    func hostileLine() {
        let hostile = "boom\u{1B}]52;c;aGVsbG8=\u{07} \u{1B}[2J\u{1B}]0;pwned\u{07}\u{1B}[31mred\u{1B}[0m\u{9B}2J\r\u{08}done"
        let frame = Screen.render(Self.snapshot([(hostile, .error)]), state: ViewState(), rows: 40, columns: 120, unicode: true)
        let text = frame.text
        #expect(text.contains("boom "))
        #expect(text.contains("red"))
        #expect(!text.contains("pwned"))
        #expect(!text.contains("aGVsbG8"))
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || ($0.value >= 0x7F && $0.value < 0xA0) })
    }

    @Test("at 60x15 the CPU and memory panels stay and the log panel steps aside", arguments: [(15, 60), (24, 80), (10, 40)])
    func smallTerminals(rows: Int, columns: Int) {
        let text = Screen.render(Self.snapshot([("hello", .info)]), state: ViewState(), rows: rows, columns: columns, unicode: true).text
        #expect(text.contains("total ["))
        #expect(text.contains("Memory"))
        for line in text.split(separator: "\n") { #expect(TerminalText.width(String(line)) <= columns) }
    }

    @Test("with no sources the panel says how to name one")
    func noSources() {
        var snapshot = sampleSnapshot()
        snapshot.logs = []
        let text = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("vigil --log PATH"))
    }
}
