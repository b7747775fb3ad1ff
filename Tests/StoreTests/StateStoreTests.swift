import Foundation
@testable import Store
import Telemetry
import Testing

@Suite("silences, saved state, history and the engine lease")
struct StateStoreTests {
    @Test("a silence is active until its time, then gone; it survives a reopen")
    func silences() throws {
        let temporary = TemporaryDatabase()
        do {
            let store = try SilenceStore(database: Database(path: temporary.path))
            _ = try store.add(pattern: "disk.*.util", until: 200, by: "alice", note: "backup window", at: 100)
        }
        let store = try SilenceStore(database: Database(path: temporary.path))
        #expect(try store.active(at: 150).map(\.pattern) == ["disk.*.util"])
        #expect(try store.active(at: 250).isEmpty)
    }

    @Test("detector state round-trips byte for byte")
    func keyedState() throws {
        let temporary = TemporaryDatabase()
        let bytes: [UInt8] = Array("{\"baselines\":[1,2,3]}".utf8) + [0, 255, 7]
        try KeyedStateStore(database: Database(path: temporary.path)).save(bytes, key: "engine", at: 5)
        let loaded = try KeyedStateStore(database: Database(path: temporary.path)).load(key: "engine")
        #expect(loaded?.state == bytes)
        #expect(loaded?.savedAt == 5)
        #expect(try KeyedStateStore(database: Database(path: temporary.path)).load(key: "other") == nil)
    }

    @Test("history keeps seconds for an hour and rolls whole minutes up")
    func history() throws {
        let temporary = TemporaryDatabase()
        let store = try HistoryStore(database: Database(path: temporary.path), secondsKept: 120, minutesKept: 600)
        let start = 1_000_020.0 // 20 s into a minute
        for offset in 0..<400 {
            try store.record([Reading("cpu.total.busy", Double(offset % 60), .percent)], at: start + Double(offset))
        }
        let seconds = try store.seconds(of: "cpu.total.busy", since: 0)
        #expect(seconds.count <= 240)
        #expect(seconds.last?.at == start + 399)
        #expect(seconds.last?.value == Double(399 % 60))
        let minutes = try store.minutes(of: "cpu.total.busy", since: 0)
        #expect(minutes.count >= 5)
        #expect(minutes.first.map { $0.low == 0 || $0.low == 40 } == true)
        #expect(minutes.allSatisfy { $0.low <= $0.mean && $0.mean <= $0.high })
    }

    @Test("one process at a time holds the engine lease; it frees on release")
    func lease() throws {
        let temporary = TemporaryDatabase()
        _ = try Database(path: temporary.path)
        let first = EngineLease(databasePath: temporary.path)
        let second = EngineLease(databasePath: temporary.path)
        #expect(first.tryAcquire())
        #expect(!second.tryAcquire())
        first.release()
        #expect(second.tryAcquire())
    }
}

@Suite("templates and migrations")
struct TemplateStoreTests {
    @Test("learnt templates round-trip with their cluster numbers; a version-1 file migrates")
    func roundTrip() throws {
        let temporary = TemporaryDatabase()
        let database = try Database(path: temporary.path)
        // A file as the first release wrote it: schema version 1 only.
        try database.execute(Schema.migrations[0])
        try database.execute("PRAGMA user_version = 1")
        let store = try TemplateStore(database: database)
        #expect(try database.scalarInt("PRAGMA user_version") == Schema.currentVersion)
        let templates = [
            StoredTemplate(id: "00000000000000aa", text: "session opened for user <*>", count: 12, cluster: 3),
            StoredTemplate(id: "00000000000000bb", text: "connection from <*> port <*>", count: 2, cluster: 7),
        ]
        try store.save(templates, at: 10)
        #expect(try TemplateStore(database: Database(path: temporary.path)).load() == templates)
    }
}
