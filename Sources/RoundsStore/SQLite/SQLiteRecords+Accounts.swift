import Foundation
import GRDB
import RoundsCore

// Row types of the tables read on every request: accounts, browser sessions, API tokens, sign-in
// throttles and password-reset links. Their times are REAL seconds since 1970, not the DATETIME text
// of the history tables, because each request compares them with the clock (see docs/storage.md).

/// A record whose dates are stored as REAL seconds since 1970.
protocol EpochDatedRecord: FetchableRecord, EncodableRecord {}

extension EpochDatedRecord {
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }
}

struct AccountRow: Codable, EpochDatedRecord, MutablePersistableRecord {
    static let databaseTableName = "account"
    var id: Int64?
    var learnerID: Int64
    var email: String
    var passwordHash: String
    var role: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, role
        case learnerID = "learner_id"
        case passwordHash = "password_hash"
        case createdAt = "created_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let email = Column(CodingKeys.email)
        static let role = Column(CodingKeys.role)
        static let passwordHash = Column(CodingKeys.passwordHash)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The domain value; nil for a role this version does not know (the CHECK constraint allows none).
    var account: Account? {
        guard let id, let role = AccountRole(rawValue: role) else { return nil }
        return Account(
            id: id, learnerID: learnerID, email: email, passwordHash: passwordHash, role: role, createdAt: createdAt)
    }
}

/// The table of one kind of expiring secret.
protocol ExpiringTokenTable {
    static var name: String { get }
}

/// Browser sessions (accounts mode).
enum WebSessionTable: ExpiringTokenTable {
    static var name: String { "web_session" }
}

/// One-time password-reset links.
enum PasswordResetTable: ExpiringTokenTable {
    static var name: String { "password_reset" }
}

/// A secret kept by its hash, for one account, until it expires: a session or a reset link. The two
/// tables have the same columns, so one record type serves both.
struct ExpiringTokenRow<Table: ExpiringTokenTable>: Codable, EpochDatedRecord, PersistableRecord {
    static var databaseTableName: String { Table.name }
    var tokenHash: String
    var accountID: Int64
    var createdAt: Date
    var expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case tokenHash = "token_hash"
        case accountID = "account_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    enum Columns {
        static var tokenHash: Column { Column(CodingKeys.tokenHash) }
        static var accountID: Column { Column(CodingKeys.accountID) }
        static var expiresAt: Column { Column(CodingKeys.expiresAt) }
    }
}

typealias WebSessionRow = ExpiringTokenRow<WebSessionTable>
typealias PasswordResetRow = ExpiringTokenRow<PasswordResetTable>

struct APITokenRow: Codable, EpochDatedRecord, MutablePersistableRecord {
    static let databaseTableName = "api_token"
    var id: Int64?
    var accountID: Int64
    var name: String
    var tokenHash: String
    var createdAt: Date
    var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name
        case accountID = "account_id"
        case tokenHash = "token_hash"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let accountID = Column(CodingKeys.accountID)
        static let tokenHash = Column(CodingKeys.tokenHash)
        static let lastUsedAt = Column(CodingKeys.lastUsedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var token: APIToken {
        APIToken(id: id ?? 0, accountID: accountID, name: name, createdAt: createdAt, lastUsedAt: lastUsedAt)
    }
}

/// One counted sign-in (or sign-up) under a throttle key: an email, an address. The table has no key
/// of its own; a reservation is forgotten by its rowid.
struct SignInFailureRow: Codable, EpochDatedRecord, MutablePersistableRecord {
    static let databaseTableName = "sign_in_failure"
    var key: String
    var at: Date
    var rowID: Int64? = nil

    enum CodingKeys: String, CodingKey {
        case key, at
    }

    enum Columns {
        static let key = Column(CodingKeys.key)
        static let at = Column(CodingKeys.at)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { rowID = inserted.rowID }
}
