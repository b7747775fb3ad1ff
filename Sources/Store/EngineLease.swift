#if canImport(Glibc)
import Glibc
#endif

/// The right to run the detection engine on one database: exactly one Vigil
/// process holds it; the others follow the store.
///
/// An exclusive `flock` on `<database>.lock`. The kernel drops it when the
/// holder exits in any way, `kill -9` included, so a follower can take over
/// without stale-lock cleanup. The corresponding C function is `flock`.
public final class EngineLease {
    public let path: String
    private var descriptor: Int32 = -1

    public init(databasePath: String) {
        path = databasePath + ".lock"
    }

    deinit {
        release()
    }

    /// Whether this process holds the lease.
    public var isHeld: Bool { descriptor >= 0 }

    /// Takes the lease if nobody holds it; never blocks.
    /// - Returns: true when this process now holds it.
    public func tryAcquire() -> Bool {
        if descriptor >= 0 { return true }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            descriptor = fd
            // The holder's pid, for an operator wondering who runs the engine.
            let pid = "\(getpid())\n"
            _ = ftruncate(fd, 0)
            _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
            return true
        }
        close(fd)
        return false
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }
}
