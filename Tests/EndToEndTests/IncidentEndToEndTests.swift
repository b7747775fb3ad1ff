import Foundation
import Store
import Telemetry
import Testing

/// Incidents across processes and restarts: the real binary, a real database file.
extension UnderLoad {
@Suite("incidents end to end")
struct IncidentEndToEndTests {
    /// A log line that is always an incident at once: a crash.
    static let crash = "2026-12-04T10:00:00Z ERROR worker[42]: segfault at 0 ip 00007f error 4\n"

    static func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    @Test("stress-ng --cpu 2 opens one incident naming stress-ng; acked from the keyboard, it survives a restart", .enabled(if: UnderLoad.FaultDetectionTests.stressNG != nil))
    func cpuIncidentAcknowledgedAndRestarted() throws {
        let tmux = try Tmux(columns: 120, rows: 45)
        try tmux.type("\(VigilBinary.path) --interval 500ms; echo EXIT=$?")
        #expect(try tmux.waitFor("total ["))
        Thread.sleep(forTimeInterval: 18) // baselines learn
        let stress = try Subprocess.Background(UnderLoad.FaultDetectionTests.stressNG!, ["--cpu", "2", "--timeout", "20s"], ownGroup: true)
        defer { stress.stop(SIGKILL) }
        let (screen, named) = try tmux.waitFor(timeout: 20) { $0.contains("CPU saturation: stress-ng") }
        #expect(named, "screen was:\n\(screen)")
        stress.stop(SIGINT)
        // The stress-ng incident is the newest, so it is first and selected.
        try tmux.press("Enter")
        #expect(try tmux.waitFor("Likely causes"))
        try tmux.press("a")
        #expect(try tmux.waitFor("note (optional)"))
        try tmux.run(["send-keys", "-l", "hog found, killing it"])
        try tmux.press("Enter")
        let (acked, done) = try tmux.waitFor(timeout: 5) { $0.contains("acknowledged by") && $0.contains("hog found, killing it") }
        #expect(done, "screen was:\n\(acked)")
        try tmux.press("Escape")
        let (list, marked) = try tmux.waitFor(timeout: 5) { $0.contains("ACKED") && $0.contains("[Incidents]") }
        #expect(marked, "back on the main screen the incident is marked acknowledged:\n\(list)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
        try tmux.type("clear; \(VigilBinary.path); echo EXIT=$?")
        let (after, kept) = try tmux.waitFor(timeout: 5) { $0.contains("ACKED") && $0.contains("stress-ng") }
        #expect(kept, "after restart:\n\(after)")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("hog found, killing it"))
        try tmux.press("Escape")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("the CLI acknowledges while the dashboard runs, and the dashboard shows it within a tick")
    func cliAckShowsOnScreen() throws {
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "")
        let tmux = try Tmux(columns: 120, rows: 40)
        try tmux.type("\(VigilBinary.path) --log \(log); echo EXIT=$?")
        #expect(try tmux.waitFor("no new lines yet"))
        Thread.sleep(forTimeInterval: 0.6)
        try Self.append(Self.crash, to: log)
        #expect(try tmux.waitFor("OPEN", timeout: 5))
        let db = tmux.stateHome + "/vigil/vigil.db"
        let ack = try VigilBinary.run(["ack", "1", "--note", "from the cli", "--db", db])
        #expect(ack.status == 0, "\(ack.stderr)")
        let (screen, shown) = try tmux.waitFor(timeout: 2) { $0.contains("ACKED") }
        #expect(shown, "screen was:\n\(screen)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("two dashboards on one database show the same incident; an ack in one appears in the other; one runs the engine")
    func twoDashboards() throws {
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "")
        let state = scratch.path + "/state"
        let first = try Tmux(columns: 120, rows: 40, environment: ["XDG_STATE_HOME": state])
        let second = try Tmux(columns: 120, rows: 40, environment: ["XDG_STATE_HOME": state])
        try first.type("\(VigilBinary.path) --log \(log); echo EXIT=$?")
        #expect(try first.waitFor("no new lines yet"))
        try second.type("\(VigilBinary.path) --log \(log); echo EXIT=$?")
        #expect(try second.waitFor("following another Vigil"))
        Thread.sleep(forTimeInterval: 0.6)
        try Self.append(Self.crash, to: log)
        #expect(try first.waitFor("#1", timeout: 5))
        #expect(try second.waitFor("#1", timeout: 5))
        let (follower, seesAnomalies) = try second.waitFor(timeout: 5) { $0.contains("Anomalies ─") && $0.contains(" active") }
        #expect(seesAnomalies, "the follower lists the engine's anomalies too:\n\(follower)")
        try second.press("a")
        #expect(try second.waitFor("note (optional)"))
        try second.run(["send-keys", "-l", "mine"])
        try second.press("Enter")
        let (screen, shown) = try first.waitFor(timeout: 3) { $0.contains("ACKED") }
        #expect(shown, "first dashboard:\n\(screen)")
        // The engine's holder quits; the follower takes over within a tick.
        try first.press("q")
        #expect(try first.waitFor("EXIT=0"))
        let (taken, tookOver) = try second.waitFor(timeout: 4) { !$0.contains("following another Vigil") }
        #expect(tookOver, "second dashboard:\n\(taken)")
        try second.press("q")
        #expect(try second.waitFor("EXIT=0"))
    }

    @Test("kill -9 at random moments during writes and acks loses no reported ack and leaves a sound database")
    func killNineDurability() throws {
        let scratch = try ScratchDirectory()
        let db = scratch.path + "/vigil.db"
        let log = try scratch.write("app.log", "")
        // One incident to acknowledge, opened by the engine itself.
        let seed = try Subprocess.Background(VigilBinary.path, ["watch", "--json", "--interval", "200ms", "--db", db, "--log", log])
        Thread.sleep(forTimeInterval: 1)
        try Self.append(Self.crash, to: log)
        var opened = false
        for _ in 0..<50 where !opened {
            Thread.sleep(forTimeInterval: 0.1)
            opened = seed.output.contains("\"incidents\":[{")
        }
        #expect(opened)
        seed.stop(SIGKILL)
        var reported: [String] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            // The engine writes (history, incidents, state) while acks race it; both die at random.
            let engine = try Subprocess.Background(VigilBinary.path, ["watch", "--interval", "100ms", "--db", db, "--log", log])
            try Self.append(String(repeating: "2026-12-04T10:00:00Z ERROR worker: I/O error on request \(round)\n", count: 50), to: log)
            var acks: [(Subprocess.Background, String)] = []
            for index in 0..<3 {
                let note = "round \(round) ack \(index)"
                acks.append((try Subprocess.Background(VigilBinary.path, ["ack", "1", "--note", note, "--db", db]), note))
            }
            // Half the acks are killed a few milliseconds in, some mid-transaction.
            usleep(UInt32.random(in: 0...25_000, using: &generator))
            for (process, _) in acks where Bool.random(using: &generator) { kill(process.pid, SIGKILL) }
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            engine.stop(SIGKILL)
            for (process, note) in acks {
                let status = process.stop(SIGCONT, timeout: 10)
                if status == 0, process.output.contains("acknowledged #1") { reported.append(note) }
            }
        }
        #expect(!reported.isEmpty)
        let store = try IncidentStore(database: Database(path: db))
        #expect(try store.database.integrityCheck() == "ok")
        let notes = try store.timeline(1).filter { $0.kind == .acknowledged }.map(\.text)
        for note in reported {
            #expect(notes.contains(note), "reported ack '\(note)' is missing")
        }
        print("durability rounds=12 acks_started=36 reported_acks=\(reported.count) integrity=ok")
    }
}
}
