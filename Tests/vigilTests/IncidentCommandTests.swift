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
