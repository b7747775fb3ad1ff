import Collector
import Detection
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// The log benchmarks of issue 4: the miner alone, the whole path from a growing
/// file, and memory once the templates are learnt.
enum LogBenchmarks {
    /// The LogHub sets the corpus is made of; their Content columns, one message per line.
    static let systems = ["Android", "BGL", "HDFS", "HPC", "Hadoop", "HealthApp", "Spark", "Thunderbird", "Windows", "Zookeeper"]

    /// `../shared/data/loghub` from the repository, else the shared absolute path.
    static func dataDirectory() -> String? {
        var candidates: [String] = []
        if let cwd = getcwd(nil, 0) {
            candidates.append(String(cString: cwd) + "/../shared/data/loghub")
            free(cwd)
        }
        candidates.append("/work/shared/data/loghub")
        return candidates.first { access($0 + "/HDFS/HDFS_2k.log_structured.csv", R_OK) == 0 }
    }

    /// The Content column of every set, one message per line.
    static func corpus(from directory: String) -> [[UInt8]] {
        var messages: [[UInt8]] = []
        for system in systems {
            guard let bytes = readFile("\(directory)/\(system)/\(system)_2k.log_structured.csv") else { continue }
            messages += contentColumn(bytes)
        }
        return messages
    }

    /// The `Content` field of each row of a CSV file (RFC 4180 quoting).
    static func contentColumn(_ bytes: [UInt8]) -> [[UInt8]] {
        var rows: [[[UInt8]]] = []
        var row: [[UInt8]] = []
        var field: [UInt8] = []
        var quoted = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == 0x22 {
                    if index + 1 < bytes.count, bytes[index + 1] == 0x22 { field.append(0x22); index += 1 } else { quoted = false }
                } else {
                    field.append(byte == 0x0A ? 0x20 : byte)
                }
            } else if byte == 0x22 {
                quoted = true
            } else if byte == 0x2C {
                row.append(field); field = []
            } else if byte == 0x0A {
                row.append(field); field = []
                rows.append(row); row = []
            } else if byte != 0x0D {
                field.append(byte)
            }
            index += 1
        }
        guard let header = rows.first, let column = header.firstIndex(of: Array("Content".utf8)) else { return [] }
        return rows.dropFirst().compactMap { $0.count > column ? $0[column] : nil }
    }

    static func run(onlyWholePath: Bool = false) {
        guard let directory = dataDirectory() else {
            print("bench=miner skipped=\"no LogHub data at ../shared/data/loghub\"")
            return
        }
        let messages = corpus(from: directory)
        guard !messages.isEmpty else {
            print("bench=miner skipped=\"no Content columns found in \(directory)\"")
            return
        }
        let repeats = max(1, 1_000_000 / messages.count)
        var file: [UInt8] = []
        for _ in 0..<repeats {
            for message in messages { file += message; file.append(0x0A) }
        }
        let path = "/tmp/vigil-bench-\(getpid()).log"
        defer { unlink(path) }
        writeFile(path, file)
        if onlyWholePath {
            benchWholePath(path: path + ".grow", messages: messages, lines: messages.count * repeats)
            return
        }
        benchMiner(file: file, lines: messages.count * repeats)
        benchWholePath(path: path + ".grow", messages: messages, lines: messages.count * repeats)
        benchMemory(file: file)
    }

    /// The miner over the whole file, as `vigil mine` runs it: one core, lines already in memory.
    static func benchMiner(file: [UInt8], lines: Int) {
        var miner = TemplateMiner()
        var checksum = 0
        let start = threadCPUTime()
        file.withUnsafeBytes { all in
            var begin = 0
            while begin < all.count {
                let end = LineAssembler.index(of: 0x0A, in: all, from: begin) ?? all.count
                checksum &+= miner.mine(bytes: UnsafeRawBufferPointer(rebasing: all[begin..<end])).cluster
                begin = end + 1
            }
        }
        let seconds = threadCPUTime() - start
        print("bench=miner lines=\(lines) templates=\(miner.templateCount) cpu_seconds=\(HumanReadable.fixed(seconds, decimals: 3)) lines_per_second=\(Int(Double(lines) / seconds)) checksum=\(checksum % 1000)")
    }

    /// Tail → parse → mine while another thread appends to the file, as a busy server does.
    static func benchWholePath(path: String, messages: [[UInt8]], lines: Int) {
        unlink(path)
        defer { unlink(path) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        // The writer: syslog-framed lines, appended in chunks of about 64 KiB.
        let writer = Writer(descriptor: descriptor, messages: messages, lines: lines)
        let sources = LogSources(patterns: [path], fromStart: true)
        var miner = TemplateMiner()
        // The live path does the log detector's work on every line too (its known-critical
        // phrases, error counts, per-template counts), and a step per poll.
        var detector = LogDetector()
        var read = 0
        var errors = 0
        var started = 0.0
        writer.start()
        started = monotonic()
        let cpuStarted = threadCPUTime()
        while read < lines {
            var got = 0
            let now = wallClock()
            sources.poll(now: now) { record, message in
                let mined = miner.mine(bytes: message)
                var record = record
                record.templateID = mined.templateID.rawValue
                detector.observe(record, isNewTemplate: mined.isNewTemplate, at: now)
                if record.severity >= .error { errors += 1 }
                got += 1
            }
            _ = detector.step(at: now)
            read += got
            if got == 0 { usleep(500) }
            if monotonic() - started > 60 { break }
        }
        let seconds = monotonic() - started
        let cpu = threadCPUTime() - cpuStarted
        writer.join()
        close(descriptor)
        print("bench=tail_parse_mine_detect lines=\(read) seconds=\(HumanReadable.fixed(seconds, decimals: 3)) lines_per_second=\(Int(Double(read) / seconds)) reader_cpu_seconds=\(HumanReadable.fixed(cpu, decimals: 3)) lines_per_cpu_second=\(Int(Double(read) / cpu)) error_lines=\(errors) templates=\(miner.templateCount)")
    }

    /// Resident memory after learning the templates, then after five more passes over the same file.
    static func benchMemory(file: [UInt8]) {
        var miner = TemplateMiner()
        func pass() {
            file.withUnsafeBytes { all in
                var begin = 0
                while begin < all.count {
                    let end = LineAssembler.index(of: 0x0A, in: all, from: begin) ?? all.count
                    _ = miner.mine(bytes: UnsafeRawBufferPointer(rebasing: all[begin..<end]))
                    begin = end + 1
                }
            }
        }
        pass()
        let before = residentKiB()
        let templatesBefore = miner.templateCount
        for _ in 0..<5 { pass() }
        let after = residentKiB()
        print("bench=miner_memory rss_kib_after_learning=\(before) rss_kib_after_5_more_passes=\(after) growth_kib=\(after - before) templates_before=\(templatesBefore) templates_after=\(miner.templateCount)")
    }

    final class Writer: @unchecked Sendable {
        let descriptor: Int32
        let messages: [[UInt8]]
        let lines: Int
        var thread = pthread_t()

        init(descriptor: Int32, messages: [[UInt8]], lines: Int) {
            self.descriptor = descriptor
            self.messages = messages
            self.lines = lines
        }

        func start() {
            let box = Unmanaged.passRetained(self)
            pthread_create(&thread, nil, { pointer in
                let writer = Unmanaged<Writer>.fromOpaque(pointer!).takeRetainedValue()
                writer.write()
                return nil
            }, box.toOpaque())
        }

        func join() { pthread_join(thread, nil) }

        func write() {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(80_000)
            let prefix = Array("Dec  4 13:44:27 web-01 app[4242]: ".utf8)
            for index in 0..<lines {
                chunk += prefix
                chunk += messages[index % messages.count]
                chunk.append(0x0A)
                if chunk.count >= 65_536 || index == lines - 1 {
                    chunk.withUnsafeBytes { buffer in
                        var offset = 0
                        while offset < buffer.count {
                            let wrote = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                            if wrote <= 0 { return }
                            offset += wrote
                        }
                    }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    static func wallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// VmRSS from /proc/self/status, in KiB.
    static func residentKiB() -> Int {
        guard let bytes = readFile("/proc/self/status") else { return 0 }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        return bytes
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let wrote = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if wrote <= 0 { return }
                offset += wrote
            }
        }
    }
}
