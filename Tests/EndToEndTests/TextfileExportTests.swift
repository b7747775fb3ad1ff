import Foundation
import Testing

/// `--textfile-dir`: the file node_exporter's textfile collector reads, checked by the real
/// `promtool check metrics` (Debian's prometheus package).
@Suite("prometheus textfile")
struct TextfileExportTests {
    static var promtool: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("vigil.prom passes promtool check metrics and carries KPIs, anomaly states, incidents and health")
    func promtoolAccepts() throws {
        let promtool = try #require(Self.promtool, "promtool is needed (Debian's prometheus package)")
        let scratch = try ScratchDirectory()
        let textfiles = scratch.path + "/textfile"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        let log = try scratch.write("app.log", "")
        let watch = try Subprocess.Background(VigilBinary.path, [
            "watch", "--json", "--interval", "200ms", "--db", scratch.path + "/vigil.db", "--log", log, "--no-journal",
            "--textfile-dir", textfiles,
        ])
        defer { watch.stop() }
        Thread.sleep(forTimeInterval: 1)
        try UnderLoad.IncidentEndToEndTests.append(UnderLoad.IncidentEndToEndTests.crash, to: log)
        let path = textfiles + "/vigil.prom"
        var text = ""
        for _ in 0..<50 {
            Thread.sleep(forTimeInterval: 0.1)
            text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if text.contains("vigil_signal_anomaly_level{signal=\"log.\(log).segfault\"} 2") { break }
        }
        watch.stop()
        let check = try Subprocess.run(promtool, ["check", "metrics"], timeout: 20, stdinPath: path)
        #expect(check.status == 0, "promtool: \(check.output)\(check.error)")
        #expect(check.output.isEmpty && check.error.isEmpty, "no lint problems: \(check.output)\(check.error)")
        #expect(text.contains("# TYPE vigil_cpu_busy_ratio gauge"))
        #expect(text.contains("vigil_cpu_busy_ratio{cpu=\"total\"} "))
        #expect(text.contains("vigil_mem_available_bytes "))
        #expect(text.contains("vigil_load1 "))
        // A build running beside the test may open a CPU incident too: at least the crash's is counted.
        let openCritical = text.split(separator: "\n").first { $0.hasPrefix("vigil_incidents{state=\"open\",severity=\"critical\"} ") }
        #expect(openCritical.flatMap { Int($0.split(separator: " ").last ?? "") }.map { $0 >= 1 } == true, "the crash's incident is counted: \(openCritical ?? "none")")
        #expect(text.contains("vigil_incidents{state=\"acknowledged\",severity=\"warning\"} 0"))
        #expect(text.contains("vigil_signal_anomaly_level{signal=\"log.\(log).segfault\"} 2"))
        #expect(text.contains("vigil_signal_anomaly_level{signal=\"cpu.total.busy\"} "))
        #expect(text.contains("vigil_log_errors_per_second{source=\"\(log)\"} "))
        #expect(text.contains("vigil_engine_leader 1"))
        #expect(text.contains("vigil_detector_signals{state=\"warming_up\"} "), "detector health")
        #expect(text.contains("vigil_log_templates "))
        #expect(text.contains("# TYPE vigil_vm_oom_kills_total counter"))
        #expect(text.contains("# TYPE vigil_collector_malformed_lines_total counter"))
        let busy = text.split(separator: "\n").first { $0.hasPrefix("vigil_cpu_busy_ratio{cpu=\"total\"}") }
        let ratio = try #require(busy.flatMap { Double($0.split(separator: " ").last ?? "") })
        #expect((0...1).contains(ratio), "a ratio, not a percentage: \(ratio)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: textfiles)
        #expect(leftovers == ["vigil.prom"], "the temporary file is renamed into place: \(leftovers)")
    }

    @Test("a folder that cannot be written is named in the header and nothing else stops")
    func unwritableFolder() throws {
        let scratch = try ScratchDirectory()
        let notAFolder = try scratch.write("plain-file", "")
        let result = try VigilBinary.run([
            "watch", "--json", "--interval", "200ms", "--db", scratch.path + "/vigil.db", "--no-journal", "--duration", "1s",
            "--textfile-dir", notAFolder,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count >= 3, "ticks go on")
        #expect(lines.last?.contains("\"name\":\"prom\",\"state\":\"cannot write\"") == true, "\(lines.last ?? "")")
        #expect(lines.last?.contains("Not a directory") == true)
    }
}
