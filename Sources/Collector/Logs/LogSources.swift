#if canImport(Glibc)
import Glibc
#endif
import Telemetry

/// Every log file Vigil follows: the paths and globs the operator named, each
/// followed by a `LogTail` and read in the format its first lines show.
///
/// Globs are expanded again every few polls, so a file created later (a new
/// virtual host's log) is picked up and read from its start. A source that cannot
/// be read is reported in `health` and retried; it never stops the others.
/// Not thread-safe: the monitor polls it from its queue.
public final class LogSources {
    /// What the operator asked to follow, as given (paths and globs).
    public let patterns: [String]
    public let fromStart: Bool
    /// Polls between two expansions of the globs.
    public var globEvery = 4

    private struct Followed {
        var tail: LogTail
        var format: LogFormat = .plain
        var formatGeneration = -1
        /// Lines the format was chosen from; a young file is looked at again as it grows.
        var formatSample = 0
        var fromGlob: Bool
    }

    private var followed: [Followed] = []
    private var polls = 0
    /// Files some tail has held, and when last: a glob that later matches one of them (the
    /// `app.log.1` that `app.log` was renamed to) must not read it again from its start.
    private var held: [LogTail.FileID: Double] = [:]
    /// Paths a glob matched that are such a file, and which file they were then.
    private var passedOver: [String: LogTail.FileID] = [:]
    /// How long a file once held is remembered: long enough for the globs (expanded every
    /// second or so) to see it under its rotated name, short enough that a new file given a
    /// recycled inode is not mistaken for it. The rotated name, once passed over, is
    /// remembered by `passedOver` for as long as it names that file.
    static let heldMemory: Double = 600
    /// Compressed rotations (`app.log.2.gz`): bytes, not lines.
    static let compressedSuffixes = [".gz", ".xz", ".bz2", ".zst", ".lz4", ".zip"]

    /// The files followed when none is named: the readable ones of these.
    public static let defaultPatterns = [
        "/var/log/syslog", "/var/log/messages", "/var/log/auth.log", "/var/log/kern.log", "/var/log/daemon.log",
        "/var/log/nginx/*access*.log", "/var/log/nginx/*error*.log",
        "/var/log/apache2/*access*.log", "/var/log/apache2/*error*.log",
    ]

    /// The default files that can be read now, and the default globs whose folder exists
    /// (kept as globs, so a web server's log made later is picked up).
    /// - Parameter besideJournal: the journal is read too, so the syslog files, which
    ///   rsyslog fills from the journal, are left out; web servers' own logs stay.
    public static func readableDefaults(besideJournal: Bool = false) -> [String] {
        defaultPatterns.filter { pattern in
            if besideJournal, !isGlob(pattern) { return false }
            if isGlob(pattern) {
                let folder = String(pattern[..<(pattern.lastIndex(of: "/") ?? pattern.startIndex)])
                return access(folder, X_OK) == 0
            }
            return access(pattern, R_OK) == 0
        }
    }

    /// - Parameters:
    ///   - patterns: file paths and globs (`*`, `?`, `[...]`).
    ///   - fromStart: read the files that exist now from their start, not their end.
    public init(patterns: [String], fromStart: Bool = false) {
        self.patterns = patterns
        self.fromStart = fromStart
        for pattern in patterns where !Self.isGlob(pattern) {
            add(pattern, fromStart: fromStart, fromGlob: false)
        }
        expandGlobs(fromStart: fromStart)
    }

    /// Reads every source and hands over each new line.
    /// - Parameter line: called with the record (no template yet) and the bytes of its message.
    public func poll(now: Double, line: (LogRecord, UnsafeRawBufferPointer) -> Void) {
        polls += 1
        for entry in followed {
            for file in entry.tail.files { held[file] = now }
        }
        if polls % globEvery == 0 {
            held = held.filter { now - $0.value < Self.heldMemory }
            // A file that starts matching later is new: all of it is read.
            expandGlobs(fromStart: true)
        }
        for index in followed.indices {
            let tail = followed[index].tail
            var format = followed[index].format
            let path = tail.path
            var emitted = 0
            tail.poll(now: now) { bytes in
                if followed[index].formatGeneration != tail.generation || (emitted == 0 && followed[index].formatSample < 5) {
                    let head = LogFormat.firstLines(of: tail.head())
                    format = LogFormat.detect(head, now: now)
                    followed[index].format = format
                    followed[index].formatGeneration = tail.generation
                    followed[index].formatSample = head.count
                }
                emitted += 1
                // A blank line says nothing; it is counted by the tail but not shown or mined.
                guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
                let parsed = format.parseOrPlain(bytes, now: now)
                let start = min(parsed.messageStart, bytes.count)
                let messageBytes = UnsafeRawBufferPointer(rebasing: bytes[start...])
                let record = LogRecord(
                    source: path, received: now, time: parsed.time, severity: parsed.severity,
                    program: parsed.program, pid: parsed.pid,
                    message: parsed.message ?? String(decoding: messageBytes, as: UTF8.self)
                )
                if var message = parsed.message {
                    message.withUTF8 { line(record, UnsafeRawBufferPointer($0)) }
                } else {
                    line(record, messageBytes)
                }
            }
        }
    }

    /// Each source and how it fares, in the order they were named.
    public var health: [LogSourceHealth] {
        followed.map {
            LogSourceHealth(path: $0.tail.path, state: $0.tail.state, format: $0.format.rawValue, lines: $0.tail.lines, problem: $0.tail.problem)
        }
    }

    private func add(_ path: String, fromStart: Bool, fromGlob: Bool) {
        guard !followed.contains(where: { $0.tail.path == path }) else { return }
        let tail = LogTail(path: path, fromStart: fromStart)
        // app.log.1, followed since the start, becomes the former app.log at the next rotation:
        // its lines were read by app.log's tail already.
        tail.isKnownFile = { [unowned self] file in held[file] != nil }
        followed.append(Followed(tail: tail, fromGlob: fromGlob))
    }

    private func expandGlobs(fromStart: Bool) {
        var passed: [String: LogTail.FileID] = [:]
        defer { passedOver = passed }
        for pattern in patterns where Self.isGlob(pattern) {
            for path in Self.expand(pattern) where !Self.compressedSuffixes.contains(where: path.hasSuffix) {
                guard !followed.contains(where: { $0.tail.path == path }) else { continue }
                // A file rotated away from a followed path was read already, and its tail reads
                // what is still written there: following it too would repeat every line.
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                let file = LogTail.FileID(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
                if passedOver[path] == file || held[file] != nil {
                    passed[path] = file
                    continue
                }
                add(path, fromStart: fromStart, fromGlob: true)
            }
        }
        // A globbed file deleted for good is dropped; a named one is waited for.
        followed.removeAll { $0.fromGlob && $0.tail.state == .waiting && access($0.tail.path, F_OK) != 0 && $0.tail.lines > 0 }
    }

    static func isGlob(_ pattern: String) -> Bool {
        pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The regular files matching a glob, sorted; the corresponding C function is `glob`.
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] {
                let text = String(cString: path)
                var status = stat()
                if stat(text, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG { paths.append(text) }
            }
        }
        return paths.sorted()
    }
}
