import CNCurses
import Synchronization
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// Hands the newest snapshot from the monitor's queue to the UI loop and wakes it.
///
/// Only the newest snapshot matters, so a slow screen skips snapshots instead of
/// queueing them. The wake-up is an eventfd the UI loop polls next to stdin.
public final class SnapshotMailbox: Sendable {
    private let latest = Mutex<Snapshot?>(nil)
    /// Readable while a snapshot is waiting; the corresponding C function is `eventfd`.
    let descriptor: Int32

    public init() {
        descriptor = vigil_eventfd()
    }

    deinit {
        close(descriptor)
    }

    /// Leaves a snapshot for the screen; never blocks.
    public func post(_ snapshot: Snapshot) {
        latest.withLock { $0 = snapshot }
        var one: UInt64 = 1
        _ = write(descriptor, &one, 8)
    }

    /// The newest snapshot, clearing the wake-up.
    func take() -> Snapshot? {
        var count: UInt64 = 0
        _ = read(descriptor, &count, 8)
        return latest.withLock { $0 }
    }
}
