import Telemetry
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads who the host is: name, kernel and uptime each tick; CPU model, container and
/// hypervisor once, since they do not change while Vigil runs.
final class HostFactsReader {
    private let hostname: ProcFile
    private let kernel: ProcFile
    private let uptime: ProcFile
    let cpuModel: String
    let container: String?
    let virtualMachine: String?

    init(procRoot: String, sysRoot: String) {
        hostname = ProcFile(path: procRoot + "/sys/kernel/hostname", initialCapacity: 256)
        kernel = ProcFile(path: procRoot + "/sys/kernel/osrelease", initialCapacity: 256)
        uptime = ProcFile(path: procRoot + "/uptime", initialCapacity: 128)
        let cpuinfo = ProcFile(path: procRoot + "/cpuinfo", initialCapacity: 65_536).withContents { CPUInfo.parse($0) } ?? CPUInfo()
        cpuModel = cpuinfo.model
        container = Self.detectContainer(procRoot: procRoot)
        virtualMachine = Self.detectVirtualMachine(sysRoot: sysRoot, cpuHasHypervisorFlag: cpuinfo.hypervisor)
    }

    func facts(cpuCount: Int, memoryBytes: UInt64) -> HostFacts {
        HostFacts(
            hostname: hostname.firstLine ?? "unknown",
            kernel: kernel.firstLine ?? "unknown",
            uptime: uptime.withContents { bytes -> Double in
                var scanner = ByteScanner(bytes)
                return scanner.decimal() ?? 0
            } ?? 0,
            cpuCount: cpuCount, cpuModel: cpuModel, memoryBytes: memoryBytes,
            container: container, virtualMachine: virtualMachine
        )
    }

    /// The container runtime around Vigil's own process, judged as systemd-detect-virt does:
    /// the runtimes' marker files in its root, its `container=` variable, then its cgroup path.
    static func detectContainer(procRoot: String) -> String? {
        if access(procRoot + "/self/root/.dockerenv", F_OK) == 0 { return "docker" }
        if access(procRoot + "/self/root/run/.containerenv", F_OK) == 0 { return "podman" }
        for source in ["/self/environ", "/1/environ"] {
            if let bytes = ProcFile(path: procRoot + source, initialCapacity: 8192).bytes() {
                for variable in bytes.split(separator: 0) where variable.starts(with: Array("container=".utf8)) {
                    let value = String(decoding: variable.dropFirst(10), as: UTF8.self)
                    if !value.isEmpty { return value }
                }
            }
        }
        if let bytes = ProcFile(path: procRoot + "/self/cgroup", initialCapacity: 4096).bytes() {
            let text = String(decoding: bytes, as: UTF8.self)
            for (marker, name) in [("kubepods", "kubernetes"), ("/docker", "docker"), ("/lxc", "lxc"), ("libpod", "podman"), ("containerd", "containerd")]
            where text.contains(marker) {
                return name
            }
        }
        return nil
    }

    /// The hypervisor, from the firmware's DMI strings, else Xen's sysfs node, else the CPU's `hypervisor` flag.
    static func detectVirtualMachine(sysRoot: String, cpuHasHypervisorFlag: Bool) -> String? {
        let dmi = ["sys_vendor", "product_name", "bios_vendor"].compactMap { name -> String? in
            ProcFile(path: "\(sysRoot)/class/dmi/id/\(name)", initialCapacity: 256).firstLine
        }.joined(separator: " ")
        let known: [(String, String)] = [
            ("KVM", "kvm"), ("QEMU", "qemu"), ("VMware", "vmware"), ("VirtualBox", "virtualbox"), ("innotek", "virtualbox"),
            ("Xen", "xen"), ("Amazon EC2", "amazon"), ("Google Compute Engine", "google"), ("Microsoft Corporation Virtual Machine", "hyper-v"),
            ("Parallels", "parallels"), ("OpenStack", "openstack"), ("BHYVE", "bhyve"), ("Firecracker", "firecracker"),
        ]
        for (marker, name) in known where dmi.contains(marker) { return name }
        if let type = ProcFile(path: sysRoot + "/hypervisor/type", initialCapacity: 64).firstLine, !type.isEmpty { return type }
        return cpuHasHypervisorFlag ? "vm" : nil
    }
}
