import Foundation

/// A /proc-like tree in a temporary directory that a test writes file by file, and changes
/// between ticks to play out what the kernel would do.
final class ScratchTree {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "vigil-proc-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` at `relative`, creating folders on the way.
    func write(_ relative: String, _ text: String) throws {
        let file = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relative)
    }

    /// Copies files of a captured fixture tree into this one.
    func copy(fromFixture fixture: String, _ files: [String]) throws {
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: FixtureTree.path(fixture + "/" + file)))
            try write(file, String(decoding: data, as: UTF8.self))
        }
    }

    /// A /proc/PID/stat line with the fields the process table reads; everything else zero.
    static func statLine(pid: Int32, name: String, state: Character = "S", utime: UInt64 = 0, stime: UInt64 = 0, threads: Int = 1, start: UInt64 = 100, rssPages: UInt64 = 256) -> String {
        // Fields 4-13, then utime stime (14, 15), 16-19, threads (20), 21, start (22), vsize (23), rss (24), the rest.
        "\(pid) (\(name)) \(state) 1 \(pid) \(pid) 0 -1 4194560 0 0 0 0 \(utime) \(stime) 0 0 20 0 \(threads) 0 \(start) 1000000 \(rssPages) 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"
    }
}
