import Detection
import FoundationEssentials
import Store
import Telemetry

/// Keeps incidents in the store: records the correlator's changes (when this
/// process runs the engine), applies the operator's commands, and reads the board
/// the screen shows.
///
/// A database that cannot be opened (corrupt, locked, unwritable) does not stop
/// the dashboard: it runs on an in-memory database and the board carries a warning.
final class IncidentRecorder {
    let incidents: IncidentStore
    let silences: SilenceStore
    let savedState: KeyedStateStore
    let history: HistoryStore
    let templates: TemplateStore
    let lease: EngineLease?
    let operatorName: String
    private(set) var storeWarning: String?
    /// Correlator keys of incidents this process opened, and their ids in the store.
    private(set) var idsByKey: [Int: Int64] = [:]
    private var lastChange: Int64 = -1
    private var cachedBoard = IncidentBoard()
    private var lastOutcome: CommandOutcome?

    init(databasePath: String?, operatorName: String) {
        self.operatorName = operatorName
        var opened: (IncidentStore, SilenceStore, KeyedStateStore, HistoryStore, TemplateStore, EngineLease?)? = nil
        if let databasePath {
            do {
                let database = try Database(path: databasePath)
                opened = (try IncidentStore(database: database), try SilenceStore(database: database), try KeyedStateStore(database: database),
                          try HistoryStore(database: database), try TemplateStore(database: database), EngineLease(databasePath: databasePath))
            } catch {
                let advice = error.isCorrupt ? "damaged or not a Vigil database; move it aside" : error.isBusy ? "locked by another process" : "cannot be used"
                storeWarning = "database \(databasePath) \(advice) (\(error.message)); incidents kept in memory only"
            }
        }
        if opened == nil {
            // In memory: nothing survives a restart, which the warning says.
            do {
                let database = try Database(path: ":memory:")
                opened = (try IncidentStore(database: database), try SilenceStore(database: database), try KeyedStateStore(database: database),
                          try HistoryStore(database: database), try TemplateStore(database: database), nil)
            } catch {
                // Only a broken SQLite library or no memory at all gets here: nothing to fall back on.
                fatalError("SQLite cannot open an in-memory database: \(error)")
            }
        }
        (incidents, silences, savedState, history, templates, lease) = opened!
    }

    /// What the engine's process shares with the other dashboards on its database: the active
    /// anomalies, and the forecasts whose limit is inside the horizon (the panels' "full in").
    struct EngineView: Codable, Equatable {
        var anomalies: [Anomaly] = []
        var forecasts: [Forecast] = []
    }

    /// What was last shared with followers, and when.
    private var lastShared: EngineView?
    private var sharedAt = -Double.infinity
    /// The key under which the engine's process shares its view.
    static let engineViewKey = "engine_view"
    /// A shared view older than this is from an engine that stopped: a follower shows nothing of it.
    static let sharedViewLifetime: Double = 15

    /// Run by the engine's process each tick: the active anomalies and the forecasts that are
    /// news go to the store for the other dashboards on this database, when they changed and at
    /// least every five seconds.
    func share(anomalies: [Anomaly], forecasts: [Forecast], at time: Double) {
        let view = EngineView(anomalies: anomalies, forecasts: forecasts.filter(\.isNews))
        guard lastShared.map({ !Self.same($0, view) }) ?? true || time - sharedAt >= 5 else { return }
        guard let bytes = try? JSONEncoder().encode(view) else { return }
        do {
            try savedState.save(Array(bytes), key: Self.engineViewKey, at: time)
            lastShared = view
            sharedAt = time
        } catch {
            // A follower then shows no anomalies; the engine and the incidents carry on.
        }
    }

    /// Whether two views say the same: the forecasts' countdowns alone can wait for the five seconds.
    private static func same(_ a: EngineView, _ b: EngineView) -> Bool {
        a.anomalies == b.anomalies && a.forecasts.map { [$0.signal.rawValue, $0.status.rawValue] } == b.forecasts.map { [$0.signal.rawValue, $0.status.rawValue] }
    }

    /// Run by a follower: what the engine's process shared, its countdowns brought up to
    /// `time`; nothing when it has not shared for a while (it stopped, and this process
    /// will take the lease).
    func engineViewShared(at time: Double) -> EngineView {
        guard let saved = try? savedState.load(key: Self.engineViewKey),
              time - saved.savedAt < Self.sharedViewLifetime,
              var view = try? JSONDecoder().decode(EngineView.self, from: Data(saved.state)) else { return EngineView() }
        let elapsed = max(0, time - saved.savedAt)
        for index in view.forecasts.indices {
            view.forecasts[index].secondsToLimit = view.forecasts[index].secondsToLimit.map { max(0, $0 - elapsed) }
        }
        return view
    }

    /// Takes back the correlator's key-to-id map saved before a restart.
    func restore(idsByKey: [Int: Int64]) {
        self.idsByKey = idsByKey
    }

    /// Forgets the store ids of keys the correlator no longer tracks: no change will come for
    /// them, and the map is walked every tick and saved with each checkpoint.
    func keepIDs(forKeys keys: Set<Int>) {
        idsByKey = idsByKey.filter { keys.contains($0.key) }
    }

    /// Ties a correlator key to an incident of the store, for an incident taken over.
    func link(key: Int, to id: Int64) {
        idsByKey[key] = id
    }

    /// Whether this process should run the engine now: it holds the lease (or has no
    /// database to share). Asked every tick, so a follower takes over when the leader exits.
    var isLeader: Bool {
        guard let lease else { return true }
        return lease.tryAcquire()
    }

    /// Writes the correlator's changes; each is committed before the next tick's snapshot.
    func record(_ changes: [Correlator.Change]) {
        // data_version only moves for other connections' commits; ours must refresh the board too.
        if !changes.isEmpty { lastChange = -1 }
        for change in changes {
            do {
                switch change {
                case .opened(let key, let title, let severity, let root, let detail, let at):
                    let incident = try incidents.open(title: title, severity: severity, rootSignal: root, at: at)
                    idsByKey[key] = incident.id
                    try incidents.saveDetail(incident.id, detail)
                    for member in detail.members { try incidents.recordMember(incident.id, member) }
                case .memberJoined(let key, let member, let title, let severity, let root, let detail):
                    guard let id = idsByKey[key] else { continue }
                    try incidents.update(id, title: title, severity: severity, rootSignal: root,
                                         event: TimelineEvent(at: member.onset, kind: .memberJoined, text: member.explanation))
                    try incidents.saveDetail(id, detail)
                    try incidents.recordMember(id, member)
                case .memberCleared(let key, let member):
                    guard let id = idsByKey[key], let current = try incidents.incident(id) else { continue }
                    try incidents.update(id, title: current.title, severity: current.severity, rootSignal: current.rootSignal,
                                         event: TimelineEvent(at: member.end ?? member.onset, kind: .memberCleared, text: member.endedAtNewLevel
                                                                  ? "\(member.signal) stayed at its new level, now learnt as normal"
                                                                  : "\(member.signal) back in band"))
                    try incidents.recordMember(id, member)
                    // The incident view reads its members from the saved detail: it must show the end.
                    var detail = try incidents.detail(id)
                    if let index = detail.members.firstIndex(where: { $0.id == member.id }) {
                        detail.members[index] = member
                        try incidents.saveDetail(id, detail)
                    }
                case .resolved(let key, let at):
                    guard let id = idsByKey[key] else { continue }
                    if try incidents.incident(id)?.state != .resolved {
                        _ = try incidents.resolve(id, who: nil, reason: "all members back in band", at: at)
                    }
                case .renamed(let key, let title, let severity, let root, let detail):
                    guard let id = idsByKey[key] else { continue }
                    try incidents.update(id, title: title, severity: severity, rootSignal: root, event: nil)
                    try incidents.saveDetail(id, detail)
                case .reopened(let key, let member, let detail):
                    guard let id = idsByKey[key] else { continue }
                    _ = try incidents.reopen(id, reason: member.explanation, at: member.onset)
                    try incidents.saveDetail(id, detail)
                    try incidents.recordMember(id, member)
                }
            } catch {
                storeWarning = "cannot write incidents: \(error)"
            }
        }
    }

    /// Applies an operator's command; the outcome reaches the screen with the next snapshot.
    func perform(_ command: Command, at time: Double) -> CommandOutcome {
        var failure: String? = nil
        do {
            switch command {
            case .acknowledge(let id, let note):
                _ = try incidents.acknowledge(id, who: operatorName, note: note, at: time)
            case .resolve(let id, let note):
                _ = try incidents.resolve(id, who: operatorName, reason: note ?? "resolved by hand", at: time)
            case .addNote(let id, let text):
                _ = try incidents.addNote(id, who: operatorName, text: text, at: time)
            case .silence(let pattern, let seconds, let note):
                _ = try silences.add(pattern: pattern, until: time + seconds, by: operatorName, note: note, at: time)
            case .runAction:
                // Started by the monitor, which owns the runner; it reports through `remember`.
                break
            }
        } catch {
            failure = "\(error)"
        }
        let outcome = CommandOutcome(command: command, failure: failure, at: time)
        lastOutcome = outcome
        lastChange = -1
        return outcome
    }

    /// Keeps the outcome of a command the monitor carried out itself, for the screen.
    func remember(_ outcome: CommandOutcome) {
        lastOutcome = outcome
        lastChange = -1
    }

    /// Makes the next board re-read the store after this process wrote to it directly
    /// (data_version only moves for other connections' commits).
    func storeChanged() {
        lastChange = -1
    }

    /// Keeps this tick's readings in the downsampled history (1 s for an hour, 1 min for a week).
    func recordHistory(_ readings: [Reading], at time: Double) {
        do {
            try history.record(readings, at: time)
        } catch {
            storeWarning = "cannot write history: \(error)"
        }
    }

    /// Writes the minute of history in progress now (at exit).
    func flushHistory() {
        do {
            try history.flush()
        } catch {
            storeWarning = "cannot write history: \(error)"
        }
    }

    /// Silences in force, for the engine.
    func activeSilences(at time: Double) -> [Silence] {
        (try? silences.active(at: time)) ?? []
    }

    /// The incidents the screen shows: open ones and those resolved in the last hour.
    /// Re-read only when this or another process committed something since the last call.
    func board(at time: Double, role: EngineRole) -> IncidentBoard {
        let change = (try? incidents.changeCounter()) ?? -2
        if change == lastChange, change >= 0 {
            cachedBoard.role = role
            cachedBoard.storeWarning = storeWarning
            cachedBoard.lastOutcome = lastOutcome
            return cachedBoard
        }
        lastChange = change
        var board = IncidentBoard(role: role, storeWarning: storeWarning, lastOutcome: lastOutcome)
        do {
            board.incidents = try incidents.incidents(includingResolved: false) + incidents.resolved(since: time - 3600)
            for incident in board.incidents.prefix(50) {
                board.details[incident.id] = try incidents.detail(incident.id)
                board.timelines[incident.id] = try incidents.timeline(incident.id)
            }
        } catch {
            board.storeWarning = "cannot read incidents: \(error)"
        }
        cachedBoard = board
        return board
    }
}

extension Database.Failure {
    /// SQLite's message without the path, for a one-line warning.
    var message: String {
        let text = description
        return text.hasPrefix(path + ": ") ? String(text.dropFirst(path.count + 2)) : text
    }
}
