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

        func draw(_ snapshot: Snapshot?, state: ViewState, focused: Bool, in rect: Rect, on buffer: inout CellBuffer) {
            switch self {
            case .processes:
                ProcessPanel.draw(snapshot, order: state.processOrder, filter: state.processFilter, selection: state.processSelection,
                                  focused: focused, in: rect, on: &buffer)
            case .pressure: PressurePanel.draw(snapshot, focused: focused, in: rect, on: &buffer)
            case .disks: DiskPanel.draw(snapshot, focused: focused, in: rect, on: &buffer)
            case .network: NetworkPanel.draw(snapshot, focused: focused, in: rect, on: &buffer)
            case .filesystems: FilesystemPanel.draw(snapshot, focused: focused, in: rect, on: &buffer)
            }
        }

        /// The main screen's panel this one belongs to, for focus and zoom.
        var screenPanel: ViewState.Panel { self == .processes ? .processes : .devices }
    }

    /// Terminals at least this wide get two columns.
    static let twoColumnWidth = 100

    /// The device panels in the order they stack; pressure only where the kernel reports it.
    static func devices(_ snapshot: Snapshot?) -> [Panel] {
        PressurePanel.hasData(snapshot) || snapshot == nil ? [.pressure, .disks, .network, .filesystems] : [.disks, .network, .filesystems]
    }

    /// Where each panel goes in `rect`; panels that do not fit are absent.
    static func layout(_ snapshot: Snapshot?, in rect: Rect) -> [(panel: Panel, rect: Rect)] {
        guard rect.height >= 2, rect.width >= 20 else { return [] }
        let devices = devices(snapshot)
        if rect.width >= twoColumnWidth {
            let leftWidth = rect.width * 11 / 20
            let right = Rect(row: rect.row, column: rect.column + leftWidth + 1, height: rect.height, width: rect.width - leftWidth - 1)
            return [(.processes, Rect(row: rect.row, column: rect.column, height: rect.height, width: leftWidth - 1))]
                + stack(devices, priority: devices, snapshot, in: right)
        }
        // Narrow: a few process rows first, the device panels next, processes take what is left.
        let order: [Panel] = [.processes] + devices
        let priority: [Panel] = [.processes, .pressure, .network, .disks, .filesystems].filter(order.contains)
        return stack(order, priority: priority, snapshot, in: rect, capping: [.processes: 7])
    }

    static func draw(_ snapshot: Snapshot?, state: ViewState = ViewState(), in rect: Rect, on buffer: inout CellBuffer) {
        var devicesFocused = state.focus == .devices && state.zoomed == nil
        for (panel, panelRect) in layout(snapshot, in: rect) {
            var focused = state.zoomed == nil && state.focus == panel.screenPanel
            if panel != .processes {
                // The device panels are one focus: the first of them carries the mark.
                focused = devicesFocused
                devicesFocused = false
            }
            panel.draw(snapshot, state: state, focused: focused, in: panelRect, on: &buffer)
        }
    }

    /// Gives panels rows in `priority` order, then draws them top to bottom in `order`,
    /// a blank row between neighbours. Rows left over go to the first panel that wants more.
    static func stack(
        _ order: [Panel], priority: [Panel], _ snapshot: Snapshot?, in rect: Rect, capping caps: [Panel: Int] = [:]
    ) -> [(panel: Panel, rect: Rect)] {
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
        var placed: [(panel: Panel, rect: Rect)] = []
        for panel in order {
            guard let height = heights[panel] else { continue }
            placed.append((panel, Rect(row: row, column: rect.column, height: height, width: rect.width)))
            row += height + 1
        }
        return placed
    }
}
