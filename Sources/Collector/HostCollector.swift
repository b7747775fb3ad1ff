import Telemetry

/// Reads the host's KPIs from a /proc tree, one tick at a time.
///
/// Not thread-safe: the monitor owns one and calls it from its serial queue.
/// Files stay open between ticks; rates come from the previous tick's counters.
public final class HostCollector {
    public let procRoot: String
    private let stat: ProcFile
    private let meminfo: ProcFile
    private let uptime: ProcFile
    private let hostname: ProcFile
    private let kernel: ProcFile
    private var previousStat: CPUStat?
    private var malformed = 0

    /// - Parameter procRoot: where /proc is mounted; a container sees the host's at `/host/proc`.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
        stat = ProcFile(path: procRoot + "/stat", initialCapacity: 16_384)
        meminfo = ProcFile(path: procRoot + "/meminfo", initialCapacity: 8192)
        uptime = ProcFile(path: procRoot + "/uptime", initialCapacity: 128)
        hostname = ProcFile(path: procRoot + "/sys/kernel/hostname", initialCapacity: 256)
        kernel = ProcFile(path: procRoot + "/sys/kernel/osrelease", initialCapacity: 256)
    }

    /// Takes one sample of the host.
    /// - Parameter time: the wall-clock time of the sample, in seconds since 1970.
    public func collect(at time: Double) -> HostSample {
        var unavailable: [String: String] = [:]
        var readings: [Reading] = []

        let currentStat = stat.withContents { CPUStat.parse($0) }
        var cpu: CPUUsage?
        if let currentStat {
            malformed += currentStat.malformed
            if let previousStat {
                cpu = Self.usage(from: previousStat, to: currentStat)
            }
            previousStat = currentStat
        } else {
            unavailable["stat"] = stat.lastError ?? "unreadable"
        }
        if let cpu {
            readings.append(Reading("cpu.total.busy", cpu.total.busy, .percent))
            readings.append(Reading("cpu.total.user", cpu.total.user, .percent))
            readings.append(Reading("cpu.total.system", cpu.total.system, .percent))
            readings.append(Reading("cpu.total.iowait", cpu.total.iowait, .percent))
            readings.append(Reading("cpu.total.steal", cpu.total.steal, .percent))
            for (index, core) in cpu.cores.enumerated() {
                readings.append(Reading(SignalID("cpu.\(index).busy"), core.busy, .percent))
            }
        }

        let info = meminfo.withContents { MemInfo.parse($0) }
        if info == nil { unavailable["meminfo"] = meminfo.lastError ?? "unreadable" }
        malformed += info?.malformed ?? 0
        let memory = info?.usage
        if let memory {
            readings.append(Reading("mem.used", Double(memory.used), .bytes))
            readings.append(Reading("mem.available", Double(memory.available), .bytes))
            readings.append(Reading("mem.cached", Double(memory.cached), .bytes))
            readings.append(Reading("mem.used_percent", memory.usedPercent, .percent))
            readings.append(Reading("swap.used", Double(memory.swapUsed), .bytes))
        }

        let facts = HostFacts(
            hostname: hostname.firstLine ?? "unknown",
            kernel: kernel.firstLine ?? "unknown",
            uptime: uptime.withContents { bytes -> Double in
                var scanner = ByteScanner(bytes)
                return scanner.decimal() ?? 0
            } ?? 0,
            cpuCount: currentStat?.cores.count ?? 0
        )
        readings.sort { $0.id < $1.id }
        return HostSample(
            time: time, host: facts, cpu: cpu, memory: memory, readings: readings,
            health: CollectorHealth(unavailable: unavailable, malformedLines: malformed)
        )
    }

    /// CPU percentages between two readings of /proc/stat. A core that appears
    /// (hot-plugged online) has no earlier reading and counts as idle once.
    static func usage(from earlier: CPUStat, to later: CPUStat) -> CPUUsage {
        let earlierCores = Dictionary(earlier.cores.map { ($0.number, $0.times) }, uniquingKeysWith: { a, _ in a })
        let cores = later.cores.map { core -> CPUBreakdown in
            guard let before = earlierCores[core.number] else { return CPUBreakdown() }
            return core.times.breakdown(since: before)
        }
        return CPUUsage(total: later.total.breakdown(since: earlier.total), cores: cores)
    }
}

extension ProcFile {
    /// The first line of a small text file such as /proc/sys/kernel/hostname.
    var firstLine: String? {
        withContents { bytes -> String in
            var scanner = ByteScanner(bytes)
            return scanner.restOfLine().text
        }
    }
}
