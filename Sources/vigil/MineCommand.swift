import Collector
import Detection
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// `vigil mine [FILE|-]`: one message per line in, CSV `LineId,ClusterId,Template` out.
///
/// Each line's cluster is printed as the miner knows it once the input has ended, so
/// a line mined early shows its template in its final, most general form; this is
/// what LogHub's evaluation (`loghub_eval.py`) scores. The miner is the one the
/// monitor uses, with the same defaults.
enum MineCommand {
    static func run(input: String?, stats: Bool) -> Int32 {
        let path = input ?? "-"
        let descriptor: Int32 = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            writeError("vigil: mine: \(path): \(String(cString: strerror(errno)))")
            return 1
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var miner = TemplateMiner()
        var clusters: [Int32] = []
        let started = monotonicSeconds()
        // Streamed through the same line cutting as the tailer (CRLF, NULs, 64 KiB cut), so a
        // pipe of any size needs memory only for one cluster number per line.
        var lines = LineAssembler()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                writeError("vigil: mine: \(path): \(String(cString: strerror(errno)))")
                return 1
            }
            if got == 0 { break }
            chunk.withUnsafeBytes { buffer in
                lines.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), now: 0) { line in
                    clusters.append(Int32(miner.mine(bytes: line).cluster))
                }
            }
        }
        lines.flushAll { line in clusters.append(Int32(miner.mine(bytes: line).cluster)) }
        let elapsed = monotonicSeconds() - started
        var texts: [Int32: String] = [:]
        for template in miner.templates { texts[Int32(template.clusterNumber)] = csvField(template.text) }
        var output: [UInt8] = []
        output.reserveCapacity(clusters.count * 48)
        output.append(contentsOf: "LineId,ClusterId,Template\n".utf8)
        for (index, cluster) in clusters.enumerated() {
            output.append(contentsOf: "\(index + 1),\(cluster),".utf8)
            output.append(contentsOf: (texts[cluster] ?? "").utf8)
            output.append(0x0A)
            if output.count > 1 << 20 {
                writeAll(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        writeAll(output)
        if stats {
            let rate = elapsed > 0 ? Double(clusters.count) / elapsed : 0
            writeError("lines=\(clusters.count) templates=\(miner.templateCount) seconds=\(HumanReadable.fixed(elapsed, decimals: 3)) lines_per_second=\(Int(rate))")
        }
        return 0
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }

    static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let wrote = write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if wrote < 0 { if errno == EINTR { continue }; return }
                offset += wrote
            }
        }
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
