@testable import vigil
import Testing

@Suite("command line")
struct InvocationTests {
    @Test("flags and their values", arguments: [
        (["--interval", "500ms"], 0.5),
        (["--interval=2s"], 2.0),
        (["-i", "1s"], 1.0),
        (["snapshot", "--json", "--interval", "100ms"], 0.1),
    ])
    func intervals(arguments: [String], seconds: Double) throws {
        #expect(try Invocation.parse(arguments).interval == seconds)
    }

    @Test("modes")
    func modes() throws {
        #expect(try Invocation.parse([]).mode == .dashboard)
        #expect(try Invocation.parse(["snapshot"]).mode == .snapshot)
        #expect(try Invocation.parse(["--help"]).mode == .help)
        #expect(try Invocation.parse(["-V"]).mode == .version)
        let invocation = try Invocation.parse(["snapshot", "--json", "--proc-root", "/host/proc", "--config=/tmp/v.conf"])
        #expect(invocation.json)
        #expect(invocation.procRoot == "/host/proc")
        #expect(invocation.configPath == "/tmp/v.conf")
    }

    @Test("mistakes name the flag", arguments: [
        (["--bogus"], "--bogus"),
        (["--interval", "fast"], "--interval"),
        (["--interval", "50ms"], "minimum is 100ms"),
        (["--interval"], "--interval needs a value"),
        (["--json"], "--json"),
        (["frobnicate"], "frobnicate"),
        (["--no-color=yes"], "--no-color takes no value"),
    ])
    func mistakes(arguments: [String], mentions: String) {
        #expect {
            try Invocation.parse(arguments)
        } throws: { error in
            (error as? UsageError)?.message.contains(mentions) == true
        }
    }
}

@Suite("log options")
struct LogOptionTests {
    @Test("--log repeats, --from-start and mine with its input")
    func logFlags() throws {
        let invocation = try Invocation.parse(["--log", "/var/log/syslog", "--log=/var/log/nginx/*.log", "--from-start"])
        #expect(invocation.logPaths == ["/var/log/syslog", "/var/log/nginx/*.log"])
        #expect(invocation.fromStart)
        let mine = try Invocation.parse(["mine", "-", "--stats"])
        #expect(mine.mode == .mine)
        #expect(mine.mineInput == "-")
        #expect(mine.stats)
        #expect(try Invocation.parse(["mine"]).mineInput == nil)
        #expect(throws: UsageError.self) { try Invocation.parse(["--stats"]) }
    }

    @Test("[logs] path lines add up; from_start takes yes or no")
    func logsSection() throws {
        var settings = Settings()
        let file = try ConfigFile.parse("[logs]\npath = /var/log/syslog\npath = /var/log/app/*.log\nfrom_start = yes\n", path: "v.conf")
        #expect(try settings.apply(file).isEmpty)
        #expect(settings.logPaths == ["/var/log/syslog", "/var/log/app/*.log"])
        #expect(settings.logsFromStart)
        var other = Settings()
        #expect(throws: UsageError.self) { try other.apply(try ConfigFile.parse("[logs]\nfrom_start = maybe\n", path: "v.conf")) }
    }
}
