import Foundation
import Testing
@testable import vigil

@Suite("vigil score")
struct ScoreCommandTests {
    @Test("a step in a CRLF series scores at least 0.5 on flagged rows, below elsewhere, one row per input row")
    func scoresStep() throws {
        let folder = NSTemporaryDirectory() + "vigil-score-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = ["timestamp,value"]
        for minute in 0..<300 {
            let value = minute < 250 ? 10 + Double(minute % 3) : 90
            lines.append(String(format: "2024-01-01 %02d:%02d:00,%.1f", minute / 60, minute % 60, value))
        }
        lines.insert("2024-01-01 05:00:00,not-a-number", at: 100)
        let input = folder + "/series.csv"
        try lines.joined(separator: "\r\n").write(toFile: input, atomically: true, encoding: .utf8)
        let output = folder + "/scores.csv"
        #expect(ScoreCommand.run(try Invocation.parse(["score", input, "-o", output])) == 0)
        let rows = Array(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst())
        #expect(rows.count == 301)
        let scores = rows.map { Double($0.split(separator: ",")[2])! }
        #expect(scores.allSatisfy { (0...1).contains($0) })
        #expect(scores[..<250].allSatisfy { $0 < 0.5 })
        #expect(scores[251..<257].contains { $0 >= 0.5 }, "the step must be flagged within a few rows")
        #expect(rows[99].hasSuffix(",not-a-number,0"))
    }

    @Test("--signal judges as the live engine: a CPU going idle is no news, one pinned at 95% is")
    func asALiveSignal() throws {
        let folder = NSTemporaryDirectory() + "vigil-score-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = ["timestamp,value"]
        for second in 0..<400 {
            let value = second < 250 ? 40 + Double(second % 5) : second < 320 ? 1 : 95
            lines.append("\(1_764_851_000 + second),\(value)")
        }
        let input = folder + "/cpu.csv"
        try lines.joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        func scores(_ extra: [String]) throws -> [Double] {
            let output = folder + "/out.csv"
            #expect(ScoreCommand.run(try Invocation.parse(["score", input, "-o", output] + extra)) == 0)
            return try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[2])! }
        }
        let generic = try scores([])
        let live = try scores(["--signal", "cpu.total.busy"])
        #expect(generic[250..<320].contains { $0 >= 0.5 }, "without a signal, a drop is an anomaly like a rise")
        #expect(live[250..<320].allSatisfy { $0 < 0.5 }, "the live engine ignores a CPU going idle")
        #expect(live[322..<400].allSatisfy { $0 >= 0.5 }, "95% is flagged by its third sample at the latest (the limit's hysteresis), and stays flagged: \(live[318..<330])")
        #expect(live.allSatisfy { (0...1).contains($0) })
        #expect(throws: UsageError.self) { try Invocation.parse(["score", input, "--signal", "disk.sda.util", "--unit", "furlongs"]) }
        #expect(throws: UsageError.self) { try Invocation.parse(["score", input, "--unit", "percent"]) }
        #expect(throws: UsageError.self) { try Invocation.parse(["snapshot", "--signal", "cpu.total.busy"]) }
        #expect(try Invocation.parse(["score", input, "--signal=disk.sda.util", "--unit=percent"]).scoreUnit == .percent)
    }

    @Test("a missing file exits 1 naming it")
    func missingFile() throws {
        #expect(ScoreCommand.run(try Invocation.parse(["score", "/nonexistent/series.csv"])) == 1)
    }
}
