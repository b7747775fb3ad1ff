/// Maps theme colours to the colours a terminal offers (8, 16 or 256).
enum ColourMapping {
    /// The RGB value of an xterm colour index.
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return basic[max(0, index)] }
        if index < 232 {
            let cube = index - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        }
        let grey = 8 + (index - 232) * 10
        return (grey, grey, grey)
    }

    /// The nearest colour number among the first `available` colours; -1 is the terminal's default.
    static func terminalColour(_ colour: Theme.Colour, available: Int) -> Int32 {
        switch colour {
        case .terminalDefault:
            return -1
        case .indexed(let index):
            if index < available { return Int32(index) }
            if index < 16, available >= 8 { return Int32(index % 8) }
            let (r, g, b) = rgb(ofIndex: index)
            return nearest(r, g, b, among: min(available, 16))
        case .rgb(let r, let g, let b):
            return nearest(Int(r), Int(g), Int(b), among: min(available, 256))
        }
    }

    static func nearest(_ r: Int, _ g: Int, _ b: Int, among count: Int) -> Int32 {
        guard count > 0 else { return -1 }
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let (cr, cg, cb) = rgb(ofIndex: index)
            // Weighted toward green, as the eye is; good enough to pick from a palette.
            let distance = 2 * (r - cr) * (r - cr) + 4 * (g - cg) * (g - cg) + 3 * (b - cb) * (b - cb)
            if distance < bestDistance {
                bestDistance = distance
                best = index
            }
        }
        return Int32(best)
    }
}
