import Telemetry

/// Groups anomalies into incidents, ranks their likely causes, and decides when an
/// incident resolves or comes back.
///
/// Pure and deterministic: the caller hands in each tick's anomalies, processes and
/// log evidence with the time, and gets back the changes to record. Anomalies that
/// begin within `window` seconds of an incident's latest member, or while it still has
/// active members, join it when they share an entity tag (the host's CPU or memory, a
/// disk, a mount, an interface, a log source). All members back in band for `grace`
/// seconds resolve it; a related anomaly within `grace` after that reopens it.
public struct Correlator: Sendable, Codable {
    /// How close in time and how long to wait.
    public struct Configuration: Sendable, Codable, Equatable {
        /// Seconds between onsets that still count as "together".
        public var window: Double
        /// Seconds all members must stay clear before the incident resolves.
        public var grace: Double

        public init(window: Double = 120, grace: Double = 300) {
            self.window = window
            self.grace = grace
        }

        public static let standard = Configuration()
    }

    /// One change to record, in the order it happened.
    public enum Change: Hashable, Sendable {
        case opened(key: Int, title: String, severity: Severity, rootSignal: SignalID?, detail: IncidentDetail, at: Double)
        case memberJoined(key: Int, member: Anomaly, title: String, severity: Severity, rootSignal: SignalID?, detail: IncidentDetail)
        case memberCleared(key: Int, member: Anomaly)
        case resolved(key: Int, at: Double)
        case reopened(key: Int, member: Anomaly, detail: IncidentDetail)
        /// A young incident's culprit showed itself after onset: the title and evidence now name it.
        case renamed(key: Int, title: String, severity: Severity, rootSignal: SignalID?, detail: IncidentDetail)
    }

    /// An incident as the correlator tracks it.

    struct Tracked: Sendable, Codable {
        var key: Int
        var tags: Set<String>
        var members: [String: Anomaly]
        var latestOnset: Double
        /// When the last member cleared; nil while any is active.
        var clearedAt: Double?
        var resolvedAt: Double?
        var processes: [ProcessSample]
        var logLines: [EvidenceLine]
    }

    public var configuration: Configuration
    var tracked: [Tracked] = []
    var nextKey = 1
    /// Active anomalies of incidents resolved by hand; forgotten as they end.
    var dismissed: Set<String> = []
    /// Recent process tables, to see which process grew most since before onset.
    var recentProcesses: [(time: Double, summary: ProcessSummary)] = []

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    enum CodingKeys: String, CodingKey {
        case configuration, tracked, nextKey, dismissed
    }

    /// Keys of every incident tracked, resolved ones within their grace period included.
    public var trackedKeys: Set<Int> { Set(tracked.map(\.key)) }

    /// Keys of incidents not yet resolved.
    public var openKeys: [Int] {
        tracked.filter { $0.resolvedAt == nil }.map(\.key)
    }

    /// Takes one tick's view of the host.
    /// - Parameters:
    ///   - anomalies: every anomaly the detectors report this tick, active or just ended.
    ///   - processes: the process table's top lists, for naming the process behind it.
    ///   - logLines: recent log lines worth keeping as evidence (errors, new or bursting templates).
    ///   - time: seconds since 1970.
    public mutating func step(anomalies: [Anomaly], processes: ProcessSummary?, logLines: [EvidenceLine] = [], at time: Double) -> [Change] {
        if let processes {
            recentProcesses.append((time, processes))
            recentProcesses.removeAll { time - $0.time > configuration.window }
        }
        var changes: [Change] = []
        // Anomalies that ended are applied before the resolution pass, so the grace period
        // counts from their end; new ones after it, so a long-quiet incident is not joined.
        for anomaly in anomalies where !anomaly.isActive {
            if let index = tracked.firstIndex(where: { $0.members[anomaly.id]?.isActive == true }) {
                tracked[index].members[anomaly.id] = anomaly
                changes.append(.memberCleared(key: tracked[index].key, member: anomaly))
            }
        }
        changes += resolveQuietIncidents(logLines: logLines, at: time)
        for anomaly in anomalies.sorted(by: { ($0.onset, $0.signal) < ($1.onset, $1.signal) }) {
            if dismissed.contains(anomaly.id) {
                if !anomaly.isActive { dismissed.remove(anomaly.id) }
                continue
            }
            if let index = tracked.firstIndex(where: { $0.members[anomaly.id] != nil }) {
                let wasActive = tracked[index].members[anomaly.id]!.isActive
                tracked[index].members[anomaly.id] = anomaly
                if wasActive && !anomaly.isActive {
                    changes.append(.memberCleared(key: tracked[index].key, member: anomaly))
                }
                continue
            }
            guard anomaly.isActive else { continue }
            let tags = SignalEntity(anomaly.signal).tags
            if let index = bestMatch(for: anomaly, tags: tags, at: time) {
                let reopening = tracked[index].resolvedAt != nil
                tracked[index].members[anomaly.id] = anomaly
                keepEvidence(logLines, around: anomaly.onset, in: index)
                tracked[index].tags.formUnion(tags)
                tracked[index].latestOnset = max(tracked[index].latestOnset, anomaly.onset)
                tracked[index].clearedAt = nil
                tracked[index].resolvedAt = nil
                if !reopening {
                    // The first anomaly may have come before the culprit was busy (a noisy
                    // tick, a process still starting): name what is behind the incident's
                    // likeliest cause as the host looks now.
                    refreshProcesses(of: index)
                }
                let detail = detail(of: tracked[index])
                if reopening {
                    changes.append(.reopened(key: tracked[index].key, member: anomaly, detail: detail))
                } else {
                    let summary = summary(of: detail)
                    changes.append(.memberJoined(key: tracked[index].key, member: anomaly, title: summary.title, severity: summary.severity, rootSignal: summary.root, detail: detail))
                }
            } else if !anomaly.silenced {
                // A silenced anomaly is recorded with any incident it belongs to, but never opens one.
                var incident = Tracked(
                    key: nextKey, tags: tags, members: [anomaly.id: anomaly], latestOnset: anomaly.onset,
                    processes: [], logLines: []
                )
                nextKey += 1
                incident.processes = processesBehind(SignalEntity(anomaly.signal).resource)
                incident.logLines = Array(logLines.filter { abs($0.time - anomaly.onset) <= configuration.window }.prefix(20))
                tracked.append(incident)
                let detail = detail(of: incident)
                let summary = summary(of: detail)
                changes.append(.opened(key: incident.key, title: summary.title, severity: summary.severity, rootSignal: summary.root, detail: detail, at: anomaly.onset))
            }
        }
        changes += nameLateCulprits(changed: Set(changes.compactMap(\.joinedKey)), at: time)
        // Resolved incidents can reopen only within the grace period; then they are history.
        tracked.removeAll { incident in
            guard let resolved = incident.resolvedAt else { return false }
            return time - resolved > configuration.grace
        }
        return changes
    }

    /// Keeps the log lines around a joining member's onset with the incident: the "No space
    /// left on device" of an application that joins a disk that began filling minutes ago is
    /// the evidence the operator wants. At most 20 lines: the first ten (around the start)
    /// and the newest.
    private mutating func keepEvidence(_ logLines: [EvidenceLine], around onset: Double, in index: Int) {
        let fresh = logLines.filter { abs($0.time - onset) <= configuration.window && !tracked[index].logLines.contains($0) }
        guard !fresh.isEmpty else { return }
        let all = tracked[index].logLines + fresh
        tracked[index].logLines = all.count <= 20 ? all : Array(all.prefix(10) + all.suffix(10))
    }

    /// An incident can open on its first sample, before the process behind it has used a
    /// whole interval of CPU (or I/O): for as long as it is young (the correlation window),
    /// each tick looks again at the processes behind its likeliest cause, so the title
    /// names the culprit as soon as it shows rather than a bystander, or nobody, at onset.
    /// - Parameter changed: keys that already had a member join this tick (refreshed there).
    private mutating func nameLateCulprits(changed: Set<Int>, at time: Double) -> [Change] {
        var changes: [Change] = []
        for index in tracked.indices where tracked[index].resolvedAt == nil && !changed.contains(tracked[index].key) {
            let onset = tracked[index].members.values.map(\.onset).min() ?? time
            guard time - onset <= configuration.window else { continue }
            let before = tracked[index].processes.first
            refreshProcesses(of: index)
            guard tracked[index].processes.first != before else { continue }
            let detail = detail(of: tracked[index])
            let summary = summary(of: detail)
            changes.append(.renamed(key: tracked[index].key, title: summary.title, severity: summary.severity, rootSignal: summary.root, detail: detail))
        }
        return changes
    }

    /// Keeps late evidence with young incidents and resolves those quiet for the grace period.
    private mutating func resolveQuietIncidents(logLines: [EvidenceLine], at time: Double) -> [Change] {
        var changes: [Change] = []
        for index in tracked.indices where tracked[index].resolvedAt == nil {
            // Evidence arriving shortly after onset still belongs to the incident.
            let onset = tracked[index].members.values.map(\.onset).min() ?? time
            if time - onset <= configuration.window {
                let fresh = logLines.filter { line in
                    abs(line.time - onset) <= configuration.window && !tracked[index].logLines.contains(line)
                }
                tracked[index].logLines = Array((tracked[index].logLines + fresh).prefix(20))
            }
            let active = tracked[index].members.values.contains { $0.isActive }
            if active {
                tracked[index].clearedAt = nil
            } else {
                let cleared = tracked[index].clearedAt ?? (tracked[index].members.values.compactMap(\.end).max() ?? time)
                tracked[index].clearedAt = cleared
                if time - cleared >= configuration.grace {
                    tracked[index].resolvedAt = cleared + configuration.grace
                    changes.append(.resolved(key: tracked[index].key, at: time))
                }
            }
        }
        return changes
    }

    /// Forgets an incident the operator resolved by hand: its members, even those still
    /// active, are done with and open nothing more; the next new anomaly opens a new incident.
    public mutating func forget(key: Int) {
        for incident in tracked where incident.key == key {
            dismissed.formUnion(incident.members.values.filter(\.isActive).map(\.id))
        }
        tracked.removeAll { $0.key == key }
    }

    /// Takes over incidents when another process's engine stopped and this one runs now.
    ///
    /// The incidents still live in the store go on: those this correlator tracks (from a
    /// checkpoint) keep their keys, the others are adopted with the members their detail
    /// lists. Members this engine did not report itself are taken as ended now, since no
    /// detector here will ever say they ended; a member the detectors report again becomes
    /// active again, and new trouble on the same entity joins. So each incident resolves
    /// after the grace period, or carries on, exactly as if one engine had run throughout.
    /// Tracked incidents the store no longer has live are dropped.
    /// - Parameters:
    ///   - live: the store's unresolved incidents: their key when tracked, and their detail.
    /// - Returns: the keys given to adopted incidents, in the order of `live`.
    public mutating func takeOver(live: [(key: Int?, detail: IncidentDetail)], at time: Double) -> [Int?] {
        let keep = Set(live.compactMap(\.key))
        tracked.removeAll { !keep.contains($0.key) && $0.resolvedAt == nil }
        for index in tracked.indices {
            // Live in the store, so live here, whatever an older checkpoint thought; and with
            // every member the store has, some of which joined after the checkpoint.
            if keep.contains(tracked[index].key) {
                tracked[index].resolvedAt = nil
                tracked[index].clearedAt = nil
                if let detail = live.first(where: { $0.key == tracked[index].key })?.detail {
                    for member in detail.members where tracked[index].members[member.id] == nil {
                        tracked[index].members[member.id] = member
                        tracked[index].tags.formUnion(SignalEntity(member.signal).tags)
                        tracked[index].latestOnset = max(tracked[index].latestOnset, member.onset)
                    }
                }
            }
            for (id, member) in tracked[index].members where member.isActive {
                var ended = member
                ended.end = time
                tracked[index].members[id] = ended
            }
        }
        return live.map { entry in
            if let key = entry.key, tracked.contains(where: { $0.key == key }) { return nil }
            guard !entry.detail.members.isEmpty else { return nil }
            var members: [String: Anomaly] = [:]
            var tags: Set<String> = []
            for member in entry.detail.members {
                var ended = member
                if ended.isActive { ended.end = time }
                members[member.id] = ended
                tags.formUnion(SignalEntity(member.signal).tags)
            }
            let incident = Tracked(
                key: nextKey, tags: tags, members: members, latestOnset: members.values.map(\.onset).max() ?? time,
                processes: entry.detail.processesAtOnset, logLines: entry.detail.logLines
            )
            nextKey += 1
            tracked.append(incident)
            return incident.key
        }
    }

    /// The current detail of an incident, if tracked.
    public func detail(forKey key: Int) -> IncidentDetail? {
        tracked.first { $0.key == key }.map(detail(of:))
    }

    private func bestMatch(for anomaly: Anomaly, tags: Set<String>, at time: Double) -> Int? {
        var best: (index: Int, distance: Double)? = nil
        for (index, incident) in tracked.enumerated() where !incident.tags.isDisjoint(with: tags) {
            let hasActive = incident.members.values.contains { $0.isActive }
            let distance = anomaly.onset - incident.latestOnset
            let close = distance <= configuration.window
            let recentlyResolved = incident.resolvedAt.map { time - $0 <= configuration.grace } ?? false
            let awaitingResolution = incident.clearedAt != nil && incident.resolvedAt == nil
            guard hasActive || close || recentlyResolved || awaitingResolution else { continue }
            if best == nil || abs(distance) < best!.distance {
                best = (index, abs(distance))
            }
        }
        return best?.index
    }

    private func detail(of incident: Tracked) -> IncidentDetail {
        let members = incident.members.values.sorted { ($0.onset, $0.signal) < ($1.onset, $1.signal) }
        return IncidentDetail(
            members: members,
            candidates: RootCauseRanking.rank(members, processes: incident.processes, window: configuration.window),
            processesAtOnset: incident.processes,
            logLines: incident.logLines
        )
    }

    private func summary(of detail: IncidentDetail) -> (title: String, severity: Severity, root: SignalID?) {
        let severity = detail.members.map(\.severity).max() ?? .warning
        guard let best = detail.candidates.first else { return ("Anomaly", severity, nil) }
        return (RootCauseRanking.title(for: best), severity, best.signal)
    }

    /// Points an incident at the processes behind its likeliest cause as of this tick, when
    /// they explain it better than the ones it names.
    private mutating func refreshProcesses(of index: Int) {
        guard let best = detail(of: tracked[index]).candidates.first else { return }
        let resource = SignalEntity(best.signal).resource
        let fresh = processesBehind(resource)
        guard let top = fresh.first, RootCauseRanking.explains(top, resource) else { return }
        if let named = tracked[index].processes.first, RootCauseRanking.explains(named, resource),
           RootCauseRanking.weight(of: named, resource) >= RootCauseRanking.weight(of: top, resource) {
            return
        }
        tracked[index].processes = fresh
    }

    /// The top processes for a resource: by CPU, by memory grown since before onset, or by I/O.
    private func processesBehind(_ resource: SignalEntity.Resource) -> [ProcessSample] {
        guard let latest = recentProcesses.last?.summary else { return [] }
        switch resource {
        case .memory, .swap:
            guard let earliest = recentProcesses.first?.summary else { return Array(latest.topByMemory.prefix(5)) }
            let before = Dictionary(
                (earliest.topByMemory).map { (ProcessKey($0), $0.residentBytes) },
                uniquingKeysWith: { first, _ in first }
            )
            return Array(latest.topByMemory.sorted { lhs, rhs in
                let grewLeft = Int64(lhs.residentBytes) - Int64(before[ProcessKey(lhs)] ?? 0)
                let grewRight = Int64(rhs.residentBytes) - Int64(before[ProcessKey(rhs)] ?? 0)
                return grewLeft > grewRight
            }.prefix(5))
        case .io, .storage:
            return Array(latest.topByIO.prefix(5))
        case .logs, .network:
            // The busiest process says nothing about a log line or an interface; naming
            // it would send the operator after the wrong thing.
            return []
        default:
            return Array(latest.topByCPU.prefix(5))
        }
    }
}

/// A process told apart from a later one that reuses its pid.
struct ProcessKey: Hashable {
    var pid: Int32
    var startTime: UInt64
    init(_ process: ProcessSample) {
        pid = process.pid
        startTime = process.startTime
    }
}

extension Correlator.Tracked: Equatable {}
extension Correlator: Equatable {
    public static func == (lhs: Correlator, rhs: Correlator) -> Bool {
        lhs.configuration == rhs.configuration && lhs.tracked == rhs.tracked && lhs.nextKey == rhs.nextKey && lhs.dismissed == rhs.dismissed
    }
}

extension Correlator.Change {
    /// The incident a member joined, for a `memberJoined` change.
    var joinedKey: Int? {
        if case .memberJoined(let key, _, _, _, _, _) = self { return key }
        return nil
    }
}
