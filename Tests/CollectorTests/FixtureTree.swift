import Foundation

/// Paths to the /proc trees captured from real machines, kept beside these tests.
enum FixtureTree {
    static var root: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    }

    static func path(_ name: String) -> String {
        root + "/" + name
    }

    /// The bytes of one fixture file, handed to a parser as the kernel would.
    static func withBytes<T>(_ relative: String, _ body: (UnsafeRawBufferPointer) -> T) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return data.withUnsafeBytes { body($0) }
    }

    static func withBytes<T>(of text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        Array(text.utf8).withUnsafeBytes { body($0) }
    }
}
