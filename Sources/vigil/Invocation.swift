/// What the command line asked for: a mode and the flags that override the config.
struct Invocation: Sendable, Equatable {
    /// The modes of the `vigil` command.
    enum Mode: Sendable, Equatable {
        case dashboard
        case snapshot
        case mine
        case help
        case version
    }

    var mode: Mode = .dashboard
    var configPath: String?
    var interval: Double?
    var procRoot: String?
    var theme: String?
    var noColour = false
    var json = false
    /// `--log PATH`, in the order given; globs are expanded by the log sources.
    var logPaths: [String] = []
    var fromStart = false
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
            case "--theme":
                invocation.theme = try value()
            case "--no-color", "--no-colour":
                invocation.noColour = true
            case "--json":
                invocation.json = true
            case "--log":
                invocation.logPaths.append(try value())
            case "--from-start":
                invocation.fromStart = true
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
                    throw UsageError("unexpected argument '\(argument)'; see 'vigil --help'")
                }
                sawMode = true
                switch argument {
                case "snapshot": invocation.mode = .snapshot
                case "mine": invocation.mode = .mine
                case "help": invocation.mode = .help
                case "version": invocation.mode = .version
                default: throw UsageError("unknown command '\(argument)'; see 'vigil --help'")
                }
            }
            if inlineValue != nil, !["--config", "--interval", "--proc-root", "--theme", "--log"].contains(flag) {
                throw UsageError("\(flag) takes no value; see 'vigil --help'")
            }
        }
        if invocation.json, invocation.mode != .snapshot {
            throw UsageError("--json belongs to a script command such as 'vigil snapshot --json'")
        }
        if invocation.stats, invocation.mode != .mine {
            throw UsageError("--stats belongs to 'vigil mine --stats'")
        }
        return invocation
    }
}
