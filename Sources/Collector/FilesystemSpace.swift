#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Space and inodes of one mounted filesystem, as `statvfs` reports them.
public struct FilesystemSpace: Hashable, Sendable {
    public var totalBytes: UInt64
    /// Free to unprivileged users (`f_bavail`), what `df` shows as available.
    public var availableBytes: UInt64
    /// Free including the root reserve (`f_bfree`).
    public var freeBytes: UInt64
    public var totalInodes: UInt64
    public var freeInodes: UInt64

    public init(totalBytes: UInt64, availableBytes: UInt64, freeBytes: UInt64, totalInodes: UInt64, freeInodes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.freeBytes = freeBytes
        self.totalInodes = totalInodes
        self.freeInodes = freeInodes
    }

    /// Used as `df` computes it: used / (used + available), so the root reserve counts as full.
    public var usedPercent: Double {
        let used = totalBytes &- min(totalBytes, freeBytes)
        let denominator = used + availableBytes
        return denominator == 0 ? 0 : Double(used) / Double(denominator) * 100
    }

    /// Nil for filesystems without a fixed inode table (btrfs reports 0).
    public var inodesUsedPercent: Double? {
        guard totalInodes > 0 else { return nil }
        return Double(totalInodes &- min(totalInodes, freeInodes)) / Double(totalInodes) * 100
    }

    /// Asks the kernel about the filesystem mounted at `path`; the corresponding C function is `statvfs`.
    public static func query(_ path: String) -> FilesystemSpace? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let unit = UInt64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        return FilesystemSpace(
            totalBytes: UInt64(info.f_blocks) &* unit, availableBytes: UInt64(info.f_bavail) &* unit,
            freeBytes: UInt64(info.f_bfree) &* unit, totalInodes: UInt64(info.f_files), freeInodes: UInt64(info.f_ffree)
        )
    }
}
