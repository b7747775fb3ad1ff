import Testing

@testable import Detection

@Suite struct TemplateMinerTests {
    /// A small labelled log: messages with the same label are one event and must share a cluster;
    /// different labels must not. Drawn from the kinds of lines LogHub's systems write, plus the cases
    /// Drain is known to get wrong (variable first word, short lines, `key=value`, units).
    static let labelled: [(label: String, message: String)] = [
        ("recv", "Receiving block blk_38865049064139660 src: /10.251.42.84:57069 dest: /10.251.42.84:50010"),
        ("recv", "Receiving block blk_-6952295868487656571 src: /10.250.19.102:54106 dest: /10.250.19.102:50010"),
        ("term", "PacketResponder 1 for block blk_38865049064139660 terminating"),
        ("term", "PacketResponder 0 for block blk_-6952295868487656571 terminating"),
        ("open", "session opened for user root by (uid=0)"),
        ("close", "session closed for user root (uid=0) after 3 s"),
        ("open", "session opened for user news by (uid=9)"),
        ("close", "session closed for user news (uid=9) after 12 s"),
        ("sync", "synchronized to 10.100.20.250, stratum 3"),
        ("sync", "synchronized to 10.100.18.250, stratum 2"),
        ("fan", "Fan speeds ( 3552 3534 3375 3515 3479 )"),
        ("fan", "Fan speeds ( 3552 3534 3380 3515 3479 )"),
        ("core", "generating core.4900"),
        ("core", "generating core.58351"),
        ("task", "Finished task 20.0 in stage 29.0 (TID 1340). 2128 bytes result sent to driver"),
        ("task", "Finished task 3.0 in stage 26.0 (TID 1203). 2703 bytes result sent to driver"),
        ("store", "Block rdd_2_2 stored as bytes in memory (estimated size 850.0 B, free 320.3 KB)"),
        ("store", "Block rdd_26_3 stored as bytes in memory (estimated size 5.2 KB, free 14.0 MB)"),
        ("lock", #"acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227"#),
        ("lock", #"acquire lock=1666, flags=0x1, tag="RILJ_ACK_WL", name=com.android.phone, ws=null, uid=1001, pid=2626"#),
        ("start", "Starting the TrustedInstaller main loop."),
        ("end", "Ending the TrustedInstaller main loop."),
        ("client", "Session: 30546173_4261722401 initialized by client WindowsUpdateAgent."),
        ("client", "Session: 30546174_4261722402 initialized by client WindowsUpdateAgent."),
        ("spp", "Session: 11152_142416105 initialized by client SPP."),
        ("csi", "00000001@2016/9/27:20:30:31.455 WcpInitialize (wcp.dll version 0.0.0.6) called"),
        ("csi", "00000002@2016/9/27:20:30:32.011 WcpInitialize (wcp.dll version 0.0.0.6) called"),
        ("steps", "onStandStepChanged 3579"),
        ("steps", "onStandStepChanged 3580"),
        ("total", "setTodayTotalDetailSteps=1514038440000##7007##548365##8661##12361##27173954"),
        ("diff", "setDiffTotalSteps=0"),
        ("empty", ""),
        ("empty", "   "),
    ]

    @Test func groupsTheLabelledLog() {
        var miner = TemplateMiner()
        let clusters = Self.labelled.map { miner.mine($0.message).cluster }
        for i in Self.labelled.indices {
            for j in Self.labelled.indices where j > i {
                let same = Self.labelled[i].label == Self.labelled[j].label
                #expect(
                    (clusters[i] == clusters[j]) == same,
                    "\(Self.labelled[i].message) / \(Self.labelled[j].message)")
            }
        }
    }

    @Test func templatesMaskTheVariables() {
        var miner = TemplateMiner()
        _ = miner.mine("PacketResponder 1 for block blk_38865049064139660 terminating")
        let second = miner.mine("PacketResponder 0 for block blk_-6952295868487656571 terminating")
        #expect(miner.template(ofCluster: second.cluster)?.text == "PacketResponder <*> for block blk_<*> terminating")
        #expect(second.templateID == TemplateID(templateText: "PacketResponder <*> for block blk_<*> terminating"))
        #expect(miner.templates.map(\.count) == [2])
    }

    @Test func generalisingKeepsTheClusterNumber() {
        var miner = TemplateMiner(configuration: .init(similarityThreshold: 0.6))
        let first = miner.mine("Accepted password for alice from 10.0.0.1 port 22 ssh2")
        let second = miner.mine("Accepted password for bob from 10.0.0.2 port 22 ssh2")
        #expect(first.isNewTemplate)
        #expect(!second.isNewTemplate)
        #expect(second.isGeneralised)
        #expect(second.cluster == first.cluster)
        #expect(second.templateID != first.templateID)
        #expect(miner.template(ofCluster: first.cluster)?.text == "Accepted password for <*> from <*> port <*> <*>")
        let third = miner.mine("Accepted password for carol from 10.0.0.3 port 22 ssh2")
        #expect(third.cluster == first.cluster && third.templateID == second.templateID && !third.isGeneralised)
    }

    @Test func stringAndBytesAgree() {
        var byString = TemplateMiner()
        var byBytes = TemplateMiner()
        for (_, message) in Self.labelled {
            var copy = message
            let viaBytes = copy.withUTF8 { byBytes.mine(bytes: UnsafeRawBufferPointer($0)) }
            #expect(byString.mine(message) == viaBytes)
        }
    }

    @Test func repeatsAreRecognisedWithoutChangingTheTemplate() {
        var miner = TemplateMiner()
        let first = miner.mine("generating core.4900")
        let again = miner.mine("generating core.4900")
        #expect(again == MinedMessage(cluster: first.cluster, templateID: first.templateID, isNewTemplate: false, isGeneralised: false))
        #expect(miner.templates.first?.count == 2)
    }

    @Test func evictsTheLeastRecentlyUsedTemplate() {
        var miner = TemplateMiner(configuration: .init(maxTemplates: 3))
        let a = miner.mine("alpha event happened")
        _ = miner.mine("bravo thing")
        _ = miner.mine("charlie one two three")
        _ = miner.mine("alpha event happened")  // alpha is now the most recent
        _ = miner.mine("delta")                 // evicts bravo
        #expect(miner.templateCount == 3)
        #expect(Set(miner.templates.map(\.text)) == ["alpha event happened", "charlie one two three", "delta"])
        #expect(miner.mine("alpha event happened").cluster == a.cluster)
        let bravo = miner.mine("bravo thing")
        #expect(bravo.isNewTemplate)
        #expect(bravo.cluster == 5)  // numbers are never reused
        #expect(miner.templateCount == 3)
    }

    @Test func restoresFromSavedTemplates() {
        var miner = TemplateMiner()
        let messages = Self.labelled.map(\.message)
        let before = messages.map { miner.mine($0) }
        var restored = TemplateMiner(restoring: miner.templates)
        #expect(restored.templates == miner.templates)
        for (message, old) in zip(messages, before) {
            let now = restored.mine(message)
            #expect(now.cluster == old.cluster)
            #expect(!now.isNewTemplate)
        }
        #expect(restored.mine("a message never seen before").cluster == miner.templates.map(\.clusterNumber).max()! + 1)
    }
}
