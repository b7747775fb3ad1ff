import Telemetry

/// What part of the host a signal is about, for grouping and for cause ranking.
///
/// Signal ids are dotted paths (`disk.sda.util`, `fs./var.used_percent`,
/// `log./var/log/app.log.errors`), so the subsystem and entity come from the id.
public struct SignalEntity: Hashable, Sendable {
    /// The resource a signal measures, in the order trouble usually flows.
    public enum Resource: String, Hashable, Sendable, CaseIterable {
        case storage
        case memory
        case handles
        case swap
        case io
        case network
        case cpu
        case load
        case logs
        case other

        /// Position in the known causal chain (memory pressure → swap → io wait → load;
        /// disk full → write errors in logs): lower comes first.
        public var causalLevel: Int {
            switch self {
            case .storage, .memory, .handles: 0
            case .swap: 1
            case .io, .network: 2
            case .cpu: 3
            case .load: 4
            case .logs: 5
            // Context switches, forks, interrupts: activity that follows whatever broke, never
            // the resource that broke, so any resource member outranks them.
            case .other: 6
            }
        }

        /// The headline of an incident this resource causes.
        public var headline: String {
            switch self {
            case .storage: "Filesystem filling"
            case .memory: "Memory pressure"
            case .handles: "File handles running out"
            case .swap: "Swapping"
            case .io: "I/O pressure"
            case .network: "Network trouble"
            case .cpu: "CPU saturation"
            case .load: "Load rising"
            case .logs: "Log errors"
            case .other: "Anomaly"
            }
        }
    }

    public var resource: Resource
    /// Tags two signals must share to be grouped: "host", "disk:sda", "fs:/var", "net:eth0", "log:/var/log/app.log".
    public var tags: Set<String>
    /// The device, mount, interface or log source named in the id, if any.
    public var name: String?

    /// The entity of a signal, from its id (and for log signals, the message kind).
    public init(_ signal: SignalID) {
        let id = signal.rawValue
        let parts = id.split(separator: ".", maxSplits: 1).map(String.init)
        let subsystem = parts.first ?? ""
        let rest = parts.count > 1 ? parts[1] : ""
        let lastDot = rest.lastIndex(of: ".")
        let entity = lastDot.map { String(rest[..<$0]) } ?? rest
        let measure = lastDot.map { String(rest[rest.index(after: $0)...]) } ?? rest
        switch subsystem {
        case "cpu":
            resource = measure == "iowait" ? .io : .cpu
            tags = ["host", resource == .io ? "io" : "cpu"]
        case "load", "procs":
            resource = .load
            tags = ["host", "cpu"]
        case "mem", "vm":
            resource = .memory
            tags = ["host", "memory"]
        case "swap":
            resource = .swap
            tags = ["host", "memory", "io"]
        case "psi":
            let kind = rest.split(separator: ".").first.map(String.init) ?? ""
            resource = kind == "memory" ? .memory : kind == "io" ? .io : .cpu
            tags = ["host", kind == "memory" ? "memory" : kind == "io" ? "io" : "cpu"]
        case "disk":
            resource = .io
            tags = ["disk:\(entity)", "io"]
            name = entity
            return
        case "fs":
            resource = .storage
            tags = ["fs:\(entity)", "storage"]
            name = entity
            return
        case "net":
            resource = .network
            tags = ["net:\(entity)", "network"]
            name = entity
            return
        case "tcp":
            resource = .network
            tags = ["network"]
        case "fd":
            resource = .handles
            tags = ["host"]
        case "log":
            resource = .logs
            tags = ["log:\(entity)"]
            name = entity
            // What a log signal says ties it to the resource it complains about.
            switch measure {
            case "disk_full": tags.insert("storage")
            case "oom": tags.formUnion(["memory", "host"])
            case "io_error": tags.insert("io")
            default: break
            }
            return
        default:
            resource = .other
            tags = ["host"]
        }
        name = nil
    }
}
