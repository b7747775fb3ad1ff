import Foundation
import Testing

/// Two processes on one database: the engine passes from one to the other, and incidents
/// resolved from the command line stay resolved, with the real binary and a real store.
@Suite("engine handover", .serialized)
struct EngineHandoverTests {
    struct Listed: Decodable {
        var id: Int64
        var state: String
        var title: String
    }

    static func incidents(_ database: String) throws -> [Listed] {
        let listed = try VigilBinary.run(["incidents", "--all", "--json", "--db", database])
        try #require(listed.status == 0, "\(listed.stderr)")
        return try JSONDecoder().decode([Listed].self, from: Data(listed.stdout.utf8))
    }

    /// Polls the store until `condition` holds of its incidents.
    static func waitFor(_ database: String, timeout: Double, _ condition: ([Listed]) -> Bool) throws -> [Listed] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [Listed] = []
        repeat {
            last = try incidents(database)
            if condition(last) { return last }
            usleep(200_000)
        } while Date() < deadline
        return last
    }

    /// A log, a config with a short grace period, and a database.
    final class Setup {
        let scratch: ScratchDirectory
        let log: String
        let config: String
        var database: String { scratch.path + "/vigil.db" }

        init() throws {
            scratch = try ScratchDirectory()
            log = try scratch.write("app.log", "")
            config = try scratch.write("vigil.conf", "[incidents]\ngrace = 3s\n")
        }

        func watch() throws -> Subprocess.Background {
            try Subprocess.Background(VigilBinary.path, ["watch", "--interval", "200ms", "--db", database, "-c", config, "--log", log])
        }

        func append(_ line: String) throws {
            try UnderLoad.IncidentEndToEndTests.append(line, to: log)
        }
    }

    @Test("the engine's process exits: the one that takes over carries its incident on, and it resolves after the grace period")
    func takeoverResolves() throws {
        let setup = try Setup()
        let first = try setup.watch()
        defer { first.stop(SIGKILL) }
        Thread.sleep(forTimeInterval: 1)
        try setup.append(UnderLoad.IncidentEndToEndTests.crash)
        // A build beside the test can open a CPU incident too: the crash's is found by its title.
        let crash = { (listed: [Listed]) in listed.filter { $0.title.hasPrefix("Crash in") } }
        let opened = try Self.waitFor(setup.database, timeout: 5) { crash($0).contains { $0.state == "open" } }
        try #require(crash(opened).count == 1, "\(opened)")
        // A second process, started after the crash, follows the first's engine.
        let second = try setup.watch()
        defer { second.stop(SIGKILL) }
        Thread.sleep(forTimeInterval: 1)
        first.stop(SIGTERM)
        // The crash's anomaly would have stayed active a minute in the first engine; the new one
        // never saw the line, so the member ends at the handover and the incident resolves 3 s later.
        let after = try Self.waitFor(setup.database, timeout: 15) { crash($0).first?.state == "resolved" }
        #expect(crash(after).first?.state == "resolved", "the incident taken over never resolved: \(after)")
        #expect(crash(after).count == 1, "the crash opened no second incident at the handover: \(after)")
    }

    @Test("an incident resolved with vigil resolve stays resolved; new trouble on the same log opens a new one")
    func resolvedFromTheCommandLine() throws {
        let setup = try Setup()
        let engine = try setup.watch()
        defer { engine.stop(SIGKILL) }
        Thread.sleep(forTimeInterval: 1)
        try setup.append(UnderLoad.IncidentEndToEndTests.crash)
        let opened = try Self.waitFor(setup.database, timeout: 5) { $0.contains { $0.title.hasPrefix("Crash in") } }
        let first = try #require(opened.first { $0.title.hasPrefix("Crash in") })
        let resolved = try VigilBinary.run(["resolve", String(first.id), "--note", "fixed the worker", "--db", setup.database])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        Thread.sleep(forTimeInterval: 0.6)
        try setup.append("2026-12-04T10:05:00Z ERROR worker[43]: I/O error on /dev/sdb, logical block 1234\n")
        // The I/O error's incident names the log; a CPU incident from a build beside the test does not.
        let fresh = { (listed: [Listed]) in listed.filter { $0.id != first.id && $0.state == "open" && $0.title.contains("app.log") } }
        let later = try Self.waitFor(setup.database, timeout: 5) { !fresh($0).isEmpty }
        #expect(later.first { $0.id == first.id }?.state == "resolved")
        #expect(!fresh(later).isEmpty, "the new trouble is an incident someone sees: \(later)")
    }
}
