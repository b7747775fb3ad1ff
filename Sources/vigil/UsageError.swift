/// A mistake on the command line or in the configuration: printed as one line, exit status 2.
struct UsageError: Error, Hashable, Sendable, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
