@testable import Detection
import Foundation
import Testing

/// The miner on a labelled log of a typical Linux server (sshd, pam, systemd, kernel,
/// nginx, an application), kept as a fixture beside this file.
@Suite("labelled server log")
struct LabelledLogTests {
    static func rows() throws -> [(label: String, message: String)] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/labelled-sshd.tsv")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            let parts = $0.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        }
    }

    @Test("each label is one cluster and each cluster one label")
    func groups() throws {
        var miner = TemplateMiner()
        var clustersOfLabel: [String: Set<Int>] = [:]
        var labelsOfCluster: [Int: Set<String>] = [:]
        for row in try Self.rows() {
            let cluster = miner.mine(row.message).cluster
            clustersOfLabel[row.label, default: []].insert(cluster)
            labelsOfCluster[cluster, default: []].insert(row.label)
        }
        for (label, clusters) in clustersOfLabel { #expect(clusters.count == 1, "\(label) split into \(clusters)") }
        for (cluster, labels) in labelsOfCluster { #expect(labels.count == 1, "cluster \(cluster) mixes \(labels)") }
        let again = miner.mine("Failed password for root from 10.9.8.7 port 22 ssh2")
        #expect(miner.template(ofCluster: again.cluster)?.text == "Failed password for root from <*> port <*> <*>")
    }

    @Test("a short message with one differing word is another event (7 tokens or more may differ in one)")
    func shortMessagesKeepTheirWords() {
        var miner = TemplateMiner()
        let opened = miner.mine("Connection opened to peer")
        let closed = miner.mine("Connection closed to peer")
        #expect(opened.cluster != closed.cluster)
        let long = miner.mine("session for user alice was opened by the login service on tty1")
        let other = miner.mine("session for user bob was opened by the login service on tty2")
        #expect(long.cluster == other.cluster)
    }

    @Test("template ids depend only on the template text, so they survive a restart")
    func stableIDs() {
        var first = TemplateMiner()
        var second = TemplateMiner()
        _ = second.mine("unrelated message number 1")
        let a = first.mine("disk sda1 is 91% full")
        let b = second.mine("disk sda1 is 17% full")
        #expect(a.templateID == b.templateID)
        #expect(a.cluster != b.cluster)
        #expect(first.mine("disk sda1 is 92% full").templateID == a.templateID)
        #expect(!first.mine("disk sda1 is 3% full").isNewTemplate)
    }

    @Test("memory is bounded: past the cap the least recently used template goes")
    func eviction() {
        var miner = TemplateMiner(configuration: .init(maxTemplates: 8))
        for index in 0..<100 {
            let word = String(UnicodeScalar(UInt8(65 + index % 26))) + String(UnicodeScalar(UInt8(65 + index / 26)))
            _ = miner.mine("event \(word) happened")
            _ = miner.mine("keepalive from peer")
        }
        #expect(miner.templateCount <= 8)
        #expect(miner.templates.contains { $0.text == "keepalive from peer" })
    }
}
