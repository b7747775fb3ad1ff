import Collector
import Detection
import Monitor
import Telemetry

/// Everything that decides how Vigil runs: defaults, then the config file, then flags.
struct Settings: Sendable, Equatable {
    /// Seconds between samples; at least 0.1.
    var interval: Double = 1
    var procRoot = "/proc"
    var sysRoot = "/sys"
    /// A theme name (looked up in the theme folders) or a path to a theme file.
    var theme = "default"
    /// False when NO_COLOR is set or colour was turned off.
    var colour = true
    /// The SQLite database of incidents, acknowledgements and history; nil means the default place.
    var databasePath: String?

    /// The static limits, defaults overridden by `[thresholds]`.
    var limits = StaticLimit.defaults
    /// Seconds between onsets that still group (`[incidents] window`).
    var correlationWindow: Double = 120
    /// Seconds all members must be clear before an incident resolves (`[incidents] grace`).
    var resolutionGrace: Double = 300
    /// Log files and globs to follow (`[logs] path`, `--log`); empty means the readable defaults.
    var logPaths: [String] = []
    /// Read existing log files whole instead of from their end.
    var logsFromStart = false
    /// The horizons and the signals that can run out (`[forecast]`).
    var forecast = Forecasting.Configuration.standard
    /// The runbook (`[actions.NAME]` sections), in the order of the file.
    var actions: [RunbookAction] = []
    /// Why actions were left out, also shown beside the action list in the dashboard.
    var actionWarnings: [String] = []
    /// Whether to follow the systemd journal (`[journal] enabled`, `--journal`, `--no-journal`).
    var journal = JournalChoice.auto
    /// Units to keep from the journal (`[journal] unit`, `--journal-unit`); empty keeps all.
    var journalUnits: [String] = []
    /// A folder of journal files to read instead of this machine's journal (`[journal] directory`, `--journal-dir`).
    var journalDirectory: String?
    /// Where `vigil.prom` is written after each tick (`[prometheus] textfile_dir`, `--textfile-dir`).
    var textfileDirectory: String?
    /// Alertmanager's base URL (`[alertmanager] url`, `--alertmanager`).
    var alertmanagerURL: String?

    /// When the journal is followed.
    enum JournalChoice: String, Sendable, Equatable {
        /// When this machine has a journal and no log file was named.
        case auto
        case on
        case off
    }

    static let minimumInterval = 0.1

    /// The keys each section may hold, for the unknown-key warning.
    static let knownKeys: [String: Set<String>] = [
        "general": ["interval", "proc_root", "sys_root", "db"],
        "dashboard": ["theme", "color"],
        "thresholds": Set(StaticLimit.defaults.map(\.name)),
        "incidents": ["window", "grace"],
        "logs": ["path", "from_start"],
        "forecast": ["warn_within", "critical_within", "limit", "floor"],
        "journal": ["enabled", "unit", "directory"],
        "prometheus": ["textfile_dir"],
        "alertmanager": ["url"],
    ]

    /// Applies the entries of a config file.
    /// - Returns: warnings for keys this version does not know, each with its line.
    /// - Throws: a `UsageError` naming the file and line of a value that cannot be used.
    mutating func apply(_ file: ConfigFile) throws(UsageError) -> [String] {
        var warnings: [String] = []
        var actionEntries: [ConfigFile.Entry] = []
        for entry in file.entries {
            let place = "\(file.path):\(entry.line)"
            if entry.section == "actions" || entry.section.hasPrefix("actions.") {
                actionEntries.append(entry)
                continue
            }
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
                procRoot = try entry.required("proc_root needs a directory", at: place)
            case ("general", "db"):
                databasePath = try entry.required("db needs a file path", at: place)
            case ("general", "sys_root"):
                sysRoot = try entry.required("sys_root needs a directory", at: place)
            case ("thresholds", let name):
                let numbers = entry.value.split(separator: ",").map { $0.trimmed }
                let values = numbers.map { $0 == "-" || $0 == "off" ? nil : Double($0) }
                guard (1...2).contains(numbers.count), zip(numbers, values).allSatisfy({ $1 != nil || $0 == "-" || $0 == "off" }) else {
                    throw UsageError("\(place): \(name) takes 'WARNING[, CRITICAL]' numbers (or - to turn one off), not '\(entry.value)'")
                }
                if let index = limits.firstIndex(where: { $0.name == name }) {
                    limits[index].warning = values[0]
                    if values.count == 2 { limits[index].critical = values[1] }
                }
            case ("incidents", "window"), ("incidents", "grace"):
                guard let seconds = DurationText.seconds(entry.value), seconds > 0 else {
                    throw UsageError("\(place): \(entry.key) must be a duration such as 2m or 300s, not '\(entry.value)'")
                }
                if entry.key == "window" { correlationWindow = seconds } else { resolutionGrace = seconds }
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
            case ("forecast", "warn_within"), ("forecast", "critical_within"):
                guard let seconds = DurationText.seconds(entry.value), seconds > 0 else {
                    throw UsageError("\(place): \(entry.key) must be a duration such as 24h or 90m, not '\(entry.value)'")
                }
                if entry.key == "warn_within" { forecast.forecaster.warnWithin = seconds } else { forecast.forecaster.criticalWithin = seconds }
            case ("forecast", "limit"), ("forecast", "floor"):
                let words = entry.value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard words.count == 2, let value = Double(words[1]), value.isFinite else {
                    throw UsageError("\(place): \(entry.key) takes a signal id or glob and a number, such as 'procs.total 30000', not '\(entry.value)'")
                }
                let rising = entry.key == "limit"
                let target = ForecastTarget(pattern: words[0], rising: rising, limit: .value(value), outcome: "\(rising ? "reaches" : "falls to") \(words[1])")
                // The operator's own limits come first, so they win over a default for the same signal.
                forecast.targets.insert(target, at: forecast.targets.firstIndex { ForecastTarget.defaults.contains($0) } ?? forecast.targets.count)
            case ("logs", "from_start"):
                switch entry.value.lowercased() {
                case "yes", "true", "on": logsFromStart = true
                case "no", "false", "off": logsFromStart = false
                default: throw UsageError("\(place): from_start must be yes or no, not '\(entry.value)'")
                }
            case ("journal", "enabled"):
                switch entry.value.lowercased() {
                case "auto": journal = .auto
                case "yes", "true", "on": journal = .on
                case "no", "false", "off": journal = .off
                default: throw UsageError("\(place): enabled must be yes, no or auto, not '\(entry.value)'")
                }
            case ("journal", "unit"):
                journalUnits.append(try entry.required("unit needs a unit name such as nginx or ssh.service", at: place))
            case ("journal", "directory"):
                journalDirectory = try entry.required("directory needs a folder of journal files", at: place)
            case ("prometheus", "textfile_dir"):
                textfileDirectory = try entry.required("textfile_dir needs a directory, such as node_exporter's --collector.textfile.directory", at: place)
            case ("alertmanager", "url"):
                alertmanagerURL = try Self.alertmanagerURL(entry.value, source: "\(place): url")
            default:
                break
            }
        }
        warnings += applyActions(actionEntries, path: file.path)
        return warnings
    }

    /// Alertmanager's base URL, without a trailing slash: `http://HOST:PORT` with an optional path prefix.
    static func alertmanagerURL(_ text: String, source: String) throws(UsageError) -> String {
        var url = text.trimmed
        while url.hasSuffix("/") { url.removeLast() }
        let scheme = url.hasPrefix("http://") ? "http://" : url.hasPrefix("https://") ? "https://" : nil
        guard let scheme, url.count > scheme.count, !url.contains(" ") else {
            throw UsageError("\(source): '\(text)' is not an Alertmanager URL (for example http://127.0.0.1:9093)")
        }
        return url
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

extension Settings {
    /// What the monitor needs, for the dashboard and `vigil watch` alike: the same
    /// engine, store and log sources whichever face shows them.
    func monitorSettings(environment: [String: String]) -> Monitor.Settings {
        var settings = Monitor.Settings(
            interval: interval, procRoot: procRoot, sysRoot: sysRoot,
            databasePath: StatePaths.database(settings: self, environment: environment),
            operatorName: StatePaths.operatorName(environment),
            correlation: Correlator.Configuration(window: correlationWindow, grace: resolutionGrace),
            detection: DetectionEngine.Configuration(limits: limits, forecast: forecast)
        )
        settings.journal = journalPlace(hostHasJournal: JournalReader.systemJournalExists())
        // Where the journal is read by default, the syslog files would repeat it line for line.
        settings.logPatterns = logPaths.isEmpty ? LogSources.readableDefaults(besideJournal: settings.journal != nil) : logPaths
        settings.logsFromStart = logsFromStart
        settings.actions = actions
        settings.actionWarnings = actionWarnings
        settings.journalUnits = journalUnits
        settings.textfileDirectory = textfileDirectory
        settings.alertmanagerURL = alertmanagerURL
        return settings
    }
}

extension Settings {
    /// Which journal to follow, if any: asked for by name (a folder, units, `--journal`), or by
    /// default where the host has one and no log file was named.
    func journalPlace(hostHasJournal: Bool) -> JournalReader.Place? {
        let place: JournalReader.Place = journalDirectory.map { .directory($0) } ?? .system
        switch journal {
        case .off: return nil
        case .on: return place
        case .auto:
            if journalDirectory != nil || !journalUnits.isEmpty { return place }
            return logPaths.isEmpty && hostHasJournal ? place : nil
        }
    }
}

extension ConfigFile.Entry {
    /// The value, or an error naming the line when it is empty.
    func required(_ advice: String, at place: String) throws(UsageError) -> String {
        guard !value.isEmpty else { throw UsageError("\(place): \(advice)") }
        return value
    }
}
