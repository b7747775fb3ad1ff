/// The stable name of one signal, such as `cpu.total.busy` or `mem.available`.
///
/// Ids are dotted paths from the general to the particular (subsystem, entity,
/// measure). They are stored in the database and exported, so an id never
/// changes meaning once it has shipped.
public struct SignalID: RawRepresentable, Hashable, Comparable, Sendable {
    public var rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public static func < (lhs: SignalID, rhs: SignalID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension SignalID: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.rawValue = value
    }
}

extension SignalID: CustomStringConvertible {
    public var description: String { rawValue }
}

extension SignalID: Codable {
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
