import Foundation
import Telemetry

// The C entry points the monitor finds with dlsym. The link lives in a library of its own,
// loaded only when `--alertmanager` is given, because URLSession brings Foundation,
// FoundationNetworking and libcurl with its TLS libraries: about 13 MB resident that a
// Vigil without Alertmanager should not pay. Only bytes cross the boundary (JSON of
// Telemetry's Codable types), never Swift objects, so the two images need not share types.

/// Makes a client for the Alertmanager at the NUL-terminated base URL; the caller owns the handle.
@_cdecl("vigil_alertmanager_open")
public func vigilAlertmanagerOpen(_ url: UnsafePointer<CChar>) -> UnsafeMutableRawPointer {
    let client = AlertmanagerClient(configuration: .init(baseURL: String(cString: url)))
    return Unmanaged.passRetained(client).toOpaque()
}

/// Hands over a tick's incidents: the JSON of an `AlertmanagerUpdate`. Returns at once.
@_cdecl("vigil_alertmanager_update")
public func vigilAlertmanagerUpdate(_ handle: UnsafeMutableRawPointer, _ bytes: UnsafePointer<UInt8>, _ count: Int) {
    let client = Unmanaged<AlertmanagerClient>.fromOpaque(handle).takeUnretainedValue()
    guard let update = try? JSONDecoder().decode(AlertmanagerUpdate.self, from: Data(bytes: bytes, count: count)) else { return }
    let board = IncidentBoard(incidents: update.incidents, details: update.details)
    client.update(board: board, host: update.host, leader: update.leader, at: update.time)
}

/// Writes the JSON of the link's `LinkStatus` into `buffer`; returns its length, or 0 when it does not fit.
@_cdecl("vigil_alertmanager_status")
public func vigilAlertmanagerStatus(_ handle: UnsafeMutableRawPointer, _ buffer: UnsafeMutablePointer<UInt8>, _ capacity: Int) -> Int {
    let client = Unmanaged<AlertmanagerClient>.fromOpaque(handle).takeUnretainedValue()
    guard let bytes = try? JSONEncoder().encode(client.status), bytes.count <= capacity else { return 0 }
    bytes.copyBytes(to: buffer, count: bytes.count)
    return bytes.count
}

/// Lets go of the client; a request still out finishes on its own queue.
@_cdecl("vigil_alertmanager_close")
public func vigilAlertmanagerClose(_ handle: UnsafeMutableRawPointer) {
    Unmanaged<AlertmanagerClient>.fromOpaque(handle).release()
}
