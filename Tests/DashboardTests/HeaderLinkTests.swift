@testable import Dashboard
import Telemetry
import Testing

/// The journal's and Alertmanager's state in the header, and the unit of journal lines in the log panel.
@Suite("links in the header")
struct HeaderLinkTests {
    @Test("the header names each link's state")
    func linksInHeader() {
        var snapshot = sampleSnapshot()
        snapshot.links = [
            LinkStatus(name: "journal", state: "none", healthy: false),
            LinkStatus(name: "am", state: "retrying (3)", healthy: false),
        ]
        let header = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 140, unicode: true).text.split(separator: "\n").first ?? ""
        #expect(header.contains("journal: none"))
        #expect(header.contains("am: retrying (3)"))
    }

    @Test("a journal line shows its unit where a file line shows its program")
    func unitInLogPanel() {
        var snapshot = sampleSnapshot()
        snapshot.logSources = [LogSourceHealth(path: "journal", state: .following, format: "journal")]
        snapshot.logs = [LogRecord(source: "journal", received: 1_700_000_000, severity: .error, program: "nginx", pid: 42,
                                   message: "upstream timed out", unit: "nginx.service")]
        let text = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 140, unicode: true).text
        let line = text.split(separator: "\n").first { $0.contains("upstream timed out") } ?? ""
        #expect(line.contains("nginx.service"), "\(line)")
    }
}
