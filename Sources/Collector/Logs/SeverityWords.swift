import Telemetry

/// The severity a line of plain text gives away by its words.
///
/// Whole words only, any case: `ERROR`, `error:` and `Error` count, `terror` does not.
/// The worst word wins: `FATAL`, `panic`, `emerg`, `alert`, `crit`, `critical`,
/// `segfault`, `lockup` (the kernel's soft and hard lockups) and `Out of memory` are critical; `error`, `err`, `failed`, `failure`,
/// `denied`, `exception` are errors; `warn`, `warning` are warnings.
public enum SeverityWords {
    private static let names: [(String, LogSeverity)] = [
        ("fatal", .critical), ("panic", .critical), ("emerg", .critical), ("alert", .critical),
        ("crit", .critical), ("critical", .critical), ("segfault", .critical), ("lockup", .critical),
        ("error", .error), ("err", .error), ("failed", .error), ("failure", .error),
        ("denied", .error), ("exception", .error),
        ("warn", .warning), ("warning", .warning),
    ]
    private static let words: [([UInt8], LogSeverity)] = names.map { (Array($0.0.utf8), $0.1) }
    private static let outOfMemory = Array("out of memory".utf8)

    /// The worst severity named in `line[start...]`, or `fallback` when none is.
    public static func severity(in line: UnsafeRawBufferPointer, from start: Int, fallback: LogSeverity = .info) -> LogSeverity {
        var worst: LogSeverity? = nil
        var index = start
        let count = line.count
        while index < count {
            // Skip to the start of a word.
            while index < count, !isLetter(line[index]) { index += 1 }
            let wordStart = index
            while index < count, isLetter(line[index]) { index += 1 }
            let length = index - wordStart
            guard length >= 3, length <= 9 else { continue }
            let first = line[wordStart] | 0x20
            if first == 0x6F, length == 3, matches(outOfMemory, line, wordStart) {
                return .critical
            }
            for (word, severity) in words where word.count == length && word[0] == first {
                if matches(word, line, wordStart), worst.map({ severity > $0 }) ?? true {
                    worst = severity
                    if severity == .critical { return .critical }
                }
            }
        }
        return worst ?? fallback
    }

    /// The severity a level name means (`INFO`, `warn`, `E`, `crit`, `50`), for formats that name one.
    public static func level(_ name: UnsafeRawBufferPointer) -> LogSeverity? {
        var lower: [UInt8] = []
        for byte in name.prefix(12) { lower.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        switch String(decoding: lower, as: UTF8.self) {
        case "trace", "debug", "dbg", "d", "t", "verbose", "v", "10", "20": return .debug
        case "info", "information", "informational", "i", "30": return .info
        case "notice", "n", "note": return .notice
        case "warn", "warning", "w", "40": return .warning
        case "error", "err", "e", "50", "severe": return .error
        case "crit", "critical", "fatal", "f", "alert", "emerg", "emergency", "panic", "60": return .critical
        default: return nil
        }
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return lower >= 0x61 && lower <= 0x7A
    }

    @inline(__always)
    private static func matches(_ word: [UInt8], _ line: UnsafeRawBufferPointer, _ start: Int) -> Bool {
        guard start + word.count <= line.count else { return false }
        for offset in 0..<word.count {
            let byte = line[start + offset]
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lower != word[offset] { return false }
        }
        return true
    }
}
