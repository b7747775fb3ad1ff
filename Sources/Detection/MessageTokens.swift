/// A log message cut into whitespace-separated tokens, with the variable parts of each token masked as `<*>`.
///
/// Masking is one pass over the bytes with a hand-written classifier, the same for every source:
///
/// - a double-quoted string (it may contain spaces) or a single-quoted word becomes `"<*>"` / `'<*>'`;
/// - the value of `key=value` becomes `<*>` (`user=<*>`, `tag="<*>"`);
/// - URLs (`scheme://...`), paths (`/a/b`, `a/b/c`, `./x`, `~/x`, `C:\x`, `\\host\x`) and e-mail addresses
///   become `<*>`;
/// - inside anything else, every alphanumeric run holding a digit becomes `<*>`, and runs joined by a
///   single `.` `:` `-` `/` `_` `@` `,` `+` or `\` collapse into one, so numbers, hex, IPv4/IPv6 with port,
///   UUIDs, MACs, versions, timestamps and durations (`12ms`) each leave one `<*>`, while the words around
///   them stay: `blk_-42` → `blk_<*>`, `core.1234` → `core.<*>`, `(TID 7).` → `(TID <*>).`.
///
/// Leading `([{` and trailing `)]},;:.!?` are kept as written around the masked part. A literal `<*>`
/// in the input is a variable too, so masking a template's own text gives the template back.
///
/// The value is reused from message to message: once its buffers have grown to the longest message,
/// tokenising allocates nothing.
struct MessageTokens {
    /// FNV-1a of `<*>`: the token hash of a fully variable token, and of a template's wildcard position.
    static let wildcardHash: UInt64 = 0x70cc_8c18_30b5_f0c7

    /// The masked tokens' bytes, back to back; token `k` is `bytes[starts[k]..<ends[k]]`.
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int32] = []
    private(set) var ends: [Int32] = []
    /// FNV-1a of each masked token: what the miner compares.
    private(set) var hashes: [UInt64] = []
    /// A hash of the whole masked token sequence, used to remember where the same shape went last time.
    private(set) var sequenceHash: UInt64 = 0
    /// Longer messages keep their first `maxTokens - 1` tokens and a final `<*>` for the rest.
    let maxTokens: Int

    /// Units that follow a number (sizes, durations, rates, percent), lower-cased and packed into integers.
    private let units: Set<UInt64>

    init(maxTokens: Int = 256) {
        self.maxTokens = max(2, maxTokens)
        self.units = Set(
            [
                "b", "kb", "mb", "gb", "tb", "pb", "kib", "mib", "gib", "tib", "byte", "bytes", "bit", "bits",
                "ns", "us", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes",
                "h", "hr", "hrs", "hour", "hours", "day", "days", "hz", "khz", "mhz", "ghz", "bps", "kbps",
                "mbps", "gbps", "%",
            ].map { $0.utf8.reduce(0) { $0 << 8 | UInt64($1) } })
    }

    var count: Int { hashes.count }

    /// The masked text of token `index`.
    func text(at index: Int) -> String {
        String(decoding: bytes[Int(starts[index])..<Int(ends[index])], as: UTF8.self)
    }

    /// The masked tokens of `message`, for tests and tools.
    static func masked(_ message: String) -> [String] {
        var tokens = MessageTokens()
        tokens.tokenize(message)
        return (0..<tokens.count).map { tokens.text(at: $0) }
    }

    mutating func tokenize(_ message: String) {
        var message = message
        message.withUTF8 { tokenize(UnsafeRawBufferPointer($0)) }
    }

    /// Splits and masks one message; the previous message's tokens are dropped.
    mutating func tokenize(_ message: UnsafeRawBufferPointer) {
        // Masking can only grow a token by turning one digit into `<*>` (or `"x"` into `"<*>"`): 3n is enough.
        let needed = message.count * 3 + 16
        if bytes.count < needed {
            bytes = [UInt8](repeating: 0, count: max(needed, bytes.count * 2))
        }
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        guard let base = message.baseAddress, message.count > 0 else {
            sequenceHash = Self.combine(0, count: 0)
            return
        }
        let input = base.assumingMemoryBound(to: UInt8.self)
        var output = bytes
        bytes = []
        let n = message.count
        var sequence: UInt64 = 0
        output.withUnsafeMutableBufferPointer { buffer in
            let out = buffer.baseAddress!
            var i = 0
            var o = 0
            while i < n {
                while i < n && isSpace(input[i]) { i += 1 }
                if i >= n { break }
                let start = o
                var named = false
                if hashes.count == maxTokens - 1 {
                    // Fold the rest into one variable token so a runaway line cannot grow a template without bound.
                    o = writeWildcard(out, o)
                    i = n
                } else {
                    var end = i
                    while end < n && !isSpace(input[end]) { end += 1 }
                    end = Self.quotedEnd(input, i, end, n)
                    o = Self.mask(input, i, end, out, o, named: &named)
                    i = end
                    if o - start >= 3 && out[o - 3] == lessThan && out[o - 2] == star && out[o - 1] == greaterThan {
                        // `12 ms`, `(850.0 B,`: a unit after a number belongs to the value.
                        i = unitEnd(input, i, n, out, &o)
                    }
                }
                var hash = FNV1a()
                var variable = false
                for k in start..<o {
                    hash.add(out[k])
                    if out[k] == star && k > start && out[k - 1] == lessThan { variable = true }
                }
                // The low bit says whether the token holds a `<*>`: the miner treats two different
                // variable-looking tokens as the same variable rather than as a mismatch.
                // A `key=<*>` field is known by its key, so it counts as a constant.
                let tokenHash = variable && !named ? hash.value | 1 : hash.value & ~1
                starts.append(Int32(start))
                ends.append(Int32(o))
                hashes.append(tokenHash)
                sequence = Self.mix(sequence, tokenHash)
            }
        }
        bytes = output
        sequenceHash = Self.combine(sequence, count: hashes.count)
    }

    @inline(__always)
    private static func mix(_ state: UInt64, _ value: UInt64) -> UInt64 {
        let x = (state ^ value) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    @inline(__always)
    private static func combine(_ state: UInt64, count: Int) -> UInt64 {
        mix(state, UInt64(count) &+ 0x632B_E59B_D9B4_E019)
    }

    /// If the token after `i` is a unit of size, time or rate, appends its trailing punctuation to the
    /// output and returns where it ends; otherwise returns `i`.
    private func unitEnd(
        _ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ out: UnsafeMutablePointer<UInt8>, _ o: inout Int
    ) -> Int {
        var a = i
        while a < n && isSpace(p[a]) { a += 1 }
        var end = a
        while end < n && !isSpace(p[end]) { end += 1 }
        var z = end
        while z > a && isCloser(p[z - 1]) { z -= 1 }
        guard z > a, z - a <= 7 else { return i }
        // Lower-cased, packed into an integer, and compared with the packed unit names.
        var word: UInt64 = 0
        for k in a..<z {
            let b = p[k]
            guard isAlpha(b) || b == 0x25 else { return i }
            word = word << 8 | UInt64(b | (isAlpha(b) ? 0x20 : 0))
        }
        guard units.contains(word) else { return i }
        o = copy(p, z, end, out, o)
        return end
    }

    /// Where a token ends when it opens a double-quoted string that closes after a space: the quoted text
    /// is one value however many words it has.
    private static func quotedEnd(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ n: Int
    ) -> Int {
        var q = start
        while q < end && isOpener(p[q]) { q += 1 }
        if q >= end || p[q] != quote {
            // Only `key="...` opens a quote in the middle of a token.
            q = start
            while q < end && p[q] != equals { q += 1 }
            q += 1
            guard q < end, p[q] == quote else { return end }
        }
        var k = q + 1
        while k < end {
            if p[k] == quote { return end }
            k += 1
        }
        while k < n && p[k] != quote { k += 1 }
        guard k < n else { return end }
        while k < n && !isSpace(p[k]) { k += 1 }
        return k
    }

    /// Writes the masked form of `p[s..<e]` at `out + o`; returns the new end of the output.
    private static func mask(
        _ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, _ out: UnsafeMutablePointer<UInt8>, _ o: Int,
        named: inout Bool
    ) -> Int {
        var a = s
        var z = e
        while a < z && isOpener(p[a]) { a += 1 }
        while z > a && isCloser(p[z - 1]) { z -= 1 }
        var o = copy(p, s, a, out, o)
        if a == z { return copy(p, a, e, out, o) }

        let first = p[a]
        if first == quote || first == apostrophe {
            var q = e - 1
            while q > a && p[q] != first { q -= 1 }
            if q > a + 1 {
                out[o] = first
                o = writeWildcard(out, o + 1)
                out[o] = first
                return copy(p, q + 1, e, out, o + 1)
            }
        }
        if let equalsAt = keyValueSplit(p, a, z, e) {
            named = true
            o = copy(p, a, equalsAt + 1, out, o)
            let v = equalsAt + 1
            if v < e && p[v] == quote {
                var q = e - 1
                while q > v && p[q] != quote { q -= 1 }
                if q > v {
                    out[o] = quote
                    o = writeWildcard(out, o + 1)
                    out[o] = quote
                    return copy(p, q + 1, e, out, o + 1)
                }
            }
            o = writeWildcard(out, o)
            return copy(p, z, e, out, o)
        }
        if isWhole(p, a, z) {
            o = writeWildcard(out, o)
            return copy(p, z, e, out, o)
        }
        o = maskRuns(p, a, z, out, o)
        return copy(p, z, e, out, o)
    }

    /// The index of the `=` when `p[a..<z]` reads `key=value` with an identifier-like key and a value.
    private static func keyValueSplit(_ p: UnsafePointer<UInt8>, _ a: Int, _ z: Int, _ e: Int) -> Int? {
        let b = p[a]
        guard isAlpha(b) || b == underscore || b == minus || b >= 0x80 else { return nil }
        var k = a + 1
        while k < z {
            let c = p[k]
            if c == equals { break }
            guard isWord(c) || c == underscore || c == dot || c == minus else { return nil }
            k += 1
        }
        // A value, or an opening quote whose closing one was trimmed off as punctuation.
        guard k < z, k + 1 < z || (k + 1 < e && p[k + 1] == quote) else { return nil }
        return k
    }

    /// Whether `p[a..<z]` is a URL, a path or an e-mail address, masked as a whole.
    private static func isWhole(_ p: UnsafePointer<UInt8>, _ a: Int, _ z: Int) -> Bool {
        let length = z - a
        let b = p[a]
        if length >= 3 {
            let c = p[a + 1]
            if (b == tilde || b == dot) && c == slash { return true }
            if b == dot && c == dot && p[a + 2] == slash { return true }
            if isAlpha(b) && c == colon && p[a + 2] == backslash { return true }
            if b == backslash && c == backslash { return true }
        }
        var slashes = 0
        var backslashes = 0
        var at = -1
        var k = a
        while k < z {
            let c = p[k]
            if c == slash {
                slashes += 1
                if k >= a + 1 && p[k - 1] == colon && k + 1 < z && p[k + 1] == slash && isAlpha(b) {
                    return true  // scheme://
                }
            } else if c == backslash {
                backslashes += 1
            } else if c == at_ && at < 0 {
                at = k
            }
            k += 1
        }
        // `/a/b`, `a/b/c`, `C:\a\b` and `/tmp`; `/10.0.0.1:80` is left to the run masking (`/<*>`).
        if slashes >= 2 || backslashes >= 2 { return true }
        if b == slash && slashes == 1 && length > 1 && isAlpha(p[a + 1]) { return true }
        if at > a && at + 1 < z {
            var k = at + 1
            while k < z && p[k] != dot { k += 1 }
            if k + 1 < z && isAlpha(p[k + 1]) && isWord(p[at - 1]) && isWord(p[at + 1]) { return true }
        }
        return false
    }

    /// Masks every alphanumeric run holding a digit, collapsing runs joined by single separators.
    private static func maskRuns(
        _ p: UnsafePointer<UInt8>, _ a: Int, _ z: Int, _ out: UnsafeMutablePointer<UInt8>, _ o: Int
    ) -> Int {
        var o = o
        var i = a
        var lastVariableEnd = -2   // input index just past the last masked run
        var lastWildcardEnd = 0    // output index just past its `<*>`
        while i < z {
            let b = p[i]
            var j = i
            var variable: Bool
            if b == lessThan && i + 2 < z && p[i + 1] == star && p[i + 2] == greaterThan {
                j = i + 3
                variable = true
            } else if isWord(b) {
                var digits = false
                var hexLetters = true
                while j < z {
                    let c = p[j]
                    guard isWord(c) else { break }
                    if isDigit(c) { digits = true } else if !isHexLetter(c) { hexLetters = false }
                    j += 1
                }
                // A hex-letter run continuing a masked one (`...:e3:ba:c3`, `...-abcd`) is part of it.
                variable = digits || (hexLetters && i == lastVariableEnd + 1 && isJoiner(p[i - 1]))
            } else {
                out[o] = b
                o += 1
                i += 1
                continue
            }
            if variable {
                let joined = i == lastVariableEnd + 1 && isJoiner(p[i - 1])
                    || i == lastVariableEnd + 2 && p[i - 1] == colon && p[i - 2] == colon  // IPv6 `::`
                if joined || i == lastVariableEnd {
                    o = lastWildcardEnd
                } else {
                    // A sign belongs to the number: `-42`, `blk_-42`, `=+3`.
                    if i > a && (p[i - 1] == minus || p[i - 1] == plus) && (i - 1 == a || !isWord(p[i - 2])) {
                        o -= 1
                    }
                    o = writeWildcard(out, o)
                }
                lastVariableEnd = j
                lastWildcardEnd = o
            } else {
                o = copy(p, i, j, out, o)
            }
            i = j
        }
        return o
    }
}

// MARK: - Bytes

private let quote: UInt8 = 0x22          // "
private let apostrophe: UInt8 = 0x27     // '
private let plus: UInt8 = 0x2B
private let comma: UInt8 = 0x2C
private let minus: UInt8 = 0x2D
private let dot: UInt8 = 0x2E
private let slash: UInt8 = 0x2F
private let colon: UInt8 = 0x3A
private let lessThan: UInt8 = 0x3C
private let equals: UInt8 = 0x3D
private let greaterThan: UInt8 = 0x3E
private let star: UInt8 = 0x2A
private let at_: UInt8 = 0x40
private let backslash: UInt8 = 0x5C
private let underscore: UInt8 = 0x5F
private let tilde: UInt8 = 0x7E

@inline(__always) private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b &- 9 < 5 }
@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
@inline(__always) private func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
@inline(__always) private func isHexLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 6 }
/// Letters, digits and any non-ASCII byte: UTF-8 words are words too.
@inline(__always) private func isWord(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) || b >= 0x80 }
@inline(__always) private func isOpener(_ b: UInt8) -> Bool { b == 0x28 || b == 0x5B || b == 0x7B }

@inline(__always) private func isCloser(_ b: UInt8) -> Bool {
    switch b {
    case 0x29, 0x5D, 0x7D, comma, 0x3B, colon, dot, 0x21, 0x3F: return true
    default: return false
    }
}

@inline(__always) private func isJoiner(_ b: UInt8) -> Bool {
    switch b {
    case dot, colon, minus, slash, underscore, at_, comma, plus, backslash: return true
    default: return false
    }
}

@inline(__always)
private func writeWildcard(_ out: UnsafeMutablePointer<UInt8>, _ o: Int) -> Int {
    out[o] = lessThan
    out[o + 1] = star
    out[o + 2] = greaterThan
    return o + 3
}

@inline(__always)
private func copy(
    _ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int, _ out: UnsafeMutablePointer<UInt8>, _ o: Int
) -> Int {
    var o = o
    var k = from
    while k < to {
        out[o] = p[k]
        o += 1
        k += 1
    }
    return o
}
