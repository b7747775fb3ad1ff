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
