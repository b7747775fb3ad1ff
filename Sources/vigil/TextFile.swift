import Monitor
#if canImport(Glibc)
import Glibc
#endif

/// Small whole-file reads for configuration and theme files (not for /proc: see `ProcFile`).
enum TextFile {
    /// The file's text, or why it could not be read (the C library's words).
    static func read(_ path: String) -> Result<String, UsageError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(UsageError("\(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(UsageError("\(path): \(String(cString: strerror(errno)))"))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 16 << 20 {
                return .failure(UsageError("\(path): larger than 16 MiB, not a configuration file"))
            }
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    /// Writes the text to a temporary file beside `path`, then renames it into place.
    static func write(_ text: String, to path: String) -> Bool {
        AtomicFile.write(text, to: path) == nil
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The real path of the running binary, from /proc/self/exe.
    static func executablePath() -> String? {
        RunningBinary.path()
    }
}
