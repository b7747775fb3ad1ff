import Telemetry

/// Finds trouble in the stream of mined log lines: a kind of message never seen
/// before, a burst of one kind, and the messages operators always want to see
/// (OOM killer, segfault, I/O error, disk full, hung task, repeated failed logins).
/// It also counts lines and error-level lines per source per second, which the
/// engine judges like any other signal, so a rise in errors is a learnt anomaly.
///
/// Pure: lines and the time come in; readings and anomalies go out.
public struct LogDetector: Sendable, Codable {
    /// How long and how hard it listens.
    public struct Configuration: Sendable, Equatable {
        /// Seconds a source is learnt from before a new template counts as news.
        public var learningPeriod: Double
        /// A template's lines in one step must reach this many times its usual rate...
        public var burstFactor: Double
        /// ...and at least this many lines, to be a burst.
        public var burstMinimum: Int
        /// Seconds an event anomaly stays active after its last occurrence.
        public var hold: Double
        /// Failed logins within `hold` that make "repeated authentication failures".
        public var authenticationFailures: Int

        public init(learningPeriod: Double = 300, burstFactor: Double = 10, burstMinimum: Int = 20, hold: Double = 60, authenticationFailures: Int = 5) {
            self.learningPeriod = learningPeriod
            self.burstFactor = burstFactor
            self.burstMinimum = burstMinimum
            self.hold = hold
            self.authenticationFailures = authenticationFailures
        }

        public static let standard = Configuration()
    }

    /// A message operators always want to see, by the words it contains.
    struct CriticalMessage: Sendable {
        var measure: String
        var words: [String]
        var what: String
        var severity: Severity
    }

    static let criticalMessages: [CriticalMessage] = [
        CriticalMessage(measure: "oom", words: ["out of memory", "oom-kill", "oom_reaper", "killed process"], what: "the OOM killer ended a process", severity: .critical),
        CriticalMessage(measure: "segfault", words: ["segfault", "segmentation fault", "general protection fault"], what: "a program crashed", severity: .critical),
        CriticalMessage(measure: "io_error", words: ["i/o error", "blk_update_request", "buffer i/o error", "medium error"], what: "I/O errors", severity: .critical),
        CriticalMessage(measure: "disk_full", words: ["no space left on device", "disk full", "enospc"], what: "a filesystem is full", severity: .critical),
        CriticalMessage(measure: "hung_task", words: ["blocked for more than", "hung_task", "hung task"], what: "a task hung", severity: .critical),
        CriticalMessage(measure: "kernel_bug", words: ["soft lockup", "hard lockup", "kernel bug at", "rcu_sched self-detected stall", "rcu: info: rcu_sched", "kernel panic"], what: "the kernel reported a bug or a stall", severity: .critical),
    ]

    static let authenticationWords = ["authentication failure", "failed password", "invalid user", "auth failed"]

    /// What the detector keeps per log source.
    struct SourceState: Sendable, Codable {
        var firstSeen: Double
        var lines = 0
        var errors = 0
        /// Lines per template in the current step.
        var templateLines: [UInt64: Int] = [:]
        /// Each template's usual lines per step (a slow average), once seen.
        var templateRate: [UInt64: Double] = [:]
        var authenticationFailures: [Double] = []
    }

    /// An event anomaly kept active until its hold runs out.
    struct Held: Sendable, Codable {
        var anomaly: Anomaly
        var lastSeen: Double
    }

    public var configuration: Configuration
    var sources: [String: SourceState] = [:]
    var held: [SignalID: Held] = [:]
    var lastStep: Double?
    /// Templates that burst, and when last: their lines are evidence for an incident.
    public private(set) var bursting: [UInt64: Double] = [:]

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// Saved with the monitor's checkpoint, so a restart neither learns each source again nor
    /// forgets the event anomalies it holds (their incidents would never see them end).
    /// The configuration is not saved: it comes from the settings of the run.
    enum CodingKeys: String, CodingKey {
        case sources, held, lastStep, bursting
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        configuration = .standard
        sources = try container.decode([String: SourceState].self, forKey: .sources)
        held = try container.decode([SignalID: Held].self, forKey: .held)
        lastStep = try container.decodeIfPresent(Double.self, forKey: .lastStep)
        bursting = try container.decode([UInt64: Double].self, forKey: .bursting)
    }

    /// Takes one mined line.
    /// - Parameter isNewTemplate: the miner made a new template for it.
    public mutating func observe(_ record: LogRecord, isNewTemplate: Bool, at time: Double) {
        var state = sources[record.source] ?? SourceState(firstSeen: time)
        state.lines += 1
        if record.severity >= .error { state.errors += 1 }
        let message = record.message.lowercased()
        if let template = record.templateID {
            state.templateLines[template, default: 0] += 1
            let learning = time - state.firstSeen < configuration.learningPeriod
            if isNewTemplate && !learning {
                raise("new_template", source: record.source, kind: .newTemplate,
                      severity: record.severity >= .error ? .critical : .warning,
                      explanation: "new kind of message in \(Self.shortName(record.source)): \(Self.excerpt(record.message))", at: time)
            }
        }
        for critical in Self.criticalMessages where critical.words.contains(where: { message.contains($0) }) {
            raise(critical.measure, source: record.source, kind: .criticalMessage, severity: critical.severity,
                  explanation: "\(critical.what) (\(Self.shortName(record.source))): \(Self.excerpt(record.message))", at: time)
        }
        if Self.authenticationWords.contains(where: { message.contains($0) }) {
            state.authenticationFailures.append(time)
            state.authenticationFailures.removeAll { time - $0 > configuration.hold }
            if state.authenticationFailures.count >= configuration.authenticationFailures {
                raise("auth_failures", source: record.source, kind: .criticalMessage, severity: .warning,
                      explanation: "\(state.authenticationFailures.count) failed logins in \(DurationText.format(configuration.hold)) (\(Self.shortName(record.source)))", at: time)
            }
        }
        sources[record.source] = state
    }

    /// Ends one step (a tick): per-source rates as readings, bursts found, and the
    /// event anomalies active or just ended.
    public mutating func step(at time: Double) -> (readings: [Reading], anomalies: [Anomaly]) {
        let elapsed = max(0.001, time - (lastStep ?? time - 1))
        lastStep = time
        var readings: [Reading] = []
        for (path, var state) in sources {
            readings.append(Reading(SignalID("log.\(path).lines"), Double(state.lines) / elapsed, .perSecond))
            readings.append(Reading(SignalID("log.\(path).errors"), Double(state.errors) / elapsed, .perSecond))
            let learning = time - state.firstSeen < configuration.learningPeriod
            for (template, count) in state.templateLines {
                let usual = state.templateRate[template]
                if !learning, count >= configuration.burstMinimum, Double(count) >= configuration.burstFactor * max(usual ?? 0, 0.1) {
                    bursting[template] = time
                    raise("burst", source: path, kind: .burst, severity: .warning,
                          explanation: "burst in \(Self.shortName(path)): one kind of message \(count) times in \(DurationText.format(elapsed)), usually \(HumanReadable.fixed(usual ?? 0, decimals: 1))", at: time)
                }
            }
            // Every known template decays toward this step's count; absent ones toward zero.
            for template in Set(state.templateRate.keys).union(state.templateLines.keys) {
                let count = Double(state.templateLines[template] ?? 0)
                let previous = state.templateRate[template] ?? count
                state.templateRate[template] = previous + (count - previous) / 300
            }
            if state.templateRate.count > 5000 {
                state.templateRate = state.templateRate.filter { $0.value > 0.001 }
            }
            state.lines = 0
            state.errors = 0
            state.templateLines = [:]
            sources[path] = state
        }
        var anomalies: [Anomaly] = []
        for (signal, entry) in held {
            if time - entry.lastSeen > configuration.hold {
                var ended = entry.anomaly
                ended.end = time
                anomalies.append(ended)
                held[signal] = nil
            } else {
                anomalies.append(entry.anomaly)
            }
        }
        bursting = bursting.filter { time - $0.value <= configuration.hold }
        return (readings, anomalies.sorted { $0.signal < $1.signal })
    }

    private mutating func raise(_ measure: String, source: String, kind: Anomaly.Kind, severity: Severity, explanation: String, at time: Double) {
        let signal = SignalID("log.\(source).\(measure)")
        if var entry = held[signal] {
            entry.lastSeen = time
            entry.anomaly.value += 1
            entry.anomaly.peak = entry.anomaly.value
            entry.anomaly.severity = max(entry.anomaly.severity, severity)
            entry.anomaly.explanation = explanation
            held[signal] = entry
        } else {
            held[signal] = Held(
                anomaly: Anomaly(signal: signal, kind: kind, onset: time, value: 1, peak: 1, direction: .above, severity: severity, explanation: explanation),
                lastSeen: time
            )
        }
    }

    static func shortName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func excerpt(_ message: String) -> String {
        message.count > 80 ? String(message.prefix(79)) + "…" : message
    }
}
