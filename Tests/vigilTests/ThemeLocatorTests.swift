import Foundation
import Testing
@testable import vigil

/// Where theme files are found: the user's own first, then beside the binary, by name or by path.
@Suite("theme locator")
struct ThemeLocatorTests {
    @Test("a user's theme in $XDG_CONFIG_HOME/vigil/themes wins over a shipped one of the same name; a path is taken as it is")
    func lookup() throws {
        let root = NSTemporaryDirectory() + "vigil-themes-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        // An installed layout: bin/vigil and share/vigil/themes beside it.
        try FileManager.default.createDirectory(atPath: root + "/prefix/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/prefix/share/vigil/themes", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/config/vigil/themes", withIntermediateDirectories: true)
        try "selected = black on green\n".write(toFile: root + "/prefix/share/vigil/themes/nord.theme", atomically: true, encoding: .utf8)
        try "selected = black on green\n".write(toFile: root + "/prefix/share/vigil/themes/light.theme", atomically: true, encoding: .utf8)
        try "selected = white on red\n".write(toFile: root + "/config/vigil/themes/nord.theme", atomically: true, encoding: .utf8)
        try "selected = reverse\n".write(toFile: root + "/config/vigil/themes/mine.theme", atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": root + "/config", "HOME": root]
        let binary = root + "/prefix/bin/vigil"
        #expect(ThemeLocator.path(for: "nord", environment: environment, executable: binary) == root + "/config/vigil/themes/nord.theme")
        #expect(ThemeLocator.path(for: "light", environment: environment, executable: binary) == root + "/prefix/share/vigil/themes/light.theme")
        #expect(ThemeLocator.path(for: "absent", environment: environment, executable: binary) == nil)
        #expect(ThemeLocator.path(for: root + "/config/vigil/themes/mine.theme", environment: [:], executable: nil) == root + "/config/vigil/themes/mine.theme")
        #expect(ThemeLocator.path(for: root + "/nowhere.theme", environment: [:], executable: nil) == nil)
        let names = ThemeLocator.availableNames(environment: environment, executable: binary)
        #expect(["light", "mine", "nord"].allSatisfy(names.contains), "\(names)")
        #expect(names.filter { $0 == "nord" }.count == 1, "each name once")
    }
}
