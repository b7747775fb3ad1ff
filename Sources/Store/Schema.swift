/// The database schema as a list of migrations, applied in order once each.
///
/// `PRAGMA user_version` records how many have run. A migration is never edited
/// after it ships; a change is a new migration at the end.
public enum Schema {
    static let migrations: [String] = [
        // 1: incidents, their timelines and acknowledgements, anomalies, silences,
        // log templates, detector state, and signal history at two resolutions.
        """
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            severity TEXT NOT NULL,
            state TEXT NOT NULL,
            opened_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            resolved_at REAL,
            root_signal TEXT,
            detail BLOB
        );
        CREATE INDEX incidents_by_state ON incidents(state, updated_at);
        CREATE TABLE incident_events (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            at REAL NOT NULL,
            kind TEXT NOT NULL,
            actor TEXT,
            text TEXT NOT NULL
        );
        CREATE INDEX incident_events_by_incident ON incident_events(incident_id, at);
        CREATE TABLE acknowledgements (
            incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
            who TEXT NOT NULL,
            at REAL NOT NULL,
            note TEXT
        );
        CREATE TABLE anomalies (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
            signal TEXT NOT NULL,
            onset REAL NOT NULL,
            end_at REAL,
            peak REAL,
            band_low REAL,
            band_high REAL,
            severity TEXT NOT NULL,
            silenced INTEGER NOT NULL DEFAULT 0,
            explanation TEXT NOT NULL
        );
        CREATE INDEX anomalies_by_incident ON anomalies(incident_id);
        CREATE TABLE silences (
            id INTEGER PRIMARY KEY,
            pattern TEXT NOT NULL,
            until REAL NOT NULL,
            created_by TEXT NOT NULL,
            created_at REAL NOT NULL,
            note TEXT
        );
        CREATE TABLE templates (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            text TEXT NOT NULL,
            count INTEGER NOT NULL,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL
        );
        CREATE TABLE detector_state (
            key TEXT PRIMARY KEY,
            state BLOB NOT NULL,
            saved_at REAL NOT NULL
        );
        CREATE TABLE history_seconds (
            signal TEXT NOT NULL,
            at INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (signal, at)
        ) WITHOUT ROWID;
        CREATE TABLE history_minutes (
            signal TEXT NOT NULL,
            at INTEGER NOT NULL,
            low REAL NOT NULL,
            high REAL NOT NULL,
            mean REAL NOT NULL,
            PRIMARY KEY (signal, at)
        ) WITHOUT ROWID;
        """,
        // 2: a template keeps its miner cluster number, so a restored miner keeps its groups.
        """
        ALTER TABLE templates ADD COLUMN cluster INTEGER NOT NULL DEFAULT 0;
        """,
        // 3: per-second history as one row per signal and minute (60 packed values): a row
        // per value cost more CPU each second than everything else the monitor does.
        """
        DROP TABLE history_seconds;
        CREATE TABLE history_seconds (
            signal TEXT NOT NULL,
            minute INTEGER NOT NULL,
            seconds BLOB NOT NULL,
            PRIMARY KEY (signal, minute)
        ) WITHOUT ROWID;
        """,
        // 4: runbook actions run against incidents; an automatic one runs once per incident,
        // also across restarts, so its claim is unique.
        """
        CREATE TABLE action_runs (
            id INTEGER PRIMARY KEY,
            incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            automatic INTEGER NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            outcome TEXT
        );
        CREATE UNIQUE INDEX action_runs_automatic_once ON action_runs(incident_id, action) WHERE automatic = 1;
        """,
    ]

    /// The schema version this build writes.
    public static var currentVersion: Int64 { Int64(migrations.count) }

    /// Brings the database up to `currentVersion`, each step in its own transaction.
    /// - Throws: when the file was written by a newer Vigil, rather than guess at it.
    public static func migrate(_ database: Database) throws(Database.Failure) {
        let version = try database.scalarInt("PRAGMA user_version") ?? 0
        if version > currentVersion {
            throw Database.Failure(
                path: database.path,
                message: "written by a newer Vigil (schema \(version), this one knows \(currentVersion)); upgrade Vigil or use another --db",
                code: 1
            )
        }
        for (index, migration) in migrations.enumerated() where Int64(index) >= version {
            try database.transaction { () throws(Database.Failure) in
                try database.execute(migration)
                try database.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
