/// Reads and writes spans of time the way operators type them: `500ms`, `1s`, `2m`, `1h30m`, `7d`.
public enum DurationText {
    /// Seconds for a text such as `500ms` or `1h30m`; a bare number is seconds.
    ///
    /// Returns nil for anything else (empty text, unknown unit, negative value), so
    /// the caller can name the flag or config line that held it.
    public static func seconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var total = 0.0
        var parts = 0
        while index < bytes.count {
            let numberStart = index
            while index < bytes.count, (bytes[index] >= 0x30 && bytes[index] <= 0x39) || bytes[index] == 0x2E {
                index += 1
            }
            guard index > numberStart,
                  let number = Double(String(decoding: bytes[numberStart..<index], as: UTF8.self))
            else { return nil }
            let unitStart = index
            while index < bytes.count, bytes[index] >= 0x61 && bytes[index] <= 0x7A {
                index += 1
            }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "", "s", "sec": scale = 1
            case "m", "min": scale = 60
            case "h": scale = 3600
            case "d": scale = 86_400
            case "w": scale = 604_800
            default: return nil
            }
            if unit.isEmpty && (parts > 0 || index < bytes.count) { return nil }
            total += number * scale
            parts += 1
        }
        return total
    }

    /// A short text for a span: `250ms`, `42s`, `5m`, `3h20m`, `2d4h`.
    public static func format(_ seconds: Double) -> String {
        // 0.9996 s rounds to 1000 ms: that is "1s".
        if seconds > 0, (seconds * 1000).rounded() < 1000 {
            return "\(Int((seconds * 1000).rounded()))ms"
        }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 {
            let s = whole % 60
            return s == 0 ? "\(whole / 60)m" : "\(whole / 60)m\(s)s"
        }
        if whole < 86_400 {
            let m = (whole % 3600) / 60
            return m == 0 ? "\(whole / 3600)h" : "\(whole / 3600)h\(m)m"
        }
        let h = (whole % 86_400) / 3600
        return h == 0 ? "\(whole / 86_400)d" : "\(whole / 86_400)d\(h)h"
    }
}
