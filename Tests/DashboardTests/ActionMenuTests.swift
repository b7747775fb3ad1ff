@testable import Dashboard
import Telemetry
import Testing

@Suite("runbook actions in the incident view")
struct ActionMenuTests {
    static func snapshot() -> Snapshot {
        var snapshot = sampleSnapshot()
        snapshot.incidents.incidents = [Incident(id: 3, title: "Filesystem /var filling", severity: .critical, state: .open, openedAt: 1_700_000_000, updatedAt: 1_700_000_000)]
        snapshot.incidents.actions[3] = [
            RunbookAction(name: "clean_tmp", program: "/usr/local/bin/clean-tmp", arguments: ["--older-than", "7 days"]),
            RunbookAction(name: "page", program: "/usr/local/bin/page", automatic: true),
        ]
        return snapshot
    }

    static let keyDown: Int32 = 258

    @Test("x lists the actions, Enter asks with the exact command, y sends it; n goes back; Esc closes without running anything")
    func chooseConfirmRun() throws {
        let snapshot = Self.snapshot()
        var state = ViewState()
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(state.openIncident == 3)
        _ = state.handle(key: KeyMap.ascii("x"), snapshot: snapshot)
        var text = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("Actions for #3"))
        #expect(text.contains("1. clean_tmp  /usr/local/bin/clean-tmp --older-than \"7 days\""), "\(text)")
        #expect(text.contains("2. page  /usr/local/bin/page  (auto)"))
        _ = state.handle(key: Self.keyDown, snapshot: snapshot)
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        text = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("Run page on incident #3?"), "\(text)")
        // n goes back to the list; Enter on the first asks again; y runs it.
        #expect(state.handle(key: KeyMap.ascii("n"), snapshot: snapshot) == .redraw)
        #expect(state.takeCommands().isEmpty)
        _ = state.handle(key: KeyMap.ascii("k"), snapshot: snapshot)
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        let reaction = state.handle(key: KeyMap.ascii("y"), snapshot: snapshot)
        #expect(reaction.contains(.command))
        #expect(state.takeCommands() == [.runAction(incident: 3, action: "clean_tmp")])
        #expect(state.actionMenu == nil)
        // Esc closes without a command, and keeps the incident view open.
        _ = state.handle(key: KeyMap.ascii("x"), snapshot: snapshot)
        _ = state.handle(key: KeyMap.ascii("1"), snapshot: snapshot)
        _ = state.handle(key: KeyMap.escape, snapshot: snapshot)
        #expect(state.actionMenu == nil)
        #expect(state.takeCommands().isEmpty)
        #expect(state.openIncident == 3)
    }

    @Test("an incident no action applies to says where actions come from and why a configured one was left out; the footer names x")
    func noActions() {
        var snapshot = Self.snapshot()
        snapshot.incidents.actions = [:]
        snapshot.incidents.actionWarnings = ["vigil.conf:17: program takes one program, not a command line; action 'purge' left out"]
        var state = ViewState()
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        _ = state.handle(key: KeyMap.ascii("x"), snapshot: snapshot)
        let text = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("No runbook action applies to #3."))
        #expect(text.contains("[actions.NAME]"))
        #expect(text.contains("config: vigil.conf:17: program takes one program"), "\(text)")
        #expect(text.contains("xActions"), "\(text)")
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(state.takeCommands().isEmpty)
    }

    @Test("an action's result shows on the timeline with its output lines beneath")
    func timeline() {
        var snapshot = Self.snapshot()
        snapshot.incidents.timelines[3] = [
            TimelineEvent(at: 1_700_000_000, kind: .opened, text: "Filesystem /var filling"),
            TimelineEvent(at: 1_700_000_001, kind: .action, actor: "alice", text: "clean_tmp started"),
            TimelineEvent(at: 1_700_000_002, kind: .action, text: "clean_tmp: exit 0 after 0.2s\nremoved 12 files\nfreed 1.2G"),
        ]
        var state = ViewState()
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        let lines = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text.split(separator: "\n").map(String.init)
        let result = lines.firstIndex { $0.contains("action: clean_tmp: exit 0 after 0.2s") }
        #expect(result != nil, "\(lines.joined(separator: "\n"))")
        if let result {
            #expect(lines[result + 1].contains("removed 12 files"))
            #expect(lines[result + 2].contains("freed 1.2G"))
        }
    }
}
