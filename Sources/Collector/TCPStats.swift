/// TCP counters from /proc/net/snmp (`Tcp:`) and /proc/net/netstat (`TcpExt:`).
public struct TCPStats: Hashable, Sendable {
    /// Connections established now (`CurrEstab`, a gauge).
    public var established: UInt64?
    public var activeOpens: UInt64?
    public var passiveOpens: UInt64?
    /// Segments sent again (`RetransSegs`).
    public var retransmits: UInt64?
    /// Segments sent with RST (`OutRsts`).
    public var resetsSent: UInt64?
    /// Established connections reset by the peer or by us (`EstabResets`).
    public var establishedResets: UInt64?
    /// Connections dropped because an accept queue was full (`ListenOverflows`).
    public var listenOverflows: UInt64?
    public var malformed = 0

    public init() {}

    /// Adds the `Tcp:` counters of /proc/net/snmp.
    public mutating func parseSNMP(_ bytes: UnsafeRawBufferPointer) {
        let values = Self.table(bytes, section: "Tcp:", names: ["CurrEstab", "ActiveOpens", "PassiveOpens", "RetransSegs", "OutRsts", "EstabResets"], malformed: &malformed)
        established = values[0]
        activeOpens = values[1]
        passiveOpens = values[2]
        retransmits = values[3]
        resetsSent = values[4]
        establishedResets = values[5]
    }

    /// Adds the `TcpExt:` counters of /proc/net/netstat.
    public mutating func parseNetstat(_ bytes: UnsafeRawBufferPointer) {
        listenOverflows = Self.table(bytes, section: "TcpExt:", names: ["ListenOverflows"], malformed: &malformed)[0]
    }

    /// The values of named columns in a `Section: name name ...` / `Section: value value ...` pair of lines.
    ///
    /// The kernel adds columns over time, so they are found by name, never by position.
    static func table(
        _ bytes: UnsafeRawBufferPointer, section: StaticString, names: [StaticString], malformed: inout Int
    ) -> [UInt64?] {
        var result = [UInt64?](repeating: nil, count: names.count)
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            guard scanner.skip(section) else {
                scanner.skipLine()
                continue
            }
            var columns = [Int](repeating: -1, count: names.count)
            var column = 0
            while !scanner.atEndOfLine {
                let header = scanner.token()
                if header.isEmpty { break }
                for (index, name) in names.enumerated() where header.equals(name) {
                    columns[index] = column
                }
                column += 1
            }
            let headerCount = column
            scanner.skipLine()
            guard scanner.skip(section) else {
                malformed += 1
                continue
            }
            column = 0
            var found = 0
            while !scanner.atEndOfLine {
                // MaxConn is -1: signed, then kept only where a counter was asked for.
                guard let value = scanner.signed() else { break }
                found += 1
                for index in columns.indices where columns[index] == column {
                    result[index] = UInt64(truncatingIfNeeded: value)
                }
                column += 1
            }
            if found < headerCount { malformed += 1 }
            scanner.skipLine()
            return result
        }
        return result
    }
}
