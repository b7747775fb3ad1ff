import Telemetry

/// nginx and apache error logs.
public enum ErrorLogLine {
    /// nginx: `2024/01/02 03:04:05 [error] 1234#5678: *12 connect() failed ...`, local time.
    public static func parseNginx(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        guard let year = CivilTime.digits(line, at: 0, count: 4), line.count > 22, line[4] == 0x2F,
              let month = CivilTime.digits(line, at: 5, count: 2), line[7] == 0x2F,
              let day = CivilTime.digits(line, at: 8, count: 2), line[10] == 0x20,
              let (hour, minute, second, after) = CivilTime.clock(line, at: 11),
              after + 2 < line.count, line[after] == 0x20, line[after + 1] == 0x5B
        else { return nil }
        var index = after + 2
        let levelStart = index
        while index < line.count, line[index] != 0x5D { index += 1 }
        guard index < line.count, let severity = SeverityWords.level(UnsafeRawBufferPointer(rebasing: line[levelStart..<index])) else { return nil }
        index += 1
        if index < line.count, line[index] == 0x20 { index += 1 }
        var pid: Int? = nil
        var digitsEnd = index
        var value = 0
        while digitsEnd < line.count, line[digitsEnd] >= 0x30 && line[digitsEnd] <= 0x39 {
            value = value * 10 + Int(line[digitsEnd] - 0x30)
            digitsEnd += 1
        }
        if digitsEnd > index, digitsEnd < line.count, line[digitsEnd] == 0x23 {
            pid = value
            index = digitsEnd
            while index < line.count, line[index] != 0x3A { index += 1 }
            index = min(line.count, index + 2)
        }
        return ParsedLine(
            time: CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: nil),
            severity: severity, program: "nginx", pid: pid, messageStart: index
        )
    }

    /// apache 2.4: `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 12:tid 34] [client 1.2.3.4:5] msg`;
    /// apache 2.2: `[Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] msg`. Local time.
    public static func parseApache(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        guard line.count > 28, line[0] == 0x5B, line[4] == 0x20, let month = CivilTime.month(line, at: 5), line[8] == 0x20,
              let day = CivilTime.digits(line, at: 9, count: 2) ?? CivilTime.digits(line, at: 10, count: 1),
              let (hour, minute, second, after) = CivilTime.clock(line, at: 12),
              after + 6 < line.count, line[after] == 0x20,
              let year = CivilTime.digits(line, at: after + 1, count: 4), line[after + 5] == 0x5D
        else { return nil }
        var index = after + 6
        guard index + 1 < line.count, line[index] == 0x20, line[index + 1] == 0x5B else { return nil }
        index += 2
        let levelStart = index
        while index < line.count, line[index] != 0x5D { index += 1 }
        guard index < line.count else { return nil }
        var nameStart = levelStart
        for i in levelStart..<index where line[i] == 0x3A { nameStart = i + 1 }
        guard let severity = SeverityWords.level(UnsafeRawBufferPointer(rebasing: line[nameStart..<index]))
            ?? apacheTraceLevel(UnsafeRawBufferPointer(rebasing: line[nameStart..<index]))
        else { return nil }
        index += 1
        var pid: Int? = nil
        // Optional `[pid N...]` and `[client ...]` blocks.
        while index + 1 < line.count, line[index] == 0x20, line[index + 1] == 0x5B {
            let blockStart = index + 2
            var end = blockStart
            while end < line.count, line[end] != 0x5D { end += 1 }
            guard end < line.count else { break }
            let block = UnsafeRawBufferPointer(rebasing: line[blockStart..<end])
            if block.starts(with: "pid ") {
                var value = 0
                var i = 4
                while i < block.count, block[i] >= 0x30 && block[i] <= 0x39 { value = value * 10 + Int(block[i] - 0x30); i += 1 }
                pid = value
            } else if !block.starts(with: "client ") && !block.starts(with: "remote ") {
                break
            }
            index = end + 1
        }
        if index < line.count, line[index] == 0x20 { index += 1 }
        return ParsedLine(
            time: CivilTime.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: nil),
            severity: severity, program: "apache", pid: pid, messageStart: index
        )
    }

    /// apache's `trace1` ... `trace8` levels.
    static func apacheTraceLevel(_ name: UnsafeRawBufferPointer) -> LogSeverity? {
        name.starts(with: "trace") ? .debug : nil
    }
}
