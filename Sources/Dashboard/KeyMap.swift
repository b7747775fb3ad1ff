import CNCurses

/// What a key asks the dashboard to do.
public enum Action: String, Sendable, CaseIterable {
    case help
    case up
    case down
    case top
    case bottom
    case pageUp
    case pageDown
    case focusNext
    case focusPrevious
    case zoomPanel
    case zoom
    case open
    case back
    case acknowledge
    case resolve
    case note
    case actions
    case silence
    case filter
    case sortProcesses
    case perCore
    case follow
    case severityFilter
    case nextError
    case previousError
    case templates
    case pause
    case cycleTheme
    case quit
}

/// One entry of the key map: the keys, their name on screen, the action and its help.
public struct KeyBinding: Sendable {
    /// The curses key codes that trigger the action.
    public var codes: [Int32]
    /// How the keys are written in the help and the footer, e.g. `q F10`.
    public var keys: String
    public var action: Action
    public var help: String
    /// The views whose footer shows it, as htop's function bar does.
    public var footer: Set<ViewState.Kind>
}

extension KeyBinding {
    /// The one-word label of the footer.
    var footerLabel: String {
        switch action {
        case .quit: "Quit"
        case .help: "Help"
        case .back: "Back"
        case .cycleTheme: "Theme"
        case .up: "Up"
        case .down: "Down"
        case .top: "Top"
        case .bottom: "End"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .focusNext: "Panel"
        case .focusPrevious: "Panel"
        case .zoomPanel: "Zoom"
        case .zoom: "Zoom"
        case .open: "Open"
        case .acknowledge: "Ack"
        case .resolve: "Resolve"
        case .note: "Note"
        case .actions: "Actions"
        case .silence: "Silence"
        case .filter: "Filter"
        case .sortProcesses: "Sort"
        case .perCore: "Cores"
        case .follow: "Follow"
        case .severityFilter: "Level"
        case .nextError: "NextErr"
        case .previousError: "PrevErr"
        case .templates: "Templates"
        case .pause: "Pause"
        }
    }
}

/// Every key binding, in the order the help overlay lists them.
///
/// The help overlay and the footer are generated from this table, so they cannot
/// go stale when a binding changes. A key means one thing everywhere; an action
/// that does not apply to the view in front (`e` on the CPU panel) does nothing.
public enum KeyMap {
    public static let escape: Int32 = 27
    public static let enter: Int32 = 13
    public static let tab: Int32 = 9

    static func ascii(_ character: Character) -> Int32 { Int32(character.asciiValue!) }

    /// Every view: the keys an operator needs wherever they are.
    private static let everywhere: Set<ViewState.Kind> = [.main, .incident, .anomaly, .logs, .processes]

    public static let bindings: [KeyBinding] = [
        KeyBinding(codes: [ascii("?"), vigil_key_f(1)], keys: "? F1", action: .help,
                   help: "Show or hide this list of keys", footer: everywhere),
        KeyBinding(codes: [KEY_UP, ascii("k")], keys: "Up k", action: .up,
                   help: "Move up in the focused list (scrolls a view)", footer: []),
        KeyBinding(codes: [KEY_DOWN, ascii("j")], keys: "Down j", action: .down,
                   help: "Move down in the focused list (scrolls a view)", footer: []),
        KeyBinding(codes: [ascii("g"), KEY_HOME], keys: "g Home", action: .top,
                   help: "Go to the first row", footer: []),
        KeyBinding(codes: [ascii("G"), KEY_END], keys: "G End", action: .bottom,
                   help: "Go to the last row; in the logs, follow new lines again", footer: []),
        KeyBinding(codes: [KEY_PPAGE], keys: "PgUp", action: .pageUp,
                   help: "Move up a page", footer: []),
        KeyBinding(codes: [KEY_NPAGE], keys: "PgDn", action: .pageDown,
                   help: "Move down a page", footer: []),
        KeyBinding(codes: [tab], keys: "Tab", action: .focusNext,
                   help: "Focus the next panel", footer: [.main, .processes]),
        KeyBinding(codes: [KEY_BTAB], keys: "S-Tab", action: .focusPrevious,
                   help: "Focus the previous panel", footer: []),
        KeyBinding(codes: (1...7).map { ascii(Character(String($0))) }, keys: "1..7", action: .zoomPanel,
                   help: "Zoom: 1 CPU 2 memory 3 incidents 4 anomalies 5 procs 6 logs 7 devices", footer: []),
        KeyBinding(codes: [ascii("z")], keys: "z", action: .zoom,
                   help: "Zoom the focused panel to full screen, or back", footer: [.main, .processes]),
        KeyBinding(codes: [enter, 10, KEY_ENTER], keys: "Enter", action: .open,
                   help: "Drill in: open the selected incident or anomaly, zoom the logs", footer: [.main, .anomaly]),
        KeyBinding(codes: [escape, KEY_BACKSPACE], keys: "Esc", action: .back,
                   help: "Go back: close the help, a prompt, a view or the zoom", footer: [.incident, .anomaly, .logs, .processes]),
        KeyBinding(codes: [ascii("a")], keys: "a", action: .acknowledge,
                   help: "Acknowledge the incident, with an optional note", footer: [.main, .incident]),
        KeyBinding(codes: [ascii("r")], keys: "r", action: .resolve,
                   help: "Resolve the incident by hand", footer: [.incident]),
        KeyBinding(codes: [ascii("n")], keys: "n", action: .note,
                   help: "Add a note to the incident's timeline", footer: [.incident]),
        KeyBinding(codes: [ascii("x")], keys: "x", action: .actions,
                   help: "Run a runbook action on the incident, after a confirmation", footer: [.incident]),
        KeyBinding(codes: [ascii("s")], keys: "s", action: .silence,
                   help: "Silence the anomaly's signal (or the incident's) for a duration", footer: [.anomaly, .incident]),
        KeyBinding(codes: [ascii("/")], keys: "/", action: .filter,
                   help: "Filter the logs, templates or processes by text as you type", footer: [.logs, .processes]),
        KeyBinding(codes: [ascii("o"), vigil_key_f(6)], keys: "o F6", action: .sortProcesses,
                   help: "Sort processes by CPU, memory or I/O, in turn", footer: [.processes]),
        KeyBinding(codes: [ascii("c")], keys: "c", action: .perCore,
                   help: "Show or hide the per-core CPU gauges", footer: []),
        KeyBinding(codes: [ascii("f")], keys: "f", action: .follow,
                   help: "Logs: follow new lines, or stop where you are", footer: [.logs]),
        KeyBinding(codes: [ascii("v")], keys: "v", action: .severityFilter,
                   help: "Logs: show all levels, warnings and worse, or errors and worse", footer: [.logs]),
        KeyBinding(codes: [ascii("e")], keys: "e", action: .nextError,
                   help: "Logs: jump to the next error", footer: [.logs]),
        KeyBinding(codes: [ascii("E")], keys: "E", action: .previousError,
                   help: "Logs: jump to the previous error", footer: []),
        KeyBinding(codes: [ascii("T")], keys: "T", action: .templates,
                   help: "Logs: show the templates with counts and rates, new ones marked", footer: [.logs]),
        KeyBinding(codes: [ascii("p")], keys: "p", action: .pause,
                   help: "Pause updates to read a still screen; again to resume", footer: []),
        KeyBinding(codes: [ascii("t")], keys: "t", action: .cycleTheme,
                   help: "Cycle colour themes", footer: [.main]),
        KeyBinding(codes: [ascii("q"), vigil_key_f(10)], keys: "q F10", action: .quit,
                   help: "Quit Vigil", footer: everywhere),
    ]

    /// The action bound to a key code, if any.
    public static func action(for code: Int32) -> Action? {
        bindings.first { $0.codes.contains(code) }?.action
    }
}
