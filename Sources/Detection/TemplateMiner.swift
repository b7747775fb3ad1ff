/// Learns log templates online: each message gets the cluster it belongs to and that cluster's template.
///
/// A message is cut into whitespace-separated tokens and its variable parts are masked (`MessageTokens`).
/// It then joins the most similar cluster with the same number of tokens and the same first word, if at
/// least `similarityThreshold` of its positions agree with the cluster's template; the positions that
/// disagree become `<*>`. Otherwise it starts a new cluster. Two positions agree when they are equal or
/// both hold a masked value, so the masking does most of the work and the threshold only decides how
/// many differing words a long message may have (none below 7 tokens at the standard 0.85).
///
/// This is Drain's idea without its prefix tree (which splits a template whenever its second or third
/// word is a variable without digits): the first word is required to match unless it is a bare `<*>`,
/// every other position is compared, and a table of recently seen masked shapes makes the common case
/// a single hash lookup.
///
/// One configuration serves every source; nothing in it names a format. Memory is bounded: at most
/// `maxTemplates` clusters (the least recently used goes first), a fixed-size shape table, and token
/// buffers the size of the longest message.
public struct TemplateMiner: Sendable {
    /// The miner's knobs; `standard` is meant for every log source.
    public struct Configuration: Hashable, Sendable {
        /// The share of a message's tokens that must agree with a template for the message to join it.
        public var similarityThreshold: Double
        /// The most clusters kept; beyond it the least recently used cluster is forgotten.
        public var maxTemplates: Int
        /// Tokens considered per message; the rest of a longer message becomes one final `<*>`.
        public var maxTokens: Int
        /// Slots in the table that remembers which cluster a masked token sequence went to (a power of two).
        public var rememberedShapes: Int

        public init(
            similarityThreshold: Double = 0.85,
            maxTemplates: Int = 5_000,
            maxTokens: Int = 256,
            rememberedShapes: Int = 1 << 16
        ) {
            self.similarityThreshold = similarityThreshold
            self.maxTemplates = maxTemplates
            self.maxTokens = maxTokens
            self.rememberedShapes = rememberedShapes
        }

        public static let standard = Configuration()
    }

    public let configuration: Configuration

    private var clusters: [Cluster] = []
    /// Cluster slots by token count: the candidates for a message of that length.
    private var slotsByLength: [[Int32]]
    private var slotOfNumber: [Int: Int32] = [:]
    private var nextNumber = 1
    private var messagesSeen: UInt64 = 0
    private var tokens: MessageTokens

    // The shape table: sequence hash -> (slot, cluster number). A stale entry (the slot was reused after an
    // eviction) shows itself by a different number in the slot and is ignored.
    private var shapeHashes: [UInt64]
    private var shapeSlots: [Int32]
    private var shapeNumbers: [Int]

    public init(configuration: Configuration = .standard) {
        var configuration = configuration
        configuration.maxTemplates = max(1, configuration.maxTemplates)
        configuration.maxTokens = max(2, configuration.maxTokens)
        var shapes = 1
        while shapes < max(1, configuration.rememberedShapes) { shapes <<= 1 }
        configuration.rememberedShapes = shapes
        self.configuration = configuration
        self.tokens = MessageTokens(maxTokens: configuration.maxTokens)
        self.slotsByLength = Array(repeating: [], count: configuration.maxTokens + 1)
        self.shapeHashes = Array(repeating: 0, count: shapes)
        self.shapeSlots = Array(repeating: 0, count: shapes)
        self.shapeNumbers = Array(repeating: 0, count: shapes)
    }

    /// Restores a miner from templates saved earlier, keeping their cluster numbers and counts.
    ///
    /// A template's text is mined like a message, so its `<*>` positions come back as wildcards. Templates
    /// beyond `maxTemplates` are dropped, the least used first.
    public init(configuration: Configuration = .standard, restoring saved: [LogTemplate]) {
        self.init(configuration: configuration)
        let kept = saved.sorted { ($0.count, -$0.clusterNumber) > ($1.count, -$1.clusterNumber) }
            .prefix(self.configuration.maxTemplates)
        for template in kept.sorted(by: { $0.clusterNumber < $1.clusterNumber }) {
            tokens.tokenize(template.text)
            let slot = addCluster(number: template.clusterNumber)
            clusters[slot].count = template.count
            nextNumber = max(nextNumber, template.clusterNumber + 1)
        }
    }

    /// Mines one message.
    public mutating func mine(_ message: String) -> MinedMessage {
        var message = message
        return message.withUTF8 { mine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Mines one message given as UTF-8 bytes (without its line terminator).
    public mutating func mine(bytes message: UnsafeRawBufferPointer) -> MinedMessage {
        tokens.tokenize(message)
        messagesSeen &+= 1
        let shape = tokens.sequenceHash
        let entry = Int(truncatingIfNeeded: shape ^ (shape >> 32)) & (shapeHashes.count - 1)
        if shapeHashes[entry] == shape {
            let slot = Int(shapeSlots[entry])
            if slot < clusters.count && clusters[slot].number == shapeNumbers[entry]
                && clusters[slot].tokens.count == tokens.count
            {
                clusters[slot].count += 1
                clusters[slot].lastSeen = messagesSeen
                return MinedMessage(
                    cluster: clusters[slot].number, templateID: clusters[slot].id,
                    isNewTemplate: false, isGeneralised: false)
            }
        }
        let result: MinedMessage
        let slot: Int
        if let match = bestMatch() {
            slot = match
            let generalised = clusters[slot].absorb(tokens.hashes)
            clusters[slot].count += 1
            clusters[slot].lastSeen = messagesSeen
            result = MinedMessage(
                cluster: clusters[slot].number, templateID: clusters[slot].id,
                isNewTemplate: false, isGeneralised: generalised)
        } else {
            slot = addCluster(number: nextNumber)
            nextNumber += 1
            clusters[slot].count = 1
            result = MinedMessage(
                cluster: clusters[slot].number, templateID: clusters[slot].id,
                isNewTemplate: true, isGeneralised: false)
        }
        shapeHashes[entry] = shape
        shapeSlots[entry] = Int32(slot)
        shapeNumbers[entry] = clusters[slot].number
        return result
    }

    /// The current templates, in cluster-number order.
    public var templates: [LogTemplate] {
        clusters.sorted { $0.number < $1.number }.map(\.template)
    }

    /// The current template of cluster `number`, or nil if there is none (never made, or forgotten).
    public func template(ofCluster number: Int) -> LogTemplate? {
        slotOfNumber[number].map { clusters[Int($0)].template }
    }

    /// The number of clusters held.
    public var templateCount: Int { clusters.count }

    // MARK: - Matching

    /// The slot of the cluster the current message should join, if any is similar enough.
    ///
    /// The score is the number of positions that agree; ties go to the template with more constant
    /// tokens equal to the message's, i.e. the most specific one.
    private func bestMatch() -> Int? {
        let length = tokens.count
        let candidates = slotsByLength[length]
        guard !candidates.isEmpty else { return nil }
        let needed = configuration.similarityThreshold * Double(length)
        var best = -1
        var bestAgree = -1
        var bestExact = -1
        tokens.hashes.withUnsafeBufferPointer { message in
            for slot in candidates {
                let (agree, exact) = clusters[Int(slot)].tokens.withUnsafeBufferPointer {
                    Self.agreement(template: $0, message: message)
                }
                if agree > bestAgree || (agree == bestAgree && exact > bestExact) {
                    best = Int(slot)
                    bestAgree = agree
                    bestExact = exact
                }
            }
        }
        guard best >= 0, Double(bestAgree) >= needed else { return nil }
        return best
    }

    /// How many positions of `message` agree with `template`, and how many of those are equal constants;
    /// `(-1, 0)` when the first tokens are different words.
    ///
    /// A position agrees when the tokens are equal, or when both hold a masked value (`<*>,` and
    /// `LOCAL(<*>),` are one variable written two ways). A wildcard the template learnt from differing
    /// words does not agree with a new word, as in Drain: only a share of the positions may disagree,
    /// and a word that keeps changing should not make the template swallow anything. The first token
    /// must match unless either is a bare `<*>`: it is most often the name of the event, and this is
    /// what Drain's prefix tree enforced.
    @inline(__always)
    private static func agreement(
        template: UnsafeBufferPointer<UInt64>, message: UnsafeBufferPointer<UInt64>
    ) -> (agree: Int, exact: Int) {
        let wildcard = MessageTokens.wildcardHash
        guard let first = template.first else { return (0, 0) }
        if first != message[0] && first != wildcard && message[0] != wildcard { return (-1, 0) }
        var agree = 0
        var exact = 0
        for k in 0..<template.count {
            let t = template[k]
            let m = message[k]
            if t == m {
                agree += 1
                exact += Int(~t & 1)
            } else if t & m & 1 == 1 {
                agree += 1
            }
        }
        return (agree, exact)
    }

    // MARK: - Clusters

    /// Makes a cluster from the current tokens, evicting the least recently used one when full.
    private mutating func addCluster(number: Int) -> Int {
        let cluster = Cluster(number: number, tokens: tokens, lastSeen: messagesSeen)
        let slot: Int
        if clusters.count < configuration.maxTemplates {
            slot = clusters.count
            clusters.append(cluster)
        } else {
            slot = leastRecentlyUsedSlot()
            let old = clusters[slot]
            slotOfNumber[old.number] = nil
            let length = old.tokens.count
            if let index = slotsByLength[length].firstIndex(of: Int32(slot)) {
                slotsByLength[length].swapAt(index, slotsByLength[length].count - 1)
                slotsByLength[length].removeLast()
            }
            clusters[slot] = cluster
        }
        slotsByLength[cluster.tokens.count].append(Int32(slot))
        slotOfNumber[number] = Int32(slot)
        return slot
    }

    private func leastRecentlyUsedSlot() -> Int {
        var oldest = 0
        for slot in clusters.indices where clusters[slot].lastSeen < clusters[oldest].lastSeen {
            oldest = slot
        }
        return oldest
    }
}

extension TemplateMiner {
    /// One cluster: its template as token hashes (a wildcard hash where it has generalised) and the masked
    /// tokens of its first message, which give the template its text.
    struct Cluster {
        let number: Int
        private(set) var tokens: [UInt64]
        private let firstBytes: [UInt8]
        private let firstEnds: [Int32]
        private(set) var id: TemplateID
        var count = 0
        var lastSeen: UInt64

        init(number: Int, tokens message: MessageTokens, lastSeen: UInt64) {
            self.number = number
            self.tokens = message.hashes
            var bytes: [UInt8] = []
            var ends: [Int32] = []
            ends.reserveCapacity(message.count)
            for k in 0..<message.count {
                bytes.append(contentsOf: message.bytes[Int(message.starts[k])..<Int(message.ends[k])])
                ends.append(Int32(bytes.count))
            }
            self.firstBytes = bytes
            self.firstEnds = ends
            self.lastSeen = lastSeen
            self.id = TemplateID(rawValue: 0)
            self.id = TemplateID(rawValue: textHash())
        }

        /// Turns every position where `message` disagrees into a wildcard; true if the template changed.
        mutating func absorb(_ message: [UInt64]) -> Bool {
            var changed = false
            for k in tokens.indices where tokens[k] != message[k] && tokens[k] != MessageTokens.wildcardHash {
                tokens[k] = MessageTokens.wildcardHash
                changed = true
            }
            if changed { id = TemplateID(rawValue: textHash()) }
            return changed
        }

        var textBytes: [UInt8] {
            var text: [UInt8] = []
            text.reserveCapacity(firstBytes.count + tokens.count)
            forEachTextByte { text.append($0) }
            return text
        }

        var template: LogTemplate {
            LogTemplate(
                id: id, text: String(decoding: textBytes, as: UTF8.self), count: count, clusterNumber: number)
        }

        private func textHash() -> UInt64 {
            var hash = FNV1a()
            forEachTextByte { hash.add($0) }
            return hash.value
        }

        private func forEachTextByte(_ body: (UInt8) -> Void) {
            var start = 0
            for k in tokens.indices {
                if k > 0 { body(0x20) }
                let end = Int(firstEnds[k])
                if tokens[k] == MessageTokens.wildcardHash {
                    body(0x3C)
                    body(0x2A)
                    body(0x3E)
                } else {
                    for i in start..<end { body(firstBytes[i]) }
                }
                start = end
            }
        }
    }
}
