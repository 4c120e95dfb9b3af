import RoundsCore
import RoundsStore

/// Stores for the contract suite: every kind of database `StoreLocation` can open, each test on an
/// empty one of its own.
public enum TestStores {
    /// The kinds the contract suite runs against.
    public static let kinds = StoreLocation.Kind.allCases

    /// A new, empty, migrated store of `kind`.
    public static func make(_ kind: StoreLocation.Kind) throws -> any Storage {
        switch kind {
        case .sqlite: try StoreLocation(kind: .sqlite, sqlitePath: ":memory:").open()
        }
    }
}
