import Foundation
import Testing

/// `vigil --log` on a file another process writes, in a real terminal.
@Suite("log following in a terminal", .serialized)
struct LogFollowingTests {
    @Test("a line full of escape sequences reaches the log panel harmless")
    func hostileLine() throws {
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "Dec  4 10:00:00 host app[1]: old line before start\n")
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path) --log \(log); echo EXIT=$?")
        #expect(try tmux.waitFor("no new lines yet", timeout: 5))
        // Lines written before the tailer's first poll count as old; give it one poll.
        Thread.sleep(forTimeInterval: 0.6)
        let hostile = "Dec  4 10:00:01 host app[2]: boom \u{1B}]52;c;aGVsbG8=\u{07} \u{1B}[2J\u{1B}]0;pwned\u{07}\u{1B}[31mred\u{1B}[0m segfault at 0\n"
        let handle = try #require(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        handle.write(Data(hostile.utf8))
        try handle.close()
        let (screen, met) = try tmux.waitFor(timeout: 5) { $0.contains("segfault at 0") }
        #expect(met, "screen was:\n\(screen)")
        #expect(screen.contains("boom"))
        #expect(screen.contains("CRIT"))
        #expect(!screen.contains("old line before start"), "tailing starts at the end")
        #expect(!screen.contains("pwned"))
        #expect(screen.contains("Memory"), "a clear-screen sequence must not clear the dashboard")
        let title = try tmux.run(["display", "-p", "#{pane_title}"])
        #expect(!title.contains("pwned"))
        let buffers = try tmux.run(["list-buffers"])
        #expect(!buffers.contains("hello"), "OSC 52 must not reach the clipboard")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }

    @Test("a file that appears after the start, rotated by rename, is followed; --from-start reads it whole")
    func lateFileAndRotation() throws {
        let scratch = try ScratchDirectory()
        let log = scratch.path + "/late.log"
        let tmux = try Tmux()
        try tmux.type("\(VigilBinary.path) --log '\(scratch.path)/*.log' --from-start; echo EXIT=$?")
        #expect(try tmux.waitFor("Logs", timeout: 5))
        try "2026-12-04T10:00:00Z ERROR first-file-line\n".write(toFile: log, atomically: false, encoding: .utf8)
        #expect(try tmux.waitFor("first-file-line", timeout: 5))
        rename(log, log + ".1")
        try "2026-12-04T10:00:01Z WARN second-file-line\n".write(toFile: log, atomically: false, encoding: .utf8)
        let (screen, met) = try tmux.waitFor(timeout: 5) { $0.contains("second-file-line") }
        #expect(met, "screen was:\n\(screen)")
        #expect(screen.components(separatedBy: "first-file-line").count == 2, "no line repeated")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}

/// Rotations done by another process while it writes, counted through the template view:
/// every line read exactly once shows as the template's count.
@Suite("log rotation by another process", .serialized)
struct LogRotationTests {
    @Test("copytruncate and delete-and-recreate by a writing process: every line once", arguments: [
        "cp \"$LOG\" \"$LOG.1\" && : > \"$LOG\"",
        "rm \"$LOG\"",
    ])
    func rotatedByAnotherProcess(rotation: String) throws {
        let scratch = try ScratchDirectory()
        let log = try scratch.write("app.log", "")
        let tmux = try Tmux(columns: 120, rows: 40)
        try tmux.type("\(VigilBinary.path) --interval 200ms --log \(log); echo EXIT=$?")
        #expect(try tmux.waitFor("no new lines yet", timeout: 5))
        Thread.sleep(forTimeInterval: 0.6)
        // 150 lines, a pause long enough for a poll (as logrotate's copy takes), the rotation, 150 more.
        let writer = """
            LOG=\(log)
            i=0
            while [ $i -lt 150 ]; do echo "2026-12-04T10:00:00Z INFO rotation probe line $i of the test" >> "$LOG"; i=$((i+1)); done
            sleep 1
            \(rotation)
            while [ $i -lt 300 ]; do echo "2026-12-04T10:00:01Z INFO rotation probe line $i of the test" >> "$LOG"; i=$((i+1)); done
            """
        let wrote = try Subprocess.run("/bin/sh", ["-c", writer], timeout: 30)
        #expect(wrote.status == 0, "\(wrote.error)")
        try tmux.press("6")
        try tmux.press("T")
        let (screen, counted) = try tmux.waitFor(timeout: 15) { $0.contains("    300 ") && $0.contains("rotation probe line") }
        #expect(counted, "the probe template should count 300 lines, each once:\n\(screen)")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
    }
}

@Suite("vigil mine")
struct MineCommandTests {
    @Test("prints LineId,ClusterId,Template with the final template of each line, and stats on request")
    func mineCSV() throws {
        let scratch = try ScratchDirectory()
        let input = try scratch.write("in.txt", "Failed password for root from 10.0.0.1 port 22\nFailed password for root from 10.0.0.2 port 23\nsession opened, \"quoted\"\n")
        let result = try VigilBinary.run(["mine", input, "--stats"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "LineId,ClusterId,Template")
        #expect(lines.count == 4)
        #expect(lines[1] == "1,1,Failed password for root from <*> port <*>")
        #expect(lines[2] == "2,1,Failed password for root from <*> port <*>")
        #expect(lines[3] == #"3,2,"session opened, ""<*>""""#, "a field with a comma or a quote is quoted, quotes doubled")
        #expect(result.stderr.contains("lines=3"))
        #expect(result.stderr.contains("lines_per_second="))
        let missing = try VigilBinary.run(["mine", scratch.path + "/absent.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("absent.txt"))
    }
}
