@testable import Collector
import Telemetry
import Testing

/// Real lines from real servers, each with what must be read from it.
@Suite("log formats")
struct LogFormatTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var line: String
        var format: LogFormat
        var severity: LogSeverity
        var program: String?
        var pid: Int?
        var message: String
        /// Seconds since 1970 in UTC, when the line states a zone.
        var time: Double?
        var testDescription: String { "\(format.rawValue): \(line.prefix(40))" }
    }

    static let samples: [Sample] = [
        Sample(line: "Dec  4 13:44:27 web-01 sshd[1234]: Failed password for invalid user admin from 203.0.113.9 port 52311 ssh2",
               format: .rfc3164, severity: .error, program: "sshd", pid: 1234, message: "Failed password for invalid user admin from 203.0.113.9 port 52311 ssh2"),
        Sample(line: "Dec 14 03:02:01 web-01 CRON[9981]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
               format: .rfc3164, severity: .info, program: "CRON", pid: 9981, message: "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"),
        Sample(line: "Jan 10 08:15:42 db kernel: [123456.789012] Out of memory: Killed process 4242 (postgres) total-vm:8123456kB",
               format: .rfc3164, severity: .critical, program: "kernel", pid: nil, message: "[123456.789012] Out of memory: Killed process 4242 (postgres) total-vm:8123456kB"),
        Sample(line: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
               format: .rfc3164, severity: .critical, program: "su", pid: nil, message: "'su root' failed for lonvick on /dev/pts/8"),
        Sample(line: "2026-12-04T13:44:27.123456+00:00 web-01 systemd[1]: Started session-42.scope - Session 42 of User alice.",
               format: .rfc3164, severity: .info, program: "systemd", pid: 1, message: "Started session-42.scope - Session 42 of User alice.", time: 1_796_391_867.123456),
        Sample(line: "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 8710 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event log entry",
               format: .rfc5424, severity: .notice, program: "evntslog", pid: 8710, message: "An application event log entry", time: 1_065_910_455.003),
        Sample(line: "<11>1 2026-12-04T10:00:00Z host app - - - disk write failed",
               format: .rfc5424, severity: .error, program: "app", pid: nil, message: "disk write failed", time: 1_796_378_400),
        Sample(line: "203.0.113.7 - - [04/Dec/2026:13:44:27 +0000] \"GET /api/v1/orders?id=7 HTTP/1.1\" 502 157 \"-\" \"curl/8.5.0\"",
               format: .access, severity: .error, message: "\"GET /api/v1/orders?id=7 HTTP/1.1\" 502 157 \"-\" \"curl/8.5.0\"", time: 1_796_391_867),
        Sample(line: "198.51.100.2 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 404 2326",
               format: .access, severity: .warning, message: "\"GET /apache_pb.gif HTTP/1.0\" 404 2326", time: 971_211_336),
        Sample(line: "::1 - - [04/Dec/2026:13:44:27 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0\"",
               format: .access, severity: .info, message: "\"GET / HTTP/1.1\" 200 612 \"-\" \"Mozilla/5.0\"", time: 1_796_391_867),
        Sample(line: "2026/12/04 13:44:27 [error] 1234#1234: *5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.5",
               format: .nginxError, severity: .error, program: "nginx", pid: 1234, message: "*5 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.5"),
        Sample(line: "2026/12/04 13:44:28 [warn] 77#77: 1024 worker_connections are not enough",
               format: .nginxError, severity: .warning, program: "nginx", pid: 77, message: "1024 worker_connections are not enough"),
        Sample(line: "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist: /usr/local/apache2/htdocs/favicon.ico",
               format: .apacheError, severity: .error, program: "apache", pid: 35708, message: "File does not exist: /usr/local/apache2/htdocs/favicon.ico"),
        Sample(line: "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
               format: .apacheError, severity: .notice, program: "apache", pid: nil, message: "workerEnv.init() ok /etc/httpd/conf/workers2.properties"),
        Sample(line: "{\"level\":\"error\",\"ts\":1764851234.5,\"logger\":\"api\",\"msg\":\"request failed\",\"status\":503}",
               format: .json, severity: .error, program: "api", message: "request failed", time: 1_764_851_234.5),
        Sample(line: "{\"time\":\"2026-12-04T10:00:00Z\",\"level\":30,\"pid\":42,\"name\":\"web\",\"msg\":\"listening on \\\"0.0.0.0:80\\\"\"}",
               format: .json, severity: .info, program: "web", pid: 42, message: "listening on \"0.0.0.0:80\"", time: 1_796_378_400),
        Sample(line: "{\"@timestamp\":\"2026-12-04T10:00:00.5Z\",\"log.level\":\"WARN\",\"message\":\"slow query\",\"nested\":{\"a\":[1,2,{\"b\":\"}\"}]}}",
               format: .json, severity: .warning, message: "slow query", time: 1_796_378_400.5),
        Sample(line: "2026-12-04T10:00:00.250Z INFO  [main] Server started on port 8080",
               format: .iso8601, severity: .info, message: "INFO  [main] Server started on port 8080", time: 1_796_378_400.25),
        Sample(line: "2026-12-04 10:00:00,123 [ERROR] pool exhausted",
               format: .iso8601, severity: .error, message: "[ERROR] pool exhausted"),
        Sample(line: "2026-12-04T10:00:00+01:00 level=warn msg=\"disk 91% full\"",
               format: .iso8601, severity: .warning, message: "level=warn msg=\"disk 91% full\"", time: 1_796_374_800),
        Sample(line: "java.lang.NullPointerException: request failed", format: .plain, severity: .error, message: "java.lang.NullPointerException: request failed"),
        Sample(line: "Segmentation fault? no: myapp[77]: segfault at 0 ip 00007f", format: .plain, severity: .critical, message: "Segmentation fault? no: myapp[77]: segfault at 0 ip 00007f"),
        Sample(line: "permission denied while opening socket", format: .plain, severity: .error, message: "permission denied while opening socket"),
        Sample(line: "FATAL: the database system is shutting down", format: .plain, severity: .critical, message: "FATAL: the database system is shutting down"),
        Sample(line: "kernel: panic - not syncing", format: .plain, severity: .critical, message: "kernel: panic - not syncing"),
        Sample(line: "watchdog: BUG: soft lockup - CPU#1 stuck for 23s!", format: .plain, severity: .critical, message: "watchdog: BUG: soft lockup - CPU#1 stuck for 23s!"),
        Sample(line: "all good, terrorism report filed", format: .plain, severity: .info, message: "all good, terrorism report filed"),
    ]

    @Test("each format reads time, severity, program, pid and message", arguments: samples)
    func parse(sample: Sample) throws {
        var line = sample.line
        let parsed = try #require(line.withUTF8 { sample.format.parse(UnsafeRawBufferPointer($0), now: 1_796_391_867) })
        #expect(parsed.severity == sample.severity)
        #expect(parsed.program == sample.program)
        #expect(parsed.pid == sample.pid)
        let message = parsed.message ?? String(decoding: Array(sample.line.utf8).dropFirst(parsed.messageStart), as: UTF8.self)
        #expect(message == sample.message)
        if let time = sample.time {
            #expect(abs((parsed.time ?? 0) - time) < 0.001, "time \(String(describing: parsed.time))")
        } else if sample.format != .plain {
            #expect(parsed.time != nil)
        }
    }

    @Test("the format of a file is the most specific that fits its first lines", arguments: LogFormat.allCases)
    func detection(format: LogFormat) {
        let lines = Self.samples.filter { $0.format == format }.map { Array($0.line.utf8) }
        // A stack trace line among them does not change the choice.
        let mixed = lines + lines + [Array("    at com.example.Main.run(Main.java:42)".utf8)]
        #expect(LogFormat.detect(mixed, now: 1_796_391_867) == format)
    }

    @Test("a syslog line from December read in January belongs to last year")
    func yearRollover() throws {
        var line = "Dec 31 23:59:59 host app: bye"
        let january2027 = 1_798_848_000.0 + 3600 // 2027-01-01T01:00:00Z
        let parsed = try #require(line.withUTF8 { LogFormat.rfc3164.parse(UnsafeRawBufferPointer($0), now: january2027) })
        #expect(parsed.time! < january2027)
        #expect(parsed.time! > january2027 - 3 * 86_400)
    }
}
