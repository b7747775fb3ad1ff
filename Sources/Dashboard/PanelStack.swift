import Telemetry

/// Lays out the panels below CPU and memory in whatever room is left, most important first.
///
/// Wide terminals put the process list on the left and the device panels on the right;
/// narrow ones stack everything. A panel that cannot get its minimum height is left out
/// rather than drawn broken, so 60x15 still shows CPU and memory cleanly.
enum PanelStack {
    enum Panel: CaseIterable {
        case processes, pressure, disks, network, filesystems

        func preferredHeight(_ snapshot: Snapshot?) -> Int {
            switch self {
            case .processes: ProcessPanel.preferredHeight(snapshot)
            case .pressure: PressurePanel.preferredHeight(snapshot)
            case .disks: DiskPanel.preferredHeight(snapshot)
            case .network: NetworkPanel.preferredHeight(snapshot)
            case .filesystems: FilesystemPanel.preferredHeight(snapshot)
            }
        }

        var minimumHeight: Int {
            switch self {
            case .processes: ProcessPanel.minimumHeight
            case .pressure: PressurePanel.minimumHeight
            case .disks: DiskPanel.minimumHeight
            case .network: NetworkPanel.minimumHeight
            case .filesystems: FilesystemPanel.minimumHeight
            }
        }

        func draw(_ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer) {
            switch self {
            case .processes: ProcessPanel.draw(snapshot, in: rect, on: &buffer)
            case .pressure: PressurePanel.draw(snapshot, in: rect, on: &buffer)
            case .disks: DiskPanel.draw(snapshot, in: rect, on: &buffer)
            case .network: NetworkPanel.draw(snapshot, in: rect, on: &buffer)
            case .filesystems: FilesystemPanel.draw(snapshot, in: rect, on: &buffer)
            }
        }
    }

    /// Terminals at least this wide get two columns.
    static let twoColumnWidth = 100

    static func draw(_ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer) {
        guard rect.height >= 2, rect.width >= 20 else { return }
        let devices: [Panel] = PressurePanel.hasData(snapshot) || snapshot == nil
            ? [.pressure, .disks, .network, .filesystems] : [.disks, .network, .filesystems]
        if rect.width >= twoColumnWidth {
            let leftWidth = rect.width * 11 / 20
            Panel.processes.draw(snapshot, in: Rect(row: rect.row, column: rect.column, height: rect.height, width: leftWidth - 1), on: &buffer)
            let right = Rect(row: rect.row, column: rect.column + leftWidth + 1, height: rect.height, width: rect.width - leftWidth - 1)
            stack(devices, priority: devices, snapshot, in: right, on: &buffer)
        } else {
            // Narrow: a few process rows first, the device panels next, processes take what is left.
            let order: [Panel] = [.processes] + devices
            let priority: [Panel] = [.processes, .pressure, .network, .disks, .filesystems].filter(order.contains)
            stack(order, priority: priority, snapshot, in: rect, on: &buffer, capping: [.processes: 7])
        }
    }

    /// Gives panels rows in `priority` order, then draws them top to bottom in `order`,
    /// a blank row between neighbours. Rows left over go to the first panel that wants more.
    static func stack(
        _ order: [Panel], priority: [Panel], _ snapshot: Snapshot?, in rect: Rect, on buffer: inout CellBuffer,
        capping caps: [Panel: Int] = [:]
    ) {
        var heights: [Panel: Int] = [:]
        var remaining = rect.height
        for panel in priority {
            let gap = heights.isEmpty ? 0 : 1
            let wanted = min(panel.preferredHeight(snapshot), caps[panel] ?? .max)
            let given = min(wanted, remaining - gap)
            guard given >= panel.minimumHeight else { continue }
            heights[panel] = given
            remaining -= given + gap
        }
        for panel in priority where heights[panel] != nil && remaining > 0 {
            let more = min(remaining, panel.preferredHeight(snapshot) - heights[panel]!)
            if more > 0 {
                heights[panel]! += more
                remaining -= more
            }
        }
        var row = rect.row
        for panel in order {
            guard let height = heights[panel] else { continue }
            panel.draw(snapshot, in: Rect(row: row, column: rect.column, height: height, width: rect.width), on: &buffer)
            row += height + 1
        }
    }
}
