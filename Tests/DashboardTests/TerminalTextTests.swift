@testable import Dashboard
import Testing

@Suite("terminal text")
struct TerminalTextTests {
    @Test("escape sequences and control characters never survive", arguments: [
        ("\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}ok", "ok"),       // OSC 52 clipboard write
        ("a\u{1B}[2Jb", "ab"),                                 // clear screen
        ("\u{1B}]0;evil title\u{1B}\\x", "x"),                // set title, ST terminated
        ("bell\u{07}", "bell?"),
        ("tab\there", "tab here"),
        ("\u{9B}31mred", "red"),                                // 8-bit CSI
        ("cr\rlf\n", "cr?lf?"),
    ])
    func sanitizes(raw: String, shown: String) {
        let clean = TerminalText.sanitized(raw)
        #expect(clean == shown)
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) })
    }

    @Test("wide characters take two columns, combining marks none")
    func widths() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("日本") == 4)
        #expect(TerminalText.width("e\u{301}") == 1)
    }

    @Test("clipping keeps within the width and marks the cut")
    func clipping() {
        #expect(TerminalText.clipped("hello world", to: 6) == "hello…")
        #expect(TerminalText.clipped("日本語", to: 4) == "日…")
        #expect(TerminalText.width(TerminalText.clipped("日本語テキスト", to: 7)) <= 7)
        #expect(TerminalText.clipped("short", to: 10) == "short")
        #expect(TerminalText.clipped("hello", to: 3, unicode: false) == "he~")
    }
}
