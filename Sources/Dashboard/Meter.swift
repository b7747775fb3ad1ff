import Telemetry

/// The small drawings that make up panels: a titled rule, a bar gauge and a sparkline.
///
/// Like htop's `Meter`, a meter is text plus roles; it never knows where the data came from.
enum Meter {
    /// A panel's title line: `CPU ─ 2 cores ────────`.
    /// - Parameter focused: the panel the movement keys act on; its title is drawn as selected.
    /// - Parameter detailRole: the detail's role: dim, or the anomaly state of the signals it shows.
    static func titleRule(_ title: String, detail: String = "", detailRole: Role = .dim, focused: Bool = false, in rect: Rect, on buffer: inout CellBuffer) {
        guard !rect.isEmpty else { return }
        let line: Character = buffer.unicode ? "─" : "-"
        var used = buffer.put(focused ? "[\(title)]" : title, row: rect.row, column: rect.column, role: focused ? .selected : .title, limit: rect.width)
        if !detail.isEmpty, used + 3 < rect.width {
            used += buffer.put(" \(line) ", row: rect.row, column: rect.column + used, role: .border)
            used += buffer.put(detail, row: rect.row, column: rect.column + used, role: detailRole, limit: rect.width - used)
        }
        if used + 1 < rect.width {
            let rule = " " + String(repeating: line, count: rect.width - used - 1)
            buffer.put(rule, row: rect.row, column: rect.column + used, role: .border)
        }
    }

    /// A bar gauge `[|||||      37%]` filling `width` columns, coloured by how full it is.
    static func gauge(
        fraction: Double, text: String, row: Int, column: Int, width: Int, on buffer: inout CellBuffer
    ) {
        guard width >= 4 else { return }
        let inner = width - 2
        let clamped = max(0, min(1, fraction.isFinite ? fraction : 0))
        let filled = Int((clamped * Double(inner)).rounded())
        let label = TerminalText.clipped(text, to: inner, unicode: buffer.unicode)
        let labelStart = inner - TerminalText.width(label)
        let role: Role = clamped >= 0.9 ? .critical : (clamped >= 0.7 ? .warning : .gauge)
        buffer.put("[", row: row, column: column, role: .border)
        var x = 0
        while x < labelStart {
            buffer.put(x < filled ? "|" : " ", row: row, column: column + 1 + x, role: x < filled ? role : .normal)
            x += 1
        }
        buffer.put(label, row: row, column: column + 1 + labelStart, role: .value)
        buffer.put("]", row: row, column: column + 1 + inner, role: .border)
    }

    /// The values as a one-row sparkline of `width` columns, the newest at the right.
    /// - Parameter ceiling: the value drawn as a full block; nil scales to the largest value.
    static func sparkline(_ values: [Double], width: Int, ceiling: Double? = nil, unicode: Bool) -> String {
        guard width > 0 else { return "" }
        let levels: [Character] = unicode
            ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            : ["_", ".", ",", "-", "~", "=", "+", "#"]
        let shown = values.suffix(width)
        let top = ceiling ?? max(shown.max() ?? 1, 1e-9)
        var line = String(repeating: " ", count: width - shown.count)
        for value in shown {
            let fraction = top > 0 ? max(0, min(1, value / top)) : 0
            line.append(levels[min(levels.count - 1, Int(fraction * Double(levels.count - 1) + 0.5))])
        }
        return line
    }

    /// A sparkline of the values against their usual band: cells outside the band take
    /// the critical role, so a member's chart shows when it broke out and for how long.
    /// - Returns: the columns drawn.
    @discardableResult
    static func bandSparkline(
        _ values: [Double], low: Double?, high: Double?, row: Int, column: Int, width: Int, on buffer: inout CellBuffer
    ) -> Int {
        guard width > 0 else { return 0 }
        let shown = Array(values.suffix(width))
        let top = max(shown.max() ?? 1, high ?? 0, 1e-9)
        let line = Array(sparkline(shown, width: width, ceiling: top, unicode: buffer.unicode))
        let offset = width - shown.count
        for (index, character) in line.enumerated() {
            var role: Role = .sparkline
            if index >= offset {
                let value = shown[index - offset]
                if let high, value > high { role = .critical }
                if let low, value < low { role = .critical }
            }
            buffer.put(String(character), row: row, column: column + index, role: role)
        }
        return width
    }

    /// A signal's history in the columns left at the end of a row, coloured by the anomaly
    /// state of the signals under `prefix`: the device panels' sparklines. Drawn only when at
    /// least eight columns are left, at most twenty-four wide, flush right.
    static func trailingSparkline(
        _ snapshot: Snapshot?, _ signal: SignalID, prefix: String, ceiling: Double? = nil,
        row: Int, from x: Int, to right: Int, on buffer: inout CellBuffer
    ) {
        let width = min(24, right - x - 1)
        guard width >= 8, let history = snapshot?.history[signal], history.count > 1 else { return }
        let line = sparkline(history.values, width: width, ceiling: ceiling, unicode: buffer.unicode)
        buffer.put(line, row: row, column: right - width, role: SignalState.role(snapshot, prefix, normal: .sparkline))
    }

    /// `label value` pairs left to right from `x`, values right-aligned in at least four
    /// columns, stopping before a pair that would not fit.
    /// - Returns: the column after the last pair drawn.
    @discardableResult
    static func fields(_ fields: [(label: String, value: String, role: Role)], row: Int, from x: Int, to right: Int, on buffer: inout CellBuffer) -> Int {
        var x = x
        for (label, value, role) in fields {
            let cell = label.count + max(4, value.count) + 1
            guard x + cell <= right else { break }
            buffer.put(label, row: row, column: x, role: .dim)
            buffer.put(TerminalText.padded(value, to: max(4, value.count), alignRight: true), row: row, column: x + label.count, role: role)
            x += cell
        }
        return x
    }
}
