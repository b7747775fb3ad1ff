import Foundation
import Testing

/// `vigil snapshot` as a script uses it: every KPI family, the top processes and the host facts.
@Suite("snapshot signals")
struct SnapshotSignalsTests {
    @Test("the JSON holds every family of signals, the process table and the host facts")
    func everyFamily() throws {
        let result = try VigilBinary.run(["snapshot", "--json", "--interval", "300ms"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let ids = Set(((object["signals"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        for id in ["cpu.total.iowait", "load.1", "kernel.forks", "mem.dirty", "swap.in", "vm.major_faults", "fd.open", "procs.total", "tcp.established"] {
            #expect(ids.contains(id), "missing \(id)")
        }
        for family in ["disk.", "net.", "fs."] {
            #expect(ids.contains { $0.hasPrefix(family) }, "no \(family) signal")
        }
        if FileManager.default.fileExists(atPath: "/proc/pressure/io") {
            #expect(ids.contains("psi.io.some.avg10"))
        }
        let processes = try #require(object["processes"] as? [String: Any])
        #expect((processes["total"] as? Int ?? 0) > 0)
        let top = try #require(processes["top_memory"] as? [[String: Any]])
        #expect(!top.isEmpty)
        #expect(top.first?["command"] is String)
        let host = try #require(object["host"] as? [String: Any])
        #expect((host["memory_bytes"] as? Int ?? 0) > 0)
    }

    @Test("an empty proc root lists its sources as unavailable instead of failing")
    func emptyRoot() throws {
        let scratch = try ScratchDirectory()
        let result = try VigilBinary.run(["snapshot", "--interval", "100ms", "--proc-root", scratch.path, "--sys-root", scratch.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("procs.total"))
        #expect(result.stdout.contains("unavailable: stat:"))
        #expect(result.stdout.contains("unavailable: pressure:"))
    }
}
