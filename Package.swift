// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "STOrders",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "STOrders", targets: ["STOrders"]),
        .executable(name: "storders", targets: ["storders"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
    ],
    targets: [
        .target(
            name: "STOrders",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.embedInCode("Storage/schema.sql")]
        ),
        .executableTarget(
            name: "storders",
            dependencies: [
                "STOrders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The server benchmark's in-process floor (scripts/bench-server): not a product users need.
        .executableTarget(
            name: "storders-floor",
            dependencies: ["STOrders"]
        ),
        .testTarget(
            name: "STOrdersTests",
            dependencies: ["STOrders", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "stordersTests",
            dependencies: ["storders"]
        ),
    ]
)
