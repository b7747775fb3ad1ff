import Collector
import Detection
import Dispatch
import Telemetry
#if canImport(Glibc)
import Glibc
#endif

/// Drives collector → engine on one serial queue and publishes a `Snapshot` each tick.
///
/// All mutable state is confined to `queue`: the timer's handler runs there, and
/// `start`, `stop` and `sampleNow` hop onto it. That confinement is why the class
/// can be `@unchecked Sendable`.
public final class Monitor: @unchecked Sendable {
    /// How the monitor samples.
    public struct Settings: Sendable {
        /// Seconds between samples.
        public var interval: Double
        public var procRoot: String
        /// Values kept per signal for sparklines.
        public var historyLength: Int

        /// Log files and globs to follow; empty follows none.
        public var logPatterns: [String] = []
        /// Read the log files that exist at the start whole, not from their end.
        public var logsFromStart = false
        /// Seconds between two polls of the log files.
        public var logPollInterval = 0.25
        /// Log records a snapshot carries, newest last.
        public var recentLogCapacity = 500

        public init(interval: Double = 1, procRoot: String = "/proc", historyLength: Int = 240) {
            self.interval = interval
            self.procRoot = procRoot
            self.historyLength = historyLength
        }
    }

    public let settings: Settings
    private let queue = DispatchQueue(label: "vigil.monitor", qos: .utility)
    private let publish: @Sendable (Snapshot) -> Void
    private var timer: DispatchSourceTimer?
    private let collector: HostCollector
    private var history: [SignalID: SignalHistory] = [:]
    private var sequence: UInt64 = 0
    private var logs: LogWatch
    /// What the log timer republishes with newer lines between two samples.
    private var lastSnapshot: Snapshot?

    /// - Parameters:
    ///   - settings: the sampling interval and where to read from.
    ///   - publish: called on the monitor's queue with each new snapshot; it must not block.
    public init(settings: Settings, publish: @escaping @Sendable (Snapshot) -> Void) {
        self.settings = settings
        self.publish = publish
        collector = HostCollector(procRoot: settings.procRoot)
        logs = LogWatch(settings: settings)
    }

    /// Starts sampling: one tick at once, then one per interval.
    public func start() {
        queue.async { [self] in
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            let nanos = Int(settings.interval * 1_000_000_000)
            // A little leeway lets the kernel batch wake-ups; an idle host stays idle.
            source.schedule(
                deadline: .now(), repeating: .nanoseconds(nanos),
                leeway: .nanoseconds(max(1_000_000, nanos / 20))
            )
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.publish(self.tick())
            }
            timer = source
            source.resume()
            logs.start(on: queue) { [weak self] in
                guard let self, var snapshot = self.logs.refreshed(self.lastSnapshot) else { return }
                self.sequence += 1
                snapshot.sequence = self.sequence
                self.lastSnapshot = snapshot
                self.publish(snapshot)
            }
        }
    }

    /// Stops sampling and waits for a tick in progress to finish.
    public func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
            logs.stop()
        }
    }

    /// Takes one sample now, on the monitor's queue, and returns its snapshot.
    public func sampleNow() -> Snapshot {
        queue.sync { tick() }
    }

    private func tick() -> Snapshot {
        let started = Self.threadCPUTime()
        let now = Self.wallClock()
        let sample = collector.collect(at: now)
        for reading in sample.readings {
            history[reading.id, default: SignalHistory(capacity: settings.historyLength)].append(reading.value)
        }
        sequence += 1
        var health = sample.health
        logs.poll(now: now)
        logs.report(into: &health)
        health.lastTickCost = Self.threadCPUTime() - started
        var snapshot = Snapshot(
            sequence: sequence, time: sample.time, interval: settings.interval, host: sample.host,
            cpu: sample.cpu, memory: sample.memory, readings: sample.readings, history: history,
            health: health
        )
        logs.fill(&snapshot)
        lastSnapshot = snapshot
        return snapshot
    }

    static func wallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// CPU time this thread has used; the corresponding C function is `clock_gettime`.
    static func threadCPUTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
