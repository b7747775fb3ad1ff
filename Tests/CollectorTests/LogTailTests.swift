@testable import Collector
import Foundation
import Testing

/// A file written by another thread while a `LogTail` follows it, rotated halfway.
@Suite("log tail", .serialized)
struct LogTailTests {
    enum Rotation: String, CaseIterable, Sendable {
        /// logrotate's default: rename to `.1`, the writer reopens the path.
        case rename
        /// logrotate's copytruncate: copy to `.1`, truncate in place, the writer goes on (O_APPEND).
        case copytruncate
        /// The file is deleted and made again.
        case deleteAndRecreate
        /// The file does not exist when the tail starts.
        case notYetExisting
        /// Truncated and refilled past the old size between two polls: only the first line tells.
        case truncateAndRefill
    }

    final class Writer: @unchecked Sendable {
        let path: String
        var descriptor: Int32 = -1
        init(path: String) { self.path = path }

        func open() { descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644) }
        func close() { Glibc.close(descriptor) }
        func write(_ text: String) {
            var bytes = Array(text.utf8)
            _ = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    /// Log sources on one glob read from the start, expanded every poll, with every message kept.
    final class GlobReader {
        let sources: LogSources
        var seen: [String] = []
        private var now = 0.0

        init(_ glob: String) {
            sources = LogSources(patterns: [glob], fromStart: true)
            sources.globEvery = 1
        }

        /// A few polls, a second apart.
        func poll(_ times: Int = 3) {
            for _ in 0..<times {
                now += 1
                sources.poll(now: now) { record, _ in seen.append(record.message) }
            }
        }
    }

    static func scratch() -> String {
        let directory = NSTemporaryDirectory() + "vigil-tail-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("every line once and in order, through each kind of rotation", arguments: Rotation.allCases)
    func rotation(kind: Rotation) async throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        let total = 400
        let writer = Writer(path: path)
        if kind != .notYetExisting {
            writer.open()
            writer.write("before the tail started\n")
        }
        let tail = LogTail(path: path)
        var seen: [String] = []
        tail.poll(now: 0) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen.isEmpty, "a tail starts at the end")

        let thread = Thread {
            if kind == .notYetExisting {
                usleep(20_000)
                writer.open()
            }
            for number in 0..<total {
                if number == total / 2 {
                    if kind == .copytruncate || kind == .truncateAndRefill {
                        // Truncating destroys what the reader has not read yet, for any
                        // reader (logrotate's copy has it): give the tail time to catch up,
                        // as the copy itself does in real life.
                        usleep(30_000)
                    }
                    switch kind {
                    case .rename:
                        rename(path, path + ".1")
                        writer.close()
                        writer.open()
                    case .copytruncate:
                        _ = try? FileManager.default.copyItem(atPath: path, toPath: path + ".1")
                        truncate(path, 0)
                    case .deleteAndRecreate:
                        unlink(path)
                        writer.close()
                        usleep(5_000)
                        writer.open()
                    case .truncateAndRefill:
                        truncate(path, 0)
                        // More than was there before, at once, so the size alone cannot tell.
                        var burst = ""
                        for filler in 0..<50 { burst += "refill \(filler) " + String(repeating: "x", count: 200) + "\n" }
                        writer.write(burst)
                    case .notYetExisting:
                        break
                    }
                }
                writer.write("line \(number)\n")
                if number % 20 == 0 { usleep(2_000) }
            }
            writer.close()
        }
        thread.start()
        let deadline = Date().addingTimeInterval(10)
        var now = 1.0
        while Date() < deadline {
            tail.poll(now: now) { seen.append(String(decoding: $0, as: UTF8.self)) }
            now += 0.001
            if seen.filter({ $0.hasPrefix("line ") }).count >= total { break }
            usleep(1_000)
        }
        usleep(50_000)
        tail.poll(now: now) { seen.append(String(decoding: $0, as: UTF8.self)) }
        let numbered = seen.filter { $0.hasPrefix("line ") }
        #expect(numbered == (0..<total).map { "line \($0)" }, "\(kind): got \(numbered.count) lines")
        #expect(!seen.contains("before the tail started"))
        if kind == .truncateAndRefill {
            #expect(seen.filter { $0.hasPrefix("refill ") }.count == 50)
        }
    }

    @Test("--from-start reads what is there; a partial last line waits for its newline, then for the timeout")
    func partialLine() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a.log"
        try "one\ntwo\nthr".write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogTail(path: path, fromStart: true)
        tail.partialLineWait = 1
        var seen: [String] = []
        tail.poll(now: 0) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["one", "two"])
        let writer = Writer(path: path)
        writer.open()
        writer.write("ee\nfour")
        tail.poll(now: 0.5) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["one", "two", "three"])
        tail.poll(now: 2) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["one", "two", "three", "four"])
        writer.close()
    }

    @Test("a daemon that reopens its log only on a late HUP: what it still writes to the renamed file comes too, until the file has been quiet")
    func lateReopen() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        let daemon = Writer(path: path)
        daemon.open()
        daemon.write("first\n")
        let tail = LogTail(path: path, fromStart: true)
        tail.retiredGrace = 5
        var seen: [String] = []
        tail.poll(now: 0) { seen.append(String(decoding: $0, as: UTF8.self)) }
        // logrotate renames and creates an empty file; the daemon has not reopened yet.
        rename(path, path + ".1")
        let created = Writer(path: path)
        created.open()
        created.close()
        daemon.write("still old 1\n")
        tail.poll(now: 1) { seen.append(String(decoding: $0, as: UTF8.self)) }
        daemon.write("still old 2\n")
        tail.poll(now: 2) { seen.append(String(decoding: $0, as: UTF8.self)) }
        // The HUP: the daemon now writes to the new file.
        daemon.close()
        daemon.open()
        daemon.write("new 1\n")
        tail.poll(now: 3) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["first", "still old 1", "still old 2", "new 1"])
        // Long after, a stray write to the old file is no longer read: the tail let it go.
        tail.poll(now: 8) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(tail.files.count == 1, "the renamed file is closed once quiet for the grace")
        let stray = Writer(path: path + ".1")
        stray.open()
        stray.write("stray\n")
        stray.close()
        tail.poll(now: 9) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(!seen.contains("stray"))
        daemon.close()
    }

    @Test("a glob that also matches the rotated file reads no line twice; compressed rotations are skipped; a new file is read whole")
    func globOverRotation() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        try (0..<50).map { "line \($0)\n" }.joined().write(toFile: path, atomically: false, encoding: .utf8)
        let sources = GlobReader(directory + "/*")
        sources.poll()
        #expect(sources.seen.count == 50)
        rename(path, path + ".1")
        try "after 0\n".write(toFile: path, atomically: false, encoding: .utf8)
        try Data([0x1f, 0x8b, 0x08, 0x00, 0x0a]).write(to: URL(fileURLWithPath: path + ".2.gz"))
        try "other 0\nother 1\n".write(toFile: directory + "/other.log", atomically: false, encoding: .utf8)
        sources.poll()
        #expect(sources.seen.filter { $0.hasPrefix("line ") }.count == 50, "the rotated file is not read again")
        #expect(sources.seen.contains("after 0"))
        #expect(sources.seen.filter { $0.hasPrefix("other ") } == ["other 0", "other 1"])
        #expect(!sources.sources.health.contains { $0.path.hasSuffix(".gz") })
        #expect(!sources.sources.health.contains { $0.path.hasSuffix(".1") })
    }

    @Test("a glob that follows app.log and app.log.1 from the start: a rotation shifts them without any line read twice")
    func globFollowingBothNames() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        try "old 1\nold 2\n".write(toFile: path + ".1", atomically: false, encoding: .utf8)
        try "current 1\ncurrent 2\n".write(toFile: path, atomically: false, encoding: .utf8)
        let sources = GlobReader(directory + "/app.log*")
        sources.poll()
        #expect(sources.seen.sorted() == ["current 1", "current 2", "old 1", "old 2"])
        // logrotate: .1 becomes .2, the live file .1, and a new one starts.
        rename(path + ".1", path + ".2")
        rename(path, path + ".1")
        try "fresh 1\n".write(toFile: path, atomically: false, encoding: .utf8)
        sources.poll()
        #expect(sources.seen.sorted() == ["current 1", "current 2", "fresh 1", "old 1", "old 2"], "\(sources.seen)")
    }

    @Test("a line half written when the file is renamed away is finished from the old file, not split in two")
    func halfLineAtRotation() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.log"
        let daemon = Writer(path: path)
        daemon.open()
        let tail = LogTail(path: path, fromStart: true)
        tail.partialLineWait = 5
        var seen: [String] = []
        daemon.write("whole\nhalf of a li")
        tail.poll(now: 0) { seen.append(String(decoding: $0, as: UTF8.self)) }
        rename(path, path + ".1")
        Writer(path: path).open()
        tail.poll(now: 0.5) { seen.append(String(decoding: $0, as: UTF8.self)) }
        daemon.write("ne, then its end\n")
        tail.poll(now: 1) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["whole", "half of a line, then its end"])
        daemon.close()
    }

    @Test("starting at the end, a line still being written shows whole once it ends")
    func startInsideALine() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/b.log"
        try "old\nolder\npart".write(toFile: path, atomically: false, encoding: .utf8)
        let tail = LogTail(path: path)
        var seen: [String] = []
        tail.poll(now: 0) { seen.append(String(decoding: $0, as: UTF8.self)) }
        let writer = Writer(path: path)
        writer.open()
        writer.write("ial\nnext\n")
        writer.close()
        tail.poll(now: 0.1) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(seen == ["partial", "next"])
    }

    @Test("a path that cannot be read is reported and retried, and recovers")
    func unreadable() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/odd.log"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let tail = LogTail(path: path)
        tail.poll(now: 0) { _ in }
        #expect(tail.state == .unreadable)
        #expect(tail.problem != nil)
        try FileManager.default.removeItem(atPath: path)
        try "fresh\n".write(toFile: path, atomically: false, encoding: .utf8)
        var seen: [String] = []
        tail.poll(now: 1) { seen.append(String(decoding: $0, as: UTF8.self)) }
        #expect(tail.state == .following)
        #expect(seen == ["fresh"], "a file that appears later is read from its start")
    }
}

@Suite("line assembler")
struct LineAssemblerTests {
    static func lines(_ chunks: [[UInt8]], maximum: Int = 64) -> [[UInt8]] {
        var assembler = LineAssembler(maximumLength: maximum)
        var out: [[UInt8]] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { assembler.feed($0, now: 0) { out.append(Array($0)) } }
        }
        return out
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func run(_ count: Int, _ byte: String) -> [UInt8] { Array(String(repeating: byte, count: count).utf8) }

    static let cases: [([[UInt8]], [[UInt8]])] = [
        ([Array("a\r\nb\n".utf8)], [Array("a".utf8), Array("b".utf8)]),
        ([Array("he".utf8), Array("llo\nwor".utf8), Array("ld\n".utf8)], [Array("hello".utf8), Array("world".utf8)]),
        ([[0, 0, 0x61, 0, 0x62, 0x0A]], [Array("ab".utf8)]),
        ([[0x61, 0xFF, 0xFE, 0x62, 0x0A]], [[0x61, 0xFF, 0xFE, 0x62]]),
        ([Array(String(repeating: "x", count: 100).utf8) + [0x0A] + Array("next\n".utf8)],
         [Array(String(repeating: "x", count: 64).utf8) + LineAssembler.marker, Array("next".utf8)]),
        ([Array(String(repeating: "y", count: 70).utf8), Array(String(repeating: "y", count: 70).utf8), Array("\nok\n".utf8)],
         [Array(String(repeating: "y", count: 64).utf8) + LineAssembler.marker, Array("ok".utf8)]),
    ]

    @Test("bad input becomes clean lines", arguments: cases)
    func cleaning(chunks: [[UInt8]], expected: [[UInt8]]) {
        #expect(Self.lines(chunks) == expected)
    }

    @Test("invalid UTF-8 becomes U+FFFD in the record text")
    func invalidUTF8() {
        let line: [UInt8] = [0x61, 0xFF, 0x62]
        #expect(String(decoding: line, as: UTF8.self) == "a\u{FFFD}b")
    }
}
