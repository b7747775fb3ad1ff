/// Mines log messages into templates online: each message gets the template it
/// belongs to, the message with its variable parts masked as `<*>`.
///
/// The method is Drain's (He et al., ICWS 2017) with heavier masking up front:
/// words are masked by `MessageToken`, so most messages of one kind already spell
/// the same masked word sequence and are found with one hash lookup. A sequence
/// not seen before is compared with the templates of the same length; one that
/// agrees on enough words joins it, and the words that differ become `<*>`.
/// One configuration serves every source.
///
/// Memory is bounded: at `maximumTemplates` the least recently used template is
/// evicted, and the cache of seen word sequences is emptied when it is full.
/// Not thread-safe; deterministic for the same input order.
public final class TemplateMiner {
    /// The knobs, with defaults meant for logs nobody has seen.
    public struct Configuration: Sendable, Hashable {
        /// The share of words (wildcards count as agreeing) a message must share with a template to join it.
        public var similarity: Double
        /// Templates kept before the least recently used one is evicted.
        public var maximumTemplates: Int
        /// Word sequences remembered for the one-lookup path.
        public var maximumCachedSequences: Int
        /// Words of a message looked at; the rest is masked as one `<*>`.
        public var maximumWords: Int

        public init(similarity: Double = 0.8, maximumTemplates: Int = 10_000, maximumCachedSequences: Int = 200_000, maximumWords: Int = 128) {
            self.similarity = similarity
            self.maximumTemplates = maximumTemplates
            self.maximumCachedSequences = maximumCachedSequences
            self.maximumWords = maximumWords
        }
    }

    /// Which template a message joined.
    public struct Match: Hashable, Sendable {
        /// A running number for the template, from 1, never reused in this miner.
        public var cluster: Int
        /// A hash of the template text: the same text gives the same id across runs.
        public var templateID: UInt64
        /// Whether this message created the template.
        public var isNew: Bool
    }

    struct Template {
        var number: Int
        var words: [UInt64]
        var texts: [String]
        var count: Int
        var lastUsed: UInt64
        var id: UInt64
    }

    public let configuration: Configuration
    private var templates: [Template] = []
    /// Template slots by word count, searched when the cache misses.
    private var byLength: [Int: [Int]] = [:]
    /// Masked word sequence hash → template slot.
    private var seen: [UInt64: Int] = [:]
    private var clock: UInt64 = 0
    private var nextNumber = 1
    private var words: [UInt64] = []
    private var bounds: [(Int, Int)] = []

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        words.reserveCapacity(configuration.maximumWords)
        seen.reserveCapacity(min(configuration.maximumCachedSequences, 65_536))
    }

    /// Templates held now.
    public var templateCount: Int { templates.count }

    /// The template text of a cluster number, if it is still held.
    public func template(ofCluster number: Int) -> String? {
        templates.first { $0.number == number }.map { $0.texts.joined(separator: " ") }
    }

    /// Every template held, as (cluster number, text, messages seen), oldest first.
    public var allTemplates: [(cluster: Int, text: String, count: Int)] {
        templates.sorted { $0.number < $1.number }.map { ($0.number, $0.texts.joined(separator: " "), $0.count) }
    }

    /// Adds one message.
    public func add(_ message: String) -> Match {
        var text = message
        return text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Adds one message given as UTF-8 bytes (no newline).
    public func add(_ message: UnsafeRawBufferPointer) -> Match {
        clock &+= 1
        let sequence = split(message)
        if let slot = seen[sequence], slot < templates.count {
            templates[slot].count += 1
            templates[slot].lastUsed = clock
            return Match(cluster: templates[slot].number, templateID: templates[slot].id, isNew: false)
        }
        let slot = place(message)
        if seen.count >= configuration.maximumCachedSequences { seen.removeAll(keepingCapacity: true) }
        seen[sequence] = slot
        let template = templates[slot]
        return Match(cluster: template.number, templateID: template.id, isNew: template.count == 1)
    }

    /// Splits on spaces and tabs into `words`, `kinds` and `bounds`; returns the hash of the masked sequence.
    @inline(__always)
    private func split(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        words.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        var sequence: UInt64 = 0x9E37_79B9_7F4A_7C15
        var index = 0
        let count = bytes.count
        while index < count {
            while index < count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            guard index < count else { break }
            let start = index
            while index < count, bytes[index] != 0x20 && bytes[index] != 0x09 { index += 1 }
            var end = index
            if words.count == configuration.maximumWords - 1 { end = count; index = count }
            let word = words.count == configuration.maximumWords - 1 ? MessageToken.wildcard : MessageToken.mask(bytes, start, end)
            words.append(word)
            bounds.append((start, end))
            sequence = (sequence ^ word) &* 0x0000_0100_0000_01B3
            sequence ^= sequence >> 29
        }
        return sequence ^ UInt64(words.count)
    }

    /// Finds or makes the template for the words just split; returns its slot.
    private func place(_ bytes: UnsafeRawBufferPointer) -> Int {
        let length = words.count
        var best = -1
        var bestScore = -1.0
        if let slots = byLength[length] {
            for slot in slots {
                let score = similarity(templates[slot].words)
                if score > bestScore {
                    bestScore = score
                    best = slot
                }
            }
        }
        if best >= 0, bestScore >= configuration.similarity || length == 0 {
            merge(into: best)
            return best
        }
        return create(bytes)
    }

    /// Share of positions where the template agrees with the words (a wildcard agrees with anything).
    @inline(__always)
    private func similarity(_ template: [UInt64]) -> Double {
        guard !words.isEmpty else { return 1 }
        var agree = 0
        var constantsDiffer = 0
        for index in 0..<words.count {
            let t = template[index]
            if t == words[index] {
                agree += 1
            } else {
                constantsDiffer += 1
            }
        }
        // The first word usually names the event: a different one is another event.
        if template[0] != MessageToken.wildcard, template[0] != words[0], words[0] != MessageToken.wildcard { return 0 }
        return Double(agree) / Double(words.count)
    }

    private func merge(into slot: Int) {
        var changed = false
        for index in 0..<words.count where templates[slot].words[index] != words[index] && templates[slot].words[index] != MessageToken.wildcard {
            templates[slot].words[index] = MessageToken.wildcard
            templates[slot].texts[index] = "<*>"
            changed = true
        }
        templates[slot].count += 1
        templates[slot].lastUsed = clock
        if changed { templates[slot].id = Self.id(of: templates[slot].texts) }
    }

    private func create(_ bytes: UnsafeRawBufferPointer) -> Int {
        if templates.count >= configuration.maximumTemplates { evictLeastRecentlyUsed() }
        var texts: [String] = []
        texts.reserveCapacity(words.count)
        var masked: [UInt8] = []
        for index in 0..<words.count {
            masked.removeAll(keepingCapacity: true)
            if words[index] == MessageToken.wildcard {
                texts.append("<*>")
            } else {
                _ = MessageToken.mask(bytes, bounds[index].0, bounds[index].1, text: &masked)
                texts.append(String(decoding: masked, as: UTF8.self))
            }
        }
        let template = Template(number: nextNumber, words: words, texts: texts, count: 1, lastUsed: clock, id: Self.id(of: texts))
        nextNumber += 1
        templates.append(template)
        byLength[words.count, default: []].append(templates.count - 1)
        return templates.count - 1
    }

    private func evictLeastRecentlyUsed() {
        guard let victim = templates.indices.min(by: { templates[$0].lastUsed < templates[$1].lastUsed }) else { return }
        templates.remove(at: victim)
        // Slots after the victim moved down by one: rebuild the index and forget the cache.
        byLength.removeAll(keepingCapacity: true)
        for (slot, template) in templates.enumerated() {
            byLength[template.words.count, default: []].append(slot)
        }
        seen.removeAll(keepingCapacity: true)
    }

    /// The stable id of a template text: FNV-1a 64 over its UTF-8.
    static func id(of texts: [String]) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, text) in texts.enumerated() {
            if index > 0 { value = (value ^ 0x20) &* 0x0000_0100_0000_01B3 }
            for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        return value
    }
}
