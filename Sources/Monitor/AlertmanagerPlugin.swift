import FoundationEssentials
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The monitor's side of the Alertmanager link: loads `libVigilAlertmanager.so` (the
/// `AlertmanagerLink` module, URLSession and all) only when `--alertmanager` is given, and
/// talks to it in JSON through four C functions.
///
/// The library is looked for beside the executable (the build folder) and in
/// `../lib/vigil` from it (`make install`). When it cannot be loaded the header says
/// `am: no library` and everything else runs on. The corresponding C functions are
/// `dlopen` and `dlsym`.
final class AlertmanagerPlugin {
    typealias Open = @convention(c) (UnsafePointer<CChar>) -> UnsafeMutableRawPointer?
    typealias Update = @convention(c) (UnsafeMutableRawPointer, UnsafePointer<UInt8>, Int) -> Void
    typealias Status = @convention(c) (UnsafeMutableRawPointer, UnsafeMutablePointer<UInt8>, Int) -> Int
    typealias Close = @convention(c) (UnsafeMutableRawPointer) -> Void

    static let libraryName = "libVigilAlertmanager.so"

    let url: String
    private var handle: UnsafeMutableRawPointer?
    private var update: Update?
    private var readStatus: Status?
    private var close: Close?
    private var loadFailure: String?
    private var buffer = [UInt8](repeating: 0, count: 4096)

    init(url: String, executable: String? = RunningBinary.path()) {
        self.url = url
        let folder = executable.map { String($0[..<($0.lastIndex(of: "/") ?? $0.startIndex)]) } ?? "."
        let candidates = [folder + "/" + Self.libraryName, folder + "/../lib/vigil/" + Self.libraryName]
        var errors: [String] = []
        for path in candidates {
            guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                errors.append(dlerror().map { String(cString: $0) } ?? path)
                continue
            }
            guard let open = dlsym(library, "vigil_alertmanager_open"), let update = dlsym(library, "vigil_alertmanager_update"),
                  let status = dlsym(library, "vigil_alertmanager_status"), let close = dlsym(library, "vigil_alertmanager_close")
            else {
                errors.append("\(path): not Vigil's Alertmanager library")
                continue
            }
            self.update = unsafeBitCast(update, to: Update.self)
            readStatus = unsafeBitCast(status, to: Status.self)
            self.close = unsafeBitCast(close, to: Close.self)
            handle = url.withCString { unsafeBitCast(open, to: Open.self)($0) }
            return
        }
        loadFailure = "cannot load \(Self.libraryName): " + errors.joined(separator: "; ")
    }

    deinit {
        if let handle, let close { close(handle) }
    }

    /// Hands over the incidents of this tick; the library's own queue does the network work.
    func update(board: IncidentBoard, host: String, leader: Bool, at time: Double) {
        guard let handle, let update else { return }
        let live = Set(board.incidents.filter { $0.state != .resolved }.map(\.id))
        let message = AlertmanagerUpdate(
            incidents: board.incidents, details: board.details.filter { live.contains($0.key) }, host: host, leader: leader, time: time
        )
        guard let bytes = try? JSONEncoder().encode(message) else { return }
        bytes.withUnsafeBytes { raw in
            update(handle, raw.bindMemory(to: UInt8.self).baseAddress!, raw.count)
        }
    }

    /// How the link fares, for the header.
    var status: LinkStatus {
        guard let handle, let readStatus else {
            return LinkStatus(name: "am", state: "no library", healthy: false, detail: loadFailure)
        }
        let count = buffer.withUnsafeMutableBufferPointer { readStatus(handle, $0.baseAddress!, $0.count) }
        guard count > 0, let status = try? JSONDecoder().decode(LinkStatus.self, from: Data(buffer[0..<count])) else {
            return LinkStatus(name: "am", state: "unknown", healthy: false, detail: url)
        }
        return status
    }
}
