import Telemetry

/// The role a KPI's label takes from its anomaly state, so what broke stands out
/// in the panel it lives in, not only in the anomalies list.
enum SignalState {
    /// `.critical` or `.warning` when any signal whose id starts with one of
    /// `prefixes` is flagged, else `normal`.
    static func role(_ snapshot: Snapshot?, _ prefixes: String..., normal: Role = .label) -> Role {
        guard let flagged = snapshot?.flagged, !flagged.isEmpty else { return normal }
        var worst: Severity? = nil
        for (id, severity) in flagged where prefixes.contains(where: { id.rawValue.hasPrefix($0) }) {
            worst = max(worst ?? severity, severity)
        }
        switch worst {
        case .critical?: return .critical
        case .warning?: return .warning
        case nil: return normal
        }
    }
}
