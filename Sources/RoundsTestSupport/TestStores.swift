import Foundation
import RoundsCore
import RoundsStore

/// Stores for the contract suite: every kind of database `StoreLocation` opens, each test on an empty
/// one of its own. SQLite always; PostgreSQL when `ROUNDS_TEST_POSTGRES_URL` names a server the test
/// run may create databases on (`.ci/run` starts one), so no test depends on a server nobody started.
public enum TestStores {
    /// The server for PostgreSQL tests, if any (`postgres://user@host:port/postgres`).
    public static let postgresURL = ProcessInfo.processInfo.environment["ROUNDS_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// The kinds the contract suite runs against.
    public static let kinds: [StoreLocation.Kind] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// A new, empty, migrated store of `kind`: an in-memory SQLite database, or a new PostgreSQL
    /// database on the test server.
    public static func make(_ kind: StoreLocation.Kind) async throws -> any Storage {
        switch kind {
        case .sqlite: return try await StoreLocation(kind: .sqlite, sqlitePath: ":memory:").open()
        case .postgres: return try await StoreLocation(db: try await newPostgresDatabase()).open()
        }
    }

    /// Creates an empty database on the test server and returns its address.
    public static func newPostgresDatabase() async throws -> String {
        guard let postgresURL, var url = URLComponents(string: postgresURL) else {
            throw StoreOpeningError(location: "PostgreSQL", reason: "ROUNDS_TEST_POSTGRES_URL is not set")
        }
        let name = "rounds_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresAdmin.createDatabase(named: name, server: postgresURL)
        url.path = "/" + name
        return url.string ?? postgresURL
    }
}
