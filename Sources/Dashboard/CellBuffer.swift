/// An off-screen grid of terminal cells that panels draw into.
///
/// Every frame is drawn here first; the terminal then copies it out, and unit
/// tests read it back as text. Text is sanitised on the way in, so nothing drawn
/// can put a control character on the terminal.
public struct CellBuffer: Sendable {
    /// One cell: the character shown and its role. A wide character's second
    /// column holds `nil`, so each row's cells line up with terminal columns.
    public struct Cell: Hashable, Sendable {
        public var character: Character?
        public var role: Role
    }

    public let rows: Int
    public let columns: Int
    /// Whether the terminal can show UTF-8 (sparkline blocks, box lines, `…`).
    public let unicode: Bool
    public private(set) var cells: [Cell]

    public init(rows: Int, columns: Int, unicode: Bool = true) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.unicode = unicode
        cells = Array(repeating: Cell(character: " ", role: .normal), count: self.rows * self.columns)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * columns + column]
    }

    /// Writes text from (`row`, `column`), cut at `limit` columns and at the right edge.
    /// - Returns: the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, role: Role = .normal, limit: Int = .max) -> Int {
        guard row >= 0, row < rows, column < columns else { return 0 }
        let room = min(limit, columns - max(0, column))
        guard room > 0 else { return 0 }
        var x = column
        let end = column + room
        // Printable ASCII, the common case, needs neither sanitising nor width lookups.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            for byte in text.utf8 {
                if x >= end {
                    markCut(row: row, from: column, at: x, role: role)
                    break
                }
                if x >= 0 { cells[row * columns + x] = Cell(character: Character(Unicode.Scalar(byte)), role: role) }
                x += 1
            }
            return x - column
        }
        for character in TerminalText.sanitized(text) {
            let w = TerminalText.width(of: character)
            if w == 0 { continue }
            if x + w > end {
                markCut(row: row, from: column, at: x, role: role)
                break
            }
            let shown: Character = (!unicode && !character.isASCII) ? "?" : character
            if x >= 0 {
                cells[row * columns + x] = Cell(character: shown, role: role)
                if w == 2 { cells[row * columns + x + 1] = Cell(character: nil, role: role) }
            }
            x += w
        }
        return x - column
    }

    /// Ends text that was cut at column `x` with an ellipsis in its last cell, so a reader
    /// knows there is more; not for runs shorter than four columns, where it would hide too much.
    private mutating func markCut(row: Int, from start: Int, at x: Int, role: Role) {
        guard x - start >= 4, x - 1 >= 0, x - 1 < columns else { return }
        var last = x - 1
        if cells[row * columns + last].character == nil, last - 1 >= 0 {
            // The second half of a wide character: the ellipsis replaces the whole of it.
            cells[row * columns + last] = Cell(character: " ", role: role)
            last -= 1
        }
        cells[row * columns + last] = Cell(character: unicode ? "…" : "~", role: role)
    }

    /// Fills a rectangle with spaces of one role.
    public mutating func fill(_ rect: Rect, role: Role) {
        for row in max(0, rect.row)..<min(rows, rect.row + rect.height) {
            for column in max(0, rect.column)..<min(columns, rect.column + rect.width) {
                cells[row * columns + column] = Cell(character: " ", role: role)
            }
        }
    }

    /// Changes the role of cells already drawn, as a selection highlight does.
    public mutating func paint(_ rect: Rect, role: Role) {
        for row in max(0, rect.row)..<min(rows, rect.row + rect.height) {
            for column in max(0, rect.column)..<min(columns, rect.column + rect.width) {
                cells[row * columns + column].role = role
            }
        }
    }

    /// Copies `rect.height` rows of `source`, from row `from`, into `rect`: a scrolled view
    /// drawn tall off-screen and shown a window at a time.
    mutating func copy(_ source: CellBuffer, from: Int, into rect: Rect) {
        for offset in 0..<rect.height {
            let sourceRow = from + offset
            let row = rect.row + offset
            guard sourceRow >= 0, sourceRow < source.rows, row >= 0, row < rows else { continue }
            for column in 0..<min(rect.width, source.columns) where rect.column + column < columns {
                cells[row * columns + rect.column + column] = source.cells[sourceRow * source.columns + column]
            }
        }
    }

    /// Whether a row holds the same cells in both buffers (of the same size).
    func rowEquals(_ other: CellBuffer, row: Int) -> Bool {
        let start = row * columns
        for index in start..<(start + columns) where cells[index] != other.cells[index] {
            return false
        }
        return true
    }

    /// The text of one row, wide characters once, trailing spaces kept.
    public func text(ofRow row: Int) -> String {
        var line = ""
        for column in 0..<columns {
            if let character = cells[row * columns + column].character { line.append(character) }
        }
        return line
    }

    /// The whole grid as text, one line per row with trailing spaces removed.
    public var text: String {
        (0..<rows).map { row -> String in
            var line = text(ofRow: row)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    public var row: Int
    public var column: Int
    public var height: Int
    public var width: Int

    public init(row: Int, column: Int, height: Int, width: Int) {
        self.row = row
        self.column = column
        self.height = height
        self.width = width
    }

    public var isEmpty: Bool { height <= 0 || width <= 0 }
    public var bottom: Int { row + height }
    public var right: Int { column + width }
}
