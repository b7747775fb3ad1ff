import CNCurses

/// What a key asks the dashboard to do.
public enum Action: String, Sendable, CaseIterable {
    case quit
    case help
    case back
    case cycleTheme
}

/// One entry of the key map: the keys, their name on screen, the action and its help.
public struct KeyBinding: Sendable {
    /// The curses key codes that trigger the action.
    public var codes: [Int32]
    /// How the keys are written in the help and the footer, e.g. `q F10`.
    public var keys: String
    public var action: Action
    public var help: String
    /// Whether the footer shows it, as htop's function bar does.
    public var inFooter: Bool
}

extension KeyBinding {
    /// The one-word label of the footer, as htop's function bar has them.
    var footerLabel: String {
        switch action {
        case .quit: "Quit"
        case .help: "Help"
        case .back: "Back"
        case .cycleTheme: "Theme"
        }
    }
}

/// Every key binding, in the order the help overlay lists them.
///
/// The help overlay and the footer are generated from this table, so they cannot
/// go stale when a binding changes.
public enum KeyMap {
    public static let escape: Int32 = 27

    public static let bindings: [KeyBinding] = [
        KeyBinding(codes: [Int32(UInt8(ascii: "?")), vigil_key_f(1)], keys: "? F1", action: .help,
                   help: "Show or hide this list of keys", inFooter: true),
        KeyBinding(codes: [escape], keys: "Esc", action: .back,
                   help: "Go back: close the help or the current view", inFooter: false),
        KeyBinding(codes: [Int32(UInt8(ascii: "t"))], keys: "t", action: .cycleTheme,
                   help: "Cycle colour themes", inFooter: true),
        KeyBinding(codes: [Int32(UInt8(ascii: "q")), vigil_key_f(10)], keys: "q F10", action: .quit,
                   help: "Quit Vigil", inFooter: true),
    ]

    /// The action bound to a key code, if any.
    public static func action(for code: Int32) -> Action? {
        bindings.first { $0.codes.contains(code) }?.action
    }
}
