import CSQLite
import Foundation
@testable import Store
import Telemetry
import Testing

/// A real database file in a fresh folder, removed after the test.
final class TemporaryDatabase {
    let folder: String
    var path: String { folder + "/state/vigil.db" }

    init() {
        folder = NSTemporaryDirectory() + "vigil-store-" + UUID().uuidString
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func open() throws -> IncidentStore {
        try IncidentStore(database: Database(path: path))
    }
}

@Suite("incident store")
struct IncidentStoreTests {
    @Test("an acknowledgement with its note survives closing and reopening the database")
    func acknowledgementPersists() throws {
        let temporary = TemporaryDatabase()
        let id: Int64
        do {
            let store = try temporary.open()
            let incident = try store.open(title: "CPU saturation: stress-ng (pid 42) at 198%", severity: .critical, rootSignal: "cpu.total.busy", at: 100)
            id = incident.id
            let acknowledged = try store.acknowledge(id, who: "alice", note: "looking into it", at: 130)
            #expect(acknowledged.state == .acknowledged)
        }
        let reopened = try temporary.open()
        let incident = try #require(try reopened.incident(id))
        #expect(incident.state == .acknowledged)
        #expect(incident.acknowledgement == Acknowledgement(who: "alice", at: 130, note: "looking into it"))
        #expect(incident.title.contains("stress-ng"))
        #expect(try reopened.timeline(id).map(\.kind) == [.opened, .acknowledged])
    }

    @Test("the life of an incident is a timeline: open, ack, note, resolve, reopen")
    func lifecycle() throws {
        let temporary = TemporaryDatabase()
        let store = try temporary.open()
        let id = try store.open(title: "disk full", severity: .warning, rootSignal: nil, at: 1).id
        _ = try store.acknowledge(id, who: "bob", note: nil, at: 2)
        _ = try store.addNote(id, who: "bob", text: "rotated logs", at: 3)
        let resolved = try store.resolve(id, who: "bob", reason: "resolved by hand", at: 4)
        #expect(resolved.state == .resolved)
        #expect(resolved.resolvedAt == 4)
        #expect(try store.incidents().isEmpty)
        #expect(try store.incidents(includingResolved: true).map(\.id) == [id])
        let again = try store.reopen(id, reason: "recurred", at: 5)
        #expect(again.state == .acknowledged)
        #expect(try store.timeline(id).map(\.kind) == [.opened, .acknowledged, .note, .resolved, .reopened])
    }

    @Test("acting on a missing or resolved incident is refused and changes nothing")
    func refusals() throws {
        let temporary = TemporaryDatabase()
        let store = try temporary.open()
        #expect(throws: IncidentStore.Refusal.noSuchIncident(99)) { try store.acknowledge(99, who: "x", note: nil, at: 1) }
        let id = try store.open(title: "t", severity: .warning, rootSignal: nil, at: 1).id
        _ = try store.resolve(id, who: nil, reason: "all members back in band", at: 2)
        #expect(throws: IncidentStore.Refusal.alreadyResolved(id)) { try store.acknowledge(id, who: "x", note: nil, at: 3) }
        #expect(try store.incident(id)?.acknowledgement == nil)
    }

    @Test("a second connection sees an acknowledgement as soon as it is committed")
    func twoConnections() throws {
        let temporary = TemporaryDatabase()
        let writer = try temporary.open()
        let reader = try temporary.open()
        let id = try writer.open(title: "t", severity: .warning, rootSignal: nil, at: 1).id
        let before = try reader.changeCounter()
        _ = try writer.acknowledge(id, who: "carol", note: "mine", at: 2)
        #expect(try reader.changeCounter() != before)
        #expect(try reader.incident(id)?.acknowledgement?.who == "carol")
    }

    @Test("the database file and its folder are private to the user")
    func permissions() throws {
        let temporary = TemporaryDatabase()
        _ = try temporary.open()
        let attributes = try FileManager.default.attributesOfItem(atPath: temporary.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: temporary.folder + "/state")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        #expect(try temporary.open().database.integrityCheck() == "ok")
        #expect(try temporary.open().database.scalarInt("PRAGMA user_version") == Schema.currentVersion)
    }

    @Test("a file that is not a database is reported as such, not trapped on")
    func corruptFile() throws {
        let temporary = TemporaryDatabase()
        try FileManager.default.createDirectory(atPath: temporary.folder + "/state", withIntermediateDirectories: true)
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: temporary.path))
        #expect {
            _ = try temporary.open()
        } throws: { error in
            (error as? Database.Failure)?.isCorrupt == true
        }
    }

    @Test("a database from a newer Vigil is refused with a clear message")
    func newerSchema() throws {
        let temporary = TemporaryDatabase()
        let database = try Database(path: temporary.path)
        try database.execute("PRAGMA user_version = 999")
        #expect {
            _ = try IncidentStore(database: database)
        } throws: { error in
            "\(error)".contains("newer Vigil")
        }
    }
}

@Suite("incident members")
struct IncidentMemberTests {
    @Test("an incident's anomalies are kept with their band and peak, and updated when they end")
    func members() throws {
        let temporary = TemporaryDatabase()
        let store = try temporary.open()
        let id = try store.open(title: "I/O pressure", severity: .warning, rootSignal: "psi.io.some.avg10", at: 10).id
        var anomaly = Anomaly(signal: "psi.io.some.avg10", kind: .learnt, onset: 10, value: 38, peak: 38, bandLow: 0, bandHigh: 2,
                              severity: .warning, explanation: "io pressure 38% vs usual 0%-2%")
        try store.recordMember(id, anomaly)
        anomaly.end = 70
        anomaly.peak = 55
        anomaly.severity = .critical
        try store.recordMember(id, anomaly)
        let members = try temporary.open().members(id)
        #expect(members.count == 1)
        #expect(members.first?.end == 70)
        #expect(members.first?.peak == 55)
        #expect(members.first?.bandHigh == 2)
        #expect(members.first?.severity == .critical)
    }
}
