/// The parsed content of /proc/loadavg: `0.45 0.29 0.32 1/119 28977`.
public struct LoadAverage: Hashable, Sendable {
    public var one: Double
    public var five: Double
    public var fifteen: Double

    public init(one: Double, five: Double, fifteen: Double) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
    }

    /// Nil when the three averages are not all there (a truncated read).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> LoadAverage? {
        var scanner = ByteScanner(bytes)
        guard let one = scanner.decimal(), let five = scanner.decimal(), let fifteen = scanner.decimal() else {
            return nil
        }
        return LoadAverage(one: one, five: five, fifteen: fifteen)
    }
}
