import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Calendar times as logs write them, turned into seconds since 1970.
enum CivilTime {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Seconds since 1970 of a time; `offset` is seconds east of UTC, nil for the local zone.
    static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Double, offset: Int?) -> Double? {
        guard (1...12).contains(month), (1...31).contains(day), hour < 25, minute < 61, second < 62 else { return nil }
        if let offset {
            let whole = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60
            return Double(whole - offset) + second
        }
        // Local time: the zone's rules (and daylight saving) are the C library's business,
        // but mktime is slow, and log lines come in order: remember the last hour's start.
        let hourKey = ((year * 16 + month) * 32 + day) * 32 + hour
        if let start = lastLocalHour.withLock({ $0.key == hourKey ? $0.start : nil }) {
            return start + Double(minute * 60) + second
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        let whole = mktime(&parts)
        guard whole != -1 else { return nil }
        let hourStart = Double(whole) - Double(minute * 60) - second.rounded(.down)
        lastLocalHour.withLock { $0 = (hourKey, hourStart) }
        return Double(whole) + (second - second.rounded(.down))
    }

    /// The start of the local hour converted last, keyed by its date and hour.
    private static let lastLocalHour = Mutex<(key: Int, start: Double)>((-1, 0))

    /// 1-12 for `Jan` ... `Dec` (any case), else nil.
    static func month(_ line: UnsafeRawBufferPointer, at index: Int) -> Int? {
        guard index + 3 <= line.count else { return nil }
        let a = line[index] | 0x20, b = line[index + 1] | 0x20, c = line[index + 2] | 0x20
        let names: [(UInt8, UInt8, UInt8)] = [
            (0x6A, 0x61, 0x6E), (0x66, 0x65, 0x62), (0x6D, 0x61, 0x72), (0x61, 0x70, 0x72), (0x6D, 0x61, 0x79), (0x6A, 0x75, 0x6E),
            (0x6A, 0x75, 0x6C), (0x61, 0x75, 0x67), (0x73, 0x65, 0x70), (0x6F, 0x63, 0x74), (0x6E, 0x6F, 0x76), (0x64, 0x65, 0x63),
        ]
        for (number, name) in names.enumerated() where name == (a, b, c) { return number + 1 }
        return nil
    }

    /// `count` digits at `index` as a number, or nil.
    static func digits(_ line: UnsafeRawBufferPointer, at index: Int, count: Int) -> Int? {
        guard index >= 0, index + count <= line.count else { return nil }
        var value = 0
        for i in index..<(index + count) {
            let byte = line[i]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// `hh:mm:ss` at `index`, with an optional `.fff` or `,fff` fraction.
    /// - Returns: hour, minute, seconds with fraction, and the index after it.
    static func clock(_ line: UnsafeRawBufferPointer, at index: Int) -> (Int, Int, Double, Int)? {
        guard let hour = digits(line, at: index, count: 2), index + 8 <= line.count, line[index + 2] == 0x3A,
              let minute = digits(line, at: index + 3, count: 2), line[index + 5] == 0x3A,
              let second = digits(line, at: index + 6, count: 2)
        else { return nil }
        var end = index + 8
        var value = Double(second)
        if end + 1 < line.count, line[end] == 0x2E || line[end] == 0x2C, line[end + 1] >= 0x30 && line[end + 1] <= 0x39 {
            end += 1
            var scale = 0.1
            while end < line.count, line[end] >= 0x30 && line[end] <= 0x39 {
                value += Double(line[end] - 0x30) * scale
                scale /= 10
                end += 1
            }
        }
        return (hour, minute, value, end)
    }

    /// An ISO-8601 / RFC 3339 time at `index`: `2024-01-02T03:04:05.123+01:00`, a space
    /// in place of `T`, `Z` or no zone (local time).
    /// - Returns: seconds since 1970 and the index after the time.
    static func iso8601(_ line: UnsafeRawBufferPointer, at index: Int) -> (Double, Int)? {
        guard let year = digits(line, at: index, count: 4), index + 19 <= line.count, line[index + 4] == 0x2D,
              let month = digits(line, at: index + 5, count: 2), line[index + 7] == 0x2D,
              let day = digits(line, at: index + 8, count: 2), line[index + 10] == 0x54 || line[index + 10] == 0x20 || line[index + 10] == 0x74,
              let (hour, minute, second, afterClock) = clock(line, at: index + 11)
        else { return nil }
        var end = afterClock
        var offset: Int? = nil
        if end < line.count {
            let byte = line[end]
            if byte == 0x5A || byte == 0x7A {
                offset = 0
                end += 1
            } else if byte == 0x2B || byte == 0x2D, let hours = digits(line, at: end + 1, count: 2) {
                var minutes = 0
                var after = end + 3
                if after < line.count, line[after] == 0x3A, let m = digits(line, at: after + 1, count: 2) {
                    minutes = m
                    after += 3
                } else if let m = digits(line, at: after, count: 2) {
                    minutes = m
                    after += 2
                }
                offset = (byte == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
                end = after
            }
        }
        guard let time = seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset) else { return nil }
        return (time, end)
    }
}
