import Collector
import Detection
import Dispatch
import FoundationEssentials
import Store
import Synchronization
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
        /// A database whose recorded history primes the forecasts at start, read only: `vigil snapshot`
        /// forecasts from what a running Vigil recorded instead of from its own two samples.
        public var forecastHistory: String?
        /// The runbook (`[actions.NAME]`): programs the operator runs against incidents, some automatically.
        public var actions: [RunbookAction] = []
        /// Why configured actions were left out; the action list shows them.
        public var actionWarnings: [String] = []
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
    /// Whether the last tick ran the engine; nil before the first.
    private var wasLeader: Bool?
    private var logs: LogWatch
    /// Runbook actions started and not yet finished, by run id: their end is recorded even if Vigil stops first.
    private var runningActions: [Int64: (incident: Int64, action: String, process: RunningProcess)] = [:]
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
        if let path = settings.forecastHistory { primeForecasts(fromHistoryIn: path) }
    }

    /// Sends an operator's command; it is applied on the monitor's queue, committed,
    /// and a snapshot showing its effect is published at once.
    public func send(_ command: Command) {
        queue.async { [self] in
            let now = Self.wallClock()
            if case .runAction(let id, let name) = command {
                recorder.remember(CommandOutcome(command: command, failure: startAction(named: name, on: id, who: settings.operatorName, at: now), at: now))
                publishBoard(at: now)
                return
            }
            let outcome = recorder.perform(command, at: now)
            if case .resolve(let id, _) = command, outcome.failure == nil,
               let key = recorder.idsByKey.first(where: { $0.value == id })?.key {
                correlator.forget(key: key)
            }
            publishBoard(at: now)
        }
    }

    /// Publishes the last snapshot again with the incidents as the store has them now.
    private func publishBoard(at now: Double) {
        guard var snapshot = lastSnapshot else { return }
        snapshot.incidents = board(at: now, role: snapshot.incidents.role)
        alertmanager?.update(board: snapshot.incidents, host: snapshot.host.hostname, leader: snapshot.incidents.role == .leader, at: now)
        lastSnapshot = snapshot
        publish(snapshot)
    }

    /// The recorder's board with the runbook actions that apply to each incident.
    private func board(at now: Double, role: EngineRole) -> IncidentBoard {
        var board = recorder.board(at: now, role: role)
        board.actionWarnings = settings.actionWarnings
        guard !settings.actions.isEmpty else { return board }
        for incident in board.incidents {
            let applicable = settings.actions.filter { ActionMatching.applies($0, to: incident, detail: board.details[incident.id]) }
            if !applicable.isEmpty { board.actions[incident.id] = applicable }
        }
        return board
    }

    /// Starts a runbook action on an incident, off the monitor's queue; its start and result are timeline events.
    /// - Returns: why it could not start, or nil.
    private func startAction(named name: String, on id: Int64, who: String?, at now: Double) -> String? {
        guard let action = settings.actions.first(where: { $0.name == name }) else { return "no action named \(name) in [actions]" }
        guard let incident = try? recorder.incidents.incident(id) else { return "no incident #\(id)" }
        let detail = try? recorder.incidents.detail(id)
        guard ActionMatching.applies(action, to: incident, detail: detail) else { return "\(name) does not apply to #\(id)" }
        return launch(action, on: incident, detail: detail, who: who, at: now)
    }

    /// Claims the run in the store (an automatic action only once per incident) and runs it on the action queue.
    /// - Returns: why it could not start, or nil (also when an automatic action already ran).
    private func launch(_ action: RunbookAction, on incident: Incident, detail: IncidentDetail?, who: String?, at now: Double) -> String? {
        let run: Int64
        let process = RunningProcess()
        do {
            guard let claimed = try recorder.incidents.startAction(incident.id, action: action.name, automatic: who == nil, who: who, at: now) else { return nil }
            run = claimed
            runningActions[run] = (incident.id, action.name, process)
            recorder.storeChanged()
        } catch {
            return "cannot record the run: \(error)"
        }
        let environment = ActionRunner.environment(for: incident, detail: detail, action: action, trigger: who ?? "automatic", host: lastSnapshot?.host.hostname ?? "")
        DispatchQueue.global(qos: .utility).async { [weak self] in
            let result = ActionRunner.run(action, environment: environment) { pid in process.pid.withLock { $0 = pid } }
            guard let self else { return }
            self.queue.async {
                let end = Self.wallClock()
                // Stopped meanwhile: the end was already recorded.
                guard self.runningActions.removeValue(forKey: run) != nil else { return }
                self.recorder.storeChanged()
                do {
                    try self.recorder.incidents.finishAction(run, incident: incident.id, action: action.name, summary: result.summary, output: result.output, at: end)
                } catch {
                    self.recorder.remember(CommandOutcome(command: .runAction(incident: incident.id, action: action.name), failure: "cannot record \(action.name): \(error)", at: end))
                }
                if result.status != .exited(0) {
                    // The footer says what went wrong; a success speaks through the timeline only.
                    self.recorder.remember(CommandOutcome(command: .runAction(incident: incident.id, action: action.name), failure: "\(action.name) on #\(incident.id): \(result.summary)", at: end))
                }
                self.publishBoard(at: end)
            }
        }
        return nil
    }

    /// Runs the automatic actions that apply to incidents opened on this tick.
    private func runAutomaticActions(_ changes: [Correlator.Change], at now: Double) {
        guard settings.actions.contains(where: \.automatic) else { return }
        for change in changes {
            guard case .opened(let key, let title, let severity, let root, let detail, let at) = change, let id = recorder.idsByKey[key] else { continue }
            let incident = Incident(id: id, title: title, severity: severity, state: .open, openedAt: at, updatedAt: at, rootSignal: root)
            for action in settings.actions where action.automatic && ActionMatching.applies(action, to: incident, detail: detail) {
                if let failure = launch(action, on: incident, detail: detail, who: nil, at: now) {
                    recorder.remember(CommandOutcome(command: .runAction(incident: id, action: action.name), failure: failure, at: now))
                }
            }
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
            logs.start(on: queue)
        }
    }

    /// Stops sampling and waits for a tick in progress to finish.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            saveCheckpoint()
            logs.stop()
            // Nobody would watch an action's timeout once Vigil is gone: it ends with Vigil, and its
            // timeline says so instead of stopping at "started".
            for (run, running) in runningActions {
                let pid = running.process.pid.withLock { $0 }
                if pid > 0 { kill(-pid, SIGTERM) }
                try? recorder.incidents.finishAction(run, incident: running.incident, action: running.action,
                                                     summary: "ended with Vigil (SIGTERM to its process group)", output: [], at: Self.wallClock())
            }
            runningActions.removeAll()
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
        // Taking the engine over, or starting with it: incidents the checkpoint does not know
        // (opened after it was saved, before a crash) are carried on too.
        if leader, wasLeader != true { takeOver(at: now, restoring: wasLeader == false) }
        wasLeader = leader
        var anomalies: [Anomaly] = []
        var flagged: [SignalID: Severity] = [:]
        var forecasts: [Forecast] = []
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
            forecasts = step.forecasts
            // A silenced signal is recorded but not coloured, as a follower shows it.
            for (id, state) in step.states where state != .normal && !silences.contains(where: { Glob.matches($0.pattern, id.rawValue) }) {
                flagged[id] = state == .critical ? .critical : .warning
            }
            recorder.share(anomalies: anomalies.filter(\.isActive), forecasts: step.forecasts, at: now)
            recorder.recordHistory(sample.readings + logStep.readings, at: now)
            let changes = correlator.step(anomalies: anomalies, processes: sample.processes, logLines: logs.evidence(since: now - settings.correlation.window), at: now)
            recorder.record(changes)
            runAutomaticActions(changes, at: now)
            ticksSinceCheckpoint += 1
            // Encoding every baseline is the costliest thing the monitor does; every five
            // minutes (and at exit) keeps a restart close to where it was for little CPU.
            if Double(ticksSinceCheckpoint) * settings.interval >= 300 { saveCheckpoint() }
        } else {
            // The log detector steps here too, its results unused: it ends each tick's counts,
            // so taking over later does not see every line read while following as one burst.
            _ = logs.detectorStep(at: now)
            // Another process runs the engine: its anomalies and forecasts, as it shared them.
            let shared = recorder.engineViewShared(at: now)
            anomalies = shared.anomalies
            forecasts = shared.forecasts
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
        snapshot.forecasts = forecasts
        if leader {
            let ready = engine.readyCount
            snapshot.detector = DetectorHealth(signalsReady: ready, signalsWarmingUp: engine.signalCount - ready, logTemplates: logs.templateCount)
        }
        snapshot.incidents = board(at: now, role: leader ? .leader : .follower)
        if leader { forgetResolvedElsewhere(snapshot.incidents) }
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
        /// Absent in checkpoints written before it was saved.
        var logDetector: LogDetector?
    }

    private func saveCheckpoint() {
        ticksSinceCheckpoint = 0
        recorder.flushHistory()
        recorder.keepIDs(forKeys: correlator.trackedKeys)
        guard recorder.lease?.isHeld ?? true,
              let bytes = try? JSONEncoder().encode(Checkpoint(correlator: correlator, idsByKey: recorder.idsByKey, engine: engine, logDetector: logs.detector))
        else { return }
        try? recorder.savedState.save(Array(bytes), key: "correlator", at: Self.wallClock())
        let learnt = logs.templates.map { StoredTemplate(id: $0.id.description, text: $0.text, count: $0.count, cluster: $0.clusterNumber) }
        if !learnt.isEmpty { try? recorder.templates.save(learnt, at: Self.wallClock()) }
        // Encoding every baseline briefly takes a megabyte or two; give the freed pages back to
        // the system rather than keep them in the allocator's arenas for the next five minutes.
        Self.trimAllocator?(0)
    }

    /// glibc's `malloc_trim` (from <malloc.h>, which the Glibc module leaves out), looked up once.
    private static let trimAllocator: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// This process runs the engine now that the one that did has exited: it starts from
    /// that engine's last checkpoint and goes on with every incident still live in the store,
    /// so they resolve (or grow) as if one engine had run throughout.
    private func takeOver(at now: Double, restoring: Bool) {
        // The log detector stays this process's own: it has read the same lines as a follower.
        // At the start the checkpoint was restored already.
        if restoring { restoreCheckpoint(logDetector: false) }
        let board = recorder.board(at: now, role: .leader)
        let keys = Dictionary(recorder.idsByKey.map { ($0.value, $0.key) }, uniquingKeysWith: max)
        let live = board.incidents.filter { $0.state != .resolved }
        // The board carries the details of its first 50 incidents; the others are read here.
        let adopted = correlator.takeOver(
            live: live.map { (keys[$0.id], board.details[$0.id] ?? (try? recorder.incidents.detail($0.id)) ?? IncidentDetail()) },
            at: now)
        for (incident, key) in zip(live, adopted) {
            if let key { recorder.link(key: key, to: incident.id) }
        }
        // Members ended at the handover end in the saved detail too, which the incident view shows.
        let liveIDs = Set(live.map(\.id))
        for (key, id) in recorder.idsByKey where liveIDs.contains(id) {
            if let detail = correlator.detail(forKey: key) { try? recorder.incidents.saveDetail(id, detail) }
        }
    }

    /// An incident resolved by `vigil resolve` or on another dashboard is done with here too:
    /// its members open nothing more, and new trouble opens a new incident instead of
    /// joining one nobody sees.
    private func forgetResolvedElsewhere(_ board: IncidentBoard) {
        let open = Set(correlator.openKeys)
        guard !open.isEmpty else { return }
        let resolved = Set(board.incidents.filter { $0.state == .resolved }.map(\.id))
        for (key, id) in recorder.idsByKey where open.contains(key) && resolved.contains(id) {
            correlator.forget(key: key)
        }
    }

    private func restoreCheckpoint(logDetector: Bool = true) {
        guard let saved = try? recorder.savedState.load(key: "correlator"),
              let checkpoint = try? JSONDecoder().decode(Checkpoint.self, from: Data(saved.state))
        else { return }
        correlator = checkpoint.correlator
        correlator.configuration = settings.correlation
        if var saved = checkpoint.engine {
            saved.configuration = settings.detection
            engine = saved
        }
        if logDetector, var saved = checkpoint.logDetector {
            saved.configuration = logs.detector.configuration
            logs.detector = saved
        }
        recorder.restore(idsByKey: checkpoint.idsByKey)
    }

    /// Replays the last window of per-second history of the signals that can run out (and their
    /// limits) into the engine's forecasts. Reads only; a database that cannot be read primes nothing.
    private func primeForecasts(fromHistoryIn path: String) {
        guard let database = try? Database(path: path), let history = try? HistoryStore(database: database) else { return }
        let forecaster = settings.detection.forecast.forecaster
        let since = Self.wallClock() - Double(forecaster.windowBuckets * forecaster.samplesPerBucket)
        guard let signals = try? history.signals(since: since) else { return }
        var byTime: [Double: [Reading]] = [:]
        for signal in signals where engine.forecasting.needsHistory(of: signal) {
            for row in (try? history.seconds(of: signal, since: since)) ?? [] {
                byTime[row.at, default: []].append(Reading(signal, row.value, .count))
            }
        }
        for time in byTime.keys.sorted() {
            engine.primeForecasts(byTime[time]!, at: time)
        }
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

/// The pid of a runbook action's program, set by the thread that runs it and read when Vigil stops.
final class RunningProcess: Sendable {
    let pid = Mutex<pid_t>(0)
}
