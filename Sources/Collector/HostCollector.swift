import Telemetry

/// Reads every host KPI from a /proc and /sys tree, one tick at a time.
///
/// Not thread-safe: the monitor owns one and calls it from its serial queue.
/// Files stay open between ticks; rates come from the previous tick's counters and
/// the times passed to `collect(at:)`. A source that cannot be read leaves its
/// signals out and is named in `health.unavailable`; nothing here traps.
public final class HostCollector {
    public let procRoot: String
    public let sysRoot: String
    private let stat: ProcFile
    private let meminfo: ProcFile
    private let vmstat: ProcFile
    private let loadavg: ProcFile
    private let fileNr: ProcFile
    private let hostFacts: HostFactsReader
    private let pressure: PressureReader
    private let disks: DiskReader
    private let filesystems: FilesystemReader
    private let network: NetworkReader
    private let processes: ProcessTable
    private var previousStat: CPUStat?
    private var previousVM: VMStat?
    private var previousTime: Double?
    private var malformed = 0
    private var coreIDs: [Int: [SignalID]] = [:]
    private static let totalIDs = cpuIDs("total")

    /// - Parameters:
    ///   - procRoot: where /proc is mounted; a container sees the host's at `/host/proc`.
    ///   - sysRoot: where /sys is mounted (`/host/sys`).
    ///   - filesystemSpace: asks the kernel about a mount point (`statvfs`); tests pass a fake.
    public init(
        procRoot: String = "/proc", sysRoot: String = "/sys",
        filesystemSpace: @escaping (String) -> FilesystemSpace? = FilesystemSpace.query
    ) {
        self.procRoot = procRoot
        self.sysRoot = sysRoot
        stat = ProcFile(path: procRoot + "/stat", initialCapacity: 16_384)
        meminfo = ProcFile(path: procRoot + "/meminfo", initialCapacity: 8192)
        vmstat = ProcFile(path: procRoot + "/vmstat", initialCapacity: 16_384)
        loadavg = ProcFile(path: procRoot + "/loadavg", initialCapacity: 128)
        fileNr = ProcFile(path: procRoot + "/sys/fs/file-nr", initialCapacity: 128)
        hostFacts = HostFactsReader(procRoot: procRoot, sysRoot: sysRoot)
        pressure = PressureReader(procRoot: procRoot)
        disks = DiskReader(procRoot: procRoot, sysRoot: sysRoot)
        let view = HostView(procRoot: procRoot)
        filesystems = FilesystemReader(mountInfo: view.mountInfo, rootPrefix: view.rootPrefix, space: filesystemSpace)
        network = NetworkReader(netFolder: view.netFolder)
        processes = ProcessTable(procRoot: procRoot)
    }

    /// Takes one sample of the host.
    /// - Parameter time: the wall-clock time of the sample, in seconds since 1970; rates are
    ///   per second of the time between this call and the previous one.
    public func collect(at time: Double) -> HostSample {
        var report = TickReport()
        var elapsed: Double?
        if let previousTime, time > previousTime { elapsed = time - previousTime }
        previousTime = time

        let (cpu, cpuCount) = readCPU(elapsed: elapsed, into: &report)
        let memory = readMemory(elapsed: elapsed, into: &report)
        pressure.read(elapsed: elapsed, into: &report)
        disks.read(elapsed: elapsed, into: &report)
        filesystems.read(into: &report)
        network.read(elapsed: elapsed, into: &report)
        readFileHandles(into: &report)
        let summary = processes.read(time: time, elapsed: elapsed, into: &report)

        malformed += report.malformed
        report.readings.sort { $0.id < $1.id }
        return HostSample(
            time: time, host: hostFacts.facts(cpuCount: cpuCount, memoryBytes: memory?.total ?? 0),
            cpu: cpu, memory: memory, readings: report.readings,
            health: CollectorHealth(unavailable: report.unavailable, malformedLines: malformed),
            processes: summary
        )
    }

    private static func cpuIDs(_ core: String) -> [SignalID] {
        ["user", "nice", "system", "iowait", "irq", "softirq", "steal", "idle", "busy"].map { SignalID("cpu.\(core).\($0)") }
    }

    private static func add(_ breakdown: CPUBreakdown, _ ids: [SignalID], into report: inout TickReport) {
        let values = [
            breakdown.user, breakdown.nice, breakdown.system, breakdown.iowait, breakdown.irq,
            breakdown.softirq, breakdown.steal, breakdown.idle, breakdown.busy,
        ]
        for (id, value) in zip(ids, values) { report.add(id, value, .percent) }
    }

    /// /proc/stat and /proc/loadavg: CPU split, load, runnable and blocked tasks, scheduler rates.
    private func readCPU(elapsed: Double?, into report: inout TickReport) -> (CPUUsage?, Int) {
        if let load = loadavg.withContents({ LoadAverage.parse($0) }) {
            if let load {
                report.add("load.1", load.one, .count)
                report.add("load.5", load.five, .count)
                report.add("load.15", load.fifteen, .count)
            } else {
                report.malformed += 1
            }
        } else {
            report.missing("loadavg", loadavg)
        }
        guard let current = stat.withContents({ CPUStat.parse($0) }) else {
            report.missing("stat", stat)
            previousStat = nil
            return (nil, 0)
        }
        report.malformed += current.malformed
        if let running = current.running { report.add("load.running", Double(running), .count) }
        if let blocked = current.blocked { report.add("load.blocked", Double(blocked), .count) }
        var cpu: CPUUsage?
        if let previous = previousStat {
            let usage = Self.usage(from: previous, to: current)
            Self.add(usage.total, Self.totalIDs, into: &report)
            for (core, breakdown) in zip(current.cores, usage.cores) {
                let ids = coreIDs[core.number] ?? Self.cpuIDs(String(core.number))
                coreIDs[core.number] = ids
                Self.add(breakdown, ids, into: &report)
            }
            if let elapsed {
                func counter(_ id: SignalID, _ old: UInt64?, _ new: UInt64?) {
                    guard let old, let new else { return }
                    report.add(id, rate(old, new, elapsed), .perSecond)
                }
                counter("kernel.context_switches", previous.contextSwitches, current.contextSwitches)
                counter("kernel.forks", previous.forks, current.forks)
                counter("kernel.interrupts", previous.interrupts, current.interrupts)
            }
            cpu = usage
        }
        previousStat = current
        return (cpu, current.cores.count)
    }

    /// /proc/meminfo and /proc/vmstat: memory, swap, paging and the OOM killer.
    private func readMemory(elapsed: Double?, into report: inout TickReport) -> MemoryUsage? {
        var memory: MemoryUsage?
        if let info = meminfo.withContents({ MemInfo.parse($0) }) {
            report.malformed += info.malformed
            memory = info.usage
            if let usage = info.usage {
                report.add("mem.total", Double(usage.total), .bytes)
                report.add("mem.used", Double(usage.used), .bytes)
                report.add("mem.available", Double(usage.available), .bytes)
                report.add("mem.free", Double(usage.free), .bytes)
                report.add("mem.cached", Double(usage.cached), .bytes)
                report.add("mem.buffers", Double(usage.buffers), .bytes)
                report.add("mem.used_percent", usage.usedPercent, .percent)
                report.add("swap.total", Double(usage.swapTotal), .bytes)
                report.add("swap.used", Double(usage.swapUsed), .bytes)
                report.add("swap.used_percent", usage.swapUsedPercent, .percent)
            } else {
                report.malformed += 1
            }
            for (id, value) in [("mem.dirty", info.dirty), ("mem.writeback", info.writeback), ("mem.slab", info.slab), ("mem.shared", info.shared)] {
                if let value { report.add(SignalID(id), Double(value), .bytes) }
            }
        } else {
            report.missing("meminfo", meminfo)
        }
        guard let vm = vmstat.withContents({ VMStat.parse($0) }) else {
            report.missing("vmstat", vmstat)
            previousVM = nil
            return memory
        }
        report.malformed += vm.malformed
        if let kills = vm.oomKills { report.add("vm.oom_kills", Double(kills), .count) }
        if let elapsed, let previous = previousVM {
            func counter(_ id: SignalID, _ old: UInt64?, _ new: UInt64?) {
                guard let old, let new else { return }
                report.add(id, rate(old, new, elapsed), .perSecond)
            }
            counter("swap.in", previous.swapIn, vm.swapIn)
            counter("swap.out", previous.swapOut, vm.swapOut)
            counter("vm.major_faults", previous.majorFaults, vm.majorFaults)
            counter("vm.oom_kill_rate", previous.oomKills, vm.oomKills)
        }
        previousVM = vm
        return memory
    }

    /// /proc/sys/fs/file-nr: open file handles against the system-wide maximum.
    private func readFileHandles(into report: inout TickReport) {
        guard let parsed = fileNr.withContents({ FileHandles.parse($0) }) else {
            report.missing("file-nr", fileNr)
            return
        }
        guard let handles = parsed else {
            report.malformed += 1
            return
        }
        report.add("fd.open", Double(handles.open), .count)
        report.add("fd.max", Double(handles.maximum), .count)
        if handles.maximum > 0 {
            report.add("fd.used_percent", Double(handles.open) / Double(handles.maximum) * 100, .percent)
        }
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
