import Telemetry

/// Everything that decides how Vigil runs: defaults, then the config file, then flags.
struct Settings: Sendable, Equatable {
    /// Seconds between samples; at least 0.1.
    var interval: Double = 1
    var procRoot = "/proc"
    /// A theme name (looked up in the theme folders) or a path to a theme file.
    var theme = "default"
    /// False when NO_COLOR is set or colour was turned off.
    var colour = true
    /// Log files and globs to follow (`[logs] path`, `--log`); empty means the readable defaults.
    var logPaths: [String] = []
    /// Read existing log files whole instead of from their end.
    var logsFromStart = false

    static let minimumInterval = 0.1

    /// The keys each section may hold, for the unknown-key warning.
    static let knownKeys: [String: Set<String>] = [
        "general": ["interval", "proc_root"],
        "dashboard": ["theme", "color"],
        "logs": ["path", "from_start"],
    ]

    /// Applies the entries of a config file.
    /// - Returns: warnings for keys this version does not know, each with its line.
    /// - Throws: a `UsageError` naming the file and line of a value that cannot be used.
    mutating func apply(_ file: ConfigFile) throws(UsageError) -> [String] {
        var warnings: [String] = []
        for entry in file.entries {
            let place = "\(file.path):\(entry.line)"
            guard let keys = Self.knownKeys[entry.section] else {
                warnings.append("\(place): unknown section [\(entry.section)], key '\(entry.key)' ignored")
                continue
            }
            guard keys.contains(entry.key) else {
                warnings.append("\(place): unknown key '\(entry.key)' in [\(entry.section)], ignored")
                continue
            }
            switch (entry.section, entry.key) {
            case ("general", "interval"):
                interval = try Self.interval(entry.value, source: "\(place): interval")
            case ("general", "proc_root"):
                guard !entry.value.isEmpty else { throw UsageError("\(place): proc_root needs a directory") }
                procRoot = entry.value
            case ("dashboard", "theme"):
                guard !entry.value.isEmpty else { throw UsageError("\(place): theme needs a name or a path") }
                theme = entry.value
            case ("dashboard", "color"):
                switch entry.value.lowercased() {
                case "yes", "true", "on", "auto": colour = true
                case "no", "false", "off", "never": colour = false
                default: throw UsageError("\(place): color must be yes or no, not '\(entry.value)'")
                }
            case ("logs", "path"):
                guard !entry.value.isEmpty else { throw UsageError("\(place): path needs a file or a glob such as /var/log/nginx/*.log") }
                logPaths.append(entry.value)
            case ("logs", "from_start"):
                switch entry.value.lowercased() {
                case "yes", "true", "on": logsFromStart = true
                case "no", "false", "off": logsFromStart = false
                default: throw UsageError("\(place): from_start must be yes or no, not '\(entry.value)'")
                }
            default:
                break
            }
        }
        return warnings
    }

    /// A sampling interval from text such as `500ms` or `2s`.
    static func interval(_ text: String, source: String) throws(UsageError) -> Double {
        guard let seconds = DurationText.seconds(text) else {
            throw UsageError("\(source): '\(text)' is not a duration (for example 500ms, 1s, 2s)")
        }
        guard seconds >= minimumInterval else {
            throw UsageError("\(source): '\(text)' is too short; the minimum is 100ms")
        }
        return seconds
    }
}
