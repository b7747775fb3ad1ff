import Detection
import Telemetry

/// The `[actions.NAME]` sections of the config file: the operator's runbook.
///
/// ```ini
/// [actions.clean_tmp]
/// program = /usr/local/bin/clean-tmp       # a program, never a shell string
/// args = ["--older-than", "7d"]             # its arguments, each a quoted word
/// kinds = storage                          # incident kinds it applies to
/// signals = fs./tmp.*                      # or member signals (ids or globs)
/// auto = no                                # yes: runs when a matching incident opens, once
/// timeout = 30s
/// ```
///
/// A broken action is a warning naming its line, and is left out: the rest of Vigil runs.
extension Settings {
    /// Incident kinds an action can name: the resources of `SignalEntity`.
    static let actionKinds = SignalEntity.Resource.allCases.map(\.rawValue)

    /// Builds the actions from their entries; returns the warnings.
    mutating func applyActions(_ entries: [ConfigFile.Entry], path: String) -> [String] {
        var warnings: [String] = []
        var order: [String] = []
        var byName: [String: (action: RunbookAction, line: Int, broken: Bool)] = [:]
        for entry in entries {
            let place = "\(path):\(entry.line)"
            guard entry.section.hasPrefix("actions."), entry.section.count > "actions.".count else {
                warnings.append("\(place): an action is a section of its own, such as [actions.clean_tmp]; '\(entry.key)' ignored")
                continue
            }
            let name = String(entry.section.dropFirst("actions.".count))
            if byName[name] == nil {
                order.append(name)
                byName[name] = (RunbookAction(name: name, program: ""), entry.line, false)
            }
            var action = byName[name]!.action
            func broken(_ message: String) {
                warnings.append("\(place): \(message); action '\(name)' left out")
                byName[name]!.broken = true
            }
            switch entry.key {
            case "program":
                guard !entry.value.isEmpty, !entry.value.contains(where: \.isWhitespace) || TextFile.exists(entry.value) else {
                    broken("program takes one program (a path or a name in PATH), not a command line; put its arguments in args = [\"...\"]")
                    continue
                }
                action.program = entry.value
            case "args":
                guard let words = Self.words(entry.value) else {
                    broken("args takes a list of quoted words such as [\"--older-than\", \"7d\"], not '\(entry.value)'")
                    continue
                }
                action.arguments = words
            case "kinds":
                let kinds = Self.list(entry.value)
                let unknown = kinds.filter { !Self.actionKinds.contains($0) }
                guard unknown.isEmpty else {
                    broken("unknown incident kind '\(unknown[0])' (kinds are \(Self.actionKinds.joined(separator: ", ")))")
                    continue
                }
                action.kinds = kinds
            case "signals":
                action.signals = Self.list(entry.value)
            case "auto":
                switch entry.value.lowercased() {
                case "yes", "true", "on": action.automatic = true
                case "no", "false", "off": action.automatic = false
                default:
                    broken("auto must be yes or no, not '\(entry.value)'")
                    continue
                }
            case "timeout":
                guard let seconds = DurationText.seconds(entry.value), seconds > 0 else {
                    broken("timeout must be a duration such as 30s or 2m, not '\(entry.value)'")
                    continue
                }
                action.timeout = seconds
            default:
                warnings.append("\(place): unknown key '\(entry.key)' in [\(entry.section)], ignored")
            }
            byName[name]!.action = action
        }
        for name in order {
            guard let (action, line, isBroken) = byName[name], !isBroken else { continue }
            guard !action.program.isEmpty else {
                warnings.append("\(path):\(line): action '\(name)' has no program; left out")
                continue
            }
            actions.append(action)
        }
        actionWarnings += warnings
        return warnings
    }

    /// `a, b, c` as words, empty ones dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
    }

    /// A list of double-quoted words, `["-f", "a \"b\""]`, with `\"` and `\\` escapes; nil when malformed.
    static func words(_ text: String) -> [String]? {
        var characters = Array(text.trimmed)
        guard characters.first == "[", characters.last == "]" else { return nil }
        characters = Array(characters.dropFirst().dropLast())
        var words: [String] = []
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index].isWhitespace { index += 1 } }
        skipSpaces()
        while index < characters.count {
            guard characters[index] == "\"" else { return nil }
            index += 1
            var word = ""
            var closed = false
            while index < characters.count {
                let character = characters[index]
                index += 1
                if character == "\\", index < characters.count {
                    word.append(characters[index])
                    index += 1
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    word.append(character)
                }
            }
            guard closed else { return nil }
            words.append(word)
            skipSpaces()
            if index < characters.count {
                guard characters[index] == "," else { return nil }
                index += 1
                skipSpaces()
            }
        }
        return words
    }
}
