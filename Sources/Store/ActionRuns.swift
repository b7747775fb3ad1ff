import Telemetry

/// Runbook actions run against incidents: each start and result is a timeline event, and
/// an automatic action is claimed before it runs, so it runs once per incident even across
/// restarts and between processes sharing the database.
extension IncidentStore {
    /// Records that an action starts; for an automatic one, only if it never started on this incident.
    /// - Returns: the run's id, or nil when the automatic action already ran.
    public func startAction(_ id: Int64, action: String, automatic: Bool, who: String?, at time: Double) throws(Database.Failure) -> Int64? {
        try database.transaction { () throws(Database.Failure) -> Int64? in
            try database.prepare("INSERT INTO action_runs (incident_id, action, automatic, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(id, action, automatic ? 1 : 0, time).run()
            guard database.changes == 1 else { return nil }
            let run = database.lastInsertID
            try appendEvent(id, TimelineEvent(at: time, kind: .action, actor: who, text: "\(action) started" + (automatic ? " (automatic)" : "")))
            return run
        }
    }

    /// Records how a run ended: `summary` is its first line ("exit 0 after 0.2s"), `output` the first lines it printed.
    public func finishAction(_ run: Int64, incident id: Int64, action: String, summary: String, output: [String], at time: Double) throws(Database.Failure) {
        let text = ([ "\(action): \(summary)" ] + output).joined(separator: "\n")
        try database.transaction { () throws(Database.Failure) in
            try database.prepare("UPDATE action_runs SET ended_at = ?, outcome = ? WHERE id = ?").bind(time, summary, run).run()
            try database.prepare("UPDATE incidents SET updated_at = MAX(updated_at, ?) WHERE id = ?").bind(time, id).run()
            try appendEvent(id, TimelineEvent(at: time, kind: .action, text: text))
        }
    }

    /// How many times an action started on an incident.
    public func actionRuns(_ id: Int64, action: String) throws(Database.Failure) -> Int {
        let statement = try database.prepare("SELECT COUNT(*) FROM action_runs WHERE incident_id = ? AND action = ?").bind(id, action)
        return try statement.step() ? Int(statement.int(0)) : 0
    }
}
