import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Alertmanager (Debian's prometheus-alertmanager) on a loopback port, with a
/// temporary configuration and storage, stopped when the test lets go of it.
final class AlertmanagerServer {
    static var binary: String? {
        ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let port: Int
    let scratch: ScratchDirectory
    private var process: Subprocess.Background?

    var url: String { "http://127.0.0.1:\(port)" }

    /// - Parameter port: a port to listen on; by default a free one.
    init(port: Int? = nil) throws {
        self.port = try port ?? Self.freePort()
        scratch = try ScratchDirectory()
    }

    deinit {
        stop()
    }

    /// Starts it and waits until `/-/ready` answers.
    func start() throws {
        let binary = try Self.require(Self.binary, "prometheus-alertmanager is needed (Debian's prometheus-alertmanager)")
        // One receiver that sends nowhere, and short waits so an alert is visible at once.
        let config = try scratch.write("alertmanager.yml", """
            route:
              receiver: nowhere
              group_wait: 1s
              group_interval: 1s
            receivers:
              - name: nowhere
            """)
        process = try Subprocess.Background(binary, [
            "--config.file=\(config)", "--storage.path=\(scratch.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ])
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? get("/-/ready")) != nil { return }
            usleep(100_000)
        }
        throw Failure("alertmanager did not become ready on \(url): \(process?.errorOutput ?? "")")
    }

    func stop() {
        process?.stop(SIGTERM)
        process = nil
    }

    /// The alerts Alertmanager holds that have not ended (`GET /api/v2/alerts`).
    func alerts() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: get("/api/v2/alerts")) as? [[String: Any]] ?? []
    }

    /// Every silence, expired ones included (`GET /api/v2/silences`).
    func silences() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: get("/api/v2/silences")) as? [[String: Any]] ?? []
    }

    /// Polls until `condition` holds; returns the last value seen and whether it held.
    func waitFor<T>(_ timeout: Double, _ read: () throws -> T, until condition: (T) -> Bool) rethrows -> (T, Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try read()
        while !condition(last) {
            guard Date() < deadline else { return (last, false) }
            usleep(200_000)
            last = try read()
        }
        return (last, true)
    }

    /// A GET on the loopback port; throws unless the answer is 2xx.
    func get(_ path: String) throws -> Data {
        let box = Answer()
        let done = DispatchSemaphore(value: 0)
        var request = URLRequest(url: URL(string: url + path)!)
        request.timeoutInterval = 5
        URLSession.shared.dataTask(with: request) { data, response, _ in
            box.set(data: data, code: (response as? HTTPURLResponse)?.statusCode ?? 0)
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        let (data, code) = box.get()
        guard (200..<300).contains(code), let data else { throw Failure("GET \(path): HTTP \(code)") }
        return data
    }

    /// A port nothing listens on now: bound to 0, read back, released.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failure("cannot find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func require<T>(_ value: T?, _ message: String) throws -> T {
        guard let value else { throw Failure(message) }
        return value
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// One answer handed from URLSession's queue to the waiting test.
    final class Answer: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var code = 0

        func set(data: Data?, code: Int) {
            lock.lock()
            self.data = data
            self.code = code
            lock.unlock()
        }

        func get() -> (Data?, Int) {
            lock.lock()
            defer { lock.unlock() }
            return (data, code)
        }
    }
}

extension [String: Any] {
    /// The labels of an alert or the name=value pairs of a silence's matchers.
    var labels: [String: String] {
        if let labels = self["labels"] as? [String: String] { return labels }
        var pairs: [String: String] = [:]
        for matcher in self["matchers"] as? [[String: Any]] ?? [] {
            if let name = matcher["name"] as? String, let value = matcher["value"] as? String { pairs[name] = value }
        }
        return pairs
    }

    /// `status.state`: `active`, `suppressed`, `expired` ...
    var state: String? {
        (self["status"] as? [String: Any])?["state"] as? String
    }
}
