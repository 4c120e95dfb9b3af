import Foundation
import PostgresNIO
import RoundsCore

extension PostgresStore {
    static func insertLabAttempt(_ attempt: LabAttempt, learnerID: Int64) throws -> PostgresQuery {
        let findings = String(decoding: try JSONEncoder().encode(attempt.findings), as: UTF8.self)
        return """
            INSERT INTO lab_attempt (learner_id, lab_id, submitted_at, submission, accepted, score, findings)
            VALUES (\(learnerID), \(attempt.labID), \(attempt.submittedAt), \(attempt.submission), \(attempt.accepted),
                \(attempt.score), \(findings)::jsonb)
            RETURNING \(unescaped: labAttemptColumns)
            """
    }

    public func recordLabAttempt(_ attempt: LabAttempt, review: Review?) async throws -> LabAttempt {
        try await transaction { connection in
            let saved = try await self.rows(
                try Self.insertLabAttempt(attempt, learnerID: attempt.learnerID), on: connection, Self.labAttempt
            ).first!
            if let review {
                _ = try await self.rows(
                    Self.insertReview(review, learnerID: review.learnerID, attemptID: nil), on: connection,
                    Self.review)
            }
            return saved
        }
    }

    public func labAttempts(learnerID: Int64, labID: String?) async throws -> [LabAttempt] {
        // A NULL lab switches the filter off, so one statement serves both.
        try await rows(
            """
            SELECT \(unescaped: Self.labAttemptColumns) FROM lab_attempt
            WHERE learner_id = \(learnerID) AND (\(labID)::text IS NULL OR lab_id = \(labID))
            ORDER BY submitted_at, id
            """, Self.labAttempt)
    }

    public func labAttemptPage(learnerID: Int64, labID: String, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [LabAttempt])
    {
        let total =
            try await rows(
                "SELECT count(*) FROM lab_attempt WHERE learner_id = \(learnerID) AND lab_id = \(labID)"
            ) { try $0.decode(Int.self) }.first ?? 0
        let page = try await rows(
            """
            SELECT \(unescaped: Self.labAttemptColumns) FROM lab_attempt
            WHERE learner_id = \(learnerID) AND lab_id = \(labID)
            ORDER BY submitted_at DESC, id DESC LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
            """, Self.labAttempt)
        return (total, page)
    }
}

extension PostgresStore {
    static func draft(_ row: PostgresRow) throws -> Draft {
        let (key, text, saved) = try row.decode((String, String, Date).self)
        return Draft(key: key, text: text, savedAt: saved)
    }

    public func saveDraft(key: String, text: String, learnerID: Int64, at date: Date) async throws -> Draft {
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO draft (learner_id, key, text, saved_at) VALUES (\(learnerID), \(key), \(text), \(date))
                ON CONFLICT (learner_id, key) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at
                """, logger: self.logger)
            // Past the limit, the oldest go (ties by key, so the draft just saved is never the one removed).
            try await connection.query(
                """
                DELETE FROM draft WHERE learner_id = \(learnerID) AND key NOT IN (
                    SELECT key FROM draft WHERE learner_id = \(learnerID)
                    ORDER BY saved_at DESC, key = \(key) DESC LIMIT \(Draft.perLearnerLimit))
                """, logger: self.logger)
            return Draft(key: key, text: text, savedAt: date)
        }
    }

    public func draft(key: String, learnerID: Int64) async throws -> Draft? {
        try await rows(
            "SELECT key, text, saved_at FROM draft WHERE learner_id = \(learnerID) AND key = \(key)", Self.draft
        ).first
    }

    public func drafts(learnerID: Int64) async throws -> [Draft] {
        try await rows(
            """
            SELECT key, text, saved_at FROM draft WHERE learner_id = \(learnerID)
            ORDER BY saved_at DESC, key LIMIT \(Draft.perLearnerLimit)
            """, Self.draft)
    }

    @discardableResult
    public func deleteDraft(key: String, learnerID: Int64) async throws -> Bool {
        try await !rows(
            "DELETE FROM draft WHERE learner_id = \(learnerID) AND key = \(key) RETURNING key", { _ in true }
        ).isEmpty
    }
}
