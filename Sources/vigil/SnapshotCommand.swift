import Detection
import FoundationEssentials
import Monitor
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `vigil snapshot`: two samples one interval apart, printed as a table or JSON.
///
/// Two samples are needed because CPU and every other rate come from counter
/// differences. No terminal is needed, so scripts and cron can use it.
enum SnapshotCommand {
    static func run(settings: Settings, json: Bool, environment: [String: String]) -> Int32 {
        var monitorSettings = Monitor.Settings(
            interval: settings.interval, procRoot: settings.procRoot, sysRoot: settings.sysRoot,
            detection: DetectionEngine.Configuration(limits: settings.limits, forecast: settings.forecast)
        )
        // Forecasts need minutes of evidence: they come from the history a running Vigil recorded.
        let database = StatePaths.database(settings: settings, environment: environment)
        if TextFile.exists(database) { monitorSettings.forecastHistory = database }
        let monitor = Monitor(settings: monitorSettings, publish: { _ in })
        _ = monitor.sampleNow()
        usleep(useconds_t(settings.interval * 1_000_000))
        let snapshot = monitor.sampleNow()
        if snapshot.readings.isEmpty {
            writeError("vigil: nothing could be read from \(settings.procRoot) (\(snapshot.health.unavailable.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; ")))")
            return 1
        }
        print(json ? jsonText(snapshot) : table(snapshot), terminator: "")
        return 0
    }

    /// The documented JSON schema of `vigil snapshot --json` (see README).
    struct Document: Encodable {
        struct Host: Encodable {
            var hostname: String
            var kernel: String
            var uptime_seconds: Double
            var cpu_count: Int
            var cpu_model: String
            var memory_bytes: UInt64
            var container: String?
            var virtual_machine: String?
        }

        struct Signal: Encodable {
            var id: String
            var value: Double
            var unit: String
        }

        var schema = 1
        var time: Double
        var interval_seconds: Double
        var host: Host
        var signals: [Signal]
        var unavailable: [String: String]
        var malformed_lines: Int
        var processes: ProcessReport.Document?
        var forecasts: [ForecastEntry]
    }

    /// One signal that can run out, and where its trend is heading.
    struct ForecastEntry: Encodable {
        var signal: String
        var status: String
        var level: Double
        var limit: Double
        var unit: String
        var rate_per_hour: Double?
        var seconds_to_limit: Double?
        var samples: Int
        var span_seconds: Double
        var explanation: String

        init(_ forecast: Forecast) {
            signal = forecast.signal.rawValue
            status = forecast.status.rawValue
            level = forecast.level
            limit = forecast.limit
            unit = forecast.unit.rawValue
            rate_per_hour = forecast.ratePerSecond.map { $0 * 3600 }
            seconds_to_limit = forecast.secondsToLimit
            samples = forecast.samples
            span_seconds = forecast.span
            explanation = Forecasting.explain(forecast)
        }

        enum CodingKeys: String, CodingKey {
            case signal, status, level, limit, unit, rate_per_hour, seconds_to_limit, samples, span_seconds, explanation
        }

        // Written by hand so that an unknown rate or time is an explicit null, not a missing key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(signal, forKey: .signal)
            try container.encode(status, forKey: .status)
            try container.encode(level, forKey: .level)
            try container.encode(limit, forKey: .limit)
            try container.encode(unit, forKey: .unit)
            try container.encode(rate_per_hour, forKey: .rate_per_hour)
            try container.encode(seconds_to_limit, forKey: .seconds_to_limit)
            try container.encode(samples, forKey: .samples)
            try container.encode(span_seconds, forKey: .span_seconds)
            try container.encode(explanation, forKey: .explanation)
        }
    }

    static func jsonText(_ snapshot: Snapshot) -> String {
        let document = Document(
            time: snapshot.time, interval_seconds: snapshot.interval,
            host: .init(hostname: snapshot.host.hostname, kernel: snapshot.host.kernel, uptime_seconds: snapshot.host.uptime, cpu_count: snapshot.host.cpuCount,
                         cpu_model: snapshot.host.cpuModel, memory_bytes: snapshot.host.memoryBytes,
                         container: snapshot.host.container, virtual_machine: snapshot.host.virtualMachine),
            signals: snapshot.readings.map { .init(id: $0.id.rawValue, value: $0.value, unit: $0.unit.rawValue) },
            unavailable: snapshot.health.unavailable, malformed_lines: snapshot.health.malformedLines,
            processes: snapshot.processes.map(ProcessReport.document),
            forecasts: snapshot.forecasts.map(ForecastEntry.init)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(document) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func table(_ snapshot: Snapshot) -> String {
        var lines = ["\(snapshot.host.hostname)  \(snapshot.host.kernel)  up \(HumanReadable.uptime(snapshot.host.uptime))  \(snapshot.host.cpuCount) cpus"]
        let idWidth = max(6, snapshot.readings.map { $0.id.rawValue.count }.max() ?? 0)
        lines.append(pad("SIGNAL", idWidth) + "  " + pad("VALUE", 12, right: true) + "  UNIT")
        for reading in snapshot.readings {
            lines.append(pad(reading.id.rawValue, idWidth) + "  " + pad(formatted(reading), 12, right: true) + "  " + reading.unit.rawValue)
        }
        if let processes = snapshot.processes { lines += ProcessReport.table(processes) }
        let trending = snapshot.forecasts.filter { $0.status != .learning && $0.status != .steady }
        if !trending.isEmpty {
            lines.append("")
            lines.append("FORECASTS")
            for forecast in trending { lines.append("\(forecast.status.rawValue.uppercased())  \(Forecasting.explain(forecast))") }
        }
        for (source, reason) in snapshot.health.unavailable.sorted(by: { $0.key < $1.key }) {
            lines.append("unavailable: \(source): \(reason)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func formatted(_ reading: Reading) -> String {
        switch reading.unit {
        case .bytes, .bytesPerSecond: return HumanReadable.bytes(reading.value)
        case .percent: return HumanReadable.fixed(reading.value, decimals: 1)
        default: return HumanReadable.fixed(reading.value, decimals: reading.value.rounded() == reading.value ? 0 : 2)
        }
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}

/// Writes one line to standard error.
func writeError(_ message: String) {
    let line = message + "\n"
    _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
}
