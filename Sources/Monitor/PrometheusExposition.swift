import Telemetry

/// A snapshot in the Prometheus text exposition format (version 0.0.4), for node_exporter's
/// textfile collector.
///
/// Every signal becomes a gauge named after its family and measure, its entity a label, in
/// base units as Prometheus names them: percentages become `_ratio` (0-1), milliseconds
/// `_seconds`, rates `_per_second` (`cpu.total.busy` → `vigil_cpu_busy_ratio{cpu="total"}`,
/// `disk.sda.await` → `vigil_disk_await_seconds{device="sda"}`, `net.eth0.rx_bytes` →
/// `vigil_net_rx_bytes_per_second{interface="eth0"}`). Next to them: each signal's anomaly
/// level, incident counts by state and severity, and the health of the collector, the store,
/// the log sources and the links. Pure: the snapshot in, the text out.
public enum PrometheusExposition {
    /// One sample line of a family.
    struct Sample {
        /// `{name="value",...}`, escaped, or empty.
        var labels: String
        var value: Double
    }

    /// The samples of one metric name, with its help and type.
    struct Family {
        var help: String
        var type: String
        var samples: [Sample] = []
    }

    /// What a signal becomes, worked out once per signal and kept by the exporter: names
    /// and escaping cost more than the rest of the file together.
    public struct SignalMetric: Sendable {
        var name: String
        /// The entity's labels, as they follow the name.
        var labels: String
        var divisor: Double
        var help: String
        /// `{signal="ID"}`, for its anomaly level.
        var signalLabel: String
        /// `counter` for a count since boot, else `gauge`.
        var type = "gauge"
    }

    /// Signals that count since boot: exported as counters, their names ending in `_total`.
    static let counters: Set<SignalID> = ["vm.oom_kills"]

    /// The whole file.
    /// - Parameters:
    ///   - snapshot: the tick to export.
    ///   - extraReadings: signals judged this tick that the snapshot does not carry (the log rates).
    public static func render(_ snapshot: Snapshot, extraReadings: [Reading] = []) -> String {
        var names: [SignalID: SignalMetric?] = [:]
        return render(snapshot, extraReadings: extraReadings, names: &names)
    }

    /// The whole file, with the names of signals seen before taken from `names`.
    public static func render(_ snapshot: Snapshot, extraReadings: [Reading] = [], names: inout [SignalID: SignalMetric?]) -> String {
        var families: [String: Family] = [:]
        func add(_ name: String, _ help: @autoclosure () -> String, type: String = "gauge", labels: [(String, String)] = [], _ value: Double) {
            add(name, help(), type: type, labelText: labelText(labels), value)
        }
        func add(_ name: String, _ help: @autoclosure () -> String, type: String = "gauge", labelText: String, _ value: Double) {
            let sample = Sample(labels: labelText, value: value)
            if families[name] == nil { families[name] = Family(help: help(), type: type) }
            families[name]!.samples.append(sample)
        }
        let readings = snapshot.readings + extraReadings
        // Out of band or past a limit (the engine's states), or an event such as a crash in a log.
        var levels: [SignalID: Double] = [:]
        let raised = snapshot.flagged.map { ($0.key, $0.value) } + snapshot.anomalies.filter(\.isActive).map { ($0.signal, $0.severity) }
        for (id, severity) in raised { levels[id] = max(levels[id] ?? 0, severity == .critical ? 2 : 1) }
        let levelHelp = "Anomaly state of each signal: 0 normal, 1 warning, 2 critical."
        for reading in readings {
            if names[reading.id] == nil { names[reading.id] = signalMetric(for: reading) }
            guard let known = names[reading.id], let metric = known, reading.value.isFinite else { continue }
            add(metric.name, metric.help, type: metric.type, labelText: metric.labels, reading.value / metric.divisor)
            add("vigil_signal_anomaly_level", levelHelp, labelText: metric.signalLabel, levels.removeValue(forKey: reading.id) ?? 0)
        }
        for (id, level) in levels {
            add("vigil_signal_anomaly_level", levelHelp, labels: [("signal", id.rawValue)], level)
        }
        for severity in Severity.allCases {
            let active = snapshot.anomalies.filter { $0.isActive && !$0.silenced && $0.severity == severity }.count
            add("vigil_anomalies", "Active anomalies that are not silenced, by severity.", labels: [("severity", severity.rawValue)], Double(active))
            for state in [Incident.State.open, .acknowledged] {
                let count = snapshot.incidents.incidents.filter { $0.state == state && $0.severity == severity }.count
                add("vigil_incidents", "Incidents open or acknowledged (not resolved), by state and severity.",
                    labels: [("state", state.rawValue), ("severity", severity.rawValue)], Double(count))
            }
        }
        // Time left only while the trend heads for the limit, so `< 3600` alerts on what is near.
        for forecast in snapshot.forecasts {
            guard let seconds = forecast.secondsToLimit, seconds.isFinite else { continue }
            add("vigil_forecast_seconds_to_limit", "Seconds until the signal reaches its limit at its current trend (disk full, memory exhausted); absent while it is not heading there.",
                labels: [("signal", forecast.signal.rawValue), ("subject", forecast.subject)], max(0, seconds))
        }
        if let detector = snapshot.detector {
            let help = "Signals with a learnt baseline: warming_up ones are judged against the fixed limits only."
            add("vigil_detector_signals", help, labels: [("state", "ready")], Double(detector.signalsReady))
            add("vigil_detector_signals", help, labels: [("state", "warming_up")], Double(detector.signalsWarmingUp))
            add("vigil_log_templates", "Log templates the miner keeps (at most 5000).", Double(detector.logTemplates))
            for status in Forecast.Status.allCases {
                add("vigil_forecasts", "Forecast signals by status: learning, steady, growing, warning (limit within the warning horizon), critical.",
                    labels: [("status", status.rawValue)], Double(snapshot.forecasts.filter { $0.status == status }.count))
            }
        }
        add("vigil_engine_leader", "1 when this process runs the detection engine, 0 when it follows another Vigil's store.",
            snapshot.incidents.role == .leader ? 1 : 0)
        add("vigil_store_healthy", "1 when the state database is in use, 0 when incidents are kept in memory only.",
            snapshot.incidents.storeWarning == nil ? 1 : 0)
        add("vigil_collector_sources_unavailable", "Host sources (such as /proc/pressure) that could not be read in the last tick.",
            Double(snapshot.health.unavailable.count))
        add("vigil_collector_malformed_lines_total", "Lines of /proc files that did not parse, since the start.", type: "counter",
            Double(snapshot.health.malformedLines))
        add("vigil_tick_cpu_seconds", "CPU time the last collection and detection tick took.", snapshot.health.lastTickCost)
        add("vigil_last_tick_timestamp_seconds", "When the last tick sampled the host, in seconds since 1970.", snapshot.time)
        add("vigil_signals", "Signals sampled in the last tick.", Double(readings.count))
        for source in snapshot.logSources {
            add("vigil_log_source_up", "1 while a log file or the journal is followed, 0 while it is missing or unreadable.",
                labels: [("source", source.path)], source.state == .following ? 1 : 0)
        }
        for link in snapshot.links {
            add("vigil_link_up", "1 while a link (journal, Alertmanager) works, 0 while it is down or retrying.",
                labels: [("link", link.name)], link.healthy ? 1 : 0)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 << 10)
        func precedes(_ left: String, _ right: String) -> Bool { left.utf8.lexicographicallyPrecedes(right.utf8) }
        for name in families.keys.sorted(by: precedes) {
            let family = families[name]!
            bytes += "# HELP \(name) \(escapeHelp(family.help))\n# TYPE \(name) \(family.type)\n".utf8
            for sample in family.samples.sorted(by: { precedes($0.labels, $1.labels) }) {
                bytes += name.utf8
                bytes += sample.labels.utf8
                bytes.append(0x20)
                bytes += number(sample.value).utf8
                bytes.append(0x0A)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A signal's metric, or nil when its id has no family and measure.
    static func signalMetric(for reading: Reading) -> SignalMetric? {
        guard let (name, labels, _) = metric(for: Reading(reading.id, 0, reading.unit)) else { return nil }
        let counter = counters.contains(reading.id)
        return SignalMetric(
            name: counter ? name + "_total" : name, labels: labelText(labels), divisor: baseUnits[reading.unit]?.divisor ?? 1,
            help: "Vigil signal \(pattern(of: reading.id)) (\(counter ? "a count since boot" : reading.unit.rawValue + " in the signal, base units here")).",
            signalLabel: labelText([("signal", reading.id.rawValue)]), type: counter ? "counter" : "gauge"
        )
    }

    /// How each unit is named in base units: the suffix a measure may carry already, what
    /// to divide by, and the suffix of the metric's name.
    static let baseUnits: [SignalUnit: (strip: String, divisor: Double, suffix: String)] = [
        .percent: ("_percent", 100, "_ratio"),
        .bytes: ("_bytes", 1, "_bytes"),
        .bytesPerSecond: ("_bytes", 1, "_bytes_per_second"),
        .perSecond: ("", 1, "_per_second"),
        .seconds: ("_seconds", 1, "_seconds"),
        .milliseconds: ("_ms", 1000, "_seconds"),
        .count: ("", 1, ""),
    ]

    /// The labels of each family of signals' entity.
    static let entityLabel = ["cpu": "cpu", "disk": "device", "net": "interface", "fs": "mountpoint", "log": "source"]

    /// The metric name, labels and value (in base units) of a signal; nil for a value that is not a number.
    static func metric(for reading: Reading) -> (String, [(String, String)], Double)? {
        guard reading.value.isFinite else { return nil }
        let id = reading.id.rawValue
        guard let firstDot = id.firstIndex(of: "."), let lastDot = id.lastIndex(of: ".") else { return nil }
        let family = String(id[..<firstDot])
        var measure = String(id[id.index(after: lastDot)...])
        let entity = firstDot < lastDot ? String(id[id.index(after: firstDot)..<lastDot]) : nil
        var labels: [(String, String)] = []
        if let entity {
            if family == "psi", let dot = entity.firstIndex(of: ".") {
                labels = [("resource", String(entity[..<dot])), ("kind", String(entity[entity.index(after: dot)...]))]
            } else {
                labels = [(entityLabel[family] ?? "entity", entity)]
            }
        }
        let base = baseUnits[reading.unit] ?? (strip: "", divisor: 1, suffix: "")
        if !base.strip.isEmpty { measure = measure.strippingSuffix(base.strip) }
        // A gauge must not end in _total (that is a counter's suffix): procs.total is vigil_procs.
        if reading.unit == .count, measure == "total" { measure = "" }
        let value = reading.value / base.divisor
        let suffix = base.suffix
        // load.1 is vigil_load1, as node_exporter names it.
        let joiner = measure.first?.isNumber == true || measure.isEmpty ? "" : "_"
        let name = sanitised("vigil_" + family + joiner + measure + suffix)
        return (name, labels, value)
    }

    /// The signal's id with its entity replaced by the label's name: `disk.DEVICE.util`.
    static func pattern(of id: SignalID) -> String {
        let text = id.rawValue
        guard let firstDot = text.firstIndex(of: "."), let lastDot = text.lastIndex(of: "."), firstDot < lastDot else { return text }
        let family = String(text[..<firstDot])
        let placeholder = family == "psi" ? "RESOURCE.KIND" : (entityLabel[family] ?? "entity").uppercased()
        return family + "." + placeholder + String(text[lastDot...])
    }

    /// Only `[a-zA-Z0-9_]` in a metric name; anything else becomes `_`.
    static func sanitised(_ name: String) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F
        }
        if name.utf8.allSatisfy(allowed) { return name }
        return String(decoding: name.utf8.map { allowed($0) ? $0 : 0x5F }, as: UTF8.self)
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value with backslash, double quote and newline escaped, as the format asks.
    static func escapeLabel(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var text = ""
        for character in value {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "\n": text += "\\n"
            default: text.append(character)
            }
        }
        return text
    }

    static func escapeHelp(_ help: String) -> String {
        guard help.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A }) else { return help }
        return help.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// A value as Go's parser reads it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension String {
    fileprivate func strippingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
