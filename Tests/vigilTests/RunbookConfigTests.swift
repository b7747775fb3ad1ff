import Foundation
import Detection
import Telemetry
@testable import vigil
import Testing

@Suite("runbook and forecast config")
struct RunbookConfigTests {
    @Test("[actions.NAME] sections become actions; a broken one is a warning naming its line, and the rest still applies")
    func actions() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/actions.conf")
        var settings = Settings()
        let warnings = try settings.apply(try ConfigFile.parse(try String(contentsOf: url, encoding: .utf8), path: url.path))
        #expect(settings.actions.map(\.name) == ["clean_tmp", "page_oncall"])
        let clean = try #require(settings.actions.first)
        #expect(clean.program == "/usr/local/bin/clean-tmp")
        #expect(clean.arguments == ["--older-than", "7d", "a \"quoted\" word"])
        #expect(clean.kinds == ["storage", "memory"])
        #expect(clean.signals == ["fs./tmp.*"])
        #expect(clean.automatic)
        #expect(clean.timeout == 45)
        #expect(settings.actions[1].automatic == false)
        #expect(settings.actions[1].timeout == 30)
        #expect(warnings.count == 4, "\(warnings)")
        #expect(warnings.contains { $0.contains("actions.conf:17") && $0.contains("not a command line") && $0.contains("'shell_string' left out") })
        #expect(warnings.contains { $0.contains("actions.conf:21") && $0.contains("list of quoted words") })
        #expect(warnings.contains { $0.contains("actions.conf:25") && $0.contains("unknown incident kind 'disks'") })
        #expect(warnings.contains { $0.contains("actions.conf:28") && $0.contains("[actions.clean_tmp]") })
        // The rest of the file still counts.
        #expect(settings.interval == 2)
        #expect(settings.theme == "monochrome")
        #expect(settings.monitorSettings(environment: [:]).actions.count == 2)
        // The dashboard's action list shows the same warnings, where the operator looks for the action.
        #expect(settings.monitorSettings(environment: [:]).actionWarnings == warnings)
    }

    @Test("[forecast] sets the horizons and adds the operator's own limits ahead of the defaults")
    func forecast() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/actions.conf")
        var settings = Settings()
        _ = try settings.apply(try ConfigFile.parse(try String(contentsOf: url, encoding: .utf8), path: url.path))
        #expect(settings.forecast.forecaster.warnWithin == 12 * 3600)
        #expect(settings.forecast.forecaster.criticalWithin == 1800)
        #expect(settings.forecast.targets.prefix(2) == [
            ForecastTarget(pattern: "procs.total", rising: true, limit: .value(30000), outcome: "reaches 30000"),
            ForecastTarget(pattern: "mem.free", rising: false, limit: .value(100_000_000), outcome: "falls to 100000000"),
        ])
        #expect(Array(settings.forecast.targets.dropFirst(2)) == ForecastTarget.defaults)
        var bad = Settings()
        #expect(throws: UsageError.self) { try bad.apply(try ConfigFile.parse("[forecast]\nlimit = procs.total lots\n", path: "x.conf")) }
        #expect(throws: UsageError.self) { try bad.apply(try ConfigFile.parse("[forecast]\nwarn_within = soon\n", path: "x.conf")) }
    }
}
