import Telemetry

/// Reads the mount table and each real filesystem's space into
/// `fs.MOUNTPOINT.{used_percent,free,size,inodes_used_percent}` (`fs./var.used_percent`).
///
/// The mount table is PROC/self/mountinfo. It is parsed again only when its bytes change,
/// which is seldom; the space of each filesystem is asked every tick.
final class FilesystemReader {
    private let file: ProcFile
    private let space: (String) -> FilesystemSpace?
    private var lastTable: [UInt8] = []
    private var filesystems: [Mount] = []
    private var ids = EntitySignalIDs(prefix: "fs", measures: ["used_percent", "free", "size", "inodes_used_percent"])

    /// - Parameter space: asks the kernel about a mount point; tests pass a fake.
    init(procRoot: String, space: @escaping (String) -> FilesystemSpace? = FilesystemSpace.query) {
        file = ProcFile(path: procRoot + "/self/mountinfo", initialCapacity: 16_384)
        self.space = space
    }

    func read(into report: inout TickReport) {
        let changed = file.withContents { bytes -> Bool in
            if bytes.elementsEqual(lastTable) { return false }
            lastTable = Array(bytes)
            let info = MountInfo.parse(bytes)
            report.malformed += info.malformed
            filesystems = info.realFilesystems
            return true
        }
        guard changed != nil else {
            report.missing("mountinfo", file)
            lastTable = []
            filesystems = []
            return
        }
        for mount in filesystems {
            // A mount that vanished between the table and the query is simply not reported.
            guard let space = space(mount.mountPoint), space.totalBytes > 0 else { continue }
            let names = ids.ids(for: mount.mountPoint)
            report.add(names[0], space.usedPercent, .percent)
            report.add(names[1], Double(space.availableBytes), .bytes)
            report.add(names[2], Double(space.totalBytes), .bytes)
            if let inodes = space.inodesUsedPercent { report.add(names[3], inodes, .percent) }
        }
    }
}
