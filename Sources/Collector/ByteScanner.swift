/// A cursor over the bytes of a /proc file, for parsers that must not make a
/// `String` per line.
///
/// Every method is total: running off the end yields nil or an empty slice,
/// never a trap, so a truncated file becomes a skipped field, not a crash.
public struct ByteScanner {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var position: Int

    public init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    public var isAtEnd: Bool { position >= bytes.count }

    /// The byte under the cursor, or nil at the end.
    public var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    public mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 {
            position += 1
        }
    }

    /// Moves past the next newline (or to the end).
    public mutating func skipLine() {
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == 0x0A { return }
        }
    }

    /// Whether the cursor sits on a line break or the end.
    public var atEndOfLine: Bool {
        position >= bytes.count || bytes[position] == 0x0A
    }

    /// The next run of bytes up to a space, tab or newline, after skipping spaces.
    public mutating func token() -> UnsafeRawBufferPointer {
        skipSpaces()
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A { break }
            position += 1
        }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
    }

    /// The rest of the current line, without its newline; the cursor moves past it.
    public mutating func restOfLine() -> UnsafeRawBufferPointer {
        let start = position
        while position < bytes.count, bytes[position] != 0x0A {
            position += 1
        }
        let line = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        if position < bytes.count { position += 1 }
        return line
    }

    /// An unsigned decimal after optional spaces; nil when no digit is there.
    /// Values past UInt64 wrap, as the kernel's own counters do.
    public mutating func unsigned() -> UInt64? {
        skipSpaces()
        var value: UInt64 = 0
        var digits = 0
        while position < bytes.count {
            let byte = bytes[position]
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value &* 10 &+ UInt64(byte &- 0x30)
            position += 1
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// A signed decimal after optional spaces.
    public mutating func signed() -> Int64? {
        skipSpaces()
        var negative = false
        if position < bytes.count, bytes[position] == 0x2D {
            negative = true
            position += 1
        }
        guard let magnitude = unsigned() else { return nil }
        let value = Int64(truncatingIfNeeded: magnitude)
        return negative ? -value : value
    }

    /// A decimal with an optional fraction (`12.34`), as /proc/uptime and PSI write them.
    public mutating func decimal() -> Double? {
        skipSpaces()
        guard let whole = unsigned() else { return nil }
        var value = Double(whole)
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            // Digits gathered as an integer and divided once: `0.41` reads as 0.41, not 0.41000000000000003.
            var fraction: UInt64 = 0
            var scale: UInt64 = 1
            while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
                if scale < 1_000_000_000_000_000 {
                    fraction = fraction * 10 + UInt64(bytes[position] &- 0x30)
                    scale *= 10
                }
                position += 1
            }
            value += Double(fraction) / Double(scale)
        }
        return value
    }

    /// Consumes `literal` if the bytes at the cursor start with it.
    public mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let base = literal.utf8Start
        for offset in 0..<count where bytes[position + offset] != base[offset] {
            return false
        }
        position += count
        return true
    }
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes spell `literal` exactly.
    public func equals(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.count == count else { return false }
        let base = literal.utf8Start
        for offset in 0..<count where self[offset] != base[offset] {
            return false
        }
        return true
    }

    /// Whether these bytes begin with `literal`.
    public func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.count >= count else { return false }
        let base = literal.utf8Start
        for offset in 0..<count where self[offset] != base[offset] {
            return false
        }
        return true
    }

    /// The bytes as text, invalid UTF-8 replaced; for the few strings kept per tick.
    public var text: String {
        String(decoding: self, as: UTF8.self)
    }
}
