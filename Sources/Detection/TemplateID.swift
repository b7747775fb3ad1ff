/// A template's identity that survives restarts: the 64-bit FNV-1a hash of its text.
///
/// Two templates with the same text have the same id on every machine and in every run, so ids can be
/// stored, compared and looked up later. The text form is 16 lower-case hex digits.
public struct TemplateID: Hashable, Sendable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The id of a template text, hashed over its UTF-8 bytes.
    public init(templateText: String) {
        var hash = FNV1a()
        for byte in templateText.utf8 { hash.add(byte) }
        self.rawValue = hash.value
    }

    /// Parses the 16-hex-digit form printed by `description`; nil for anything else.
    public init?(_ text: String) {
        guard text.utf8.count == 16, let value = UInt64(text, radix: 16) else { return nil }
        self.rawValue = value
    }
}

extension TemplateID: CustomStringConvertible {
    public var description: String {
        let hex = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - hex.utf8.count) + hex
    }
}

// Stored as the hex text rather than a number: JSON readers that hold numbers as doubles would
// silently round a 64-bit value.
extension TemplateID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = TemplateID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "template id '\(text)' is not 16 hex digits")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The 64-bit FNV-1a hash, fed one byte at a time.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
}
