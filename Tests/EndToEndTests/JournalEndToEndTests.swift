import Foundation
import Testing

/// The dashboard and `vigil watch` on a real journal that the test writes with
/// systemd-journal-remote while Vigil reads it.
@Suite("the journal end to end", .serialized)
struct JournalEndToEndTests {
    static var writer: String? {
        ["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Appends entries (unit, priority, message) to `folder/system.journal` in journal export format.
    static func write(_ entries: [(unit: String, priority: Int, message: String)], to folder: String) throws {
        let writer = try #require(writer, "systemd-journal-remote is needed (Debian's systemd-journal-remote)")
        let now = UInt64(Date().timeIntervalSince1970 * 1_000_000)
        let export = entries.enumerated().map { index, entry in
            """
            __REALTIME_TIMESTAMP=\(now + UInt64(index))
            __MONOTONIC_TIMESTAMP=\(now / 1000 + UInt64(index))
            _BOOT_ID=0123456789abcdef0123456789abcdef
            _SYSTEMD_UNIT=\(entry.unit)
            SYSLOG_IDENTIFIER=\(entry.unit.split(separator: ".").first ?? "")
            _PID=4242
            PRIORITY=\(entry.priority)
            MESSAGE=\(entry.message)


            """
        }.joined()
        let input = folder + "/entries.export"
        try export.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try Subprocess.run(writer, ["--output=\(folder)/system.journal", input])
        #expect(result.status == 0, "systemd-journal-remote: \(result.error)")
    }

    @Test("entries written after the start show in the log panel with their unit; the header says the journal is on")
    func dashboardShowsUnits() throws {
        let scratch = try ScratchDirectory()
        try Self.write([(unit: "cron.service", priority: 6, message: "old entry before the start")], to: scratch.path)
        let tmux = try Tmux(columns: 140, rows: 40)
        try tmux.type("\(VigilBinary.path) --journal-dir \(scratch.path); echo EXIT=$?")
        let (header, on) = try tmux.waitFor(timeout: 5) { $0.contains("journal: on") }
        #expect(on, "screen was:\n\(header)")
        try Self.write([
            (unit: "nginx.service", priority: 3, message: "upstream timed out while reading response header"),
            (unit: "cron.service", priority: 6, message: "pam_unix(cron:session): session opened for user root"),
        ], to: scratch.path)
        let (screen, shown) = try tmux.waitFor(timeout: 5) { $0.contains("upstream timed out") && $0.contains("session opened") }
        #expect(shown, "screen was:\n\(screen)")
        let line = screen.split(separator: "\n").first { $0.contains("upstream timed out") } ?? ""
        #expect(line.contains("nginx.service"), "the unit names the line: \(line)")
        #expect(line.contains("ERROR"), "priority 3 is an error: \(line)")
        #expect(!screen.contains("old entry before the start"), "the journal is followed from now on")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("--journal-unit narrows the journal; its entries go through the same detectors as file lines")
    func unitsAndDetectors() throws {
        let scratch = try ScratchDirectory()
        try Self.write([(unit: "cron.service", priority: 6, message: "started")], to: scratch.path)
        let watch = try Subprocess.Background(VigilBinary.path, [
            "watch", "--json", "--interval", "500ms", "--db", scratch.path + "/vigil.db",
            "--journal-dir", scratch.path, "--journal-unit", "worker",
        ])
        defer { watch.stop() }
        Thread.sleep(forTimeInterval: 1.2)
        try Self.write([
            (unit: "other.service", priority: 2, message: "Out of memory: Killed process 77 (other)"),
            (unit: "worker.service", priority: 3, message: "worker[4242]: segfault at 0 ip 00007f error 4"),
        ], to: scratch.path)
        _ = watch.waitForOutput(".segfault", timeout: 8)
        watch.stop()
        let output = watch.output
        #expect(output.contains("\"signal\":\"log.journal \(scratch.path).segfault\""), "a crash in the journal is an anomaly:\n\(output.suffix(800))")
        #expect(!output.contains(".oom\""), "entries of other units are left out")
        #expect(output.contains("\"name\":\"journal\",\"state\":\"on\""))
    }

    @Test("a journal the user may not read is a note, not an error", .enabled(if: getuid() == 0))
    func unreadableJournal() throws {
        let scratch = try ScratchDirectory()
        let journal = scratch.path + "/journal"
        try FileManager.default.createDirectory(atPath: journal, withIntermediateDirectories: true)
        try Self.write([(unit: "cron.service", priority: 6, message: "root only")], to: journal)
        // journald's files are 0640 root; the state folder is the unprivileged user's own.
        let state = scratch.path + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        // A copy in the scratch folder: the build folder may lie where nobody cannot go.
        chmod(scratch.path, 0o755)
        chmod(journal, 0o755)
        let binary = scratch.path + "/vigil"
        try Subprocess.copyProgram(VigilBinary.path, to: binary)
        let result = try Subprocess.run("/usr/bin/setpriv", [
            "--reuid=65534", "--regid=65534", "--clear-groups", binary,
            "watch", "--json", "--interval", "200ms", "--db", state + "/vigil.db", "--journal-dir", journal, "--duration", "1s",
        ])
        #expect(result.status == 0, "\(result.error)")
        let last = result.output.split(separator: "\n").last ?? ""
        #expect(last.contains("\"name\":\"journal\",\"state\":\"no permission\""), "\(last)")
        #expect(last.contains("systemd-journal or adm group"))
    }

    @Test("a missing journal is a note in the header, not an error")
    func missingJournal() throws {
        let scratch = try ScratchDirectory()
        let tmux = try Tmux(columns: 140, rows: 40)
        try tmux.type("\(VigilBinary.path) --journal-dir \(scratch.path)/absent; echo EXIT=$?")
        let (screen, noted) = try tmux.waitFor(timeout: 5) { $0.contains("journal: none") }
        #expect(noted, "screen was:\n\(screen)")
        #expect(screen.contains("Memory"), "the dashboard runs")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}
