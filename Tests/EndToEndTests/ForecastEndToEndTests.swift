import Foundation
import Store
import Telemetry
import Testing

/// Forecasts from the real collector and engine: a file growing on a small filesystem the
/// test makes, and `vigil snapshot` forecasting from history a running Vigil recorded.
extension UnderLoad {
@Suite("forecasts end to end")
struct ForecastEndToEndTests {
    /// A 16 MiB ext4 filesystem in a file, loop-mounted under a scratch directory; unmounted when done.
    final class LoopFilesystem {
        let scratch: ScratchDirectory
        let mountPoint: String

        init() throws {
            scratch = try ScratchDirectory()
            let image = scratch.path + "/fs.img"
            mountPoint = scratch.path + "/mnt"
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: image, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: image))
            try handle.truncate(atOffset: 16 << 20)
            try handle.close()
            let mkfs = try Subprocess.run("/usr/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", image])
            try #require(mkfs.status == 0, "mkfs.ext4: \(mkfs.error)")
            let mount = try Subprocess.run("/usr/bin/mount", ["-o", "loop", image, mountPoint])
            try #require(mount.status == 0, "this test mounts a loop filesystem and needs root: \(mount.error)")
        }

        deinit {
            _ = try? Subprocess.run("/usr/bin/umount", ["-l", mountPoint])
        }

        /// Space used, as df counts it.
        var usedFraction: Double {
            var info = statvfs()
            statvfs(mountPoint, &info)
            return 1 - Double(info.f_bavail) / Double(info.f_blocks)
        }
    }

    @Test("a file growing on a small loop-mounted filesystem raises the forecast long before it is full; deleting it withdraws it")
    func growingFile() throws {
        let filesystem = try LoopFilesystem()
        let signal = "fs.\(filesystem.mountPoint).free"
        let watch = try Subprocess.Background(VigilBinary.path, [
            "watch", "--json", "--interval", "100ms", "--db", filesystem.scratch.path + "/vigil.db", "--duration", "120s",
        ])
        defer { watch.stop(SIGKILL) }
        let tmux = try Tmux(columns: 140, rows: 50)
        try tmux.type("\(VigilBinary.path) --interval 100ms; echo EXIT=$?")
        #expect(try tmux.waitFor("Filesystems", timeout: 5))
        // A second dashboard on the watch's database follows it: it shows the forecast the watch shares.
        let follower = try Tmux(columns: 140, rows: 50)
        try follower.type("\(VigilBinary.path) --interval 100ms --db \(filesystem.scratch.path)/vigil.db; echo EXIT=$?")
        #expect(try follower.waitFor("following another Vigil", timeout: 5))
        Thread.sleep(forTimeInterval: 2)

        // About 240 KiB/s: the 16 MiB filesystem would be full in roughly a minute.
        let file = filesystem.mountPoint + "/growing.log"
        FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        let chunk = Data(repeating: 0x61, count: 24 << 10)
        let started = Date().timeIntervalSince1970
        var forecast: (tick: FaultDetectionTests.Tick, flag: FaultDetectionTests.Tick.Flag, used: Double)? = nil
        while forecast == nil, Date().timeIntervalSince1970 - started < 70, filesystem.usedFraction < 0.97 {
            handle.write(chunk)
            usleep(100_000)
            let used = filesystem.usedFraction
            for tick in FaultDetectionTests.ticks(watch.output) where tick.time > started {
                if let flag = tick.anomalies.first(where: { $0.kind == "forecast" && $0.signal == signal }) {
                    forecast = (tick, flag, used)
                    break
                }
            }
        }
        let found = try #require(forecast, "no forecast for \(signal) before the filesystem filled; watch printed:\n\(watch.output.suffix(2000))")
        #expect(found.used < 0.6, "the forecast came only at \(Int(found.used * 100))% used")
        #expect(found.flag.explanation.contains("full in"), "\(found.flag.explanation)")
        #expect(found.flag.severity == "critical", "a minute to full is within the critical hour")
        print("forecast seconds_after_fill_start=\(String(format: "%.1f", found.tick.time - started)) used_percent=\(Int(found.used * 100)) explanation=\"\(found.flag.explanation)\"")

        // The dashboard shows it beside the filesystem's free space, while the file keeps growing.
        var screen = ""
        var shown = false
        while !shown, filesystem.usedFraction < 0.95 {
            handle.write(chunk)
            usleep(100_000)
            screen = try tmux.screen()
            shown = screen.contains(" free  full in ")
        }
        #expect(shown, "screen was:\n\(screen)")
        let (followed, followerShows) = try follower.waitFor(timeout: 3) { $0.contains(" free  full in ") }
        #expect(followerShows, "the follower shows the forecast too:\n\(followed)")

        // The log is deleted: the space comes back and the forecast is withdrawn within a bucket or two.
        try handle.close()
        try FileManager.default.removeItem(atPath: file)
        let deleted = Date().timeIntervalSince1970
        var withdrawn = false
        while !withdrawn, Date().timeIntervalSince1970 - deleted < 10 {
            usleep(200_000)
            let later = FaultDetectionTests.ticks(watch.output).filter { $0.time > deleted + 0.2 }
            withdrawn = later.count >= 5 && !later.suffix(3).contains { $0.anomalies.contains { $0.kind == "forecast" && $0.signal == signal } }
        }
        #expect(withdrawn, "the forecast stayed after the file was deleted")
        let lastFlagged = FaultDetectionTests.ticks(watch.output).last { $0.anomalies.contains { $0.kind == "forecast" && $0.signal == signal } }
        print("forecast withdrawn_seconds_after_delete=\(String(format: "%.1f", (lastFlagged?.time ?? deleted) - deleted))")
        try tmux.press("q")
        #expect(try tmux.waitFor("EXIT=0"))
        try follower.press("q")
        #expect(try follower.waitFor("EXIT=0"))
    }

    @Test("vigil snapshot --json forecasts from the history a running Vigil recorded")
    func snapshotFromHistory() throws {
        let scratch = try ScratchDirectory()
        let plain = try VigilBinary.run(["snapshot", "--json", "--db", scratch.path + "/none.db"])
        try #require(plain.status == 0, "\(plain.stderr)")
        struct Document: Decodable {
            struct Signal: Decodable { var id: String; var value: Double }
            struct Entry: Decodable {
                var signal: String
                var status: String
                var seconds_to_limit: Double?
                var rate_per_hour: Double?
                var explanation: String
            }
            var signals: [Signal]
            var forecasts: [Entry]
        }
        let before = try JSONDecoder().decode(Document.self, from: Data(plain.stdout.utf8))
        // Without history there is no evidence yet.
        #expect(!before.forecasts.isEmpty)
        #expect(before.forecasts.allSatisfy { $0.status == "learning" })
        let free = try #require(before.signals.first { $0.id.hasPrefix("fs.") && $0.id.hasSuffix(".free") && $0.value > 1_073_741_824 })

        // Ten minutes of that filesystem losing space at a rate that fills it in two hours.
        let db = scratch.path + "/vigil.db"
        let history = try HistoryStore(database: Database(path: db))
        let now = Date().timeIntervalSince1970
        let rate = free.value / 7200
        for second in stride(from: 600.0, to: 1, by: -1) {
            try history.record([Reading(SignalID(free.id), free.value + rate * second, .bytes)], at: now - second)
        }
        try history.flush()
        let result = try VigilBinary.run(["snapshot", "--json", "--db", db])
        try #require(result.status == 0, "\(result.stderr)")
        let after = try JSONDecoder().decode(Document.self, from: Data(result.stdout.utf8))
        let forecast = try #require(after.forecasts.first { $0.signal == free.id })
        #expect(forecast.status == "warning", "\(forecast)")
        let eta = try #require(forecast.seconds_to_limit)
        #expect(abs(eta - 7200) < 7200 * 0.2, "eta \(eta) s, expected about 7200")
        #expect(forecast.explanation.contains("full in"), "explanation: \(forecast.explanation)")
        #expect(forecast.rate_per_hour.map { $0 < 0 } == true)
    }

}
}
