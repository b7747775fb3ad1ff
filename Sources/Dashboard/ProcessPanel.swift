import Telemetry

/// The process list, as htop's: sorted by CPU, memory or I/O, filtered by text.
///
/// On the main screen it lists the top processes the collector ranked; zoomed
/// (`5`), it lists every process of the tick.
enum ProcessPanel {
    static let minimumHeight = 3

    static func preferredHeight(_ snapshot: Snapshot?) -> Int {
        2 + max(1, min(12, snapshot?.processes?.all.count ?? rows(snapshot).count))
    }

    /// The processes to list, in `order`, those matching `filter` only.
    /// - Parameter all: every process of the tick rather than the collector's top lists.
    static func rows(
        _ snapshot: Snapshot?, order: ViewState.ProcessOrder = .cpu, filter: String = "", all: Bool = false
    ) -> [ProcessSample] {
        guard let processes = snapshot?.processes else { return [] }
        var pool: [ProcessSample]
        if !processes.all.isEmpty {
            pool = processes.all
        } else {
            // A summary without the full table (an older snapshot): the top lists, each once.
            var seen = Set<Int32>()
            pool = (processes.topByCPU + processes.topByMemory + processes.topByIO).filter { seen.insert($0.pid).inserted }
        }
        let needle = filter.trimmingSpaces.lowercased()
        if !needle.isEmpty {
            pool = pool.filter { process in
                process.command.lowercased().contains(needle) || process.name.lowercased().contains(needle)
                    || process.user.lowercased().contains(needle) || String(process.pid) == needle
            }
        }
        func key(_ process: ProcessSample) -> Double {
            switch order {
            case .cpu: process.cpuPercent
            case .memory: Double(process.residentBytes)
            case .io: (process.readBytesPerSecond ?? 0) + (process.writeBytesPerSecond ?? 0)
            }
        }
        pool.sort { (key($0), Double(-$0.pid)) > (key($1), Double(-$1.pid)) }
        return all ? pool : Array(pool.prefix(60))
    }

    /// The row of the first process in a panel drawn in `rect`: after the title and the column names.
    static func listTop(in rect: Rect) -> Int { rect.row + 2 }

    static func draw(
        _ snapshot: Snapshot?, order: ViewState.ProcessOrder = .cpu, filter: String = "", selection: Int = 0,
        focused: Bool = false, all: Bool = false, in rect: Rect, on buffer: inout CellBuffer
    ) {
        guard rect.height >= 1 else { return }
        let processes = snapshot?.processes
        var detail = processes.map { "\($0.total) total, \($0.running) running, \($0.blocked) blocked, \($0.zombie) zombie" } ?? ""
        if let open = snapshot?.value(of: "fd.open"), let maximum = snapshot?.value(of: "fd.max"), maximum > 0 {
            // File handles, system-wide, where the title has room (the zoomed list always has).
            var handles = ", fds \(HumanReadable.count(open))/\(HumanReadable.count(maximum))"
            if let badge = ForecastBadge.of(snapshot, "fd.open") { handles += " " + badge.text }
            if TerminalText.width("Processes ─ " + detail + handles) + 2 <= rect.width { detail += handles }
        }
        if !filter.isEmpty { detail = "filter \"\(filter)\"  " + detail }
        Meter.titleRule("Processes", detail: detail, detailRole: SignalState.role(snapshot, "procs.", "fd.", normal: .dim), focused: focused, in: rect, on: &buffer)
        guard rect.height >= 2 else { return }
        guard processes != nil else {
            buffer.put(snapshot?.health.unavailable["processes"] != nil ? "unavailable" : "measuring…", row: rect.row + 1, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let showIO = rect.width >= 60
        var x = rect.column
        for (name, width, column) in [("PID", 7, nil), ("USER", 9, nil), ("S", 2, nil), ("CPU%", 6, ViewState.ProcessOrder.cpu), ("RSS", 6, .memory)] as [(String, Int, ViewState.ProcessOrder?)] {
            let text = width > 3 && name != "USER" ? TerminalText.padded(name, to: width - 1, alignRight: true) + " " : TerminalText.padded(name, to: width)
            x += buffer.put(text, row: rect.row + 1, column: x, role: column == order ? .selected : .label, limit: rect.right - x)
        }
        if showIO { x += buffer.put(" IO/s ", row: rect.row + 1, column: x, role: order == .io ? .selected : .label, limit: rect.right - x) }
        buffer.put(" COMMAND", row: rect.row + 1, column: x, role: .label, limit: rect.right - x)
        let list = rows(snapshot, order: order, filter: filter, all: all)
        let rowsAvailable = rect.bottom - listTop(in: rect)
        guard !list.isEmpty else {
            buffer.put(filter.isEmpty ? "none" : "no process matches \"\(filter)\"", row: listTop(in: rect), column: rect.column, role: .dim, limit: rect.width)
            return
        }
        let first = ListWindow.first(selection: selection, count: list.count, rows: rowsAvailable)
        for (offset, process) in list.dropFirst(first).prefix(rowsAvailable).enumerated() {
            let row = listTop(in: rect) + offset
            var line = TerminalText.padded(String(process.pid), to: 6, alignRight: true) + " "
            line += TerminalText.padded(TerminalText.clipped(process.user, to: 8, unicode: buffer.unicode), to: 8) + " "
            line += process.state + " "
            line += TerminalText.padded(HumanReadable.fixed(process.cpuPercent, decimals: 1), to: 5, alignRight: true) + " "
            line += TerminalText.padded(HumanReadable.bytes(process.residentBytes), to: 5, alignRight: true) + " "
            if showIO {
                let io = process.readBytesPerSecond.map { $0 + (process.writeBytesPerSecond ?? 0) }
                line += TerminalText.padded(io.map { HumanReadable.bytes($0) } ?? "-", to: 5, alignRight: true) + " "
            }
            let used = buffer.put(line, row: row, column: rect.column, role: process.cpuPercent >= 50 ? .warning : .value, limit: rect.width)
            // The command comes from the process itself: `put` sanitises it, `clipped` keeps it in its cell.
            buffer.put(" " + TerminalText.clipped(process.command, to: rect.width - used - 1, unicode: buffer.unicode), row: row, column: rect.column + used, role: .normal, limit: rect.width - used)
            if focused, first + offset == selection {
                buffer.paint(Rect(row: row, column: rect.column, height: 1, width: rect.width), role: .selected)
            }
        }
    }
}
