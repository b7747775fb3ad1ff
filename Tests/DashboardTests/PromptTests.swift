import Dashboard
import Testing

/// The prompt edits like a shell line: cursor keys, Home/End, Delete, backspace, Ctrl-U,
/// UTF-8 typed byte by byte; Enter submits, Esc cancels.
@Suite("prompt editing")
struct PromptTests {
    static func type(_ text: String, into prompt: inout Prompt) {
        for byte in text.utf8 { _ = prompt.handle(key: Int32(byte)) }
    }

    @Test("left, right, home, end, delete, backspace and Ctrl-U edit where the cursor is")
    func editing() {
        var prompt = Prompt(purpose: .note(3))
        Self.type("disk ful", into: &prompt)
        _ = prompt.handle(key: 261) // right at the end: nothing
        Self.type("l", into: &prompt)
        #expect(prompt.value == "disk full")
        _ = prompt.handle(key: 262) // Home
        Self.type("the ", into: &prompt)
        #expect(prompt.value == "the disk full")
        _ = prompt.handle(key: 360) // End
        _ = prompt.handle(key: 260) // Left, Left
        _ = prompt.handle(key: 260)
        _ = prompt.handle(key: 330) // Delete: the first l
        #expect(prompt.value == "the disk ful")
        _ = prompt.handle(key: 263) // Backspace: the u
        #expect(prompt.value == "the disk fl")
        #expect(prompt.cursor == 10)
        _ = prompt.handle(key: 1) // ^A
        _ = prompt.handle(key: 5) // ^E
        #expect(prompt.cursor == prompt.value.count)
        _ = prompt.handle(key: 260)
        _ = prompt.handle(key: 21) // ^U: everything before the cursor
        #expect(prompt.value == "l")
        #expect(prompt.cursor == 0)
    }

    @Test("UTF-8 typed byte by byte becomes characters; control keys insert nothing")
    func unicode() {
        var prompt = Prompt(purpose: .logFilter)
        Self.type("café 日本", into: &prompt)
        _ = prompt.handle(key: 7) // ^G: nothing
        #expect(prompt.value == "café 日本")
        #expect(prompt.cursor == 7)
    }

    @Test("Enter submits, Esc cancels and keeps what the prompt started with")
    func submitAndCancel() {
        var filter = Prompt(purpose: .processFilter, text: "nginx")
        #expect(filter.initial == "nginx")
        Self.type("-worker", into: &filter)
        #expect(filter.handle(key: 10) == .submitted)
        #expect(filter.value == "nginx-worker")
        var other = Prompt(purpose: .processFilter, text: "nginx")
        Self.type("x", into: &other)
        #expect(other.handle(key: 27) == .cancelled)
        #expect(other.initial == "nginx")
    }
}
