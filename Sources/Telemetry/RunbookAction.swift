/// A program from the operator's runbook, run against an incident from the keyboard or when it opens.
///
/// A program with an argument list, never a shell string: the incident's fields reach it
/// as environment variables (`VIGIL_INCIDENT_ID`, `VIGIL_INCIDENT_TITLE`, ...), so text from a
/// log line or a process name can never become part of a command.
public struct RunbookAction: Hashable, Sendable, Codable {
    /// The name in `[actions.NAME]`, shown in the incident's action list.
    public var name: String
    /// An absolute path, or a name looked up in PATH.
    public var program: String
    public var arguments: [String]
    /// Incident kinds it applies to: the resource of the likeliest cause (`storage`, `memory`, `cpu`, ...).
    public var kinds: [String]
    /// Signal ids or globs: it applies when one of the incident's members matches.
    public var signals: [String]
    /// Runs by itself when a matching incident opens, once per incident.
    public var automatic: Bool
    /// Seconds before the program (and everything it started) is killed.
    public var timeout: Double

    public init(name: String, program: String, arguments: [String] = [], kinds: [String] = [], signals: [String] = [], automatic: Bool = false, timeout: Double = 30) {
        self.name = name
        self.program = program
        self.arguments = arguments
        self.kinds = kinds
        self.signals = signals
        self.automatic = automatic
        self.timeout = timeout
    }

    /// The command as the confirmation shows it: program and arguments, each quoted when it needs to be.
    public var commandLine: String {
        ([program] + arguments).map { word in
            let plain = !word.isEmpty && !word.contains { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == "$" || $0 == "`" }
            if plain { return word }
            var quoted = "\""
            for character in word {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }.joined(separator: " ")
    }
}
