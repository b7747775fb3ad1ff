import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Telemetry

/// Feeds Alertmanager's v2 API: every open incident is an alert, re-sent while it is open
/// and ended when it resolves; an acknowledged incident gets a silence.
///
/// Nothing here is a queue of requests that could be lost: each tick the monitor hands over
/// the incident board as the store has it (acknowledgements from the keyboard, the
/// `vigil ack` command and other dashboards included), and the client works out what
/// Alertmanager still lacks, one request at a time. It starts by reading Alertmanager's own
/// silences, so a restart neither repeats a silence nor misses one. A failed request is
/// tried again after a backoff (1 s, 2 s, 4 s ... 30 s); meanwhile `status` says so and
/// the monitor and the screen go on untouched, as all network work runs on the client's
/// own serial queue through URLSession.
public final class AlertmanagerClient: @unchecked Sendable {
    /// Timing; the defaults follow Prometheus's own (`resend_delay` 1 m, alerts valid 4 resends).
    public struct Configuration: Sendable {
        /// Alertmanager's base URL, without a trailing slash.
        public var baseURL: String
        /// Seconds between two sends of an alert still open.
        public var resendInterval: Double = 60
        /// An open alert's `endsAt` lies this far ahead, so Alertmanager resolves it by itself
        /// if Vigil stops sending.
        public var alertLifetime: Double = 240
        /// The longest wait between two attempts after failures.
        public var maximumBackoff: Double = 30
        public var requestTimeout: Double = 5
        /// How long a silence lasts at most; it is expired as soon as the incident resolves.
        public var silenceLength: Double = 7 * 86_400

        public init(baseURL: String) {
            self.baseURL = baseURL
        }
    }

    /// Stands for a silence that exists in no Alertmanager: refused, or answered without an id.
    static let refused = "-"

    /// The `alertname` label of every alert Vigil sends.
    public static let alertName = "VigilIncident"

    public let configuration: Configuration
    private let queue = DispatchQueue(label: "vigil.alertmanager", qos: .utility)
    private let session: URLSession
    private let statusLock = NSLock()
    private var currentStatus: LinkStatus

    // Everything below is confined to `queue`.
    private var board = IncidentBoard()
    private var host = ""
    private var active = false
    /// What the incidents looked like at the last successful push, to send changes at once.
    private var pushedFingerprint: [Int64: String] = [:]
    private var lastPush: Double?
    /// The severity each incident's alert was last sent with: a change of severity is a new
    /// label set, and the old one must be ended.
    private var sentSeverity: [Int64: Severity] = [:]
    /// Resolved incidents whose end Alertmanager has.
    private var ended: Set<Int64> = []
    /// Alertmanager's silences for Vigil's incidents on this host, by incident id.
    private var silences: [Int64: String] = [:]
    private var silencesLoaded = false
    private var failures = 0
    private var nextAttempt = 0.0
    private var inFlight = false
    /// The request out now, if any.
    private var pending: Work?

    public init(configuration: Configuration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        sessionConfiguration.timeoutIntervalForResource = configuration.requestTimeout * 2
        session = URLSession(configuration: sessionConfiguration)
        currentStatus = LinkStatus(name: "am", state: "connecting", healthy: true, detail: configuration.baseURL)
    }

    /// How the link fares now, for the header: `am: ok`, `am: retrying (3)`, `am: unreachable`.
    public var status: LinkStatus {
        statusLock.lock()
        defer { statusLock.unlock() }
        return currentStatus
    }

    /// Hands over the incidents as the store has them now; returns at once.
    /// - Parameters:
    ///   - board: the incident board of this tick.
    ///   - host: the `instance` label.
    ///   - leader: only the process that runs the engine pushes, so two dashboards on one
    ///     database do not make two silences for one acknowledgement.
    public func update(board: IncidentBoard, host: String, leader: Bool, at now: Double) {
        queue.async { [self] in
            self.board = board
            self.host = host
            active = leader
            if !leader {
                setStatus(LinkStatus(name: "am", state: "standby", healthy: true, detail: "another Vigil on this database pushes to \(configuration.baseURL)"))
                return
            }
            pump(now: now)
        }
    }

    // MARK: - The work, one request at a time

    private enum Work {
        case loadSilences
        /// The alerts, the incidents ended by them, and what the live ones looked like when sent.
        case pushAlerts([[String: Any]], endedIDs: [Int64], fingerprint: [Int64: String], severities: [Int64: Severity])
        case createSilence(Int64, [String: Any])
        case expireSilence(Int64, String)
    }

    /// Sends the next thing Alertmanager lacks, unless a request is out or a backoff runs.
    private func pump(now: Double) {
        guard active, !inFlight, now >= nextAttempt, let work = nextWork(now: now) else { return }
        inFlight = true
        pending = work
        let request: URLRequest
        switch work {
        case .loadSilences:
            request = makeRequest("GET", "/api/v2/silences")
        case .pushAlerts(let alerts, _, _, _):
            request = makeRequest("POST", "/api/v2/alerts", body: alerts)
        case .createSilence(_, let silence):
            request = makeRequest("POST", "/api/v2/silences", body: silence)
        case .expireSilence(_, let id):
            request = makeRequest("DELETE", "/api/v2/silence/\(id)")
        }
        session.dataTask(with: request) { [self] data, response, error in
            let code = (response as? HTTPURLResponse)?.statusCode ?? 0
            let failure = error?.localizedDescription
            queue.async { [self] in
                inFlight = false
                guard let work = pending else { return }
                pending = nil
                finish(work, data: data, code: code, error: failure)
            }
        }.resume()
    }

    private func nextWork(now: Double) -> Work? {
        if !silencesLoaded { return .loadSilences }
        let incidents = board.incidents
        // An operator's acknowledgement first: it must never wait behind a stream of alert updates.
        if let incident = incidents.first(where: { $0.state == .acknowledged && silences[$0.id] == nil }),
           let acknowledgement = incident.acknowledgement {
            return .createSilence(incident.id, silence(incident, acknowledgement, now: now))
        }
        // A silence ends with its incident: resolved, or gone from the board (resolved over an
        // hour ago, while Alertmanager could not be reached). A board the store could not fill
        // says nothing about what is gone.
        let boardIsWhole = board.storeWarning == nil
        for (id, silenceID) in silences where incidents.contains(where: { $0.id == id && $0.state == .resolved })
            || (boardIsWhole && !incidents.contains { $0.id == id }) {
            // A silence Alertmanager refused, or one it gave no id for, has nothing to expire.
            guard silenceID != Self.refused else {
                silences[id] = nil
                continue
            }
            return .expireSilence(id, silenceID)
        }
        let fingerprint = Dictionary(incidents.map { ($0.id, Self.fingerprint($0)) }, uniquingKeysWith: { first, _ in first })
        let unsentEnds = incidents.filter { $0.state == .resolved && !ended.contains($0.id) }
        let due = lastPush.map { now - $0 >= configuration.resendInterval } ?? true
        let changed = incidents.contains { $0.state != .resolved && pushedFingerprint[$0.id] != fingerprint[$0.id] }
        let live = incidents.filter { $0.state != .resolved }
        if changed || !unsentEnds.isEmpty || (due && !live.isEmpty) {
            var alerts: [[String: Any]] = []
            for incident in live {
                if let previous = sentSeverity[incident.id], previous != incident.severity {
                    // The alert under its old severity ends: its label set is another alert.
                    alerts.append(alert(incident, severity: previous, endsAt: now))
                }
                alerts.append(alert(incident, severity: incident.severity, endsAt: now + configuration.alertLifetime))
            }
            for incident in unsentEnds {
                alerts.append(alert(incident, severity: incident.severity, endsAt: incident.resolvedAt ?? now))
            }
            let severities = Dictionary(live.map { ($0.id, $0.severity) }, uniquingKeysWith: { first, _ in first })
            return .pushAlerts(alerts, endedIDs: unsentEnds.map(\.id), fingerprint: fingerprint, severities: severities)
        }
        return nil
    }

    private func finish(_ work: Work, data: Data?, code: Int, error: String?) {
        let now = Date().timeIntervalSince1970
        guard error == nil, (200..<300).contains(code) || (code == 404 && Self.isExpiry(work)) else {
            failures += 1
            nextAttempt = now + min(configuration.maximumBackoff, pow(2, Double(failures - 1)))
            let reason: String
            if let error {
                reason = "\(configuration.baseURL): \(error)"
            } else {
                let body = data.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? ""
                reason = "\(configuration.baseURL) answered HTTP \(code): \(body.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
            let state: String
            if error == nil, (400..<500).contains(code) {
                // Alertmanager will never take this silence; asking again would hold up the alerts.
                if case .createSilence(let id, _) = work { silences[id] = Self.refused }
                state = "rejected (HTTP \(code))"
            } else {
                state = failures > 3 ? "unreachable" : "retrying (\(failures))"
            }
            // Expiring is tidying up: a silence Alertmanager will not expire (gone, already
            // expired by hand) is left to run out rather than hold up what follows.
            if error == nil, case .expireSilence(let id, _) = work { silences[id] = nil }
            setStatus(LinkStatus(name: "am", state: state, healthy: false, detail: reason))
            return
        }
        failures = 0
        nextAttempt = 0
        switch work {
        case .loadSilences:
            silences = Self.vigilSilences(in: data ?? Data(), host: host)
            silencesLoaded = true
        case .pushAlerts(_, let endedIDs, let fingerprint, let severities):
            lastPush = now
            pushedFingerprint = fingerprint
            // A reopened incident is live again: its next resolution must be sent too.
            ended.subtract(severities.keys)
            ended.formUnion(endedIDs)
            sentSeverity.merge(severities) { _, new in new }
            for id in endedIDs { sentSeverity[id] = nil }
        case .createSilence(let id, _):
            let answer = (try? JSONSerialization.jsonObject(with: data ?? Data())) as? [String: Any]
            silences[id] = answer?["silenceID"] as? String ?? Self.refused
        case .expireSilence(let id, _):
            silences[id] = nil
        }
        setStatus(LinkStatus(name: "am", state: "ok", healthy: true, detail: configuration.baseURL))
        pump(now: now)
    }

    private static func isExpiry(_ work: Work) -> Bool {
        if case .expireSilence = work { return true }
        return false
    }

    private func setStatus(_ status: LinkStatus) {
        statusLock.lock()
        currentStatus = status
        statusLock.unlock()
    }

    // MARK: - What is sent

    private func makeRequest(_ method: String, _ path: String, body: Any? = nil) -> URLRequest {
        var request = URLRequest(url: URL(string: configuration.baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = configuration.requestTimeout
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        }
        return request
    }

    /// The labels that name an incident's alert: alertname, instance, severity, vigil_incident.
    func labels(_ incident: Incident, severity: Severity) -> [String: String] {
        ["alertname": Self.alertName, "instance": host, "severity": severity.rawValue, "vigil_incident": String(incident.id)]
    }

    private func alert(_ incident: Incident, severity: Severity, endsAt: Double) -> [String: Any] {
        let detail = board.details[incident.id]
        var annotations = ["summary": incident.title]
        if let cause = detail?.candidates.first {
            annotations["root_cause"] = "\(cause.headline) (\(cause.signal)): \(cause.reason)"
        } else if let root = incident.rootSignal {
            annotations["root_cause"] = root.rawValue
        }
        let members = detail?.members.map(\.explanation) ?? []
        var description = "Vigil incident #\(incident.id) on \(host), \(incident.state.rawValue)"
        if !members.isEmpty { description += ": " + members.prefix(10).joined(separator: "; ") }
        if let acknowledgement = incident.acknowledgement {
            description += ". Acknowledged by \(acknowledgement.who)" + (acknowledgement.note.map { ": \($0)" } ?? "")
        }
        annotations["description"] = description
        return [
            "labels": labels(incident, severity: severity),
            "annotations": annotations,
            "startsAt": Self.timestamp(incident.openedAt),
            "endsAt": Self.timestamp(max(endsAt, incident.openedAt)),
        ]
    }

    private func silence(_ incident: Incident, _ acknowledgement: Acknowledgement, now: Double) -> [String: Any] {
        let matchers = [("alertname", Self.alertName), ("instance", host), ("vigil_incident", String(incident.id))].map {
            ["name": $0.0, "value": $0.1, "isRegex": false, "isEqual": true] as [String: Any]
        }
        let note = acknowledgement.note.flatMap { $0.isEmpty ? nil : $0 }
        return [
            "matchers": matchers,
            "startsAt": Self.timestamp(now),
            "endsAt": Self.timestamp(now + configuration.silenceLength),
            "createdBy": acknowledgement.who,
            "comment": note ?? "acknowledged in Vigil: #\(incident.id) \(incident.title)",
        ]
    }

    /// What of an incident shows in its alert; a change is pushed at once. New members only
    /// reach the description with the next resend, so a busy incident cannot keep the
    /// client pushing every tick.
    static func fingerprint(_ incident: Incident) -> String {
        "\(incident.state.rawValue)|\(incident.severity.rawValue)|\(incident.title)|\(incident.acknowledgement?.who ?? "")|\(incident.acknowledgement?.note ?? "")"
    }

    /// The active or pending silences Vigil made for this host's incidents, from `GET /api/v2/silences`.
    static func vigilSilences(in data: Data, host: String) -> [Int64: String] {
        guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else { return [:] }
        var found: [Int64: String] = [:]
        for silence in list {
            guard let id = silence["id"] as? String,
                  let state = (silence["status"] as? [String: Any])?["state"] as? String, state != "expired",
                  let matchers = silence["matchers"] as? [[String: Any]] else { continue }
            var values: [String: String] = [:]
            for matcher in matchers where (matcher["isRegex"] as? Bool) != true && (matcher["isEqual"] as? Bool) != false {
                if let name = matcher["name"] as? String, let value = matcher["value"] as? String { values[name] = value }
            }
            guard values["alertname"] == alertName, values["instance"] == host, let incident = values["vigil_incident"].flatMap({ Int64($0) }) else { continue }
            found[incident] = id
        }
        return found
    }

    /// RFC 3339 in UTC with milliseconds, as Alertmanager reads it; the corresponding C function is `gmtime_r`.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds.rounded(.down))
        var parts = tm()
        gmtime_r(&time, &parts)
        let milliseconds = Int(((seconds - seconds.rounded(.down)) * 1000).rounded(.down))
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }
}
