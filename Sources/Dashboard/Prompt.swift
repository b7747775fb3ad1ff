/// A one-line text prompt at the bottom of the screen, edited like a shell line.
///
/// Left/Right/Home/End move, Backspace and Delete erase, Ctrl-U clears, Enter
/// submits, Esc cancels. Bytes of a UTF-8 character arrive one key at a time and
/// are joined before insertion.
public struct Prompt: Sendable, Equatable {
    /// What the prompt is for.
    public enum Purpose: Sendable, Equatable {
        case acknowledge(Int64)
        case resolve(Int64)
        case note(Int64)
        /// A duration for silencing these signal ids.
        case silence([String])
        case processFilter
        case logFilter
    }

    /// What an empty duration means when silencing: an hour.
    public static let defaultSilence = "1h"

    public var purpose: Purpose
    public private(set) var text: [Character] = []
    public private(set) var cursor = 0
    /// The text it started with, put back when a filter prompt is cancelled.
    public let initial: String
    private var pendingBytes: [UInt8] = []

    public init(purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.initial = text
        self.text = Array(text)
        cursor = self.text.count
    }

    public var label: String {
        switch purpose {
        case .acknowledge(let id): "Acknowledge #\(id), note (optional): "
        case .resolve(let id): "Resolve #\(id), note (optional): "
        case .note(let id): "Note for #\(id): "
        case .silence(let patterns):
            "Silence \(patterns.count == 1 ? patterns[0] : "\(patterns.count) signals") for (30m, 2h, 1d; empty \(Self.defaultSilence)): "
        case .processFilter: "Filter processes: "
        case .logFilter: "Filter logs: "
        }
    }

    public var value: String { String(text) }

    /// What a key did to the prompt.
    public enum Outcome: Sendable, Equatable {
        case editing
        case submitted
        case cancelled
    }

    public mutating func handle(key code: Int32) -> Outcome {
        switch code {
        case KeyMap.escape: return .cancelled
        case 10, 13, 343: return .submitted
        case 263, 127, 8: // KEY_BACKSPACE, DEL, ^H
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case 330: // KEY_DC
            if cursor < text.count { text.remove(at: cursor) }
        case 260: cursor = max(0, cursor - 1) // KEY_LEFT
        case 261: cursor = min(text.count, cursor + 1) // KEY_RIGHT
        case 262, 1: cursor = 0 // KEY_HOME, ^A
        case 360, 5: cursor = text.count // KEY_END, ^E
        case 21: // ^U clears to the start, as a shell does
            text.removeFirst(cursor)
            cursor = 0
        case 32..<127:
            insert(Character(Unicode.Scalar(UInt8(code))))
        case 128..<256:
            pendingBytes.append(UInt8(code))
            let decoded = String(decoding: pendingBytes, as: UTF8.self)
            if !decoded.contains("\u{FFFD}") || pendingBytes.count >= 4 {
                pendingBytes.removeAll()
                for character in decoded where character != "\u{FFFD}" { insert(character) }
            }
        default:
            break
        }
        return .editing
    }

    private mutating func insert(_ character: Character) {
        guard text.count < 500 else { return }
        text.insert(character, at: cursor)
        cursor += 1
    }
}
