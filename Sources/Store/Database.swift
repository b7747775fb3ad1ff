import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// An open SQLite database: WAL journal, a busy timeout, file mode 0600.
///
/// Not thread-safe: each owner (the monitor's queue, a CLI command) opens its own.
/// WAL with `synchronous = NORMAL` keeps every committed transaction through a
/// crash or `kill -9` of Vigil (only a power loss can drop the last ones), and lets
/// readers in other processes see commits while a writer works.
public final class Database {
    /// A database error in words an operator can act on.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var message: String
        /// SQLite's primary result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, ...).
        public var code: Int32

        public var description: String { "\(path): \(message)" }
        public var isCorrupt: Bool { code == SQLITE_CORRUPT || code == SQLITE_NOTADB }
        public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    }

    public let path: String
    let handle: OpaquePointer

    /// Opens (creating if needed) the database at `path`, creating its folder with mode 0700.
    /// - Parameter busyTimeout: milliseconds to wait for another process's write lock.
    public init(path: String, busyTimeout: Int32 = 5000) throws(Failure) {
        self.path = path
        if path != ":memory:" {
            Self.makeParentDirectory(of: path)
            // SQLite creates files with the umask's mode; make the file ourselves first.
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw Failure(path: path, message: message, code: status)
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeout)
        sqlite3_extended_result_codes(db, 0)
        do throws(Failure) {
            // Touching the schema is the first read: a file that is not a database fails here.
            _ = try scalarInt("PRAGMA schema_version")
            let mode = try scalarText("PRAGMA journal_mode = WAL")
            if path != ":memory:" && mode?.lowercased() != "wal" {
                throw Failure(path: path, message: "cannot switch to WAL journal (got \(mode ?? "nothing"))", code: SQLITE_ERROR)
            }
            try execute("PRAGMA synchronous = NORMAL")
            try execute("PRAGMA foreign_keys = ON")
            // Vigil appends and reads back little: 1 MiB of page cache (SQLite's default is 2 MiB)
            // keeps a dashboard that runs for weeks under its memory budget.
            try execute("PRAGMA cache_size = -1024")
        } catch {
            sqlite3_close(db)
            throw error
        }
        if path != ":memory:" {
            for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o600) }
        }
    }

    deinit {
        sqlite3_close(handle)
    }

    /// Runs SQL that returns no rows (several statements allowed).
    public func execute(_ sql: String) throws(Failure) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw Failure(path: path, message: message, code: status)
        }
    }

    /// Prepares one statement.
    public func prepare(_ sql: String) throws(Failure) -> Statement {
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw Failure(path: path, message: "\(lastMessage) in: \(sql)", code: status)
        }
        return Statement(handle: statement, database: self)
    }

    /// Runs `body` in one transaction: all its writes commit together or none do.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front, so two processes never
    /// deadlock upgrading a read to a write; the busy timeout makes the second wait.
    public func transaction<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The row id of the last insert on this connection.
    public var lastInsertID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    public func scalarInt(_ sql: String) throws(Failure) -> Int64? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.int(0) : nil
    }

    public func scalarText(_ sql: String) throws(Failure) -> String? {
        let statement = try prepare(sql)
        return try statement.step() ? statement.text(0) : nil
    }

    /// `PRAGMA integrity_check`: "ok", or the first problems SQLite found.
    public func integrityCheck() throws(Failure) -> String {
        let statement = try prepare("PRAGMA integrity_check")
        var lines: [String] = []
        while try statement.step() {
            lines.append(statement.text(0) ?? "")
        }
        return lines.joined(separator: "; ")
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private static func makeParentDirectory(of path: String) {
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var built = path.hasPrefix("/") ? "" : "."
        if components.first == "" { components = components.dropFirst() }
        for component in components where !component.isEmpty {
            built += "/" + component
            mkdir(built, 0o700)
        }
    }
}
