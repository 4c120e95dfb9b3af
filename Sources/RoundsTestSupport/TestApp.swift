import Configuration
import Hummingbird
import RoundsStore
import RoundsWeb

/// A setting for a test application, written as a literal: `["auth.mode": "accounts", "http.port": 0]`.
public enum TestSetting: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    case string(String)
    case int(Int)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    var value: ConfigValue {
        switch self {
        case .string(let text): ConfigValue(.string(text), isSecret: false)
        case .int(let number): ConfigValue(.int(number), isSecret: false)
        case .bool(let flag): ConfigValue(.bool(flag), isSecret: false)
        }
    }
}

/// The whole web application as `rounds serve` builds it (`buildApplication(reader:)`), for router
/// tests: single-user mode on a private in-memory database, quiet logs, and the tests' small SQL lab
/// databases (`TestEHR`), which the server does not build at start-up.
public enum TestApp {
    /// What every test application starts from; a test's own settings replace these.
    public static let defaults: [String: TestSetting] = [
        "db.sqlite.path": ":memory:",
        "log.level": "error",
        "ehr.path": .string(TestEHR.directory),
        "ehr.patients": .int(TestEHR.webPatients),
        "ehr.prepare": false,
        // Nothing kept on disk between runs: each test process prepares the questions it uses.
        "feedback.cache_dir": "none",
    ]

    /// The configuration a test application reads: `defaults`, then `settings` over them.
    public static func reader(_ settings: [String: TestSetting] = [:]) -> ConfigReader {
        let merged = defaults.merging(settings) { $1 }
        return ConfigReader(
            provider: InMemoryProvider(
                values: Dictionary(
                    uniqueKeysWithValues: merged.map { (AbsoluteConfigKey(stringLiteral: $0.key), $0.value.value) })))
    }

    /// Builds the application with `settings` over the defaults.
    public static func make(_ settings: [String: TestSetting] = [:]) async throws -> some ApplicationProtocol {
        try await buildApplication(reader: reader(settings))
    }

    /// The settings that put an application on a new, empty database of `kind`: none for SQLite (the
    /// defaults' in-memory database), a new database on the test server for PostgreSQL.
    public static func settings(on kind: StoreLocation.Kind) async throws -> [String: TestSetting] {
        switch kind {
        case .sqlite: [:]
        case .postgres: settings(postgres: try await TestStores.newPostgresDatabase())
        }
    }

    /// The settings that put an application on the PostgreSQL database at `url`.
    public static func settings(postgres url: String) -> [String: TestSetting] {
        ["db.kind": "postgres", "db.postgres.url": .string(url)]
    }

    /// An application in accounts mode (sign-up and sign-in).
    public static func accounts(_ settings: [String: TestSetting] = [:]) async throws -> some ApplicationProtocol {
        try await make(["auth.mode": "accounts"].merging(settings) { $1 })
    }
}
