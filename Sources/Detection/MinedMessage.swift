/// What the miner made of one message: its cluster and that cluster's current template.
public struct MinedMessage: Hashable, Sendable {
    /// The cluster number: stable while the cluster's template generalises.
    public var cluster: Int
    /// The id of the cluster's template text after this message.
    public var templateID: TemplateID
    /// This message started a new cluster: a kind of message not seen before (or evicted since).
    public var isNewTemplate: Bool
    /// This message widened an existing template (a token became `<*>`), so `templateID` changed.
    public var isGeneralised: Bool

    public init(cluster: Int, templateID: TemplateID, isNewTemplate: Bool, isGeneralised: Bool) {
        self.cluster = cluster
        self.templateID = templateID
        self.isNewTemplate = isNewTemplate
        self.isGeneralised = isGeneralised
    }
}
