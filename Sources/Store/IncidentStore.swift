import FoundationEssentials
import Telemetry

/// Incidents, their timelines, acknowledgements and notes, in the database.
///
/// Every operator action returns only after its transaction has committed, so an
/// acknowledgement reported done survives a crash or `kill -9` that follows.
public final class IncidentStore {
    public let database: Database

    /// Opens the store on a database, migrating its schema.
    public init(database: Database) throws(Database.Failure) {
        self.database = database
        try Schema.migrate(database)
    }

    /// Why an operator action could not be applied.
    public enum Refusal: Error, Equatable, CustomStringConvertible, Sendable {
        case noSuchIncident(Int64)
        case alreadyResolved(Int64)

        public var description: String {
            switch self {
            case .noSuchIncident(let id): "no incident #\(id)"
            case .alreadyResolved(let id): "incident #\(id) is already resolved"
            }
        }
    }

    /// Records a new incident and its `opened` event.
    public func open(title: String, severity: Severity, rootSignal: SignalID?, at time: Double) throws(Database.Failure) -> Incident {
        try database.transaction { () throws(Database.Failure) -> Incident in
            try database.prepare("INSERT INTO incidents (title, severity, state, opened_at, updated_at, root_signal) VALUES (?, ?, 'open', ?, ?, ?)")
                .bind(title, severity.rawValue, time, time, rootSignal?.rawValue).run()
            let id = database.lastInsertID
            try appendEvent(id, TimelineEvent(at: time, kind: .opened, text: title))
            return Incident(id: id, title: title, severity: severity, state: .open, openedAt: time, updatedAt: time, rootSignal: rootSignal)
        }
    }

    /// Acknowledges an incident: who, when and an optional note. Acknowledging again
    /// replaces who and note and is recorded again on the timeline.
    public func acknowledge(_ id: Int64, who: String, note: String?, at time: Double) throws -> Incident {
        try applyOperatorChange(id) { () throws(Database.Failure) in
            try database.prepare("INSERT INTO acknowledgements (incident_id, who, at, note) VALUES (?, ?, ?, ?) ON CONFLICT(incident_id) DO UPDATE SET who = excluded.who, at = excluded.at, note = excluded.note")
                .bind(id, who, time, note).run()
            try database.prepare("UPDATE incidents SET state = 'acknowledged', updated_at = ? WHERE id = ? AND state != 'resolved'").bind(time, id).run()
            try appendEvent(id, TimelineEvent(at: time, kind: .acknowledged, actor: who, text: note ?? ""))
        }
    }

    /// Adds a note to the timeline; notes are allowed in any state.
    public func addNote(_ id: Int64, who: String, text: String, at time: Double) throws -> Incident {
        try applyOperatorChange(id, allowResolved: true) { () throws(Database.Failure) in
            try database.prepare("UPDATE incidents SET updated_at = ? WHERE id = ?").bind(time, id).run()
            try appendEvent(id, TimelineEvent(at: time, kind: .note, actor: who, text: text))
        }
    }

    /// Resolves an incident by hand (`who` set) or because all members cleared (`who` nil).
    public func resolve(_ id: Int64, who: String?, reason: String, at time: Double) throws -> Incident {
        try applyOperatorChange(id) { () throws(Database.Failure) in
            try database.prepare("UPDATE incidents SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?").bind(time, time, id).run()
            try appendEvent(id, TimelineEvent(at: time, kind: .resolved, actor: who, text: reason))
        }
    }

    /// Opens a resolved incident again (a recurrence within the grace period).
    /// An acknowledgement made before stays: the operator already owns it.
    public func reopen(_ id: Int64, reason: String, at time: Double) throws -> Incident {
        try applyOperatorChange(id, allowResolved: true) { () throws(Database.Failure) in
            let acknowledged = try database.prepare("SELECT 1 FROM acknowledgements WHERE incident_id = ?").bind(id).step()
            try database.prepare("UPDATE incidents SET state = ?, resolved_at = NULL, updated_at = ? WHERE id = ?")
                .bind(acknowledged ? "acknowledged" : "open", time, id).run()
            try appendEvent(id, TimelineEvent(at: time, kind: .reopened, text: reason))
        }
    }

    /// Changes the title and severity as the engine learns more, with a timeline event when a member joins.
    public func update(_ id: Int64, title: String, severity: Severity, rootSignal: SignalID?, event: TimelineEvent?) throws(Database.Failure) {
        try database.transaction { () throws(Database.Failure) in
            try database.prepare("UPDATE incidents SET title = ?, severity = ?, root_signal = ?, updated_at = MAX(updated_at, ?) WHERE id = ?")
                .bind(title, severity.rawValue, rootSignal?.rawValue, event?.at ?? 0, id).run()
            if let event { try appendEvent(id, event) }
        }
    }

    /// Saves what the engine knows about an incident: members, candidates, evidence (as JSON).
    public func saveDetail(_ id: Int64, _ detail: IncidentDetail) throws(Database.Failure) {
        let bytes = (try? JSONEncoder().encode(detail)).map { Array($0) } ?? []
        try database.prepare("UPDATE incidents SET detail = ? WHERE id = ?").bind(bytes, id).run()
    }

    /// The saved detail of an incident; an empty one when none was saved or it cannot be read.
    public func detail(_ id: Int64) throws(Database.Failure) -> IncidentDetail {
        let statement = try database.prepare("SELECT detail FROM incidents WHERE id = ?").bind(id)
        guard try statement.step(), let bytes = statement.blob(0), !bytes.isEmpty else { return IncidentDetail() }
        return (try? JSONDecoder().decode(IncidentDetail.self, from: Data(bytes))) ?? IncidentDetail()
    }

    /// Incidents resolved since `time`, newest first, for the screen's recent history.
    public func resolved(since time: Double, limit: Int = 20) throws(Database.Failure) -> [Incident] {
        try fetch(where: "i.state = 'resolved' AND i.resolved_at >= ? ORDER BY i.resolved_at DESC LIMIT \(limit)", time)
    }

    /// Records an anomaly as a member of an incident, or updates it (its end, peak, severity).
    public func recordMember(_ id: Int64, _ anomaly: Anomaly) throws(Database.Failure) {
        let existing = try database.prepare("SELECT id FROM anomalies WHERE incident_id = ? AND signal = ? AND onset = ?")
            .bind(id, anomaly.signal.rawValue, anomaly.onset)
        if try existing.step() {
            let row = existing.int(0)
            try database.prepare("UPDATE anomalies SET end_at = ?, peak = ?, severity = ?, silenced = ?, explanation = ? WHERE id = ?")
                .bind(anomaly.end, anomaly.peak, anomaly.severity.rawValue, anomaly.silenced ? 1 : 0, anomaly.explanation, row).run()
        } else {
            try database.prepare("""
                INSERT INTO anomalies (incident_id, signal, onset, end_at, peak, band_low, band_high, severity, silenced, explanation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).bind(id, anomaly.signal.rawValue, anomaly.onset, anomaly.end, anomaly.peak, anomaly.bandLow, anomaly.bandHigh,
                          anomaly.severity.rawValue, anomaly.silenced ? 1 : 0, anomaly.explanation).run()
        }
    }

    /// The anomalies recorded for an incident, by onset.
    public func members(_ id: Int64) throws(Database.Failure) -> [Anomaly] {
        let statement = try database.prepare("SELECT signal, onset, end_at, peak, band_low, band_high, severity, silenced, explanation FROM anomalies WHERE incident_id = ? ORDER BY onset, id").bind(id)
        var members: [Anomaly] = []
        while try statement.step() {
            members.append(Anomaly(
                signal: SignalID(rawValue: statement.text(0) ?? ""), kind: .learnt, onset: statement.double(1), end: statement.optionalDouble(2),
                value: statement.double(3), peak: statement.double(3), bandLow: statement.optionalDouble(4), bandHigh: statement.optionalDouble(5),
                severity: Severity(rawValue: statement.text(6) ?? "") ?? .warning, silenced: statement.int(7) != 0, explanation: statement.text(8) ?? ""
            ))
        }
        return members
    }

    /// One incident, or nil.
    public func incident(_ id: Int64) throws(Database.Failure) -> Incident? {
        try fetch(where: "i.id = ?", id).first
    }

    /// Incidents newest first; resolved ones only when asked.
    public func incidents(includingResolved: Bool = false, limit: Int = 500) throws(Database.Failure) -> [Incident] {
        includingResolved
            ? try fetch(where: "1 = 1 ORDER BY i.opened_at DESC, i.id DESC LIMIT ?", limit)
            : try fetch(where: "i.state != 'resolved' ORDER BY i.opened_at DESC, i.id DESC LIMIT ?", limit)
    }

    /// The incident's timeline, oldest first.
    public func timeline(_ id: Int64) throws(Database.Failure) -> [TimelineEvent] {
        let statement = try database.prepare("SELECT at, kind, actor, text FROM incident_events WHERE incident_id = ? ORDER BY at, id").bind(id)
        var events: [TimelineEvent] = []
        while try statement.step() {
            events.append(TimelineEvent(
                at: statement.double(0),
                kind: TimelineEvent.Kind(rawValue: statement.text(1) ?? "") ?? .note,
                actor: statement.text(2), text: statement.text(3) ?? ""
            ))
        }
        return events
    }

    /// A number that changes whenever another connection commits, so a follower
    /// knows when to re-read. The corresponding pragma is `data_version`.
    public func changeCounter() throws(Database.Failure) -> Int64 {
        try database.scalarInt("PRAGMA data_version") ?? 0
    }

    func appendEvent(_ id: Int64, _ event: TimelineEvent) throws(Database.Failure) {
        try database.prepare("INSERT INTO incident_events (incident_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)")
            .bind(id, event.at, event.kind.rawValue, event.actor, event.text).run()
    }

    private func applyOperatorChange(_ id: Int64, allowResolved: Bool = false, _ change: () throws(Database.Failure) -> Void) throws -> Incident {
        try database.transaction { () throws(Database.Failure) -> Result<Incident, Refusal> in
            guard let current = try incident(id) else { return .failure(.noSuchIncident(id)) }
            if current.state == .resolved && !allowResolved { return .failure(.alreadyResolved(id)) }
            try change()
            guard let updated = try incident(id) else { return .failure(.noSuchIncident(id)) }
            return .success(updated)
        }.get()
    }

    private func fetch(where clause: String, _ value: any SQLValue) throws(Database.Failure) -> [Incident] {
        let statement = try database.prepare("""
            SELECT i.id, i.title, i.severity, i.state, i.opened_at, i.updated_at, i.resolved_at, i.root_signal,
                   a.who, a.at, a.note
            FROM incidents i LEFT JOIN acknowledgements a ON a.incident_id = i.id
            WHERE \(clause)
            """).bind(value)
        var incidents: [Incident] = []
        while try statement.step() {
            var acknowledgement: Acknowledgement? = nil
            if let who = statement.text(8) {
                acknowledgement = Acknowledgement(who: who, at: statement.double(9), note: statement.text(10))
            }
            incidents.append(Incident(
                id: statement.int(0), title: statement.text(1) ?? "",
                severity: Severity(rawValue: statement.text(2) ?? "") ?? .warning,
                state: Incident.State(rawValue: statement.text(3) ?? "") ?? .open,
                openedAt: statement.double(4), updatedAt: statement.double(5),
                resolvedAt: statement.optionalDouble(6), rootSignal: statement.text(7).map { SignalID(rawValue: $0) },
                acknowledgement: acknowledgement
            ))
        }
        return incidents
    }
}
