/// What /proc/cpuinfo says about the processor, read once at start.
public struct CPUInfo: Hashable, Sendable {
    /// `model name` on x86, `Hardware`, `cpu model` or `Processor` elsewhere; empty when none is given.
    public var model: String = ""
    /// Whether the CPU flags include `hypervisor`: the kernel runs in a virtual machine.
    public var hypervisor = false

    public init() {}

    public static func parse(_ bytes: UnsafeRawBufferPointer) -> CPUInfo {
        var info = CPUInfo()
        var fallback = ""
        var sawFlags = false
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            var keyEnd = colon
            while keyEnd > 0, line[keyEnd - 1] == 0x20 || line[keyEnd - 1] == 0x09 { keyEnd -= 1 }
            let key = UnsafeRawBufferPointer(rebasing: line[..<keyEnd])
            var valueStart = colon + 1
            while valueStart < line.count, line[valueStart] == 0x20 { valueStart += 1 }
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
            if key.equals("model name"), info.model.isEmpty {
                info.model = value.text
            } else if (key.equals("Hardware") || key.equals("cpu model") || key.equals("Processor")), fallback.isEmpty {
                fallback = value.text
            } else if key.equals("flags"), !sawFlags {
                sawFlags = true
                var words = ByteScanner(value)
                while !words.isAtEnd {
                    let word = words.token()
                    if word.isEmpty { break }
                    if word.equals("hypervisor") { info.hypervisor = true }
                }
            }
        }
        if info.model.isEmpty { info.model = fallback }
        return info
    }
}
