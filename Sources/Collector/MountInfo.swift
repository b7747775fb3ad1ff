/// One line of /proc/self/mountinfo.
public struct Mount: Hashable, Sendable {
    /// `major:minor` of the filesystem: bind mounts of one filesystem share it.
    public var device: String
    /// Where it is mounted, with the kernel's `\040`-style escapes decoded.
    public var mountPoint: String
    public var fsType: String
    public var source: String

    public init(device: String, mountPoint: String, fsType: String, source: String) {
        self.device = device
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.source = source
    }
}

/// The parsed content of /proc/self/mountinfo, mounts in mount order.
public struct MountInfo: Hashable, Sendable {
    public var mounts: [Mount] = []
    public var malformed = 0

    public init() {}

    /// Filesystem types that hold no files of their own (kernel views, memory-backed or read-only
    /// images that are always full), so their space means nothing to an operator.
    public static let virtualTypes: Set<String> = [
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "securityfs",
        "pstore", "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "bpf",
        "binfmt_misc", "autofs", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "squashfs", "iso9660",
        "udf", "nfsd", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "sockfs", "pipefs",
    ]

    /// Network filesystems: `statvfs` on a dead server blocks, and one tick must never hang.
    public static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "fuse.glusterfs", "afs", "9p",
        "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "lustre", "gpfs", "beegfs",
    ]

    /// The mounts worth a space reading: real filesystems only, each filesystem once (at its
    /// shortest mount point, so a bind mount does not repeat `/`).
    public var realFilesystems: [Mount] {
        var byDevice: [String: Int] = [:]
        var chosen: [Mount] = []
        for mount in mounts where !Self.virtualTypes.contains(mount.fsType) && !Self.networkTypes.contains(mount.fsType) {
            if let index = byDevice[mount.device] {
                if mount.mountPoint.utf8.count < chosen[index].mountPoint.utf8.count { chosen[index] = mount }
            } else {
                byDevice[mount.device] = chosen.count
                chosen.append(mount)
            }
        }
        return chosen
    }

    /// Parses `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> MountInfo {
        var info = MountInfo()
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            var fields = ByteScanner(line)
            _ = fields.token() // mount id
            _ = fields.token() // parent id
            let device = fields.token()
            _ = fields.token() // root within the filesystem
            let mountPoint = fields.token()
            _ = fields.token() // mount options
            var separated = false
            while !fields.isAtEnd {
                let optional = fields.token()
                if optional.isEmpty { break }
                if optional.equals("-") {
                    separated = true
                    break
                }
            }
            let fsType = fields.token()
            let source = fields.token()
            guard separated, !device.isEmpty, !mountPoint.isEmpty, !fsType.isEmpty else {
                if !line.isEmpty { info.malformed += 1 }
                continue
            }
            info.mounts.append(Mount(device: device.text, mountPoint: unescaped(mountPoint), fsType: fsType.text, source: unescaped(source)))
        }
        return info
    }

    /// Decodes the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
    static func unescaped(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.contains(0x5C) else { return bytes.text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x5C, let value = octal(bytes, at: index + 1) {
                out.append(value)
                index += 4
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func octal(_ bytes: UnsafeRawBufferPointer, at start: Int) -> UInt8? {
        guard start + 3 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<3 {
            let digit = bytes[start + offset]
            guard digit >= 0x30 && digit <= 0x37 else { return nil }
            value = value * 8 + UInt32(digit - 0x30)
        }
        return value <= 255 ? UInt8(value) : nil
    }
}
