@testable import Dashboard
import Foundation
import Testing

@Suite("themes")
struct ThemeTests {
    @Test("role = colour [on colour] [attributes] lines")
    func parsesLines() {
        let text = """
        # a comment
        header = white on blue bold
        critical = #ff0000 reverse
        dim = 244
        title = bright-cyan underline
        """
        let (theme, problems) = Theme.parse(text, name: "t")
        #expect(problems.isEmpty)
        #expect(theme.style(for: .header) == Theme.Style(foreground: .indexed(7), background: .indexed(4), attributes: [.bold]))
        #expect(theme.style(for: .critical) == Theme.Style(foreground: .rgb(255, 0, 0), attributes: [.reverse]))
        #expect(theme.style(for: .dim).foreground == .indexed(244))
        #expect(theme.style(for: .title) == Theme.Style(foreground: .indexed(14), attributes: [.underline]))
        #expect(theme.style(for: .ok) == Theme.Style())
    }

    @Test("bad lines are reported with their numbers and skipped")
    func badLines() {
        let (theme, problems) = Theme.parse("header = blue\nnonsense\nfoo = red\ntitle = purple-ish\nvalue = red on\n", name: "t")
        #expect(problems.map(\.line) == [2, 3, 4, 5])
        #expect(theme.style(for: .header).foreground == .indexed(4))
    }

    @Test("colours map to the nearest a terminal offers", arguments: [
        (Theme.Colour.rgb(255, 0, 0), 8, Int32(1)),
        (Theme.Colour.rgb(255, 0, 0), 256, Int32(9)),
        (Theme.Colour.indexed(12), 8, Int32(4)),
        (Theme.Colour.indexed(200), 256, Int32(200)),
        (Theme.Colour.terminalDefault, 256, Int32(-1)),
    ])
    func mapping(colour: Theme.Colour, available: Int, expected: Int32) {
        #expect(ColourMapping.terminalColour(colour, available: available) == expected)
    }

    @Test("every theme shipped in themes/ parses without a problem")
    func shippedThemes() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".theme") }
        #expect(files.contains("default.theme"))
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let (theme, problems) = Theme.parse(text, name: file)
            #expect(problems.isEmpty, "\(file): \(problems)")
            #expect(!theme.styles.isEmpty)
            // Without colour every shipped theme still marks what colour marked.
            #expect(theme.attributes(for: .selected, colour: false).contains(.reverse), "\(file)")
            #expect(theme.attributes(for: .header, colour: false).contains(.reverse), "\(file)")
            #expect(theme.attributes(for: .critical, colour: false) != theme.attributes(for: .warning, colour: false), "\(file)")
        }
    }
}
