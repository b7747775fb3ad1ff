import Telemetry

/// The readings of one family (`disk.`, `net.`, `fs.`) regrouped by entity, for the panels
/// that show a row per device, interface or mount.
///
/// Ids are `family.ENTITY.measure`; an entity may itself hold dots (`eth0.100`, `/srv/a.b`),
/// so it runs from the first dot to the last.
struct SignalTable {
    /// Entities in id order, each with its measures.
    private(set) var entities: [(name: String, values: [String: Double])] = []

    init(_ readings: [Reading], family: String) {
        let prefix = family + "."
        var index: [String: Int] = [:]
        for reading in readings {
            let id = reading.id.rawValue
            guard id.hasPrefix(prefix), let lastDot = id.lastIndex(of: ".") else { continue }
            let entityStart = id.index(id.startIndex, offsetBy: prefix.count)
            guard entityStart < lastDot else { continue }
            let entity = String(id[entityStart..<lastDot])
            let measure = String(id[id.index(after: lastDot)...])
            if let position = index[entity] {
                entities[position].values[measure] = reading.value
            } else {
                index[entity] = entities.count
                entities.append((entity, [measure: reading.value]))
            }
        }
    }

    var isEmpty: Bool { entities.isEmpty }
}
