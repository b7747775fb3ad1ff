@testable import Dashboard
import Telemetry

/// A busy moment on a 4-core host: one CPU incident with its evidence, two anomalies,
/// logs with an error among them, templates, and a process table.
func busySnapshot() -> Snapshot {
    var snapshot = sampleSnapshot(cores: 4)
    let now = snapshot.time
    var busy = SignalHistory(capacity: 240)
    for index in 0..<120 { busy.append(index < 100 ? 8 + Double(index % 5) : 97 + Double(index % 3)) }
    var load = SignalHistory(capacity: 240)
    for index in 0..<120 { load.append(index < 95 ? 0.4 : 3.5 + Double(index - 95) * 0.05) }
    snapshot.history["cpu.total.busy"] = busy
    snapshot.history["load.1"] = load
    for (signal, level) in [("net.eth0.rx_bytes", 100_000.0), ("fs./.used_percent", 60), ("disk.sda.util", 10)] as [(SignalID, Double)] {
        var values = SignalHistory(capacity: 240)
        for index in 0..<60 { values.append(level * (1 + Double(index % 7) / 10)) }
        snapshot.history[signal] = values
    }
    snapshot.readings = [
        Reading("cpu.total.busy", 98, .percent),
        Reading("disk.sda.read_bytes", 2_400_000, .bytesPerSecond),
        Reading("disk.sda.util", 12, .percent),
        Reading("disk.sda.write_bytes", 800_000, .bytesPerSecond),
        Reading("fs./.free", 12_000_000_000, .bytes),
        Reading("fs./.inodes_used_percent", 4, .percent),
        Reading("fs./.used_percent", 61, .percent),
        Reading("load.1", 4.7, .count),
        Reading("load.15", 0.9, .count),
        Reading("load.5", 1.8, .count),
        Reading("net.eth0.rx_bytes", 120_000, .bytesPerSecond),
        Reading("net.eth0.tx_bytes", 48_000, .bytesPerSecond),
        Reading("kernel.context_switches", 48_200, .perSecond),
        Reading("kernel.interrupts", 9_800, .perSecond),
        Reading("kernel.forks", 3, .perSecond),
        Reading("mem.dirty", 24_000_000, .bytes),
        Reading("mem.writeback", 0, .bytes),
        Reading("swap.in", 0, .perSecond),
        Reading("swap.out", 12, .perSecond),
        Reading("vm.major_faults", 0.5, .perSecond),
        Reading("vm.oom_kills", 0, .count),
        Reading("fd.open", 2_144, .count),
        Reading("fd.max", 9_223_372, .count),
    ].sorted { $0.id < $1.id }
    let hog = ProcessSample(pid: 4242, startTime: 1, name: "stress-ng", command: "stress-ng --cpu 4", user: "root", state: "R",
                            threads: 4, cpuPercent: 396, residentBytes: 12 << 20, readBytesPerSecond: 0, writeBytesPerSecond: 0)
    let database = ProcessSample(pid: 812, startTime: 2, name: "postgres", command: "postgres: checkpointer", user: "postgres", state: "S",
                                 threads: 1, cpuPercent: 1.5, residentBytes: 310 << 20, readBytesPerSecond: 40_000, writeBytesPerSecond: 1_200_000)
    let shell = ProcessSample(pid: 1, startTime: 0, name: "systemd", command: "/sbin/init", user: "root", state: "S",
                              threads: 1, cpuPercent: 0, residentBytes: 9 << 20, readBytesPerSecond: nil, writeBytesPerSecond: nil)
    snapshot.processes = ProcessSummary(total: 141, running: 5, blocked: 0, zombie: 0, threads: 320,
                                        topByCPU: [hog, database], topByMemory: [database, hog, shell], topByIO: [database])
    snapshot.processes?.all = [shell, database, hog]
    let cpu = Anomaly(signal: "cpu.total.busy", kind: .learnt, onset: now - 30, value: 98, peak: 99, bandLow: 2, bandHigh: 25,
                      severity: .critical, explanation: "cpu busy 98% vs usual 2-25%")
    let loadAnomaly = Anomaly(signal: "load.1", kind: .learnt, onset: now - 25, value: 4.7, peak: 4.7, bandLow: 0, bandHigh: 1.2,
                              severity: .warning, explanation: "load 1m 4.70 vs usual 0-1.20")
    snapshot.anomalies = [cpu, loadAnomaly]
    snapshot.flagged = ["cpu.total.busy": .critical, "load.1": .warning]
    let incident = Incident(id: 7, title: "CPU saturation: stress-ng (pid 4242) at 396%", severity: .critical, state: .open,
                            openedAt: now - 30, updatedAt: now - 25, rootSignal: "cpu.total.busy")
    let older = Incident(id: 6, title: "Disk / filling: 91% used", severity: .warning, state: .acknowledged, openedAt: now - 4000,
                         updatedAt: now - 3000, acknowledgement: Acknowledgement(who: "ana", at: now - 3500, note: "rotating logs"))
    snapshot.incidents = IncidentBoard(
        incidents: [incident, older],
        details: [
            7: IncidentDetail(
                members: [cpu, loadAnomaly],
                candidates: [RootCauseCandidate(signal: "cpu.total.busy", headline: "CPU saturation", score: 0.9, reason: "earliest onset, busiest process", process: hog)],
                processesAtOnset: [hog, database],
                logLines: [EvidenceLine(time: now - 28, source: "/var/log/syslog", severity: "error", text: "kernel: watchdog: BUG: soft lockup - CPU#2 stuck for 23s!", reason: "error")]
            ),
        ],
        timelines: [7: [
            TimelineEvent(at: now - 30, kind: .opened, text: "cpu busy 98% vs usual 2-25%"),
            TimelineEvent(at: now - 25, kind: .memberJoined, text: "load 1m 4.70 vs usual 0-1.20"),
        ]]
    )
    let messages: [(LogSeverity, String, String)] = [
        (.info, "sshd", "Accepted publickey for ana from 10.0.0.5 port 52144 ssh2"),
        (.info, "CRON", "(root) CMD (run-parts /etc/cron.hourly)"),
        (.warning, "kernel", "CPU2: Core temperature above threshold, cpu clock throttled"),
        (.error, "kernel", "watchdog: BUG: soft lockup - CPU#2 stuck for 23s!"),
        (.info, "sshd", "Accepted publickey for bob from 10.0.0.9 port 40022 ssh2"),
        (.info, "nginx", "GET /healthz 200 0.002"),
    ]
    snapshot.logs = messages.enumerated().map { index, item in
        LogRecord(source: "/var/log/syslog", received: now - Double(30 - index), time: now - Double(30 - index), severity: item.0,
                  program: item.1, pid: nil, message: item.2, sequence: UInt64(index + 1))
    }
    snapshot.logSources = [LogSourceHealth(path: "/var/log/syslog", state: .following, format: "syslog", lines: 6)]
    snapshot.templates = [
        TemplateSummary(cluster: 1, text: "Accepted publickey for <*> from <*> port <*> ssh2", count: 1520, perMinute: 3.2, firstSeen: nil, isNew: false),
        TemplateSummary(cluster: 2, text: "GET <*> <*> <*>", count: 800, perMinute: 12, firstSeen: nil, isNew: false),
        TemplateSummary(cluster: 3, text: "watchdog: BUG: soft lockup - CPU#<*> stuck for <*>!", count: 1, perMinute: 0.2, firstSeen: now - 28, isNew: true),
    ]
    return snapshot
}
