#if canImport(Glibc)
import Glibc
#endif
import Telemetry

/// Reads the mount table and each real filesystem's space into
/// `fs.MOUNTPOINT.{used_percent,free,size,inodes_used_percent}` (`fs./var.used_percent`).
///
/// The mount table is PROC/self/mountinfo (the host's, PROC/1/mountinfo, when watching a host
/// from a container: see `HostView`). It is parsed again only when its bytes change,
/// which is seldom; the space of each filesystem is asked every tick.
final class FilesystemReader {
    private let file: ProcFile
    private let space: (String) -> FilesystemSpace?
    private var lastTable: [UInt8] = []
    private var filesystems: [Mount] = []
    private var ids = EntitySignalIDs(prefix: "fs", measures: ["used_percent", "free", "size", "inodes_used_percent"])

    /// Where mount points are reached from here: "" normally, the host's root through
    /// `PROC/1/root` when watching a host from a container.
    private let rootPrefix: String

    /// - Parameters:
    ///   - mountInfo: the mount table to read (`HostView`).
    ///   - rootPrefix: put before each mount point when asking for its space.
    ///   - space: asks the kernel about a mount point; tests pass a fake.
    init(mountInfo: String, rootPrefix: String = "", space: @escaping (String) -> FilesystemSpace? = FilesystemSpace.query) {
        file = ProcFile(path: mountInfo, initialCapacity: 16_384)
        self.rootPrefix = rootPrefix
        self.space = space
    }

    convenience init(procRoot: String, space: @escaping (String) -> FilesystemSpace? = FilesystemSpace.query) {
        let view = HostView(procRoot: procRoot)
        self.init(mountInfo: view.mountInfo, rootPrefix: view.rootPrefix, space: space)
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
            guard let space = space(rootPrefix + mount.mountPoint), space.totalBytes > 0 else { continue }
            let names = ids.ids(for: mount.mountPoint)
            report.add(names[0], space.usedPercent, .percent)
            report.add(names[1], Double(space.availableBytes), .bytes)
            report.add(names[2], Double(space.totalBytes), .bytes)
            if let inodes = space.inodesUsedPercent { report.add(names[3], inodes, .percent) }
        }
    }
}

/// Which files describe the host when /proc is not this process's own.
///
/// In a container given the host's /proc at `/host/proc` (`--proc-root`), `PROC/self` is
/// still this process: its mount table and network are the container's. The host's are
/// those of its init, pid 1: `PROC/1/mountinfo` and `PROC/1/net`, as node_exporter reads
/// them; mount points are reached through `PROC/1/root`, so the host's mount table is used
/// only where this process may go there (root, or CAP_SYS_PTRACE). With the usual /proc, or a
/// /proc without a pid 1 (a test fixture), the process's own view is the host's.
struct HostView {
    let mountInfo: String
    let netFolder: String
    let rootPrefix: String

    init(procRoot: String) {
        let foreign = procRoot != "/proc" && access(procRoot + "/1/mountinfo", R_OK) == 0
        // The host's mount table only with a way to reach its mount points: without it their
        // space would be asked of this process's own filesystems under the same names.
        let reachable = foreign && access(procRoot + "/1/root/", X_OK) == 0
        mountInfo = procRoot + (reachable ? "/1/mountinfo" : "/self/mountinfo")
        rootPrefix = reachable ? procRoot + "/1/root" : ""
        netFolder = procRoot + (foreign && access(procRoot + "/1/net/dev", R_OK) == 0 ? "/1/net" : "/net")
    }
}
