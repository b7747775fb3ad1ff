#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Telemetry

/// Syslog lines: RFC 3164 as rsyslog and syslog-ng write files, and RFC 5424.
public enum SyslogLine {
    /// `[<PRI>]Mmm dd hh:mm:ss host tag[pid]: message`, or the same with an RFC 3339
    /// time (rsyslog's high-precision default on newer systems).
    ///
    /// RFC 3164 times have no year and are local: the year is `now`'s, or the one
    /// before when that would put the line more than a day in the future (a log read
    /// just after New Year). Severity comes from `<PRI>` when there is one, else from
    /// the message's words.
    public static func parse3164(_ line: UnsafeRawBufferPointer, now: Double) -> ParsedLine? {
        var index = 0
        var severity: LogSeverity? = nil
        if let (pri, after) = priority(line) {
            severity = LogSeverity(syslog: pri & 7)
            index = after
        }
        var time: Double
        var needsTag = false
        if let month = CivilTime.month(line, at: index), index + 15 <= line.count, line[index + 3] == 0x20 {
            var dayIndex = index + 4
            if line[dayIndex] == 0x20 { dayIndex += 1 }
            var day = 0
            while dayIndex < line.count, line[dayIndex] >= 0x30 && line[dayIndex] <= 0x39 {
                day = day * 10 + Int(line[dayIndex] - 0x30)
                dayIndex += 1
            }
            guard day >= 1, day <= 31, dayIndex < line.count, line[dayIndex] == 0x20,
                  let (hour, minute, second, after) = CivilTime.clock(line, at: dayIndex + 1)
            else { return nil }
            let year = localYear(now)
            guard var stated = CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: nil) else { return nil }
            if stated > now + 86_400, let earlier = CivilTime.seconds(year: year - 1, month: month, day: day, hour: hour, minute: minute, second: second, offset: nil) {
                stated = earlier
            }
            time = stated
            index = after
        } else if let (stated, after) = CivilTime.iso8601(line, at: index) {
            time = stated
            index = after
            // Without the BSD date, only `host tag:` tells syslog from any ISO-stamped line.
            needsTag = true
        } else {
            return nil
        }
        guard index < line.count, line[index] == 0x20 else { return nil }
        index += 1
        // The host: one word.
        let hostStart = index
        while index < line.count, line[index] != 0x20 { index += 1 }
        guard index > hostStart, index < line.count else { return nil }
        index += 1
        var result = ParsedLine(time: time, messageStart: index)
        if let (program, pid, after) = tag(line, at: index) {
            result.program = program
            result.pid = pid
            result.messageStart = after
        } else if needsTag {
            return nil
        }
        result.severity = severity ?? SeverityWords.severity(in: line, from: result.messageStart)
        return result
    }

    /// `<PRI>1 TIMESTAMP HOST APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`.
    public static func parse5424(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        guard let (pri, afterPri) = priority(line), afterPri + 2 <= line.count,
              line[afterPri] == 0x31, line[afterPri + 1] == 0x20
        else { return nil }
        var index = afterPri + 2
        var time: Double? = nil
        if index < line.count, line[index] == 0x2D {
            index += 1
        } else if let (stated, after) = CivilTime.iso8601(line, at: index) {
            time = stated
            index = after
        } else {
            return nil
        }
        var fields: [Range<Int>] = []
        for _ in 0..<4 { // host, app, procid, msgid
            guard index < line.count, line[index] == 0x20 else { return nil }
            index += 1
            let start = index
            while index < line.count, line[index] != 0x20 { index += 1 }
            fields.append(start..<index)
        }
        guard index < line.count, line[index] == 0x20 else { return nil }
        index += 1
        // Structured data: `-` or one or more `[id key="value" ...]`, where `\]` is escaped.
        if index < line.count, line[index] == 0x2D {
            index += 1
        } else {
            while index < line.count, line[index] == 0x5B {
                var escaped = false
                index += 1
                while index < line.count {
                    let byte = line[index]
                    index += 1
                    if escaped { escaped = false; continue }
                    if byte == 0x5C { escaped = true } else if byte == 0x5D { break }
                }
            }
        }
        if index < line.count, line[index] == 0x20 { index += 1 }
        if index + 3 <= line.count, line[index] == 0xEF, line[index + 1] == 0xBB, line[index + 2] == 0xBF { index += 3 }
        let app = UnsafeRawBufferPointer(rebasing: line[fields[1]])
        let procid = UnsafeRawBufferPointer(rebasing: line[fields[2]])
        return ParsedLine(
            time: time, severity: LogSeverity(syslog: pri & 7),
            program: app.count == 1 && app[0] == 0x2D ? nil : String(decoding: app, as: UTF8.self),
            pid: Int(String(decoding: procid, as: UTF8.self)), messageStart: index
        )
    }

    /// `<N>` at the start, N at most 191.
    static func priority(_ line: UnsafeRawBufferPointer) -> (Int, Int)? {
        guard line.count > 2, line[0] == 0x3C else { return nil }
        var index = 1
        var value = 0
        while index < line.count, index <= 4, line[index] >= 0x30 && line[index] <= 0x39 {
            value = value * 10 + Int(line[index] - 0x30)
            index += 1
        }
        guard index > 1, index < line.count, line[index] == 0x3E, value <= 191 else { return nil }
        return (value, index + 1)
    }

    /// `program[pid]: ` or `program: ` at `index`.
    static func tag(_ line: UnsafeRawBufferPointer, at start: Int) -> (String, Int?, Int)? {
        var index = start
        while index < line.count {
            let byte = line[index]
            if byte == 0x5B || byte == 0x3A || byte == 0x20 { break }
            index += 1
        }
        guard index > start, index < line.count, index - start <= 64 else { return nil }
        let program = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<index]), as: UTF8.self)
        var pid: Int? = nil
        if line[index] == 0x5B {
            index += 1
            var value = 0
            let digitsStart = index
            while index < line.count, line[index] >= 0x30 && line[index] <= 0x39 {
                value = value * 10 + Int(line[index] - 0x30)
                index += 1
            }
            guard index > digitsStart, index < line.count, line[index] == 0x5D else { return nil }
            pid = value
            index += 1
        }
        guard index < line.count, line[index] == 0x3A else { return nil }
        index += 1
        if index < line.count, line[index] == 0x20 { index += 1 }
        return (program, pid, index)
    }

    static func localYear(_ now: Double) -> Int {
        // localtime_r takes a lock and reads the zone on every call; the year changes seldom.
        let minute = Int(now / 60)
        if let year = lastYear.withLock({ $0.minute == minute ? $0.year : nil }) { return year }
        var time = time_t(now)
        var parts = tm()
        localtime_r(&time, &parts)
        let year = Int(parts.tm_year) + 1900
        lastYear.withLock { $0 = (minute, year) }
        return year
    }

    private static let lastYear = Mutex<(minute: Int, year: Int)>((-1, 0))
}
