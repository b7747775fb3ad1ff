/// The `?` overlay: every key binding with its help, straight from the key map.
enum HelpOverlay {
    static func draw(in rect: Rect, on buffer: inout CellBuffer) {
        let keyWidth = max(6, KeyMap.bindings.map { TerminalText.width($0.keys) }.max() ?? 0) + 2
        let helpWidth = KeyMap.bindings.map { TerminalText.width($0.help) }.max() ?? 0
        let width = min(rect.width, keyWidth + helpWidth + 4)
        let height = min(rect.height, KeyMap.bindings.count + 4)
        let box = Rect(row: rect.row + max(0, (rect.height - height) / 2), column: rect.column + max(0, (rect.width - width) / 2), height: height, width: width)
        buffer.fill(box, role: .normal)
        Meter.titleRule(" Keys", in: Rect(row: box.row, column: box.column, height: 1, width: box.width), on: &buffer)
        for (index, binding) in KeyMap.bindings.enumerated() {
            let row = box.row + 2 + index
            guard row < box.bottom - 1 else { break }
            buffer.put(binding.keys, row: row, column: box.column + 2, role: .footerKey, limit: keyWidth)
            buffer.put(binding.help, row: row, column: box.column + 2 + keyWidth, role: .normal, limit: box.width - keyWidth - 3)
        }
        buffer.put("Esc or ? closes", row: box.bottom - 1, column: box.column + 2, role: .dim, limit: box.width - 3)
    }
}
