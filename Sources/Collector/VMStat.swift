/// The counters of /proc/vmstat that say memory is short: swapping, major faults, OOM kills.
public struct VMStat: Hashable, Sendable {
    /// Pages swapped in since boot (`pswpin`).
    public var swapIn: UInt64?
    /// Pages swapped out since boot (`pswpout`).
    public var swapOut: UInt64?
    /// Page faults that had to wait for storage (`pgmajfault`).
    public var majorFaults: UInt64?
    /// Processes the OOM killer ended (`oom_kill`, kernels 4.13 and later).
    public var oomKills: UInt64?
    public var malformed = 0

    public init() {}

    /// Parses `name value` lines; unknown names are ignored.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> VMStat {
        var stat = VMStat()
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let key = scanner.token()
            if key.isEmpty {
                scanner.skipLine()
                continue
            }
            // Only the four wanted keys are parsed; the other 150-odd lines cost a compare each.
            if key.equals("pswpin") {
                stat.swapIn = stat.number(&scanner)
            } else if key.equals("pswpout") {
                stat.swapOut = stat.number(&scanner)
            } else if key.equals("pgmajfault") {
                stat.majorFaults = stat.number(&scanner)
            } else if key.equals("oom_kill") {
                stat.oomKills = stat.number(&scanner)
            }
            scanner.skipLine()
        }
        return stat
    }

    private mutating func number(_ scanner: inout ByteScanner) -> UInt64? {
        guard let value = scanner.unsigned() else {
            malformed += 1
            return nil
        }
        return value
    }
}
