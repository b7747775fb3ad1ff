import Foundation
import Testing

@testable import Detection

@Suite struct TemplateIDTests {
    /// Published FNV-1a 64-bit test vectors.
    @Test(arguments: [("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)])
    func hashesWithFNV1a(_ text: String, _ expected: UInt64) {
        #expect(TemplateID(templateText: text).rawValue == expected)
    }

    @Test func printsSixteenHexDigitsAndParsesThemBack() {
        let id = TemplateID(rawValue: 0xab)
        #expect(id.description == "00000000000000ab")
        #expect(TemplateID("00000000000000ab") == id)
        #expect(TemplateID("ab") == nil)
        #expect(TemplateID("zz000000000000ab") == nil)
    }

    @Test func codesAsHexText() throws {
        let id = TemplateID(templateText: "session closed for user <*>")
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(id)\"]")
        #expect(try JSONDecoder().decode([TemplateID].self, from: json) == [id])
    }
}
