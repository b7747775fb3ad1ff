import Foundation
import Testing

/// Vigil against a real Alertmanager on a loopback port: incidents become alerts, an
/// acknowledgement a silence, a resolution the alert's end; an Alertmanager that is down
/// loses nothing. Timed against real clocks, so they run with the other timed tests.
extension UnderLoad {
@Suite("alertmanager end to end")
struct AlertmanagerEndToEndTests {
    static func vigilAlerts(_ alerts: [[String: Any]], incident: String = "1") -> [[String: Any]] {
        alerts.filter { $0.labels["alertname"] == "VigilIncident" && $0.labels["vigil_incident"] == incident }
    }

    static func activeSilences(_ silences: [[String: Any]], incident: String = "1") -> [[String: Any]] {
        silences.filter { $0.labels["vigil_incident"] == incident && $0.state == "active" }
    }

    @Test("an incident arrives as an alert, the keyboard's ack makes a silence, resolving ends the alert")
    func alertSilenceAndEnd() throws {
        let alertmanager = try AlertmanagerServer()
        try alertmanager.start()
        defer { alertmanager.stop() }
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "")
        let tmux = try Tmux(columns: 140, rows: 40, environment: ["SUDO_USER": "alice"])
        try tmux.type("\(VigilBinary.path) --log \(log) --no-journal --alertmanager \(alertmanager.url); echo EXIT=$?")
        let (header, linked) = try tmux.waitFor(timeout: 5) { $0.contains("am: ok") }
        #expect(linked, "screen was:\n\(header)")
        Thread.sleep(forTimeInterval: 0.6)
        try IncidentEndToEndTests.append(IncidentEndToEndTests.crash, to: log)
        #expect(try tmux.waitFor("OPEN", timeout: 5))

        // A build running beside the test can open a CPU incident too: the crash's is found by its summary.
        let crashAlerts = { try alertmanager.alerts().filter { ($0["annotations"] as? [String: String])?["summary"]?.contains("app.log") == true } }
        let (alerts, arrived) = try alertmanager.waitFor(5, crashAlerts, until: { !$0.isEmpty })
        #expect(arrived, "no alert in Alertmanager")
        let alert = try #require(alerts.first)
        let hostname = try String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(alert.labels["alertname"] == "VigilIncident")
        #expect(alert.labels["instance"] == hostname)
        #expect(alert.labels["severity"] == "critical")
        #expect(alert.labels["vigil_incident"].flatMap { Int($0) } != nil)
        let annotations = alert["annotations"] as? [String: String] ?? [:]
        #expect(annotations["root_cause"]?.isEmpty == false)
        #expect(annotations["description"]?.contains("segfault") == true)
        #expect(alert.state == "active")

        // The newest incident is selected; the footer says which one the ack went to.
        try tmux.press("a")
        #expect(try tmux.waitFor("note (optional)"))
        try tmux.run(["send-keys", "-l", "paged the app team"])
        try tmux.press("Enter")
        let (footer, acked) = try tmux.waitFor(timeout: 3) { $0.contains("acknowledged #") }
        #expect(acked, "screen was:\n\(footer)")
        let id = try #require(footer.split(separator: "acknowledged #").last?.prefix { $0.isNumber }).description
        let (silences, silenced) = try alertmanager.waitFor(5, { Self.activeSilences(try alertmanager.silences(), incident: id) }, until: { !$0.isEmpty })
        let screen = try tmux.screen()
        #expect(silenced, "no silence for #\(id) in Alertmanager; screen:\n\(screen)")
        #expect(silences.count == 1, "one silence per acknowledgement: \(silences)")
        let silence = try #require(silences.first)
        #expect(silence["createdBy"] as? String == "alice")
        #expect(silence["comment"] as? String == "paged the app team")
        #expect(silence.labels["instance"] == hostname)
        #expect(silence.labels["alertname"] == "VigilIncident")
        let (_, suppressed) = try alertmanager.waitFor(5, { Self.vigilAlerts(try alertmanager.alerts(), incident: id) }, until: { $0.first?.state == "suppressed" })
        #expect(suppressed, "the silence mutes the alert")

        try tmux.press("r")
        Thread.sleep(forTimeInterval: 0.3)
        try tmux.press("Enter")
        let (_, ended) = try alertmanager.waitFor(5, { Self.vigilAlerts(try alertmanager.alerts(), incident: id) }, until: { $0.isEmpty })
        #expect(ended, "resolving in Vigil ends the alert")
        let (_, expired) = try alertmanager.waitFor(5, { Self.activeSilences(try alertmanager.silences(), incident: id) }, until: { $0.isEmpty })
        #expect(expired, "the silence goes with the incident")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("a vigil without its Alertmanager library says so in the header and runs on")
    func missingLibrary() throws {
        let scratch = try ScratchDirectory()
        let lonely = scratch.path + "/vigil"
        try Subprocess.copyProgram(VigilBinary.path, to: lonely)
        let result = try Subprocess.run(lonely, [
            "watch", "--json", "--interval", "200ms", "--db", scratch.path + "/vigil.db", "--no-journal", "--duration", "1s",
            "--alertmanager", "http://127.0.0.1:9",
        ])
        #expect(result.status == 0, "\(result.error)")
        let last = result.output.split(separator: "\n").last ?? ""
        #expect(last.contains("\"name\":\"am\",\"state\":\"no library\""), "\(last)")
        #expect(last.contains("libVigilAlertmanager.so"))
        #expect(result.output.split(separator: "\n").count >= 3, "ticks go on")
    }

    @Test("Alertmanager down: the engine goes on, says so, and delivers the alert and the CLI's ack once it is up")
    func unreachableThenBack() throws {
        let alertmanager = try AlertmanagerServer()
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "")
        let db = scratch.path + "/vigil.db"
        let watch = try Subprocess.Background(VigilBinary.path, [
            "watch", "--json", "--interval", "500ms", "--db", db, "--log", log, "--no-journal", "--alertmanager", alertmanager.url,
        ])
        defer { watch.stop() }
        Thread.sleep(forTimeInterval: 1)
        try IncidentEndToEndTests.append(IncidentEndToEndTests.crash, to: log)
        #expect(watch.waitForOutput("\"incidents\":[{"))
        let ack = try VigilBinary.run(["ack", "1", "--note", "acked while am was down", "--db", db], environment: ["SUDO_USER": "bob", "PATH": "/usr/bin:/bin"])
        #expect(ack.status == 0, "\(ack.stderr)")
        // Four failed attempts (1 + 2 + 4 s of backoff) make it unreachable; ticks never stop meanwhile.
        _ = watch.waitForOutput("\"state\":\"unreachable\"", timeout: 12)
        let output = watch.output
        #expect(output.contains("\"name\":\"am\""))
        #expect(output.contains("\"state\":\"retrying (1)\""), "the header says it retries")
        #expect(output.contains("\"state\":\"unreachable\""))
        let ticks = output.split(separator: "\n").count
        #expect(ticks >= 15, "the engine kept its pace while Alertmanager was down: \(ticks) ticks")

        try alertmanager.start()
        defer { alertmanager.stop() }
        let (_, arrived) = try alertmanager.waitFor(40, { Self.vigilAlerts(try alertmanager.alerts()) }, until: { !$0.isEmpty })
        #expect(arrived, "the alert arrives once Alertmanager is up")
        let (silences, silenced) = try alertmanager.waitFor(10, { Self.activeSilences(try alertmanager.silences()) }, until: { !$0.isEmpty })
        #expect(silenced, "the ack made while it was down becomes a silence")
        #expect(silences.first?["createdBy"] as? String == "bob")
        #expect(silences.first?["comment"] as? String == "acked while am was down")
        Thread.sleep(forTimeInterval: 1.5)
        #expect(watch.output.split(separator: "\n").last?.contains("\"state\":\"ok\"") == true, "back to am: ok")
        #expect(Self.activeSilences(try alertmanager.silences()).count == 1, "no second silence")
    }
}
}
