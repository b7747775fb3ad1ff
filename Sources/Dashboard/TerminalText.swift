import CNCurses
#if canImport(Glibc)
import Glibc
#endif

/// Text made safe and measured for a terminal cell grid.
///
/// Everything Vigil draws from the outside world (log lines, process names, file
/// names) passes through `sanitized` so that no control character or escape
/// sequence reaches the terminal, and through `width` so that wide characters
/// (CJK, emoji) never break alignment.
public enum TerminalText {
    /// Created once and never freed or changed, so sharing it between threads is safe.
    private nonisolated(unsafe) static let utf8Locale: locale_t? = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    /// The text with escape sequences removed and every other control character
    /// shown as `?`; tabs become a space.
    ///
    /// CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL` or `ESC \`), DCS, APC, PM and
    /// SOS strings are dropped whole, so `ESC ] 52 ; c ; ... BEL` (a clipboard
    /// write) or `ESC [ 2 J` (clear screen) leave nothing behind.
    public static func sanitized(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where isControl(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let held = pending {
                pending = nil
                return held
            }
            return scalars.next()
        }
        while let scalar = next() {
            switch scalar.value {
            case 0x09:
                result.append(" ")
            case 0x1B:
                guard let introducer = next() else { break }
                switch introducer.value {
                case 0x5B: // CSI: parameters and intermediates, then a final byte 0x40-0x7E
                    while let byte = next() {
                        if byte.value >= 0x40 && byte.value <= 0x7E { break }
                        if byte.value < 0x20 { break }
                    }
                case 0x5D, 0x50, 0x5F, 0x5E, 0x58: // OSC, DCS, APC, PM, SOS: until BEL or ST
                    while let byte = next() {
                        if byte.value == 0x07 || byte.value == 0x9C { break }
                        if byte.value == 0x1B {
                            if let terminator = next(), terminator.value != 0x5C { pending = terminator }
                            break
                        }
                    }
                default:
                    // Two-byte sequences such as ESC c (reset) or ESC 7: drop both.
                    if introducer.value < 0x20 { pending = introducer }
                }
            case 0x9B: // the 8-bit CSI
                while let byte = next(), !(byte.value >= 0x40 && byte.value <= 0x7E) {}
            case 0x9D, 0x90, 0x9F, 0x9E, 0x98: // 8-bit OSC, DCS, APC, PM, SOS
                while let byte = next(), byte.value != 0x07 && byte.value != 0x9C {}
            default:
                result.append(isControl(scalar) ? "?" : scalar)
            }
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (value >= 0x7F && value < 0xA0)
            || value == 0x2028 || value == 0x2029 // line and paragraph separators
    }

    /// Columns a character takes: 0 for combining marks, 2 for wide ones.
    public static func width(of character: Character) -> Int {
        var total = 0
        for (index, scalar) in character.unicodeScalars.enumerated() {
            if index > 0 {
                // Joiners, variation selectors and combining marks ride on the first scalar.
                continue
            }
            if scalar.value < 0x7F { return scalar.value >= 0x20 ? 1 : 0 }
            let w = Int(wideWidth(scalar))
            total = w < 0 ? 1 : w
        }
        if character.unicodeScalars.count > 1,
           character.unicodeScalars.contains(where: { $0.value == 0xFE0F || $0.properties.isEmojiPresentation }) {
            return 2
        }
        return total
    }

    /// `wcwidth` under a UTF-8 character type whatever the process locale is, so
    /// widths do not change with LANG; `uselocale` only swaps a thread-local pointer.
    private static func wideWidth(_ scalar: Unicode.Scalar) -> Int32 {
        guard let locale = utf8Locale else { return vigil_wcwidth(scalar.value) }
        let previous = uselocale(locale)
        defer { uselocale(previous) }
        return vigil_wcwidth(scalar.value)
    }

    /// Columns the text takes on the terminal.
    public static func width(_ text: String) -> Int {
        var total = 0
        for character in text {
            total += width(of: character)
        }
        return total
    }

    /// The text cut to `columns`, ending in `…` (or `~` without UTF-8) when cut.
    public static func clipped(_ text: String, to columns: Int, unicode: Bool = true) -> String {
        guard columns > 0 else { return "" }
        guard width(text) > columns else { return text }
        var result = ""
        var used = 0
        let ellipsis: Character = unicode ? "…" : "~"
        for character in text {
            let w = width(of: character)
            if used + w > columns - 1 { break }
            result.append(character)
            used += w
        }
        result.append(ellipsis)
        return result
    }

    /// The text padded with spaces (or cut) to exactly `columns`.
    public static func padded(_ text: String, to columns: Int, alignRight: Bool = false, unicode: Bool = true) -> String {
        let cut = clipped(text, to: columns, unicode: unicode)
        let gap = max(0, columns - width(cut))
        let fill = String(repeating: " ", count: gap)
        return alignRight ? fill + cut : cut + fill
    }
}
