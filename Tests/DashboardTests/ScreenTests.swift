@testable import Dashboard
import Telemetry
import Testing

/// A snapshot as the monitor would publish it from a 2-core host.
func sampleSnapshot(cores: Int = 2) -> Snapshot {
    var history = SignalHistory(capacity: 240)
    for value in [2.0, 5, 40, 90, 12, 3] { history.append(value) }
    let core = CPUBreakdown(user: 20, system: 10, idle: 70)
    return Snapshot(
        sequence: 7, time: 1_700_000_000, interval: 1,
        host: HostFacts(hostname: "web-01", kernel: "6.1.0-18-amd64", uptime: 273_120, cpuCount: cores),
        cpu: CPUUsage(total: CPUBreakdown(user: 30, system: 7, iowait: 3, idle: 60), cores: Array(repeating: core, count: cores)),
        memory: MemoryUsage(total: 8 << 30, available: 6 << 30, free: 1 << 30, buffers: 100 << 20, cached: 3 << 30, swapTotal: 2 << 30, swapFree: 2 << 30),
        readings: [], history: ["cpu.total.busy": history], health: CollectorHealth()
    )
}

@Suite("screen")
struct ScreenTests {
    @Test("the main screen shows the header, CPU and memory panels and the footer", arguments: [(24, 80), (40, 120)])
    func mainScreen(rows: Int, columns: Int) {
        let frame = Screen.render(sampleSnapshot(), state: ViewState(), rows: rows, columns: columns, unicode: true)
        let text = frame.text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == rows)
        #expect(lines[0].contains("web-01"))
        #expect(lines[0].contains("6.1.0-18-amd64"))
        #expect(lines[0].contains("up 3d 03:52"))
        #expect(lines[0].contains("every 1s"))
        #expect(text.contains("CPU ─ 2 cores"))
        #expect(text.contains("37%"))
        #expect(text.contains("Memory ─ 8.0G"))
        #expect(text.contains("2.0G/8.0G"))
        #expect(text.contains("▁"))
        #expect(lines[rows - 1].hasPrefix("?Help"))
        #expect(lines[rows - 1].contains("qQuit"))
        #expect(lines[rows - 1].contains("tTheme"))
        for line in lines { #expect(TerminalText.width(String(line)) <= columns) }
    }

    @Test("without UTF-8 the screen is pure ASCII")
    func asciiScreen() {
        let frame = Screen.render(sampleSnapshot(), state: ViewState(), rows: 24, columns: 80, unicode: false)
        let ascii = frame.text.allSatisfy { $0.isASCII }
        #expect(ascii)
        #expect(frame.text.contains("CPU - 2 cores"))
    }

    @Test("a terminal below the minimum gets a message, not a broken layout", arguments: [(8, 80), (24, 30), (3, 10)])
    func tooSmall(rows: Int, columns: Int) {
        let text = Screen.render(sampleSnapshot(), state: ViewState(), rows: rows, columns: columns, unicode: true).text
        #expect(text.contains("small") || text.contains("Termin"))
        #expect(!text.contains("CPU"))
    }

    @Test("before the first sample the header says it is waiting")
    func noSnapshotYet() {
        let text = Screen.render(nil, state: ViewState(), rows: 24, columns: 80, unicode: true).text
        #expect(text.contains("waiting for the first sample"))
    }

    @Test("the help overlay lists every binding of the key map")
    func helpListsEveryKey() {
        var state = ViewState()
        #expect(state.handle(key: Int32(UInt8(ascii: "?"))) == .redraw)
        let text = Screen.render(sampleSnapshot(), state: state, rows: 40, columns: 120, unicode: true).text
        for binding in KeyMap.bindings {
            #expect(text.contains(binding.keys))
            #expect(text.contains(binding.help))
        }
        #expect(state.handle(key: KeyMap.escape) == .redraw)
        #expect(!state.showingHelp)
    }

    @Test("t asks for the next theme and a redraw; the footer names the theme")
    func themeKey() {
        var state = ViewState()
        #expect(state.handle(key: Int32(UInt8(ascii: "t"))) == [.nextTheme, .redraw])
        let text = Screen.render(sampleSnapshot(), state: state, rows: 24, columns: 80, unicode: true, status: "theme: nord").text
        #expect(text.split(separator: "\n").last?.hasSuffix("theme: nord") == true)
    }

    @Test("q and F10 quit, unknown keys change nothing")
    func quitKeys() {
        var state = ViewState()
        #expect(state.handle(key: Int32(UInt8(ascii: "q"))) == .quit)
        #expect(state.handle(key: 274) == .quit) // KEY_F(10)
        #expect(state.handle(key: Int32(UInt8(ascii: "Z"))) == [])
    }

    @Test("a hostname full of escape sequences reaches the frame harmless")
    func hostileHostname() {
        var snapshot = sampleSnapshot()
        snapshot.host.hostname = "evil\u{1B}]52;c;aGk=\u{07}\u{1B}[2Jhost"
        let text = Screen.render(snapshot, state: ViewState(), rows: 24, columns: 80, unicode: true).text
        #expect(text.contains("evilhost"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
    }
}

@Suite("anomaly colouring")
struct AnomalyColouringTests {
    @Test("a flagged KPI's label takes the warning or critical role; others stay labels")
    func kpiRoles() throws {
        var snapshot = sampleSnapshot()
        snapshot.flagged = ["cpu.total.busy": .critical, "swap.used": .warning]
        let frame = Screen.render(snapshot, state: ViewState(), rows: 40, columns: 120, unicode: true)
        func role(of word: String) -> Role? {
            for row in 0..<frame.rows {
                let line = frame.text(ofRow: row)
                if let range = line.range(of: word) {
                    let column = line.distance(from: line.startIndex, to: range.lowerBound)
                    return frame[row, column].role
                }
            }
            return nil
        }
        #expect(role(of: "total [") == .critical)
        #expect(role(of: "used  [") == .label)
        #expect(role(of: "swap ") == .warning)
        // The CPU history sparkline takes the critical colour too; memory's has no history here.
        let hist = try #require((0..<frame.rows).first { frame.text(ofRow: $0).hasPrefix(" hist") })
        #expect(frame[hist, 8].role == .critical)
    }
}
