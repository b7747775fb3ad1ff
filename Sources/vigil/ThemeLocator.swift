import Dashboard
#if canImport(Glibc)
import Glibc
#endif

/// Finds a theme file by name or path.
///
/// A name is looked up, in order, in `$XDG_CONFIG_HOME/vigil/themes` (the user's
/// own), then the `share/vigil/themes` folder next to an installed binary, then a
/// `themes` folder above the binary (running from a source checkout), then
/// `/usr/local/share/vigil/themes` and `/usr/share/vigil/themes`.
enum ThemeLocator {
    static func folders(environment: [String: String], executable: String?) -> [String] {
        var folders: [String] = []
        if let config = configHome(environment) { folders.append(config + "/vigil/themes") }
        if let executable {
            var directory = parent(executable)
            folders.append(parent(directory) + "/share/vigil/themes")
            for _ in 0..<5 {
                folders.append(directory + "/themes")
                directory = parent(directory)
            }
        }
        folders.append("/usr/local/share/vigil/themes")
        folders.append("/usr/share/vigil/themes")
        return folders
    }

    static func configHome(_ environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config" }
        return nil
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The path of the theme file for `nameOrPath`, or nil when none exists.
    static func path(for nameOrPath: String, environment: [String: String], executable: String?) -> String? {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return TextFile.exists(nameOrPath) ? nameOrPath : nil
        }
        for folder in folders(environment: environment, executable: executable) {
            let candidate = "\(folder)/\(nameOrPath).theme"
            if TextFile.exists(candidate) { return candidate }
        }
        return nil
    }

    /// Every theme name found in the folders, each once (the first folder wins), sorted.
    static func availableNames(environment: [String: String], executable: String?) -> [String] {
        var names = Set<String>()
        for folder in folders(environment: environment, executable: executable) {
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasSuffix(".theme"), !name.hasPrefix(".") { names.insert(name.replacingSuffix(".theme")) }
            }
        }
        return names.sorted()
    }

    /// The chosen theme first, then every other theme found, for `t` to cycle through.
    /// Warnings are returned for the chosen theme only; a broken extra theme is skipped.
    static func cycle(starting nameOrPath: String, environment: [String: String], executable: String?) -> Result<([Theme], [String]), UsageError> {
        switch load(nameOrPath, environment: environment, executable: executable) {
        case .failure(let error):
            return .failure(error)
        case .success(let (first, warnings)):
            var themes = [first]
            for name in availableNames(environment: environment, executable: executable) where name != first.name {
                if case .success(let (theme, problems)) = load(name, environment: environment, executable: executable), problems.isEmpty {
                    themes.append(theme)
                }
            }
            return .success((themes, warnings))
        }
    }

    /// Loads the named theme; problems in the file become warnings, a missing file an error.
    static func load(_ nameOrPath: String, environment: [String: String], executable: String?) -> Result<(Theme, [String]), UsageError> {
        guard let path = path(for: nameOrPath, environment: environment, executable: executable) else {
            return .failure(UsageError("theme '\(nameOrPath)' not found (looked for \(nameOrPath).theme in \(folders(environment: environment, executable: executable).joined(separator: ", ")))"))
        }
        switch TextFile.read(path) {
        case .failure(let error):
            return .failure(error)
        case .success(let text):
            let name = String(path.split(separator: "/").last ?? "theme").replacingSuffix(".theme")
            let (theme, problems) = Theme.parse(text, name: name)
            return .success((theme, problems.map { "\(path):\($0.line): \($0.message)" }))
        }
    }
}

extension String {
    func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
