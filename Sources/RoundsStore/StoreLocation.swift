import Foundation
import RoundsCore

/// Which database holds Rounds' data and where: what the configuration keys `db.kind`,
/// `db.sqlite.path` and `db.postgres.url` (or the command line's `--db`) say. The web app and the
/// command line open their store here and hold it as `any Storage`, so neither names a concrete store.
public struct StoreLocation: Sendable, Hashable {
    /// The kinds of database a store can be opened on (the values of `db.kind`).
    public enum Kind: String, Sendable, CaseIterable {
        /// One file, for one person or a small group on one server (the default).
        case sqlite
        /// A PostgreSQL server, for a programme with several `rounds serve` instances.
        case postgres
    }

    public var kind: Kind
    /// The SQLite file; `:memory:` opens a private in-memory database (tests).
    public var sqlitePath: String
    /// The PostgreSQL server (`postgres://user:password@host:5432/database`).
    public var postgresURL: String?

    public init(kind: Kind = .sqlite, sqlitePath: String = SQLiteStore.defaultPath(), postgresURL: String? = nil) {
        self.kind = kind
        self.sqlitePath = sqlitePath
        self.postgresURL = postgresURL
    }

    /// What `--db` names: a `postgres://` address is a PostgreSQL server, anything else a SQLite file.
    public init(db: String) {
        if Self.isPostgresURL(db) {
            self.init(kind: .postgres, postgresURL: db)
        } else {
            self.init(kind: .sqlite, sqlitePath: db)
        }
    }

    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Where the data is, as the user wrote it, for messages (a PostgreSQL password is not shown).
    public var description: String {
        switch kind {
        case .sqlite: sqlitePath
        case .postgres: (postgresURL ?? "").replacing(/:[^:@\/]*@/, with: ":…@")
        }
    }

    /// Opens the store, creating and migrating the database if needed.
    public func open() async throws(StoreOpeningError) -> any Storage {
        switch kind {
        case .sqlite:
            do {
                return sqlitePath == ":memory:" ? try SQLiteStore.inMemory() : try SQLiteStore(path: sqlitePath)
            } catch {
                throw StoreOpeningError(location: sqlitePath, reason: "\(error)")
            }
        case .postgres:
            guard let postgresURL else {
                throw StoreOpeningError(
                    location: "PostgreSQL",
                    reason:
                        "no address is configured: set db.postgres.url (DB_POSTGRES_URL), DATABASE_URL or --db postgres://…"
                )
            }
            do {
                return try await PostgresStore.connect(url: postgresURL)
            } catch let error as StoreOpeningError {
                throw error
            } catch {
                throw StoreOpeningError(location: description, reason: "\(String(reflecting: error))")
            }
        }
    }
}

/// A database that could not be opened: which one, and why.
public struct StoreOpeningError: Error, CustomStringConvertible {
    /// The file (or address) that was asked for.
    public var location: String
    public var reason: String

    public init(location: String, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "cannot open the database at \(location): \(reason)" }
}
