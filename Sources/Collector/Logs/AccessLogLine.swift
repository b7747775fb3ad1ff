import Telemetry

/// nginx and apache access logs, common and combined:
/// `203.0.113.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 404 2326 "-" "curl/8.0"`.
///
/// A 5xx status is an error, a 4xx a warning, anything else info. The message is
/// the request onwards; the client address stays in the line, where the miner masks it.
public enum AccessLogLine {
    public static func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        var index = 0
        // client, ident, user: three words.
        for _ in 0..<3 {
            let start = index
            while index < line.count, line[index] != 0x20 { index += 1 }
            guard index > start, index < line.count else { return nil }
            index += 1
        }
        guard index < line.count, line[index] == 0x5B else { return nil }
        // 10/Oct/2000:13:55:36 -0700
        let d = index + 1
        guard let day = CivilTime.digits(line, at: d, count: 2), d + 26 <= line.count, line[d + 2] == 0x2F,
              let month = CivilTime.month(line, at: d + 3), line[d + 6] == 0x2F,
              let year = CivilTime.digits(line, at: d + 7, count: 4), line[d + 11] == 0x3A,
              let (hour, minute, second, afterClock) = CivilTime.clock(line, at: d + 12),
              afterClock + 6 < line.count, line[afterClock] == 0x20
        else { return nil }
        let sign = line[afterClock + 1]
        guard sign == 0x2B || sign == 0x2D, let zone = CivilTime.digits(line, at: afterClock + 2, count: 4),
              line[afterClock + 6] == 0x5D
        else { return nil }
        let offset = (sign == 0x2D ? -1 : 1) * ((zone / 100) * 3600 + (zone % 100) * 60)
        index = afterClock + 7
        guard index + 1 < line.count, line[index] == 0x20, line[index + 1] == 0x22 else { return nil }
        let messageStart = index + 1
        index += 2
        // The request, where `\"` is escaped.
        var escaped = false
        while index < line.count {
            let byte = line[index]
            index += 1
            if escaped { escaped = false; continue }
            if byte == 0x5C { escaped = true } else if byte == 0x22 { break }
        }
        guard index < line.count, line[index] == 0x20, let status = CivilTime.digits(line, at: index + 1, count: 3) else { return nil }
        let severity: LogSeverity = status >= 500 ? .error : (status >= 400 ? .warning : .info)
        return ParsedLine(
            time: CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset),
            severity: severity, messageStart: messageStart
        )
    }
}
