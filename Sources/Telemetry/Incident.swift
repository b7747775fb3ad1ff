/// One problem on the host: anomalies that began together and share an entity,
/// with what probably caused them and what the operator did about it.
public struct Incident: Hashable, Sendable, Codable, Identifiable {
    /// Where an incident is in its life.
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case open
        case acknowledged
        case resolved
    }

    /// Stable across restarts and equal in every process that reads the same database.
    public var id: Int64
    /// The best root-cause candidate in words, e.g. "CPU saturation: stress-ng (pid 4242) at 198%".
    public var title: String
    public var severity: Severity
    public var state: State
    /// Seconds since 1970.
    public var openedAt: Double
    public var updatedAt: Double
    public var resolvedAt: Double?
    /// The signal the best root-cause candidate points at, if any.
    public var rootSignal: SignalID?
    public var acknowledgement: Acknowledgement?

    public init(
        id: Int64, title: String, severity: Severity, state: State, openedAt: Double, updatedAt: Double,
        resolvedAt: Double? = nil, rootSignal: SignalID? = nil, acknowledgement: Acknowledgement? = nil
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.state = state
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.resolvedAt = resolvedAt
        self.rootSignal = rootSignal
        self.acknowledgement = acknowledgement
    }
}

/// How bad something is: a warning can wait for office hours, a critical cannot.
public enum Severity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case warning
    case critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .critical
    }
}

/// Who took an incident on, when, and what they said.
public struct Acknowledgement: Hashable, Sendable, Codable {
    /// The login name, or SUDO_USER when run through sudo.
    public var who: String
    public var at: Double
    public var note: String?

    public init(who: String, at: Double, note: String? = nil) {
        self.who = who
        self.at = at
        self.note = note
    }
}

/// One change in an incident's life, as the timeline shows it.
public struct TimelineEvent: Hashable, Sendable, Codable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case opened
        case memberJoined = "member_joined"
        case memberCleared = "member_cleared"
        case acknowledged
        case note
        case resolved
        case reopened
        case action
    }

    public var at: Double
    public var kind: Kind
    /// Who did it, for operator events; nil for the engine's own.
    public var actor: String?
    public var text: String

    public init(at: Double, kind: Kind, actor: String? = nil, text: String) {
        self.at = at
        self.kind = kind
        self.actor = actor
        self.text = text
    }
}
