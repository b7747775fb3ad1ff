import Telemetry
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The processes under PROC, sampled each tick as htop samples them, at a few microseconds each.
///
/// Each process's `stat` (and `io`, when readable) stays open and is re-read with `pread`
/// into one shared buffer, so a tick costs one or two syscalls per process. A pid is one
/// process only together with its start time: when the kernel reuses a pid, the old
/// descriptor fails (ESRCH) or the start time differs, and the entry starts over.
/// Command line and user are read once per process, again only when the name changes
/// (an `exec` after `fork`).
final class ProcessTable {
    /// How many processes each top list keeps.
    static let topCount = 10

    private struct Entry {
        var startTime: UInt64
        /// -1 when over the descriptor budget: then the file is opened for each read.
        var statFD: Int32
        var ioFD: Int32
        /// False once /proc/PID/io was refused (another user's process): not asked again.
        var ioReadable: Bool
        var name: String
        var command: String
        var user: String
        var cpuTicks: UInt64
        var readBytes: UInt64
        var writeBytes: UInt64
        var generation: UInt64
        var state: UInt8 = 0
        var threads = 0
        var residentBytes: UInt64 = 0
        var cpuPercent = 0.0
        var readRate: Double?
        var writeRate: Double?
        /// When /proc/PID/io was last read; nil before the first read.
        var ioTime: Double?
    }

    /// Longest time a process's I/O counters go unread. A process that used no CPU and is
    /// neither running nor blocked issued no I/O of its own, so its `io` is read only this
    /// often: the counters are cumulative, so nothing is lost, and an idle server's tick
    /// costs one read per process instead of two.
    static let idleIORefresh = 5.0

    let procRoot: String
    private var directory: OpaquePointer?
    private var entries: [Int32: Entry] = [:]
    private var buffer: UnsafeMutableRawBufferPointer
    private var userNames: [UInt32: String] = [:]
    private var generation: UInt64 = 0
    private var openDescriptors = 0
    private let descriptorBudget: Int
    private let clockTicks: Double
    private let pageSize: UInt64
    /// Lines of /proc/PID/stat that did not parse, since the start.
    private(set) var malformed = 0

    init(procRoot: String) {
        self.procRoot = procRoot
        buffer = .allocate(byteCount: 16_384, alignment: 8)
        clockTicks = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
        pageSize = UInt64(max(1, sysconf(Int32(_SC_PAGESIZE))))
        descriptorBudget = Self.raiseDescriptorLimit() / 2
    }

    deinit {
        for entry in entries.values { closeFiles(of: entry) }
        if let directory { closedir(directory) }
        buffer.deallocate()
    }

    /// Raises the soft limit on open files toward the hard one (at most 65,536) and returns
    /// how many descriptors the table may keep: the default soft limit of 1,024 would cap
    /// kept-open files at a few hundred processes. Above the budget files are opened per read.
    private static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
        let wanted = min(limit.rlim_max, 65_536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        // Leave room for everything else Vigil opens (logs, the database, the terminal).
        return max(0, Int(min(limit.rlim_cur, 1 << 20)) - 256)
    }

    private var tickTime = 0.0
    /// The latest start time among the processes of the previous scan: a process that started
    /// later was born within the interval. One merely missed before (a failed read) was not,
    /// and must not have its whole lifetime's CPU counted as this interval's.
    private var newestStart: UInt64 = 0
    private var newestStartThisScan: UInt64 = 0

    /// Samples every process.
    /// - Parameters:
    ///   - time: the tick's time in seconds; `elapsed`: seconds since the previous tick, nil on the first.
    /// - Returns: nil when PROC cannot be listed.
    func read(time: Double, elapsed: Double?, into report: inout TickReport) -> ProcessSummary? {
        tickTime = time
        if let directory {
            rewinddir(directory)
        } else {
            directory = opendir(procRoot)
        }
        guard let directory else {
            report.unavailable["processes"] = String(cString: strerror(errno))
            return nil
        }
        let firstScan = generation == 0
        generation &+= 1
        var summary = ProcessSummary()
        var byCPU = TopList(capacity: Self.topCount)
        var byMemory = TopList(capacity: Self.topCount)
        var byIO = TopList(capacity: Self.topCount)
        var seen = 0
        summary.all.reserveCapacity(entries.count + 16)
        newestStartThisScan = newestStart
        while let item = readdir(directory) {
            guard let pid = Self.pid(of: item) else { continue }
            guard let entry = sample(pid: pid, elapsed: elapsed, newIsRecent: !firstScan) else { continue }
            seen += 1
            summary.all.append(processSample(entry, pid: pid))
            summary.total += 1
            summary.threads += entry.threads
            switch entry.state {
            case UInt8(ascii: "R"): summary.running += 1
            case UInt8(ascii: "D"): summary.blocked += 1
            case UInt8(ascii: "Z"): summary.zombie += 1
            default: break
            }
            if entry.cpuPercent > 0 { byCPU.offer(entry.cpuPercent, pid) }
            byMemory.offer(Double(entry.residentBytes), pid)
            if let read = entry.readRate, let write = entry.writeRate, read + write > 0 {
                byIO.offer(read + write, pid)
            }
        }
        if seen < entries.count { sweep() }
        newestStart = newestStartThisScan
        report.malformed += malformed
        malformed = 0
        summary.topByCPU = byCPU.pids.compactMap { processSample($0) }
        summary.topByMemory = byMemory.pids.compactMap { processSample($0) }
        summary.topByIO = byIO.pids.compactMap { processSample($0) }
        report.add("procs.total", Double(summary.total), .count)
        report.add("procs.running", Double(summary.running), .count)
        report.add("procs.blocked", Double(summary.blocked), .count)
        report.add("procs.zombie", Double(summary.zombie), .count)
        report.add("procs.threads", Double(summary.threads), .count)
        return summary
    }

    /// The pid a directory entry names, or nil for `self`, `net`, `meminfo` and the rest.
    private static func pid(of item: UnsafeMutablePointer<dirent>) -> Int32? {
        let type = item.pointee.d_type
        guard type == UInt8(DT_DIR) || type == UInt8(DT_UNKNOWN) else { return nil }
        return withUnsafeBytes(of: &item.pointee.d_name) { name -> Int32? in
            var value: Int32 = 0
            var index = 0
            while index < name.count, name[index] != 0 {
                let byte = name[index]
                guard byte >= 0x30 && byte <= 0x39, value < 100_000_000 else { return nil }
                value = value * 10 + Int32(byte - 0x30)
                index += 1
            }
            return index > 0 ? value : nil
        }
    }

    /// Reads one process; returns its updated entry, or nil when it vanished or did not parse.
    private func sample(pid: Int32, elapsed: Double?, newIsRecent: Bool) -> Entry? {
        if let index = entries.index(forKey: pid) {
            var entry = entries.values[index]
            let count = entry.statFD >= 0 ? readAll(entry.statFD) : readFile(pid, "stat")
            if let count {
                if let stat = ProcessStat.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                    if stat.startTime == entry.startTime {
                        let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[stat.nameRange])
                        if !nameBytes.elementsEqual(entry.name.utf8) {
                            // The same process under a new name: it called exec, so its command line changed too.
                            entry.name = nameBytes.text
                            entry.command = command(pid: pid, name: entry.name)
                        }
                        update(&entry, pid: pid, stat: stat, elapsed: elapsed)
                        entries.values[index] = entry
                        return entry
                    }
                } else {
                    malformed += 1
                }
            }
            // Gone, or the pid now belongs to another process: forget the old one.
            closeFiles(of: entry)
            entries.remove(at: index)
        }
        return admit(pid: pid, elapsed: elapsed, newIsRecent: newIsRecent)
    }

    /// Starts following a process the table has not seen.
    private func admit(pid: Int32, elapsed: Double?, newIsRecent: Bool) -> Entry? {
        let statFD = open("\(procRoot)/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard statFD >= 0 else { return nil }
        guard let count = readAll(statFD) else {
            close(statFD)
            return nil
        }
        guard let stat = ProcessStat.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else {
            malformed += 1
            close(statFD)
            return nil
        }
        let name = UnsafeRawBufferPointer(rebasing: buffer[stat.nameRange]).text
        let recent = newIsRecent && stat.startTime > newestStart
        newestStartThisScan = max(newestStartThisScan, stat.startTime)
        var owner = Glibc.stat()
        let user = fstat(statFD, &owner) == 0 ? userName(owner.st_uid) : ""
        var entry = Entry(
            startTime: stat.startTime, statFD: -1, ioFD: -1, ioReadable: true, name: name,
            command: command(pid: pid, name: name), user: user,
            // A process that appeared since the last scan started within the interval: all of
            // its CPU time and I/O belong to it. On the first scan there is no interval yet.
            cpuTicks: recent ? 0 : stat.cpuTicks, readBytes: 0, writeBytes: 0, generation: generation,
            ioTime: recent ? elapsed.map { tickTime - $0 } : nil
        )
        if openDescriptors + 2 <= descriptorBudget {
            entry.statFD = statFD
            openDescriptors += 1
            let ioFD = open("\(procRoot)/\(pid)/io", O_RDONLY | O_CLOEXEC)
            if ioFD >= 0 {
                entry.ioFD = ioFD
                openDescriptors += 1
            }
        } else {
            close(statFD)
        }
        update(&entry, pid: pid, stat: stat, elapsed: elapsed)
        entries[pid] = entry
        return entry
    }

    private func update(_ entry: inout Entry, pid: Int32, stat: ProcessStat, elapsed: Double?) {
        entry.generation = generation
        entry.state = stat.state
        entry.threads = stat.threads
        entry.residentBytes = stat.residentPages &* pageSize
        let ran = stat.cpuTicks != entry.cpuTicks
        if let elapsed, elapsed > 0 {
            entry.cpuPercent = Double(counterDelta(from: entry.cpuTicks, to: stat.cpuTicks)) / clockTicks / elapsed * 100
        }
        entry.cpuTicks = stat.cpuTicks
        guard entry.ioReadable else { return }
        let active = ran || stat.state == UInt8(ascii: "R") || stat.state == UInt8(ascii: "D")
        if !active, let last = entry.ioTime, tickTime - last < Self.idleIORefresh {
            // Idle since the last read: no I/O of its own in this interval.
            entry.readRate = 0
            entry.writeRate = 0
            return
        }
        guard let io = readIO(pid: pid, entry: &entry) else {
            entry.readRate = nil
            entry.writeRate = nil
            return
        }
        if let last = entry.ioTime, tickTime > last {
            entry.readRate = rate(entry.readBytes, io.readBytes, tickTime - last)
            entry.writeRate = rate(entry.writeBytes, io.writeBytes, tickTime - last)
        }
        entry.readBytes = io.readBytes
        entry.writeBytes = io.writeBytes
        entry.ioTime = tickTime
    }

    /// Reads /proc/PID/io, or nil when it is refused; a refusal is remembered.
    private func readIO(pid: Int32, entry: inout Entry) -> ProcessIO? {
        guard entry.ioReadable else { return nil }
        let count = entry.ioFD >= 0 ? readAll(entry.ioFD) : readFile(pid, "io")
        guard let count, let io = ProcessIO.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) else {
            // EACCES for another user's process when not root: the field stays empty.
            entry.ioReadable = false
            if entry.ioFD >= 0 {
                close(entry.ioFD)
                entry.ioFD = -1
                openDescriptors -= 1
            }
            return nil
        }
        return io
    }

    private func command(pid: Int32, name: String) -> String {
        guard let count = readFile(pid, "cmdline") else { return "[\(name)]" }
        let line = ProcessCommandLine.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        return line.isEmpty ? "[\(name)]" : line
    }

    private func userName(_ uid: uid_t) -> String {
        if let known = userNames[uid] { return known }
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var scratch = [CChar](repeating: 0, count: 1024)
        var name = "\(uid)"
        if getpwuid_r(uid, &record, &scratch, scratch.count, &result) == 0, result != nil, let pointer = record.pw_name {
            name = String(cString: pointer)
        }
        userNames[uid] = name
        return name
    }

    /// Drops the processes not seen in this scan: they exited.
    private func sweep() {
        // Collected first: removing while iterating would copy the whole table.
        var gone: [Int32] = []
        for (pid, entry) in entries where entry.generation != generation {
            closeFiles(of: entry)
            gone.append(pid)
        }
        for pid in gone { entries[pid] = nil }
    }

    private func closeFiles(of entry: Entry) {
        if entry.statFD >= 0 {
            close(entry.statFD)
            openDescriptors -= 1
        }
        if entry.ioFD >= 0 {
            close(entry.ioFD)
            openDescriptors -= 1
        }
    }

    private func processSample(_ pid: Int32) -> ProcessSample? {
        guard let entry = entries[pid] else { return nil }
        return processSample(entry, pid: pid)
    }

    private func processSample(_ entry: Entry, pid: Int32) -> ProcessSample {
        ProcessSample(
            pid: pid, startTime: entry.startTime, name: entry.name, command: entry.command, user: entry.user,
            state: String(UnicodeScalar(entry.state)), threads: entry.threads, cpuPercent: entry.cpuPercent,
            residentBytes: entry.residentBytes, readBytesPerSecond: entry.readRate, writeBytesPerSecond: entry.writeRate
        )
    }

    /// Opens, reads and closes PROC/PID/NAME.
    private func readFile(_ pid: Int32, _ name: String) -> Int? {
        let descriptor = open("\(procRoot)/\(pid)/\(name)", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return readAll(descriptor)
    }

    /// Reads a whole file from offset 0 into the shared buffer; the corresponding C function is `pread`.
    private func readAll(_ descriptor: Int32) -> Int? {
        var filled = 0
        while true {
            let got = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(filled))
            if got < 0 {
                if errno == EINTR { continue }
                return nil
            }
            filled += got
            if got == 0 || filled < buffer.count { return filled }
            // Long command lines: grow, up to a sane bound.
            guard buffer.count < 1 << 20 else { return filled }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 8)
            bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = bigger
        }
    }
}

/// The pids with the largest values seen, largest first, without sorting the whole table.
struct TopList {
    let capacity: Int
    private var values: [Double] = []
    private(set) var pids: [Int32] = []

    init(capacity: Int) {
        self.capacity = capacity
        values.reserveCapacity(capacity + 1)
        pids.reserveCapacity(capacity + 1)
    }

    mutating func offer(_ value: Double, _ pid: Int32) {
        guard value.isFinite else { return }
        if values.count == capacity, let smallest = values.last, value <= smallest { return }
        var index = values.count
        while index > 0, values[index - 1] < value { index -= 1 }
        values.insert(value, at: index)
        pids.insert(pid, at: index)
        if values.count > capacity {
            values.removeLast()
            pids.removeLast()
        }
    }
}
