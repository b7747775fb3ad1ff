/// What an incident knows beyond its title: members, suspected causes and evidence.
public struct IncidentDetail: Hashable, Sendable, Codable {
    /// The anomalies that make up the incident, each with its peak and band.
    public var members: [Anomaly]
    /// Root-cause candidates, most likely first.
    public var candidates: [RootCauseCandidate]
    /// The processes on top at onset for the resource concerned.
    public var processesAtOnset: [ProcessSample]
    /// Log lines around the onset, error-level and new or bursting templates first.
    public var logLines: [EvidenceLine]

    public init(members: [Anomaly] = [], candidates: [RootCauseCandidate] = [], processesAtOnset: [ProcessSample] = [], logLines: [EvidenceLine] = []) {
        self.members = members
        self.candidates = candidates
        self.processesAtOnset = processesAtOnset
        self.logLines = logLines
    }
}

/// One suspected cause, with why it ranks where it does.
public struct RootCauseCandidate: Hashable, Sendable, Codable {
    public var signal: SignalID
    /// What kind of trouble it points at: "CPU saturation", "Memory pressure", ...
    public var headline: String
    /// Lower is more likely; comparable within one incident only.
    public var score: Double
    /// Why: "earliest onset", "memory pressure comes before swapping", ...
    public var reason: String
    /// The process behind it, when one stands out.
    public var process: ProcessSample?

    public init(signal: SignalID, headline: String, score: Double, reason: String, process: ProcessSample? = nil) {
        self.signal = signal
        self.headline = headline
        self.score = score
        self.reason = reason
        self.process = process
    }
}

/// A log line kept as evidence, already parsed.
public struct EvidenceLine: Hashable, Sendable, Codable {
    public var time: Double
    public var source: String
    /// "error", "warning", "info", ...
    public var severity: String
    public var text: String
    /// Why it was kept: "error", "new template", "burst".
    public var reason: String

    public init(time: Double, source: String, severity: String, text: String, reason: String) {
        self.time = time
        self.source = source
        self.severity = severity
        self.text = text
        self.reason = reason
    }
}
