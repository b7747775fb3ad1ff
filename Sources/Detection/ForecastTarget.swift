import Telemetry

/// A signal that can run out, and the value at which it does.
///
/// The defaults are the resources a host runs out of: filesystem space (`fs.*.free`
/// falling to 0) and inodes, memory available, swap and file handles. `[forecast] limit`
/// adds any other signal with a limit of the operator's choosing.
public struct ForecastTarget: Sendable, Equatable, Codable {
    /// Where the signal runs out.
    public enum Limit: Sendable, Equatable, Codable {
        /// A fixed value in the signal's unit.
        case value(Double)
        /// The value of a sibling signal: the same id with this last part (`fd.open` → `fd.max`).
        case sibling(String)
    }

    /// Glob over signal ids.
    public var pattern: String
    /// True when the signal runs out by rising (used swap), false by falling (free bytes).
    public var rising: Bool
    public var limit: Limit
    /// The word for reaching the limit: "full", "out of inodes", "exhausted".
    public var outcome: String

    public init(pattern: String, rising: Bool, limit: Limit, outcome: String) {
        self.pattern = pattern
        self.rising = rising
        self.limit = limit
        self.outcome = outcome
    }

    public static let defaults: [ForecastTarget] = [
        ForecastTarget(pattern: "fs.*.free", rising: false, limit: .value(0), outcome: "full"),
        ForecastTarget(pattern: "fs.*.inodes_used_percent", rising: true, limit: .value(100), outcome: "out of inodes"),
        ForecastTarget(pattern: "mem.available", rising: false, limit: .value(0), outcome: "exhausted"),
        ForecastTarget(pattern: "swap.used", rising: true, limit: .sibling("total"), outcome: "full"),
        ForecastTarget(pattern: "fd.open", rising: true, limit: .sibling("max"), outcome: "exhausted"),
    ]

    /// The limit's value for one reading among this tick's readings; nil when it has none (no swap).
    func limitValue(for id: SignalID, in readings: [Reading]) -> Double? {
        switch limit {
        case .value(let value):
            return value
        case .sibling(let measure):
            guard let dot = id.rawValue.lastIndex(of: ".") else { return nil }
            let sibling = SignalID(String(id.rawValue[...dot]) + measure)
            guard let value = readings.first(where: { $0.id == sibling })?.value, value > 0 else { return nil }
            return value
        }
    }

    /// What runs out, for a sentence: "/var", "memory", "swap", "file handles", or the signal's label.
    static func subject(of id: SignalID) -> String {
        let raw = id.rawValue
        if raw.hasPrefix("fs."), let dot = raw.lastIndex(of: ".") {
            return String(raw[raw.index(raw.startIndex, offsetBy: 3)..<dot])
        }
        switch raw {
        case "mem.available": return "memory"
        case "swap.used": return "swap"
        case "fd.open": return "file handles"
        default: return SignalPolicy.label(id)
        }
    }
}
