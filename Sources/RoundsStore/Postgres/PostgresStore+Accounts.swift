import Foundation
import PostgresNIO
import RoundsCore

extension PostgresStore {
    public func createAccount(email: String, passwordHash: String, role: AccountRole, at date: Date) async throws
        -> Account?
    {
        let email = email.lowercased()
        return try await transaction { connection in
            guard
                try await self.rows("SELECT 1 FROM account WHERE email = \(email)", on: connection, { _ in true })
                    .isEmpty
            else { return nil }
            // The learner's name is unique and never shown for accounts; the email is the identity.
            let learnerID = try await self.rows(
                """
                INSERT INTO learner (name, created_at, desired_retention)
                VALUES (\("account:\(email)"), \(date), \(LearnerSettings().desiredRetention)) RETURNING id
                """, on: connection
            ) { try $0.decode(Int64.self) }.first!
            return try await self.rows(
                """
                INSERT INTO account (learner_id, email, password_hash, role, created_at)
                VALUES (\(learnerID), \(email), \(passwordHash), \(role.rawValue), \(date))
                RETURNING \(unescaped: Self.accountColumns)
                """, on: connection, Self.account
            ).first ?? nil
        }
    }

    public func account(email: String) async throws -> Account? {
        try await rows(
            "SELECT \(unescaped: Self.accountColumns) FROM account WHERE email = \(email.lowercased())", Self.account
        ).first ?? nil
    }

    public func account(id: Int64) async throws -> Account? {
        try await rows("SELECT \(unescaped: Self.accountColumns) FROM account WHERE id = \(id)", Self.account).first
            ?? nil
    }

    public func changePassword(hash: String, accountID: Int64, keepingSession: String?) async throws {
        try await transaction { connection in
            try await self.replacePassword(
                on: connection, hash: hash, accountID: accountID, keepingSession: keepingSession)
        }
    }

    /// The password change itself, inside a caller's transaction: whoever held the old password may
    /// have made the other sessions and the API tokens, so they end with it.
    func replacePassword(on connection: PostgresConnection, hash: String, accountID: Int64, keepingSession: String?)
        async throws
    {
        try await connection.query("UPDATE account SET password_hash = \(hash) WHERE id = \(accountID)", logger: logger)
        try await connection.query(
            """
            DELETE FROM web_session WHERE account_id = \(accountID)
            AND token_hash IS DISTINCT FROM \(keepingSession)
            """, logger: logger)
        try await connection.query("DELETE FROM api_token WHERE account_id = \(accountID)", logger: logger)
    }

    public func createPasswordReset(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await transaction { connection in
            try await connection.query(
                "DELETE FROM password_reset WHERE account_id = \(accountID)", logger: self.logger)
            try await connection.query(
                """
                INSERT INTO password_reset (token_hash, account_id, created_at, expires_at)
                VALUES (\(tokenHash), \(accountID), \(date), \(expiresAt))
                """, logger: self.logger)
        }
    }

    /// The account of an unexpired reset link, and when the link expires.
    func resetLink(tokenHash: String, now: Date, on connection: PostgresConnection?) async throws -> (
        account: Account, expiresAt: Date
    )? {
        let found = try await rows(
            """
            SELECT \(unescaped: Self.qualified(Self.accountColumns, "a")), r.expires_at
            FROM password_reset r JOIN account a ON a.id = r.account_id
            WHERE r.token_hash = \(tokenHash) AND r.expires_at > \(now)
            """, on: connection
        ) { row -> (Account, Date)? in
            let (id, learnerID, email, hash, role, created, expires) = try row.decode(
                (Int64, Int64, String, String, String, Date, Date).self)
            guard let role = AccountRole(rawValue: role) else { return nil }
            return (
                Account(id: id, learnerID: learnerID, email: email, passwordHash: hash, role: role, createdAt: created),
                expires
            )
        }
        guard let first = found.first, let link = first else { return nil }
        return (link.0, link.1)
    }

    public func passwordResetAccount(tokenHash: String, now: Date) async throws -> (
        account: Account, expiresAt: Date
    )? {
        try await resetLink(tokenHash: tokenHash, now: now, on: nil)
    }

    public func redeemPasswordReset(tokenHash: String, passwordHash: String, now: Date) async throws -> Account? {
        try await transaction { connection in
            guard var account = try await self.resetLink(tokenHash: tokenHash, now: now, on: connection)?.account
            else { return nil }
            try await self.replacePassword(
                on: connection, hash: passwordHash, accountID: account.id, keepingSession: nil)
            try await connection.query(
                "DELETE FROM password_reset WHERE account_id = \(account.id)", logger: self.logger)
            account.passwordHash = passwordHash
            return account
        }
    }

    public func deleteAccount(id: Int64) async throws {
        // Deleting the learner cascades to the account, its sessions, and the learner's history.
        try await refusals {
            try await client.query(
                "DELETE FROM learner WHERE id = (SELECT learner_id FROM account WHERE id = \(id))", logger: logger)
        }
    }

    public func accounts() async throws -> [Account] {
        try await rows("SELECT \(unescaped: Self.accountColumns) FROM account ORDER BY id", Self.account)
            .compactMap { $0 }
    }

    public func updateRole(_ role: AccountRole, accountID: Int64) async throws -> Bool {
        try await transaction { connection in
            // Locks the admins' rows, so two instances cannot each demote one of the last two admins.
            let admins = try await self.rows(
                "SELECT id FROM account WHERE role = 'admin' FOR UPDATE", on: connection
            ) { try $0.decode(Int64.self) }
            guard
                let current = try await self.rows(
                    "SELECT role FROM account WHERE id = \(accountID)", on: connection, { try $0.decode(String.self) }
                ).first
            else { return false }
            if current == AccountRole.admin.rawValue, role != .admin, admins.count <= 1 { return false }
            try await connection.query(
                "UPDATE account SET role = \(role.rawValue) WHERE id = \(accountID)", logger: self.logger)
            return true
        }
    }

    public func createSession(tokenHash: String, accountID: Int64, expiresAt: Date, at date: Date) async throws {
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO web_session (token_hash, account_id, created_at, expires_at)
                VALUES (\(tokenHash), \(accountID), \(date), \(expiresAt))
                """, logger: self.logger)
            // Expired sessions are swept here, on the write path, rather than by a timer.
            try await connection.query("DELETE FROM web_session WHERE expires_at < \(date)", logger: self.logger)
        }
    }

    public func sessionAccount(tokenHash: String, now: Date) async throws -> Account? {
        try await rows(
            """
            SELECT \(unescaped: Self.qualified(Self.accountColumns, "a")) FROM web_session s
            JOIN account a ON a.id = s.account_id WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(now)
            """, Self.account
        ).first ?? nil
    }

    public func deleteSession(tokenHash: String) async throws {
        try await refusals {
            try await client.query("DELETE FROM web_session WHERE token_hash = \(tokenHash)", logger: logger)
        }
    }

    public func reserveAttempt(limits: [String: Int], since date: Date, at now: Date) async throws -> [Int64]? {
        try await transaction { connection in
            // A transaction-scoped advisory lock per key makes the count and the insert atomic across
            // instances: a second request for the same key waits for the first to commit.
            for key in limits.keys.sorted() {
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\(key), \(PostgresMigrations.lockKey)))",
                    logger: self.logger)
            }
            for (key, limit) in limits {
                let count =
                    try await self.rows(
                        "SELECT count(*) FROM sign_in_failure WHERE key = \(key) AND at >= \(date)", on: connection
                    ) { try $0.decode(Int.self) }.first ?? 0
                if count >= limit { return nil }
            }
            var ids: [Int64] = []
            for key in limits.keys.sorted() {
                ids += try await self.rows(
                    "INSERT INTO sign_in_failure (key, at) VALUES (\(key), \(now)) RETURNING id", on: connection
                ) { try $0.decode(Int64.self) }
            }
            try await connection.query(
                "DELETE FROM sign_in_failure WHERE at < \(now.addingTimeInterval(-86_400))", logger: self.logger)
            return ids
        }
    }

    public func forgetAttempts(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await refusals {
            try await client.query("DELETE FROM sign_in_failure WHERE id = ANY(\(ids))", logger: logger)
        }
    }
}

extension PostgresStore {
    static func token(_ row: PostgresRow) throws -> APIToken {
        let (id, accountID, name, created, used) = try row.decode((Int64, Int64, String, Date, Date?).self)
        return APIToken(id: id, accountID: accountID, name: name, createdAt: created, lastUsedAt: used)
    }

    public func createAPIToken(name: String, tokenHash: String, accountID: Int64, at date: Date) async throws
        -> APIToken
    {
        try await rows(
            """
            INSERT INTO api_token (account_id, name, token_hash, created_at)
            VALUES (\(accountID), \(name), \(tokenHash), \(date))
            RETURNING id, account_id, name, created_at, last_used_at
            """, Self.token
        ).first!
    }

    public func apiTokens(accountID: Int64) async throws -> [APIToken] {
        try await rows(
            """
            SELECT id, account_id, name, created_at, last_used_at FROM api_token WHERE account_id = \(accountID)
            ORDER BY id DESC
            """, Self.token)
    }

    public func revokeAPIToken(id: Int64, accountID: Int64) async throws -> Bool {
        try await !rows(
            "DELETE FROM api_token WHERE id = \(id) AND account_id = \(accountID) RETURNING id", { _ in true }
        ).isEmpty
    }

    public func apiTokenAccount(tokenHash: String, at date: Date) async throws -> Account? {
        try await transaction { connection in
            guard
                let account = try await self.rows(
                    """
                    SELECT \(unescaped: Self.qualified(Self.accountColumns, "a")) FROM api_token t
                    JOIN account a ON a.id = t.account_id WHERE t.token_hash = \(tokenHash)
                    """, on: connection, Self.account
                ).first ?? nil
            else { return nil }
            // Minute resolution is enough to tell a user which tokens are in use, and spares a write per call.
            try await connection.query(
                """
                UPDATE api_token SET last_used_at = \(date) WHERE token_hash = \(tokenHash)
                AND (last_used_at IS NULL OR last_used_at < \(date.addingTimeInterval(-60)))
                """, logger: self.logger)
            return account
        }
    }
}
