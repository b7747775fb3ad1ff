import Telemetry

/// Every signal's past at two resolutions: one value per second for the last hour,
/// and min/max/mean per minute for seven days. Both are pruned, so the file's
/// size is bounded by the number of signals.
public final class HistoryStore {
    public let database: Database
    /// How long each resolution is kept, in seconds.
    public let secondsKept: Int64
    public let minutesKept: Int64
    private var lastRolledMinute: Int64?
    private lazy var insertSecond = try? database.prepare(
        "INSERT OR REPLACE INTO history_seconds (signal, at, value) VALUES (?, ?, ?)"
    )

    public init(database: Database, secondsKept: Int64 = 3600, minutesKept: Int64 = 7 * 86_400) throws(Database.Failure) {
        self.database = database
        self.secondsKept = secondsKept
        self.minutesKept = minutesKept
        try Schema.migrate(database)
    }

    /// Records one tick's readings; when a minute has passed, rolls it up and prunes.
    public func record(_ readings: [Reading], at time: Double) throws(Database.Failure) {
        let second = Int64(time.rounded(.down))
        try database.transaction { () throws(Database.Failure) in
            guard let insert = insertSecond else {
                throw Database.Failure(path: database.path, message: "cannot prepare the history insert", code: 1)
            }
            for reading in readings where reading.value.isFinite {
                try insert.bind(reading.id.rawValue, second, reading.value).run()
            }
            let minute = second / 60 * 60
            if let previous = lastRolledMinute, minute > previous {
                try rollUp(from: previous, to: minute)
            }
            if lastRolledMinute == nil || minute > lastRolledMinute! {
                lastRolledMinute = minute
            }
        }
    }

    /// Aggregates whole minutes in [from, to) and drops what is past its keeping time.
    private func rollUp(from start: Int64, to end: Int64) throws(Database.Failure) {
        try database.prepare("""
            INSERT OR REPLACE INTO history_minutes (signal, at, low, high, mean)
            SELECT signal, (at / 60) * 60, MIN(value), MAX(value), AVG(value)
            FROM history_seconds WHERE at >= ? AND at < ? GROUP BY signal, at / 60
            """).bind(start, end).run()
        try database.prepare("DELETE FROM history_seconds WHERE at < ?").bind(end - secondsKept).run()
        try database.prepare("DELETE FROM history_minutes WHERE at < ?").bind(end - minutesKept).run()
    }

    /// Per-second values of a signal since `since`, oldest first.
    public func seconds(of signal: SignalID, since: Double) throws(Database.Failure) -> [(at: Double, value: Double)] {
        let statement = try database.prepare("SELECT at, value FROM history_seconds WHERE signal = ? AND at >= ? ORDER BY at")
            .bind(signal.rawValue, Int64(since))
        var rows: [(Double, Double)] = []
        while try statement.step() { rows.append((statement.double(0), statement.double(1))) }
        return rows
    }

    /// Per-minute (low, high, mean) of a signal since `since`, oldest first.
    public func minutes(of signal: SignalID, since: Double) throws(Database.Failure) -> [(at: Double, low: Double, high: Double, mean: Double)] {
        let statement = try database.prepare("SELECT at, low, high, mean FROM history_minutes WHERE signal = ? AND at >= ? ORDER BY at")
            .bind(signal.rawValue, Int64(since))
        var rows: [(Double, Double, Double, Double)] = []
        while try statement.step() {
            rows.append((statement.double(0), statement.double(1), statement.double(2), statement.double(3)))
        }
        return rows
    }
}
