#if canImport(Glibc)
import Glibc
#endif

/// The executable this process runs, for finding what was installed beside it.
public enum RunningBinary {
    /// The real path of the running binary, from /proc/self/exe; the corresponding C function is `readlink`.
    public static func path() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
