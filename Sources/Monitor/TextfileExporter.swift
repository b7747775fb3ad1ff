import Telemetry

/// Writes `vigil.prom` for node_exporter's textfile collector after each tick.
///
/// The file is written whole to a temporary name and renamed, so node_exporter never
/// reads half of it. A folder that cannot be written is a note in the header (`prom:
/// cannot write`), tried again on the next tick; it never stops the monitor. Lives on the
/// monitor's queue: one small local write per tick.
final class TextfileExporter {
    let directory: String
    /// The file node_exporter reads.
    var path: String { directory + "/vigil.prom" }
    private(set) var link: LinkStatus
    /// Each signal's metric name and labels, kept from tick to tick.
    private var names: [SignalID: PrometheusExposition.SignalMetric?] = [:]

    init(directory: String) {
        var folder = directory
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        self.directory = folder
        link = LinkStatus(name: "prom", state: "waiting", healthy: true, detail: folder + "/vigil.prom")
    }

    /// Writes the snapshot's metrics; the outcome is in `link`.
    func export(_ snapshot: Snapshot, extraReadings: [Reading]) {
        // Interfaces and disks come and go; the names of vanished ones must not pile up.
        if names.count > 2 * (snapshot.readings.count + extraReadings.count) + 100 { names.removeAll(keepingCapacity: true) }
        let text = PrometheusExposition.render(snapshot, extraReadings: extraReadings, names: &names)
        if let failure = AtomicFile.write(text, to: path) {
            link = LinkStatus(name: "prom", state: "cannot write", healthy: false, detail: "\(path): \(failure)")
        } else {
            link = LinkStatus(name: "prom", state: "ok", healthy: true, detail: path)
        }
    }
}
