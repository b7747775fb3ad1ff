import Telemetry

/// The layouts of log line Vigil understands, from the most specific to plain text.
///
/// As lnav does, the format is chosen per file from its first lines: the first
/// format in `allCases` order (most specific first) that parses most of them wins.
/// Each parser is a pure function from a line's bytes to a `ParsedLine`; a line the
/// file's format does not fit (a stack trace under a syslog line) is read as plain text.
public enum LogFormat: String, CaseIterable, Hashable, Sendable {
    /// One JSON object per line, with the usual level / message / time keys.
    case json
    /// RFC 5424 syslog: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
    case rfc5424 = "syslog-5424"
    /// nginx and apache access logs (common and combined).
    case access
    /// nginx error logs: `2024/01/02 03:04:05 [error] 12#12: *5 message`.
    case nginxError = "nginx-error"
    /// apache error logs: `[Wed Oct 11 14:32:52.123 2000] [core:error] [pid 12] message`.
    case apacheError = "apache-error"
    /// RFC 3164 syslog as rsyslog writes files: `Dec  4 13:44:27 host prog[pid]: msg`
    /// (also with an RFC 3339 timestamp and with a `<PRI>`).
    case rfc3164 = "syslog"
    /// Lines that begin with an ISO-8601 time, then usually a level word.
    case iso8601 = "iso8601"
    /// Anything else: severity from words such as ERROR or failed.
    case plain

    /// Parses one line in this format; nil when the line does not fit it.
    /// - Parameter now: the time the line was read, for formats that leave out the year.
    public func parse(_ line: UnsafeRawBufferPointer, now: Double) -> ParsedLine? {
        switch self {
        case .json: return JSONLogLine.parse(line)
        case .rfc5424: return SyslogLine.parse5424(line)
        case .access: return AccessLogLine.parse(line)
        case .nginxError: return ErrorLogLine.parseNginx(line)
        case .apacheError: return ErrorLogLine.parseApache(line)
        case .rfc3164: return SyslogLine.parse3164(line, now: now)
        case .iso8601: return TimestampedLine.parse(line)
        case .plain: return ParsedLine(severity: SeverityWords.severity(in: line, from: 0))
        }
    }

    /// Parses with this format, falling back to plain text for a line that does not fit.
    public func parseOrPlain(_ line: UnsafeRawBufferPointer, now: Double) -> ParsedLine {
        parse(line, now: now) ?? ParsedLine(severity: SeverityWords.severity(in: line, from: 0))
    }

    /// The most specific format that fits most of `lines` (the first lines of a file).
    public static func detect(_ lines: [[UInt8]], now: Double) -> LogFormat {
        let sample = lines.filter { !$0.isEmpty }.prefix(20)
        guard !sample.isEmpty else { return .plain }
        for format in allCases where format != .plain {
            var fits = 0
            for line in sample where line.withUnsafeBytes({ format.parse($0, now: now) }) != nil {
                fits += 1
            }
            // Most, not all: a stack trace or a wrapped line among them is normal.
            if fits * 2 > sample.count { return format }
        }
        return .plain
    }

    /// Splits the head of a file into its first complete lines, for `detect`.
    public static func firstLines(of head: [UInt8], limit: Int = 20) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (index, byte) in head.enumerated() where byte == 0x0A {
            var end = index
            if end > start, head[end - 1] == 0x0D { end -= 1 }
            lines.append(Array(head[start..<end]))
            start = index + 1
            if lines.count == limit { break }
        }
        return lines
    }
}
