/// The fields of /proc/PID/stat that the process table shows.
public struct ProcessStat: Hashable, Sendable {
    public var pid: Int32
    /// Where `comm` sits in the parsed bytes, so a caller can compare it without making a String.
    public var nameRange: Range<Int>
    /// The state letter as a byte: `R`, `S`, `D`, `Z`, `T`, `I`, ...
    public var state: UInt8
    /// User plus system CPU time in clock ticks.
    public var cpuTicks: UInt64
    public var threads: Int
    /// Clock ticks after boot at which the process started.
    public var startTime: UInt64
    /// Resident pages.
    public var residentPages: UInt64

    /// Parses the bytes of /proc/PID/stat; nil when the line is cut short.
    ///
    /// The name (`comm`) may hold spaces and parentheses, `(a) b)`, so it ends at the
    /// last `)` of the line, and the numbered fields are counted from there.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ProcessStat? {
        guard let open = bytes.firstIndex(of: 0x28), let close = bytes.lastIndex(of: 0x29), open < close else {
            return nil
        }
        var head = ByteScanner(UnsafeRawBufferPointer(rebasing: bytes[..<open]))
        guard let pid = head.signed() else { return nil }
        var scanner = ByteScanner(bytes, position: close + 1)
        let stateToken = scanner.token()
        guard stateToken.count == 1 else { return nil }
        // Field 3 is the state; fields 14, 15 (utime, stime), 20 (threads), 22 (starttime) and 24 (rss) follow.
        var field = 4
        var utime: UInt64?
        var stime: UInt64?
        var threads: UInt64?
        var start: UInt64?
        var rss: UInt64?
        while field <= 24, !scanner.atEndOfLine {
            switch field {
            case 14: utime = scanner.unsigned()
            case 15: stime = scanner.unsigned()
            case 20: threads = scanner.unsigned()
            case 22: start = scanner.unsigned()
            case 24:
                // rss is signed in the kernel's format; a negative value never happens but must not trap.
                rss = scanner.signed().map { UInt64(max(0, $0)) }
            default: _ = scanner.token()
            }
            field += 1
        }
        guard let utime, let stime, let threads, let start, let rss else { return nil }
        return ProcessStat(
            pid: Int32(truncatingIfNeeded: pid), nameRange: (open + 1)..<close, state: stateToken[0],
            cpuTicks: utime &+ stime, threads: Int(truncatingIfNeeded: threads), startTime: start, residentPages: rss
        )
    }
}

/// The storage counters of /proc/PID/io: bytes that really reached or came from a device.
public struct ProcessIO: Hashable, Sendable {
    public var readBytes: UInt64
    public var writeBytes: UInt64

    public init(readBytes: UInt64, writeBytes: UInt64) {
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    /// `read_bytes` and `write_bytes` rather than `rchar`/`wchar`: page-cache hits are not I/O
    /// an operator worries about, as iotop reasons.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> ProcessIO? {
        var scanner = ByteScanner(bytes)
        var read: UInt64?
        var write: UInt64?
        while !scanner.isAtEnd {
            let key = scanner.token()
            if key.equals("read_bytes:") {
                read = scanner.unsigned()
            } else if key.equals("write_bytes:") {
                write = scanner.unsigned()
            }
            scanner.skipLine()
        }
        guard let read, let write else { return nil }
        return ProcessIO(readBytes: read, writeBytes: write)
    }
}

/// A process's command line from /proc/PID/cmdline: NUL-separated arguments.
public enum ProcessCommandLine {
    /// The arguments joined by spaces, trailing NULs dropped; empty for kernel threads.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limit: Int = 4096) -> String {
        var end = min(bytes.count, limit)
        while end > 0, bytes[end - 1] == 0 { end -= 1 }
        guard end > 0 else { return "" }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[..<end]))
        for index in out.indices where out[index] == 0 || out[index] == 0x0A { out[index] = 0x20 }
        return String(decoding: out, as: UTF8.self)
    }
}
