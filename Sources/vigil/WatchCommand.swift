import Detection
import Dispatch
import FoundationEssentials
import Collector
import Monitor
import Store
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `vigil watch`: the dashboard's engine without the screen, one line per tick.
///
/// For scripts, pipelines and tests that need to see what the engine flags and
/// when: each tick prints the active anomalies and open incidents (JSON lines with
/// `--json`, else a short text line when something changed). It stops after
/// `--duration`, on SIGINT or SIGTERM.
enum WatchCommand {
    /// One `--json` line.
    struct Line: Encodable {
        struct Flag: Encodable {
            var signal: String
            var kind: String
            var severity: String
            var onset: Double
            var silenced: Bool
            var explanation: String
        }

        struct OpenIncident: Encodable {
            var id: Int64
            var title: String
            var severity: String
            var state: String
        }

        struct Link: Encodable {
            var name: String
            var state: String
            var healthy: Bool
            var detail: String?
        }

        var time: Double
        var sequence: UInt64
        var role: String
        var anomalies: [Flag]
        var incidents: [OpenIncident]
        /// The journal, the Prometheus textfile and Alertmanager, as the header shows them.
        var links: [Link]
    }

    static func run(_ invocation: Invocation, settings: Settings, environment: [String: String]) -> Int32 {
        let monitorSettings = settings.monitorSettings(environment: environment)
        let mailbox = SnapshotLine(json: invocation.json)
        let monitor = Monitor(settings: monitorSettings) { snapshot in mailbox.print(snapshot) }
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        monitor.start()
        if let duration = invocation.duration {
            _ = stop.wait(timeout: .now() + duration)
        } else {
            stop.wait()
        }
        monitor.stop()
        sources.forEach { $0.cancel() }
        return 0
    }

    /// Prints snapshots as they arrive, from the monitor's queue.
    final class SnapshotLine: Sendable {
        let json: Bool

        init(json: Bool) {
            self.json = json
        }

        func print(_ snapshot: Snapshot) {
            let line = Line(
                time: snapshot.time, sequence: snapshot.sequence, role: snapshot.incidents.role.rawValue,
                anomalies: snapshot.anomalies.map {
                    .init(signal: $0.signal.rawValue, kind: $0.kind.rawValue, severity: $0.severity.rawValue, onset: $0.onset, silenced: $0.silenced, explanation: $0.explanation)
                },
                incidents: snapshot.incidents.incidents.filter { $0.state != .resolved }.map {
                    .init(id: $0.id, title: $0.title, severity: $0.severity.rawValue, state: $0.state.rawValue)
                },
                links: snapshot.links.map { .init(name: $0.name, state: $0.state, healthy: $0.healthy, detail: $0.detail) }
            )
            let text: String
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                text = (try? encoder.encode(line)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            } else {
                let flags = line.anomalies.map { "\($0.severity.uppercased()) \($0.explanation)" }
                let open = line.incidents.map { "#\($0.id) \($0.state) \($0.title)" }
                text = "\(IncidentCommands.timestamp(line.time))  " + (flags.isEmpty ? "no anomalies" : flags.joined(separator: "; "))
                    + (open.isEmpty ? "" : "  |  " + open.joined(separator: "; "))
            }
            // One write per line, so a reader never sees half a line.
            let output = text + "\n"
            _ = output.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
        }
    }
}
