@testable import Dashboard
import Foundation
import Telemetry
import Testing

/// Compares a frame's text with `Snapshots/NAME.txt`; `VIGIL_RECORD_SNAPSHOTS=1` writes it instead.
/// A missing file fails, so CI never passes on a snapshot nobody looked at.
func expectSnapshot(_ frame: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt")
    let text = frame.text + "\n"
    if ProcessInfo.processInfo.environment["VIGIL_RECORD_SNAPSHOTS"] == "1" {
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(url.path); run with VIGIL_RECORD_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    if expected != text {
        Issue.record("frame differs from \(name).txt:\n\(text)", sourceLocation: sourceLocation)
    }
}

/// Presses keys given as characters, returning the last reaction.
@discardableResult
func press(_ keys: String, _ state: inout ViewState, _ snapshot: Snapshot?) -> ViewState.Reaction {
    var reaction: ViewState.Reaction = []
    for scalar in keys.unicodeScalars { reaction = state.handle(key: Int32(scalar.value), snapshot: snapshot) }
    return reaction
}

@Suite("views as text", .serialized)
struct ViewSnapshotTests {
    init() {
        setenv("TZ", "UTC", 1)
        tzset()
    }

    /// Each view the operator can reach, by the keys that reach it.
    static let views: [(name: String, keys: String)] = [
        ("main", ""),
        ("incident", "\r"),
        ("anomaly", "4\r"),
        ("logs", "6"),
        ("templates", "6T"),
        ("processes", "5"),
        ("cpu", "1"),
        ("devices", "7"),
        ("help", "?"),
    ]

    @Test("every view at 80x24 and 120x40, in UTF-8 and ASCII, matches its reviewed text", arguments: [(24, 80), (40, 120)], [true, false])
    func views(size: (rows: Int, columns: Int), unicode: Bool) {
        let snapshot = busySnapshot()
        for view in Self.views {
            var state = ViewState()
            state.screenRows = size.rows
            press(view.keys, &state, snapshot)
            let frame = Screen.render(snapshot, state: state, rows: size.rows, columns: size.columns, unicode: unicode)
            let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == size.rows)
            let overlong = lines.filter { TerminalText.width(String($0)) > size.columns }
            #expect(overlong.isEmpty, "\(view.name) has lines wider than the terminal")
            if !unicode {
                let ascii = frame.text.allSatisfy { $0.isASCII }
                #expect(ascii, "\(view.name) is not pure ASCII")
            }
            expectSnapshot(frame, named: "\(view.name)-\(size.columns)x\(size.rows)-\(unicode ? "utf8" : "ascii")")
        }
    }
}

@Suite("keys and views")
struct ViewKeyTests {
    let snapshot = busySnapshot()

    func render(_ state: ViewState, rows: Int = 40, columns: Int = 120) -> String {
        Screen.render(snapshot, state: state, rows: rows, columns: columns, unicode: true).text
    }

    @Test("Tab and Shift-Tab move the focus round the panels; the focused title is marked")
    func focus() {
        var state = ViewState()
        #expect(state.focus == .incidents)
        #expect(render(state).contains("[Incidents]"))
        press("\t", &state, snapshot)
        #expect(state.focus == .anomalies)
        #expect(render(state).contains("[Anomalies]"))
        #expect(!render(state).contains("[Incidents]"))
        _ = state.handle(key: 353, snapshot: snapshot) // KEY_BTAB
        _ = state.handle(key: 353, snapshot: snapshot)
        #expect(state.focus == .memory)
        for _ in 0..<6 { press("\t", &state, snapshot) }
        #expect(state.focus == .cpu)
    }

    @Test("1..7 zoom a panel to the whole screen and back; z zooms the focused one")
    func zoom() {
        var state = ViewState()
        press("5", &state, snapshot)
        #expect(state.zoomed == .processes)
        let zoomed = render(state)
        #expect(zoomed.contains("[Processes]") || zoomed.contains("Processes"))
        #expect(!zoomed.contains("Memory ─"))
        #expect(zoomed.contains("/sbin/init"), "the zoomed list shows every process, idle ones too")
        press("5", &state, snapshot)
        #expect(state.zoomed == nil)
        press("z", &state, snapshot)
        #expect(state.zoomed == .processes)
        _ = state.handle(key: KeyMap.escape, snapshot: snapshot)
        #expect(state.zoomed == nil)
        press("1", &state, snapshot)
        #expect(render(state).contains("CPU busy ─ last 2m"))
    }

    @Test("a percentage's chart spans 0-100%: memory at 2% is a sliver at the bottom, not a full bar")
    func percentScale() {
        var snapshot = self.snapshot
        var memory = SignalHistory(capacity: 240)
        for _ in 0..<60 { memory.append(2) }
        snapshot.history["mem.used_percent"] = memory
        var state = ViewState()
        press("2", &state, snapshot)
        let lines = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text.split(separator: "\n", omittingEmptySubsequences: false)
        let top = lines.firstIndex { $0.contains("Memory used ─") }!
        let chart = lines[(top + 1)...].prefix { !$0.hasPrefix("?Help") }
        #expect(chart.first?.hasPrefix(" 100%") == true)
        let barRows = chart.filter { line in line.contains { "▁▂▃▄▅▆▇█".contains($0) } }
        #expect(barRows.count == 1, "only the bottom row holds the 2% bars: \(barRows)")
    }

    @Test("o sorts processes by CPU, memory, then I/O; / filters them as you type and Esc restores")
    func processes() {
        var state = ViewState()
        press("5", &state, snapshot)
        func pids() -> [Int32] { ProcessPanel.rows(snapshot, order: state.processOrder, filter: state.processFilter, all: true).map(\.pid) }
        #expect(pids() == [4242, 812, 1])
        press("o", &state, snapshot)
        #expect(state.processOrder == .memory)
        #expect(pids() == [812, 4242, 1])
        press("o", &state, snapshot)
        #expect(pids().first == 812)
        press("/post", &state, snapshot)
        #expect(state.processFilter == "post")
        #expect(pids() == [812])
        #expect(render(state).contains("filter \"post\""))
        _ = state.handle(key: KeyMap.escape, snapshot: snapshot)
        #expect(state.processFilter == "")
        press("/stress\r", &state, snapshot)
        #expect(pids() == [4242])
        #expect(state.prompt == nil)
    }

    @Test("Enter on an anomaly opens its chart and explanation; Enter there opens its incident; Esc walks back")
    func anomalyView() {
        var state = ViewState()
        press("\t\r", &state, snapshot)
        #expect(state.openAnomaly?.signal == "cpu.total.busy")
        let text = render(state)
        #expect(text.contains("Anomaly: cpu.total.busy"))
        #expect(text.contains("cpu busy 98% vs usual 2-25%"))
        #expect(text.contains("usual 2.0%..25%"))
        #expect(text.contains("Incident #7"))
        #expect(text.contains("┈"), "the band's edge is drawn across the chart")
        press("\r", &state, snapshot)
        #expect(state.openAnomaly == nil)
        #expect(state.openIncident == 7)
        _ = state.handle(key: KeyMap.escape, snapshot: snapshot)
        #expect(state.kind == .main)
    }

    @Test("a log anomaly's view shows its lines, errors first, instead of a chart")
    func logAnomalyView() {
        var snapshot = self.snapshot
        snapshot.anomalies.insert(Anomaly(signal: "log./var/log/syslog.kernel_bug", kind: .criticalMessage, onset: snapshot.time - 5, value: 1, peak: 1,
                                          severity: .critical, explanation: "the kernel reported a bug or a stall (syslog): watchdog"), at: 0)
        var state = ViewState()
        press("\t\r", &state, snapshot)
        let text = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text
        #expect(text.contains("Recent lines of /var/log/syslog"))
        #expect(text.contains("ERROR watchdog: BUG: soft lockup"))
        #expect(text.contains("WARN  CPU2: Core temperature"))
        #expect(!text.contains("Accepted publickey"), "warnings and worse only, when there are any")
    }

    @Test("a member that ended still outside its band reads 'new' (learnt as normal), one back in band 'ok'")
    func membersThatEnded() {
        var snapshot = self.snapshot
        var detail = snapshot.incidents.details[7]!
        detail.members[0].end = snapshot.time - 1          // cpu busy still 98% over a 2-25% band
        detail.members[1].end = snapshot.time - 1
        detail.members[1].value = 0.5                       // load back inside 0-1.2
        snapshot.incidents.details[7] = detail
        var state = ViewState()
        press("\r", &state, snapshot)
        let lines = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true).text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix(" new ") && $0.contains("cpu busy 98%") })
        #expect(lines.contains { $0.hasPrefix(" ok ") && $0.contains("load 1m") })
    }

    @Test("the incident view charts each member against its band")
    func incidentMembers() throws {
        var state = ViewState()
        press("\r", &state, snapshot)
        let frame = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true)
        let rows = (0..<frame.rows).filter { frame.text(ofRow: $0).contains("cpu busy 98% vs usual 2-25%") && frame.text(ofRow: $0).contains("CRIT") }
        let row = try #require(rows.first)
        let roles = (0..<frame.columns).map { frame[row, $0].role }
        #expect(roles.contains(.critical), "samples above the band are drawn critical")
        #expect(roles.contains(.sparkline), "samples within the band are drawn as usual")
    }

    @Test("logs: / filters, v hides lower levels, e and E jump between errors, G follows again")
    func logs() throws {
        var state = ViewState()
        press("6", &state, snapshot)
        #expect(state.kind == .logs)
        press("/publickey", &state, snapshot)
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(LogPanel.visible(snapshot, state.log).count == 2)
        #expect(!render(state).contains("soft lockup"))
        let frame = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true)
        let row = try #require((0..<frame.rows).first { frame.text(ofRow: $0).contains("Accepted publickey for ana") })
        let column = frame.text(ofRow: row).distance(from: frame.text(ofRow: row).startIndex, to: frame.text(ofRow: row).range(of: "publickey")!.lowerBound)
        #expect((column..<column + 9).allSatisfy { frame[row, $0].role == .footerKey }, "the match is highlighted")
        #expect(frame[row, column - 2].role != .footerKey)
        press("/", &state, snapshot)
        _ = state.handle(key: 21, snapshot: snapshot) // Ctrl-U clears the line, as a shell does
        _ = state.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(state.log.filter == "")
        press("v", &state, snapshot)
        #expect(LogPanel.visible(snapshot, state.log).map(\.program) == ["kernel", "kernel"])
        press("vv", &state, snapshot)
        #expect(state.log.minimumSeverity == nil)
        press("E", &state, snapshot)
        #expect(!state.log.following)
        #expect(state.log.selected == 4, "E from the bottom stops on the newest error")
        press("E", &state, snapshot)
        #expect(state.notice == "no earlier error")
        press("g", &state, snapshot)
        #expect(state.log.selected == 1)
        press("e", &state, snapshot)
        #expect(state.log.selected == 4)
        #expect(render(state).contains("stopped (G follows)"))
        press("G", &state, snapshot)
        #expect(state.log.following)
    }

    @Test("T lists the templates with counts and rates, new ones marked")
    func templates() throws {
        var state = ViewState()
        press("6T", &state, snapshot)
        let text = render(state)
        #expect(text.contains("Log templates] ─ 3 templates, 1 new"))
        let line = try #require(text.split(separator: "\n").first { $0.contains("soft lockup") })
        #expect(line.contains("NEW"))
        let busy = try #require(text.split(separator: "\n").first { $0.contains("Accepted publickey") })
        #expect(busy.contains("1520"))
        #expect(busy.contains("3.2"))
        _ = state.handle(key: KeyMap.escape, snapshot: snapshot)
        #expect(!state.log.showTemplates)
    }

    @Test("s asks a duration and silences the anomaly, or every member of the incident")
    func silence() {
        var state = ViewState()
        press("\ts", &state, snapshot)
        #expect(state.prompt?.purpose == .silence(["cpu.total.busy"]))
        press("30m", &state, snapshot)
        #expect(state.handle(key: KeyMap.enter, snapshot: snapshot) == [.redraw, .command])
        #expect(state.takeCommands() == [.silence(pattern: "cpu.total.busy", seconds: 1800, note: nil)])
        var other = ViewState()
        press("\rs", &other, snapshot)
        _ = other.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(other.takeCommands() == [.silence(pattern: "cpu.total.busy", seconds: 3600, note: nil), .silence(pattern: "load.1", seconds: 3600, note: nil)])
        press("sfoo", &other, snapshot)
        _ = other.handle(key: KeyMap.enter, snapshot: snapshot)
        #expect(other.takeCommands().isEmpty)
        #expect(other.notice?.hasPrefix("not a duration") == true)
    }

    @Test("p pauses and resumes; the header says so; c hides the per-core gauges")
    func pauseAndCores() {
        var state = ViewState()
        #expect(press("p", &state, snapshot).contains(.pause))
        #expect(render(state).split(separator: "\n").first?.contains("PAUSED") == true)
        press("p", &state, snapshot)
        #expect(!state.paused)
        let before = render(state).split(separator: "\n").filter { $0.contains("  3 [") }.count
        press("c", &state, snapshot)
        let after = render(state).split(separator: "\n").filter { $0.contains("  3 [") }.count
        #expect(before == 1)
        #expect(after == 0)
    }

    @Test("a click selects the row under it and a second click opens it; the wheel moves the selection")
    func mouse() throws {
        var state = ViewState()
        press("\t", &state, snapshot) // focus elsewhere first: a click brings it back
        let frame = Screen.render(snapshot, state: state, rows: 40, columns: 120, unicode: true)
        let row = try #require((0..<frame.rows).first { frame.text(ofRow: $0).contains("Disk / filling") })
        _ = state.handle(mouse: .click(row: row, column: 30), snapshot: snapshot, rows: 40, columns: 120)
        #expect(state.focus == .incidents)
        #expect(state.selection == 1)
        _ = state.handle(mouse: .click(row: row, column: 30), snapshot: snapshot, rows: 40, columns: 120)
        #expect(state.openIncident == 6)
        var other = ViewState()
        _ = other.handle(mouse: .wheelDown(row: row, column: 30), snapshot: snapshot, rows: 40, columns: 120)
        #expect(other.selection == 1)
        _ = other.handle(mouse: .wheelUp(row: row, column: 30), snapshot: snapshot, rows: 40, columns: 120)
        #expect(other.selection == 0)
    }

    @Test("the selection stays on its incident when a newer one arrives above it, so a finds the one chosen")
    func selectionFollowsTheIncident() throws {
        var state = ViewState()
        press("j", &state, snapshot)
        #expect(state.target(in: snapshot)?.id == 6)
        var later = snapshot
        let newer = Incident(id: 8, title: "Crash in /var/log/app.log", severity: .critical, state: .open,
                             openedAt: later.time, updatedAt: later.time, rootSignal: "log./var/log/app.log.segfault")
        later.incidents.incidents.insert(newer, at: 0)
        #expect(state.target(in: later)?.id == 6)
        let frame = Screen.render(later, state: state, rows: 40, columns: 120, unicode: true)
        let row = try #require((0..<frame.rows).first { frame.text(ofRow: $0).contains("Disk / filling") })
        #expect(frame[row, 2].role == .selected, "the bar is on the chosen incident, now the third row")
        press("a", &state, later)
        #expect(state.prompt?.purpose == .acknowledge(6))
        press("\u{1b}", &state, later)
        // Down from where the chosen incident now is; Enter opens the one under the bar.
        press("k", &state, later)
        press("\n", &state, later)
        #expect(state.openIncident == 7)
        // When the chosen incident leaves the list, the bar keeps its place.
        press("\u{1b}", &state, later)
        later.incidents.incidents.removeAll { $0.id == 7 }
        #expect(state.target(in: later)?.id == 6)
    }

    @Test("flagged signals colour the titles that show them: kernel activity in CPU's, process counts in Processes'")
    func titlesTakeTheAnomalyState() throws {
        var flagged = snapshot
        flagged.flagged["kernel.forks"] = .warning
        flagged.flagged["procs.zombie"] = .critical
        let frame = Screen.render(flagged, state: ViewState(), rows: 40, columns: 120, unicode: true)
        let cpu = try #require((0..<frame.rows).first { frame.text(ofRow: $0).hasPrefix(" CPU ─") })
        #expect(frame[cpu, 8].role == .warning, "the CPU title's detail")
        let processes = try #require((0..<frame.rows).first { frame.text(ofRow: $0).hasPrefix(" Processes ─") })
        #expect(frame[processes, 14].role == .critical, "the process counts")
        var calm = snapshot
        calm.flagged = [:]
        let quiet = Screen.render(calm, state: ViewState(), rows: 40, columns: 120, unicode: true)
        #expect(quiet[cpu, 8].role == .dim, "nothing flagged, nothing coloured")
    }

    @Test("the header names unreadable sources first, then where Vigil runs, then the machine's size, as room allows")
    func headerFacts() throws {
        var facts = snapshot
        facts.host.container = "docker"
        facts.host.virtualMachine = "kvm"
        facts.host.cpuModel = "AMD EPYC 7B13"
        facts.host.memoryBytes = 8 << 30
        facts.health.unavailable = ["pressure": "/proc/pressure: no such file"]
        facts.incidents = IncidentBoard()
        let wide = Screen.render(facts, state: ViewState(), rows: 40, columns: 160, unicode: true).text(ofRow: 0)
        #expect(wide.contains("no pressure"), "\(wide)")
        #expect(wide.contains("(docker in kvm)"), "\(wide)")
        #expect(wide.contains("AMD EPYC 7B13, 8.0G"), "\(wide)")
        let narrow = Screen.render(facts, state: ViewState(), rows: 24, columns: 80, unicode: true).text(ofRow: 0)
        #expect(narrow.contains("no pressure"), "what is wrong comes before where it runs: \(narrow)")
        #expect(!narrow.contains("EPYC"), "the size goes first when room is short: \(narrow)")
        #expect(!narrow.contains("…"), "whole parts only: \(narrow)")
    }

    @Test("on a short terminal the help scrolls until every binding has been listed")
    func helpScrolls() {
        var state = ViewState()
        press("?", &state, snapshot)
        var seen = Set<String>()
        for _ in 0..<KeyMap.bindings.count {
            let text = render(state, rows: 24, columns: 80)
            for binding in KeyMap.bindings where text.contains(binding.help) { seen.insert(binding.help) }
            _ = state.handle(key: 258, snapshot: snapshot) // KEY_DOWN
        }
        #expect(seen.count == KeyMap.bindings.count)
        #expect(state.showingHelp)
    }

    @Test("every view's footer keeps Quit and Help at 80 columns", arguments: ["", "\r", "\t\r", "6", "5"])
    func footers(keys: String) {
        var state = ViewState()
        press(keys, &state, snapshot)
        let footer = render(state, rows: 24, columns: 80).split(separator: "\n").last ?? ""
        #expect(footer.hasPrefix("?Help"))
        #expect(footer.contains("qQuit"))
    }
}
