import Foundation
import Monitor
import Store
import Telemetry
import Testing
@testable import vigil

@Suite("incident commands")
struct IncidentCommandTests {
    @Test("ack, note and resolve through the command reach the database another process reads")
    func ackNoteResolve() throws {
        let folder = NSTemporaryDirectory() + "vigil-cli-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vigil.db"
        let id = try IncidentStore(database: Database(path: path)).open(title: "CPU saturation", severity: .critical, rootSignal: "cpu.total.busy", at: 1).id
        let environment = ["SUDO_USER": "dana", "HOME": folder]
        func run(_ arguments: [String]) throws -> Int32 {
            let invocation = try Invocation.parse(arguments + ["--db", path])
            return IncidentCommands.run(invocation, settings: try Vigil.loadSettings(invocation, environment: environment), environment: environment)
        }
        #expect(try run(["ack", "\(id)", "--note", "restarting the job"]) == 0)
        #expect(try run(["note", "#\(id)", "job restarted"]) == 0)
        let reader = try IncidentStore(database: Database(path: path))
        let acknowledged = try #require(try reader.incident(id))
        #expect(acknowledged.acknowledgement == Acknowledgement(who: "dana", at: acknowledged.acknowledgement!.at, note: "restarting the job"))
        #expect(try run(["resolve", "\(id)"]) == 0)
        #expect(try reader.incident(id)?.state == .resolved)
        #expect(try reader.timeline(id).map(\.kind) == [.opened, .acknowledged, .note, .resolved])
        #expect(try run(["ack", "999"]) == 1)
        #expect(try run(["silence", "disk.*.util", "--for", "2h"]) == 0)
        #expect(try SilenceStore(database: Database(path: path)).active(at: Monitor.wallClock()).count == 1)
    }

    @Test("vigil show prints what the incident knows: members with peak and band, likely causes, processes and evidence")
    func showsTheDetail() throws {
        let folder = NSTemporaryDirectory() + "vigil-show-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try IncidentStore(database: Database(path: folder + "/vigil.db"))
        let id = try store.open(title: "CPU saturation: stress-ng (pid 4242) at 198%", severity: .critical, rootSignal: "cpu.total.busy", at: 100).id
        let busy = Anomaly(signal: "cpu.total.busy", kind: .learnt, onset: 100, value: 97, peak: 99.5, bandLow: 2, bandHigh: 25,
                           severity: .critical, explanation: "cpu busy 97% vs usual 2-25%")
        let hog = ProcessSample(pid: 4242, startTime: 1, name: "stress-ng", command: "stress-ng --cpu 2", user: "root", state: "R", threads: 2,
                                cpuPercent: 198, residentBytes: 8 << 20, readBytesPerSecond: 0, writeBytesPerSecond: 0)
        try store.saveDetail(id, IncidentDetail(
            members: [busy],
            candidates: [RootCauseCandidate(signal: "cpu.total.busy", headline: "CPU saturation", score: 0.75, reason: "earliest onset", process: hog)],
            processesAtOnset: [hog],
            logLines: [EvidenceLine(time: 101, source: "/var/log/syslog", severity: "error", text: "watchdog: BUG: soft lockup", reason: "error")]))
        // Read back from the file, as the command does.
        let reader = try IncidentStore(database: Database(path: folder + "/vigil.db"))
        let incident = try #require(try reader.incident(id))
        let known = try reader.detail(id)
        let text = IncidentCommands.detail(incident, try reader.timeline(id), known)
        #expect(text.contains("members:\n  critical cpu.total.busy  peak 99.5  usual 2-25  active\n           cpu busy 97% vs usual 2-25%"))
        #expect(text.contains("likely causes:\n  1. CPU saturation: cpu.total.busy  stress-ng (pid 4242) - earliest onset"))
        #expect(text.contains("top processes at onset:\n  4242  stress-ng  cpu 198%  rss 8.0M  stress-ng --cpu 2"))
        #expect(text.contains("/var/log/syslog: [error] watchdog: BUG: soft lockup"))
        let json = IncidentCommands.json(IncidentCommands.Detail(incident: incident, timeline: try reader.timeline(id), detail: known))
        #expect(json.contains("\"band_high\" : 25"))
        #expect(json.contains("\"processes_at_onset\""))
        #expect(json.contains("\"log_lines\""))
    }

    @Test("the default database lives under XDG_STATE_HOME, else ~/.local/state")
    func defaultPath() {
        #expect(StatePaths.database(settings: Settings(), environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/vigil/vigil.db")
        #expect(StatePaths.database(settings: Settings(), environment: ["HOME": "/h"]) == "/h/.local/state/vigil/vigil.db")
    }

    @Test("operand mistakes are usage errors", arguments: [["ack"], ["ack", "x1"], ["note", "3"], ["silence", "cpu.*"], ["show", "1", "2"]])
    func operandMistakes(arguments: [String]) {
        #expect(throws: UsageError.self) { try Invocation.parse(arguments) }
    }
}
