/// The most recent values of one signal, oldest first, with a fixed capacity.
///
/// A ring: appending past the capacity drops the oldest value, so memory per
/// signal is bounded however long Vigil runs.
public struct SignalHistory: Sendable, Hashable {
    public let capacity: Int
    private var storage: [Double]
    private var start = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a history holds at least one value")
        self.capacity = capacity
        storage = []
        storage.reserveCapacity(capacity)
    }

    public var count: Int { storage.count }

    public mutating func append(_ value: Double) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[start] = value
            start = (start + 1) % capacity
        }
    }

    /// The values, oldest first.
    public var values: [Double] {
        start == 0 ? storage : Array(storage[start...] + storage[..<start])
    }

    /// The newest `n` values, oldest first.
    public func suffix(_ n: Int) -> [Double] {
        let all = values
        return Array(all.suffix(n))
    }

    public var last: Double? {
        guard !storage.isEmpty else { return nil }
        return storage[(start + storage.count - 1) % storage.count]
    }
}
