import Foundation
import GRDB
import RoundsCore

// Times in these tables are REAL seconds since 1970 (`EpochDatedRecord`). Records encode their dates
// that way, but a query's own values do not follow a record's strategy: a `Date` in a filter would be
// written as DATETIME text, so filters and updates pass `timeIntervalSince1970`.
extension SQLiteStore: AccountRepository {
    public func createAccount(email: String, passwordHash: String, role: AccountRole, at date: Date) async throws
        -> Account?
    {
        let email = email.lowercased()
        return try await write { db in
            guard try AccountRow.filter(AccountRow.Columns.email == email).fetchCount(db) == 0 else { return nil }
            // The learner's name is unique and never shown for accounts; the email is the identity.
            var learner = LearnerRow(
                id: nil, name: "account:\(email)", createdAt: date, targetRole: nil, interviewDate: nil,
                desiredRetention: LearnerSettings().desiredRetention)
            try learner.insert(db)
            var account = AccountRow(
                id: nil, learnerID: learner.id!, email: email, passwordHash: passwordHash, role: role.rawValue,
                createdAt: date)
            try account.insert(db)
            return account.account
        }
    }

    public func account(email: String) async throws -> Account? {
        try await writer.read { db in
            try AccountRow.filter(AccountRow.Columns.email == email.lowercased()).fetchOne(db)?.account
        }
    }

    public func account(id: Int64) async throws -> Account? {
        try await writer.read { db in try AccountRow.fetchOne(db, key: id)?.account }
    }

    public func changePassword(hash: String, accountID: Int64, keepingSession: String?) async throws {
        try await write { db in
            try Self.replacePassword(db, hash: hash, accountID: accountID, keepingSession: keepingSession)
        }
    }

    /// The password change itself, inside a caller's transaction: whoever held the old password may
    /// have made the other sessions and the API tokens, so they end with it.
    static func replacePassword(_ db: Database, hash: String, accountID: Int64, keepingSession: String?) throws {
        try AccountRow.filter(key: accountID).updateAll(db, AccountRow.Columns.passwordHash.set(to: hash))
        var others = WebSessionRow.filter(WebSessionRow.Columns.accountID == accountID)
        if let keepingSession { others = others.filter(WebSessionRow.Columns.tokenHash != keepingSession) }
        try others.deleteAll(db)
        try APITokenRow.filter(APITokenRow.Columns.accountID == accountID).deleteAll(db)
    }

    public func createPasswordReset(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await write { db in
            try PasswordResetRow.filter(PasswordResetRow.Columns.accountID == accountID).deleteAll(db)
            try PasswordResetRow(tokenHash: tokenHash, accountID: accountID, createdAt: date, expiresAt: expiresAt)
                .insert(db)
        }
    }

    public func passwordResetAccount(tokenHash: String, now: Date) async throws -> (
        account: Account, expiresAt: Date
    )? {
        try await writer.read { db in try Self.resetLink(db, tokenHash: tokenHash, now: now) }
    }

    public func redeemPasswordReset(tokenHash: String, passwordHash: String, now: Date) async throws -> Account? {
        try await write { db in
            guard var account = try Self.resetLink(db, tokenHash: tokenHash, now: now)?.account else { return nil }
            try Self.replacePassword(db, hash: passwordHash, accountID: account.id, keepingSession: nil)
            try PasswordResetRow.filter(PasswordResetRow.Columns.accountID == account.id).deleteAll(db)
            account.passwordHash = passwordHash
            return account
        }
    }

    /// The account of an unexpired reset link, and when the link expires.
    static func resetLink(_ db: Database, tokenHash: String, now: Date) throws -> (account: Account, expiresAt: Date)? {
        guard
            let link = try PasswordResetRow.filter(
                PasswordResetRow.Columns.tokenHash == tokenHash
                    && PasswordResetRow.Columns.expiresAt > now.timeIntervalSince1970
            ).fetchOne(db),
            let account = try AccountRow.fetchOne(db, key: link.accountID)?.account
        else { return nil }
        return (account, link.expiresAt)
    }

    public func deleteAccount(id: Int64) async throws {
        try await write { db in
            // Deleting the learner cascades to the account, its sessions, and the learner's history.
            guard let account = try AccountRow.fetchOne(db, key: id) else { return }
            _ = try LearnerRow.deleteOne(db, key: account.learnerID)
        }
    }

    public func accounts() async throws -> [Account] {
        try await writer.read { db in
            try AccountRow.order(AccountRow.Columns.id).fetchAll(db).compactMap(\.account)
        }
    }

    public func updateRole(_ role: AccountRole, accountID: Int64) async throws -> Bool {
        try await write { db in
            guard let current = try AccountRow.fetchOne(db, key: accountID) else { return false }
            if current.role == AccountRole.admin.rawValue, role != .admin {
                let admins = try AccountRow.filter(AccountRow.Columns.role == AccountRole.admin.rawValue).fetchCount(db)
                guard admins > 1 else { return false }
            }
            try AccountRow.filter(key: accountID).updateAll(db, AccountRow.Columns.role.set(to: role.rawValue))
            return true
        }
    }

    public func createSession(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await write { db in
            try WebSessionRow(tokenHash: tokenHash, accountID: accountID, createdAt: date, expiresAt: expiresAt)
                .insert(db)
            // Expired sessions are swept here, on the write path, rather than by a timer.
            try WebSessionRow.filter(WebSessionRow.Columns.expiresAt < date.timeIntervalSince1970).deleteAll(db)
        }
    }

    public func sessionAccount(tokenHash: String, now: Date) async throws -> Account? {
        try await writer.read { db in
            try AccountRow.fetchOne(
                db,
                sql: """
                    SELECT a.* FROM web_session s JOIN account a ON a.id = s.account_id
                    WHERE s.token_hash = ? AND s.expires_at > ?
                    """, arguments: [tokenHash, now.timeIntervalSince1970]
            )?.account
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await write { db in _ = try WebSessionRow.deleteOne(db, key: tokenHash) }
    }

    public func reserveAttempt(limits: [String: Int], since date: Date, at now: Date) async throws -> [Int64]? {
        // One write transaction: SQLite runs writers one at a time, so the count and the insert cannot
        // interleave with another request's.
        try await write { db in
            for (key, limit) in limits {
                let count = try SignInFailureRow.filter(
                    SignInFailureRow.Columns.key == key && SignInFailureRow.Columns.at >= date.timeIntervalSince1970
                ).fetchCount(db)
                if count >= limit { return nil }
            }
            var ids: [Int64] = []
            for key in limits.keys.sorted() {
                var failure = SignInFailureRow(key: key, at: now)
                try failure.insert(db)
                ids.append(failure.rowID!)
            }
            try SignInFailureRow.filter(SignInFailureRow.Columns.at < now.timeIntervalSince1970 - 86_400).deleteAll(db)
            return ids
        }
    }

    public func forgetAttempts(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await write { db in
            _ = try SignInFailureRow.filter(ids.contains(Column.rowID)).deleteAll(db)
        }
    }
}

extension SQLiteStore: APITokenRepository {
    public func createAPIToken(name: String, tokenHash: String, accountID: Int64, at date: Date) async throws
        -> APIToken
    {
        try await write { db in
            var row = APITokenRow(id: nil, accountID: accountID, name: name, tokenHash: tokenHash, createdAt: date)
            try row.insert(db)
            return row.token
        }
    }

    public func apiTokens(accountID: Int64) async throws -> [APIToken] {
        try await writer.read { db in
            try APITokenRow.filter(APITokenRow.Columns.accountID == accountID).order(APITokenRow.Columns.id.desc)
                .fetchAll(db).map(\.token)
        }
    }

    public func revokeAPIToken(id: Int64, accountID: Int64) async throws -> Bool {
        try await write { db in
            try APITokenRow.filter(key: id).filter(APITokenRow.Columns.accountID == accountID).deleteAll(db) > 0
        }
    }

    public func apiTokenAccount(tokenHash: String, at date: Date) async throws -> Account? {
        try await write { db in
            guard
                let account = try AccountRow.fetchOne(
                    db,
                    sql: "SELECT a.* FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.token_hash = ?",
                    arguments: [tokenHash]
                )?.account
            else { return nil }
            // Minute resolution is enough to tell a user which tokens are in use, and spares a write per call.
            try APITokenRow.filter(APITokenRow.Columns.tokenHash == tokenHash)
                .filter(
                    APITokenRow.Columns.lastUsedAt == nil
                        || APITokenRow.Columns.lastUsedAt < date.timeIntervalSince1970 - 60
                )
                .updateAll(db, APITokenRow.Columns.lastUsedAt.set(to: date.timeIntervalSince1970))
            return account
        }
    }
}
