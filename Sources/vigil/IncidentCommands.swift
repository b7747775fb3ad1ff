import FoundationEssentials
import Monitor
import Store
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `vigil incidents`, `show`, `ack`, `note`, `resolve` and `silence`: the incident
/// store for scripts and for a second terminal.
///
/// They open the same database as a running dashboard; SQLite's WAL and busy
/// timeout let them write while it runs, and the dashboard shows the change on its
/// next tick. Each prints its result only after the change has committed.
enum IncidentCommands {
    static func run(_ invocation: Invocation, settings: Settings, environment: [String: String]) -> Int32 {
        let path = StatePaths.database(settings: settings, environment: environment)
        let now = Monitor.wallClock()
        let who = StatePaths.operatorName(environment)
        do {
            let database = try Database(path: path)
            let incidents = try IncidentStore(database: database)
            switch invocation.mode {
            case .incidents:
                let list = try incidents.incidents(includingResolved: invocation.includeResolved)
                print(invocation.json ? json(list) : table(list, now: now), terminator: "")
            case .show:
                guard let incident = try incidents.incident(invocation.incidentID) else {
                    writeError("vigil: no incident #\(invocation.incidentID) in \(path)")
                    return 1
                }
                let timeline = try incidents.timeline(incident.id)
                let evidence = try incidents.detail(incident.id)
                print(invocation.json ? json(Detail(incident: incident, timeline: timeline, detail: evidence))
                                      : detail(incident, timeline, evidence), terminator: "")
            case .acknowledge:
                let incident = try incidents.acknowledge(invocation.incidentID, who: who, note: invocation.note, at: now)
                print("acknowledged #\(incident.id) as \(who)\(invocation.note.map { ": \($0)" } ?? "")")
            case .note:
                let text = invocation.operands[1]
                _ = try incidents.addNote(invocation.incidentID, who: who, text: text, at: now)
                print("noted on #\(invocation.incidentID)")
            case .resolve:
                let incident = try incidents.resolve(invocation.incidentID, who: who, reason: invocation.note ?? "resolved by hand", at: now)
                print("resolved #\(incident.id)")
            case .silence:
                let silences = try SilenceStore(database: database)
                let seconds = invocation.silenceFor ?? 3600
                let silence = try silences.add(pattern: invocation.operands[0], until: now + seconds, by: who, note: invocation.note, at: now)
                print("silenced \(silence.pattern) for \(DurationText.format(seconds))")
            default:
                return 2
            }
            return 0
        } catch let refusal as IncidentStore.Refusal {
            writeError("vigil: \(refusal)")
            return 1
        } catch let failure as Database.Failure {
            let advice = failure.isCorrupt
                ? " (the file is damaged or not a Vigil database; move it aside or use --db)"
                : failure.isBusy ? " (another process holds it; try again)" : ""
            writeError("vigil: database \(failure)\(advice)")
            return 1
        } catch {
            writeError("vigil: \(error)")
            return 1
        }
    }

    /// `vigil show --json`: the incident, its timeline, and what it knows: members with peak
    /// and band, likely causes, top processes at onset and the evidence lines.
    struct Detail: Encodable {
        var incident: Incident
        var timeline: [TimelineEvent]
        var detail: IncidentDetail?
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(value) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func table(_ incidents: [Incident], now: Double) -> String {
        guard !incidents.isEmpty else { return "no incidents\n" }
        var lines = ["ID     SEVERITY  STATE         SINCE    ACKED BY    TITLE"]
        for incident in incidents {
            let since = DurationText.format(max(0, now - incident.openedAt)) + " ago"
            lines.append(
                pad("#\(incident.id)", 6) + " " + pad(incident.severity.rawValue, 9) + " " + pad(incident.state.rawValue, 13) + " "
                    + pad(since, 8) + " " + pad(incident.acknowledgement?.who ?? "-", 11) + " " + incident.title
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func detail(_ incident: Incident, _ timeline: [TimelineEvent], _ known: IncidentDetail? = nil) -> String {
        var lines = [
            "#\(incident.id)  \(incident.severity.rawValue)  \(incident.state.rawValue)",
            incident.title,
            "opened \(timestamp(incident.openedAt))" + (incident.resolvedAt.map { ", resolved \(timestamp($0))" } ?? ""),
        ]
        if let root = incident.rootSignal { lines.append("root signal: \(root)") }
        if let ack = incident.acknowledgement {
            lines.append("acknowledged by \(ack.who) at \(timestamp(ack.at))" + (ack.note.map { ": \($0)" } ?? ""))
        }
        if let known {
            if !known.members.isEmpty {
                lines.append("")
                lines.append("members:")
                for member in known.members {
                    let band = member.bandLow.map { low in member.bandHigh.map { "usual \(number(low))-\(number($0))" } ?? "usual above \(number(low))" }
                        ?? member.bandHigh.map { "usual below \(number($0))" } ?? ""
                    let state = member.isActive ? "active" : member.endedAtNewLevel ? "new level" : "back in band"
                    lines.append("  \(pad(member.severity.rawValue, 8)) \(member.signal)  peak \(number(member.peak))  \(band)  \(state)")
                    lines.append("           \(member.explanation)")
                }
            }
            if !known.candidates.isEmpty {
                lines.append("")
                lines.append("likely causes:")
                for (index, candidate) in known.candidates.prefix(5).enumerated() {
                    let process = candidate.process.map { "  \($0.name) (pid \($0.pid))" } ?? ""
                    lines.append("  \(index + 1). \(candidate.headline): \(candidate.signal)\(process) - \(candidate.reason)")
                }
            }
            if !known.processesAtOnset.isEmpty {
                lines.append("")
                lines.append("top processes at onset:")
                for process in known.processesAtOnset.prefix(5) {
                    lines.append("  \(process.pid)  \(process.name)  cpu \(HumanReadable.percent(process.cpuPercent))  rss \(HumanReadable.bytes(process.residentBytes))  \(process.command)")
                }
            }
            if !known.logLines.isEmpty {
                lines.append("")
                lines.append("log lines around onset:")
                for line in known.logLines {
                    lines.append("  \(timestamp(line.time))  \(line.source): [\(line.reason)] \(line.text)")
                }
            }
        }
        lines.append("")
        lines.append("timeline:")
        for event in timeline {
            let actor = event.actor.map { " (\($0))" } ?? ""
            // An action's result carries its first output lines: indented beneath it.
            let text = event.text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + String(repeating: " ", count: 23))
            lines.append("  \(timestamp(event.at))  \(event.kind.rawValue)\(actor)\(text.isEmpty ? "" : ": \(text)")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A member's value as the operator reads it: up to two decimals, no trailing zeros.
    static func number(_ value: Double) -> String {
        var text = HumanReadable.fixed(value, decimals: abs(value) >= 100 ? 0 : 2)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Local time as `YYYY-MM-DD HH:MM:SS`; the corresponding C function is `localtime_r`.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

}

/// Where Vigil keeps its state, and who the operator is.
enum StatePaths {
    /// `--db`, the config's `db`, else `$XDG_STATE_HOME/vigil/vigil.db` (`~/.local/state/vigil/vigil.db`).
    static func database(settings: Settings, environment: [String: String]) -> String {
        if let explicit = settings.databasePath { return explicit }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/vigil/vigil.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        return home + "/.local/state/vigil/vigil.db"
    }

    /// The login name, or SUDO_USER when run through sudo, so an ack names the person.
    static func operatorName(_ environment: [String: String]) -> String {
        if let sudo = environment["SUDO_USER"], !sudo.isEmpty { return sudo }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
            return String(decoding: UnsafeRawBufferPointer(start: name, count: strlen(name)), as: UTF8.self)
        }
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }
}
