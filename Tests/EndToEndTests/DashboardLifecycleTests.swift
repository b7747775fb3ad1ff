import Foundation
import Testing

/// The real binary in a real terminal (tmux), as an operator would run it.
@Suite("dashboard in a terminal", .serialized)
struct DashboardLifecycleTests {
    static var hostname: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test("it starts and shows the host name and a CPU row within 3 seconds")
    func startsQuickly() throws {
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path); echo EXIT=$?")
        let (screen, met) = try tmux.waitFor(timeout: 3) { $0.contains(Self.hostname) && $0.contains("total [") }
        #expect(met, "screen was:\n\(screen)")
        #expect(screen.contains("CPU"))
        #expect(screen.contains("Memory"))
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("a resize to 60x15 and back keeps it alive and readable; too small shows a message")
    func survivesResize() throws {
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path); echo EXIT=$?")
        #expect(try tmux.waitFor("total ["))
        try tmux.resize(columns: 60, rows: 15)
        let (small, fits) = try tmux.waitFor(timeout: 3) { screen in
            let lines = screen.split(separator: "\n")
            return screen.contains("total [") && screen.contains("Memory") && lines.allSatisfy { $0.count <= 60 }
        }
        #expect(fits, "60x15 screen was:\n\(small)")
        try tmux.resize(columns: 30, rows: 8)
        #expect(try tmux.waitFor("too small", timeout: 3))
        try tmux.resize(columns: 120, rows: 40)
        let (big, back) = try tmux.waitFor(timeout: 3) { $0.contains("usr ") && $0.contains("Memory") && !$0.contains("too small") }
        #expect(back, "120x40 screen was:\n\(big)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("q and F10 exit with status 0 and leave the shell usable", arguments: ["q", "F10"])
    func quitKeyRestoresTerminal(key: String) throws {
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path); echo EXIT=$?")
        #expect(try tmux.waitFor("total ["))
        #expect(try tmux.alternateScreenOn())
        try tmux.press(key)
        #expect(try tmux.waitFor("EXIT=0"))
        try assertShellUsable(tmux)
    }

    @Test("SIGTERM, SIGHUP and SIGINT exit with status 0 and leave the shell usable", arguments: ["TERM", "HUP", "INT"])
    func signalRestoresTerminal(signal: String) throws {
        let tmux = try Tmux()
        try startAndSignal(tmux, signal)
        #expect(try tmux.waitFor("EXIT=0"))
        try assertShellUsable(tmux)
    }

    /// Starts the dashboard in `tmux` with its pid in a file, and sends it `signal` once it draws.
    func startAndSignal(_ tmux: Tmux, _ signal: String) throws {
        let scratch = try ScratchDirectory()
        let pidFile = scratch.path + "/pid"
        try tmux.type("sh -c 'echo $$ > \(pidFile); exec \(VigilBinary.path)'; echo EXIT=$?")
        #expect(try tmux.waitFor("total ["))
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try Subprocess.run("/bin/kill", ["-\(signal)", pid])
    }

    @Test("a crash (SIGSEGV, SIGABRT) still puts the terminal back: no alternate screen, echo on", arguments: [("SEGV", 139), ("ABRT", 134)])
    func crashRestoresTerminal(signal: String, status: Int) throws {
        let tmux = try Tmux()
        try startAndSignal(tmux, signal)
        // The crash itself is reported by the shell's status: 128 + the signal.
        let (screen, exited) = try tmux.waitFor(timeout: 5) { $0.contains("EXIT=\(status)") }
        #expect(exited, "screen was:\n\(screen)")
        try assertShellUsable(tmux)
    }

    /// Echo is on again and the alternate screen is gone: what the operator types shows.
    func assertShellUsable(_ tmux: Tmux) throws {
        #expect(try !tmux.alternateScreenOn())
        // The marker is split in the typed line so that only the output contains it whole.
        try tmux.type("stty -a | tr ' ' '\\n' | grep -x -- '-*echo' | sed 's/^/STA''TE:/'")
        let (screen, met) = try tmux.waitFor(timeout: 3) { $0.contains("STATE:") }
        #expect(met)
        #expect(screen.contains("STATE:echo"), "stty said:\n\(screen)")
        #expect(!screen.contains("STATE:-echo"))
    }

    @Test("TERM=dumb and an unknown TERM exit 2 with a message and leave the terminal alone", arguments: ["dumb", "no-such-terminal-type"])
    func unusableTerm(term: String) throws {
        let tmux = try Tmux()
        try tmux.type("TERM=\(term) \(VigilBinary.path); echo EXIT=$?")
        let (screen, met) = try tmux.waitFor(timeout: 3) { $0.contains("EXIT=0") || $0.contains("EXIT=1") || $0.contains("EXIT=2") }
        #expect(met)
        #expect(screen.contains("EXIT=2"))
        #expect(screen.contains("vigil snapshot"))
        #expect(screen.contains("TERM=\(term)"))
        #expect(try !tmux.alternateScreenOn())
    }
}

@Suite("the command without a terminal")
struct CommandLineTests {
    @Test("a non-tty stdout exits 2 with a message that points at vigil snapshot")
    func notATerminal() throws {
        let result = try VigilBinary.run([])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a terminal"))
        #expect(result.stderr.contains("vigil snapshot"))
        #expect(result.stdout.isEmpty)
    }

    @Test("--help and --version exit 0")
    func helpAndVersion() throws {
        let help = try VigilBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--interval"))
        #expect(help.stdout.contains("snapshot"))
        let version = try VigilBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("vigil "))
    }

    @Test("a bad flag or value names it and exits 2", arguments: [
        (["--frobnicate"], "--frobnicate"),
        (["--interval", "10ms"], "--interval"),
        (["--interval", "soon"], "--interval"),
    ])
    func badFlags(arguments: [String], mentions: String) throws {
        let result = try VigilBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(mentions))
    }

    @Test("a config file with a bad value exits 2 naming the line; an unknown key only warns")
    func configProblems() throws {
        let scratch = try ScratchDirectory()
        let bad = try scratch.write("bad.conf", "[general]\n\ninterval = whenever\n")
        let result = try VigilBinary.run(["snapshot", "--config", bad])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.conf:3"))
        let odd = try scratch.write("odd.conf", "[general]\ninterval = 100ms\nflux = 3\n")
        let warned = try VigilBinary.run(["snapshot", "--config", odd])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("odd.conf:3"))
        #expect(warned.stderr.contains("flux"))
        let missing = try VigilBinary.run(["snapshot", "--config", scratch.path + "/absent.conf"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("absent.conf"))
    }

    @Test("vigil snapshot prints every signal as a table and as JSON")
    func snapshot() throws {
        let table = try VigilBinary.run(["snapshot", "--interval", "200ms"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("cpu.total.busy"))
        #expect(table.stdout.contains("mem.available"))
        let json = try VigilBinary.run(["snapshot", "--json", "--interval", "200ms"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let signals = object?["signals"] as? [[String: Any]]
        #expect(signals?.contains { $0["id"] as? String == "cpu.total.busy" } == true)
        #expect((object?["host"] as? [String: Any])?["cpu_count"] as? Int == ProcessInfo.processInfo.activeProcessorCount)
    }
}

@Suite("themes in a terminal", .serialized)
struct ThemeEndToEndTests {
    @Test("t cycles through the shipped themes, naming each in the footer")
    func cycleThemes() throws {
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path) --theme default; echo EXIT=$?")
        let (first, started) = try tmux.waitFor(timeout: 5) { $0.contains("theme: default") }
        #expect(started, "screen was:\n\(first)")
        var seen: Set<String> = ["default"]
        for _ in 0..<6 {
            try tmux.press("t")
            let (screen, _) = try tmux.waitFor(timeout: 2) { screen in
                guard let name = screen.range(of: "theme: ").map({ screen[$0.upperBound...].prefix { !$0.isWhitespace } }) else { return false }
                return !seen.contains(String(name))
            }
            if let range = screen.range(of: "theme: ") {
                seen.insert(String(screen[range.upperBound...].prefix { !$0.isWhitespace }))
            }
        }
        #expect(seen.isSuperset(of: ["default", "light", "high-contrast", "monochrome", "nord", "gruvbox"]), "saw \(seen)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("NO_COLOR draws with attributes only and says so")
    func noColor() throws {
        let tmux = try Tmux()
        try tmux.type("NO_COLOR=1 \(VigilBinary.path); echo EXIT=$?")
        #expect(try tmux.waitFor("no colour"))
        // No colour escape may reach the pane: capture with escapes and look for SGR colour codes.
        let raw = try tmux.run(["capture-pane", "-p", "-e"])
        let colourCode = try Regex("\u{1B}\\[(3[0-7]|4[0-7]|38;|48;|9[0-7]|10[0-7])")
        #expect(raw.firstMatch(of: colourCode) == nil, "colour sequences in: \(raw.prefix(400))")
        // The default theme marks the header by colour; without colour it is reverse video.
        let header = raw.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("\u{1B}[7m"), "the header is not reversed: \(header.debugDescription)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}

@Suite("a damaged database")
struct DamagedDatabaseTests {
    @Test("a corrupt database gets a clear warning and the dashboard runs on memory")
    func corruptDatabase() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path + "/vigil", withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 16_384).write(to: URL(fileURLWithPath: scratch.path + "/vigil/vigil.db"))
        let tmux = try Tmux(environment: ["XDG_STATE_HOME": scratch.path])
        try tmux.type("\(VigilBinary.path); echo EXIT=$?")
        let (screen, warned) = try tmux.waitFor(timeout: 5) { $0.contains("db: memory only") && $0.contains("damaged or not a Vigil database") && $0.contains("total [") }
        #expect(warned, "screen was:\n\(screen)")
        #expect(screen.contains("total ["))
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
        // The damaged file is left as it was, for the operator to look at.
        #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/vigil/vigil.db")).allSatisfy { $0 == 0x42 })
    }

    @Test("a database another process holds locked gets a clear warning after the busy timeout; the dashboard runs on memory")
    func lockedDatabase() throws {
        let scratch = try ScratchDirectory()
        let database = scratch.path + "/vigil/vigil.db"
        try FileManager.default.createDirectory(atPath: scratch.path + "/vigil", withIntermediateDirectories: true)
        // Python's sqlite3 takes an exclusive lock and holds it, as a stuck sqlite3 shell would.
        let holder = try Subprocess.Background("/usr/bin/python3", ["-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("PRAGMA locking_mode=EXCLUSIVE")
            c.execute("CREATE TABLE IF NOT EXISTS held (x)")
            c.execute("BEGIN EXCLUSIVE")
            c.execute("INSERT INTO held VALUES (1)")
            print("locked", flush=True)
            time.sleep(60)
            """, database])
        defer { holder.stop(SIGKILL) }
        var locked = false
        for _ in 0..<50 where !locked {
            usleep(100_000)
            locked = holder.output.contains("locked")
        }
        try #require(locked, "python3 could not lock the database")
        let tmux = try Tmux(environment: ["XDG_STATE_HOME": scratch.path])
        try tmux.type("\(VigilBinary.path); echo EXIT=$?")
        let (screen, warned) = try tmux.waitFor(timeout: 15) { $0.contains("db: memory only") && $0.contains("locked by another process") && $0.contains("total [") }
        #expect(warned, "screen was:\n\(screen)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}
