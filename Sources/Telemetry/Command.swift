/// What the operator asks of the monitor from the screen: a value sent back along
/// the one-way path, answered only through the next snapshot.
public enum Command: Hashable, Sendable {
    case acknowledge(incident: Int64, note: String?)
    case resolve(incident: Int64, note: String?)
    case addNote(incident: Int64, text: String)
    /// Silences a signal id or glob for a number of seconds.
    case silence(pattern: String, seconds: Double, note: String?)
    /// Runs a runbook action (`[actions.NAME]`) against an incident; its result joins the timeline.
    case runAction(incident: Int64, action: String)
}

/// The outcome of the last command, for the screen to show once.
public struct CommandOutcome: Hashable, Sendable {
    public var command: Command
    /// Nil when it was done (committed); otherwise why not, in words.
    public var failure: String?
    public var at: Double

    public init(command: Command, failure: String?, at: Double) {
        self.command = command
        self.failure = failure
        self.at = at
    }
}

/// What the screen knows about incidents: the list, and for each open one its detail and timeline.
public struct IncidentBoard: Sendable {
    /// Newest first; resolved ones from the last hour at the end.
    public var incidents: [Incident]
    public var details: [Int64: IncidentDetail]
    public var timelines: [Int64: [TimelineEvent]]
    /// Whether this process runs the engine, or follows another's store.
    public var role: EngineRole
    /// Set when the database could not be used: the dashboard runs on memory and says so.
    public var storeWarning: String?
    public var lastOutcome: CommandOutcome?
    /// The runbook actions that apply to each incident, by incident id.
    public var actions: [Int64: [RunbookAction]] = [:]
    /// Why configured actions were left out (a broken `[actions.NAME]` section), for the action list.
    public var actionWarnings: [String] = []

    public init(
        incidents: [Incident] = [], details: [Int64: IncidentDetail] = [:], timelines: [Int64: [TimelineEvent]] = [:],
        role: EngineRole = .leader, storeWarning: String? = nil, lastOutcome: CommandOutcome? = nil
    ) {
        self.incidents = incidents
        self.details = details
        self.timelines = timelines
        self.role = role
        self.storeWarning = storeWarning
        self.lastOutcome = lastOutcome
    }

    public var openCount: Int { incidents.filter { $0.state != .resolved }.count }
    public var unacknowledgedCount: Int { incidents.filter { $0.state == .open }.count }
}

/// Which Vigil process on a database runs the engine.
public enum EngineRole: String, Hashable, Sendable {
    /// This process runs the detection engine and writes incidents.
    case leader
    /// Another process does; this one reads its incidents from the store.
    case follower
}
