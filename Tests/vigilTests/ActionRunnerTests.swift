import Foundation
@testable import Monitor
import Telemetry
import Testing

/// The runner with real programs: shell scripts written by the test, and a missing one.
@Suite("runbook action runner", .serialized)
struct ActionRunnerTests {
    /// A folder with executable scripts, removed at the end.
    final class Scripts {
        let path = NSTemporaryDirectory() + "vigil-actions-" + UUID().uuidString

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func script(_ name: String, _ body: String) throws -> String {
            let file = path + "/" + name
            try ("#!/bin/sh\n" + body + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o755)
            return file
        }
    }

    static let hostile = "Crash in /srv/$(touch /tmp/pwned)/`touch /tmp/pwned`; touch /tmp/pwned | app.log"

    static func incident(title: String = "Filesystem /var filling") -> (Incident, IncidentDetail) {
        let process = ProcessSample(pid: 4242, startTime: 7, name: "log$(touch /tmp/pwned)", command: "writer", user: "root", state: "R",
                                    threads: 1, cpuPercent: 50, residentBytes: 1 << 20, readBytesPerSecond: 0, writeBytesPerSecond: 1_048_576)
        let member = Anomaly(signal: "fs./var.free", kind: .forecast, onset: 1000, value: 1, peak: 1, severity: .critical, explanation: "/var full in 40m")
        let detail = IncidentDetail(members: [member], candidates: [RootCauseCandidate(signal: "fs./var.free", headline: "Filesystem /var filling", score: 0, reason: "", process: process)])
        return (Incident(id: 17, title: title, severity: .critical, state: .open, openedAt: 1000, updatedAt: 1000, rootSignal: "fs./var.free"), detail)
    }

    static func run(_ action: RunbookAction, title: String = "Filesystem /var filling") -> ActionRunner.Result {
        let (incident, detail) = incident(title: title)
        return ActionRunner.run(action, environment: ActionRunner.environment(for: incident, detail: detail, action: action, trigger: "alice", host: "web-01"))
    }

    @Test("the program gets its arguments as given and the incident's fields as environment variables")
    func environmentAndArguments() throws {
        let scripts = try Scripts()
        let program = try scripts.script("show", #"for a in "$@"; do echo "arg=[$a]"; done; echo "$VIGIL_INCIDENT_ID|$VIGIL_HOST|$VIGIL_PROCESS_PID|${SECRET_OF_THE_RUNNER:-none}""#)
        // Only a few of Vigil's own variables reach the program.
        setenv("SECRET_OF_THE_RUNNER", "leaked", 1)
        defer { unsetenv("SECRET_OF_THE_RUNNER") }
        let result = Self.run(RunbookAction(name: "show", program: program, arguments: ["two words", "$HOME", ";ls"]))
        #expect(result.status == .exited(0))
        #expect(result.output == ["arg=[two words]", "arg=[$HOME]", "arg=[;ls]", "17|web-01|4242|none"])
        let environment = ActionRunner.environment(for: Self.incident().0, detail: Self.incident().1, action: RunbookAction(name: "show", program: program), trigger: "alice", host: "web-01")
        #expect(environment["VIGIL_INCIDENT_ID"] == "17")
        #expect(environment["VIGIL_INCIDENT_TITLE"] == "Filesystem /var filling")
        #expect(environment["VIGIL_SEVERITY"] == "critical")
        #expect(environment["VIGIL_ROOT_SIGNAL"] == "fs./var.free")
        #expect(environment["VIGIL_INCIDENT_KIND"] == "storage")
        #expect(environment["VIGIL_PROCESS_PID"] == "4242")
        #expect(environment["VIGIL_PROCESS_NAME"] == "log$(touch /tmp/pwned)")
        #expect(environment["VIGIL_HOST"] == "web-01")
        #expect(environment["VIGIL_TRIGGER"] == "alice")
        #expect(environment["PATH"] != nil)
    }

    @Test("a title and a process name full of shell metacharacters run nothing but the configured program")
    func metacharacters() throws {
        try? FileManager.default.removeItem(atPath: "/tmp/pwned")
        let scripts = try Scripts()
        let program = try scripts.script("quote", #"printf 'title=%s\n' "$VIGIL_INCIDENT_TITLE"; printf 'process=%s\n' "$VIGIL_PROCESS_NAME""#)
        let result = Self.run(RunbookAction(name: "quote", program: program, arguments: [Self.hostile]), title: Self.hostile)
        #expect(result.status == .exited(0))
        #expect(result.output == ["title=\(Self.hostile)", "process=log$(touch /tmp/pwned)"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"), "a metacharacter in the incident ran a command")
    }

    @Test("a non-zero exit is reported with the first lines of output, control characters removed")
    func failureAndOutput() throws {
        let scripts = try Scripts()
        let program = try scripts.script("fail", #"printf 'disk \033[31mfull\033[0m\n'; for i in 1 2 3 4 5 6 7 8; do echo "line $i"; done; echo oops >&2; exit 3"#)
        let result = Self.run(RunbookAction(name: "fail", program: program))
        #expect(result.status == .exited(3))
        #expect(result.output.count == ActionRunner.keptLines)
        #expect(result.output[0] == "disk [31mfull[0m")
        #expect(result.summary.hasPrefix("exit 3 after "))
    }

    @Test("a timeout ends the program and everything it started; a missing program is reported")
    func timeoutAndMissing() throws {
        let scripts = try Scripts()
        let marker = scripts.path + "/child.pid"
        let program = try scripts.script("hang", "sleep 30 & echo $! > \(marker); echo started; wait")
        let began = Date()
        let result = Self.run(RunbookAction(name: "hang", program: program, timeout: 1))
        #expect(result.status == .timedOut)
        #expect(Date().timeIntervalSince(began) < 5)
        #expect(result.output == ["started"])
        #expect(result.summary.hasPrefix("timed out after 1s"))
        let child = try #require(pid_t((try String(contentsOfFile: marker, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        usleep(100_000)
        // Gone, or a zombie waiting for init to reap it: either way no longer running.
        let stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "gone"
        #expect(state == "gone" || state == "Z", "the program's child outlived the timeout: \(stat)")

        let missing = Self.run(RunbookAction(name: "gone", program: scripts.path + "/no-such-program"))
        #expect(missing.status == .couldNotStart("\(scripts.path)/no-such-program: No such file or directory"))
        #expect(missing.summary.contains("could not start"))
        let unknown = Self.run(RunbookAction(name: "gone", program: "vigil-no-such-command"))
        #expect(unknown.status == .couldNotStart("vigil-no-such-command: No such file or directory"))
    }
}
