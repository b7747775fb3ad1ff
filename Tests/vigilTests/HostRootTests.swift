@testable import vigil
import Testing

@Suite("proc and sys roots")
struct HostRootTests {
    @Test("--sys-root and --proc-root, as separate words or after =", arguments: [
        (["--sys-root", "/host/sys"], "/host/sys"),
        (["snapshot", "--sys-root=/mnt/sys", "--proc-root", "/mnt/proc"], "/mnt/sys"),
    ])
    func flags(arguments: [String], sysRoot: String) throws {
        #expect(try Invocation.parse(arguments).sysRoot == sysRoot)
    }

    @Test("[general] sys_root sets it; an empty one is an error naming its line")
    func configKey() throws {
        var settings = Settings()
        let warnings = try settings.apply(try ConfigFile.parse("[general]\nsys_root = /host/sys\n", path: "v.conf"))
        #expect(warnings.isEmpty)
        #expect(settings.sysRoot == "/host/sys")
        var other = Settings()
        #expect(other.sysRoot == "/sys")
        #expect {
            _ = try other.apply(try ConfigFile.parse("[general]\nsys_root = \"\"\n", path: "v.conf"))
        } throws: { error in
            "\(error)".contains("v.conf:2")
        }
    }
}
