@testable import vigil
import Collector
import Testing

/// The flags and config keys of the journal, the Prometheus textfile and Alertmanager.
@Suite("journal, textfile and alertmanager options")
struct FleetOptionTests {
    @Test("--journal, --no-journal, --journal-unit (repeatable), --journal-dir, --textfile-dir, --alertmanager")
    func flags() throws {
        let invocation = try Invocation.parse([
            "--journal", "--journal-unit", "nginx", "--journal-unit=ssh.socket", "--journal-dir", "/host/var/log/journal",
            "--textfile-dir=/var/lib/node_exporter/textfile", "--alertmanager", "http://127.0.0.1:9093/",
        ])
        #expect(invocation.journal == true)
        #expect(invocation.journalUnits == ["nginx", "ssh.socket"])
        #expect(invocation.journalDirectory == "/host/var/log/journal")
        #expect(invocation.textfileDirectory == "/var/lib/node_exporter/textfile")
        #expect(invocation.alertmanagerURL == "http://127.0.0.1:9093", "a trailing slash is dropped")
        #expect(try Invocation.parse(["--no-journal"]).journal == false)
        #expect(throws: UsageError.self) { try Invocation.parse(["--alertmanager", "127.0.0.1:9093"]) }
        #expect(throws: UsageError.self) { try Invocation.parse(["--journal=yes"]) }
        #expect(throws: UsageError.self) { try Invocation.parse(["--textfile-dir"]) }
    }

    @Test("[journal], [prometheus] and [alertmanager] sections")
    func configSections() throws {
        var settings = Settings()
        let file = try ConfigFile.parse("""
            [journal]
            enabled = yes
            unit = nginx
            unit = postgresql
            directory = /host/var/log/journal
            [prometheus]
            textfile_dir = /var/lib/prometheus/node-exporter
            [alertmanager]
            url = https://am.example:9093
            """, path: "v.conf")
        #expect(try settings.apply(file).isEmpty)
        #expect(settings.journal == .on)
        #expect(settings.journalUnits == ["nginx", "postgresql"])
        #expect(settings.journalDirectory == "/host/var/log/journal")
        #expect(settings.textfileDirectory == "/var/lib/prometheus/node-exporter")
        #expect(settings.alertmanagerURL == "https://am.example:9093")
        for bad in ["[journal]\nenabled = sometimes\n", "[alertmanager]\nurl = am:9093\n", "[prometheus]\ntextfile_dir =\n"] {
            var other = Settings()
            #expect(throws: UsageError.self, "\(bad)") { try other.apply(try ConfigFile.parse(bad, path: "v.conf")) }
        }
    }

    @Test("the journal is on by default where the host has one and no log file was named")
    func journalDefault() {
        var settings = Settings()
        #expect(settings.journalPlace(hostHasJournal: true) == .system)
        #expect(settings.journalPlace(hostHasJournal: false) == nil)
        settings.logPaths = ["/var/log/app.log"]
        #expect(settings.journalPlace(hostHasJournal: true) == nil, "a named file turns the default off")
        settings.journal = .on
        #expect(settings.journalPlace(hostHasJournal: false) == .system, "asked for, a missing journal is a note in the header")
        settings.journal = .off
        settings.journalUnits = ["nginx"]
        #expect(settings.journalPlace(hostHasJournal: true) == nil)
        settings.journal = .auto
        #expect(settings.journalPlace(hostHasJournal: false) == .system, "naming a unit asks for the journal")
        settings.journalDirectory = "/srv/journal"
        #expect(settings.journalPlace(hostHasJournal: false) == .directory("/srv/journal"))
    }
}
