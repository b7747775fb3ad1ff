/// The cumulative counters of one interface in /proc/net/dev.
public struct InterfaceCounters: Hashable, Sendable {
    public var rxBytes: UInt64 = 0
    public var rxPackets: UInt64 = 0
    public var rxErrors: UInt64 = 0
    public var rxDrops: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var txErrors: UInt64 = 0
    public var txDrops: UInt64 = 0

    public init() {}
}

/// The parsed content of /proc/net/dev, interfaces in the kernel's order.
public struct NetDev: Hashable, Sendable {
    public var interfaces: [(name: String, counters: InterfaceCounters)] = []
    public var malformed = 0

    public init() {}

    public static func == (lhs: NetDev, rhs: NetDev) -> Bool {
        lhs.interfaces.map(\.name) == rhs.interfaces.map(\.name)
            && lhs.interfaces.map(\.counters) == rhs.interfaces.map(\.counters) && lhs.malformed == rhs.malformed
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(interfaces.map(\.name))
    }

    /// Parses the file; the two header lines have no colon after a name and are skipped.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> NetDev {
        var dev = NetDev()
        var scanner = ByteScanner(bytes)
        var values = [UInt64](repeating: 0, count: 16)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            // The name ends at the last colon: old kernels glue a large first number to it.
            guard let colon = line.lastIndex(of: 0x3A) else { continue }
            var nameStart = 0
            while nameStart < colon, line[nameStart] == 0x20 { nameStart += 1 }
            let name = UnsafeRawBufferPointer(rebasing: line[nameStart..<colon])
            if name.contains(0x7C) { continue } // a header line: `face |bytes ...`
            var fields = ByteScanner(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
            var count = 0
            while count < 16, let value = fields.unsigned() {
                values[count] = value
                count += 1
            }
            guard count == 16, !name.isEmpty else {
                dev.malformed += 1
                continue
            }
            var counters = InterfaceCounters()
            counters.rxBytes = values[0]
            counters.rxPackets = values[1]
            counters.rxErrors = values[2]
            counters.rxDrops = values[3]
            counters.txBytes = values[8]
            counters.txPackets = values[9]
            counters.txErrors = values[10]
            counters.txDrops = values[11]
            dev.interfaces.append((name.text, counters))
        }
        return dev
    }
}
