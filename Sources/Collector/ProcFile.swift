#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One file under /proc or /sys, kept open and re-read from offset 0 each tick.
///
/// /proc files report a size of 0, so the whole file is read with `pread` into a
/// buffer that is reused between reads and grown when a read fills it. The
/// corresponding C functions are `open` and `pread`.
public final class ProcFile {
    public let path: String
    private var descriptor: Int32 = -1
    private var buffer: UnsafeMutableRawBufferPointer

    /// Why the last open or read failed, as the C library says it; nil after a success.
    public private(set) var lastError: String?

    public init(path: String, initialCapacity: Int = 4096) {
        self.path = path
        buffer = .allocate(byteCount: max(64, initialCapacity), alignment: 8)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        buffer.deallocate()
    }

    /// Reads the file whole and hands its bytes to `body`; nil if the file cannot be read.
    ///
    /// The bytes are valid only inside `body`: the buffer is reused on the next read.
    public func withContents<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard let count = readWhole() else { return nil }
        return try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// The file's bytes as an array, for callers off the hot path.
    public func bytes() -> [UInt8]? {
        withContents { Array($0) }
    }

    private func readWhole() -> Int? {
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                lastError = String(cString: strerror(errno))
                return nil
            }
        }
        var filled = 0
        while true {
            let got = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
            if got < 0 {
                if errno == EINTR { continue }
                lastError = String(cString: strerror(errno))
                // A descriptor can go stale (a device removed, a pid gone): reopen next time.
                close(descriptor)
                descriptor = -1
                return nil
            }
            filled += got
            // The kernel's seq files fill the buffer as far as they can, so a read
            // that leaves room is the end; this saves a second syscall per file.
            if got == 0 || filled < buffer.count { break }
            grow()
        }
        lastError = nil
        return filled
    }

    private func grow() {
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 8)
        bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
        buffer.deallocate()
        buffer = bigger
    }
}
