import Telemetry

/// Orders an incident's members by how likely each is the cause, and words the title.
///
/// The score is the member's onset relative to the first, in windows, plus a quarter
/// window per step along the known causal chain (memory pressure → swap → io wait →
/// load; disk full → log write errors). So an upstream signal wins unless it began
/// clearly later, and among peers the earliest wins.
public enum RootCauseRanking {
    public static func rank(_ members: [Anomaly], processes: [ProcessSample], window: Double) -> [RootCauseCandidate] {
        guard let first = members.map(\.onset).min() else { return [] }
        var candidates: [RootCauseCandidate] = []
        var seen = Set<SignalID>()
        for member in members where !seen.contains(member.signal) {
            seen.insert(member.signal)
            let entity = SignalEntity(member.signal)
            let lateness = (member.onset - first) / max(window, 1)
            let score = lateness + 0.25 * Double(entity.resource.causalLevel)
            var reasons: [String] = []
            if member.onset == first { reasons.append("earliest onset") }
            if entity.resource.causalLevel == 0 { reasons.append("\(entity.resource.headline.lowercased()) comes first in the causal chain") }
            reasons.append(member.explanation)
            candidates.append(RootCauseCandidate(
                signal: member.signal,
                headline: headline(for: member, entity: entity),
                score: score,
                reason: reasons.joined(separator: "; "),
                process: processes.first.flatMap { explains($0, entity.resource) ? $0 : nil }
            ))
        }
        return candidates.sorted { ($0.score, $0.signal) < ($1.score, $1.signal) }
    }

    /// Whether a process is busy enough with a resource to be named as behind its trouble:
    /// a tenth of a core for CPU and load, 256 KiB/s of I/O for disks; for memory the list is already
    /// ordered by growth, so its head is the best lead there is.
    public static func explains(_ process: ProcessSample, _ resource: SignalEntity.Resource) -> Bool {
        switch resource {
        case .cpu, .load, .other: process.cpuPercent >= 10
        // A trickle of writes (Vigil's own database, a logger) is not what fills or saturates a disk.
        case .io, .storage: (process.ioBytesPerSecond ?? 0) >= 256 * 1024
        case .memory, .swap: true
        default: false
        }
    }

    /// How much of a resource a process uses, to compare two leads for the same trouble.
    public static func weight(of process: ProcessSample, _ resource: SignalEntity.Resource) -> Double {
        switch resource {
        case .io, .storage: process.ioBytesPerSecond ?? 0
        case .memory, .swap: Double(process.residentBytes)
        default: process.cpuPercent
        }
    }

    /// "CPU saturation: stress-ng (pid 4242) at 198%", "Filesystem /var filling", ...
    public static func title(for candidate: RootCauseCandidate) -> String {
        guard let process = candidate.process else { return candidate.headline }
        let entity = SignalEntity(candidate.signal)
        let amount: String
        switch entity.resource {
        case .memory, .swap: amount = " holding \(HumanReadable.bytes(process.residentBytes))"
        case .io, .storage: amount = process.ioBytesPerSecond.map { " at \(HumanReadable.bytes($0))/s" } ?? ""
        case .cpu, .load, .other: amount = " at \(Int(process.cpuPercent.rounded()))%"
        default: amount = ""
        }
        return "\(candidate.headline): \(process.name) (pid \(process.pid))\(amount)"
    }

    static func headline(for member: Anomaly, entity: SignalEntity) -> String {
        switch entity.resource {
        case .storage: return "Filesystem \(entity.name ?? "") filling"
        case .io where entity.name != nil: return "Disk \(entity.name!) busy"
        case .network where entity.name != nil: return "Network trouble on \(entity.name!)"
        case .logs:
            let measure = member.signal.rawValue.split(separator: ".").last.map(String.init) ?? ""
            let what = [
                "segfault": "Crash", "oom": "Out of memory", "io_error": "I/O errors", "disk_full": "Disk full",
                "hung_task": "Hung task", "auth_failures": "Failed logins", "new_template": "New kind of message",
                "burst": "Burst of one message",
            ][measure] ?? "Errors"
            return "\(what) in \(entity.name ?? "logs")"
        case .memory where member.signal.rawValue.contains("oom"): return "Out of memory"
        case .other where member.signal.rawValue.hasPrefix("kernel."): return "Kernel activity"
        default: return entity.resource.headline
        }
    }
}
