import Foundation
@testable import Detection
import Telemetry
import Testing

/// A process as the collector reports it.
func process(_ pid: Int32, _ name: String, cpu: Double = 0, rss: UInt64 = 10 << 20, io: Double? = nil) -> ProcessSample {
    ProcessSample(pid: pid, startTime: 1000, name: name, command: name, user: "root", state: "R", threads: 1,
                  cpuPercent: cpu, residentBytes: rss, readBytesPerSecond: io, writeBytesPerSecond: io.map { _ in 0 })
}

func anomaly(_ signal: SignalID, onset: Double, end: Double? = nil, severity: Severity = .warning, silenced: Bool = false) -> Anomaly {
    Anomaly(signal: signal, kind: .learnt, onset: onset, end: end, value: 90, peak: 95, bandLow: 0, bandHigh: 10, severity: severity, silenced: silenced, explanation: "\(signal) 90 vs usual 0-10")
}

/// Replays a stream of (time, active anomalies) ticks through a correlator.
func replay(_ ticks: [(Double, [Anomaly])], processes: ProcessSummary? = nil, logs: [EvidenceLine] = [], correlator: inout Correlator) -> [Correlator.Change] {
    ticks.flatMap { correlator.step(anomalies: $0.1, processes: processes, logLines: logs, at: $0.0) }
}

@Suite("correlator")
struct CorrelatorTests {
    static let hog = ProcessSummary(total: 200, running: 3, blocked: 0, zombie: 0, threads: 400,
                                    topByCPU: [process(4242, "stress-ng", cpu: 198), process(1, "systemd", cpu: 1)],
                                    topByMemory: [process(77, "postgres", rss: 2 << 30)], topByIO: [])

    @Test("a CPU hog is one incident named after the process, with CPU saturation first")
    func cpuHog() throws {
        var correlator = Correlator()
        let busy = anomaly("cpu.total.busy", onset: 100, severity: .critical)
        let load = anomaly("load.1", onset: 130)
        let psi = anomaly("psi.cpu.some.avg10", onset: 104)
        let changes = replay([(100, [busy]), (104, [busy, psi]), (130, [busy, psi, load])], processes: Self.hog, correlator: &correlator)
        let opened = changes.compactMap { change -> (String, Severity)? in
            if case .opened(_, let title, let severity, _, _, _) = change { return (title, severity) }
            return nil
        }
        #expect(opened.count == 1)
        #expect(opened.first?.0 == "CPU saturation: stress-ng (pid 4242) at 198%")
        #expect(opened.first?.1 == .critical)
        let detail = try #require(correlator.detail(forKey: 1))
        #expect(detail.members.count == 3)
        #expect(detail.candidates.first?.signal == "cpu.total.busy")
        #expect(detail.processesAtOnset.first?.name == "stress-ng")
    }

    @Test("an incident opened before its culprit got busy names it once it is: the title follows a joining member")
    func culpritArrivesLate() throws {
        var correlator = Correlator()
        let idle = ProcessSummary(total: 80, running: 1, blocked: 0, zombie: 0, threads: 100,
                                  topByCPU: [process(1, "process_api", cpu: 2)], topByMemory: [], topByIO: [])
        let busy = anomaly("cpu.total.busy", onset: 100)
        let psi = anomaly("psi.cpu.some.avg10", onset: 106)
        let opened = correlator.step(anomalies: [busy], processes: idle, at: 100)
        let joined = correlator.step(anomalies: [busy, psi], processes: Self.hog, at: 106)
        guard case .opened(_, let first, _, _, _, _) = opened.first else { Issue.record("no incident: \(opened)"); return }
        // A process at 2% is not behind CPU saturation; the incident says only what it knows.
        #expect(first == "CPU saturation")
        guard case .memberJoined(_, _, let later, _, _, _) = joined.first else { Issue.record("no join: \(joined)"); return }
        #expect(later == "CPU saturation: stress-ng (pid 4242) at 198%")
        // Later joiners keep the culprit unless a busier one shows up.
        let load = anomaly("load.1", onset: 130)
        let quieter = correlator.step(anomalies: [busy, psi, load], processes: idle, at: 130)
        guard case .memberJoined(_, _, let kept, _, _, _) = quieter.first else { Issue.record("no join: \(quieter)"); return }
        #expect(kept == later)
    }

    @Test("context switches that jump a tick before the CPU do not name the incident: CPU saturation does")
    func activityIsNotTheCause() throws {
        var correlator = Correlator()
        let switches = anomaly("kernel.context_switches", onset: 100)
        let busy = anomaly("cpu.total.busy", onset: 102, severity: .critical)
        let opened = correlator.step(anomalies: [switches], processes: Self.hog, at: 100)
        let joined = correlator.step(anomalies: [switches, busy], processes: Self.hog, at: 102)
        guard case .opened = opened.first else { Issue.record("no incident: \(opened)"); return }
        guard case .memberJoined(_, _, let title, _, let root, _) = joined.first else { Issue.record("no join: \(joined)"); return }
        #expect(title == "CPU saturation: stress-ng (pid 4242) at 198%")
        #expect(root == "cpu.total.busy")
        let detail = try #require(correlator.detail(forKey: 1))
        #expect(detail.candidates.last?.headline == "Kernel activity", "not a bare 'Anomaly'")
    }

    @Test("an engine taking over adopts the live incidents: unknown members end now, so it resolves after grace; trouble that shows again joins it")
    func takeOver() throws {
        var first = Correlator()
        let crash = anomaly("log./var/log/app.log.segfault", onset: 100, severity: .critical)
        _ = first.step(anomalies: [crash], processes: nil, at: 100)
        let detail = try #require(first.detail(forKey: 1))

        // A second process takes over at 130 with no knowledge of the first's anomalies.
        var second = Correlator(configuration: .init(window: 120, grace: 30))
        let keys = second.takeOver(live: [(nil, detail)], at: 130)
        let key = try #require(keys.first ?? nil)
        #expect(second.openKeys == [key])
        #expect(second.step(anomalies: [], processes: nil, at: 150).isEmpty, "within grace it stays open")
        let later = second.step(anomalies: [], processes: nil, at: 161)
        #expect(later.contains { if case .resolved(key, _) = $0 { true } else { false } })

        // Taken over again, and the same log crashes again: it joins rather than opening another.
        var third = Correlator()
        let adopted = try #require(third.takeOver(live: [(nil, detail)], at: 130).first ?? nil)
        let again = anomaly("log./var/log/app.log.io_error", onset: 140, severity: .critical)
        let changes = third.step(anomalies: [again], processes: nil, at: 140)
        #expect(changes.contains { if case .memberJoined(adopted, _, _, _, _, _) = $0 { true } else { false } })
        #expect(!changes.contains { if case .opened = $0 { true } else { false } })
    }

    @Test("taking over from an old checkpoint: an incident it saw resolved but the store has live again stays live, with the members the store has")
    func takeOverFromAnOldCheckpoint() throws {
        var correlator = Correlator(configuration: .init(window: 120, grace: 30))
        let busy = anomaly("cpu.total.busy", onset: 100, end: 110)
        _ = correlator.step(anomalies: [anomaly("cpu.total.busy", onset: 100)], processes: nil, at: 100)
        _ = correlator.step(anomalies: [busy], processes: nil, at: 110)
        _ = correlator.step(anomalies: [], processes: nil, at: 141)
        #expect(correlator.openKeys.isEmpty, "resolved in the checkpoint")
        // Since then the store reopened it and a load anomaly joined.
        let load = anomaly("load.1", onset: 150)
        let stored = IncidentDetail(members: [busy, load])
        _ = correlator.takeOver(live: [(1, stored)], at: 160)
        #expect(correlator.openKeys == [1])
        let detail = try #require(correlator.detail(forKey: 1))
        #expect(Set(detail.members.map(\.signal)) == ["cpu.total.busy", "load.1"])
        #expect(detail.members.allSatisfy { !$0.isActive }, "members this engine never reported end at the handover")
        // Quiet through the grace period: it resolves.
        let changes = correlator.step(anomalies: [], processes: nil, at: 191)
        #expect(changes.contains { if case .resolved(1, _) = $0 { true } else { false } })
    }

    @Test("with no member joining, a young incident is renamed on the tick its culprit shows; an old one is left alone")
    func culpritShowsWithoutJoin() throws {
        var correlator = Correlator()
        let idle = ProcessSummary(total: 80, running: 1, blocked: 0, zombie: 0, threads: 100,
                                  topByCPU: [process(1, "process_api", cpu: 2)], topByMemory: [], topByIO: [])
        let busy = anomaly("cpu.total.busy", onset: 100)
        _ = correlator.step(anomalies: [busy], processes: idle, at: 100)
        #expect(correlator.step(anomalies: [busy], processes: idle, at: 101).isEmpty, "nothing new, nothing said")
        let renamed = correlator.step(anomalies: [busy], processes: Self.hog, at: 102)
        guard case .renamed(_, let title, _, _, let detail) = renamed.first else { Issue.record("no rename: \(renamed)"); return }
        #expect(title == "CPU saturation: stress-ng (pid 4242) at 198%")
        #expect(detail.processesAtOnset.first?.name == "stress-ng")
        #expect(correlator.step(anomalies: [busy], processes: Self.hog, at: 103).isEmpty, "named once")

        var late = Correlator()
        _ = late.step(anomalies: [busy], processes: idle, at: 100)
        #expect(late.step(anomalies: [busy], processes: Self.hog, at: 100 + 121).isEmpty, "past the window the title stays")
    }

    @Test("a disk incident names the process writing hard, never one that only trickles (Vigil's own database)")
    func ioCulprit() throws {
        let util = anomaly("disk.sda.util", onset: 100, severity: .critical)
        let trickle = ProcessSummary(total: 80, running: 1, blocked: 1, zombie: 0, threads: 100, topByCPU: [], topByMemory: [],
                                     topByIO: [process(900, "vigil", io: 40 * 1024)])
        var quiet = Correlator()
        guard case .opened(_, let title, _, _, _, _) = quiet.step(anomalies: [util], processes: trickle, at: 100).first else { Issue.record("no incident"); return }
        #expect(!title.contains("vigil"), "\(title)")
        let heavy = ProcessSummary(total: 80, running: 1, blocked: 1, zombie: 0, threads: 100, topByCPU: [], topByMemory: [],
                                   topByIO: [process(4321, "dd", io: 180 * 1024 * 1024), process(900, "vigil", io: 40 * 1024)])
        var busy = Correlator()
        guard case .opened(_, let named, _, _, _, _) = busy.step(anomalies: [util], processes: heavy, at: 100).first else { Issue.record("no incident"); return }
        #expect(named.contains("dd (pid 4321)"), "\(named)")
    }

    @Test("a memory leak that ends in swap and io wait is one incident with memory pressure first")
    func memoryLeak() throws {
        var correlator = Correlator()
        // Recorded order: swap noticed a tick before memory crossed its band, then io wait and load.
        let swap = anomaly("swap.used", onset: 200)
        let memory = anomaly("mem.available", onset: 205, severity: .critical)
        let ioWait = anomaly("psi.io.some.avg10", onset: 230)
        let load = anomaly("load.1", onset: 260)
        let summary = ProcessSummary(total: 10, running: 1, blocked: 2, zombie: 0, threads: 10, topByCPU: [],
                                     topByMemory: [process(31, "leaky-app", rss: 6 << 30), process(77, "postgres", rss: 2 << 30)], topByIO: [])
        let changes = replay([(200, [swap]), (205, [swap, memory]), (230, [swap, memory, ioWait]), (260, [swap, memory, ioWait, load])],
                             processes: summary, correlator: &correlator)
        #expect(changes.filter { if case .opened = $0 { true } else { false } }.count == 1)
        let detail = try #require(correlator.detail(forKey: 1))
        #expect(detail.candidates.map(\.signal).first == "mem.available")
        #expect(Set(detail.members.map(\.signal)) == ["swap.used", "mem.available", "psi.io.some.avg10", "load.1"])
        #expect(RootCauseRanking.title(for: detail.candidates[0]) == "Memory pressure: leaky-app (pid 31) holding 6.0G")
    }

    @Test("a disk that fills while the application logs write errors is one incident, the filesystem first")
    func diskFill() throws {
        var correlator = Correlator()
        let full = anomaly("fs./var.used_percent", onset: 300, severity: .critical)
        let errors = anomaly("log./var/log/app.log.disk_full", onset: 312, severity: .critical)
        let line = EvidenceLine(time: 311, source: "/var/log/app.log", severity: "error", text: "write failed: No space left on device", reason: "error")
        let changes = replay([(300, [full]), (312, [full, errors])], logs: [line], correlator: &correlator)
        #expect(changes.filter { if case .opened = $0 { true } else { false } }.count == 1)
        let detail = try #require(correlator.detail(forKey: 1))
        #expect(detail.candidates.first?.headline == "Filesystem /var filling")
        #expect(detail.members.count == 2)
        #expect(detail.logLines.map(\.text) == ["write failed: No space left on device"])
    }

    @Test("unrelated anomalies far apart in time or entity open separate incidents")
    func separateIncidents() {
        var correlator = Correlator()
        let cpu = anomaly("cpu.total.busy", onset: 100)
        let cleared = anomaly("cpu.total.busy", onset: 100, end: 150)
        let net = anomaly("net.eth0.rx_bytes", onset: 110)
        let later = anomaly("cpu.total.busy", onset: 1000)
        let changes = replay([(100, [cpu]), (110, [cpu, net]), (150, [cleared, net]), (1000, [net, later])], correlator: &correlator)
        #expect(changes.filter { if case .opened = $0 { true } else { false } }.count == 3)
    }

    @Test("members clear, the grace period passes, it resolves; a recurrence within grace reopens it")
    func resolveAndReopen() {
        var correlator = Correlator(configuration: .init(window: 120, grace: 300))
        let first = anomaly("cpu.total.busy", onset: 100)
        var changes = replay([(100, [first]), (160, [anomaly("cpu.total.busy", onset: 100, end: 160)])], correlator: &correlator)
        #expect(changes.contains(.memberCleared(key: 1, member: anomaly("cpu.total.busy", onset: 100, end: 160))))
        changes = replay([(300, []), (459, [])], correlator: &correlator)
        #expect(changes.isEmpty)
        changes = replay([(461, [])], correlator: &correlator)
        #expect(changes == [.resolved(key: 1, at: 461)])
        changes = replay([(600, [anomaly("cpu.total.busy", onset: 600)])], correlator: &correlator)
        #expect(changes.count == 1)
        if case .reopened(let key, _, _) = changes.first { #expect(key == 1) } else { Issue.record("expected a reopen, got \(changes)") }
        changes = replay([(700, [anomaly("cpu.total.busy", onset: 600, end: 700)]), (1001, []), (1400, []), (1800, [anomaly("cpu.total.busy", onset: 1800)])], correlator: &correlator)
        #expect(changes.contains { if case .opened(let key, _, _, _, _, _) = $0 { key == 2 } else { false } })
    }

    @Test("a silenced anomaly never opens an incident on its own")
    func silencedDoesNotOpen() {
        var correlator = Correlator()
        let changes = replay([(100, [anomaly("disk.sda.util", onset: 100, silenced: true)])], correlator: &correlator)
        #expect(changes.isEmpty)
    }

    @Test("the correlator's state round-trips through JSON")
    func codable() throws {
        var correlator = Correlator()
        _ = replay([(100, [anomaly("cpu.total.busy", onset: 100)])], correlator: &correlator)
        let data = try JSONEncoder().encode(correlator)
        let restored = try JSONDecoder().decode(Correlator.self, from: data)
        #expect(restored == correlator)
        #expect(restored.openKeys == [1])
    }

    @Test("signal ids map to entities", arguments: [
        ("cpu.total.busy", SignalEntity.Resource.cpu, "cpu"),
        ("cpu.0.iowait", .io, "io"),
        ("disk.nvme0n1.util", .io, "disk:nvme0n1"),
        ("fs./var/lib.used_percent", .storage, "fs:/var/lib"),
        ("net.eth0.rx_bytes", .network, "net:eth0"),
        ("psi.memory.some.avg10", .memory, "memory"),
        ("log./var/log/syslog.errors", .logs, "log:/var/log/syslog"),
    ])
    func entities(signal: String, resource: SignalEntity.Resource, tag: String) {
        let entity = SignalEntity(SignalID(signal))
        #expect(entity.resource == resource)
        #expect(entity.tags.contains(tag))
    }
}

@Suite("log incidents")
struct LogIncidentTests {
    @Test("a crash in a log names the log and the kind of trouble, never an unrelated busy process")
    func crashInLog() throws {
        var correlator = Correlator()
        let crash = anomaly("log./var/log/app.log.segfault", onset: 100, severity: .critical)
        let line = EvidenceLine(time: 100, source: "/var/log/app.log", severity: "error", text: "segfault at 0", reason: "error")
        let changes = correlator.step(anomalies: [crash], processes: CorrelatorTests.hog, logLines: [line], at: 100)
        guard case .opened(_, let title, _, _, let detail, _) = changes.first else {
            Issue.record("expected an incident, got \(changes)")
            return
        }
        #expect(title == "Crash in /var/log/app.log")
        #expect(detail.processesAtOnset.isEmpty)
        #expect(detail.logLines.map(\.text) == ["segfault at 0"])
    }
}

@Suite("resolved by hand")
struct ResolvedByHandTests {
    @Test("an incident resolved by hand does not come straight back from its still-active members")
    func noEcho() {
        var correlator = Correlator()
        let crash = anomaly("log./var/log/app.log.segfault", onset: 100, severity: .critical)
        _ = correlator.step(anomalies: [crash], processes: nil, at: 100)
        correlator.forget(key: 1)
        #expect(correlator.step(anomalies: [crash], processes: nil, at: 101).isEmpty)
        let next = anomaly("log./var/log/app.log.segfault", onset: 200, severity: .critical)
        let changes = correlator.step(anomalies: [next], processes: nil, at: 200)
        #expect(changes.contains { if case .opened(let key, _, _, _, _, _) = $0 { key == 2 } else { false } })
    }
}
