import Collector
#if canImport(Glibc)
import Glibc
#endif

/// A /proc tree in a temporary folder with many processes, for timing the collector on a
/// busy server without needing one.
///
/// The host-wide files are copies of this machine's; each process gets a realistic
/// `stat`, `io` and `cmdline`.
final class SyntheticProcRoot {
    let path: String

    init(processes: Int) {
        // Memory-backed like /proc when /dev/shm exists, so the disk's filesystem does not time itself.
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(base)/vigil-bench-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { buffer in
            guard let made = mkdtemp(buffer.baseAddress!) else { return "/tmp/vigil-bench-fallback" }
            return String(cString: made)
        }
        for file in ["stat", "meminfo", "vmstat", "loadavg", "diskstats", "uptime", "cpuinfo", "net/dev", "net/snmp", "net/netstat",
                     "pressure/cpu", "pressure/memory", "pressure/io", "sys/fs/file-nr", "sys/kernel/hostname", "sys/kernel/osrelease",
                     "self/mountinfo"] {
            if let bytes = ProcFile(path: "/proc/" + file, initialCapacity: 65_536).bytes() { write(file, bytes) }
        }
        for index in 0..<processes {
            let pid = 1000 + index
            let name = index % 7 == 0 ? "kworker/\(index % 4):1-events" : "worker \(index % 13)"
            let stat = "\(pid) (\(name)) S 1 \(pid) \(pid) 0 -1 4194560 1520 0 0 0 \(index * 3) \(index) 0 0 20 0 \(1 + index % 8) 0 \(10_000 + index) 123456789 \(2000 + index) 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 \(index % 2) 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
            write("\(pid)/stat", Array(stat.utf8))
            write("\(pid)/io", Array("rchar: 123456\nwchar: 65432\nsyscr: 100\nsyscw: 50\nread_bytes: \(index * 4096)\nwrite_bytes: \(index * 512)\ncancelled_write_bytes: 0\n".utf8))
            write("\(pid)/cmdline", Array("/usr/bin/worker\0--id\0\(index)\0--config\0/etc/worker.conf\0".utf8))
        }
    }

    /// Everything written, so the tree can be removed file by file, deepest last-made first.
    private var made: [String] = []

    deinit {
        for entry in made.reversed() { remove(entry) }
        rmdir(path)
    }

    private func write(_ relative: String, _ bytes: [UInt8]) {
        let file = path + "/" + relative
        var folder = ""
        for part in relative.split(separator: "/").dropLast() {
            folder += "/" + part
            if mkdir(path + folder, 0o755) == 0 { made.append(path + folder) }
        }
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        made.append(file)
        _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }
}
