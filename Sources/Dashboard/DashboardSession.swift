import CNCurses
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The dashboard on this terminal: the main loop from start to quit.
///
/// The loop sleeps in `poll` until a key, a new snapshot or a signal arrives, so an
/// idle dashboard uses no CPU between ticks, and it redraws at most once per
/// wake-up, only when something changed. Signals (SIGINT, SIGTERM, SIGHUP, SIGWINCH)
/// arrive as bytes on a pipe, so every exit goes through the same clean restore.
public final class DashboardSession {
    /// How the session ended.
    public enum Ending: Sendable, Equatable {
        case quit
        case signal(Int32)
    }

    private let mailbox: SnapshotMailbox
    private let themes: [Theme]
    private let useColour: Bool
    private let send: @Sendable (Command) -> Void

    /// Why this terminal cannot show the dashboard, or nil when it can. Call before `run`.
    public static func unusableTerminalReason(environment: [String: String]) -> String? {
        Terminal.check(environment: environment)?.description
    }

    /// - Parameters:
    ///   - mailbox: where the monitor leaves each new snapshot.
    ///   - themes: the themes `t` cycles through, the one to start with first.
    ///   - useColour: false for NO_COLOR: attributes only.
    ///   - send: hands an operator's command to the monitor; its effect comes back in a snapshot.
    public init(mailbox: SnapshotMailbox, themes: [Theme], useColour: Bool, send: @escaping @Sendable (Command) -> Void) {
        self.send = send
        self.mailbox = mailbox
        self.themes = themes.isEmpty ? [Theme.plain] : themes
        self.useColour = useColour
    }

    /// Runs until the operator quits or a signal ends the session; the terminal is restored on return.
    public func run() -> Ending {
        var pipeEnds: [Int32] = [0, 0]
        pipe(&pipeEnds)
        for end in pipeEnds {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        vigil_route_signals_to_pipe(pipeEnds[1])
        var themeIndex = 0
        let terminal = Terminal(theme: themes[themeIndex], useColour: useColour)
        defer {
            terminal.end()
            close(pipeEnds[0])
        }
        var state = ViewState()
        // What the screen shows, and the newest the monitor sent: they differ while paused.
        var snapshot: Snapshot? = nil
        var newestSnapshot: Snapshot? = nil
        var dirty = true
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: mailbox.descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pipeEnds[0], events: Int16(POLLIN), revents: 0),
        ]
        while true {
            if dirty {
                state.screenRows = Int(terminal.rows)
                let status = useColour ? "theme: \(themes[themeIndex].name)" : "no colour"
                let frame = Screen.render(snapshot, state: state, rows: Int(terminal.rows), columns: Int(terminal.columns), unicode: terminal.unicode, status: status)
                terminal.draw(frame)
                dirty = false
            }
            for index in fds.indices { fds[index].revents = 0 }
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return .quit
            }
            if fds[2].revents != 0 {
                var signals = [UInt8](repeating: 0, count: 16)
                let count = read(pipeEnds[0], &signals, signals.count)
                for signal in signals.prefix(max(0, count)) {
                    if Int32(signal) == SIGWINCH {
                        terminal.resize()
                        dirty = true
                    } else {
                        return .signal(Int32(signal))
                    }
                }
            }
            if fds[1].revents != 0, let newest = mailbox.take() {
                newestSnapshot = newest
                if !state.paused {
                    snapshot = newest
                    dirty = true
                }
            }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                // The terminal went away (an SSH connection dropped).
                return .signal(SIGHUP)
            }
            if fds[0].revents != 0 {
                while let key = terminal.nextKey() {
                    let reaction: ViewState.Reaction
                    if key == KEY_MOUSE {
                        guard let event = terminal.mouseEvent() else { continue }
                        reaction = state.handle(mouse: event, snapshot: snapshot, rows: Int(terminal.rows), columns: Int(terminal.columns))
                    } else {
                        reaction = state.handle(key: key, snapshot: snapshot)
                    }
                    if reaction.contains(.command) {
                        for command in state.takeCommands() { send(command) }
                    }
                    if reaction.contains(.quit) { return .quit }
                    if reaction.contains(.pause), !state.paused { snapshot = newestSnapshot ?? snapshot }
                    if reaction.contains(.nextTheme) {
                        themeIndex = (themeIndex + 1) % themes.count
                        terminal.apply(theme: themes[themeIndex], useColour: useColour && terminal.hasColours)
                        terminal.repaintAll()
                    }
                    if reaction.contains(.redraw) { dirty = true }
                }
            }
        }
    }
}
