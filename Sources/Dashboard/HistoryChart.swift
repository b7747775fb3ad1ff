import Telemetry

/// A signal's recent history as a bar chart several rows high, with its usual band.
///
/// Bars inside the band take the sparkline role, bars outside it the critical role,
/// and the band's edges are dotted across the empty cells, so the moment a signal
/// broke out and how far it went read at a glance, as in btop's graphs.
enum HistoryChart {
    static func draw(
        _ values: [Double], low: Double? = nil, high: Double? = nil, unit: SignalUnit? = nil,
        in rect: Rect, on buffer: inout CellBuffer
    ) {
        guard rect.height >= 2, rect.width >= 12 else { return }
        guard !values.isEmpty else {
            buffer.put("no history yet", row: rect.row, column: rect.column, role: .dim, limit: rect.width)
            return
        }
        func text(_ value: Double) -> String { unit?.format(value) ?? HumanReadable.fixed(value, decimals: 1) }
        var bottom = min(values.min()!, low ?? .infinity, high ?? .infinity)
        var top = max(values.max()!, high ?? -.infinity, low ?? -.infinity)
        if bottom >= 0 { bottom = 0 }
        // Percentages on their whole scale, as btop draws them: 2% of memory must not look full.
        if unit == .percent, top <= 100 { top = 100 }
        if top - bottom < 1e-9 { top = bottom + 1 }
        let labels = [text(top), text(bottom), high.map(text), low.map(text)].compactMap { $0 }
        let axis = min(9, labels.map { TerminalText.width($0) }.max() ?? 0) + 1
        let width = rect.width - axis
        let shown = Array(values.suffix(width))
        let offset = width - shown.count
        let rows = rect.height
        func rowOf(_ value: Double) -> Int {
            // Row 0 is the top; the band edge sits on the row whose range holds it.
            let fraction = (value - bottom) / (top - bottom)
            return max(0, min(rows - 1, rows - 1 - Int(fraction * Double(rows) - 1e-9)))
        }
        let highRow = high.map(rowOf)
        let lowRow = low.map(rowOf)
        let eighths: [Character] = buffer.unicode ? [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [" ", ".", ".", ".", "o", "o", "o", "#", "#"]
        let edge = buffer.unicode ? "┈" : "-"
        for row in 0..<rows {
            let y = rect.row + row
            if row == 0 { buffer.put(TerminalText.clipped(text(top), to: axis - 1, unicode: buffer.unicode), row: y, column: rect.column, role: .dim) }
            if row == rows - 1 { buffer.put(TerminalText.clipped(text(bottom), to: axis - 1, unicode: buffer.unicode), row: y, column: rect.column, role: .dim) }
            if let high, row == highRow, row != 0, row != rows - 1 {
                buffer.put(TerminalText.clipped(text(high), to: axis - 1, unicode: buffer.unicode), row: y, column: rect.column, role: .ok)
            }
            if let low, row == lowRow, row != 0, row != rows - 1, row != highRow {
                buffer.put(TerminalText.clipped(text(low), to: axis - 1, unicode: buffer.unicode), row: y, column: rect.column, role: .ok)
            }
            for column in 0..<width {
                let x = rect.column + axis + column
                let fromBottom = rows - 1 - row
                var character: Character = " "
                var role: Role = .sparkline
                if column >= offset {
                    let value = shown[column - offset]
                    let filled = Int(((value - bottom) / (top - bottom) * Double(rows * 8)).rounded())
                    character = eighths[max(0, min(8, filled - fromBottom * 8))]
                    if let high, value > high { role = .critical }
                    if let low, value < low { role = .critical }
                }
                if character == " ", row == highRow || row == lowRow {
                    buffer.put(edge, row: y, column: x, role: .ok)
                } else if character != " " {
                    buffer.put(String(character), row: y, column: x, role: role)
                }
            }
        }
    }
}
