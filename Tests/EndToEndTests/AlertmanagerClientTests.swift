import AlertmanagerLink
import Foundation
import Telemetry
import Testing

/// The Alertmanager client alone, fed incident boards as the monitor would, against a real
/// Alertmanager: the paths an incident rarely takes within a test's minute.
extension UnderLoad {
@Suite("alertmanager client")
struct AlertmanagerClientTests {
    static func incident(_ state: Incident.State, _ severity: Severity, acknowledgedBy who: String? = nil) -> Incident {
        Incident(
            id: 7, title: "Disk full: /var", severity: severity, state: state, openedAt: Date().timeIntervalSince1970 - 60,
            updatedAt: Date().timeIntervalSince1970, resolvedAt: state == .resolved ? Date().timeIntervalSince1970 : nil,
            rootSignal: "fs./var.used_percent", acknowledgement: who.map { Acknowledgement(who: $0, at: Date().timeIntervalSince1970) }
        )
    }

    /// Hands the board over every 100 ms, as ticks would, until Alertmanager shows `condition`.
    static func drive<T>(_ client: AlertmanagerClient, _ incident: Incident, _ alertmanager: AlertmanagerServer, timeout: Double = 6,
                         read: () throws -> T, until condition: (T) -> Bool) rethrows -> (T, Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try read()
        while !condition(last), Date() < deadline {
            client.update(board: IncidentBoard(incidents: [incident]), host: "test-host", leader: true, at: Date().timeIntervalSince1970)
            usleep(100_000)
            last = try read()
        }
        return (last, condition(last))
    }

    @Test("a change of severity ends the old alert; alerts are re-sent; a restart makes no second silence; resolution ends both")
    func lifecycle() throws {
        let alertmanager = try AlertmanagerServer()
        try alertmanager.start()
        defer { alertmanager.stop() }
        var configuration = AlertmanagerClient.Configuration(baseURL: alertmanager.url)
        configuration.resendInterval = 1
        configuration.alertLifetime = 30
        let client = AlertmanagerClient(configuration: configuration)
        let mine = { try alertmanager.alerts().filter { $0.labels["instance"] == "test-host" && $0.labels["vigil_incident"] == "7" } }

        let (warning, sent) = try Self.drive(client, Self.incident(.open, .warning), alertmanager, read: mine) { $0.count == 1 }
        #expect(sent)
        #expect(warning.first?.labels["severity"] == "warning")
        #expect(client.status.state == "ok")
        let firstEnd = warning.first?["endsAt"] as? String
        let (resent, moved) = try Self.drive(client, Self.incident(.open, .warning), alertmanager, read: mine) { $0.first?["endsAt"] as? String != firstEnd }
        #expect(moved, "re-sent with a later endsAt while open: \(resent)")

        let (critical, switched) = try Self.drive(client, Self.incident(.open, .critical), alertmanager, read: mine) {
            $0.count == 1 && $0.first?.labels["severity"] == "critical"
        }
        #expect(switched, "only the critical alert is left: \(critical.map(\.labels))")

        let acknowledged = Self.incident(.acknowledged, .critical, acknowledgedBy: "carol")
        let silencesFor7 = { try alertmanager.silences().filter { $0.labels["vigil_incident"] == "7" && $0.state == "active" } }
        let (silences, silenced) = try Self.drive(client, acknowledged, alertmanager, read: silencesFor7) { !$0.isEmpty }
        #expect(silenced)
        #expect(silences.first?["createdBy"] as? String == "carol")
        #expect((silences.first?["comment"] as? String)?.contains("Disk full: /var") == true, "without a note the title is the comment")

        // A restarted Vigil reads Alertmanager's silences first and makes none again.
        let restarted = AlertmanagerClient(configuration: configuration)
        _ = try Self.drive(restarted, acknowledged, alertmanager, timeout: 2, read: silencesFor7) { $0.count > 1 }
        #expect(try silencesFor7().count == 1)
        #expect(restarted.status.state == "ok")

        let resolved = Self.incident(.resolved, .critical, acknowledgedBy: "carol")
        let (_, ended) = try Self.drive(restarted, resolved, alertmanager, read: mine) { $0.isEmpty }
        #expect(ended, "the resolved incident's alert ends")
        let (_, expired) = try Self.drive(restarted, resolved, alertmanager, read: silencesFor7) { $0.isEmpty }
        #expect(expired, "and its silence is expired")
    }

    @Test("a silence whose incident left the board unseen (resolved over an hour ago, Alertmanager down meanwhile) is expired")
    func silenceOfAVanishedIncident() throws {
        let alertmanager = try AlertmanagerServer()
        try alertmanager.start()
        defer { alertmanager.stop() }
        let client = AlertmanagerClient(configuration: AlertmanagerClient.Configuration(baseURL: alertmanager.url))
        let silencesFor7 = { try alertmanager.silences().filter { $0.labels["vigil_incident"] == "7" && $0.state == "active" } }
        let (_, silenced) = try Self.drive(client, Self.incident(.acknowledged, .warning, acknowledgedBy: "dave"), alertmanager, read: silencesFor7) { !$0.isEmpty }
        try #require(silenced)
        func hold(_ client: AlertmanagerClient, _ board: IncidentBoard, seconds: Double, until gone: Bool) throws {
            let deadline = Date().addingTimeInterval(seconds)
            while try silencesFor7().isEmpty != gone, Date() < deadline {
                client.update(board: board, host: "test-host", leader: true, at: Date().timeIntervalSince1970)
                usleep(100_000)
            }
        }
        // A restart whose store cannot be read: its empty board says nothing of what is gone.
        var unreadable = IncidentBoard()
        unreadable.storeWarning = "cannot read incidents"
        try hold(AlertmanagerClient(configuration: AlertmanagerClient.Configuration(baseURL: alertmanager.url)), unreadable, seconds: 1.5, until: true)
        #expect(try !silencesFor7().isEmpty, "a silence was expired on a board the store could not fill")
        // A restart later on: the incident is no longer on the board at all.
        try hold(AlertmanagerClient(configuration: AlertmanagerClient.Configuration(baseURL: alertmanager.url)), IncidentBoard(), seconds: 6, until: true)
        #expect(try silencesFor7().isEmpty, "the silence outlived its incident")
    }
}
}
