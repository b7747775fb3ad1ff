/// A learnt log template: the text shared by a cluster of messages, with its variable parts as `<*>`.
public struct LogTemplate: Hashable, Sendable {
    /// The hash of `text`; changes when the template generalises.
    public var id: TemplateID
    /// The masked tokens joined by single spaces, e.g. `Received block blk_<*> of size <*> from /<*>`.
    public var text: String
    /// Messages mined into this cluster since it was created (or restored).
    public var count: Int
    /// The cluster's number, kept while the text generalises; numbers are never reused by one miner.
    public var clusterNumber: Int

    public init(id: TemplateID, text: String, count: Int, clusterNumber: Int) {
        self.id = id
        self.text = text
        self.count = count
        self.clusterNumber = clusterNumber
    }
}
