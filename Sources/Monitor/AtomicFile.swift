#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that a reader never sees half done.
public enum AtomicFile {
    /// Writes the text to a temporary file beside `path` (`.tmp-PID` added, so a reader
    /// globbing `*.prom` skips it), then renames it into place.
    /// - Returns: nil when done, else why not, in the C library's words.
    /// The corresponding C functions are `open`, `write` and `rename`.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) -> String? {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        var failure: String? = nil
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += written
            }
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if failure != nil { unlink(temporary) }
        return failure
    }
}
