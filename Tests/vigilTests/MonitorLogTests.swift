import Foundation
import Monitor
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
