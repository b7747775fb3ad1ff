import Telemetry

/// How the engine treats a signal: whether it learns a baseline for it, which way
/// is bad, the smallest change that matters, and what to call it in a sentence.
///
/// Operators care about a CPU that gets busy, not one that gets idle, and about
/// memory available that drops; so each learnt signal flags in one direction only
/// unless both are news (network traffic that collapses is an outage).
public struct SignalPolicy: Sendable, Equatable {
    /// Which departures from the band are anomalies.
    public enum Polarity: Sendable, Equatable {
        case high
        case low
        case both
    }

    public var learnt: Bool
    public var polarity: Polarity
    /// Changes smaller than this (in the signal's unit) never flag, however steady the signal was.
    public var minimumSpread: Double

    /// Signals with a learnt baseline, as glob patterns over ids. The others (per-core
    /// splits, sizes and totals, slow pressure averages) are shown but not judged.
    static let learntPatterns: [(pattern: String, polarity: Polarity)] = [
        ("cpu.total.busy", .high), ("cpu.total.iowait", .high), ("cpu.total.steal", .high), ("cpu.total.system", .high),
        ("load.1", .high), ("procs.blocked", .high), ("procs.zombie", .high),
        ("mem.available", .low), ("swap.used", .high), ("swap.in", .high), ("swap.out", .high), ("vm.major_faults", .high),
        ("psi.*.some.avg10", .high), ("psi.*.full.avg10", .high),
        ("disk.*.util", .high), ("disk.*.await", .high), ("disk.*.read_bytes", .high), ("disk.*.write_bytes", .high), ("disk.*.iops", .high),
        ("fs.*.used_percent", .high), ("fs.*.inodes_used_percent", .high),
        ("net.*.rx_bytes", .both), ("net.*.tx_bytes", .both),
        ("net.*.rx_errors", .high), ("net.*.tx_errors", .high), ("net.*.rx_drops", .high), ("net.*.tx_drops", .high),
        ("tcp.retransmits", .high), ("tcp.listen_overflows", .high), ("tcp.resets", .high), ("tcp.established", .both),
        ("fd.used_percent", .high), ("kernel.context_switches", .high), ("kernel.forks", .high),
        ("log.*", .high),
    ]

    /// The policy for one reading.
    public static func of(_ reading: Reading) -> SignalPolicy {
        let id = reading.id.rawValue
        guard let match = learntPatterns.first(where: { Glob.matches($0.pattern, id) }) else {
            return SignalPolicy(learnt: false, polarity: .high, minimumSpread: 0)
        }
        return SignalPolicy(learnt: true, polarity: match.polarity, minimumSpread: minimumSpread(for: reading.unit, id: id))
    }

    /// The smallest change worth an operator's attention, by unit: 5 percentage points,
    /// 64 MiB, 1 MiB/s, 50 events/s, 2 of a count, 20 ms.
    static func minimumSpread(for unit: SignalUnit, id: String) -> Double {
        switch unit {
        case .percent: return 5
        case .bytes: return 64 * 1024 * 1024
        case .bytesPerSecond: return 1024 * 1024
        case .perSecond: return id.hasPrefix("log.") ? 1 : 50
        case .count: return id.hasPrefix("load.") ? 1 : 2
        case .seconds: return 1
        case .milliseconds: return 20
        }
    }

    /// A signal's name in a sentence: `cpu busy`, `io pressure`, `sda utilisation`.
    public static func label(_ id: SignalID) -> String {
        let parts = id.rawValue.split(separator: ".").map(String.init)
        guard let subsystem = parts.first else { return id.rawValue }
        switch subsystem {
        case "cpu" where parts.count == 3:
            return parts[1] == "total" ? "cpu \(parts[2])" : "cpu\(parts[1]) \(parts[2])"
        case "psi" where parts.count >= 3:
            return "\(parts[1]) pressure" + (parts[2] == "full" ? " (full)" : "")
        case "mem": return "memory " + parts.dropFirst().joined(separator: " ")
        case "load": return "load \(parts.dropFirst().joined(separator: " "))"
        case "disk" where parts.count == 3:
            return "\(parts[1]) " + (parts[2] == "util" ? "utilisation" : parts[2].replacingUnderscores)
        case "net" where parts.count == 3: return "\(parts[1]) \(parts[2].replacingUnderscores)"
        case "fs":
            let rest = id.rawValue.dropFirst(3)
            guard let dot = rest.lastIndex(of: ".") else { return String(rest) }
            return "\(rest[..<dot]) " + String(rest[rest.index(after: dot)...]).replacingUnderscores
        case "log":
            let rest = id.rawValue.dropFirst(4)
            guard let dot = rest.lastIndex(of: ".") else { return String(rest) }
            return "\(rest[..<dot]) " + String(rest[rest.index(after: dot)...]).replacingUnderscores
        default:
            return parts.map(\.replacingUnderscores).joined(separator: " ")
        }
    }

    /// A value in the signal's unit, short: `38%`, `1.2G`, `3.4M/s`, `120/s`, `12ms`.
    public static func format(_ value: Double, _ unit: SignalUnit) -> String {
        unit.format(value)
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// Shell-style patterns over signal ids: `*` matches any run, `?` one character.
public enum Glob {
    /// Whether `text` matches `pattern`; `a|b` matches either alternative.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        if pattern.contains("|") {
            return pattern.split(separator: "|").contains { matchesOne(String($0), text) }
        }
        return matchesOne(pattern, text)
    }

    static func matchesOne(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0, ti = 0
        var star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
