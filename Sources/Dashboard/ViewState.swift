/// What the operator has chosen to look at: the part of the screen that keys change.
public struct ViewState: Sendable {
    public var showingHelp = false

    public init() {}

    /// What a key changed, as htop's action handlers report it, so the loop
    /// redraws only when something did.
    public struct Reaction: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let redraw = Reaction(rawValue: 1)
        public static let quit = Reaction(rawValue: 2)
        /// The next theme was asked for; the loop owns the terminal's colours.
        public static let nextTheme = Reaction(rawValue: 4)
    }

    /// Applies one key code.
    public mutating func handle(key code: Int32) -> Reaction {
        guard let action = KeyMap.action(for: code) else { return [] }
        switch action {
        case .quit:
            return .quit
        case .help:
            showingHelp.toggle()
            return .redraw
        case .cycleTheme:
            return [.nextTheme, .redraw]
        case .back:
            guard showingHelp else { return [] }
            showingHelp = false
            return .redraw
        }
    }
}
