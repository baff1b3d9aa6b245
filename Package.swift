// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "zienswijzen",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zienswijzen", targets: ["zienswijzen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The system SQLite (Debian: libsqlite3-dev), seen through a module map and a shim header.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Our thin Swift layer over CSQLite: connections, statements, transactions, migrations, backup.
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        // Our HTTP/1.1 server on BSD sockets and Dispatch. Knows nothing of the application.
        .target(name: "HTTP", dependencies: [
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The application: domain rules, storage, authentication, JSON API and web pages.
        // Migrations/*.sql are compiled in by the EmbedMigrations plugin.
        .target(name: "Zienswijzen", dependencies: [
            "HTTP", "SQLite",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], plugins: ["EmbedMigrations"]),
        .executableTarget(name: "embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"],
                path: "Sources/EmbedMigrationsPlugin"),
        // The executable: command line only.
        .executableTarget(name: "zienswijzen", dependencies: [
            "Zienswijzen", "HTTP", "SQLite",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmarks (run by the scripts in Tests/Benchmarks, in release mode); not shipped.
        .executableTarget(name: "zienswijzen-bench", dependencies: ["SQLite", "Zienswijzen", "HTTP"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "ZienswijzenTests", dependencies: ["Zienswijzen", "HTTP", "SQLite"]),
        // Runs the built `zienswijzen` executable as a child process (durability, CLI, shutdown).
        .testTarget(name: "EndToEndTests", dependencies: ["zienswijzen"]),
    ],
    swiftLanguageModes: [.v6]
)
