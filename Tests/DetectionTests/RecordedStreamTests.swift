import Foundation
@testable import Detection
import Telemetry
import Testing

/// Correlation end to end on streams of readings and log lines, through the real detectors:
/// DetectionEngine for the signals, TemplateMiner and LogDetector for the logs, then the
/// Correlator. Each trouble must become one incident with the right root cause first.
///
/// The CPU hog is a recording of this kind of machine (`Fixtures/streams/record-cpu-hog.sh`:
/// `vigil snapshot --json` once a second, `stress-ng --cpu 2` for 40 s after 90 quiet samples).
/// A memory leak that reaches swap and a disk that fills need swap and minutes of filling, so
/// those two streams are generated here, sample by sample, with the noise of a quiet host.
@Suite("correlation on recorded streams")
struct RecordedStreamTests {
    /// One sample of a stream: readings, the processes on top, and log lines read since the last.
    struct Tick {
        var time: Double
        var readings: [Reading]
        var processes: ProcessSummary?
        var logLines: [LogRecord] = []
    }

    /// What the replay saw: every incident opened, and the correlator at the end.
    struct Outcome {
        var opened: [(key: Int, title: String, at: Double)] = []
        var titles: [Int: String] = [:]
        var correlator: Correlator
    }

    static func replay(_ ticks: [Tick]) -> Outcome {
        var engine = DetectionEngine()
        var miner = TemplateMiner()
        var logs = LogDetector()
        var outcome = Outcome(correlator: Correlator())
        for tick in ticks {
            var evidence: [EvidenceLine] = []
            for var record in tick.logLines {
                let mined = miner.mine(record.message)
                record.templateID = mined.templateID.rawValue
                logs.observe(record, isNewTemplate: mined.isNewTemplate, at: tick.time)
                if record.severity >= .error {
                    evidence.append(EvidenceLine(time: tick.time, source: record.source, severity: "error", text: record.message, reason: "error"))
                }
            }
            let logStep = logs.step(at: tick.time)
            let step = engine.step(tick.readings + logStep.readings, at: tick.time)
            let changes = outcome.correlator.step(anomalies: step.anomalies + logStep.anomalies, processes: tick.processes, logLines: evidence, at: tick.time)
            for change in changes {
                switch change {
                case .opened(let key, let title, _, _, _, let at):
                    outcome.opened.append((key, title, at))
                    outcome.titles[key] = title
                case .memberJoined(let key, _, let title, _, _, _), .renamed(let key, let title, _, _, _):
                    outcome.titles[key] = title
                default:
                    break
                }
            }
        }
        return outcome
    }

    static func process(_ pid: Int32, _ name: String, cpu: Double = 0, rss: Double = 20 * 1024 * 1024) -> ProcessSample {
        ProcessSample(pid: pid, startTime: 100, name: name, command: name, user: "root", state: "R", threads: 1,
                      cpuPercent: cpu, residentBytes: UInt64(max(0, rss)), readBytesPerSecond: 0, writeBytesPerSecond: 0)
    }

    // MARK: - A CPU hog, recorded

    static func recordedCPUHog() throws -> [Tick] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/streams/cpu-hog.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let readings = try #require(object["readings"] as? [[Any]]).compactMap { row -> Reading? in
                guard let id = row[0] as? String, let value = row[1] as? Double, let unit = (row[2] as? String).flatMap(SignalUnit.init) else { return nil }
                return Reading(SignalID(id), value, unit)
            }
            let top = try #require(object["top"] as? [[Any]]).map { row in
                Self.process(Int32(row[0] as? Int ?? 0), row[1] as? String ?? "?", cpu: row[2] as? Double ?? 0, rss: row[3] as? Double ?? 0)
            }
            return Tick(time: try #require(object["time"] as? Double), readings: readings,
                        processes: ProcessSummary(total: 80, running: 1, blocked: 0, zombie: 0, threads: 100, topByCPU: top, topByMemory: [], topByIO: []))
        }
    }

    @Test("a recorded CPU hog (stress-ng --cpu 2) is one incident named after stress-ng, CPU first")
    func cpuHog() throws {
        let ticks = try Self.recordedCPUHog()
        let hogStart = try #require(ticks.first { $0.processes?.topByCPU.first?.name.hasPrefix("stress-ng") == true }?.time)
        let outcome = Self.replay(ticks)
        let during = outcome.opened.filter { $0.at >= hogStart - 2 }
        #expect(during.count == 1, "one incident for the hog: \(during.map(\.title))")
        let incident = try #require(during.first)
        let title = try #require(outcome.titles[incident.key])
        #expect(title.hasPrefix("CPU saturation: stress-ng"), "\(title)")
        let detail = try #require(outcome.correlator.detail(forKey: incident.key) ?? nil)
        let root = try #require(detail.candidates.first)
        #expect(SignalEntity(root.signal).resource == .cpu, "\(root.signal) first")
    }

    // MARK: - A memory leak into swap and io wait, generated

    static func memoryLeak() -> [Tick] {
        var generator = SplitMix(seed: 3)
        let total = 16.0 * 1024 * 1024 * 1024
        var ticks: [Tick] = []
        for second in 0..<900 {
            let noise = generator.unit() - 0.5
            // Quiet for 5 minutes; then a process leaks 30 MiB/s; at 8 minutes the kernel starts swapping.
            let leaked = max(0, Double(second - 300)) * 30 * 1024 * 1024
            let available = max(256 * 1024 * 1024, 11.5 * 1024 * 1024 * 1024 - leaked + noise * 64 * 1024 * 1024)
            let swapping = max(0, Double(second - 480))
            let readings: [Reading] = [
                Reading("cpu.total.busy", 12 + noise * 4 + min(20, swapping / 6), .percent),
                Reading("cpu.total.iowait", 0.5 + abs(noise) + min(35, swapping / 3), .percent),
                Reading("load.1", 0.6 + noise * 0.2 + min(6, swapping / 30), .count),
                Reading("mem.available", available, .bytes),
                Reading("mem.used_percent", (total - available) / total * 100, .percent),
                Reading("psi.memory.some.avg10", max(0, noise * 0.3) + min(45, swapping / 2), .percent),
                Reading("psi.io.some.avg10", max(0, noise * 0.3) + min(40, swapping / 2.5), .percent),
                Reading("swap.in", swapping > 0 ? 200 + swapping * 30 + noise * 20 : 0, .perSecond),
                Reading("swap.out", swapping > 0 ? 800 + swapping * 50 + noise * 20 : 0, .perSecond),
                Reading("swap.used", swapping * 8 * 1024 * 1024, .bytes),
            ].sorted { $0.id < $1.id }
            let leaky = Self.process(31, "leaky-app", cpu: 8, rss: 300 * 1024 * 1024 + leaked)
            let postgres = Self.process(77, "postgres", cpu: 2, rss: 2 * 1024 * 1024 * 1024)
            ticks.append(Tick(time: 1_764_850_000 + Double(second), readings: readings,
                              processes: ProcessSummary(total: 90, running: 1, blocked: swapping > 0 ? 3 : 0, zombie: 0, threads: 200,
                                                        topByCPU: [leaky, postgres], topByMemory: leaked > 2 * 1024 * 1024 * 1024 ? [leaky, postgres] : [postgres, leaky], topByIO: [])))
        }
        return ticks
    }

    @Test("a memory leak that ends in swap and io wait is one incident, memory pressure first, naming the leaking process")
    func memoryLeakIncident() throws {
        let outcome = Self.replay(Self.memoryLeak())
        #expect(outcome.opened.count == 1, "\(outcome.opened.map(\.title))")
        let incident = try #require(outcome.opened.first)
        let detail = try #require(outcome.correlator.detail(forKey: incident.key) ?? nil)
        let root = try #require(detail.candidates.first)
        #expect(SignalEntity(root.signal).resource == .memory, "\(root.signal) first; candidates \(detail.candidates.map(\.signal))")
        #expect(outcome.titles[incident.key]?.hasPrefix("Memory pressure: leaky-app (pid 31)") == true, "\(outcome.titles[incident.key] ?? "")")
        let members = Set(detail.members.map { $0.signal.rawValue })
        #expect(members.contains { $0.hasPrefix("swap.") }, "swapping joined: \(members)")
        #expect(members.contains { $0 == "cpu.total.iowait" || $0 == "psi.io.some.avg10" }, "io wait joined: \(members)")
    }

    // MARK: - A filesystem that fills while the application logs write errors, generated

    static func diskFill() -> [Tick] {
        var generator = SplitMix(seed: 5)
        let size = 50.0 * 1024 * 1024 * 1024
        var ticks: [Tick] = []
        for second in 0..<700 {
            let noise = generator.unit() - 0.5
            // /var at 70% for 5 minutes, then a runaway log fills it at 60 MiB/s until it is full.
            let used = min(size, 0.70 * size + max(0, Double(second - 300)) * 60 * 1024 * 1024 + noise * 1024 * 1024)
            let readings: [Reading] = [
                Reading("cpu.total.busy", 10 + noise * 4, .percent),
                Reading("fs./var.free", size - used, .bytes),
                Reading("fs./var.size", size, .bytes),
                Reading("fs./var.used_percent", used / size * 100, .percent),
                Reading("fs./var.inodes_used_percent", 12, .percent),
            ].sorted { $0.id < $1.id }
            var lines: [LogRecord] = (0..<3).map { index in
                LogRecord(source: "/var/log/app.log", received: 0, severity: .info, message: "request \(second * 3 + index) served in \(10 + index) ms")
            }
            if used >= size * 0.999 {
                lines += (0..<5).map { index in
                    LogRecord(source: "/var/log/app.log", received: 0, severity: .error,
                              message: "write /var/lib/app/queue/\(second)-\(index).dat failed: No space left on device")
                }
            }
            ticks.append(Tick(time: 1_764_850_000 + Double(second), readings: readings,
                              processes: ProcessSummary(total: 90, running: 1, blocked: 0, zombie: 0, threads: 200,
                                                        topByCPU: [], topByMemory: [], topByIO: []), logLines: lines))
        }
        return ticks
    }

    @Test("a disk that fills while the application logs write errors is one incident, the filesystem first")
    func diskFillIncident() throws {
        let outcome = Self.replay(Self.diskFill())
        #expect(outcome.opened.count == 1, "\(outcome.opened.map(\.title))")
        let incident = try #require(outcome.opened.first)
        let detail = try #require(outcome.correlator.detail(forKey: incident.key) ?? nil)
        let root = try #require(detail.candidates.first)
        #expect(root.signal.rawValue.hasPrefix("fs./var."), "\(root.signal) first; candidates \(detail.candidates.map(\.signal))")
        let members = Set(detail.members.map { $0.signal.rawValue })
        #expect(members.contains("log./var/log/app.log.disk_full"), "the log's 'No space left on device' joined: \(members)")
        #expect(detail.logLines.contains { $0.text.contains("No space left on device") })
    }
}
