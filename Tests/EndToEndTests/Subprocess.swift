import Foundation

/// Runs a program to completion with posix_spawn and waitpid, its output in a file.
///
/// Foundation's `Process` hangs now and then on Linux when tests spawn from several
/// threads and a child (the tmux server) keeps inherited descriptors; a file and
/// `waitpid` cannot hang that way.
enum Subprocess {
    /// Copies a program with `cp` in a child process, so the copy is never open for writing
    /// in this test process, where a child forked by a test running beside it could inherit
    /// the descriptor and make running the copy fail with ETXTBSY.
    static func copyProgram(_ source: String, to destination: String) throws {
        let copied = try run("/bin/cp", [source, destination])
        guard copied.status == 0 else {
            throw NSError(domain: "Subprocess", code: Int(copied.status), userInfo: [NSLocalizedDescriptionKey: "cp \(source): \(copied.error)"])
        }
    }

    /// posix_spawn, tried again for a second while it fails with ETXTBSY: a program the test
    /// has just copied or written may still be open for writing in a child another test forked
    /// meanwhile (until that child execs), and the kernel refuses to run a file open for writing.
    static func spawnRetryingBusy(_ spawn: () -> Int32) -> Int32 {
        var result = spawn()
        var tries = 0
        while result == ETXTBSY, tries < 50 {
            usleep(20_000)
            tries += 1
            result = spawn()
        }
        return result
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// - Parameters:
    ///   - timeout: the child is killed (SIGKILL) after this many seconds.
    ///   - stdinPath: a file to read standard input from (default: nothing).
    static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Double = 30, stdinPath: String = "/dev/null") throws -> Result {
        let directory = NSTemporaryDirectory() + "vigil-sub-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out"
        let errPath = directory + "/err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = Self.spawnRetryingBusy { posix_spawn(&pid, path, &actions, nil, argv, env) }
        guard spawned == 0 else {
            throw NSError(domain: "Subprocess", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(path): \(String(cString: strerror(spawned)))"])
        }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            if done < 0 && errno != EINTR { break }
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(
            status: exitStatus,
            output: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }

    /// A program left running in the background, its output going to a file.
    final class Background {
        let pid: pid_t
        let outputPath: String
        let ownGroup: Bool
        private let directory: String

        /// - Parameter ownGroup: start it in a process group of its own, so `stop` also ends
        ///   the children it forks (stress-ng's workers would otherwise outlive the test).
        init(_ path: String, _ arguments: [String], environment: [String: String]? = nil, ownGroup: Bool = false) throws {
            self.ownGroup = ownGroup
            directory = NSTemporaryDirectory() + "vigil-bg-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            outputPath = directory + "/out"
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, directory + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { env.forEach { free($0) } }
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            if ownGroup {
                posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
                posix_spawnattr_setpgroup(&attributes, 0)
            }
            var child: pid_t = 0
            let spawned = Subprocess.spawnRetryingBusy { posix_spawn(&child, path, &actions, &attributes, argv, env) }
            guard spawned == 0 else {
                throw NSError(domain: "Subprocess", code: Int(spawned), userInfo: [NSLocalizedDescriptionKey: "cannot run \(path)"])
            }
            pid = child
        }

        /// What it printed so far.
        var output: String {
            (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        }

        /// Waits until its output contains `text`, polling every 100 ms.
        func waitForOutput(_ text: String, timeout: Double = 5) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while !output.contains(text) {
                guard Date() < deadline else { return false }
                usleep(100_000)
            }
            return true
        }

        var errorOutput: String {
            (try? String(contentsOfFile: directory + "/err", encoding: .utf8)) ?? ""
        }

        /// Sends a signal and waits for it to exit; returns its exit status.
        @discardableResult
        func stop(_ signal: Int32 = SIGTERM, timeout: Double = 10) -> Int32 {
            if ownGroup { kill(-pid, signal) }
            kill(pid, signal)
            let deadline = Date().addingTimeInterval(timeout)
            var status: Int32 = 0
            while waitpid(pid, &status, WNOHANG) == 0 {
                if Date() > deadline {
                    if ownGroup { kill(-pid, SIGKILL) }
                    kill(pid, SIGKILL)
                    waitpid(pid, &status, 0)
                    break
                }
                usleep(10_000)
            }
            return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }

        deinit {
            if ownGroup { kill(-pid, SIGKILL) }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, WNOHANG)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
