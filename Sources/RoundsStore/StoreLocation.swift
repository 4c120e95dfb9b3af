import Foundation
import RoundsCore

/// Which database holds Rounds' data and where: what the configuration keys `db.kind` and
/// `db.sqlite.path` (or the command line's `--db`) say. The web app and the command line open their
/// store here and hold it as `any Storage`, so neither names a concrete store.
public struct StoreLocation: Sendable, Hashable {
    /// The kinds of database a store can be opened on (the values of `db.kind`).
    public enum Kind: String, Sendable, CaseIterable {
        case sqlite
    }

    public var kind: Kind
    /// The SQLite file; `:memory:` opens a private in-memory database (tests).
    public var sqlitePath: String

    public init(kind: Kind = .sqlite, sqlitePath: String = SQLiteStore.defaultPath()) {
        self.kind = kind
        self.sqlitePath = sqlitePath
    }

    /// Opens the store, creating and migrating the database if needed.
    public func open() throws(StoreOpeningError) -> any Storage {
        switch kind {
        case .sqlite:
            do {
                return sqlitePath == ":memory:" ? try SQLiteStore.inMemory() : try SQLiteStore(path: sqlitePath)
            } catch {
                throw StoreOpeningError(location: sqlitePath, reason: "\(error)")
            }
        }
    }
}

/// A database that could not be opened: which one, and why.
public struct StoreOpeningError: Error, CustomStringConvertible {
    /// The file (or address) that was asked for.
    public var location: String
    public var reason: String

    public var description: String { "cannot open the database at \(location): \(reason)" }
}
