/// The `?` overlay: every key binding with its help, straight from the key map.
///
/// On a terminal too short for the whole list it scrolls with the movement keys.
enum HelpOverlay {
    static func draw(scroll: Int = 0, in rect: Rect, on buffer: inout CellBuffer) {
        let bindings = KeyMap.bindings
        let keyWidth = max(6, bindings.map { TerminalText.width($0.keys) }.max() ?? 0) + 2
        let helpWidth = bindings.map { TerminalText.width($0.help) }.max() ?? 0
        let width = min(rect.width, keyWidth + helpWidth + 4)
        let height = min(rect.height, bindings.count + 4)
        let box = Rect(row: rect.row + max(0, (rect.height - height) / 2), column: rect.column + max(0, (rect.width - width) / 2), height: height, width: width)
        buffer.fill(box, role: .normal)
        let rows = max(0, box.height - 4)
        let first = max(0, min(scroll, bindings.count - rows))
        let more = first + rows < bindings.count
        Meter.titleRule(" Keys", detail: rows < bindings.count ? "\(first + 1)-\(first + rows) of \(bindings.count)" : "",
                        in: Rect(row: box.row, column: box.column, height: 1, width: box.width), on: &buffer)
        for (index, binding) in bindings.dropFirst(first).prefix(rows).enumerated() {
            let row = box.row + 2 + index
            buffer.put(binding.keys, row: row, column: box.column + 2, role: .footerKey, limit: keyWidth)
            buffer.put(binding.help, row: row, column: box.column + 2 + keyWidth, role: .normal, limit: box.width - keyWidth - 3)
        }
        let hint = more ? "Down/PgDn for more, Esc or ? closes" : "Esc or ? closes"
        buffer.put(hint, row: box.bottom - 1, column: box.column + 2, role: .dim, limit: box.width - 3)
    }
}
