import Collector
import Dashboard
import Monitor
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

// `make bench`: each benchmark prints one machine-readable line,
// `bench=<name> <metric>=<value> ...`.

func threadCPUTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// CPU time of one collection tick (every source, the process table included).
func benchCollectorTick(name: String, procRoot: String, iterations: Int) {
    let collector = HostCollector(procRoot: procRoot)
    let first = collector.collect(at: 0)
    let start = threadCPUTime()
    var processes = first.processes?.total ?? 0
    var signals = 0
    for index in 1...iterations {
        let sample = collector.collect(at: Double(index))
        processes = sample.processes?.total ?? 0
        signals = sample.readings.count
    }
    let perTick = (threadCPUTime() - start) / Double(iterations)
    print("bench=\(name) proc_root=\(procRoot) processes=\(processes) signals=\(signals) cpu_ms_per_tick=\(HumanReadable.fixed(perTick * 1e3, decimals: 3))")
}

/// CPU time to render one full dashboard frame off-screen at 120x40.
func benchRender(iterations: Int) {
    let collector = HostCollector()
    _ = collector.collect(at: 0)
    usleep(100_000)
    let sample = collector.collect(at: 0.1)
    let snapshot = Snapshot(
        sequence: 1, time: sample.time, interval: 1, host: sample.host, cpu: sample.cpu, memory: sample.memory,
        readings: sample.readings, history: [:], health: sample.health, processes: sample.processes
    )
    let start = threadCPUTime()
    for _ in 0..<iterations {
        _ = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true)
    }
    let perFrame = (threadCPUTime() - start) / Double(iterations)
    print("bench=render_frame size=120x40 cpu_us_per_frame=\(HumanReadable.fixed(perFrame * 1e6, decimals: 1))")
}

/// An hour of 1 s ticks, as fast as they go, through the monitor (history rings included),
/// then the resident memory: what an hour of watching leaves behind, without waiting an hour.
func benchHourSoak(ticks: Int) {
    let monitor = Monitor(settings: Monitor.Settings(interval: 1)) { _ in }
    var last: Snapshot?
    for _ in 0..<ticks {
        last = monitor.sampleNow()
    }
    let frame = Screen.render(last, state: ViewState(), rows: 40, columns: 120, unicode: true)
    print("bench=monitor_hour_soak ticks=\(ticks) signals=\(last?.readings.count ?? 0) histories=\(last?.history.count ?? 0) cells=\(frame.cells.count) rss_kib=\(residentKiB())")
}

/// VmRSS of this process from /proc/self/status.
func residentKiB() -> Int {
    guard let bytes = ProcFile(path: "/proc/self/status").bytes() else { return 0 }
    let text = String(decoding: bytes, as: UTF8.self)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

// `vigil-bench host render` runs only those; no arguments runs every benchmark.
let chosen = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { chosen.isEmpty || chosen.contains(name) }

if wanted("host") {
    benchCollectorTick(name: "collector_tick_host", procRoot: "/proc", iterations: 300)
}
if wanted("synthetic") {
    let synthetic = SyntheticProcRoot(processes: 2000)
    benchCollectorTick(name: "collector_tick_2000_processes", procRoot: synthetic.path, iterations: 300)
}
if wanted("render") {
    benchRender(iterations: 500)
}
if wanted("soak") {
    benchHourSoak(ticks: 3600)
}
