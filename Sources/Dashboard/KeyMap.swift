import CNCurses

/// What a key asks the dashboard to do.
public enum Action: String, Sendable, CaseIterable {
    case quit
    case help
    case back
    case cycleTheme
    case up
    case down
    case open
    case acknowledge
    case resolve
    case note
    case actions
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
        case .open: "Open"
        case .acknowledge: "Ack"
        case .resolve: "Resolve"
        case .note: "Note"
        case .actions: "Actions"
        }
    }
}

/// Every key binding, in the order the help overlay lists them.
///
/// The help overlay and the footer are generated from this table, so they cannot
/// go stale when a binding changes.
public enum KeyMap {
    public static let escape: Int32 = 27
    public static let enter: Int32 = 13

    static func ascii(_ character: Character) -> Int32 { Int32(character.asciiValue!) }

    public static let bindings: [KeyBinding] = [
        KeyBinding(codes: [ascii("?"), vigil_key_f(1)], keys: "? F1", action: .help,
                   help: "Show or hide this list of keys", footer: [.main, .incident]),
        KeyBinding(codes: [KEY_UP, ascii("k")], keys: "Up k", action: .up,
                   help: "Select the incident above", footer: []),
        KeyBinding(codes: [KEY_DOWN, ascii("j")], keys: "Down j", action: .down,
                   help: "Select the incident below", footer: []),
        KeyBinding(codes: [enter, 10, KEY_ENTER], keys: "Enter", action: .open,
                   help: "Open the selected incident: timeline, members, causes, evidence", footer: [.main]),
        KeyBinding(codes: [escape, KEY_BACKSPACE], keys: "Esc", action: .back,
                   help: "Go back: close the help, a prompt or the incident view", footer: [.incident]),
        KeyBinding(codes: [ascii("a")], keys: "a", action: .acknowledge,
                   help: "Acknowledge the incident, with an optional note", footer: [.main, .incident]),
        KeyBinding(codes: [ascii("r")], keys: "r", action: .resolve,
                   help: "Resolve the incident by hand", footer: [.main, .incident]),
        KeyBinding(codes: [ascii("n")], keys: "n", action: .note,
                   help: "Add a note to the incident's timeline", footer: [.incident]),
        KeyBinding(codes: [ascii("x")], keys: "x", action: .actions,
                   help: "Run a runbook action on the incident, after a confirmation", footer: [.incident]),
        KeyBinding(codes: [ascii("t")], keys: "t", action: .cycleTheme,
                   help: "Cycle colour themes", footer: [.main]),
        KeyBinding(codes: [ascii("q"), vigil_key_f(10)], keys: "q F10", action: .quit,
                   help: "Quit Vigil", footer: [.main, .incident]),
    ]

    /// The action bound to a key code, if any.
    public static func action(for code: Int32) -> Action? {
        bindings.first { $0.codes.contains(code) }?.action
    }
}
