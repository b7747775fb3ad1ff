import Telemetry

/// The top processes of a snapshot as `vigil snapshot` prints them: JSON objects and table rows.
enum ProcessReport {
    /// `processes` in `vigil snapshot --json` (see README).
    struct Document: Encodable {
        var total: Int
        var running: Int
        var blocked: Int
        var zombie: Int
        var threads: Int
        var top_cpu: [Process]
        var top_memory: [Process]
        var top_io: [Process]
    }

    struct Process: Encodable {
        var pid: Int32
        var start_time_ticks: UInt64
        var name: String
        var command: String
        var user: String
        var state: String
        var threads: Int
        var cpu_percent: Double
        var rss_bytes: UInt64
        /// Null when /proc/PID/io is not readable.
        var read_bytes_per_second: Double?
        var write_bytes_per_second: Double?

        enum CodingKeys: String, CodingKey {
            case pid, start_time_ticks, name, command, user, state, threads, cpu_percent, rss_bytes
            case read_bytes_per_second, write_bytes_per_second
        }

        // Written by hand so that unknown I/O is an explicit null, not a missing key.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pid, forKey: .pid)
            try container.encode(start_time_ticks, forKey: .start_time_ticks)
            try container.encode(name, forKey: .name)
            try container.encode(command, forKey: .command)
            try container.encode(user, forKey: .user)
            try container.encode(state, forKey: .state)
            try container.encode(threads, forKey: .threads)
            try container.encode(cpu_percent, forKey: .cpu_percent)
            try container.encode(rss_bytes, forKey: .rss_bytes)
            try container.encode(read_bytes_per_second, forKey: .read_bytes_per_second)
            try container.encode(write_bytes_per_second, forKey: .write_bytes_per_second)
        }
    }

    static func document(_ summary: ProcessSummary) -> Document {
        Document(
            total: summary.total, running: summary.running, blocked: summary.blocked, zombie: summary.zombie,
            threads: summary.threads, top_cpu: summary.topByCPU.map(process), top_memory: summary.topByMemory.map(process),
            top_io: summary.topByIO.map(process)
        )
    }

    static func process(_ sample: ProcessSample) -> Process {
        Process(
            pid: sample.pid, start_time_ticks: sample.startTime, name: sample.name, command: sample.command,
            user: sample.user, state: sample.state, threads: sample.threads, cpu_percent: sample.cpuPercent,
            rss_bytes: sample.residentBytes, read_bytes_per_second: sample.readBytesPerSecond,
            write_bytes_per_second: sample.writeBytesPerSecond
        )
    }

    /// Three small tables (by CPU, memory, I/O) after the signals.
    static func table(_ summary: ProcessSummary) -> [String] {
        var lines = [""]
        for (title, list) in [("TOP CPU", summary.topByCPU), ("TOP MEMORY", summary.topByMemory), ("TOP IO", summary.topByIO)] {
            lines.append("\(title)\n" + SnapshotCommand.pad("PID", 8, right: true) + "  " + SnapshotCommand.pad("USER", 10) + "  S  " + SnapshotCommand.pad("CPU%", 6, right: true) + "  " + SnapshotCommand.pad("RSS", 6, right: true) + "  " + SnapshotCommand.pad("IO/s", 6, right: true) + "  COMMAND")
            for process in list {
                let io = process.ioBytesPerSecond.map { HumanReadable.bytes($0) } ?? "-"
                let command = String(TerminalSafe.text(process.command).prefix(80))
                lines.append(
                    SnapshotCommand.pad(String(process.pid), 8, right: true) + "  " + SnapshotCommand.pad(String(process.user.prefix(10)), 10) + "  "
                        + process.state + "  " + SnapshotCommand.pad(HumanReadable.fixed(process.cpuPercent, decimals: 1), 6, right: true) + "  "
                        + SnapshotCommand.pad(HumanReadable.bytes(process.residentBytes), 6, right: true) + "  " + SnapshotCommand.pad(io, 6, right: true) + "  " + command
                )
            }
            if list.isEmpty { lines.append("  (none)") }
            lines.append("")
        }
        return lines
    }
}

/// Text from the outside world (command lines) made safe for a terminal: control characters become `?`.
enum TerminalSafe {
    static func text(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) ? "?" : scalar
        }))
    }
}
