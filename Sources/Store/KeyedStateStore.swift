/// Opaque saved state by key: the detection engine's baselines, so a restart
/// does not relearn from zero.
public final class KeyedStateStore {
    public let database: Database

    public init(database: Database) throws(Database.Failure) {
        self.database = database
        try Schema.migrate(database)
    }

    /// Saves (replacing) the state under `key`.
    public func save(_ state: [UInt8], key: String, at time: Double) throws(Database.Failure) {
        try database.prepare("INSERT INTO detector_state (key, state, saved_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at")
            .bind(key, state, time).run()
    }

    /// The state saved under `key` and when, or nil.
    public func load(key: String) throws(Database.Failure) -> (state: [UInt8], savedAt: Double)? {
        let statement = try database.prepare("SELECT state, saved_at FROM detector_state WHERE key = ?").bind(key)
        guard try statement.step(), let state = statement.blob(0) else { return nil }
        return (state, statement.double(1))
    }
}
