import Collector
import Detection
import Foundation
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

/// One detection-engine step over 500 learnt signals (the live policy's own kinds of
/// signal, with noise and an occasional step), and the bytes its saved state takes per signal.
func benchEngineStep(signals: Int, steps: Int) {
    let kinds: [(String, SignalUnit, Double)] = [
        ("disk.d%d.util", .percent, 20), ("net.n%d.rx_bytes", .bytesPerSecond, 5e6), ("psi.p%d.some.avg10", .percent, 2),
        ("fs./m%d.used_percent", .percent, 50), ("log./var/log/l%d.errors", .perSecond, 1),
    ]
    let ids = (0..<signals).map { index -> (SignalID, SignalUnit, Double) in
        let kind = kinds[index % kinds.count]
        return (SignalID(kind.0.replacingOccurrences(of: "%d", with: "\(index)")), kind.1, kind.2)
    }
    let residentBefore = residentKiB()
    var engine = DetectionEngine()
    var seed: UInt64 = 42
    func noise() -> Double {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(seed >> 11) / Double(1 << 53) - 0.5
    }
    var total = 0.0
    var residentAfterWarmUp = residentBefore
    for step in 0..<steps {
        if step == 100 { residentAfterWarmUp = residentKiB() }
        let readings = ids.map { id, unit, level in
            Reading(id, level * (1 + 0.1 * noise()) + (step % 700 > 650 ? level : 0), unit)
        }
        let start = threadCPUTime()
        _ = engine.step(readings, at: Double(step))
        if step >= 100 { total += threadCPUTime() - start }
    }
    let perStep = total / Double(steps - 100)
    let state = (try? JSONEncoder().encode(engine))?.count ?? 0
    // Memory in use per signal: the resident set the engine added once every baseline exists
    // (their rings and daily profiles are allocated by then), over the signals.
    let perSignal = max(0, residentAfterWarmUp - residentBefore) * 1024 / max(1, engine.signalCount)
    print("bench=engine_step signals=\(engine.signalCount) cpu_us_per_step=\(HumanReadable.fixed(perStep * 1e6, decimals: 1)) resident_bytes_per_signal=\(perSignal) saved_state_bytes_per_signal=\(state / max(1, engine.signalCount)) goal=\(perStep < 0.001 ? "met" : "missed")")
}

/// The forecasts alone: the engine over signals that can run out (filesystems' free space and
/// inodes, memory, file handles), each filling slowly under noise. A trend is refitted once per
/// 10-sample bucket, so the mean and the worst step (all refits on one tick) are both printed.
func benchForecasts(mounts: Int, steps: Int) {
    var readings: [Reading] = [Reading("fd.max", 1_000_000, .count), Reading("fd.open", 0, .count), Reading("mem.available", 0, .bytes)]
    for mount in 0..<mounts {
        readings += [Reading(SignalID("fs./m\(mount).free"), 0, .bytes), Reading(SignalID("fs./m\(mount).inodes_used_percent"), 0, .percent)]
    }
    var engine = DetectionEngine(configuration: DetectionEngine.Configuration(limits: []))
    var seed: UInt64 = 7
    func noise() -> Double {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(seed >> 11) / Double(1 << 53) - 0.5
    }
    var total = 0.0
    var worst = 0.0
    for step in 0..<steps {
        for index in readings.indices where readings[index].id != "fd.max" {
            let fill = Double(step) * 1000
            readings[index].value = readings[index].unit == .percent ? 20 + Double(step) * 0.001 + noise() : 1e10 - fill + 1e6 * noise()
        }
        let start = threadCPUTime()
        let result = engine.step(readings, at: Double(step))
        let cost = threadCPUTime() - start
        if step >= 1000 {
            total += cost
            worst = max(worst, cost)
        }
        _ = result
    }
    let forecasts = engine.forecasting.count
    print("bench=forecast_step forecasts=\(forecasts) cpu_us_per_step=\(HumanReadable.fixed(total / Double(steps - 1000) * 1e6, decimals: 1)) worst_step_us=\(HumanReadable.fixed(worst * 1e6, decimals: 1))")
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
if wanted("engine") {
    benchEngineStep(signals: 500, steps: 2000)
}
if wanted("forecast") {
    benchForecasts(mounts: 20, steps: 3000)
}
if wanted("textfile") {
    benchTextfileExport(iterations: 300)
}
if wanted("logs") || wanted("path") {
    LogBenchmarks.run(onlyWholePath: chosen == ["path"])
}
