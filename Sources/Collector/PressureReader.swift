import Telemetry

/// Reads /proc/pressure/{cpu,memory,io} into `psi.RESOURCE.{some,full}.{avg10,avg60,avg300,stall}`.
///
/// `stall` is the share of the last interval spent stalled, from the `total` microsecond
/// counter: it reacts within one tick, where avg10 lags by seconds.
final class PressureReader {
    private static let resources = ["cpu", "memory", "io"]
    private let files: [ProcFile]
    private var previous: [[UInt64?]] = Array(repeating: [nil, nil], count: 3)
    private let ids: [[[SignalID]]]

    init(procRoot: String) {
        files = Self.resources.map { ProcFile(path: "\(procRoot)/pressure/\($0)", initialCapacity: 256) }
        ids = Self.resources.map { resource in
            ["some", "full"].map { kind in
                ["avg10", "avg60", "avg300", "stall"].map { SignalID("psi.\(resource).\(kind).\($0)") }
            }
        }
    }

    func read(elapsed: Double?, into report: inout TickReport) {
        var failed: String?
        for index in files.indices {
            guard let pressure = files[index].withContents({ Pressure.parse($0) }) else {
                failed = failed ?? files[index].lastError
                previous[index] = [nil, nil]
                continue
            }
            report.malformed += pressure.malformed
            for (kind, line) in [pressure.some, pressure.full].enumerated() {
                guard let line else { continue }
                let names = ids[index][kind]
                report.add(names[0], line.avg10, .percent)
                report.add(names[1], line.avg60, .percent)
                report.add(names[2], line.avg300, .percent)
                if let elapsed, let before = previous[index][kind] {
                    let stalled = Double(counterDelta(from: before, to: line.total)) / (elapsed * 1e6) * 100
                    report.add(names[3], min(100, stalled), .percent)
                }
                previous[index][kind] = line.total
            }
        }
        if let failed {
            // Kernels before 4.20, or booted with psi=0, have no (readable) pressure files.
            report.unavailable["pressure"] = failed
        }
    }
}
