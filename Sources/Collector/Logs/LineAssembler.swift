#if canImport(Glibc)
import Glibc
#endif

/// Cuts a stream of bytes into lines, however the bytes arrive.
///
/// A line without its newline yet is held until the newline comes, or until
/// `flush` says it has waited long enough (a writer that never ends its last line).
/// A CR before the newline is dropped, NUL bytes are dropped (copytruncate and
/// crashed writers leave runs of them), and a line longer than `maximumLength` is
/// cut there, marked with `marker`, and the rest of it is skipped up to its newline.
/// Invalid UTF-8 is left to the reader: `String(decoding:as:)` replaces it.
public struct LineAssembler: Sendable {
    /// 64 KiB: longer lines are cut.
    public static let defaultMaximumLength = 65_536
    public static let marker = Array(" [cut at 64 KiB]".utf8)

    public let maximumLength: Int
    private var pending: [UInt8] = []
    /// When the held partial line was first seen, for `flush`.
    private var pendingSince: Double?
    /// After a cut: the rest of the line, up to its newline, is dropped.
    private var skippingRest = false

    public init(maximumLength: Int = LineAssembler.defaultMaximumLength) {
        self.maximumLength = maximumLength
    }

    /// Whether a partial line is held.
    public var hasPartialLine: Bool { !pending.isEmpty }

    /// Feeds bytes; `line` is called for each complete line, without its line break.
    /// - Parameter now: the time the bytes were read, to age a partial line.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, now: Double, line: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        let count = bytes.count
        while start < count {
            // memchr finds the newline far faster than a byte loop.
            let found = Self.index(of: 0x0A, in: bytes, from: start)
            let end = found ?? count
            defer { start = end + 1 }
            if skippingRest {
                if found != nil { skippingRest = false }
                continue
            }
            if pending.isEmpty, found != nil, end - start <= maximumLength, !Self.holdsNUL(bytes, start, end) {
                var stop = end
                if stop > start, bytes[stop - 1] == 0x0D { stop -= 1 }
                line(UnsafeRawBufferPointer(rebasing: bytes[start..<stop]))
                continue
            }
            var index = start
            var cut = false
            while index < end {
                let byte = bytes[index]
                index += 1
                if byte == 0 { continue }
                if pending.count == maximumLength {
                    cut = true
                    break
                }
                pending.append(byte)
            }
            if cut {
                pending.append(contentsOf: Self.marker)
                emitPending(line)
                skippingRest = found == nil
            } else if found != nil {
                if pending.last == 0x0D { pending.removeLast() }
                emitPending(line)
            } else if pendingSince == nil, !pending.isEmpty {
                pendingSince = now
            }
        }
    }

    /// Emits a held partial line once it has waited `wait` seconds since it was first seen.
    public mutating func flush(now: Double, after wait: Double, line: (UnsafeRawBufferPointer) -> Void) {
        guard let since = pendingSince, now - since >= wait else { return }
        emitPending(line)
    }

    /// Emits a held partial line now, because the file it came from has ended (rotated or truncated).
    public mutating func flushAll(line: (UnsafeRawBufferPointer) -> Void) {
        if !pending.isEmpty { emitPending(line) }
        skippingRest = false
    }

    private mutating func emitPending(_ line: (UnsafeRawBufferPointer) -> Void) {
        pending.withUnsafeBytes { line($0) }
        pending.removeAll(keepingCapacity: pending.capacity <= 4096)
        pendingSince = nil
    }

    private static func holdsNUL(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return false }
        return memchr(bytes.baseAddress! + start, 0, end - start) != nil
    }

    /// Where the next `byte` is at or after `start`; the corresponding C function is `memchr`.
    public static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}
