import Foundation
@testable import vigil
import Testing

@Suite("config file")
struct ConfigFileTests {
    static func fixture(_ name: String) throws -> (String, String) {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name)")
        return (try String(contentsOf: url, encoding: .utf8), url.path)
    }

    @Test("a good file sets what it names; sections, comments and quotes work")
    func goodFile() throws {
        let (text, path) = try Self.fixture("good.conf")
        var settings = Settings()
        let warnings = try settings.apply(try ConfigFile.parse(text, path: path))
        #expect(warnings.isEmpty)
        #expect(settings.interval == 2)
        #expect(settings.procRoot == "/host/proc")
        #expect(settings.theme == "monochrome")
        #expect(settings.colour == false)
    }

    @Test("an unknown key is a warning with its line number")
    func unknownKey() throws {
        let (text, path) = try Self.fixture("unknown-key.conf")
        var settings = Settings()
        let warnings = try settings.apply(try ConfigFile.parse(text, path: path))
        #expect(warnings.count == 2)
        #expect(warnings[0].contains("unknown-key.conf:3"))
        #expect(warnings[0].contains("colour_depth"))
        #expect(warnings[1].contains("[nonsense]"))
        #expect(settings.interval == 1.5)
    }

    @Test("a bad value is an error with its line number")
    func badValue() throws {
        let (text, path) = try Self.fixture("bad-value.conf")
        var settings = Settings()
        let file = try ConfigFile.parse(text, path: path)
        #expect {
            _ = try settings.apply(file)
        } throws: { error in
            (error as? UsageError)?.message.contains("bad-value.conf:4") == true
        }
    }

    @Test("a line that is not key = value is a syntax error with its line number")
    func syntaxError() {
        #expect {
            _ = try ConfigFile.parse("[general]\ninterval = 1s\njust words\n", path: "x.conf")
        } throws: { error in
            (error as? ConfigFile.SyntaxError)?.line == 3
        }
    }

    @Test("flags win over the file")
    func flagsWin() throws {
        let (_, path) = try Self.fixture("good.conf")
        let invocation = try Invocation.parse(["--config", path, "--interval", "500ms"])
        let settings = try Vigil.loadSettings(invocation, environment: [:])
        #expect(settings.interval == 0.5)
        #expect(settings.procRoot == "/host/proc")
    }

    @Test("NO_COLOR turns colour off")
    func noColor() throws {
        let settings = try Vigil.loadSettings(Invocation(configPath: "/dev/null"), environment: ["NO_COLOR": "1"])
        #expect(settings.colour == false)
    }
}

@Suite("config: thresholds and incidents")
struct ThresholdConfigTests {
    @Test("[thresholds] NAME = WARNING, CRITICAL changes a limit; '-' turns one off; [incidents] sets window and grace")
    func thresholds() throws {
        var settings = Settings()
        let text = "[thresholds]\ncpu_busy = 80, 95\nfs_used = 85, -\n[incidents]\nwindow = 90s\ngrace = 10m\n"
        let warnings = try settings.apply(try ConfigFile.parse(text, path: "vigil.conf"))
        #expect(warnings.isEmpty)
        let cpu = try #require(settings.limits.first { $0.name == "cpu_busy" })
        #expect(cpu.warning == 80 && cpu.critical == 95)
        let fs = try #require(settings.limits.first { $0.name == "fs_used" })
        #expect(fs.warning == 85 && fs.critical == nil)
        #expect(settings.correlationWindow == 90)
        #expect(settings.resolutionGrace == 600)
    }

    @Test("a threshold that is not numbers is an error naming the line")
    func badThreshold() throws {
        var settings = Settings()
        #expect(throws: UsageError.self) { try settings.apply(try ConfigFile.parse("[thresholds]\ncpu_busy = high\n", path: "vigil.conf")) }
        do {
            _ = try settings.apply(try ConfigFile.parse("[thresholds]\ncpu_busy = high\n", path: "vigil.conf"))
        } catch {
            #expect("\(error)".contains("vigil.conf:2"))
            #expect("\(error)".contains("cpu_busy takes 'WARNING[, CRITICAL]'"))
        }
    }
}

@Suite("where the config file is found")
struct ConfigSearchTests {
    @Test("--config wins; else $XDG_CONFIG_HOME/vigil/vigil.conf (else ~/.config); the file found is the one applied")
    func searchOrder() throws {
        let home = NSTemporaryDirectory() + "vigil-config-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/xdg/vigil", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.config/vigil", withIntermediateDirectories: true)
        try "[general]\ninterval = 3s\n".write(toFile: home + "/xdg/vigil/vigil.conf", atomically: true, encoding: .utf8)
        try "[general]\ninterval = 4s\n".write(toFile: home + "/.config/vigil/vigil.conf", atomically: true, encoding: .utf8)
        try "[general]\ninterval = 5s\n".write(toFile: home + "/named.conf", atomically: true, encoding: .utf8)
        let plain = try Invocation.parse([])
        #expect(Vigil.configPath(plain, environment: ["XDG_CONFIG_HOME": home + "/xdg", "HOME": home]) == home + "/xdg/vigil/vigil.conf")
        #expect(try Vigil.loadSettings(plain, environment: ["XDG_CONFIG_HOME": home + "/xdg", "HOME": home]).interval == 3)
        #expect(try Vigil.loadSettings(plain, environment: ["HOME": home]).interval == 4, "without XDG_CONFIG_HOME, ~/.config")
        let named = try Invocation.parse(["--config", home + "/named.conf"])
        #expect(try Vigil.loadSettings(named, environment: ["XDG_CONFIG_HOME": home + "/xdg", "HOME": home]).interval == 5)
        // No user file: /etc/vigil/vigil.conf if there is one, else the defaults.
        let bare = Vigil.configPath(plain, environment: ["XDG_CONFIG_HOME": home + "/none", "HOME": home + "/none"])
        #expect(bare == (FileManager.default.fileExists(atPath: "/etc/vigil/vigil.conf") ? "/etc/vigil/vigil.conf" : nil))
    }
}
