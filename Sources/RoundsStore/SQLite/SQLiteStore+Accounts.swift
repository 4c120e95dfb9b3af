import Foundation
import GRDB
import RoundsCore

extension SQLiteStore: AccountRepository {
    private static func account(_ row: Row) -> Account? {
        guard let role = AccountRole(rawValue: row["role"]) else { return nil }
        return Account(
            id: row["id"], learnerID: row["learner_id"], email: row["email"], passwordHash: row["password_hash"],
            role: role, createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func createAccount(email: String, passwordHash: String, role: AccountRole, at date: Date) async throws
        -> Account?
    {
        let email = email.lowercased()
        return try await writer.write { db in
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE email = ?", arguments: [email]) == nil else {
                return nil
            }
            // The learner's name is unique and never shown for accounts; the email is the identity.
            var learner = LearnerRow(
                id: nil, name: "account:\(email)", createdAt: date, targetRole: nil, interviewDate: nil,
                desiredRetention: LearnerSettings().desiredRetention)
            try learner.insert(db)
            try db.execute(
                sql: "INSERT INTO account (learner_id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [learner.id, email, passwordHash, role.rawValue, date.timeIntervalSince1970])
            return Account(
                id: db.lastInsertedRowID, learnerID: learner.id!, email: email, passwordHash: passwordHash, role: role,
                createdAt: date)
        }
    }

    public func account(email: String) async throws -> Account? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE email = ?", arguments: [email.lowercased()])
                .flatMap(Self.account)
        }
    }

    public func account(id: Int64) async throws -> Account? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).flatMap(Self.account)
        }
    }

    public func changePassword(hash: String, accountID: Int64, keepingSession: String?) async throws {
        try await writer.write { db in
            try Self.replacePassword(db, hash: hash, accountID: accountID, keepingSession: keepingSession)
        }
    }

    /// The password change itself, inside a caller's transaction: whoever held the old password may
    /// have made the other sessions and the API tokens, so they end with it.
    static func replacePassword(_ db: Database, hash: String, accountID: Int64, keepingSession: String?) throws {
        try db.execute(sql: "UPDATE account SET password_hash = ? WHERE id = ?", arguments: [hash, accountID])
        try db.execute(
            sql: "DELETE FROM web_session WHERE account_id = ? AND token_hash IS NOT ?",
            arguments: [accountID, keepingSession])
        try db.execute(sql: "DELETE FROM api_token WHERE account_id = ?", arguments: [accountID])
    }

    public func createPasswordReset(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM password_reset WHERE account_id = ?", arguments: [accountID])
            try db.execute(
                sql: "INSERT INTO password_reset (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, accountID, date.timeIntervalSince1970, expiresAt.timeIntervalSince1970])
        }
    }

    public func passwordResetAccount(tokenHash: String, now: Date) async throws -> (
        account: Account, expiresAt: Date
    )? {
        try await writer.read { db in try Self.resetLink(db, tokenHash: tokenHash, now: now) }
    }

    public func redeemPasswordReset(tokenHash: String, passwordHash: String, now: Date) async throws -> Account? {
        try await writer.write { db in
            guard var account = try Self.resetLink(db, tokenHash: tokenHash, now: now)?.account else { return nil }
            try Self.replacePassword(db, hash: passwordHash, accountID: account.id, keepingSession: nil)
            try db.execute(sql: "DELETE FROM password_reset WHERE account_id = ?", arguments: [account.id])
            account.passwordHash = passwordHash
            return account
        }
    }

    /// The account of an unexpired reset link, and when the link expires.
    static func resetLink(_ db: Database, tokenHash: String, now: Date) throws -> (account: Account, expiresAt: Date)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.*, r.expires_at AS reset_expires_at FROM password_reset r
                    JOIN account a ON a.id = r.account_id WHERE r.token_hash = ? AND r.expires_at > ?
                    """,
                arguments: [tokenHash, now.timeIntervalSince1970]),
            let account = Self.account(row)
        else { return nil }
        return (account, Date(timeIntervalSince1970: row["reset_expires_at"]))
    }

    public func deleteAccount(id: Int64) async throws {
        try await writer.write { db in
            // Deleting the learner cascades to the account, its sessions, and the learner's history.
            try db.execute(
                sql: "DELETE FROM learner WHERE id = (SELECT learner_id FROM account WHERE id = ?)", arguments: [id])
        }
    }

    public func accounts() async throws -> [Account] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY id").compactMap(Self.account)
        }
    }

    public func updateRole(_ role: AccountRole, accountID: Int64) async throws -> Bool {
        try await writer.write { db in
            let current = try String.fetchOne(db, sql: "SELECT role FROM account WHERE id = ?", arguments: [accountID])
            guard let current else { return false }
            if current == "admin", role != .admin {
                let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE role = 'admin'") ?? 0
                guard admins > 1 else { return false }
            }
            try db.execute(sql: "UPDATE account SET role = ? WHERE id = ?", arguments: [role.rawValue, accountID])
            return true
        }
    }

    public func createSession(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO web_session (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [tokenHash, accountID, date.timeIntervalSince1970, expiresAt.timeIntervalSince1970])
            // Expired sessions are swept here, on the write path, rather than by a timer.
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at < ?", arguments: [date.timeIntervalSince1970])
        }
    }

    public func sessionAccount(tokenHash: String, now: Date) async throws -> Account? {
        try await writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.* FROM web_session s JOIN account a ON a.id = s.account_id
                    WHERE s.token_hash = ? AND s.expires_at > ?
                    """, arguments: [tokenHash, now.timeIntervalSince1970]
            ).flatMap(Self.account)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func reserveAttempt(limits: [String: Int], since date: Date, at now: Date) async throws -> [Int64]? {
        // One write transaction: SQLite runs writers one at a time, so the count and the insert cannot
        // interleave with another request's.
        try await writer.write { db in
            for (key, limit) in limits {
                let count =
                    try Int.fetchOne(
                        db, sql: "SELECT count(*) FROM sign_in_failure WHERE key = ? AND at >= ?",
                        arguments: [key, date.timeIntervalSince1970]) ?? 0
                if count >= limit { return nil }
            }
            var ids: [Int64] = []
            for key in limits.keys.sorted() {
                try db.execute(
                    sql: "INSERT INTO sign_in_failure (key, at) VALUES (?, ?)",
                    arguments: [key, now.timeIntervalSince1970])
                ids.append(db.lastInsertedRowID)
            }
            try db.execute(
                sql: "DELETE FROM sign_in_failure WHERE at < ?", arguments: [now.timeIntervalSince1970 - 86_400])
            return ids
        }
    }

    public func forgetAttempts(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await writer.write { db in
            for id in ids { try db.execute(sql: "DELETE FROM sign_in_failure WHERE rowid = ?", arguments: [id]) }
        }
    }
}

extension SQLiteStore: APITokenRepository {
    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"], accountID: row["account_id"], name: row["name"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]),
            lastUsedAt: (row["last_used_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    public func createAPIToken(name: String, tokenHash: String, accountID: Int64, at date: Date) async throws
        -> APIToken
    {
        try await writer.write { db in
            try db.execute(
                sql: "INSERT INTO api_token (account_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [accountID, name, tokenHash, date.timeIntervalSince1970])
            return APIToken(id: db.lastInsertedRowID, accountID: accountID, name: name, createdAt: date)
        }
    }

    public func apiTokens(accountID: Int64) async throws -> [APIToken] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM api_token WHERE account_id = ? ORDER BY id DESC", arguments: [accountID]
            ).map(Self.token)
        }
    }

    public func revokeAPIToken(id: Int64, accountID: Int64) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM api_token WHERE id = ? AND account_id = ?", arguments: [id, accountID])
            return db.changesCount > 0
        }
    }

    public func apiTokenAccount(tokenHash: String, at date: Date) async throws -> Account? {
        try await writer.write { db in
            guard
                let account = try Row.fetchOne(
                    db,
                    sql: "SELECT a.* FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.token_hash = ?",
                    arguments: [tokenHash]
                ).flatMap(Self.account)
            else { return nil }
            // Minute resolution is enough to tell a user which tokens are in use, and spares a write per call.
            try db.execute(
                sql:
                    "UPDATE api_token SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                arguments: [date.timeIntervalSince1970, tokenHash, date.timeIntervalSince1970 - 60])
            return account
        }
    }
}
