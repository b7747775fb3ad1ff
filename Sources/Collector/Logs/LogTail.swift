#if canImport(Glibc)
import Glibc
#endif
import Telemetry

/// Follows one log file by path, as `tail -F` and lnav do, through every kind of rotation.
///
/// A file is known by its device, inode, size and the hash of its first line. Each
/// poll compares them with what the path names now:
/// - another inode (renamed away and a new file made, or deleted and re-created): the
///   old file, still open, is read to its end first, then the new one from its start;
/// - the path gone: the old file is read to its end, then the path is watched until
///   a file appears, which is read from its start;
/// - a smaller size (copytruncate) or a different first line (truncated and rewritten
///   between two polls): the file is read again from its start.
/// So no line is lost or repeated. A file renamed away stays open for `retiredGrace`
/// seconds after it last grew: a daemon that reopens its log only on a later HUP (logrotate's
/// `create` with a slow `postrotate`) keeps writing there meanwhile, and those lines come
/// too. Lines go through a `LineAssembler`, so partial, overlong and NUL-ridden lines are
/// handled the same way for every file.
///
/// Not thread-safe: the monitor polls it from its queue. The corresponding C
/// functions are `open`, `stat`, `fstat`, `pread` and `close`.
public final class LogTail {
    public let path: String
    /// Seconds a partial last line waits for its newline before it is emitted as it is.
    public var partialLineWait = 1.0
    /// Bytes read per poll before yielding, so one huge file cannot stall the queue.
    public var readBudget = 32 << 20
    /// Seconds a file renamed away is still read after it last grew.
    public var retiredGrace = 10.0

    /// A file by device and inode, the way rotation is told apart.
    public struct FileID: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    /// Asked when the path names another file after a rotation: whether that file was read
    /// already (by another tail), so it is followed from its end rather than read again.
    public var isKnownFile: ((FileID) -> Bool)?

    /// The files this tail holds open: the one at the path and one renamed away, if still read.
    public var files: [FileID] {
        var held: [FileID] = []
        if descriptor >= 0 { held.append(FileID(device: device, inode: inode)) }
        if let retired { held.append(retired.file) }
        return held
    }

    public private(set) var state: LogSourceHealth.State = .waiting
    /// Why the file cannot be read, in the C library's words; nil while following.
    public private(set) var problem: String?
    /// Lines emitted since the tail was made.
    public private(set) var lines = 0
    /// Goes up each time a new file (or a truncated one) is started, so the caller
    /// can look at its first lines again to choose its format.
    public private(set) var generation = 0

    private var descriptor: Int32 = -1
    private var device: UInt64 = 0
    private var inode: UInt64 = 0
    private var offset = 0
    private var lastSize = -1
    private var firstLineHash: UInt64?
    private var startAtEnd: Bool
    private var assembler = LineAssembler()
    private let buffer: UnsafeMutableRawBufferPointer
    /// The file renamed away, still open, read until it has been quiet for `retiredGrace`.
    private var retired: (descriptor: Int32, file: FileID, offset: Int, assembler: LineAssembler, quietSince: Double)?

    /// - Parameters:
    ///   - path: the file to follow; it need not exist yet.
    ///   - fromStart: read a file that exists now from its start instead of its end.
    public init(path: String, fromStart: Bool = false, bufferSize: Int = 256 << 10) {
        self.path = path
        startAtEnd = !fromStart
        buffer = .allocate(byteCount: bufferSize, alignment: 16)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if let retired { close(retired.descriptor) }
        buffer.deallocate()
    }

    /// Reads whatever was written since the last poll.
    /// - Parameters:
    ///   - now: the time, to age a partial last line.
    ///   - line: called with each complete line, without its line break.
    public func poll(now: Double, line: (UnsafeRawBufferPointer) -> Void) {
        let emit: (UnsafeRawBufferPointer) -> Void = { [self] bytes in
            lines += 1
            line(bytes)
        }
        drainRetired(now: now, emit)
        if descriptor < 0 {
            guard openPath(emit) else { return }
        }
        var named = stat()
        let found = stat(path, &named) == 0
        if !found || UInt64(named.st_ino) != inode || UInt64(named.st_dev) != device {
            // Rotated away or deleted: the old file's last lines come first. Its assembler goes
            // with it, so a line half written at the rotation is finished there, not split.
            readAvailable(now: now, budget: .max, emit)
            retire(now: now, emit)
            lastSize = -1
            if found {
                // A file some other tail already read (a glob's app.log.1 that app.log became)
                // is followed from its end; anything else that takes the path is new, read whole.
                startAtEnd = isKnownFile?(FileID(device: UInt64(named.st_dev), inode: UInt64(named.st_ino))) ?? false
                if openPath(emit) { readAvailable(now: now, budget: readBudget, emit) }
            } else {
                state = .waiting
                problem = nil
                startAtEnd = false
            }
            return
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            fail(emit)
            return
        }
        let size = Int(status.st_size)
        if size != lastSize {
            if size < offset {
                restart(emit)
            } else if let known = firstLineHash {
                if let current = currentFirstLineHash(), current != known { restart(emit) }
            } else {
                firstLineHash = currentFirstLineHash()
            }
            lastSize = size
        }
        readAvailable(now: now, budget: readBudget, emit)
        assembler.flush(now: now, after: partialLineWait, line: emit)
    }

    /// Keeps the file just rotated away open, to read what its writer still adds until it
    /// reopens the path. A file deleted rather than renamed gets nothing more and is closed.
    private func retire(now: Double, _ emit: (UnsafeRawBufferPointer) -> Void) {
        if var older = retired {
            older.assembler.flushAll(line: emit)
            close(older.descriptor)
        }
        retired = (descriptor, FileID(device: device, inode: inode), offset, assembler, now)
        descriptor = -1
    }

    /// Reads what was added to the retired file; closes it once it has been quiet long enough.
    private func drainRetired(now: Double, _ emit: (UnsafeRawBufferPointer) -> Void) {
        guard var old = retired else { return }
        var status = stat()
        // Deleted rather than renamed: nobody can open it again, so nothing more is coming.
        let unlinked = fstat(old.descriptor, &status) != 0 || status.st_nlink == 0
        var grew = false
        while true {
            let got = pread(old.descriptor, buffer.baseAddress, buffer.count, off_t(old.offset))
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            grew = true
            old.offset += got
            old.assembler.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), now: now, line: emit)
            if got < buffer.count { break }
        }
        if grew { old.quietSince = now }
        if unlinked || now - old.quietSince >= retiredGrace {
            old.assembler.flushAll(line: emit)
            close(old.descriptor)
            retired = nil
        } else {
            old.assembler.flush(now: now, after: partialLineWait, line: emit)
            retired = old
        }
    }

    /// The first bytes of the file followed now, for choosing its format.
    public func head(maximumBytes: Int = 8192) -> [UInt8] {
        guard descriptor >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: maximumBytes)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, maximumBytes, 0) }
        return got > 0 ? Array(bytes[0..<got]) : []
    }

    /// The file was truncated or rewritten in place: start over from its first byte.
    private func restart(_ emit: (UnsafeRawBufferPointer) -> Void) {
        assembler.flushAll(line: emit)
        offset = 0
        firstLineHash = currentFirstLineHash()
        generation += 1
    }

    private func openPath(_ emit: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let opened = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard opened >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                state = .waiting
                problem = nil
            } else {
                state = .unreadable
                problem = String(cString: strerror(code))
            }
            // A file that appears later is new: all of it is read.
            startAtEnd = false
            return false
        }
        var status = stat()
        guard fstat(opened, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            state = .unreadable
            problem = "not a regular file"
            close(opened)
            startAtEnd = false
            return false
        }
        descriptor = opened
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        offset = startAtEnd ? lineStartBefore(Int(status.st_size), in: opened) : 0
        lastSize = Int(status.st_size)
        startAtEnd = false
        assembler = LineAssembler(maximumLength: assembler.maximumLength)
        firstLineHash = currentFirstLineHash()
        generation += 1
        state = .following
        problem = nil
        return true
    }

    private func readAvailable(now: Double, budget: Int, _ emit: (UnsafeRawBufferPointer) -> Void) {
        var used = 0
        while used < budget {
            let got = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if got < 0 {
                if errno == EINTR { continue }
                fail(emit)
                return
            }
            if got == 0 { break }
            offset += got
            used += got
            assembler.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), now: now, line: emit)
            if got < buffer.count { break }
        }
    }

    /// A read failed (an I/O error, a revoked permission): report it and reopen on the next poll.
    private func fail(_ emit: (UnsafeRawBufferPointer) -> Void) {
        problem = String(cString: strerror(errno))
        state = .unreadable
        assembler.flushAll(line: emit)
        close(descriptor)
        descriptor = -1
        // Coming back, the same file continues where it stopped; a new one starts over.
        startAtEnd = false
    }

    /// Where the last line that has not ended yet starts, so that starting at the end still
    /// shows that line whole once its newline comes (looked for in the last 64 KiB).
    private func lineStartBefore(_ size: Int, in descriptor: Int32) -> Int {
        let window = min(size, buffer.count, 65_536)
        guard window > 0 else { return size }
        let got = pread(descriptor, buffer.baseAddress, window, off_t(size - window))
        guard got == window else { return size }
        var index = window - 1
        while index >= 0, buffer[index] != 0x0A { index -= 1 }
        return index >= 0 ? size - window + index + 1 : size
    }

    /// FNV-1a of the first line, or nil while the file has no complete first line.
    private func currentFirstLineHash() -> UInt64? {
        let want = min(buffer.count, 4096)
        let got = pread(descriptor, buffer.baseAddress, want, 0)
        guard got > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<got])
        guard let newline = LineAssembler.index(of: 0x0A, in: bytes, from: 0) else {
            // A first line longer than the window counts by its first 4 KiB.
            return got == want ? Self.hash(bytes) : nil
        }
        return Self.hash(UnsafeRawBufferPointer(rebasing: bytes[0..<newline]))
    }

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return value
    }
}
