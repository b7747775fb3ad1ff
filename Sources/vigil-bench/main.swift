import Collector
import Dashboard
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

/// CPU time of one collection tick on this host.
func benchCollectorTick(procRoot: String, iterations: Int) {
    let collector = HostCollector(procRoot: procRoot)
    _ = collector.collect(at: 0)
    let start = threadCPUTime()
    for index in 0..<iterations {
        _ = collector.collect(at: Double(index))
    }
    let perTick = (threadCPUTime() - start) / Double(iterations)
    print("bench=collector_tick proc_root=\(procRoot) cpu_us_per_tick=\(HumanReadable.fixed(perTick * 1e6, decimals: 1))")
}

/// CPU time to render one full dashboard frame off-screen at 120x40.
func benchRender(iterations: Int) {
    let collector = HostCollector()
    _ = collector.collect(at: 0)
    usleep(100_000)
    let sample = collector.collect(at: 0.1)
    let snapshot = Snapshot(
        sequence: 1, time: sample.time, interval: 1, host: sample.host, cpu: sample.cpu, memory: sample.memory,
        readings: sample.readings, history: [:], health: sample.health
    )
    let start = threadCPUTime()
    for _ in 0..<iterations {
        _ = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true)
    }
    let perFrame = (threadCPUTime() - start) / Double(iterations)
    print("bench=render_frame size=120x40 cpu_us_per_frame=\(HumanReadable.fixed(perFrame * 1e6, decimals: 1))")
}

// `vigil-bench NAME...` runs only the named groups: collector, render, logs.
let chosen = Set(CommandLine.arguments.dropFirst())
if chosen.isEmpty || chosen.contains("collector") { benchCollectorTick(procRoot: "/proc", iterations: 2000) }
if chosen.isEmpty || chosen.contains("render") { benchRender(iterations: 500) }
if chosen.isEmpty || chosen.contains("logs") || chosen.contains("path") { LogBenchmarks.run(onlyWholePath: chosen == ["path"]) }
