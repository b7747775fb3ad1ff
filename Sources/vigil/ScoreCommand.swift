import Detection
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `vigil score FILE.csv`: runs the live engine's metric detector, with the same
/// defaults, over a recorded series and writes `timestamp,value,anomaly_score`.
///
/// The score is at least 0.5 exactly on the rows where the live engine's detector would
/// flag the series. An unlabelled series has no unit nor direction, so no per-unit floor
/// (the 5-point floor of a CPU percentage, say) applies, and a drop counts like a rise;
/// `--signal ID` judges it as the live engine judges that signal instead: its direction
/// (a CPU going idle is no news), its floor, the fixed limits and their hysteresis.
/// Time is the parsed timestamp (`YYYY-MM-DD HH:MM:SS`, ISO 8601 or epoch seconds),
/// else the row number; the detector counts in samples, time only places the
/// daily profile. A row whose value is not a number is reported on stderr with its
/// line number and written with score 0, so the output stays aligned with the input.
enum ScoreCommand {
    static func run(_ invocation: Invocation) -> Int32 {
        let path = invocation.operands.first ?? "-"
        let text: String
        if path == "-" {
            text = readStandardInput()
        } else {
            switch TextFile.read(path) {
            case .success(let contents): text = contents
            case .failure(let error):
                writeError("vigil: \(error)")
                return 1
            }
        }
        var judge = invocation.scoreSignal.map { Judge(signal: SignalID($0), unit: invocation.scoreUnit ?? Judge.unit(of: $0)) }
        var detector = MetricDetector()
        var output = "timestamp,value,anomaly_score\n"
        output.reserveCapacity(text.utf8.count * 2)
        var row = 0
        var skipped = 0
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            guard let comma = line.firstIndex(of: ",") else {
                writeError("vigil: \(path):\(index + 1): expected 'timestamp,value', skipped")
                skipped += 1
                continue
            }
            let stamp = line[..<comma]
            let valueText = line[line.index(after: comma)...].split(separator: ",", maxSplits: 1).first.map { $0.trimmed } ?? ""
            if index == 0 && Double(valueText) == nil { continue } // the header
            defer { row += 1 }
            guard let value = Double(valueText), value.isFinite else {
                writeError("vigil: \(path):\(index + 1): '\(valueText)' is not a number; scored 0")
                output += "\(stamp),\(valueText),0\n"
                skipped += 1
                continue
            }
            let time = Timestamp.seconds(stamp) ?? Double(row)
            let score = judge?.score(value, at: time) ?? detector.observe(value, at: time).score
            output += "\(stamp),\(valueText),\(HumanReadable.fixed(score, decimals: 6))\n"
        }
        if let out = invocation.outputPath {
            guard TextFile.write(output, to: out) else {
                writeError("vigil: cannot write \(out): \(String(cString: strerror(errno)))")
                return 1
            }
        } else {
            print(output, terminator: "")
        }
        return 0
    }

    /// A series judged as the live engine judges one signal: the engine decides whether it
    /// is flagged (direction, per-unit floor, fixed limits, hysteresis), and a detector with
    /// the same configuration grades it. The score is at least 0.5 exactly where the engine
    /// flags, and below 0.5 everywhere else.
    struct Judge {
        let signal: SignalID
        let unit: SignalUnit
        var engine = DetectionEngine()
        var grader: MetricDetector

        init(signal: SignalID, unit: SignalUnit) {
            self.signal = signal
            self.unit = unit
            var configuration = MetricDetector.Configuration.standard
            configuration.minimumSpread = SignalPolicy.of(Reading(signal, 0, unit)).minimumSpread
            grader = MetricDetector(configuration: configuration)
        }

        mutating func score(_ value: Double, at time: Double) -> Double {
            let graded = grader.observe(value, at: time).score
            let flagged = (engine.step([Reading(signal, value, unit)], at: time).states[signal] ?? .normal) != .normal
            return flagged ? max(0.5, graded) : min(0.499999, graded)
        }

        /// The unit the collector gives a signal, from its id: `cpu.*` and `*_percent` are
        /// percentages, disk and network `*_bytes` are bytes per second, and so on.
        static func unit(of id: String) -> SignalUnit {
            let measure = id.split(separator: ".").last.map(String.init) ?? id
            if id.hasPrefix("cpu.") || id.hasPrefix("psi.") || measure.hasSuffix("percent") || measure == "util" { return .percent }
            if measure == "await" { return .milliseconds }
            if id.hasPrefix("load.") || id.hasPrefix("procs.") || measure == "queue" || measure == "established"
                || id == "fd.open" || id == "fd.max" || id == "vm.oom_kills" { return .count }
            if (id.hasPrefix("disk.") || id.hasPrefix("net.")) && measure.hasSuffix("_bytes") { return .bytesPerSecond }
            if id.hasPrefix("mem.") || id.hasPrefix("fs.") || id == "swap.total" || id == "swap.used" { return .bytes }
            return .perSecond
        }
    }

    static func readStandardInput() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(STDIN_FILENO, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Timestamps as recorded series write them, to seconds since 1970 (UTC).
enum Timestamp {
    /// `YYYY-MM-DD HH:MM:SS[.frac]`, with a space or `T`, or plain epoch seconds.
    static func seconds(_ text: Substring) -> Double? {
        let bytes = Array(text.utf8)
        if let epoch = Double(String(text)), !text.contains("-") { return epoch }
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), (1...12).contains(month) else { return nil }
        let hour = number(11, 2) ?? 0, minute = number(14, 2) ?? 0, second = number(17, 2) ?? 0
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second)
    }
}
