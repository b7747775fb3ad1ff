@testable import Collector
import Telemetry
import Testing

@Suite("host facts")
struct HostFactsTests {
    @Test("the CPU model and the hypervisor flag from a real /proc/cpuinfo")
    func realCPUInfo() throws {
        let info = try FixtureTree.withBytes("debian12-2cpu/cpuinfo") { CPUInfo.parse($0) }
        #expect(info.model == "AMD EPYC")
        #expect(info.hypervisor)
    }

    @Test("other architectures name the model differently", arguments: [
        ("processor\t: 0\nBogoMIPS\t: 48.00\nFeatures\t: fp asimd\n\nHardware\t: BCM2835\n", "BCM2835", false),
        ("processor\t: 0\ncpu model\t: MIPS 24Kc V7.4\n", "MIPS 24Kc V7.4", false),
        ("model name\t: Intel(R) Xeon(R) CPU\nflags\t\t: fpu vme sse\n", "Intel(R) Xeon(R) CPU", false),
        ("", "", false),
    ])
    func otherModels(text: String, model: String, hypervisor: Bool) {
        let info = FixtureTree.withBytes(of: text) { CPUInfo.parse($0) }
        #expect(info.model == model)
        #expect(info.hypervisor == hypervisor)
    }

    @Test("a hypervisor from DMI strings, else the CPU flag", arguments: [
        ("QEMU", "Standard PC (Q35 + ICH9, 2009)", true, "qemu"),
        ("VMware, Inc.", "VMware Virtual Platform", true, "vmware"),
        ("Dell Inc.", "PowerEdge R740", false, nil),
        ("", "", true, "vm"),
    ] as [(String, String, Bool, String?)])
    func virtualMachine(vendor: String, product: String, flag: Bool, expected: String?) throws {
        let tree = try ScratchTree()
        if !vendor.isEmpty {
            try tree.write("class/dmi/id/sys_vendor", vendor + "\n")
            try tree.write("class/dmi/id/product_name", product + "\n")
        }
        #expect(HostFactsReader.detectVirtualMachine(sysRoot: tree.path, cpuHasHypervisorFlag: flag) == expected)
    }

    @Test("a container from the environment or the cgroup path", arguments: [
        ("self/environ", "PATH=/bin\0container=podman\0", "podman"),
        ("self/cgroup", "0::/kubepods/besteffort/pod1234/abcd\n", "kubernetes"),
        ("self/cgroup", "12:pids:/docker/0123456789ab\n", "docker"),
        ("self/cgroup", "0::/user.slice/user-1000.slice/session-2.scope\n", nil),
    ] as [(String, String, String?)])
    func container(file: String, text: String, expected: String?) throws {
        let tree = try ScratchTree()
        try tree.write(file, text)
        #expect(HostFactsReader.detectContainer(procRoot: tree.path) == expected)
    }
}

@Suite("kernel counters")
struct KernelCounterTests {
    @Test("real vmstat, loadavg and file-nr")
    func realFiles() throws {
        let vm = try FixtureTree.withBytes("debian12-2cpu/vmstat") { VMStat.parse($0) }
        #expect(vm.majorFaults == 7979)
        #expect(vm.oomKills == 0)
        #expect(vm.swapIn == 0)
        #expect(vm.malformed == 0)
        let load = try FixtureTree.withBytes("debian12-2cpu/loadavg") { LoadAverage.parse($0) }
        #expect(load == LoadAverage(one: 1.10, five: 0.56, fifteen: 0.41))
        let handles = try FixtureTree.withBytes("debian12-2cpu/sys/fs/file-nr") { FileHandles.parse($0) }
        #expect(handles == FileHandles(open: 1692, maximum: 2_466_290))
    }

    @Test("cut files give nothing rather than a wrong number", arguments: ["1.10 0.5", "", "x y z"])
    func cutLoadAverage(text: String) {
        #expect(FixtureTree.withBytes(of: text) { LoadAverage.parse($0) } == nil)
    }

    @Test("swap and fault rates, and OOM kills, across two vmstat readings")
    func vmRates() throws {
        let tree = try ScratchTree()
        try tree.write("vmstat", "pswpin 100\npswpout 50\npgmajfault 10\noom_kill 0\n")
        let collector = HostCollector(procRoot: tree.path, sysRoot: tree.path)
        _ = collector.collect(at: 0)
        try tree.write("vmstat", "pswpin 300\npswpout 50\npgmajfault 30\noom_kill 2\n")
        let sample = collector.collect(at: 2)
        #expect(sample.value(of: "swap.in") == 100)
        #expect(sample.value(of: "swap.out") == 0)
        #expect(sample.value(of: "vm.major_faults") == 10)
        #expect(sample.value(of: "vm.oom_kills") == 2)
        #expect(sample.value(of: "vm.oom_kill_rate") == 1)
    }
}
