import Testing

@testable import Detection

/// Each kind of variable the miner masks, as one message in and the masked tokens out.
@Suite struct MessageTokensTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let kind: String
        let message: String
        let masked: String
        var testDescription: String { "\(kind): \(message)" }
    }

    static let cases: [Case] = [
        Case(kind: "integer", message: "retrying 3 times", masked: "retrying <*> times"),
        Case(kind: "negative integer", message: "boot = -107", masked: "boot = <*>"),
        Case(kind: "decimal", message: "load 0.75 avg", masked: "load <*> avg"),
        Case(kind: "hex with 0x", message: "stack @0x7fed806eb5d", masked: "stack @<*>"),
        Case(kind: "bare hex", message: "commit 3f9a2c7e1b", masked: "commit <*>"),
        Case(kind: "IPv4", message: "from 10.100.20.250 ok", masked: "from <*> ok"),
        Case(kind: "IPv4 with port", message: "connect /10.10.34.11:45307", masked: "connect /<*>"),
        Case(kind: "IPv6", message: "peer fe80::1ff:fe23:4567:890a up", masked: "peer <*> up"),
        Case(kind: "UUID", message: "job 550e8400-e29b-41d4-a716-446655440000 done", masked: "job <*> done"),
        Case(kind: "MAC", message: "to 00:11:43:e3:ba:c3 via eth1", masked: "to <*> via <*>"),
        Case(kind: "absolute path", message: "open /var/log/syslog failed", masked: "open <*> failed"),
        Case(kind: "relative path", message: "read ./conf/app.yaml", masked: "read <*>"),
        Case(kind: "home path", message: "read ~/notes.txt", masked: "read <*>"),
        Case(kind: "Windows path", message: #"load C:\Windows\System32\cbs.dll now"#, masked: "load <*> now"),
        Case(kind: "URL", message: "GET https://example.com/a?b=c returned", masked: "GET <*> returned"),
        Case(kind: "e-mail", message: "mail to ops@example.com sent", masked: "mail to <*> sent"),
        Case(kind: "duration glued", message: "done in 12ms", masked: "done in <*>"),
        Case(kind: "duration with unit", message: "done (12 ms)", masked: "done (<*>)"),
        Case(kind: "size with unit", message: "size 850.0 B, free 5.2 KB)", masked: "size <*>, free <*>)"),
        Case(kind: "double-quoted", message: #"tag="View Lock" set"#, masked: #"tag="<*>" set"#),
        Case(kind: "quoted with spaces", message: #"said "hello big world" twice"#, masked: #"said "<*>" twice"#),
        Case(kind: "single-quoted", message: "service 'sparkDriver' on", masked: "service '<*>' on"),
        Case(kind: "key=value", message: "login user=alice ok", masked: "login user=<*> ok"),
        Case(kind: "key=value list", message: "state ready=true,policy=3", masked: "state ready=<*>"),
        Case(kind: "key=value in brackets", message: "state (HWID=1973)", masked: "state (HWID=<*>)"),
        Case(kind: "prefixed id", message: "block blk_-6952295868487656571 ok", masked: "block blk_<*> ok"),
        Case(kind: "dotted id", message: "generating core.1234", masked: "generating core.<*>"),
        Case(kind: "word with digits", message: "attempt_1445144423722_0020_m_000000_0 done", masked: "attempt_<*>_m_<*> done"),
        Case(kind: "timestamp", message: "at 2017-12-23 22:15:29,606", masked: "at <*> <*>"),
        Case(kind: "punctuation kept", message: "(TID 1340). done", masked: "(TID <*>). done"),
        Case(kind: "plain words", message: "session closed for user root", masked: "session closed for user root"),
        Case(kind: "wildcard stays", message: "block blk_<*> of <*>", masked: "block blk_<*> of <*>"),
        Case(kind: "whitespace runs", message: "  a \t b  ", masked: "a b"),
    ]

    @Test(arguments: cases)
    func masksVariables(_ example: Case) {
        #expect(MessageTokens.masked(example.message).joined(separator: " ") == example.masked)
    }

    /// A template's text masks to itself, which is what lets a miner be restored from saved templates.
    @Test(arguments: cases)
    func maskingIsIdempotent(_ example: Case) {
        let once = MessageTokens.masked(example.message).joined(separator: " ")
        #expect(MessageTokens.masked(once).joined(separator: " ") == once)
    }

    @Test func wildcardHashIsTheHashOfTheWildcard() {
        var hash = FNV1a()
        for byte in "<*>".utf8 { hash.add(byte) }
        #expect(hash.value == MessageTokens.wildcardHash)
        var tokens = MessageTokens()
        tokens.tokenize("<*>")
        #expect(tokens.hashes == [MessageTokens.wildcardHash])
    }

    @Test func longMessagesFoldIntoAFinalWildcard() {
        var tokens = MessageTokens(maxTokens: 8)
        tokens.tokenize((1...100).map { "w\($0)x" }.joined(separator: " "))
        #expect(tokens.count == 8)
        #expect(tokens.text(at: 7) == "<*>")
    }

    @Test func emptyAndBlankMessagesHaveNoTokens() {
        #expect(MessageTokens.masked("").isEmpty)
        #expect(MessageTokens.masked(" \t ").isEmpty)
    }

    @Test func unclosedQuoteStaysOneWord() {
        #expect(MessageTokens.masked(#"say "hi there"#) == ["say", #""hi"#, "there"])
    }
}
