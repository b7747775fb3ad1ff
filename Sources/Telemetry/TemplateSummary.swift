/// One log template as the log view lists it: how often it occurs and whether it is new.
public struct TemplateSummary: Hashable, Sendable {
    /// The miner's cluster number: stable while the template's text generalises.
    public var cluster: Int
    /// The message with its variable parts as `<*>`.
    public var text: String
    /// Lines mined into it since Vigil started (or since its saved count).
    public var count: Int
    /// Lines per minute, smoothed over the last few minutes.
    public var perMinute: Double
    /// When this Vigil first saw it, seconds since 1970; nil for a template restored from the store.
    public var firstSeen: Double?
    /// First seen recently (within `TemplateSummary.newWindow`) by this Vigil.
    public var isNew: Bool

    /// How long a template counts as new after its first line: an hour, long enough to
    /// notice over a coffee break, short enough that the mark means something.
    public static let newWindow: Double = 3600

    public init(cluster: Int, text: String, count: Int, perMinute: Double, firstSeen: Double?, isNew: Bool) {
        self.cluster = cluster
        self.text = text
        self.count = count
        self.perMinute = perMinute
        self.firstSeen = firstSeen
        self.isNew = isNew
    }
}
