import Foundation
@testable import Store
import Telemetry
import Testing

@Suite("runbook action runs in the store")
struct ActionRunsTests {
    @Test("an automatic action is claimed once per incident, also after reopening the database; runs by hand repeat; results join the timeline")
    func automaticOnce() throws {
        let temporary = TemporaryDatabase()
        let id: Int64
        do {
            let store = try temporary.open()
            id = try store.open(title: "Filesystem /var filling", severity: .critical, rootSignal: "fs./var.free", at: 100).id
            let run = try #require(try store.startAction(id, action: "clean_tmp", automatic: true, who: nil, at: 101))
            #expect(try store.startAction(id, action: "clean_tmp", automatic: true, who: nil, at: 102) == nil)
            try store.finishAction(run, incident: id, action: "clean_tmp", summary: "exit 0 after 0.2s", output: ["removed 12 files", "freed 1.2G"], at: 103)
        }
        let store = try temporary.open()
        #expect(try store.startAction(id, action: "clean_tmp", automatic: true, who: nil, at: 200) == nil, "ran again after a restart")
        // By hand it may run again, as often as the operator asks.
        #expect(try store.startAction(id, action: "clean_tmp", automatic: false, who: "alice", at: 201) != nil)
        #expect(try store.startAction(id, action: "clean_tmp", automatic: false, who: "alice", at: 202) != nil)
        #expect(try store.actionRuns(id, action: "clean_tmp") == 3)
        let events = try store.timeline(id).filter { $0.kind == .action }
        #expect(events.map(\.text) == [
            "clean_tmp started (automatic)", "clean_tmp: exit 0 after 0.2s\nremoved 12 files\nfreed 1.2G",
            "clean_tmp started", "clean_tmp started",
        ])
        #expect(events[2].actor == "alice")
        // Another incident has its own automatic run.
        let other = try store.open(title: "Memory pressure", severity: .warning, rootSignal: "mem.available", at: 300).id
        #expect(try store.startAction(other, action: "clean_tmp", automatic: true, who: nil, at: 301) != nil)
    }
}
