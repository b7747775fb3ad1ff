import Telemetry

/// One JSON object per line, as structured loggers (zap, logrus, pino, bunyan,
/// journald's export, Docker) write them.
///
/// Only the top level is read, for the usual keys: `level` / `severity` / `lvl` /
/// `loglevel` / `log.level` / `PRIORITY`; `msg` / `message` / `text` / `MESSAGE`;
/// `time` / `timestamp` / `ts` / `@timestamp` (RFC 3339 text, or seconds or
/// milliseconds since 1970); `logger` / `name` / `app` / `service` /
/// `SYSLOG_IDENTIFIER` for the program; `pid` / `_PID`. A line that is not one
/// well-formed object does not fit.
public enum JSONLogLine {
    public static func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine? {
        var index = skipSpace(line, 0)
        guard index < line.count, line[index] == 0x7B else { return nil }
        index += 1
        var result = ParsedLine()
        var sawLevel = false
        while true {
            index = skipSpace(line, index)
            guard index < line.count else { return nil }
            if line[index] == 0x7D { break }
            guard line[index] == 0x22, let keyEnd = stringEnd(line, index) else { return nil }
            let key = UnsafeRawBufferPointer(rebasing: line[(index + 1)..<(keyEnd - 1)])
            index = skipSpace(line, keyEnd)
            guard index < line.count, line[index] == 0x3A else { return nil }
            index = skipSpace(line, index + 1)
            guard index < line.count else { return nil }
            let valueStart = index
            let isString = line[index] == 0x22
            if isString {
                guard let end = stringEnd(line, index) else { return nil }
                index = end
            } else if line[index] == 0x7B || line[index] == 0x5B {
                guard let end = nestedEnd(line, index) else { return nil }
                index = end
            } else {
                while index < line.count, line[index] != 0x2C, line[index] != 0x7D, line[index] != 0x20 { index += 1 }
                guard index > valueStart else { return nil }
            }
            let raw = UnsafeRawBufferPointer(rebasing: line[(isString ? valueStart + 1 : valueStart)..<(isString ? index - 1 : index)])
            switch Key(key) {
            case .level:
                if let severity = SeverityWords.level(raw) {
                    result.severity = severity
                    sawLevel = true
                } else if !isString, let number = Int(String(decoding: raw, as: UTF8.self)), (0...7).contains(number) {
                    result.severity = LogSeverity(syslog: number)
                    sawLevel = true
                }
            case .message:
                result.message = isString ? decode(raw) : String(decoding: raw, as: UTF8.self)
            case .time:
                if isString {
                    result.time = CivilTime.iso8601(raw, at: 0)?.0
                } else if let number = Double(String(decoding: raw, as: UTF8.self)) {
                    result.time = number > 1e14 ? number / 1e6 : (number > 1e11 ? number / 1e3 : number)
                }
            case .program:
                if isString { result.program = decode(raw) }
            case .pid:
                result.pid = Int(String(decoding: raw, as: UTF8.self))
            case .other:
                break
            }
            index = skipSpace(line, index)
            guard index < line.count else { return nil }
            if line[index] == 0x2C { index += 1; continue }
            guard line[index] == 0x7D else { return nil }
            break
        }
        if !sawLevel {
            if let message = result.message {
                var text = message
                result.severity = text.withUTF8 { SeverityWords.severity(in: UnsafeRawBufferPointer($0), from: 0) }
            } else {
                result.severity = SeverityWords.severity(in: line, from: 0)
            }
        }
        return result
    }

    enum Key {
        case level, message, time, program, pid, other

        init(_ key: UnsafeRawBufferPointer) {
            switch String(decoding: key, as: UTF8.self) {
            case "level", "severity", "lvl", "loglevel", "log.level", "PRIORITY", "levelname": self = .level
            case "msg", "message", "text", "MESSAGE", "log": self = .message
            case "time", "timestamp", "ts", "@timestamp", "t", "datetime": self = .time
            case "logger", "name", "app", "service", "program", "SYSLOG_IDENTIFIER", "logger_name": self = .program
            case "pid", "_PID", "process": self = .pid
            default: self = .other
            }
        }
    }

    static func skipSpace(_ line: UnsafeRawBufferPointer, _ start: Int) -> Int {
        var index = start
        while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        return index
    }

    /// The index after the closing quote of the string opening at `start`.
    static func stringEnd(_ line: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var index = start + 1
        while index < line.count {
            let byte = line[index]
            if byte == 0x5C { index += 2; continue }
            if byte == 0x22 { return index + 1 }
            index += 1
        }
        return nil
    }

    /// The index after the object or array opening at `start`, strings respected.
    static func nestedEnd(_ line: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < line.count {
            let byte = line[index]
            if byte == 0x22 {
                guard let end = stringEnd(line, index) else { return nil }
                index = end
                continue
            }
            if byte == 0x7B || byte == 0x5B { depth += 1 }
            if byte == 0x7D || byte == 0x5D {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    /// The text of a JSON string's inside, escapes undone.
    static func decode(_ raw: UnsafeRawBufferPointer) -> String {
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        func flush() {
            if !bytes.isEmpty {
                scalars.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
                bytes.removeAll()
            }
        }
        var index = 0
        var highSurrogate: UInt32? = nil
        while index < raw.count {
            let byte = raw[index]
            guard byte == 0x5C, index + 1 < raw.count else {
                bytes.append(byte)
                index += 1
                continue
            }
            let code = raw[index + 1]
            index += 2
            switch code {
            case 0x6E: bytes.append(0x0A)
            case 0x74: bytes.append(0x09)
            case 0x72: bytes.append(0x0D)
            case 0x62: bytes.append(0x08)
            case 0x66: bytes.append(0x0C)
            case 0x75:
                guard index + 4 <= raw.count, let value = UInt32(String(decoding: raw[index..<(index + 4)], as: UTF8.self), radix: 16) else { continue }
                index += 4
                flush()
                if (0xD800..<0xDC00).contains(value) {
                    highSurrogate = value
                } else if (0xDC00..<0xE000).contains(value), let high = highSurrogate {
                    highSurrogate = nil
                    if let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)) { scalars.append(scalar) }
                } else if let scalar = Unicode.Scalar(value) {
                    scalars.append(scalar)
                } else {
                    scalars.append("\u{FFFD}")
                }
            default: bytes.append(code)
            }
        }
        flush()
        return String(scalars)
    }
}
