/// One line of a pressure stall file: `some avg10=1.96 avg60=0.55 avg300=0.22 total=16960726`.
public struct PressureLine: Hashable, Sendable {
    /// Percent of the last 10, 60 and 300 seconds in which tasks stalled.
    public var avg10: Double
    public var avg60: Double
    public var avg300: Double
    /// Microseconds stalled since boot.
    public var total: UInt64

    public init(avg10: Double, avg60: Double, avg300: Double, total: UInt64) {
        self.avg10 = avg10
        self.avg60 = avg60
        self.avg300 = avg300
        self.total = total
    }
}

/// The parsed content of /proc/pressure/cpu, memory or io (PSI, kernels 4.20 and later).
public struct Pressure: Hashable, Sendable {
    /// Some task stalled on the resource.
    public var some: PressureLine?
    /// Every non-idle task stalled at once; cpu has it only from kernel 5.13 on.
    public var full: PressureLine?
    public var malformed = 0

    public init(some: PressureLine? = nil, full: PressureLine? = nil) {
        self.some = some
        self.full = full
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Pressure {
        var pressure = Pressure()
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let kind = scanner.token()
            guard !kind.isEmpty else {
                scanner.skipLine()
                continue
            }
            var avg10: Double?
            var avg60: Double?
            var avg300: Double?
            var total: UInt64?
            while !scanner.atEndOfLine {
                scanner.skipSpaces()
                if scanner.skip("avg10=") {
                    avg10 = scanner.decimal()
                } else if scanner.skip("avg60=") {
                    avg60 = scanner.decimal()
                } else if scanner.skip("avg300=") {
                    avg300 = scanner.decimal()
                } else if scanner.skip("total=") {
                    total = scanner.unsigned()
                } else {
                    _ = scanner.token()
                }
            }
            scanner.skipLine()
            guard let avg10, let avg60, let avg300, let total else {
                pressure.malformed += 1
                continue
            }
            let line = PressureLine(avg10: avg10, avg60: avg60, avg300: avg300, total: total)
            if kind.equals("some") {
                pressure.some = line
            } else if kind.equals("full") {
                pressure.full = line
            }
        }
        return pressure
    }
}
