@testable import Collector
import Foundation
import Telemetry
import Testing

/// Real journal files, written by systemd-journal-remote from journal export format, read
/// back through sd-journal while they grow and rotate.
@Suite("journal reader", .serialized)
struct JournalReaderTests {
    static let writer = ["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// One journal entry: the fields journald would have stored.
    struct Entry {
        var message: String
        var unit: String? = nil
        var priority = 6
        var pid = 100
        var program = "app"
        var second: Int

        var exportText: String {
            var fields = [
                "__REALTIME_TIMESTAMP=\(UInt64(1_764_851_000 + second) * 1_000_000)",
                "__MONOTONIC_TIMESTAMP=\(UInt64(second + 1) * 1_000_000)",
                "_BOOT_ID=0123456789abcdef0123456789abcdef",
                "MESSAGE=\(message)", "PRIORITY=\(priority)", "_PID=\(pid)", "SYSLOG_IDENTIFIER=\(program)",
            ]
            if let unit { fields.append("_SYSTEMD_UNIT=\(unit)") }
            return fields.joined(separator: "\n") + "\n\n"
        }
    }

    /// Appends entries to a journal file (made if missing) with systemd-journal-remote.
    static func write(_ entries: [Entry], to journal: String) throws {
        let writer = try #require(writer, "systemd-journal-remote is needed (Debian's systemd-journal-remote)")
        let export = journal + ".export"
        try Data(entries.map(\.exportText).joined().utf8).write(to: URL(fileURLWithPath: export))
        defer { unlink(export) }
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments: [String] = [writer, "--output=" + journal, export]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, writer, &actions, nil, argv, environ) == 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status == 0, "systemd-journal-remote failed with status \(status)")
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "vigil-journal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func drain(_ reader: JournalReader) -> [LogRecord] {
        var records: [LogRecord] = []
        reader.poll(now: 1_764_900_000) { record, bytes in
            var record = record
            // The bytes handed over are the message the miner sees.
            #expect(String(decoding: bytes, as: UTF8.self) == record.message)
            record.received = 0
            records.append(record)
        }
        return records
    }

    @Test("unit, priority, pid, program, message and time come from the entry's fields")
    func fields() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write([
            Entry(message: "worker 7 segfault at 0 ip 00007f", unit: "nginx.service", priority: 2, pid: 4242, program: "nginx", second: 1),
            Entry(message: "session opened for user root", unit: "cron.service", priority: 6, pid: 17, program: "CRON", second: 2),
            Entry(message: "Out of memory: Killed process 99", priority: 3, pid: 0, program: "kernel", second: 3),
        ], to: folder + "/system.journal")
        let reader = JournalReader(place: .directory(folder), fromStart: true)
        #expect(reader.state == .following)
        let records = Self.drain(reader)
        try #require(records.count == 3)
        #expect(records[0].unit == "nginx.service")
        #expect(records[0].severity == .critical)
        #expect(records[0].pid == 4242)
        #expect(records[0].program == "nginx")
        #expect(records[0].message == "worker 7 segfault at 0 ip 00007f")
        #expect(records[0].time == 1_764_851_001)
        #expect(records[0].source == "journal " + folder)
        #expect(records[1].unit == "cron.service")
        #expect(records[1].severity == .info)
        #expect(records[2].unit == nil)
        #expect(records[2].severity == .error)
        #expect(reader.health.lines == 3)
        #expect(Self.drain(reader).isEmpty, "nothing is read twice")
    }

    @Test("--journal-unit keeps only the units named; a bare name means a service")
    func unitFilter() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.write([
            Entry(message: "a", unit: "nginx.service", second: 1),
            Entry(message: "b", unit: "cron.service", second: 2),
            Entry(message: "c", unit: "ssh.socket", second: 3),
            Entry(message: "d", unit: "nginx.service", second: 4),
        ], to: folder + "/system.journal")
        let reader = JournalReader(place: .directory(folder), units: ["nginx", "ssh.socket"], fromStart: true)
        #expect(Self.drain(reader).map(\.message) == ["a", "c", "d"])
    }

    @Test("starts at the end, follows new entries, and keeps its place through a rotation mid-read")
    func followAndRotate() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let active = folder + "/system.journal"
        try Self.write([Entry(message: "old 1", second: 1), Entry(message: "old 2", second: 2)], to: active)
        let reader = JournalReader(place: .directory(folder))
        reader.readBudget = 2
        #expect(Self.drain(reader).isEmpty, "entries from before the start are not read")
        try Self.write((3...5).map { Entry(message: "new \($0)", second: $0) }, to: active)
        #expect(Self.drain(reader).map(\.message) == ["new 3", "new 4"], "a poll reads at most its budget")
        // journald's rotation: the active file is archived under another name, a new one begins.
        #expect(rename(active, folder + "/system@0123456789abcdef0123456789abcdef-0000000000000001-0005f0a0b0c0d0e0.journal") == 0)
        try Self.write((6...8).map { Entry(message: "rotated \($0)", second: $0) }, to: active)
        var rest: [String] = []
        for _ in 0..<4 { rest += Self.drain(reader).map(\.message) }
        #expect(rest == ["new 5", "rotated 6", "rotated 7", "rotated 8"], "each entry once, in order, across the rotation")
        #expect(reader.state == .following)
    }

    @Test("after a failed read it opens again where it was: nothing is read twice, nothing written meanwhile is lost")
    func resumesAfterAFailure() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let active = folder + "/system.journal"
        let reader = JournalReader(place: .directory(folder), fromStart: true)
        reader.reopenEvery = 1
        try Self.write((1...3).map { Entry(message: "before \($0)", second: $0) }, to: active)
        #expect(Self.drain(reader).map(\.message) == ["before 1", "before 2", "before 3"])
        reader.fail(code: EIO)
        #expect(reader.state == .unreadable)
        #expect(reader.health.problem == "journal read failed: Input/output error")
        try Self.write((4...5).map { Entry(message: "meanwhile \($0)", second: $0) }, to: active)
        var after: [String] = []
        for _ in 0..<2 { after += Self.drain(reader).map(\.message) }
        #expect(after == ["meanwhile 4", "meanwhile 5"])
        #expect(reader.state == .following)
    }

    @Test("a missing journal is a note, not an error, and is picked up whole once it appears")
    func missingThenAppears() throws {
        let parent = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let folder = parent + "/journal"
        let reader = JournalReader(place: .directory(folder))
        reader.reopenEvery = 1
        #expect(reader.state == .waiting)
        #expect(reader.problem?.contains("no journal at \(folder)") == true)
        #expect(Self.drain(reader).isEmpty)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.write([Entry(message: "first", second: 1)], to: folder + "/system.journal")
        #expect(Self.drain(reader).map(\.message) == ["first"])
        #expect(reader.state == .following)
        #expect(reader.problem == nil)
    }

    @Test("a unit name without a suffix is a service", arguments: [("nginx", "nginx.service"), ("ssh.socket", "ssh.socket"), ("backup.timer", "backup.timer"), ("user@1000.service", "user@1000.service")])
    func unitNames(given: String, expected: String) {
        #expect(JournalReader.unitName(given) == expected)
    }
}
