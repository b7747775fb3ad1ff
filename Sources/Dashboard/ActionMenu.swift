import Telemetry

/// The runbook actions that apply to an incident (`x`): choose one, confirm, and it runs.
///
/// Up/Down (or j/k) choose, Enter or the action's number asks for a confirmation that
/// shows the exact program and arguments, `y` runs it, `n` goes back to the list, Esc closes.
public struct ActionMenu: Sendable, Equatable {
    public var incident: Int64
    public var actions: [RunbookAction]
    /// Why configured actions were left out: the config's warnings, so a typo is seen where it matters.
    public var warnings: [String]
    public private(set) var selection = 0
    /// True while asking "run it?".
    public private(set) var confirming = false

    public init(incident: Int64, actions: [RunbookAction], warnings: [String] = []) {
        self.incident = incident
        self.actions = actions
        self.warnings = warnings
    }

    /// What a key did to the menu.
    public enum Outcome: Sendable, Equatable {
        case open
        case closed
        /// The operator confirmed this action.
        case run(String)
    }

    public mutating func handle(key code: Int32) -> Outcome {
        if code == KeyMap.escape { return .closed }
        if confirming {
            switch code {
            case KeyMap.ascii("y"), KeyMap.ascii("Y"): return .run(actions[selection].name)
            case KeyMap.ascii("n"), KeyMap.ascii("N"), 263, 127, 8: confirming = false
            default: break
            }
            return .open
        }
        switch code {
        case 259, KeyMap.ascii("k"): selection = max(0, selection - 1)
        case 258, KeyMap.ascii("j"): selection = min(max(0, actions.count - 1), selection + 1)
        case KeyMap.enter, 10, 343: confirming = !actions.isEmpty
        case KeyMap.ascii("1")...KeyMap.ascii("9"):
            let index = Int(code - KeyMap.ascii("1"))
            if index < actions.count {
                selection = index
                confirming = true
            }
        case KeyMap.ascii("q"), KeyMap.ascii("x"): return .closed
        default: break
        }
        return .open
    }

    /// A box in the middle of `rect`: the list, or the confirmation.
    func draw(in rect: Rect, on buffer: inout CellBuffer) {
        var lines: [(String, Role)] = []
        if actions.isEmpty {
            lines = [("No runbook action applies to #\(incident).", .normal), ("Actions are [actions.NAME] sections of the config file.", .dim)]
        } else if confirming {
            let action = actions[selection]
            lines = [("Run \(action.name) on incident #\(incident)?", .value), (action.commandLine, .normal),
                     ("The incident's fields reach it as VIGIL_* environment variables; timeout \(DurationText.format(action.timeout)).", .dim)]
        } else {
            for (index, action) in actions.enumerated() {
                lines.append(("\(index + 1). \(action.name)  \(action.commandLine)" + (action.automatic ? "  (auto)" : ""), index == selection ? .selected : .normal))
            }
        }
        if !confirming, !warnings.isEmpty {
            lines.append(("", .normal))
            lines += warnings.prefix(4).map { ("config: " + $0, .warning) }
        }
        let hint = actions.isEmpty ? "Esc closes" : confirming ? "y runs it   n goes back   Esc closes" : "Up/Down choose   Enter runs (after a confirmation)   Esc closes"
        let width = min(rect.width, max(TerminalText.width(hint), lines.map { TerminalText.width($0.0) }.max() ?? 0) + 4)
        let height = min(rect.height, lines.count + 4)
        let box = Rect(row: rect.row + max(0, (rect.height - height) / 2), column: rect.column + max(0, (rect.width - width) / 2), height: height, width: width)
        buffer.fill(box, role: .normal)
        Meter.titleRule(" Actions for #\(incident)", in: Rect(row: box.row, column: box.column, height: 1, width: box.width), on: &buffer)
        for (index, line) in lines.enumerated() {
            let row = box.row + 2 + index
            guard row < box.bottom - 1 else { break }
            buffer.put(line.0, row: row, column: box.column + 2, role: line.1, limit: box.width - 3)
        }
        buffer.put(hint, row: box.bottom - 1, column: box.column + 2, role: .dim, limit: box.width - 3)
    }
}
