import Foundation
import Detection
@testable import Monitor
import Telemetry
import Testing

@Suite("monitor and logs")
struct MonitorLogTests {
    @Test("a sample carries the new log lines, parsed and mined, and each source's health")
    func snapshotCarriesLogs() throws {
        let directory = NSTemporaryDirectory() + "vigil-monitor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        try "Dec  4 10:00:00 host app[1]: before the start\n".write(toFile: path, atomically: false, encoding: .utf8)
        var settings = Monitor.Settings(interval: 1)
        settings.logPatterns = [path, directory + "/missing-*.log", directory + "/absent.log"]
        settings.recentLogCapacity = 3
        let monitor = Monitor(settings: settings) { _ in }
        #expect(monitor.sampleNow().logs.isEmpty, "tailing starts at the end")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        for port in 1...4 {
            handle.write(Data("Dec  4 10:00:0\(port) host sshd[42]: Failed password for root from 10.0.0.\(port) port \(port)\n".utf8))
        }
        try handle.close()
        let snapshot = monitor.sampleNow()
        #expect(snapshot.logs.count == 3, "bounded by recentLogCapacity")
        let last = try #require(snapshot.logs.last)
        #expect(last.message == "Failed password for root from 10.0.0.4 port 4")
        #expect(last.program == "sshd")
        #expect(last.pid == 42)
        #expect(last.severity == .error)
        #expect(last.templateID != nil)
        #expect(Set(snapshot.logs.map(\.templateID)).count == 1, "one template for the four lines")
        let health = Dictionary(uniqueKeysWithValues: snapshot.logSources.map { ($0.path, $0) })
        #expect(health[path]?.state == .following)
        #expect(health[path]?.format == "syslog")
        #expect(health[directory + "/absent.log"]?.state == .waiting)
    }
}

@Suite("incident evidence from the logs")
struct LogEvidenceTests {
    @Test("errors first, then two lines of a template that bursts, then the first line of a new kind")
    func burstingLinesAreEvidence() throws {
        let directory = NSTemporaryDirectory() + "vigil-evidence-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        var settings = Monitor.Settings(interval: 1)
        settings.logPatterns = [path]
        let watch = LogWatch(settings: settings)
        func append(_ lines: [String]) throws {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            handle.seekToEndOfFile()
            handle.write(Data(lines.map { $0 + "\n" }.joined().utf8))
            try handle.close()
        }
        // Past the detector's learning period, with a quiet habit of one line a minute.
        let start = 1_764_851_000.0
        for minute in 0..<8 {
            try append(["2026-12-04T10:0\(minute):00Z INFO cache warmed in \(minute + 3)ms"])
            watch.poll(now: start + Double(minute) * 60)
            _ = watch.detectorStep(at: start + Double(minute) * 60)
        }
        let now = start + 500
        try append((1...40).map { "2026-12-04T10:08:20Z WARN retrying connection to db-\($0 % 3) attempt \($0)" }
                   + ["2026-12-04T10:08:20Z ERROR payment gateway timeout after 30s",
                      "2026-12-04T10:08:20Z INFO feature flag checkout-v2 enabled for tenant 7"])
        watch.poll(now: now)
        let step = watch.detectorStep(at: now)
        #expect(step.anomalies.contains { $0.kind == .burst }, "\(step.anomalies)")
        let evidence = watch.evidence(since: now - 120)
        #expect(evidence.map(\.reason) == ["error", "burst", "burst", "new template"], "\(evidence.map { ($0.reason, $0.text) })")
        #expect(evidence[1].text.contains("retrying connection to db-"))
        #expect(evidence[3].text.hasSuffix("feature flag checkout-v2 enabled for tenant 7"))
    }
}

@Suite("template statistics")
struct TemplateStatsTests {
    @Test("templates the miner evicts are forgotten by the statistics too: memory stays bounded")
    func evictedAreForgotten() {
        var miner = TemplateMiner(configuration: .init(maxTemplates: 50))
        var stats = TemplateStats()
        var time = 1_764_851_000.0
        for batch in 0..<20 {
            for index in 0..<100 {
                // Each message its own words (letters only: digits would be masked as variables),
                // so every line is a new template and most of them are evicted.
                func word(_ number: Int) -> String {
                    var number = number
                    var letters = ""
                    repeat {
                        letters.append(Character(UnicodeScalar(UInt8(97 + number % 26))))
                        number /= 26
                    } while number > 0
                    return letters
                }
                let serial = batch * 100 + index
                let words = (0..<4).map { word(serial * 4 + $0 + 1000) }.joined(separator: " ")
                stats.count(miner.mine("event \(words)"), at: time)
            }
            time += 10
            _ = stats.summaries(miner: miner, at: time)
        }
        #expect(miner.templates.count <= 50)
        #expect(stats.tracked <= 50, "tracked \(stats.tracked) templates for a miner that keeps 50")
    }
}

@Suite("incident recorder")
struct IncidentRecorderTests {
    @Test("a member that ends shows as ended in the incident's saved detail, which the incident view reads")
    func clearedMemberInDetail() throws {
        let folder = NSTemporaryDirectory() + "vigil-recorder-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recorder = IncidentRecorder(databasePath: folder + "/vigil.db", operatorName: "test")
        let busy = Anomaly(signal: "cpu.total.busy", kind: .learnt, onset: 100, value: 97, peak: 99, bandLow: 2, bandHigh: 20,
                           severity: .critical, explanation: "cpu busy 97% vs usual 2-20%")
        recorder.record([.opened(key: 1, title: "CPU saturation", severity: .critical, rootSignal: "cpu.total.busy",
                                 detail: IncidentDetail(members: [busy]), at: 100)])
        var ended = busy
        ended.end = 130
        recorder.record([.memberCleared(key: 1, member: ended)])
        let id = try #require(recorder.idsByKey[1])
        let members = try recorder.incidents.detail(id).members
        #expect(members.count == 1)
        #expect(members.first?.end == 130, "the view would still show it CRIT")
    }
}
