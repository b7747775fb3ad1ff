/// How the miner sees one whitespace-separated word of a message: its masked form.
///
/// Masking is a pure function of the word's bytes, with one generic rule set for
/// every source (no per-dataset regexes). A word starting with `/` (a path), holding
/// `://` (a URL) or `@` between letters (an e-mail address), or quoted whole, is one
/// variable. Otherwise the word is cut at punctuation (`=` `:` `,` `|` `(` `)` `[`
/// `]` `{` `}` `;` `<` `>` `"` `'`) and each piece holding a digit (numbers, ids, hex,
/// addresses, times, durations), starting with `/` (a path) or a long hex run becomes `<*>`; pieces joined by
/// `.`, `:` or `-` stay one `<*>` (`10.0.0.1:80`, `12:30:01.5`, `fe80::1`, a UUID). So
/// `pid=1234,` masks to `pid=<*>,`, and `onExtend:1514038530000` to `onExtend:<*>`,
/// keeping the words that name the event. A `key=value` value without a digit stays,
/// as `force=true` and `force=false` are often different events.
enum MessageToken {
    /// The hash that stands for a word that is `<*>` whole.
    static let wildcard: UInt64 = 0

    private static let prime: UInt64 = 0x0000_0100_0000_01B3
    private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// What a masked piece adds to the hash, in place of its bytes.
    private static let maskByte: UInt64 = 0x01

    /// Bytes that cut a word into pieces.
    @inline(__always)
    static func isCut(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x3D, 0x3A, 0x2C, 0x7C, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3B, 0x3C, 0x3E, 0x22, 0x27: return true
        default: return false
        }
    }

    /// Whether the word is one variable whole: a path, a URL, an e-mail address or a quoted string.
    @inline(__always)
    static func isWholeVariable(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        let first = bytes[start]
        let length = end - start
        if first == 0x2F && length > 1 { return true }
        if length >= 2 && (first == 0x22 || first == 0x27) && bytes[end - 1] == first { return true }
        var index = start
        var at = -1
        while index < end {
            let byte = bytes[index]
            if byte == 0x3A && index + 2 < end && bytes[index + 1] == 0x2F && bytes[index + 2] == 0x2F && index > start { return true }
            if byte == 0x40 && index > start && at < 0 { at = index }
            if byte == 0x2E && at >= 0 && index > at + 1 && index + 1 < end { return true }
            index += 1
        }
        return false
    }

    /// The hash of the word's masked form; `wildcard` when it masks to `<*>` whole.
    /// - Parameter text: when given, the masked form is appended to it.
    @inline(__always)
    static func mask(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, text: UnsafeMutablePointer<[UInt8]>? = nil) -> UInt64 {
        if isWholeVariable(bytes, start, end) {
            text?.pointee.append(contentsOf: [0x3C, 0x2A, 0x3E])
            return wildcard
        }
        var value = basis
        var allMasked = true
        var lastWasMask = false
        var colons = 0
        var joinedValue = value
        var index = start
        while index < end {
            let byte = bytes[index]
            if isCut(byte) {
                value = (value ^ UInt64(byte)) &* prime
                text?.pointee.append(byte)
                allMasked = false
                lastWasMask = lastWasMask && byte == 0x3A
                colons += 1
                index += 1
                continue
            }
            // A piece: up to the next cut byte.
            let pieceStart = index
            var digits = false
            var hex = 0
            while index < end, !isCut(bytes[index]) {
                let b = bytes[index]
                if b >= 0x30 && b <= 0x39 { digits = true }
                else if (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) { hex += 1 }
                index += 1
            }
            let length = index - pieceStart
            let path = bytes[pieceStart] == 0x2F && length > 1
            if digits || path || (hex == length && length >= 16) {
                // `10.0.0.1:80` arrives as `10.0.0.1` then `:` then `80`: one mask for the run.
                let joined = lastWasMask
                if joined {
                    // Undo the `:` just hashed and written: the run stays one `<*>`.
                    value = joinedValue
                    text?.pointee.removeLast(colons)
                } else {
                    value = (value ^ maskByte) &* prime
                    text?.pointee.append(contentsOf: [0x3C, 0x2A, 0x3E])
                }
                lastWasMask = true
                colons = 0
                joinedValue = value
            } else {
                allMasked = false
                lastWasMask = false
                var i = pieceStart
                while i < index {
                    value = (value ^ UInt64(bytes[i])) &* prime
                    i += 1
                }
                text?.pointee.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[pieceStart..<index]))
            }
        }
        if allMasked { return wildcard }
        return value == wildcard ? 1 : value
    }
}
