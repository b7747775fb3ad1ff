import Telemetry

/// Every signal's past at two resolutions: one value per second for the last hour,
/// and min/max/mean per minute for seven days. Both are pruned, so the file's
/// size is bounded by the number of signals.
///
/// The seconds of the current minute are gathered in memory and written when the
/// minute ends, one row per signal holding its 60 values (NaN where none was
/// sampled) next to that minute's low, high and mean. A crash loses at most the
/// minute in progress; acknowledgements never wait on history.
public final class HistoryStore {
    public let database: Database
    /// How long each resolution is kept, in seconds.
    public let secondsKept: Int64
    public let minutesKept: Int64
    private var minute: Int64?
    private var current: [SignalID: [Double]] = [:]

    public init(database: Database, secondsKept: Int64 = 3600, minutesKept: Int64 = 7 * 86_400) throws(Database.Failure) {
        self.database = database
        self.secondsKept = secondsKept
        self.minutesKept = minutesKept
        try Schema.migrate(database)
    }

    /// Records one tick's readings; when a minute has ended, writes it and prunes.
    public func record(_ readings: [Reading], at time: Double) throws(Database.Failure) {
        let second = Int64(time.rounded(.down))
        let thisMinute = second / 60 * 60
        if let minute, thisMinute != minute {
            try flush()
        }
        minute = thisMinute
        let slot = Int(second - thisMinute)
        for reading in readings where reading.value.isFinite {
            current[reading.id, default: [Double](repeating: .nan, count: 60)][slot] = reading.value
        }
    }

    /// Writes the minute gathered so far (at exit, or when the minute ends).
    public func flush() throws(Database.Failure) {
        guard let minute, !current.isEmpty else { return }
        try database.transaction { () throws(Database.Failure) in
            let seconds = try database.prepare("INSERT OR REPLACE INTO history_seconds (signal, minute, seconds) VALUES (?, ?, ?)")
            let minutes = try database.prepare("INSERT OR REPLACE INTO history_minutes (signal, at, low, high, mean) VALUES (?, ?, ?, ?, ?)")
            for (signal, values) in current {
                let sampled = values.filter { !$0.isNaN }
                guard let low = sampled.min(), let high = sampled.max() else { continue }
                var bytes = [UInt8]()
                bytes.reserveCapacity(values.count * 8)
                for value in values {
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                }
                try seconds.bind(signal.rawValue, minute, bytes).run()
                try minutes.bind(signal.rawValue, minute, low, high, sampled.reduce(0, +) / Double(sampled.count)).run()
            }
            try database.prepare("DELETE FROM history_seconds WHERE minute < ?").bind(minute - secondsKept).run()
            try database.prepare("DELETE FROM history_minutes WHERE at < ?").bind(minute - minutesKept).run()
        }
        current.removeAll(keepingCapacity: true)
    }

    /// Per-second values of a signal since `since`, oldest first (written minutes, then the one in progress).
    public func seconds(of signal: SignalID, since: Double) throws(Database.Failure) -> [(at: Double, value: Double)] {
        let statement = try database.prepare("SELECT minute, seconds FROM history_seconds WHERE signal = ? AND minute >= ? ORDER BY minute")
            .bind(signal.rawValue, Int64(since) / 60 * 60)
        var rows: [(Double, Double)] = []
        func unpack(_ minute: Int64, _ values: [Double]) {
            for (slot, value) in values.enumerated() where !value.isNaN {
                let at = Double(minute) + Double(slot)
                if at >= since { rows.append((at, value)) }
            }
        }
        while try statement.step() {
            let bytes = statement.blob(1) ?? []
            let values = stride(from: 0, to: bytes.count - 7, by: 8).map { offset -> Double in
                var pattern: UInt64 = 0
                for index in 0..<8 { pattern |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
                return Double(bitPattern: pattern)
            }
            unpack(statement.int(0), values)
        }
        if let minute, let values = current[signal] { unpack(minute, values) }
        return rows
    }

    /// The signals with per-second history since `since`.
    public func signals(since: Double) throws(Database.Failure) -> [SignalID] {
        let statement = try database.prepare("SELECT DISTINCT signal FROM history_seconds WHERE minute >= ?").bind(Int64(since) / 60 * 60)
        var signals: [SignalID] = []
        while try statement.step() { signals.append(SignalID(statement.text(0) ?? "")) }
        return signals
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
