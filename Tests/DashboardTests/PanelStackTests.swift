@testable import Dashboard
import Telemetry
import Testing

/// The sample snapshot with every family of signals and a process table, as a busy host gives.
func fullSnapshot(cores: Int = 2) -> Snapshot {
    var snapshot = sampleSnapshot(cores: cores)
    var readings: [Reading] = [
        Reading("load.1", 1.25, .count), Reading("load.5", 0.5, .count), Reading("load.15", 0.25, .count),
        Reading("psi.cpu.some.avg10", 12.5, .percent), Reading("psi.io.some.avg10", 38, .percent), Reading("psi.io.full.avg10", 20, .percent),
        Reading("psi.memory.some.avg10", 0, .percent),
        Reading("disk.sda.read_bytes", Double(2 << 20), .bytesPerSecond), Reading("disk.sda.write_bytes", Double(512 << 10), .bytesPerSecond),
        Reading("disk.sda.util", 93, .percent), Reading("disk.sda.iops", 120, .perSecond), Reading("disk.sda.await", 7.5, .milliseconds),
        Reading("disk.sda.queue", 1.5, .count),
        Reading("net.eth0.rx_bytes", Double(1 << 20), .bytesPerSecond), Reading("net.eth0.tx_bytes", Double(64 << 10), .bytesPerSecond),
        Reading("net.lo.rx_bytes", 100, .bytesPerSecond), Reading("net.lo.tx_bytes", 100, .bytesPerSecond),
        Reading("tcp.established", 42, .count), Reading("tcp.retransmits", 3, .perSecond),
        Reading("fs./.used_percent", 81, .percent), Reading("fs./.free", Double(9 << 30), .bytes),
        Reading("fs./srv/data.v2.used_percent", 12, .percent), Reading("fs./srv/data.v2.free", Double(900 << 30), .bytes),
    ]
    readings.sort { $0.id < $1.id }
    snapshot.readings = readings
    let worker = ProcessSample(
        pid: 4242, startTime: 99, name: "web (worker) 1", command: "/usr/bin/web --port 80 \u{1B}[2J", user: "www-data", state: "R",
        threads: 8, cpuPercent: 187.5, residentBytes: 300 << 20, readBytesPerSecond: 4096, writeBytesPerSecond: 0
    )
    let database = ProcessSample(
        pid: 17, startTime: 5, name: "postgres", command: "postgres -D /var/lib/postgresql", user: "postgres", state: "D",
        threads: 1, cpuPercent: 0, residentBytes: 2 << 30, readBytesPerSecond: nil, writeBytesPerSecond: nil
    )
    snapshot.processes = ProcessSummary(total: 212, running: 3, blocked: 1, zombie: 2, threads: 400, topByCPU: [worker], topByMemory: [database, worker], topByIO: [worker])
    return snapshot
}

@Suite("panels below CPU and memory")
struct PanelStackTests {
    @Test("every panel shows at 120x40, in two columns, all within the width")
    func wide() {
        let text = Screen.render(fullSnapshot(), state: ViewState(), rows: 40, columns: 120, unicode: true).text
        for expected in ["load 1.25 0.50 0.25", "Processes", "212 total", "4242", "www-data", "187.5", "/usr/bin/web --port 80",
                         "Pressure", "Disks", "sda", "Network", "eth0", "tcp estab 42", "Filesystems", "/srv/data.v2", "81%"] {
            #expect(text.contains(expected), "missing \(expected) in\n\(text)")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Loopback is listed after the real interfaces.
        let eth0 = lines.firstIndex { $0.contains("eth0") }
        let lo = lines.firstIndex { $0.contains(" lo ") }
        #expect(eth0 != nil && lo != nil && eth0! < lo!)
        for line in lines { #expect(TerminalText.width(String(line)) <= 120) }
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
    }

    @Test("smaller terminals drop panels instead of breaking them", arguments: [(24, 80), (15, 60), (10, 40), (30, 99)])
    func narrow(rows: Int, columns: Int) {
        let text = Screen.render(fullSnapshot(), state: ViewState(), rows: rows, columns: columns, unicode: true).text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == rows)
        for line in lines { #expect(TerminalText.width(String(line)) <= columns) }
        #expect(text.contains("total ["))
        if rows >= 15 { #expect(text.contains("Memory")) }
        if rows >= 24 { #expect(text.contains("Processes")) }
    }

    @Test("entities with dots keep them: the measure is after the last dot")
    func signalTable() {
        let table = SignalTable(fullSnapshot().readings, family: "fs")
        #expect(table.entities.map(\.name) == ["/", "/srv/data.v2"])
        #expect(table.entities[1].values["used_percent"] == 12)
    }
}
