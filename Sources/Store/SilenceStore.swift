import Telemetry

/// A signal id or glob pattern silenced until a time: its anomalies are still
/// recorded, but marked silenced and kept out of alerts.
public struct Silence: Hashable, Sendable, Codable {
    public var id: Int64
    /// A signal id, or a glob such as `disk.*.util` (`*` any run, `?` one character).
    public var pattern: String
    public var until: Double
    public var createdBy: String
    public var createdAt: Double
    public var note: String?

    public init(id: Int64, pattern: String, until: Double, createdBy: String, createdAt: Double, note: String? = nil) {
        self.id = id
        self.pattern = pattern
        self.until = until
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.note = note
    }
}

/// Silences in the database.
public final class SilenceStore {
    public let database: Database

    public init(database: Database) throws(Database.Failure) {
        self.database = database
        try Schema.migrate(database)
    }

    /// Adds a silence; returns it once committed.
    public func add(pattern: String, until: Double, by who: String, note: String?, at time: Double) throws(Database.Failure) -> Silence {
        try database.transaction { () throws(Database.Failure) -> Silence in
            try database.prepare("INSERT INTO silences (pattern, until, created_by, created_at, note) VALUES (?, ?, ?, ?, ?)")
                .bind(pattern, until, who, time, note).run()
            return Silence(id: database.lastInsertID, pattern: pattern, until: until, createdBy: who, createdAt: time, note: note)
        }
    }

    /// Silences still in force at `time`.
    public func active(at time: Double) throws(Database.Failure) -> [Silence] {
        let statement = try database.prepare("SELECT id, pattern, until, created_by, created_at, note FROM silences WHERE until > ? ORDER BY id").bind(time)
        var silences: [Silence] = []
        while try statement.step() {
            silences.append(Silence(
                id: statement.int(0), pattern: statement.text(1) ?? "", until: statement.double(2),
                createdBy: statement.text(3) ?? "", createdAt: statement.double(4), note: statement.text(5)
            ))
        }
        return silences
    }

    /// Ends a silence now.
    public func expire(_ id: Int64, at time: Double) throws(Database.Failure) {
        try database.prepare("UPDATE silences SET until = ? WHERE id = ?").bind(time, id).run()
    }
}
