import Telemetry

/// A fixed limit every operator expects, next to the learnt baselines: CPU busy over
/// 90%, a filesystem 90% full, any OOM kill.
///
/// Like learnt anomalies, a limit must hold for `openAfter` samples before it opens
/// and be clear for `closeAfter` samples before it closes.
public struct StaticLimit: Sendable, Equatable, Codable {
    /// The config key under `[thresholds]`.
    public var name: String
    /// Glob over signal ids.
    public var pattern: String
    /// True when values above the limit are bad; false when values below are.
    public var above: Bool
    public var warning: Double?
    public var critical: Double?
    public var openAfter: Int
    public var closeAfter: Int
    /// What the limit means, for the explanation: "CPU busy above the 90% limit".
    public var meaning: String

    public init(name: String, pattern: String, above: Bool = true, warning: Double?, critical: Double?, openAfter: Int = 3, closeAfter: Int = 3, meaning: String) {
        self.name = name
        self.pattern = pattern
        self.above = above
        self.warning = warning
        self.critical = critical
        self.openAfter = openAfter
        self.closeAfter = closeAfter
        self.meaning = meaning
    }

    /// The severity a value reaches, if any.
    public func severity(of value: Double) -> Severity? {
        func past(_ limit: Double?) -> Bool {
            guard let limit else { return false }
            return above ? value >= limit : value <= limit
        }
        if past(critical) { return .critical }
        if past(warning) { return .warning }
        return nil
    }

    /// The defaults, each overridable in `[thresholds]` as `NAME = WARNING[, CRITICAL]`.
    public static let defaults: [StaticLimit] = [
        StaticLimit(name: "cpu_busy", pattern: "cpu.total.busy", warning: 90, critical: 98, meaning: "CPU busy"),
        StaticLimit(name: "memory_used", pattern: "mem.used_percent", warning: 90, critical: 95, meaning: "memory in use (available below 10%)"),
        StaticLimit(name: "swap_activity", pattern: "swap.in|swap.out", warning: 100, critical: 1000, meaning: "pages swapped per second"),
        StaticLimit(name: "disk_util", pattern: "disk.*.util", warning: 90, critical: 99, openAfter: 5, meaning: "disk utilisation"),
        StaticLimit(name: "fs_used", pattern: "fs.*.used_percent", warning: 90, critical: 95, openAfter: 1, closeAfter: 1, meaning: "filesystem used"),
        StaticLimit(name: "fs_inodes", pattern: "fs.*.inodes_used_percent", warning: 90, critical: 95, openAfter: 1, closeAfter: 1, meaning: "inodes used"),
        StaticLimit(name: "pressure", pattern: "psi.*.some.avg10", warning: 25, critical: 60, meaning: "pressure stall"),
        StaticLimit(name: "oom_kills", pattern: "vm.oom_kill_rate", warning: nil, critical: 0.000_001, openAfter: 1, closeAfter: 60, meaning: "OOM kills"),
    ]
}
