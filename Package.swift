// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "linli",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "linli", targets: ["linli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // Pure domain: value types and rules. No Vapor, no Fluent.
        .target(
            name: "LinliCore",
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        // Storage: Fluent models, migrations, queries, demo data. No Vapor.
        .target(
            name: "LinliData",
            dependencies: [
                "LinliCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                // Bulk loads bind values straight to SQLite (BulkInsert).
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                // …and to PostgreSQL by COPY.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: the Vapor application, JSON API and its contract.
        .target(
            name: "LinliServer",
            dependencies: [
                "LinliCore",
                "LinliData",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            resources: [.copy("Resources/openapi"), .copy("Resources/console.css")],
            swiftSettings: swiftSettings
        ),
        // The `linli` command line: every command, its help and its errors (swift-argument-parser).
        .target(
            name: "LinliCommands",
            dependencies: [
                "LinliServer",
                "LinliCore",
                "LinliData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Vapor", package: "vapor"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "linli",
            dependencies: ["LinliCommands"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinliCoreTests",
            dependencies: ["LinliCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LinliServerTests",
            dependencies: [
                "LinliServer",
                "LinliData",
                "LinliCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
