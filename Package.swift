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
        // The ZIP container of the reactienota's OpenDocument text (issue 15).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
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
        // The application, in layers; an arrow the other way does not compile (README, "Layout").
        // Domain: pure rules and values, no I/O.
        .target(name: "ZienswijzenDomain", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Store: SQL over the domain's values. Migrations/*.sql are compiled in by the EmbedMigrations plugin.
        .target(name: "ZienswijzenStore", dependencies: ["ZienswijzenDomain", "SQLite"],
                plugins: ["EmbedMigrations"]),
        // Operations: one function per thing a person can do, each in one transaction with its audit row.
        .target(name: "ZienswijzenOperations", dependencies: [
            "ZienswijzenDomain", "ZienswijzenStore", "SQLite",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Delivery: the worker that takes the outbox to the outside world, and its transports (a
        // sendmail-compatible program, HTTP(S) through URLSession, which needs libcurl:
        // libcurl4-openssl-dev to build, libcurl4 to run). Only the executable needs it; the edges do not.
        .target(name: "ZienswijzenDelivery", dependencies: [
            "ZienswijzenDomain", "ZienswijzenOperations",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Edge toolkit shared by the API and the web pages: routes, request bodies, problems, and the
        // documents both serve (the reactienota as OpenDocument text, in a ZIP made by ZIPFoundation).
        .target(name: "ZienswijzenEdge", dependencies: [
            "ZienswijzenDomain", "ZienswijzenOperations", "HTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The edges: JSON and HTML. They translate requests into operations and results into responses.
        .target(name: "ZienswijzenAPI", dependencies: [
            "ZienswijzenDomain", "ZienswijzenOperations", "ZienswijzenEdge", "HTTP",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ZienswijzenWeb", dependencies: [
            "ZienswijzenDomain", "ZienswijzenOperations", "ZienswijzenEdge", "HTTP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The running service: wires the edges to one responder, with logging and metrics.
        .target(name: "ZienswijzenApp", dependencies: [
            "ZienswijzenDomain", "ZienswijzenOperations", "ZienswijzenEdge", "ZienswijzenAPI", "ZienswijzenWeb", "HTTP",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "embed-migrations"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["embed-migrations"],
                path: "Sources/EmbedMigrationsPlugin"),
        // The executable: command line only.
        .executableTarget(name: "zienswijzen", dependencies: [
            "ZienswijzenApp", "ZienswijzenOperations", "ZienswijzenEdge", "ZienswijzenDomain", "ZienswijzenDelivery", "HTTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Benchmarks (run by the scripts in Tests/Benchmarks, in release mode); not shipped.
        .executableTarget(name: "zienswijzen-bench", dependencies: ["SQLite", "ZienswijzenDomain", "ZienswijzenStore", "HTTP"]),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "ZienswijzenTests", dependencies: [
            "ZienswijzenDomain", "ZienswijzenStore", "ZienswijzenOperations", "ZienswijzenEdge", "ZienswijzenAPI",
            "ZienswijzenWeb", "ZienswijzenApp", "ZienswijzenDelivery", "HTTP", "SQLite",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // Runs the built `zienswijzen` executable as a child process (durability, CLI, shutdown).
        .testTarget(name: "EndToEndTests", dependencies: ["zienswijzen"]),
    ],
    swiftLanguageModes: [.v6]
)
