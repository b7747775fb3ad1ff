/// An INI-style configuration file: `[section]`, `key = value`, `#` comments.
///
/// Parsing only splits the text; `Settings` decides which keys exist and what
/// their values mean, so every message can name the line it came from.
struct ConfigFile: Sendable {
    /// One `key = value` line.
    struct Entry: Hashable, Sendable {
        var section: String
        var key: String
        var value: String
        var line: Int
    }

    /// A line that is neither a section, an assignment, a comment nor blank.
    struct SyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
        var path: String
        var line: Int
        var message: String
        var description: String { "\(path):\(line): \(message)" }
    }

    var path: String
    var entries: [Entry]

    /// Splits the text into entries; keys before any `[section]` belong to `general`.
    static func parse(_ text: String, path: String) throws(SyntaxError) -> ConfigFile {
        var entries: [Entry] = []
        var section = "general"
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            let line = stripComment(rawLine).trimmed
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw SyntaxError(path: path, line: number, message: "a section header looks like [name]")
                }
                section = String(line.dropFirst().dropLast()).trimmed.lowercased()
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw SyntaxError(path: path, line: number, message: "expected 'key = value', found '\(line)'")
            }
            let key = String(line[..<equals]).trimmed.lowercased()
            var value = String(line[line.index(after: equals)...]).trimmed
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !key.isEmpty else {
                throw SyntaxError(path: path, line: number, message: "a key is missing before '='")
            }
            entries.append(Entry(section: section, key: key, value: value, line: number))
        }
        return ConfigFile(path: path, entries: entries)
    }

    /// The line without a `#` comment; a `#` inside quotes stays.
    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character? = nil
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" || character == ";" && index == line.startIndex {
                return line[..<index]
            }
        }
        return line
    }
}

extension StringProtocol {
    var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
