// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "STOrders",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "STOrders", targets: ["STOrders"]),
        .executable(name: "storders", targets: ["storders"]),
        .executable(name: "storders-server", targets: ["storders-server"]),
        .executable(name: "storders-national", targets: ["storders-national"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The server only (storders-server, STOrdersServer): the CLI links none of these.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", exact: "2.5.0"),
        // The national roll-up only (storders-national, STOrdersNational): the CLI links none of it.
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
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
        // Terminal output shared by the two command-line programs (tables, CSV, the indicators'
        // rendering): storders and storders-national write the same reports the same way.
        .target(
            name: "STOrdersTerminal",
            dependencies: ["STOrders"]
        ),
        .executableTarget(
            name: "storders",
            dependencies: [
                "STOrders",
                "STOrdersTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The HTTP service: app builder, middleware, routes (everything testable), no argument parsing.
        .target(
            name: "STOrdersServer",
            dependencies: [
                "STOrders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // The pages' templates and assets, each listed (embedInCode takes files, not folders);
            // PageRenderer.templateFiles names each template and a test checks none is missing.
            resources: [
                .embedInCode("openapi.json"),
                .embedInCode("Pages/Templates/layout.mustache"),
                .embedInCode("Pages/Templates/sign-in.mustache"),
                .embedInCode("Pages/Templates/message.mustache"),
                .embedInCode("Pages/Templates/home.mustache"),
                .embedInCode("Pages/Templates/field.mustache"),
                .embedInCode("Pages/Templates/form.mustache"),
                .embedInCode("Pages/Templates/orders.mustache"),
                .embedInCode("Pages/Templates/order.mustache"),
                .embedInCode("Pages/Templates/order-new.mustache"),
                .embedInCode("Pages/Templates/inbox.mustache"),
                .embedInCode("Pages/Assets/app.css"),
                .embedInCode("Pages/Assets/app.js"),
                .embedInCode("Pages/Templates/dashboard.mustache"),
                .embedInCode("Pages/Templates/verify.mustache"),
                .embedInCode("Pages/Templates/history.mustache"),
                .embedInCode("Pages/Templates/export.mustache"),
                .embedInCode("Pages/Templates/accounts.mustache"),
                .embedInCode("Pages/Templates/account.mustache"),
                .embedInCode("Pages/Assets/dashboard.js"),
                .embedInCode("Pages/Templates/due.mustache"),
                .embedInCode("Pages/Templates/notices.mustache"),
                .embedInCode("Pages/Templates/attach.mustache"),
            ]
        ),
        .executableTarget(
            name: "storders-server",
            dependencies: [
                "STOrdersServer",
                "STOrdersNational",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "STOrders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The national store (PostgreSQL): connection, schema check, publish; no argument parsing.
        .target(
            name: "STOrdersNational",
            dependencies: [
                "STOrders",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("national-schema.sql")]
        ),
        // publish and the national reports: their own executable, so `storders` does not link PostgresNIO.
        .executableTarget(
            name: "storders-national",
            dependencies: [
                "STOrdersNational",
                "STOrders",
                "STOrdersTerminal",
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
        .testTarget(
            name: "STOrdersNationalTests",
            dependencies: [
                "STOrdersNational",
                "STOrders",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "STOrdersServerTests",
            dependencies: [
                "STOrdersServer",
                "STOrders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
