import Foundation

/// What an account may do. A learner sees only their own history. A coach also sees every learner's
/// progress (counts, scores, readiness; never the answers' text). An admin also changes roles.
public enum AccountRole: String, Sendable, Codable, CaseIterable {
    case learner, coach, admin
}

/// A sign-in for the web app, tied to one learner and their history.
public struct Account: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var learnerID: Int64
    /// Lower-cased; unique.
    public var email: String
    /// A bcrypt hash, never the password.
    public var passwordHash: String
    public var role: AccountRole
    public var createdAt: Date

    public init(
        id: Int64 = 0, learnerID: Int64, email: String, passwordHash: String, role: AccountRole, createdAt: Date
    ) {
        self.id = id
        self.learnerID = learnerID
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
    }
}

/// Storage for accounts, their browser sessions and failed sign-ins. Sessions live in the database, not
/// in one server's memory, so several instances behind a load balancer share them.
public protocol AccountRepository: Sendable {
    /// Creates a learner and an account for them in one transaction; nil when the email is taken.
    func createAccount(email: String, passwordHash: String, role: AccountRole, at date: Date) async throws -> Account?
    /// The account with this email (lower-cased), if any.
    func account(email: String) async throws -> Account?
    /// The account with this id, if any.
    func account(id: Int64) async throws -> Account?
    /// Replaces an account's password hash and, in the same transaction, ends every other session and
    /// revokes every API token: whoever held the old password may have made them.
    func changePassword(hash: String, accountID: Int64, keepingSession: String?) async throws
    /// Stores a one-time password-reset link under the hash of its token, replacing the account's
    /// earlier links (only the newest one works).
    func createPasswordReset(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws
    /// The account an unexpired, unused reset link belongs to, and when the link expires.
    func passwordResetAccount(tokenHash: String, now: Date) async throws -> (account: Account, expiresAt: Date)?
    /// Uses a reset link, in one transaction: when it is unexpired and unused, the account's password
    /// hash is replaced, every session ends, every API token is revoked and every reset link of the
    /// account is removed; nil (and nothing changed) otherwise.
    func redeemPasswordReset(tokenHash: String, passwordHash: String, now: Date) async throws -> Account?
    /// Deletes an account with its learner, history and sessions.
    func deleteAccount(id: Int64) async throws
    /// Every account, oldest first.
    func accounts() async throws -> [Account]
    /// Changes an account's role. Refuses (returns false) to take the last admin's role away.
    func updateRole(_ role: AccountRole, accountID: Int64) async throws -> Bool

    /// Stores a session under the hash of its token.
    func createSession(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws
    /// The account of an unexpired session.
    func sessionAccount(tokenHash: String, now: Date) async throws -> Account?
    /// Ends one session.
    func deleteSession(tokenHash: String) async throws

    /// Reserves one throttled attempt, atomically. In one transaction: when any key (an email, an
    /// address) already has its limit of attempts since `since`, nothing is written and the answer is
    /// nil; otherwise an attempt is recorded for every key and their ids are returned. A sign-in counts
    /// as failed from the start, so that concurrent guesses see each other before any password is
    /// checked; `forgetAttempts` removes it when the password was right.
    func reserveAttempt(limits: [String: Int], since date: Date, at now: Date) async throws -> [Int64]?
    /// Removes attempts that turned out not to count (a right password).
    func forgetAttempts(ids: [Int64]) async throws
}

/// A personal API token: lets a script use `/api/v1` as its account without a browser session. Only
/// the SHA-256 of the token is stored; the token itself is shown once, when it is created.
public struct APIToken: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var accountID: Int64
    /// What the user called it ("laptop script"), to tell tokens apart when revoking.
    public var name: String
    public var createdAt: Date
    public var lastUsedAt: Date?

    public init(id: Int64, accountID: Int64, name: String, createdAt: Date, lastUsedAt: Date? = nil) {
        self.id = id
        self.accountID = accountID
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}

/// Storage for personal API tokens.
public protocol APITokenRepository: Sendable {
    /// Stores a token under the hash of its secret.
    func createAPIToken(name: String, tokenHash: String, accountID: Int64, at date: Date) async throws -> APIToken
    /// An account's tokens, newest first.
    func apiTokens(accountID: Int64) async throws -> [APIToken]
    /// Revokes (deletes) one of an account's tokens; false when the account has no token with that id.
    func revokeAPIToken(id: Int64, accountID: Int64) async throws -> Bool
    /// The account a token belongs to, recording when it was used.
    func apiTokenAccount(tokenHash: String, at date: Date) async throws -> Account?
}
