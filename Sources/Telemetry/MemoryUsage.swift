/// Memory and swap, in bytes, as /proc/meminfo reports them.
public struct MemoryUsage: Hashable, Sendable, Codable {
    public var total: UInt64
    public var available: UInt64
    public var free: UInt64
    public var buffers: UInt64
    public var cached: UInt64
    public var swapTotal: UInt64
    public var swapFree: UInt64

    public init(
        total: UInt64, available: UInt64, free: UInt64, buffers: UInt64, cached: UInt64,
        swapTotal: UInt64, swapFree: UInt64
    ) {
        self.total = total
        self.available = available
        self.free = free
        self.buffers = buffers
        self.cached = cached
        self.swapTotal = swapTotal
        self.swapFree = swapFree
    }

    /// Memory applications hold: what would not come back without swapping.
    public var used: UInt64 { total &- min(total, available) }

    public var swapUsed: UInt64 { swapTotal &- min(swapTotal, swapFree) }

    public var usedPercent: Double {
        total == 0 ? 0 : Double(used) / Double(total) * 100
    }

    public var swapUsedPercent: Double {
        swapTotal == 0 ? 0 : Double(swapUsed) / Double(swapTotal) * 100
    }
}
