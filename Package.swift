// swift-tools-version:6.0
import PackageDescription

// The module graph follows ../shared/DESIGN.md: data flows one way, from the
// collector through the engine to the snapshot and the screen.
let package = Package(
    name: "Vigil",
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        // Loaded by the monitor with dlopen only when --alertmanager is given: URLSession's
        // libraries cost about 13 MB resident that a Vigil without Alertmanager should not pay.
        .library(name: "VigilAlertmanager", type: .dynamic, targets: ["AlertmanagerLink"]),
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .target(name: "Telemetry"),
        .target(name: "Collector", dependencies: ["Telemetry", "CSystemd"]),
        .target(name: "Detection", dependencies: ["Telemetry"]),
        .target(name: "Store", dependencies: ["Telemetry", "CSQLite"]),
        .target(name: "Monitor", dependencies: ["Telemetry", "Collector", "Detection", "Store"]),
        .target(name: "AlertmanagerLink", dependencies: ["Telemetry"]),
        .target(name: "Dashboard", dependencies: ["Telemetry", "CNCurses"]),
        .executableTarget(
            name: "vigil",
            dependencies: ["Telemetry", "Collector", "Detection", "Monitor", "Dashboard", "Store"]
        ),
        .executableTarget(
            name: "vigil-bench",
            dependencies: ["Telemetry", "Collector", "Detection", "Dashboard", "Monitor"]
        ),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["Telemetry"]
        ),
        .testTarget(
            name: "CollectorTests",
            dependencies: ["Collector", "Telemetry"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DetectionTests",
            dependencies: ["Detection", "Telemetry"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "Telemetry", "CSQLite"]
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "Telemetry"]
        ),
        .testTarget(
            name: "vigilTests",
            dependencies: ["vigil", "Monitor", "Telemetry", "Store"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Store", "Telemetry", "AlertmanagerLink"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
