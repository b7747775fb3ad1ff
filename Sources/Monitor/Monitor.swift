import Collector
import Detection
import Dispatch
import FoundationEssentials
import Store
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// Drives collector → engine on one serial queue and publishes a `Snapshot` each tick.
///
/// All mutable state is confined to `queue`: the timer's handler runs there, and
/// `start`, `stop` and `sampleNow` hop onto it. That confinement is why the class
/// can be `@unchecked Sendable`.
public final class Monitor: @unchecked Sendable {
    /// How the monitor samples.
    public struct Settings: Sendable {
        /// Seconds between samples.
        public var interval: Double
        public var procRoot: String
        /// Where /sys is mounted (`/host/sys` in a container watching its host).
        public var sysRoot: String
        /// Values kept per signal for sparklines.
        public var historyLength: Int
        /// The SQLite database shared with other Vigil processes; nil keeps incidents in memory.
        public var databasePath: String?
        /// Who acknowledges from this process: the login name, or SUDO_USER.
        public var operatorName: String
        public var correlation: Correlator.Configuration
        /// The detector defaults and the static limits (`[thresholds]`).
        public var detection: DetectionEngine.Configuration

        /// Log files and globs to follow; empty follows none.
        public var logPatterns: [String] = []
        /// Read the log files that exist at the start whole, not from their end.
        public var logsFromStart = false
        /// Seconds between two polls of the log files.
        public var logPollInterval = 0.25
        /// Log records a snapshot carries, newest last.
        public var recentLogCapacity = 500
        /// The systemd journal to follow, or nil to leave it alone.
        public var journal: JournalReader.Place?
        /// Units to keep from the journal (`--journal-unit`); empty keeps all.
        public var journalUnits: [String] = []
        /// Where to write `vigil.prom` for node_exporter's textfile collector after each tick; nil writes none.
        public var textfileDirectory: String?
        /// Alertmanager's base URL (`http://127.0.0.1:9093`), to push incidents to; nil pushes none.
        public var alertmanagerURL: String?

        public init(
            interval: Double = 1, procRoot: String = "/proc", historyLength: Int = 240, sysRoot: String = "/sys",
            databasePath: String? = nil, operatorName: String = "operator", correlation: Correlator.Configuration = .standard,
            detection: DetectionEngine.Configuration = .standard
        ) {
            self.detection = detection
            self.interval = interval
            self.procRoot = procRoot
            self.sysRoot = sysRoot
            self.historyLength = historyLength
            self.databasePath = databasePath
            self.operatorName = operatorName
            self.correlation = correlation
        }
    }

    public let settings: Settings
    private let queue = DispatchQueue(label: "vigil.monitor", qos: .utility)
    private let publish: @Sendable (Snapshot) -> Void
    private var timer: DispatchSourceTimer?
    private let collector: HostCollector
    private var history: [SignalID: SignalHistory] = [:]
    private var sequence: UInt64 = 0
    private let recorder: IncidentRecorder
    private var correlator: Correlator
    private var engine: DetectionEngine
    private var lastSnapshot: Snapshot?
    /// Ticks since the engine's state was last saved.
    private var ticksSinceCheckpoint = 0
    private var logs: LogWatch
    private let textfile: TextfileExporter?
    private let alertmanager: AlertmanagerPlugin?

    /// - Parameters:
    ///   - settings: the sampling interval and where to read from.
    ///   - publish: called on the monitor's queue with each new snapshot; it must not block.
    public init(settings: Settings, publish: @escaping @Sendable (Snapshot) -> Void) {
        self.settings = settings
        self.publish = publish
        collector = HostCollector(procRoot: settings.procRoot, sysRoot: settings.sysRoot)
        recorder = IncidentRecorder(databasePath: settings.databasePath, operatorName: settings.operatorName)
        correlator = Correlator(configuration: settings.correlation)
        engine = DetectionEngine(configuration: settings.detection)
        logs = LogWatch(settings: settings)
        textfile = settings.textfileDirectory.map { TextfileExporter(directory: $0) }
        alertmanager = settings.alertmanagerURL.map { AlertmanagerPlugin(url: $0) }
        restoreCheckpoint()
        restoreTemplates()
    }

    /// Sends an operator's command; it is applied on the monitor's queue, committed,
    /// and a snapshot showing its effect is published at once.
    public func send(_ command: Command) {
        queue.async { [self] in
            let now = Self.wallClock()
            let outcome = recorder.perform(command, at: now)
            if case .resolve(let id, _) = command, outcome.failure == nil,
               let key = recorder.idsByKey.first(where: { $0.value == id })?.key {
                correlator.forget(key: key)
            }
            guard var snapshot = lastSnapshot else { return }
            snapshot.incidents = recorder.board(at: now, role: snapshot.incidents.role)
            alertmanager?.update(board: snapshot.incidents, host: snapshot.host.hostname, leader: snapshot.incidents.role == .leader, at: now)
            lastSnapshot = snapshot
            publish(snapshot)
        }
    }

    /// Starts sampling: one tick at once, then one per interval.
    public func start() {
        queue.async { [self] in
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            let nanos = Int(settings.interval * 1_000_000_000)
            // A little leeway lets the kernel batch wake-ups; an idle host stays idle.
            source.schedule(
                deadline: .now(), repeating: .nanoseconds(nanos),
                leeway: .nanoseconds(max(1_000_000, nanos / 20))
            )
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.publish(self.tick())
            }
            timer = source
            source.resume()
            logs.start(on: queue) { [weak self] in
                guard let self, var snapshot = self.logs.refreshed(self.lastSnapshot) else { return }
                self.sequence += 1
                snapshot.sequence = self.sequence
                self.lastSnapshot = snapshot
                self.publish(snapshot)
            }
        }
    }

    /// Stops sampling and waits for a tick in progress to finish.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            saveCheckpoint()
            logs.stop()
        }
    }

    /// Takes one sample now, on the monitor's queue, and returns its snapshot.
    public func sampleNow() -> Snapshot {
        queue.sync { tick() }
    }

    private func tick() -> Snapshot {
        let started = Self.threadCPUTime()
        let now = Self.wallClock()
        let sample = collector.collect(at: now)
        for reading in sample.readings {
            history[reading.id, default: SignalHistory(capacity: settings.historyLength)].append(reading.value)
        }
        sequence += 1
        // Exactly one process on a database runs the engine; the others show its incidents.
        logs.poll(now: now)
        let leader = recorder.isLeader
        var anomalies: [Anomaly] = []
        var flagged: [SignalID: Severity] = [:]
        var logReadings: [Reading] = []
        if leader {
            let silences = recorder.activeSilences(at: now).map { DetectionEngine.SilenceRule(pattern: $0.pattern, until: $0.until) }
            // Log lines read since the last tick: their rates are judged like any signal,
            // their new, bursting and critical messages are anomalies of their own.
            let logStep = logs.detectorStep(at: now)
            logReadings = logStep.readings
            let step = engine.step(sample.readings + logStep.readings, silences: silences, at: now)
            anomalies = step.anomalies + logStep.anomalies.map { anomaly in
                var marked = anomaly
                marked.silenced = silences.contains { Glob.matches($0.pattern, anomaly.signal.rawValue) }
                return marked
            }
            for (id, state) in step.states where state != .normal {
                flagged[id] = state == .critical ? .critical : .warning
            }
            recorder.share(anomalies: anomalies.filter(\.isActive), at: now)
            recorder.recordHistory(sample.readings + logStep.readings, at: now)
            recorder.record(correlator.step(anomalies: anomalies, processes: sample.processes, logLines: logs.evidence(since: now - settings.correlation.window), at: now))
            ticksSinceCheckpoint += 1
            // Encoding every baseline is the costliest thing the monitor does; every five
            // minutes (and at exit) keeps a restart close to where it was for little CPU.
            if Double(ticksSinceCheckpoint) * settings.interval >= 300 { saveCheckpoint() }
        } else {
            // Another process runs the engine: its anomalies, as it shared them.
            anomalies = recorder.anomaliesShared(at: now)
            for anomaly in anomalies where !anomaly.silenced {
                flagged[anomaly.signal] = max(flagged[anomaly.signal] ?? anomaly.severity, anomaly.severity)
            }
        }
        forgetVanishedSignals(current: sample.readings)
        var health = sample.health
        logs.report(into: &health)
        health.lastTickCost = Self.threadCPUTime() - started
        var snapshot = Snapshot(
            sequence: sequence, time: sample.time, interval: settings.interval, host: sample.host,
            cpu: sample.cpu, memory: sample.memory, readings: sample.readings, history: history,
            health: health, processes: sample.processes
        )
        snapshot.anomalies = anomalies.filter(\.isActive)
        snapshot.flagged = flagged
        snapshot.incidents = recorder.board(at: now, role: leader ? .leader : .follower)
        logs.fill(&snapshot)
        alertmanager?.update(board: snapshot.incidents, host: sample.host.hostname, leader: leader, at: now)
        snapshot.links = [logs.journalLink, alertmanager?.status].compactMap { $0 }
        if let textfile {
            textfile.export(snapshot, extraReadings: logReadings)
            // The textfile is named in the header only when it cannot be written.
            if !textfile.link.healthy { snapshot.links.append(textfile.link) }
        }
        lastSnapshot = snapshot
        return snapshot
    }

    /// What the engine must remember across a restart: the correlator and which store id
    /// each of its incidents has.
    struct Checkpoint: Codable {
        var correlator: Correlator
        var idsByKey: [Int: Int64]
        var engine: DetectionEngine?
    }

    private func saveCheckpoint() {
        ticksSinceCheckpoint = 0
        recorder.flushHistory()
        guard recorder.lease?.isHeld ?? true,
              let bytes = try? JSONEncoder().encode(Checkpoint(correlator: correlator, idsByKey: recorder.idsByKey, engine: engine))
        else { return }
        try? recorder.savedState.save(Array(bytes), key: "correlator", at: Self.wallClock())
        let learnt = logs.templates.map { StoredTemplate(id: $0.id.description, text: $0.text, count: $0.count, cluster: $0.clusterNumber) }
        if !learnt.isEmpty { try? recorder.templates.save(learnt, at: Self.wallClock()) }
    }

    private func restoreCheckpoint() {
        guard let saved = try? recorder.savedState.load(key: "correlator"),
              let checkpoint = try? JSONDecoder().decode(Checkpoint.self, from: Data(saved.state))
        else { return }
        correlator = checkpoint.correlator
        correlator.configuration = settings.correlation
        if var saved = checkpoint.engine {
            saved.configuration = settings.detection
            engine = saved
        }
        recorder.restore(idsByKey: checkpoint.idsByKey)
    }

    /// Gives the miner back the templates it had learnt, so known messages are not new.
    private func restoreTemplates() {
        let templates = ((try? recorder.templates.load()) ?? []).compactMap { stored in
            TemplateID(stored.id).map { LogTemplate(id: $0, text: stored.text, count: stored.count, clusterNumber: stored.cluster) }
        }
        logs.restore(templates: templates)
    }

    /// Drops, once per history length, the histories of signals not sampled in this tick:
    /// containers' interfaces and removed disks come and go, and their rings must not pile up.
    private func forgetVanishedSignals(current readings: [Reading]) {
        guard sequence % UInt64(max(1, settings.historyLength)) == 0, history.count > readings.count else { return }
        let live = Set(readings.map(\.id))
        history = history.filter { live.contains($0.key) }
    }

    /// Seconds since 1970; the corresponding C function is `clock_gettime(CLOCK_REALTIME)`.
    public static func wallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// CPU time this thread has used; the corresponding C function is `clock_gettime`.
    static func threadCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
