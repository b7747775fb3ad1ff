/// How bad a log line says things are, from syslog's scale folded to six steps.
public enum LogSeverity: Int, Hashable, Comparable, Sendable, Codable, CaseIterable {
    case debug
    case info
    case notice
    case warning
    case error
    /// Syslog's crit, alert and emerg, and words such as FATAL and panic.
    case critical

    public static func < (lhs: LogSeverity, rhs: LogSeverity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// From a syslog severity number (0 emerg ... 7 debug).
    public init(syslog value: Int) {
        switch value {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }

    /// A short label for narrow columns: `DEBUG`, `INFO`, `NOTE`, `WARN`, `ERROR`, `CRIT`.
    public var label: String {
        switch self {
        case .debug: return "DEBUG"
        case .info: return "INFO"
        case .notice: return "NOTE"
        case .warning: return "WARN"
        case .error: return "ERROR"
        case .critical: return "CRIT"
        }
    }
}

/// One line of a log file as Vigil understood it.
public struct LogRecord: Hashable, Sendable {
    /// The file the line came from.
    public var source: String
    /// When Vigil read the line, seconds since 1970.
    public var received: Double
    /// The time the line states, if its format has one; seconds since 1970.
    public var time: Double?
    public var severity: LogSeverity
    /// The program that wrote it (syslog tag, JSON logger), when the line says.
    public var program: String?
    public var pid: Int?
    /// The message, without the timestamp and tag the format puts before it; invalid UTF-8 replaced.
    public var message: String
    /// The miner's template for the message (see `TemplateMiner`); nil until mined.
    public var templateID: UInt64?
    /// The systemd unit that wrote it (`nginx.service`), for journal entries.
    public var unit: String?
    /// Counts the lines Vigil read, from 1, so the screen can keep its place in a
    /// list that grows at one end and is trimmed at the other; 0 before it is counted.
    public var sequence: UInt64 = 0

    public init(
        source: String, received: Double, time: Double? = nil, severity: LogSeverity = .info,
        program: String? = nil, pid: Int? = nil, message: String, templateID: UInt64? = nil, unit: String? = nil,
        sequence: UInt64 = 0
    ) {
        self.sequence = sequence
        self.source = source
        self.received = received
        self.time = time
        self.severity = severity
        self.program = program
        self.pid = pid
        self.message = message
        self.templateID = templateID
        self.unit = unit
    }
}

/// How one log source is being followed, for the header and the log panel.
public struct LogSourceHealth: Hashable, Sendable {
    /// What the state of the file is.
    public enum State: String, Hashable, Sendable {
        /// Open and followed.
        case following
        /// Named but not there (yet): checked again on each poll.
        case waiting
        /// There but cannot be read; the reason is in `problem`. Retried on each poll.
        case unreadable
    }

    public var path: String
    public var state: State
    /// The format chosen from the file's first lines, such as `syslog` or `nginx-access`.
    public var format: String
    /// Lines read since Vigil started following it.
    public var lines: Int
    /// Why it cannot be read, in the C library's words.
    public var problem: String?

    public init(path: String, state: State, format: String = "plain", lines: Int = 0, problem: String? = nil) {
        self.path = path
        self.state = state
        self.format = format
        self.lines = lines
        self.problem = problem
    }
}
