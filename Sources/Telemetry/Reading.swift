/// One value of one signal at the time of a snapshot.
public struct Reading: Hashable, Sendable, Codable {
    public var id: SignalID
    public var value: Double
    public var unit: SignalUnit

    public init(_ id: SignalID, _ value: Double, _ unit: SignalUnit) {
        self.id = id
        self.value = value
        self.unit = unit
    }
}

/// What a signal's number means, so it can be formatted and compared sensibly.
public enum SignalUnit: String, Hashable, Sendable, Codable, CaseIterable {
    /// 0 to 100.
    case percent
    case bytes
    case bytesPerSecond = "bytes/s"
    case count
    case perSecond = "/s"
    case seconds
    case milliseconds = "ms"
}

extension SignalUnit {
    /// A value in this unit, short: `38%`, `1.2G`, `3.4M/s`, `120/s`, `12ms`.
    public func format(_ value: Double) -> String {
        switch self {
        case .percent: return HumanReadable.percent(max(0, value))
        case .bytes: return HumanReadable.bytes(value)
        case .bytesPerSecond: return HumanReadable.bytes(value) + "/s"
        case .perSecond: return HumanReadable.fixed(value, decimals: value < 10 ? 1 : 0) + "/s"
        case .count: return HumanReadable.fixed(value, decimals: value.rounded() == value ? 0 : 2)
        case .seconds: return DurationText.format(value)
        case .milliseconds: return HumanReadable.fixed(value, decimals: value < 10 ? 1 : 0) + "ms"
        }
    }
}
