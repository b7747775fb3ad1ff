import CSQLite

/// A prepared SQL statement with typed binding and column access.
///
/// Text and blobs are bound with `SQLITE_TRANSIENT`, so SQLite copies them before
/// the call returns: passing a temporary Swift buffer as static is a classic bug.
public final class Statement {
    let handle: OpaquePointer
    private let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds values to `?` placeholders in order, starting at 1; nil binds NULL.
    @discardableResult
    public func bind(_ values: (any SQLValue)?...) throws(Database.Failure) -> Statement {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            if let value {
                status = value.bind(to: handle, at: index)
            } else {
                status = sqlite3_bind_null(handle, index)
            }
            guard status == SQLITE_OK else {
                throw Database.Failure(path: database.path, message: database.lastMessage, code: status)
            }
        }
        return self
    }

    /// Advances to the next row; false when there are no more.
    public func step() throws(Database.Failure) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            let message = database.lastMessage
            sqlite3_reset(handle)
            throw Database.Failure(path: database.path, message: message, code: status)
        }
    }

    /// Runs a statement that returns no rows.
    public func run() throws(Database.Failure) {
        while try step() {}
    }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    public func int(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    public func double(_ column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    public func optionalDouble(_ column: Int32) -> Double? {
        isNull(column) ? nil : double(column)
    }

    public func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func blob(_ column: Int32) -> [UInt8]? {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let pointer = sqlite3_column_blob(handle, column) else { return count == 0 && !isNull(column) ? [] : nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLValue {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

extension Int64: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self)
    }
}

extension Int: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Double: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_double(statement, index, self)
    }
}

extension String: SQLValue {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_text(statement, index, self, -1, vigil_sqlite_transient())
    }
}

extension Array: SQLValue where Element == UInt8 {
    public func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        withUnsafeBytes { bytes in
            sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), vigil_sqlite_transient())
        }
    }
}
