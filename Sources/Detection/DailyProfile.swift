/// The usual shape of a signal over the day: how far each time of day sits above or below the level.
///
/// Many host metrics follow the clock (traffic by day, backups and log rotation by night). The profile keeps
/// one offset per slot of the day, each an exponentially weighted mean over days of what the signal did in
/// that slot relative to the level. Slots are `slotSeconds` wide; a slot that no sample has reached yet
/// offers no offset. Learning is counted per slot and per day, so a signal sampled every second and one
/// sampled every five minutes both forget old days at the same pace.
public struct DailyProfile: Sendable, Equatable {
    /// Seconds per day; the profile's period.
    public static let period: Double = 86_400

    /// Offset per slot, relative to the level.
    public private(set) var offsets: [Double]
    /// Updates per slot, saturating: weights the first days evenly.
    private var updates: [UInt16]
    /// Time of the first sample learnt, to know how many days the profile has seen.
    public private(set) var firstTime: Double?
    /// Mean seconds between samples, to turn "days of memory" into a per-sample weight.
    public private(set) var interval: Double = 0
    private var lastTime: Double?

    /// Creates an empty profile with `slots` slots per day.
    public init(slots: Int) {
        offsets = Array(repeating: 0, count: max(1, slots))
        updates = Array(repeating: 0, count: max(1, slots))
    }

    /// Seconds per slot.
    public var slotSeconds: Double { Self.period / Double(offsets.count) }

    /// Days between the first sample and `time`.
    public func days(at time: Double) -> Double {
        guard let firstTime else { return 0 }
        return (time - firstTime) / Self.period
    }

    /// The slot a time falls in.
    public func slot(at time: Double) -> Int {
        var phase = time.truncatingRemainder(dividingBy: Self.period)
        if phase < 0 { phase += Self.period }
        return min(offsets.count - 1, Int(phase / slotSeconds))
    }

    /// The learnt offset at `time`, or 0 where nothing has been learnt yet.
    public func offset(at time: Double) -> Double {
        offsets[slot(at: time)]
    }

    /// Notes the time of a sample, whether or not its value is learnt.
    public mutating func tick(_ time: Double) {
        if firstTime == nil { firstTime = time }
        if let lastTime, time > lastTime {
            let step = time - lastTime
            interval = interval == 0 ? step : interval + 0.01 * (step - interval)
        }
        lastTime = time
    }

    /// Learns that the signal sat `offset` above the level at `time`.
    /// - Parameters:
    ///   - offset: The sample minus the level (clipped by the caller).
    ///   - time: When the sample was taken.
    ///   - memoryDays: Days after which an old day's weight has faded to 1/e.
    public mutating func learn(_ offset: Double, at time: Double, memoryDays: Double) {
        let i = slot(at: time)
        if updates[i] < UInt16.max { updates[i] += 1 }
        let perDay = interval > 0 ? max(1, slotSeconds / interval) : 1
        let rate = max(1 / Double(updates[i]), 1 / (memoryDays * perDay))
        offsets[i] += rate * (offset - offsets[i])
    }
}

extension DailyProfile: Codable {}
