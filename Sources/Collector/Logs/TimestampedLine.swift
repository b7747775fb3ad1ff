import Telemetry

/// Lines that begin with an ISO-8601 time, as most application logs do:
/// `2024-01-02T03:04:05.123Z INFO server started`, `2024-01-02 03:04:05,123 [WARN] ...`,
/// `2024-01-02T03:04:05Z level=error msg=...`.
///
/// The word after the time, bare or in brackets, or a `level=` value, gives the
/// severity when it names a level; otherwise the message's words do.
public enum TimestampedLine {
    public static func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        var index = 0
        if line.count > 0, line[0] == 0x5B { index = 1 } // `[2024-01-02 03:04:05]`
        guard let (time, after) = CivilTime.iso8601(line, at: index) else { return nil }
        index = after
        if index < line.count, line[index] == 0x5D { index += 1 }
        guard index == line.count || line[index] == 0x20 || line[index] == 0x09 else { return nil }
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        let messageStart = index
        var result = ParsedLine(time: time, messageStart: messageStart)
        // The level word: `INFO`, `[INFO]`, `<info>`, `level=info`.
        var start = index
        if start < line.count, line[start] == 0x5B || line[start] == 0x3C { start += 1 }
        if UnsafeRawBufferPointer(rebasing: line[start...]).starts(with: "level=") { start += 6 }
        var end = start
        while end < line.count, end - start < 12 {
            let byte = line[end]
            let lower = byte | 0x20
            guard lower >= 0x61 && lower <= 0x7A else { break }
            end += 1
        }
        if end > start, let severity = SeverityWords.level(UnsafeRawBufferPointer(rebasing: line[start..<end])) {
            result.severity = severity
        } else {
            result.severity = SeverityWords.severity(in: line, from: messageStart)
        }
        return result
    }
}
