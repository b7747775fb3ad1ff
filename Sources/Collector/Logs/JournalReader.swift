import CSystemd
#if canImport(Glibc)
import Glibc
#endif
import Telemetry

/// Follows the systemd journal through libsystemd's sd-journal API, as `journalctl -f` does.
///
/// Unit, priority, pid, program, message and time come from the entry's fields, never
/// from parsing text. The reader starts at the end (only entries written from now on)
/// unless asked to read from the start, and follows journald's rotation: sd-journal
/// watches the journal folders with inotify (`sd_journal_get_fd`, `sd_journal_process`)
/// and keeps its place across the archived and the new file.
///
/// A journal that does not exist (a container, a host without journald) or that the
/// user may not read is not an error: `health` says so and the reader looks again every
/// few seconds. Not thread-safe: the monitor polls it from its queue. The corresponding C
/// functions are `sd_journal_open`, `sd_journal_open_directory`, `sd_journal_next` and
/// `sd_journal_get_data`.
public final class JournalReader {
    /// Which journal to read.
    public enum Place: Hashable, Sendable {
        /// This machine's system journal (`/var/log/journal`, `/run/log/journal`), as far
        /// as the user may read it.
        case system
        /// Every journal file in a folder (and its machine-id subfolders), like `journalctl -D`.
        case directory(String)
    }

    public let place: Place
    /// Units to keep (`nginx.service`); empty keeps every entry.
    public let units: [String]
    /// Entries read per poll before yielding, so a flood cannot stall the queue.
    public var readBudget = 20_000
    /// Polls between two attempts to open a journal that was missing or unreadable.
    public var reopenEvery = 20

    public private(set) var state: LogSourceHealth.State = .waiting
    /// Why the journal cannot be read, in words for the header; nil while following.
    public private(set) var problem: String?
    /// Entries handed over since the reader was made.
    public private(set) var entries = 0

    private var journal: OpaquePointer?
    private var fromStart: Bool
    /// The place of the last entry handed over (`sd_journal_get_cursor`): a reopen after a
    /// failed read resumes after it instead of reading the journal again from the top.
    private var cursor: String?
    private var pollsSinceAttempt = 0

    /// The folders journald writes the system journal to, persistent first.
    public static let systemFolders = ["/var/log/journal", "/run/log/journal"]

    /// - Parameters:
    ///   - place: the system journal or a folder of journal files.
    ///   - units: unit names to keep; a name without a suffix means a service (`nginx` is `nginx.service`).
    ///   - fromStart: read every entry there is, not only those written from now on.
    public init(place: Place, units: [String] = [], fromStart: Bool = false) {
        self.place = place
        self.units = units.map(Self.unitName)
        self.fromStart = fromStart
        open()
    }

    deinit {
        if let journal { sd_journal_close(journal) }
    }

    /// The name the operator means: `nginx` is `nginx.service`, as `journalctl -u` reads it.
    public static func unitName(_ name: String) -> String {
        let suffixes = [".service", ".socket", ".timer", ".mount", ".scope", ".slice", ".target", ".path", ".swap", ".device", ".automount"]
        return suffixes.contains(where: name.hasSuffix) ? name : name + ".service"
    }

    /// Whether this machine keeps a system journal at all: journal files in one of `systemFolders`.
    public static func systemJournalExists() -> Bool {
        !systemJournalFiles().isEmpty
    }

    /// The journal files of the system folders and their machine-id subfolders.
    static func systemJournalFiles() -> [String] {
        systemFolders.flatMap { LogSources.expand($0 + "/*/*.journal") + LogSources.expand($0 + "/*.journal") }
    }

    /// The name the journal goes by in the header and the log panel.
    public var name: String {
        switch place {
        case .system: return "journal"
        case .directory(let folder): return "journal " + folder
        }
    }

    /// How the journal fares, in the shape the log panel uses for files.
    public var health: LogSourceHealth {
        LogSourceHealth(path: name, state: state, format: "journal", lines: entries, problem: problem)
    }

    /// Reads the entries written since the last poll.
    /// - Parameter entry: called with each record (no template yet) and the bytes of its message.
    public func poll(now: Double, entry: (LogRecord, UnsafeRawBufferPointer) -> Void) {
        if journal == nil {
            pollsSinceAttempt += 1
            guard pollsSinceAttempt >= reopenEvery else { return }
            open()
            guard journal != nil else { return }
        }
        guard let journal else { return }
        // Takes in journald's rotations and new files; the answer itself is not needed.
        _ = sd_journal_process(journal)
        var read = 0
        while read < readBudget {
            let moved = sd_journal_next(journal)
            if moved == 0 { break }
            if moved < 0 {
                fail(code: -moved)
                return
            }
            read += 1
            guard let (record, message) = record(now: now) else { continue }
            entries += 1
            message.withUnsafeBytes { entry(record, $0) }
        }
        if read > 0 { rememberPlace() }
    }

    /// Keeps the cursor of the current entry, the last one read.
    private func rememberPlace() {
        guard let journal else { return }
        var text: UnsafeMutablePointer<CChar>?
        guard sd_journal_get_cursor(journal, &text) >= 0, let text else { return }
        cursor = String(cString: text)
        free(text)
    }

    private func open() {
        pollsSinceAttempt = 0
        var opened: OpaquePointer?
        let result: Int32
        switch place {
        case .system:
            let files = Self.systemJournalFiles()
            guard !files.isEmpty else {
                state = .waiting
                problem = "no journal on this host (no files in /var/log/journal or /run/log/journal)"
                return
            }
            guard mayRead(files) else { return }
            result = sd_journal_open(&opened, vigil_sd_journal_local_system())
        case .directory(let folder):
            var status = stat()
            guard stat(folder, &status) == 0 else {
                state = .waiting
                problem = "no journal at \(folder) (\(String(cString: strerror(errno))))"
                // Entries of a journal that appears later are all new.
                fromStart = true
                return
            }
            // sd-journal skips files it may not read without a word; say why nothing comes.
            guard mayRead(LogSources.expand(folder + "/*.journal") + LogSources.expand(folder + "/*/*.journal")) else { return }
            result = sd_journal_open_directory(&opened, folder, 0)
        }
        guard result >= 0, let opened else {
            state = .unreadable
            problem = result == -EACCES ? Self.noPermission : "cannot open the journal: \(String(cString: strerror(-result)))"
            fromStart = true
            return
        }
        for unit in units {
            _ = sd_journal_add_match(opened, "_SYSTEMD_UNIT=" + unit, 0)
        }
        // Sets up the inotify watches that sd_journal_process reads to follow rotation.
        _ = sd_journal_get_fd(opened)
        if let cursor, sd_journal_seek_cursor(opened, cursor) >= 0 {
            // Back where it was: the entry under the cursor was handed over already. When it has
            // been vacuumed away, the reader stands on the closest one, which is new to it.
            if sd_journal_next(opened) > 0, sd_journal_test_cursor(opened, cursor) <= 0 {
                _ = sd_journal_previous(opened)
            }
        } else if fromStart {
            _ = sd_journal_seek_head(opened)
        } else {
            // The last entry is the place; sd_journal_next then yields only newer ones.
            _ = sd_journal_seek_tail(opened)
            _ = sd_journal_previous(opened)
        }
        journal = opened
        // The place from the start, so a failure before any entry comes back to it rather than
        // to the head of the journal (an empty journal has none: it is read from its head).
        if cursor == nil, !fromStart { rememberPlace() }
        fromStart = true
        state = .following
        problem = nil
    }

    static let noPermission = "no permission to read the journal (join the systemd-journal or adm group)"

    /// False, with the state and problem set, when there are journal files and none may be read.
    private func mayRead(_ files: [String]) -> Bool {
        guard !files.isEmpty, !files.contains(where: { access($0, R_OK) == 0 }) else { return true }
        state = .unreadable
        problem = Self.noPermission
        fromStart = true
        return false
    }

    /// A read failed (a file vanished under it, an I/O error): say so and open again later,
    /// at the entry after the last one read.
    func fail(code: Int32) {
        // A failed sd_journal_next leaves the reader on the last entry it read.
        rememberPlace()
        if let journal { sd_journal_close(journal) }
        journal = nil
        state = .unreadable
        problem = "journal read failed: \(String(cString: strerror(code)))"
    }

    /// The current entry as a record with the bytes of its message, or nil when it has no message.
    private func record(now: Double) -> (LogRecord, [UInt8])? {
        guard let journal else { return nil }
        let message = Self.field(journal, "MESSAGE")
        guard !message.isEmpty || Self.has(journal, "MESSAGE") else { return nil }
        var microseconds: UInt64 = 0
        let time: Double? = sd_journal_get_realtime_usec(journal, &microseconds) >= 0 ? Double(microseconds) / 1e6 : nil
        let priority = Int(Self.text(Self.field(journal, "PRIORITY"))) ?? 6
        let unit = Self.text(Self.field(journal, "_SYSTEMD_UNIT")).nonEmpty ?? Self.text(Self.field(journal, "_SYSTEMD_USER_UNIT")).nonEmpty
        let program = Self.text(Self.field(journal, "SYSLOG_IDENTIFIER")).nonEmpty ?? Self.text(Self.field(journal, "_COMM")).nonEmpty
        let pid = Int(Self.text(Self.field(journal, "_PID"))) ?? Int(Self.text(Self.field(journal, "SYSLOG_PID")))
        var record = LogRecord(
            source: name, received: now, time: time, severity: LogSeverity(syslog: priority),
            program: program, pid: pid, message: Self.text(message)
        )
        record.unit = unit
        return (record, message)
    }

    /// The value of one field of the current entry (without `NAME=`), cut at 64 KiB; empty when absent.
    static func field(_ journal: OpaquePointer, _ name: String) -> [UInt8] {
        var data: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, name, &data, &length) >= 0, let data else { return [] }
        let skip = name.utf8.count + 1
        guard length > skip else { return [] }
        let bytes = UnsafeRawBufferPointer(start: data + skip, count: min(length - skip, 65_536))
        return Array(bytes)
    }

    static func has(_ journal: OpaquePointer, _ name: String) -> Bool {
        var data: UnsafeRawPointer?
        var length = 0
        return sd_journal_get_data(journal, name, &data, &length) >= 0
    }

    /// Field bytes as text: invalid UTF-8 becomes U+FFFD, a trailing newline is dropped.
    static func text(_ bytes: [UInt8]) -> String {
        var slice = bytes[...]
        while let last = slice.last, last == 0x0A || last == 0x0D { slice.removeLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}

extension String {
    /// Nil for an empty string, so `??` can fall through to the next field.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
