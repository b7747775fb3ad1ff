import Foundation

/// A private tmux server with one window running a shell: the test's view of a
/// terminal, as a person would see it.
final class Tmux {
    let socket: String
    /// The XDG_STATE_HOME of the shell, where vigil keeps its database.
    private(set) var stateHome = ""
    /// The tmux server's pid, to make sure it ends with the test.
    private var serverPID: pid_t = 0
    private(set) var rows: Int
    private(set) var columns: Int

    init(columns: Int = 120, rows: Int = 40, environment: [String: String] = [:]) throws {
        socket = "vigil-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.rows = rows
        self.columns = columns
        var command = ["new-session", "-d", "-x", "\(columns)", "-y", "\(rows)"]
        for (key, value) in environment { command += ["-e", "\(key)=\(value)"] }
        // The test runner's own NO_COLOR (swift test may set it) must not leak into the screen under test.
        // Each terminal gets a state folder of its own, so no test sees another's incidents.
        stateHome = NSTemporaryDirectory() + "vigil-state-" + UUID().uuidString
        let state = environment["XDG_STATE_HOME"] ?? stateHome
        command += ["env", "-u", "NO_COLOR", "PS1=$ ", "TERM=xterm-256color", "LANG=C.UTF-8", "XDG_STATE_HOME=\(state)", "sh"]
        try run(command)
        serverPID = pid_t(try run(["display", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    deinit {
        _ = try? run(["kill-server"])
        // A server started from the test runner can inherit ignored signals and outlive
        // kill-server; SIGKILL cannot be ignored.
        if serverPID > 0 { kill(serverPID, SIGKILL) }
        try? FileManager.default.removeItem(atPath: stateHome)
    }

    /// Runs a tmux command and returns what it printed.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        try Subprocess.run("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments, timeout: 10).output
    }

    /// Types a line into the shell and presses Enter.
    func type(_ line: String) throws {
        try run(["send-keys", "-l", line])
        try run(["send-keys", "Enter"])
    }

    /// Presses keys by tmux name (`q`, `Escape`, `F10`, `C-c`).
    func press(_ keys: String...) throws {
        try run(["send-keys"] + keys)
    }

    /// What the terminal sends when the mouse is used at a screen cell (0-based), in the SGR
    /// form (mode 1006) xterm and tmux report: a press and its release, or one wheel step.
    enum Mouse {
        case click, wheelUp, wheelDown

        var button: Int {
            switch self {
            case .click: 0
            case .wheelUp: 64
            case .wheelDown: 65
            }
        }
    }

    /// Sends a mouse event at a cell as the terminal would report it to the program.
    func mouse(_ event: Mouse, row: Int, column: Int) throws {
        var report = "\u{1b}[<\(event.button);\(column + 1);\(row + 1)M"
        if event == .click { report += "\u{1b}[<0;\(column + 1);\(row + 1)m" }
        try run(["send-keys", "-H"] + report.utf8.map { String($0, radix: 16) })
    }

    /// The visible screen as text.
    func screen() throws -> String {
        try run(["capture-pane", "-p"])
    }

    func resize(columns: Int, rows: Int) throws {
        self.columns = columns
        self.rows = rows
        try run(["resize-window", "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Whether the pane shows the alternate screen (curses still in control).
    func alternateScreenOn() throws -> Bool {
        try run(["display", "-p", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits until the screen satisfies `condition`, polling every 50 ms.
    /// - Returns: the last screen seen, and whether the condition held before the deadline.
    @discardableResult
    func waitFor(timeout: Double, _ condition: (String) -> Bool) throws -> (screen: String, met: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        repeat {
            last = try screen()
            if condition(last) { return (last, true) }
            usleep(50_000)
        } while Date() < deadline
        return (last, false)
    }

    func waitFor(_ text: String, timeout: Double = 5) throws -> Bool {
        try waitFor(timeout: timeout) { $0.contains(text) }.met
    }
}

/// The built `vigil` binary and a way to run it without a terminal.
enum VigilBinary {
    static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["VIGIL_BINARY"] { return explicit }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        return root.appendingPathComponent(".build/debug/vigil").path
    }

    /// Runs vigil with stdout and stderr captured in files (so stdout is not a tty).
    static func run(_ arguments: [String], environment: [String: String]? = nil, timeout: Double = 20) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try Subprocess.run(path, arguments, environment: environment, timeout: timeout)
        return (result.status, result.output, result.error)
    }
}

/// A scratch directory removed when the test ends.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "vigil-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
