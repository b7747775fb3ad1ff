import Telemetry

/// The fields of /proc/meminfo that Vigil reports, in bytes.
public struct MemInfo: Hashable, Sendable {
    public var total: UInt64?
    public var free: UInt64?
    public var available: UInt64?
    public var buffers: UInt64?
    public var cached: UInt64?
    public var reclaimableSlab: UInt64?
    public var swapTotal: UInt64?
    public var swapFree: UInt64?
    /// Page cache waiting to be written back (`Dirty`).
    public var dirty: UInt64?
    /// Page cache being written back now (`Writeback`).
    public var writeback: UInt64?
    /// Kernel slab caches, reclaimable or not (`Slab`).
    public var slab: UInt64?
    /// tmpfs and shared memory (`Shmem`).
    public var shared: UInt64?
    public var malformed = 0

    public init() {}

    /// Parses the bytes of /proc/meminfo (`Key:   value kB` lines).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> MemInfo {
        var info = MemInfo()
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let key = scanner.token()
            guard !key.isEmpty else {
                scanner.skipLine()
                continue
            }
            guard let raw = scanner.unsigned() else {
                info.malformed += 1
                scanner.skipLine()
                continue
            }
            let unit = scanner.token()
            let value = unit.equals("kB") ? raw &* 1024 : raw
            if key.equals("MemTotal:") {
                info.total = value
            } else if key.equals("MemFree:") {
                info.free = value
            } else if key.equals("MemAvailable:") {
                info.available = value
            } else if key.equals("Buffers:") {
                info.buffers = value
            } else if key.equals("Cached:") {
                info.cached = value
            } else if key.equals("SReclaimable:") {
                info.reclaimableSlab = value
            } else if key.equals("SwapTotal:") {
                info.swapTotal = value
            } else if key.equals("SwapFree:") {
                info.swapFree = value
            } else if key.equals("Dirty:") {
                info.dirty = value
            } else if key.equals("Writeback:") {
                info.writeback = value
            } else if key.equals("Slab:") {
                info.slab = value
            } else if key.equals("Shmem:") {
                info.shared = value
            }
            scanner.skipLine()
        }
        return info
    }

    /// The memory summary, or nil when MemTotal is missing (a truncated file).
    ///
    /// Kernels before 3.14 have no MemAvailable; free + buffers + cache stands in.
    public var usage: MemoryUsage? {
        guard let total else { return nil }
        let free = self.free ?? 0
        let buffers = self.buffers ?? 0
        let cache = (cached ?? 0) + (reclaimableSlab ?? 0)
        return MemoryUsage(
            total: total, available: available ?? min(total, free + buffers + cache), free: free,
            buffers: buffers, cached: cache, swapTotal: swapTotal ?? 0, swapFree: swapFree ?? 0
        )
    }
}
