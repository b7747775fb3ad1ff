import FoundationEssentials
import Monitor
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// CPU time of writing `vigil.prom` for one tick of this host: rendering the exposition
/// text and the atomic write (temporary file, rename), and of the rendering alone.
func benchTextfileExport(iterations: Int) {
    let monitor = Monitor(settings: Monitor.Settings(interval: 1)) { _ in }
    _ = monitor.sampleNow()
    let snapshot = monitor.sampleNow()
    let folder = "/tmp/vigil-bench-textfile-\(getpid())"
    mkdir(folder, 0o755)
    defer {
        unlink(folder + "/vigil.prom")
        rmdir(folder)
    }
    var bytes = 0
    var names: [SignalID: PrometheusExposition.SignalMetric?] = [:]
    let start = threadCPUTime()
    for _ in 0..<iterations {
        let text = PrometheusExposition.render(snapshot, names: &names)
        bytes = text.utf8.count
        _ = AtomicFile.write(text, to: folder + "/vigil.prom")
    }
    let perTick = (threadCPUTime() - start) / Double(iterations)
    let renderStart = threadCPUTime()
    for _ in 0..<iterations { bytes = PrometheusExposition.render(snapshot, names: &names).utf8.count }
    let perRender = (threadCPUTime() - renderStart) / Double(iterations)
    print("bench=textfile_export signals=\(snapshot.readings.count) bytes=\(bytes) cpu_ms_per_tick=\(HumanReadable.fixed(perTick * 1e3, decimals: 3)) render_cpu_ms=\(HumanReadable.fixed(perRender * 1e3, decimals: 3))")
}
