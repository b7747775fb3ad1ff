import Collector
import Dashboard
import Detection
import Monitor
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The `vigil` command: chooses the mode and turns errors into messages and exit statuses.
enum Vigil {
    static func main(arguments: [String], environment: [String: String]) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try Invocation.parse(arguments)
        } catch {
            writeError("vigil: \(error)")
            return 2
        }
        switch invocation.mode {
        case .help:
            print(HelpText.usage)
            return 0
        case .version:
            print("vigil \(HelpText.version)")
            return 0
        case .mine:
            return MineCommand.run(input: invocation.mineInput, stats: invocation.stats)
        default:
            break
        }
        let settings: Settings
        do {
            settings = try loadSettings(invocation, environment: environment)
        } catch {
            writeError("vigil: \(error)")
            return 2
        }
        switch invocation.mode {
        case .snapshot:
            return SnapshotCommand.run(settings: settings, json: invocation.json, environment: environment)
        case .score:
            return ScoreCommand.run(invocation)
        case .watch:
            return WatchCommand.run(invocation, settings: settings, environment: environment)
        case .incidents, .show, .acknowledge, .note, .resolve, .silence:
            return IncidentCommands.run(invocation, settings: settings, environment: environment)
        default:
            return runDashboard(settings: settings, environment: environment)
        }
    }

    /// Defaults, then the config file, then the flags.
    static func loadSettings(_ invocation: Invocation, environment: [String: String]) throws(UsageError) -> Settings {
        var settings = Settings()
        if let path = configPath(invocation, environment: environment) {
            let text: String
            switch TextFile.read(path) {
            case .success(let contents): text = contents
            case .failure(let error): throw error
            }
            let file: ConfigFile
            do {
                file = try ConfigFile.parse(text, path: path)
            } catch {
                throw UsageError(error.description)
            }
            for warning in try settings.apply(file) {
                writeError("vigil: warning: \(warning)")
            }
        }
        if let interval = invocation.interval { settings.interval = interval }
        if let procRoot = invocation.procRoot { settings.procRoot = procRoot }
        if let sysRoot = invocation.sysRoot { settings.sysRoot = sysRoot }
        if let theme = invocation.theme { settings.theme = theme }
        if invocation.noColour { settings.colour = false }
        if let path = invocation.databasePath { settings.databasePath = path }
        if !invocation.logPaths.isEmpty { settings.logPaths = invocation.logPaths }
        if invocation.fromStart { settings.logsFromStart = true }
        if let journal = invocation.journal { settings.journal = journal ? .on : .off }
        if !invocation.journalUnits.isEmpty { settings.journalUnits = invocation.journalUnits }
        if let folder = invocation.journalDirectory { settings.journalDirectory = folder }
        if let folder = invocation.textfileDirectory { settings.textfileDirectory = folder }
        if let url = invocation.alertmanagerURL { settings.alertmanagerURL = url }
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { settings.colour = false }
        return settings
    }

    /// `--config`, else `$XDG_CONFIG_HOME/vigil/vigil.conf`, else `/etc/vigil/vigil.conf`;
    /// nil when none exists (defaults apply). A named file that is missing is an error later.
    static func configPath(_ invocation: Invocation, environment: [String: String]) -> String? {
        if let explicit = invocation.configPath { return explicit }
        if let home = ThemeLocator.configHome(environment) {
            let user = home + "/vigil/vigil.conf"
            if TextFile.exists(user) { return user }
        }
        return TextFile.exists("/etc/vigil/vigil.conf") ? "/etc/vigil/vigil.conf" : nil
    }

    static func runDashboard(settings: Settings, environment: [String: String]) -> Int32 {
        if let reason = DashboardSession.unusableTerminalReason(environment: environment) {
            writeError("vigil: \(reason)")
            return 2
        }
        var themes = [Theme.plain]
        switch ThemeLocator.cycle(starting: settings.theme, environment: environment, executable: TextFile.executablePath()) {
        case .success(let (loaded, warnings)):
            themes = loaded
            for warning in warnings { writeError("vigil: warning: \(warning)") }
        case .failure(let error):
            if settings.theme != Settings().theme {
                writeError("vigil: \(error)")
                return 2
            }
            // No theme files at all (a bare binary): attributes only, still readable.
        }
        let mailbox = SnapshotMailbox()
        let monitorSettings = settings.monitorSettings(environment: environment)
        let monitor = Monitor(settings: monitorSettings) { snapshot in
            mailbox.post(snapshot)
        }
        monitor.start()
        let ending = DashboardSession(mailbox: mailbox, themes: themes, useColour: settings.colour, send: { monitor.send($0) }).run()
        monitor.stop()
        switch ending {
        case .quit, .signal:
            return 0
        }
    }
}

/// The process environment as a dictionary; the corresponding C global is `environ`.
enum ProcessEnvironment {
    static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
