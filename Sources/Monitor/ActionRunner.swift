import Detection
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// Runs one runbook action to completion: the program with its argument list, never a
/// shell; the incident in environment variables; in a process group of its own so a
/// timeout ends everything it started; its output read from a pipe, the first lines kept.
///
/// Synchronous: the monitor calls it on a queue of its own, never on the monitor's queue
/// or the screen's thread. The corresponding C functions are `posix_spawn`, `poll`, `waitpid`.
enum ActionRunner {
    /// How a run ended.
    enum Status: Sendable, Equatable {
        case exited(Int32)
        case killed(signal: Int32)
        case timedOut
        case couldNotStart(String)
    }

    struct Result: Sendable, Equatable {
        var status: Status
        var seconds: Double
        /// The first lines it printed on stdout and stderr, control characters removed.
        var output: [String]

        /// "exit 0 after 0.2s", "timed out after 30s (killed)", "could not start clean-tmp: No such file or directory".
        var summary: String {
            let took = DurationText.format(seconds)
            switch status {
            case .exited(let code): return "exit \(code) after \(took)"
            case .killed(let signal): return "killed by signal \(signal) after \(took)"
            case .timedOut: return "timed out after \(took) (killed)"
            case .couldNotStart(let reason): return "could not start: \(reason)"
            }
        }
    }

    static let keptLines = 5
    static let lineLength = 200
    /// Variables passed on from Vigil's own environment; nothing else leaks into an action.
    static let inherited = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ"]

    /// The environment of a run: a few of Vigil's own variables and the incident's fields.
    static func environment(for incident: Incident, detail: IncidentDetail?, action: RunbookAction, trigger: String, host: String) -> [String: String] {
        var environment: [String: String] = [:]
        for name in inherited {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        if environment["PATH"] == nil { environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }
        environment["VIGIL_ACTION"] = action.name
        environment["VIGIL_TRIGGER"] = trigger
        environment["VIGIL_INCIDENT_ID"] = String(incident.id)
        environment["VIGIL_INCIDENT_TITLE"] = incident.title
        environment["VIGIL_INCIDENT_STATE"] = incident.state.rawValue
        environment["VIGIL_INCIDENT_KIND"] = ActionMatching.kind(of: incident, detail: detail)
        environment["VIGIL_SEVERITY"] = incident.severity.rawValue
        environment["VIGIL_OPENED_AT"] = String(Int64(incident.openedAt))
        environment["VIGIL_ROOT_SIGNAL"] = incident.rootSignal?.rawValue ?? ""
        environment["VIGIL_SIGNALS"] = (detail?.members.map(\.signal.rawValue) ?? []).joined(separator: " ")
        let process = detail?.candidates.first?.process ?? detail?.processesAtOnset.first
        environment["VIGIL_PROCESS_PID"] = process.map { String($0.pid) } ?? ""
        environment["VIGIL_PROCESS_NAME"] = process?.name ?? ""
        environment["VIGIL_HOST"] = host
        return environment
    }

    /// Runs the action and waits for it, at most its timeout (then SIGTERM, and SIGKILL 2 s later).
    /// - Parameter started: told the program's pid, which is also its process group, once it runs.
    static func run(_ action: RunbookAction, environment: [String: String], started: (pid_t) -> Void = { _ in }) -> Result {
        let began = monotonic()
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            return Result(status: .couldNotStart(String(cString: strerror(errno))), seconds: 0, output: [])
        }
        // Every descriptor Vigil opens is close-on-exec (the database, log files, /proc files, the
        // screen's pipes), so the program inherits only these ends, dup'ed onto its stdout and stderr.
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so a timeout reaches its children; default signal handling and an
        // empty mask, as `vigil watch` ignores SIGINT and SIGTERM and that would be inherited.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH] { sigaddset(&defaults, number) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([action.program] + action.arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        var spawned: Int32 = 0
        for attempt in 0..<5 {
            spawned = action.program.contains("/")
                ? posix_spawn(&pid, action.program, &actions, &attributes, argv, envp)
                : posix_spawnp(&pid, action.program, &actions, &attributes, argv, envp)
            // A script being written at this moment (by a deploy, or by another process that still
            // holds it open for writing) is busy; it is runnable a moment later.
            guard spawned == ETXTBSY, attempt < 4 else { break }
            usleep(50_000)
        }
        close(ends[1])
        guard spawned == 0 else {
            close(ends[0])
            return Result(status: .couldNotStart("\(action.program): \(String(cString: strerror(spawned)))"), seconds: monotonic() - began, output: [])
        }
        started(pid)
        let deadline = began + action.timeout
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var open = true
        var status: Int32 = 0
        var reaped = false
        var timedOut = false
        while !reaped {
            let left = deadline - monotonic()
            if left <= 0 {
                timedOut = true
                break
            }
            if open {
                var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(min(left, 0.1) * 1000) + 1)
                if ready > 0 {
                    let count = read(ends[0], &buffer, buffer.count)
                    if count > 0 {
                        // Keep enough for the first lines; the rest is read and dropped so the program never blocks.
                        if kept.count < 16_384 { kept += buffer[0..<min(count, 16_384 - kept.count)] }
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        open = false
                    }
                }
            } else {
                usleep(10_000)
            }
            if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
        }
        if timedOut {
            kill(-pid, SIGTERM)
            let grace = monotonic() + 2
            while waitpid(pid, &status, WNOHANG) == 0, monotonic() < grace { usleep(20_000) }
            kill(-pid, SIGKILL)
            waitpid(pid, &status, 0)
        } else {
            // The program is gone; what it printed last may still sit in the pipe, unless a child
            // it left behind holds the pipe open: then it is ended with its group.
            var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
            while open, poll(&descriptor, 1, 50) > 0 {
                let count = read(ends[0], &buffer, buffer.count)
                if count <= 0 {
                    open = false
                    break
                }
                if kept.count < 16_384 { kept += buffer[0..<min(count, 16_384 - kept.count)] }
            }
            if open { kill(-pid, SIGKILL) }
        }
        close(ends[0])
        let seconds = monotonic() - began
        let output = lines(kept)
        if timedOut { return Result(status: .timedOut, seconds: seconds, output: output) }
        let signal = status & 0x7F
        return Result(status: signal == 0 ? .exited((status >> 8) & 0xFF) : .killed(signal: signal), seconds: seconds, output: output)
    }

    /// The first non-empty lines, control characters and escape sequences removed, each cut to `lineLength`.
    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).lazy
            .map { line in String(String.UnicodeScalarView(line.unicodeScalars.filter { $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) })) }
            .filter { !$0.allSatisfy(\.isWhitespace) }
            .prefix(keptLines)
            .map { $0.count > lineLength ? String($0.prefix(lineLength)) + "…" : $0 }
    }

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Which runbook actions apply to an incident: by its kind (the resource of its likeliest
/// cause) or by a member signal matching one of the action's globs.
enum ActionMatching {
    /// `storage`, `memory`, `cpu`, ...: the resource of the root signal, else of the first member.
    static func kind(of incident: Incident, detail: IncidentDetail?) -> String {
        guard let signal = incident.rootSignal ?? detail?.members.first?.signal else { return SignalEntity.Resource.other.rawValue }
        return SignalEntity(signal).resource.rawValue
    }

    /// An action that names neither kinds nor signals applies to every incident.
    static func applies(_ action: RunbookAction, to incident: Incident, detail: IncidentDetail?) -> Bool {
        if action.kinds.isEmpty && action.signals.isEmpty { return true }
        if action.kinds.contains(kind(of: incident, detail: detail)) { return true }
        let signals = (detail?.members.map(\.signal) ?? []) + (incident.rootSignal.map { [$0] } ?? [])
        return action.signals.contains { pattern in signals.contains { Glob.matches(pattern, $0.rawValue) } }
    }
}
