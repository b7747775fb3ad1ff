import Foundation
import Testing

/// The keys of the dashboard as an operator presses them, in a real terminal.
@Suite("dashboard keys in a terminal", .serialized)
struct DashboardKeysTests {
    /// A log with a few kinds of line, read whole, and the dashboard on it.
    func start(_ tmux: Tmux, _ scratch: ScratchDirectory) throws {
        var lines = ""
        for index in 0..<12 {
            lines += "2026-12-04T10:00:\(String(format: "%02d", index))Z INFO request \(index) served in 3ms\n"
        }
        lines += "2026-12-04T10:00:30Z ERROR payment gateway timeout after 30s\n"
        lines += "2026-12-04T10:00:31Z INFO request 99 served in 2ms\n"
        let log = try scratch.write("app.log", lines)
        try tmux.type("\(VigilBinary.path) --log \(log) --from-start; echo EXIT=$?")
        #expect(try tmux.waitFor("request 99 served", timeout: 8))
    }

    @Test("6 zooms the logs; / filters them as typed; v keeps errors; e jumps to one; Esc and q leave cleanly")
    func logSearch() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux()
        try start(tmux, scratch)
        try tmux.press("6")
        #expect(try tmux.waitFor("[Logs]"))
        try tmux.press("/")
        try tmux.run(["send-keys", "-l", "gateway"])
        let (filtered, met) = try tmux.waitFor(timeout: 5) { $0.contains("filter \"gateway\"") && !$0.contains("request 3 served") }
        #expect(met, "screen was:\n\(filtered)")
        #expect(filtered.contains("payment gateway timeout"))
        try tmux.press("C-u")
        try tmux.press("Enter")
        #expect(try tmux.waitFor("request 3 served"))
        try tmux.press("v")
        let (errors, only) = try tmux.waitFor(timeout: 5) { $0.contains("WARN+") && !$0.contains("request 3 served") }
        #expect(only, "screen was:\n\(errors)")
        try tmux.press("v", "v", "E")
        #expect(try tmux.waitFor("stopped (G follows)"))
        try tmux.press("G")
        #expect(try tmux.waitFor("following"))
        try tmux.press("T")
        #expect(try tmux.waitFor("Log templates"))
        #expect(try tmux.waitFor("request <*> served in <*>"))
        try tmux.press("Escape", "Escape")
        #expect(try tmux.waitFor("Memory"))
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("5 zooms the process list, o sorts it by memory, / finds a process; Tab moves the focus")
    func processesAndFocus() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux()
        try start(tmux, scratch)
        try tmux.press("Tab")
        #expect(try tmux.waitFor("[Anomalies]"))
        try tmux.press("5")
        #expect(try tmux.waitFor("[Processes]"))
        #expect(!(try tmux.screen().contains("Memory ─")), "zoomed, the list has the screen to itself")
        try tmux.press("o")
        #expect(try tmux.waitFor("oSort"))
        try tmux.press("/")
        try tmux.run(["send-keys", "-l", "vigil"])
        try tmux.press("Enter")
        let (screen, met) = try tmux.waitFor(timeout: 5) { $0.contains("filter \"vigil\"") && $0.contains("vigil --log") }
        #expect(met, "the process list finds vigil itself:\n\(screen)")
        try tmux.press("z")
        #expect(try tmux.waitFor("Memory"))
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("the mouse: a click focuses the panel under it, a second click on an incident opens it, the wheel stops the logs")
    func mouse() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux()
        try start(tmux, scratch)
        try UnderLoad.IncidentEndToEndTests.append(UnderLoad.IncidentEndToEndTests.crash, to: scratch.path + "/app.log")
        #expect(try tmux.waitFor("Crash in", timeout: 5))
        func row(of text: String) throws -> Int {
            try #require(try tmux.screen().split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) })
        }
        try tmux.mouse(.click, row: row(of: "Logs ─"), column: 3)
        #expect(try tmux.waitFor("[Logs]"))
        try tmux.mouse(.click, row: row(of: "Crash in"), column: 20)
        #expect(try tmux.waitFor("[Incidents]"))
        #expect(!(try tmux.screen().contains("Likely causes")), "the first click only selects")
        // Found again: an incident from a build beside the test may have pushed it down.
        try tmux.mouse(.click, row: row(of: "Crash in"), column: 20)
        let (view, opened) = try tmux.waitFor(timeout: 3) { $0.contains("Likely causes") && $0.contains("Incident #") }
        #expect(opened, "the second click opens it:\n\(view)")
        try tmux.press("Escape")
        #expect(try tmux.waitFor("Memory"))
        try tmux.mouse(.wheelUp, row: row(of: "request 99 served"), column: 30)
        let (logs, stopped) = try tmux.waitFor(timeout: 3) { $0.contains("[Logs]") && $0.contains("stopped (G follows)") }
        #expect(stopped, "the wheel over the logs focuses them and stops on a line:\n\(logs)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("? lists every key of the key map; p pauses and says so")
    func helpAndPause() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux(columns: 120, rows: 40)
        try start(tmux, scratch)
        try tmux.press("?")
        #expect(try tmux.waitFor("Esc or ? closes"))
        let help = try tmux.screen()
        for key in ["? F1", "Up k", "Down j", "g Home", "G End", "PgUp", "PgDn", "Tab", "S-Tab", "1..7", "Enter", "Esc",
                    "o F6", "q F10"] {
            #expect(help.contains(key), "the help lists \(key)")
        }
        for word in ["Acknowledge", "Resolve", "note", "Silence", "Filter", "follow", "error", "templates", "Pause", "themes", "Quit Vigil"] {
            #expect(help.contains(word), "the help explains \(word)")
        }
        try tmux.press("Escape")
        try tmux.press("p")
        #expect(try tmux.waitFor("PAUSED"))
        try tmux.press("p")
        let (screen, resumed) = try tmux.waitFor(timeout: 5) { !$0.contains("PAUSED") }
        #expect(resumed, "screen was:\n\(screen)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("a resize down to 80x24 keeps the header, CPU, memory and footer whole; back up to 120x40 the logs return")
    func resizeDownAndUp() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux(columns: 120, rows: 40)
        try start(tmux, scratch)
        try tmux.resize(columns: 80, rows: 24)
        let (small, fits) = try tmux.waitFor(timeout: 5) { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return screen.contains("CPU") && screen.contains("Memory") && lines.contains { $0.hasPrefix("?Help") && $0.contains("qQuit") }
        }
        #expect(fits, "at 80x24:\n\(small)")
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 80 })
        try tmux.resize(columns: 120, rows: 40)
        #expect(try tmux.waitFor("request 99 served", timeout: 5))
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}
