/// The colours and attributes of each role, read from a theme file.
///
/// A theme file has one `role = colour [on colour] [bold|dim|underline|reverse]`
/// line per role, `#` comments, and colours written as names (`red`,
/// `bright-blue`, `default`), numbers 0-255 or `#rrggbb`. Roles a theme leaves
/// out are drawn plain.
public struct Theme: Sendable {
    /// A colour as the theme wrote it; the terminal maps it to what it can show.
    public enum Colour: Hashable, Sendable {
        /// The terminal's own foreground or background.
        case terminalDefault
        /// 0-255: 0-7 the basic colours, 8-15 their bright forms, then the xterm cube and greys.
        case indexed(Int)
        case rgb(UInt8, UInt8, UInt8)
    }

    /// Text attributes a role may add to its colours.
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1)
        public static let dim = Attributes(rawValue: 2)
        public static let underline = Attributes(rawValue: 4)
        public static let reverse = Attributes(rawValue: 8)
    }

    /// How one role looks.
    public struct Style: Hashable, Sendable {
        public var foreground: Colour
        public var background: Colour
        public var attributes: Attributes

        public init(foreground: Colour = .terminalDefault, background: Colour = .terminalDefault, attributes: Attributes = []) {
            self.foreground = foreground
            self.background = background
            self.attributes = attributes
        }
    }

    /// A line of a theme file that could not be used.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(for role: Role) -> Style {
        styles[role] ?? Style()
    }

    /// The attributes a role is drawn with. Without colour (NO_COLOR, `--no-color`, a
    /// monochrome terminal) a theme that tells roles apart by colour alone would draw the
    /// selection bar, the header and critical rows as plain text, so `plain`'s attributes
    /// are added to the theme's own.
    public func attributes(for role: Role, colour: Bool) -> Attributes {
        let own = style(for: role).attributes
        return colour ? own : own.union(Self.plain.style(for: role).attributes)
    }

    /// Used when no theme file can be found: attributes only, readable anywhere.
    public static let plain = Theme(name: "plain", styles: [
        .header: Style(attributes: [.reverse]),
        .title: Style(attributes: [.bold]),
        .dim: Style(attributes: [.dim]),
        .warning: Style(attributes: [.bold]),
        .critical: Style(attributes: [.bold, .reverse]),
        .selected: Style(attributes: [.reverse]),
        .footerKey: Style(attributes: [.bold]),
        .footerText: Style(attributes: [.reverse]),
        .message: Style(attributes: [.bold]),
    ])

    /// Parses a theme file's text.
    /// - Returns: the theme, and the lines that were skipped with why.
    public static func parse(_ text: String, name: String) -> (theme: Theme, problems: [Problem]) {
        var styles: [Role: Style] = [:]
        var problems: [Problem] = []
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = withoutComment(rawLine).trimmingSpaces
            guard !trimmed.isEmpty else { continue }
            let number = offset + 1
            let sides = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard sides.count == 2 else {
                problems.append(Problem(line: number, message: "expected 'role = colour [on colour] [attributes]'"))
                continue
            }
            guard let role = Role(rawValue: sides[0]) else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(Problem(line: number, message: "unknown role '\(sides[0])' (known: \(known))"))
                continue
            }
            switch parseStyle(sides[1]) {
            case .success(let style): styles[role] = style
            case .failure(let message): problems.append(Problem(line: number, message: message.description))
            }
        }
        return (Theme(name: name, styles: styles), problems)
    }

    /// The line up to a `#` comment. A `#` starts a comment at the line's start or
    /// after a space, except when it begins a `#rrggbb` colour.
    static func withoutComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "#", previous == " " || previous == "\t" {
                let hex = line[line.index(after: index)...].prefix { $0.isHexDigit }
                let after = line[line.index(after: index)...].dropFirst(hex.count).first
                if !(hex.count == 6 && (after == nil || after == " " || after == "\t")) {
                    return line[..<index]
                }
            }
            previous = character
        }
        return line
    }

    struct Message: Error, CustomStringConvertible {
        var description: String
    }

    static func parseStyle(_ text: String) -> Result<Style, Message> {
        var style = Style()
        var words = text.split(separator: " ").map(String.init)[...]
        var sawForeground = false
        while let word = words.popFirst() {
            let lower = word.lowercased()
            switch lower {
            case "bold": style.attributes.insert(.bold)
            case "dim": style.attributes.insert(.dim)
            case "underline": style.attributes.insert(.underline)
            case "reverse": style.attributes.insert(.reverse)
            case "on":
                guard let next = words.popFirst(), let colour = parseColour(next) else {
                    return .failure(Message(description: "'on' needs a colour after it"))
                }
                style.background = colour
            default:
                guard !sawForeground, let colour = parseColour(lower) else {
                    return .failure(Message(description: "'\(word)' is not a colour (a name, 0-255 or #rrggbb) nor bold, dim, underline or reverse"))
                }
                style.foreground = colour
                sawForeground = true
            }
        }
        return .success(style)
    }

    static let colourNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// A colour from its name, number or `#rrggbb`.
    public static func parseColour(_ text: String) -> Colour? {
        let lower = text.lowercased()
        if lower == "default" || lower == "none" { return .terminalDefault }
        if let index = colourNames.firstIndex(of: lower) { return .indexed(index) }
        for prefix in ["bright-", "bright", "light-"] where lower.hasPrefix(prefix) {
            if let index = colourNames.firstIndex(of: String(lower.dropFirst(prefix.count))) { return .indexed(index + 8) }
        }
        if lower == "grey" || lower == "gray" { return .indexed(8) }
        if let number = Int(lower), (0...255).contains(number) { return .indexed(number) }
        if lower.hasPrefix("#"), lower.count == 7, let value = UInt32(lower.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
