import Telemetry

/// What a format's parser took from one line: the parts a `LogRecord` needs.
public struct ParsedLine: Hashable, Sendable {
    /// Seconds since 1970, when the line states a time.
    public var time: Double?
    public var severity: LogSeverity
    public var program: String?
    public var pid: Int?
    /// Where the message starts in the line (after timestamp and tag).
    public var messageStart: Int
    /// The message when it is not a tail of the line (a JSON string with escapes).
    public var message: String?

    public init(time: Double? = nil, severity: LogSeverity = .info, program: String? = nil, pid: Int? = nil, messageStart: Int = 0, message: String? = nil) {
        self.time = time
        self.severity = severity
        self.program = program
        self.pid = pid
        self.messageStart = messageStart
        self.message = message
    }
}
