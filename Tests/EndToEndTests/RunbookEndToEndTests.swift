import Foundation
import Store
import Telemetry
import Testing

/// Runbook actions with the real binary: harmless scripts run from the keyboard in tmux and
/// automatically, an incident whose title is full of shell metacharacters, a timeout and a
/// missing program.
@Suite("runbook actions end to end", .serialized)
struct RunbookEndToEndTests {
    /// A scratch folder with a log to crash, scripts and a config file.
    final class Runbook {
        let scratch: ScratchDirectory
        let log: String
        let config: String

        /// - Parameter actions: the `[actions.NAME]` sections; `SCRATCH` stands for the scratch folder.
        init(actions: String, logFolder: String = "") throws {
            scratch = try ScratchDirectory()
            let folder = scratch.path + logFolder
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            log = folder + "/app.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            config = try scratch.write("vigil.conf", actions.replacingOccurrences(of: "SCRATCH", with: scratch.path))
        }

        func script(_ name: String, _ body: String) throws {
            let path = try scratch.write(name, "#!/bin/sh\n" + body + "\n")
            chmod(path, 0o755)
        }

        /// A log line that opens an incident at once.
        func crash() throws {
            try UnderLoad.IncidentEndToEndTests.append(UnderLoad.IncidentEndToEndTests.crash, to: log)
        }

        /// A dashboard on this runbook in tmux, with the crash's incident open in the incident view.
        func dashboardWithIncident(columns: Int = 120) throws -> Tmux {
            let tmux = try Tmux(columns: columns, rows: 45)
            try tmux.type("\(VigilBinary.path) --interval 200ms -c \(config) --log \(log); echo EXIT=$?")
            #expect(try tmux.waitFor("no new lines yet"))
            Thread.sleep(forTimeInterval: 0.5)
            try crash()
            #expect(try tmux.waitFor("OPEN", timeout: 5))
            return tmux
        }

        /// `vigil watch` on this runbook with a database of its own.
        var database: String { scratch.path + "/vigil.db" }

        func watch() throws -> Subprocess.Background {
            try Subprocess.Background(VigilBinary.path, ["watch", "--interval", "200ms", "--db", database, "-c", config, "--log", log])
        }

        /// `vigil watch`, and a crash in the log once it follows it.
        func watchCrash() throws -> Subprocess.Background {
            let watch = try watch()
            Thread.sleep(forTimeInterval: 1)
            try crash()
            return watch
        }

        /// Opens the crash's incident in the incident view; on a busy host another incident (CPU
        /// saturation from a build) may be listed too, so the rows are tried in turn.
        /// - Returns: its id.
        func openCrashIncident(in tmux: Tmux) throws -> Int64? {
            for _ in 0..<4 {
                try tmux.press("Enter")
                let (screen, opened) = try tmux.waitFor(timeout: 3) { $0.contains("Likely causes") }
                if opened, screen.contains("Crash in \(log)"),
                   let range = screen.range(of: #"Incident #[0-9]+"#, options: .regularExpression) {
                    return Int64(screen[range].dropFirst("Incident #".count))
                }
                // The selection stays on the incident just left, wherever newer ones put it.
                try tmux.press("Escape")
                try tmux.press("Down")
            }
            return nil
        }

        func read(_ name: String) -> String {
            (try? String(contentsOfFile: scratch.path + "/" + name, encoding: .utf8)) ?? ""
        }

        /// Waits for a file the scripts write to satisfy a condition.
        func waitFor(_ name: String, timeout: Double = 5, _ condition: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition(read(name)) { return true }
                usleep(50_000)
            }
            return condition(read(name))
        }
    }

    @Test("x in the incident view lists the action; after a confirmation it runs, and its exit status and output join the timeline")
    func fromTheKeyboard() throws {
        let runbook = try Runbook(actions: """
            [actions.collect]
            program = SCRATCH/collect.sh
            args = ["--since", "10 minutes"]
            kinds = logs
            """)
        try runbook.script("collect.sh", """
            printf '%s\\n' "$@" > SCRATCH/args.txt
            env | grep '^VIGIL_' | sort > SCRATCH/env.txt
            echo "collected 3 core files"
            echo "for $VIGIL_INCIDENT_ID"
            """.replacingOccurrences(of: "SCRATCH", with: runbook.scratch.path))
        let tmux = try runbook.dashboardWithIncident()
        let id = try #require(try runbook.openCrashIncident(in: tmux))
        try tmux.press("x")
        let (menu, listed) = try tmux.waitFor(timeout: 3) { $0.contains("Actions for #\(id)") && $0.contains("1. collect") }
        #expect(listed, "screen was:\n\(menu)")
        #expect(runbook.read("env.txt").isEmpty, "ran before it was confirmed")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("Run collect on incident #\(id)?"))
        #expect(try tmux.screen().contains("collect.sh --since \"10 minutes\""))
        try tmux.press("y")
        let (screen, shown) = try tmux.waitFor(timeout: 5) { $0.contains("collect: exit 0 after") && $0.contains("collected 3 core files") }
        #expect(shown, "screen was:\n\(screen)")
        #expect(runbook.read("args.txt") == "--since\n10 minutes\n")
        let environment = runbook.read("env.txt")
        #expect(environment.contains("VIGIL_INCIDENT_ID=\(id)\n"))
        #expect(environment.contains("VIGIL_INCIDENT_TITLE=Crash in \(runbook.log)\n"))
        #expect(environment.contains("VIGIL_SEVERITY=critical\n"))
        #expect(environment.contains("VIGIL_ROOT_SIGNAL=log.\(runbook.log).segfault\n"))
        #expect(environment.contains("VIGIL_INCIDENT_KIND=logs\n"))
        #expect(environment.contains("VIGIL_HOST="))
        try tmux.press("Escape")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("an automatic action runs once when the incident opens, and not again after a restart")
    func automaticOnce() throws {
        let runbook = try Runbook(actions: """
            [actions.snapshot_state]
            program = SCRATCH/record.sh
            kinds = logs
            auto = yes
            """)
        try runbook.script("record.sh", "echo \"$VIGIL_INCIDENT_ID\" >> \(runbook.scratch.path)/runs.txt; echo recorded")
        let db = runbook.database
        let watch = try runbook.watchCrash()
        #expect(runbook.waitFor("runs.txt") { !$0.isEmpty })
        Thread.sleep(forTimeInterval: 1)
        watch.stop(SIGTERM)
        let again = try runbook.watch()
        Thread.sleep(forTimeInterval: 2)
        again.stop(SIGTERM)
        let runs = runbook.read("runs.txt").split(separator: "\n")
        #expect(runs.count == 1, "ran again after a restart: \(runs)")
        let show = try VigilBinary.run(["show", String(runs.first ?? "1"), "--db", db])
        #expect(show.stdout.contains("snapshot_state started (automatic)"), "\(show.stdout)")
        #expect(show.stdout.contains("snapshot_state: exit 0 after"))
        #expect(show.stdout.contains("recorded"))
    }

    @Test("an action still running when Vigil stops ends with it, and its timeline says so")
    func endsWithVigil() throws {
        let runbook = try Runbook(actions: """
            [actions.long]
            program = SCRATCH/long.sh
            kinds = logs
            auto = yes
            timeout = 10m
            """)
        try runbook.script("long.sh", "echo $$ > \(runbook.scratch.path)/long.pid; exec sleep 600")
        let db = runbook.database
        let watch = try runbook.watchCrash()
        #expect(runbook.waitFor("long.pid") { !$0.isEmpty })
        let pid = try #require(pid_t(runbook.read("long.pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(watch.stop(SIGTERM) == 0)
        usleep(200_000)
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "gone"
        #expect(state == "gone" || state == "Z", "the action outlived Vigil: \(stat)")
        let incidents = try IncidentStore(database: Database(path: db))
        let id = try #require(try incidents.incidents(includingResolved: true).first { $0.title.hasPrefix("Crash in") }?.id)
        let events = try incidents.timeline(id).filter { $0.kind == .action }.map(\.text)
        #expect(events == ["long started (automatic)", "long: ended with Vigil (SIGTERM to its process group)"])
    }

    @Test("an incident whose title holds $(...), backticks and ; runs nothing but the configured program")
    func metacharactersInTheTitle() throws {
        try? FileManager.default.removeItem(atPath: "/tmp/pwned")
        // The log's folder names become the incident's title: "Crash in .../$(touch /tmp/pwned)/...".
        let runbook = try Runbook(actions: """
            [actions.note_title]
            program = SCRATCH/title.sh
            kinds = logs
            auto = yes
            """, logFolder: "/$(touch /tmp/pwned)/`touch ${HOME}pwned`;touch x;|y")
        try runbook.script("title.sh", "printf '%s' \"$VIGIL_INCIDENT_TITLE\" > \(runbook.scratch.path)/title.txt")
        let watch = try runbook.watchCrash()
        defer { watch.stop(SIGKILL) }
        #expect(runbook.waitFor("title.txt") { !$0.isEmpty })
        #expect(runbook.read("title.txt") == "Crash in \(runbook.log)")
        #expect(runbook.log.contains("$(touch /tmp/pwned)"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"), "a metacharacter in the title ran a command")
        #expect(!FileManager.default.fileExists(atPath: runbook.scratch.path + "/x"))
    }

    @Test("a timeout and a missing program are recorded on the timeline; the dashboard keeps answering while an action runs")
    func timeoutAndMissingProgram() throws {
        let runbook = try Runbook(actions: """
            [actions.slow]
            program = SCRATCH/slow.sh
            kinds = logs
            auto = yes
            timeout = 5s

            [actions.gone]
            program = SCRATCH/no-such-program
            kinds = logs
            auto = yes
            """)
        try runbook.script("slow.sh", "echo waiting; sleep 60")
        let tmux = try runbook.dashboardWithIncident(columns: 200)
        // The slow action runs for 5 s now; the header's clock keeps ticking and keys still answer.
        let header = try tmux.screen().split(separator: "\n").first.map(String.init) ?? ""
        let (later, ticking) = try tmux.waitFor(timeout: 2.5) { ($0.split(separator: "\n").first.map(String.init) ?? "") != header }
        #expect(ticking, "the header stood still while an action ran:\n\(later)")
        #expect(try runbook.openCrashIncident(in: tmux) != nil)
        #expect(!(try tmux.screen().contains("slow: timed out")), "the keys answered only after the action ended")
        let (missing, recorded) = try tmux.waitFor(timeout: 3) { $0.contains("gone: could not start:") && $0.contains("No such file or directory") }
        #expect(recorded, "screen was:\n\(missing)")
        let (slow, timedOut) = try tmux.waitFor(timeout: 8) { $0.contains("slow: timed out after 5s (killed)") && $0.contains("waiting") }
        #expect(timedOut, "screen was:\n\(slow)")
        try tmux.press("Escape")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}
