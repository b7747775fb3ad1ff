/// How one link between Vigil and something outside it fares, for the header: the
/// journal it reads, the Prometheus textfile it writes, the Alertmanager it feeds.
public struct LinkStatus: Hashable, Sendable {
    /// Short, as the header shows it: `journal`, `prom`, `am`.
    public var name: String
    /// One or two words: `on`, `ok`, `retrying (3)`, `unreachable`, `none`.
    public var state: String
    /// False while the link is down or struggling, so a reader can pick it out.
    public var healthy: Bool
    /// The whole story, for logs and scripts: the path, the error, the URL.
    public var detail: String?

    public init(name: String, state: String, healthy: Bool, detail: String? = nil) {
        self.name = name
        self.state = state
        self.healthy = healthy
        self.detail = detail
    }

    /// `am: retrying (3)`.
    public var headerText: String { "\(name): \(state)" }
}

extension LinkStatus: Codable {}

/// What the monitor hands the Alertmanager link each tick, as JSON across the plugin boundary
/// (see `AlertmanagerLink`): the incidents as the store has them now.
public struct AlertmanagerUpdate: Codable, Sendable {
    /// Open, acknowledged and recently resolved incidents.
    public var incidents: [Incident]
    /// The details of the incidents not resolved, for the alerts' annotations.
    public var details: [Int64: IncidentDetail]
    /// The `instance` label.
    public var host: String
    /// Whether this process runs the engine; only that one pushes.
    public var leader: Bool
    /// Seconds since 1970.
    public var time: Double

    public init(incidents: [Incident], details: [Int64: IncidentDetail], host: String, leader: Bool, time: Double) {
        self.incidents = incidents
        self.details = details
        self.host = host
        self.leader = leader
        self.time = time
    }
}
