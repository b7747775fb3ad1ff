import Collector
import Detection
import Dispatch
import Telemetry

/// The monitor's log side: polls the log sources on their own shorter timer, mines
/// each line into a template and keeps the newest records for the snapshot.
///
/// Lives on the monitor's queue, like the rest of its state.
final class LogWatch {
    private let sources: LogSources?
    private let journal: JournalReader?
    private var miner = TemplateMiner()
    /// The log detector, saved and restored with the monitor's checkpoint.
    var detector = LogDetector()
    /// Recent lines of templates seen for the first time, kept as evidence.
    private var firstOfTheirKind: [LogRecord] = []
    private let capacity: Int
    private let pollInterval: Double
    /// Newest last; trimmed to `capacity` in batches so appending stays cheap.
    private var recent: [LogRecord] = []
    private var timer: DispatchSourceTimer?
    /// Numbers every line read, for the screen to keep its place (`LogRecord.sequence`).
    private var lineCount: UInt64 = 0
    private var templateStats = TemplateStats()

    init(settings: Monitor.Settings) {
        sources = settings.logPatterns.isEmpty ? nil : LogSources(patterns: settings.logPatterns, fromStart: settings.logsFromStart)
        journal = settings.journal.map { JournalReader(place: $0, units: settings.journalUnits, fromStart: settings.logsFromStart) }
        capacity = max(1, settings.recentLogCapacity)
        pollInterval = settings.logPollInterval
    }

    /// Starts polling every `pollInterval` on `queue`. What a poll reads reaches the screen
    /// with the next tick's snapshot: polling between ticks keeps each read small and sees a
    /// rotation promptly, while the screen redraws at most once per tick, light on an SSH link.
    func start(on queue: DispatchQueue) {
        guard sources != nil || journal != nil, timer == nil else { return }
        let source = DispatchSource.makeTimerSource(queue: queue)
        let nanos = Int(pollInterval * 1_000_000_000)
        source.schedule(deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .nanoseconds(max(1_000_000, nanos / 10)))
        source.setEventHandler { [weak self] in
            self?.poll(now: Monitor.wallClock())
        }
        timer = source
        source.resume()
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }

    /// Reads every source once, mining each new line; journal entries take the same path as file lines.
    func poll(now: Double) {
        sources?.poll(now: now) { record, message in take(record, message: message, now: now) }
        journal?.poll(now: now) { record, message in take(record, message: message, now: now) }
        if recent.count > 2 * capacity { recent.removeFirst(recent.count - capacity) }
    }

    private func take(_ record: LogRecord, message: UnsafeRawBufferPointer, now: Double) {
        var mined = record
        let template = miner.mine(bytes: message)
        lineCount += 1
        mined.sequence = lineCount
        mined.templateID = template.templateID.rawValue
        templateStats.count(template, at: record.received)
        detector.observe(mined, isNewTemplate: template.isNewTemplate, at: now)
        if template.isNewTemplate {
            firstOfTheirKind.append(mined)
            if firstOfTheirKind.count > 200 { firstOfTheirKind.removeFirst(100) }
        }
        recent.append(mined)
    }

    /// The journal's state for the header: `journal: on`, `journal: none`, `journal: no permission`.
    var journalLink: LinkStatus? {
        guard let journal else { return nil }
        switch journal.state {
        case .following: return LinkStatus(name: "journal", state: "on", healthy: true, detail: journal.name)
        case .waiting: return LinkStatus(name: "journal", state: "none", healthy: false, detail: journal.problem)
        case .unreadable:
            let permission = journal.problem?.contains("permission") == true
            return LinkStatus(name: "journal", state: permission ? "no permission" : "unreadable", healthy: false, detail: journal.problem)
        }
    }

    /// How many templates the miner keeps.
    var templateCount: Int { miner.templateCount }

    /// The templates learnt so far, to save.
    var templates: [LogTemplate] { miner.templates }

    /// Starts the miner again from saved templates, keeping their cluster numbers.
    func restore(templates saved: [LogTemplate]) {
        guard !saved.isEmpty else { return }
        miner = TemplateMiner(restoring: saved)
    }

    /// Ends a tick for the log detector: per-source line and error rates to judge as
    /// signals, and the new, bursting and critical messages found.
    func detectorStep(at time: Double) -> (readings: [Reading], anomalies: [Anomaly]) {
        detector.step(at: time)
    }

    /// Recent lines worth keeping with an incident: error level and worse, then the first
    /// lines of each template bursting now, then the first line of each template new since
    /// `time`, oldest first within each kind.
    func evidence(since time: Double) -> [EvidenceLine] {
        func line(_ record: LogRecord, reason: String) -> EvidenceLine {
            // When Vigil read the line, not the time it states: that is the clock onsets use,
            // and a line's own clock may be another zone or plain wrong.
            EvidenceLine(time: record.received, source: record.source,
                         severity: record.severity >= .error ? "error" : record.severity >= .warning ? "warning" : "info",
                         text: record.message, reason: reason)
        }
        let errors = recent.reversed().prefix { $0.received >= time }.filter { $0.severity >= .error }.prefix(15).reversed()
            .map { line($0, reason: "error") }
        var shown: [UInt64: Int] = [:]
        var bursts: [EvidenceLine] = []
        if !detector.bursting.isEmpty {
            // Two lines of each bursting template show what repeats; errors are listed already.
            for record in recent.reversed().prefix(while: { $0.received >= time }).reversed() where record.severity < .error {
                guard let template = record.templateID, detector.bursting[template] != nil, shown[template, default: 0] < 2 else { continue }
                shown[template, default: 0] += 1
                bursts.append(line(record, reason: "burst"))
                if bursts.count >= 6 { break }
            }
        }
        let fresh = firstOfTheirKind.filter { $0.received >= time && $0.severity < .error && shown[$0.templateID ?? 0] == nil }.suffix(5)
            .map { line($0, reason: "new template") }
        return errors + bursts + fresh
    }

    /// Unreadable sources join the collector's list, so the header names them.
    func report(into health: inout CollectorHealth) {
        for source in sources?.health ?? [] where source.state == .unreadable {
            health.unavailable[source.path] = source.problem ?? "unreadable"
        }
    }

    func fill(_ snapshot: inout Snapshot) {
        snapshot.logs = Array(recent.suffix(capacity))
        snapshot.logSources = (sources?.health ?? []) + (journal.map { [$0.health] } ?? [])
        snapshot.templates = templateStats.summaries(miner: miner, at: snapshot.time)
    }
}

/// Counts and rates of the miner's templates for the log view's template list.
///
/// Counting is one dictionary step per line; the list itself, which needs every
/// template's text, is rebuilt at most every `refreshInterval` seconds and only
/// after new lines, so a quiet log costs nothing per tick.
struct TemplateStats {
    private struct Entry {
        var count = 0
        var countAtLastRate = 0
        var perMinute = 0.0
        var firstSeen: Double?
    }

    /// Seconds between rebuilds of the list.
    static let refreshInterval: Double = 5
    /// Templates the list keeps, the most frequent first (new ones are always kept).
    static let listed = 300

    private var entries: [Int: Entry] = [:]
    /// Templates counted and not yet forgotten.
    var tracked: Int { entries.count }
    private var lastRefresh: Double?
    private var changed = false
    private var cached: [TemplateSummary] = []

    mutating func count(_ mined: MinedMessage, at time: Double) {
        entries[mined.cluster, default: Entry()].count += 1
        if mined.isNewTemplate { entries[mined.cluster]?.firstSeen = time }
        changed = true
    }

    mutating func summaries(miner: TemplateMiner, at time: Double) -> [TemplateSummary] {
        if let last = lastRefresh, time - last < Self.refreshInterval || !changed {
            if let last = lastRefresh, time - last >= 60 { decay(elapsed: time - last, at: time) }
            return cached
        }
        let elapsed = lastRefresh.map { max(1, time - $0) }
        lastRefresh = time
        changed = false
        if let elapsed { updateRates(elapsed: elapsed) }
        var list: [TemplateSummary] = []
        for template in miner.templates {
            let entry = entries[template.clusterNumber]
            let firstSeen = entry?.firstSeen
            list.append(TemplateSummary(
                cluster: template.clusterNumber, text: template.text, count: template.count,
                perMinute: entry?.perMinute ?? 0, firstSeen: firstSeen,
                isNew: firstSeen.map { time - $0 < TemplateSummary.newWindow } ?? false
            ))
        }
        // Templates the miner evicted (it keeps 5000) are forgotten here too, so a log full of
        // one-off messages cannot grow this table for as long as Vigil runs.
        if entries.count > list.count {
            let live = Set(list.map(\.cluster))
            entries = entries.filter { live.contains($0.key) }
        }
        list.sort { ($0.count, -$0.cluster) > ($1.count, -$1.cluster) }
        let kept = Array(list.prefix(Self.listed)) + list.dropFirst(Self.listed).filter(\.isNew)
        cached = kept
        return kept
    }

    /// Lines per minute since the last rebuild, smoothed so one busy second does not dominate.
    private mutating func updateRates(elapsed: Double) {
        for key in entries.keys {
            let entry = entries[key]!
            let instant = Double(entry.count - entry.countAtLastRate) * 60 / elapsed
            entries[key]!.perMinute = entry.perMinute == 0 && entry.countAtLastRate == 0 ? instant : entry.perMinute * 0.7 + instant * 0.3
            entries[key]!.countAtLastRate = entry.count
        }
    }

    /// A log that went quiet: rates fall to what they are, once a minute, without new lines.
    private mutating func decay(elapsed: Double, at time: Double) {
        updateRates(elapsed: elapsed)
        lastRefresh = time
        cached = cached.map { summary in
            var summary = summary
            summary.perMinute = entries[summary.cluster]?.perMinute ?? 0
            summary.isNew = summary.firstSeen.map { time - $0 < TemplateSummary.newWindow } ?? false
            return summary
        }
    }
}
