/// The parsed content of /proc/sys/fs/file-nr: `allocated  free  maximum` file handles.
public struct FileHandles: Hashable, Sendable {
    /// Handles in use: allocated minus free (free is always 0 since kernel 2.6).
    public var open: UInt64
    public var maximum: UInt64

    public init(open: UInt64, maximum: UInt64) {
        self.open = open
        self.maximum = maximum
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> FileHandles? {
        var scanner = ByteScanner(bytes)
        guard let allocated = scanner.unsigned(), let free = scanner.unsigned(), let maximum = scanner.unsigned() else {
            return nil
        }
        return FileHandles(open: allocated &- min(allocated, free), maximum: maximum)
    }
}
