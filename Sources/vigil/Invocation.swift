import Telemetry

/// What the command line asked for: a mode and the flags that override the config.
struct Invocation: Sendable, Equatable {
    /// The modes of the `vigil` command.
    enum Mode: Sendable, Equatable {
        case dashboard
        case snapshot
        /// `vigil incidents`, `show`, `ack`, `note`, `resolve`, `silence`: scripts over the store.
        case incidents
        case show
        case acknowledge
        case note
        case resolve
        case silence
        /// `vigil score FILE.csv`: the detector over a recorded series.
        case score
        /// `vigil watch`: the engine without the screen, a line per tick.
        case watch
        case mine
        case help
        case version
    }

    var mode: Mode = .dashboard
    var configPath: String?
    var interval: Double?
    var procRoot: String?
    var sysRoot: String?
    var theme: String?
    var noColour = false
    var json = false
    var databasePath: String?
    var includeResolved = false
    var note: String?
    /// `silence --for D`, in seconds.
    var silenceFor: Double?
    /// Arguments after the command word (`ack 12`, `note 12 "text"`).
    var operands: [String] = []
    /// `score -o FILE`.
    var outputPath: String?
    /// `vigil score --signal ID`: judge the series as the live engine judges that signal.
    var scoreSignal: String?
    /// `vigil score --unit UNIT`: the signal's unit, when its id does not tell.
    var scoreUnit: SignalUnit?
    /// `watch --duration D`, in seconds.
    var duration: Double?
    /// `--log PATH`, in the order given; globs are expanded by the log sources.
    var logPaths: [String] = []
    var fromStart = false
    /// `--journal` (true) or `--no-journal` (false); nil leaves it to the config and the default.
    var journal: Bool?
    /// `--journal-unit NAME`, repeatable.
    var journalUnits: [String] = []
    /// `--journal-dir DIR`: the journal files of another place.
    var journalDirectory: String?
    /// `--textfile-dir DIR`: where `vigil.prom` goes.
    var textfileDirectory: String?
    /// `--alertmanager URL`.
    var alertmanagerURL: String?
    /// The input of `vigil mine`: a file, or nil or `-` for standard input.
    var mineInput: String?
    var stats = false

    /// Parses the arguments after the program name.
    ///
    /// Flags take their value as the next argument or after `=` (`--interval=2s`).
    static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var invocation = Invocation()
        var remaining = arguments[...]
        var sawMode = false
        while let argument = remaining.popFirst() {
            var flag = argument
            var inlineValue: String? = nil
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst() else {
                    throw UsageError("\(flag) needs a value; see 'vigil --help'")
                }
                return next
            }
            switch flag {
            case "-h", "--help":
                invocation.mode = .help
            case "-V", "--version":
                invocation.mode = .version
            case "--config", "-c":
                invocation.configPath = try value()
            case "--interval", "-i":
                invocation.interval = try Settings.interval(try value(), source: "--interval")
            case "--proc-root":
                invocation.procRoot = try value()
            case "--sys-root":
                invocation.sysRoot = try value()
            case "--theme":
                invocation.theme = try value()
            case "--no-color", "--no-colour":
                invocation.noColour = true
            case "--json":
                invocation.json = true
            case "--duration":
                let text = try value()
                guard let seconds = DurationText.seconds(text), seconds > 0 else {
                    throw UsageError("--duration: '\(text)' is not a duration (for example 30s, 10m)")
                }
                invocation.duration = seconds
            case "-o", "--output":
                invocation.outputPath = try value()
            case "--signal":
                let id = try value()
                guard !id.isEmpty, !id.contains(where: { $0 == " " || $0 == "," }) else {
                    throw UsageError("--signal needs a signal id such as cpu.total.busy or disk.sda.util")
                }
                invocation.scoreSignal = id
            case "--unit":
                let text = try value()
                guard let unit = SignalUnit(rawValue: text) else {
                    throw UsageError("--unit: '\(text)' is not a unit (\(SignalUnit.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                invocation.scoreUnit = unit
            case "--db":
                invocation.databasePath = try value()
            case "--all":
                invocation.includeResolved = true
            case "--note", "-m":
                invocation.note = try value()
            case "--for":
                let text = try value()
                guard let seconds = DurationText.seconds(text), seconds > 0 else {
                    throw UsageError("--for: '\(text)' is not a duration (for example 30m, 1h, 2d)")
                }
                invocation.silenceFor = seconds
            case "--log":
                invocation.logPaths.append(try value())
            case "--from-start":
                invocation.fromStart = true
            case "--journal":
                invocation.journal = true
            case "--no-journal":
                invocation.journal = false
            case "--journal-unit":
                let unit = try value()
                guard !unit.isEmpty else { throw UsageError("--journal-unit needs a unit name such as nginx or ssh.service") }
                invocation.journalUnits.append(unit)
            case "--journal-dir":
                invocation.journalDirectory = try value()
            case "--textfile-dir":
                invocation.textfileDirectory = try value()
            case "--alertmanager":
                invocation.alertmanagerURL = try Settings.alertmanagerURL(try value(), source: "--alertmanager")
            case "--stats":
                invocation.stats = true
            default:
                if argument.hasPrefix("-"), argument != "-" {
                    throw UsageError("unknown option '\(flag)'; see 'vigil --help'")
                }
                if sawMode, invocation.mode == .mine, invocation.mineInput == nil {
                    invocation.mineInput = argument
                    continue
                }
                guard !sawMode else {
                    guard invocation.mode.takesOperands else {
                        throw UsageError("unexpected argument '\(argument)'; see 'vigil --help'")
                    }
                    invocation.operands.append(argument)
                    continue
                }
                sawMode = true
                switch argument {
                case "snapshot": invocation.mode = .snapshot
                case "incidents": invocation.mode = .incidents
                case "show": invocation.mode = .show
                case "ack", "acknowledge": invocation.mode = .acknowledge
                case "note": invocation.mode = .note
                case "resolve": invocation.mode = .resolve
                case "silence": invocation.mode = .silence
                case "score": invocation.mode = .score
                case "watch": invocation.mode = .watch
                case "mine": invocation.mode = .mine
                case "help": invocation.mode = .help
                case "version": invocation.mode = .version
                default: throw UsageError("unknown command '\(argument)'; see 'vigil --help'")
                }
            }
            if inlineValue != nil, !["--config", "--interval", "--proc-root", "--sys-root", "--theme", "--db", "--note", "--for", "--output", "--duration", "--log", "--journal-unit", "--journal-dir", "--textfile-dir", "--alertmanager", "--signal", "--unit"].contains(flag) {
                throw UsageError("\(flag) takes no value; see 'vigil --help'")
            }
        }
        if invocation.json, ![.snapshot, .incidents, .show, .watch].contains(invocation.mode) {
            throw UsageError("--json belongs to a script command such as 'vigil snapshot --json'")
        }
        try invocation.checkOperands()
        if invocation.stats, invocation.mode != .mine {
            throw UsageError("--stats belongs to 'vigil mine --stats'")
        }
        if invocation.scoreSignal != nil || invocation.scoreUnit != nil, invocation.mode != .score {
            throw UsageError("--signal and --unit belong to 'vigil score --signal ID'")
        }
        if invocation.scoreUnit != nil, invocation.scoreSignal == nil {
            throw UsageError("--unit names the unit of a --signal; give the signal too, as in 'vigil score --signal disk.sda.util --unit percent'")
        }
        return invocation
    }
}

extension Invocation.Mode {
    /// Commands that take arguments after the command word.
    var takesOperands: Bool {
        [.show, .acknowledge, .note, .resolve, .silence, .score].contains(self)
    }
}

extension Invocation {
    /// Checks the count and form of the arguments after the command word.
    func checkOperands() throws(UsageError) {
        func needID(_ usage: String, extra: Int = 0) throws(UsageError) {
            guard operands.count == 1 + extra else { throw UsageError("usage: \(usage)") }
            guard Int64(operands[0].trimmingPrefix("#")) != nil else {
                throw UsageError("'\(operands[0])' is not an incident id (a number, as 'vigil incidents' lists them)")
            }
        }
        switch mode {
        case .show: try needID("vigil show ID [--json]")
        case .acknowledge: try needID("vigil ack ID [--note TEXT]")
        case .resolve: try needID("vigil resolve ID [--note TEXT]")
        case .note: try needID("vigil note ID TEXT", extra: 1)
        case .score:
            guard operands.count <= 1 else { throw UsageError("usage: vigil score [FILE.csv|-] [-o OUT.csv]") }
        case .silence:
            guard operands.count == 1, silenceFor != nil else {
                throw UsageError("usage: vigil silence SIGNAL|PATTERN --for DURATION [--note TEXT]")
            }
        default: break
        }
    }

    /// The incident id operand (`12` or `#12`).
    var incidentID: Int64 {
        Int64(operands.first?.trimmingPrefix("#") ?? "") ?? 0
    }
}
