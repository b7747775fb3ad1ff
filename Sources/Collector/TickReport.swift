import Telemetry

/// What one collection tick has gathered so far: readings, sources that failed, lines skipped.
struct TickReport {
    var readings: [Reading] = []
    var unavailable: [String: String] = [:]
    var malformed = 0

    init() {
        readings.reserveCapacity(512)
    }

    mutating func add(_ id: SignalID, _ value: Double, _ unit: SignalUnit) {
        // A NaN or infinity would poison baselines and JSON alike; such a value is not a reading.
        guard value.isFinite else { return }
        readings.append(Reading(id, value, unit))
    }

    /// Notes that `source` could not be read, with the C library's reason.
    mutating func missing(_ source: String, _ file: ProcFile) {
        unavailable[source] = file.lastError ?? "unreadable"
    }
}

/// The per-second rate of a counter between two readings `elapsed` seconds apart.
func rate(_ old: UInt64, _ new: UInt64, _ elapsed: Double) -> Double {
    Double(counterDelta(from: old, to: new)) / elapsed
}

/// Signal ids of one entity (a disk, an interface, a mount), built once and reused every tick
/// so the hot path makes no strings.
struct EntitySignalIDs {
    private var cache: [String: [SignalID]] = [:]
    let prefix: String
    let measures: [String]

    init(prefix: String, measures: [String]) {
        self.prefix = prefix
        self.measures = measures
    }

    mutating func ids(for entity: String) -> [SignalID] {
        if let known = cache[entity] { return known }
        let made = measures.map { SignalID("\(prefix).\(entity).\($0)") }
        // Entities come and go (containers' veth pairs); a bound keeps the cache from growing forever.
        if cache.count > 4096 { cache.removeAll(keepingCapacity: true) }
        cache[entity] = made
        return made
    }
}
