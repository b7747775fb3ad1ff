#if canImport(Glibc)
import Glibc
#endif
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

    /// The phrases as bytes, searched for in each line's lowered bytes (`memchr` for the first
    /// byte, `memcmp` for the rest): `String.contains` builds a search table of Characters on
    /// every call, which made this check cost 80 µs a line.
    static let criticalNeedles: [[[UInt8]]] = criticalMessages.map { $0.words.map { Array($0.utf8) } }
    static let authenticationNeedles: [[UInt8]] = authenticationWords.map { Array($0.utf8) }

    /// Whether any of `needles` occurs in `text`.
    static func contains(any needles: [[UInt8]], in text: [UInt8]) -> Bool {
        text.withUnsafeBytes { haystack in
            needles.contains { needle in needle.withUnsafeBytes { find($0, in: haystack) } }
        }
    }

    /// Whether `needle` occurs in `haystack`; the corresponding C functions are `memchr` and `memcmp`.
    static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count, let base = haystack.baseAddress, let pattern = needle.baseAddress else { return false }
        let last = haystack.count - needle.count
        var start = 0
        while start <= last {
            guard let hit = memchr(base + start, Int32(needle[0]), last - start + 1) else { return false }
            if memcmp(hit, pattern, needle.count) == 0 { return true }
            start = UnsafeRawPointer(hit) - base + 1
        }
        return false
    }

    /// The line's bytes with ASCII letters lowered (the phrases are ASCII; other bytes stay).
    static func lowered(_ message: String) -> [UInt8] {
        var bytes = Array(message.utf8)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
        return bytes
    }

    /// What the detector keeps per log source.
    struct SourceState: Sendable, Codable {
        var firstSeen: Double
        var lines = 0
        var errors = 0
        /// Lines per template in the current step.
        var templateLines: [UInt64: Int] = [:]
        /// Each template's usual lines per step (a slow average), once seen.
        var templateRate: [UInt64: Double] = [:]
        /// Times of failed logins; those before `authenticationHead` are older than the hold.
        var authenticationFailures: [Double] = []
        var authenticationHead = 0

        var authenticationFailureCount: Int { authenticationFailures.count - authenticationHead }

        /// Counts a failed login and forgets those older than `hold`, in amortised constant
        /// time: a brute-force attack of thousands a second must not slow the log path down.
        mutating func recordAuthenticationFailure(at time: Double, within hold: Double) {
            authenticationFailures.append(time)
            while authenticationHead < authenticationFailures.count, time - authenticationFailures[authenticationHead] > hold {
                authenticationHead += 1
            }
            if authenticationHead > 1024, authenticationHead * 2 > authenticationFailures.count {
                authenticationFailures.removeFirst(authenticationHead)
                authenticationHead = 0
            }
        }

        init(firstSeen: Double) {
            self.firstSeen = firstSeen
        }

        enum CodingKeys: String, CodingKey {
            case firstSeen, templateRate, authenticationFailures
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            firstSeen = try container.decode(Double.self, forKey: .firstSeen)
            templateRate = try container.decodeIfPresent([UInt64: Double].self, forKey: .templateRate) ?? [:]
            authenticationFailures = try container.decodeIfPresent([Double].self, forKey: .authenticationFailures) ?? []
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(firstSeen, forKey: .firstSeen)
            try container.encode(templateRate, forKey: .templateRate)
            try container.encode(Array(authenticationFailures[authenticationHead...]), forKey: .authenticationFailures)
        }
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
        // Not the saved step's time: after a restart's downtime the first rates would be spread
        // over the whole gap. The first step counts one second, as at a first start.
        lastStep = nil
        bursting = try container.decode([UInt64: Double].self, forKey: .bursting)
    }

    /// Takes one mined line.
    /// - Parameter isNewTemplate: the miner made a new template for it.
    public mutating func observe(_ record: LogRecord, isNewTemplate: Bool, at time: Double) {
        let message = Self.lowered(record.message)
        let authenticationFailure = Self.contains(any: Self.authenticationNeedles, in: message)
        // The source's state is changed in place: a copy would copy its per-template tables
        // on every line, and a busy log would cost in proportion to its templates.
        let hold = configuration.hold
        let learningPeriod = configuration.learningPeriod
        let (learning, failures) = updateSource(record.source, at: time) { state -> (Bool, Int) in
            state.lines += 1
            if record.severity >= .error { state.errors += 1 }
            if let template = record.templateID { state.templateLines[template, default: 0] += 1 }
            if authenticationFailure { state.recordAuthenticationFailure(at: time, within: hold) }
            return (time - state.firstSeen < learningPeriod, state.authenticationFailureCount)
        }
        if record.templateID != nil, isNewTemplate, !learning {
            raise("new_template", source: record.source, kind: .newTemplate,
                  severity: record.severity >= .error ? .critical : .warning,
                  explanation: "new kind of message in \(Self.shortName(record.source)): \(Self.excerpt(record.message))", at: time)
        }
        for (index, critical) in Self.criticalMessages.enumerated() where Self.contains(any: Self.criticalNeedles[index], in: message) {
            raise(critical.measure, source: record.source, kind: .criticalMessage, severity: critical.severity,
                  explanation: "\(critical.what) (\(Self.shortName(record.source))): \(Self.excerpt(record.message))", at: time)
        }
        if authenticationFailure, failures >= configuration.authenticationFailures {
            raise("auth_failures", source: record.source, kind: .criticalMessage, severity: .warning,
                  explanation: "\(failures) failed logins in \(DurationText.format(configuration.hold)) (\(Self.shortName(record.source)))", at: time)
        }
    }

    private mutating func updateSource<T>(_ source: String, at time: Double, _ body: (inout SourceState) -> T) -> T {
        body(&sources[source, default: SourceState(firstSeen: time)])
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
