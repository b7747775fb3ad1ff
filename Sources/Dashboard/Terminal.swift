import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// The one curses screen: setup, drawing a frame, reading keys, and giving the
/// terminal back clean.
///
/// Curses globals are touched only here and only from the main thread.
final class Terminal {
    /// Why the dashboard cannot run on this terminal, in words that say what to do.
    struct Unusable: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var rows: Int32 = 0
    private(set) var columns: Int32 = 0
    let unicode: Bool
    /// Whether colours are in use (the terminal has them and NO_COLOR is not set).
    private(set) var hasColours = false
    private var attributes: [Role: attr_t] = [:]
    private var ended = false
    private var screen: OpaquePointer?
    /// The frame last copied to curses, to skip rows that did not change.
    private var lastFrame: CellBuffer?

    /// Checks the terminal before curses touches it, so an unusable one stays untouched.
    static func check(environment: [String: String]) -> Unusable? {
        guard isatty(STDIN_FILENO) == 1 else {
            return Unusable(description: "standard input is not a terminal; the dashboard needs one (for scripts use 'vigil snapshot')")
        }
        guard isatty(STDOUT_FILENO) == 1 else {
            return Unusable(description: "standard output is not a terminal; the dashboard needs one (for scripts use 'vigil snapshot')")
        }
        guard let term = environment["TERM"], !term.isEmpty else {
            return Unusable(description: "TERM is not set; set it to your terminal's type (for example TERM=xterm-256color) or use 'vigil snapshot'")
        }
        switch vigil_terminal_capable(term) {
        case 0: return nil
        case 1: return Unusable(description: "TERM=\(term) is not known to terminfo; set TERM to your terminal's type (for example xterm-256color) or use 'vigil snapshot'")
        default: return Unusable(description: "TERM=\(term) cannot move the cursor, which the dashboard needs; use a full terminal or 'vigil snapshot'")
        }
    }

    init(theme: Theme, useColour: Bool) {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        unicode = codeset.uppercased().filter { $0 != "-" } == "UTF8"
        vigil_save_termios()
        vigil_install_crash_handler()
        screen = vigil_newterm()
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        keypad(vigil_stdscr(), true)
        nodelay(vigil_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if useColour && has_colors() {
            start_color()
            use_default_colors()
        }
        hasColours = useColour && has_colors()
        // Where the terminal reports the mouse; elsewhere the keys do everything.
        _ = vigil_enable_mouse()
        apply(theme: theme, useColour: hasColours)
        updateSize()
    }

    deinit {
        end()
    }

    /// Maps each role of the theme to a colour pair and attributes for this terminal.
    func apply(theme: Theme, useColour: Bool) {
        attributes = [:]
        let available = Int(vigil_colors())
        for (index, role) in Role.allCases.enumerated() {
            let style = theme.style(for: role)
            let colour = useColour && index + 1 < Int(vigil_color_pairs())
            let wanted = theme.attributes(for: role, colour: colour)
            var attr = vigil_a_normal()
            if wanted.contains(.bold) { attr |= vigil_a_bold() }
            if wanted.contains(.dim) { attr |= vigil_a_dim() }
            if wanted.contains(.underline) { attr |= vigil_a_underline() }
            if wanted.contains(.reverse) { attr |= vigil_a_reverse() }
            if colour {
                let foreground = ColourMapping.terminalColour(style.foreground, available: available)
                let background = ColourMapping.terminalColour(style.background, available: available)
                if foreground != -1 || background != -1 {
                    init_pair(Int16(index + 1), Int16(foreground), Int16(background))
                    attr |= vigil_color_pair(Int32(index + 1))
                }
            }
            attributes[role] = attr
        }
    }

    /// Makes the next frame repaint every cell, as after a theme change.
    func repaintAll() {
        lastFrame = nil
        clearok(vigil_stdscr(), true)
    }

    /// Re-reads the window size from the kernel after SIGWINCH and tells curses.
    /// The corresponding C call is `ioctl(TIOCGWINSZ)`.
    func resize() {
        var newRows: Int32 = 0
        var newColumns: Int32 = 0
        if vigil_terminal_size(&newRows, &newColumns) == 0, newRows > 0, newColumns > 0 {
            resizeterm(newRows, newColumns)
        }
        updateSize()
        lastFrame = nil
        clearok(vigil_stdscr(), true)
    }

    private func updateSize() {
        vigil_getmaxyx(vigil_stdscr(), &rows, &columns)
    }

    /// Copies a frame to the screen. Curses compares it with what the terminal
    /// already shows and sends only the cells that changed.
    func draw(_ buffer: CellBuffer) {
        let window = vigil_stdscr()
        // Rows equal to the last frame's are not handed to curses at all: curses would
        // find them unchanged anyway, but only after decoding every character again.
        let previous = (lastFrame?.rows == buffer.rows && lastFrame?.columns == buffer.columns) ? lastFrame : nil
        for row in 0..<min(Int(rows), buffer.rows) {
            if let previous, previous.rowEquals(buffer, row: row) { continue }
            var column = 0
            let width = min(Int(columns), buffer.columns)
            while column < width {
                let role = buffer[row, column].role
                var run = ""
                let start = column
                while column < width, buffer[row, column].role == role {
                    if let character = buffer[row, column].character { run.append(character) }
                    column += 1
                }
                wattrset(window, Int32(bitPattern: UInt32(truncatingIfNeeded: attributes[role] ?? vigil_a_normal())))
                // The bottom-right cell makes addstr report an error after writing; that is expected.
                _ = mvwaddstr(window, Int32(row), Int32(start), run)
            }
        }
        wattrset(window, Int32(bitPattern: UInt32(truncatingIfNeeded: vigil_a_normal())))
        wnoutrefresh(window)
        doupdate()
        lastFrame = buffer
    }

    /// The mouse event behind a KEY_MOUSE code, or nil for one the dashboard ignores.
    func mouseEvent() -> ViewState.MouseEvent? {
        var row: Int32 = 0
        var column: Int32 = 0
        switch vigil_mouse_event(&row, &column) {
        case 1: return .click(row: Int(row), column: Int(column))
        case 2: return .wheelUp(row: Int(row), column: Int(column))
        case 3: return .wheelDown(row: Int(row), column: Int(column))
        default: return nil
        }
    }

    /// The next key code waiting, or nil when there is none.
    func nextKey() -> Int32? {
        let code = wgetch(vigil_stdscr())
        return code == ERR ? nil : code
    }

    /// Gives the terminal back: normal screen, cursor and modes. Safe to call twice.
    func end() {
        guard !ended else { return }
        ended = true
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }
}
