@testable import Detection
import Foundation
import Testing

@Suite("template miner")
struct TemplateMinerTests {
    static func masked(_ word: String) -> String {
        var text = word
        var out: [UInt8] = []
        _ = text.withUTF8 { MessageToken.mask(UnsafeRawBufferPointer($0), 0, $0.count, text: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("masking keeps the words that name an event and masks what varies", arguments: [
        ("1234", "<*>"),
        ("0x7f3a", "<*>"),
        ("10.0.0.1:8080", "<*>"),
        ("[fe80::1]:22", "[<*>]:<*>"),
        ("2001:db8::8a2e:370:7334", "<*>"),
        ("6f1c2b7e-3d4a-4b5c-9d8e-7f6a5b4c3d2e", "<*>"),
        ("/var/log/syslog", "<*>"),
        ("https://example.com/a?b=c", "<*>"),
        ("ops@example.com", "<*>"),
        ("\"quoted text\"", "<*>"),
        ("154ms", "<*>"),
        ("12:30:01.5", "<*>"),
        ("pid=1234,", "pid=<*>,"),
        ("file=/etc/passwd", "file=<*>"),
        ("onExtend:1514038530000", "onExtend:<*>"),
        ("force=true", "force=true"),
        ("deadbeefcafebabe0123", "<*>"),
        ("blk_-1608999687919862906", "<*>"),
        ("Failed", "Failed"),
        ("(uid=0)", "(uid=<*>)"),
    ])
    func masking(word: String, expected: String) {
        #expect(Self.masked(word) == expected)
    }

    @Test("a small labelled set is grouped exactly as labelled")
    func labelledGroups() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/labelled-sshd.tsv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1) }
        let miner = TemplateMiner()
        var clusterOf: [String: Set<Int>] = [:]
        var labelOf: [Int: Set<String>] = [:]
        for row in rows {
            let match = miner.add(String(row[1]))
            clusterOf[String(row[0]), default: []].insert(match.cluster)
            labelOf[match.cluster, default: []].insert(String(row[0]))
        }
        for (label, clusters) in clusterOf { #expect(clusters.count == 1, "\(label) split into \(clusters)") }
        for (cluster, labels) in labelOf { #expect(labels.count == 1, "cluster \(cluster) mixes \(labels)") }
        #expect(miner.template(ofCluster: miner.add("Failed password for root from 10.9.8.7 port 22 ssh2").cluster)
            == "Failed password for root from <*> port <*> <*>")
    }

    @Test("template ids depend only on the template text, so they survive a restart")
    func stableIDs() {
        let first = TemplateMiner()
        let second = TemplateMiner()
        _ = second.add("unrelated message number 1")
        let a = first.add("disk sda1 is 91% full")
        let b = second.add("disk sda1 is 17% full")
        #expect(a.templateID == b.templateID)
        #expect(a.cluster != b.cluster)
        #expect(first.add("disk sda1 is 92% full").templateID == a.templateID)
        #expect(!first.add("disk sda1 is 3% full").isNew)
    }

    @Test("a template seen for the first time says so")
    func newTemplates() {
        let miner = TemplateMiner()
        #expect(miner.add("service started").isNew)
        #expect(!miner.add("service started").isNew)
        #expect(miner.add("service stopped").isNew)
    }

    @Test("memory is bounded: past the cap the least recently used template goes")
    func eviction() {
        let miner = TemplateMiner(configuration: .init(maximumTemplates: 8))
        for index in 0..<100 {
            let word = String(UnicodeScalar(UInt8(65 + index % 26))) + String(UnicodeScalar(UInt8(65 + index / 26)))
            _ = miner.add("event \(word) happened")
            _ = miner.add("keepalive from peer")
        }
        #expect(miner.templateCount <= 8)
        #expect(miner.allTemplates.contains { $0.text == "keepalive from peer" })
    }

    @Test("empty and overlong messages neither trap nor explode")
    func edges() {
        let miner = TemplateMiner()
        _ = miner.add("")
        _ = miner.add("   ")
        let long = (0..<1000).map { "w\($0 % 7 == 0 ? "x" : "")" }.joined(separator: " ")
        let match = miner.add(long)
        #expect(miner.template(ofCluster: match.cluster)!.split(separator: " ").count <= 128)
    }
}
