@testable import Monitor
import Telemetry
import Testing

/// Signal ids to Prometheus names: base units, the entity as a label.
@Suite("prometheus exposition")
struct PrometheusExpositionTests {
    @Test("each kind of signal gets a conventional name, label and base unit", arguments: [
        (Reading("cpu.total.busy", 12.5, .percent), "vigil_cpu_busy_ratio{cpu=\"total\"} 0.125"),
        (Reading("disk.sda.await", 4, .milliseconds), "vigil_disk_await_seconds{device=\"sda\"} 0.004"),
        (Reading("net.eth0.100.rx_bytes", 2048, .bytesPerSecond), "vigil_net_rx_bytes_per_second{interface=\"eth0.100\"} 2048"),
        (Reading("fs./var/lib.used_percent", 50, .percent), "vigil_fs_used_ratio{mountpoint=\"/var/lib\"} 0.5"),
        (Reading("mem.available", 1024, .bytes), "vigil_mem_available_bytes 1024"),
        (Reading("load.1", 0.5, .count), "vigil_load1 0.5"),
        (Reading("procs.total", 184, .count), "vigil_procs 184"),
        (Reading("psi.io.some.avg10", 38, .percent), "vigil_psi_avg10_ratio{resource=\"io\",kind=\"some\"} 0.38"),
        (Reading("log./var/log/my \"app\".log.errors", 3, .perSecond), "vigil_log_errors_per_second{source=\"/var/log/my \\\"app\\\".log\"} 3"),
    ])
    func names(reading: Reading, line: String) throws {
        let (name, labels, value) = try #require(PrometheusExposition.metric(for: reading))
        #expect(name + PrometheusExposition.labelText(labels) + " " + PrometheusExposition.number(value) == line)
    }

    @Test("every family has HELP and TYPE before its samples, incidents are counted by state and severity")
    func families() {
        var snapshot = Snapshot(
            sequence: 1, time: 1_764_851_234, interval: 1, host: HostFacts(hostname: "web-01", kernel: "6.1", uptime: 1, cpuCount: 1), cpu: nil, memory: nil,
            readings: [Reading("cpu.total.busy", 50, .percent), Reading("cpu.0.busy", 40, .percent)], history: [:], health: CollectorHealth()
        )
        snapshot.flagged = ["cpu.total.busy": .critical]
        snapshot.incidents.incidents = [
            Incident(id: 1, title: "CPU saturation", severity: .critical, state: .open, openedAt: 0, updatedAt: 0),
            Incident(id: 2, title: "Disk", severity: .warning, state: .acknowledged, openedAt: 0, updatedAt: 0),
            Incident(id: 3, title: "Old", severity: .warning, state: .resolved, openedAt: 0, updatedAt: 0),
        ]
        let lines = PrometheusExposition.render(snapshot).split(separator: "\n").map(String.init)
        let busy = lines.firstIndex(of: "# HELP vigil_cpu_busy_ratio Vigil signal cpu.CPU.busy (percent in the signal, base units here).")
        #expect(busy != nil)
        #expect(busy.map { lines[$0 + 1] } == "# TYPE vigil_cpu_busy_ratio gauge")
        #expect(busy.map { Array(lines[($0 + 2)...($0 + 3)]) } == ["vigil_cpu_busy_ratio{cpu=\"0\"} 0.4", "vigil_cpu_busy_ratio{cpu=\"total\"} 0.5"])
        #expect(lines.contains("vigil_signal_anomaly_level{signal=\"cpu.total.busy\"} 2"))
        #expect(lines.contains("vigil_signal_anomaly_level{signal=\"cpu.0.busy\"} 0"))
        #expect(lines.contains("vigil_incidents{state=\"open\",severity=\"critical\"} 1"))
        #expect(lines.contains("vigil_incidents{state=\"acknowledged\",severity=\"warning\"} 1"))
        #expect(lines.contains("vigil_incidents{state=\"open\",severity=\"warning\"} 0"), "resolved ones are not counted")
        #expect(lines.contains("vigil_last_tick_timestamp_seconds 1764851234"))
    }

    @Test("OOM kills since boot are a counter named _total; the kill rate stays a gauge")
    func counters() {
        let snapshot = Snapshot(
            sequence: 1, time: 1_764_851_234, interval: 1, host: HostFacts(hostname: "web-01", kernel: "6.1", uptime: 1, cpuCount: 1), cpu: nil, memory: nil,
            readings: [Reading("vm.oom_kills", 3, .count), Reading("vm.oom_kill_rate", 0, .perSecond)], history: [:], health: CollectorHealth()
        )
        let lines = PrometheusExposition.render(snapshot).split(separator: "\n").map(String.init)
        #expect(lines.contains("# TYPE vigil_vm_oom_kills_total counter"))
        #expect(lines.contains("vigil_vm_oom_kills_total 3"))
        #expect(lines.contains("# TYPE vigil_vm_oom_kill_rate_per_second gauge"))
    }

    @Test("a forecast heading for its limit exports the seconds left; one that is steady exports nothing")
    func forecasts() {
        var snapshot = Snapshot(
            sequence: 1, time: 1_764_851_234, interval: 1, host: HostFacts(hostname: "web-01", kernel: "6.1", uptime: 1, cpuCount: 1), cpu: nil, memory: nil,
            readings: [], history: [:], health: CollectorHealth()
        )
        snapshot.forecasts = [
            Forecast(signal: "fs./var.free", limit: 0, level: 4e9, ratePerSecond: -1e6, secondsToLimit: 4000, status: .warning,
                     samples: 200, span: 600, subject: "/var full", outcome: "full", unit: .bytes),
            Forecast(signal: "mem.available", limit: 0, level: 8e9, ratePerSecond: 0, secondsToLimit: nil, status: .steady,
                     samples: 200, span: 600, subject: "memory exhausted", outcome: "exhausted", unit: .bytes),
        ]
        let lines = PrometheusExposition.render(snapshot).split(separator: "\n").map(String.init)
        #expect(lines.contains("vigil_forecast_seconds_to_limit{signal=\"fs./var.free\",subject=\"/var full\"} 4000"))
        #expect(!lines.contains { $0.hasPrefix("vigil_forecast_seconds_to_limit{signal=\"mem.available\"") })
        #expect(lines.contains("# TYPE vigil_forecast_seconds_to_limit gauge"))
        #expect(!lines.contains { $0.hasPrefix("vigil_detector_signals") }, "a follower runs no engine and says nothing of one")
        snapshot.detector = DetectorHealth(signalsReady: 180, signalsWarmingUp: 12, logTemplates: 37)
        let leader = PrometheusExposition.render(snapshot).split(separator: "\n").map(String.init)
        #expect(leader.contains("vigil_detector_signals{state=\"ready\"} 180"))
        #expect(leader.contains("vigil_detector_signals{state=\"warming_up\"} 12"))
        #expect(leader.contains("vigil_log_templates 37"))
        #expect(leader.contains("vigil_forecasts{status=\"warning\"} 1"))
        #expect(leader.contains("vigil_forecasts{status=\"steady\"} 1"))
        #expect(leader.contains("vigil_forecasts{status=\"critical\"} 0"))
    }
}
