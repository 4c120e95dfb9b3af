import Foundation
import PostgresNIO
import RoundsCore

extension PostgresStore {
    // MARK: Learners

    public func learner(named name: String) async throws -> Learner {
        try await transaction { connection in
            // ON CONFLICT makes two instances creating the same learner at once agree on one row.
            try await connection.query(
                """
                INSERT INTO learner (name, created_at, desired_retention) VALUES (\(name), \(Date()), 0.9)
                ON CONFLICT (name) DO NOTHING
                """, logger: self.logger)
            return try await self.rows(
                "SELECT \(unescaped: Self.learnerColumns) FROM learner WHERE name = \(name)", on: connection,
                Self.learner
            ).first!
        }
    }

    public func learner(id: Int64) async throws -> Learner? {
        try await rows("SELECT \(unescaped: Self.learnerColumns) FROM learner WHERE id = \(id)", Self.learner).first
    }

    public func deleteLearner(id: Int64) async throws {
        try await refusals { try await client.query("DELETE FROM learner WHERE id = \(id)", logger: logger) }
    }

    public func updateSettings(_ settings: LearnerSettings, learnerID: Int64) async throws {
        try await refusals {
            try await client.query(
                """
                UPDATE learner SET target_role = \(settings.targetRole), interview_date = \(settings.interviewDate),
                desired_retention = \(settings.desiredRetention), hours_per_week = \(settings.hoursPerWeek),
                level = \(settings.level?.rawValue)
                WHERE id = \(learnerID)
                """, logger: logger)
        }
    }

    // MARK: Sessions

    /// Inserts a session for `learnerID` (a session's own, or the importing learner's).
    static func insertSession(_ session: PracticeSession, learnerID: Int64) -> PostgresQuery {
        """
        INSERT INTO practice_session (learner_id, kind, started_at, ended_at, role, level, minutes)
        VALUES (\(learnerID), \(session.kind.rawValue), \(session.startedAt), \(session.endedAt),
            \(session.role), \(session.level?.rawValue), \(session.minutes))
        RETURNING \(unescaped: sessionColumns)
        """
    }

    public func startSession(_ session: PracticeSession) async throws -> PracticeSession {
        try await rows(Self.insertSession(session, learnerID: session.learnerID), Self.session).first!
    }

    public func endSession(id: Int64, at date: Date) async throws {
        try await refusals {
            try await client.query(
                "UPDATE practice_session SET ended_at = \(date) WHERE id = \(id) AND ended_at IS NULL", logger: logger)
        }
    }

    public func sessions(learnerID: Int64) async throws -> [PracticeSession] {
        try await rows(
            """
            SELECT \(unescaped: Self.sessionColumns) FROM practice_session WHERE learner_id = \(learnerID)
            ORDER BY started_at, id
            """, Self.session)
    }

    // MARK: Attempts and reviews

    static func insertAttempt(_ attempt: Attempt, learnerID: Int64, sessionID: Int64?) -> PostgresQuery {
        """
        INSERT INTO attempt (learner_id, question_id, session_id, answered_at, answer, score, band, rating,
            rating_overridden, seconds_taken, summary)
        VALUES (\(learnerID), \(attempt.questionID), \(sessionID), \(attempt.answeredAt), \(attempt.answer),
            \(attempt.score), \(attempt.band), \(attempt.rating.rawValue), \(attempt.ratingOverridden),
            \(attempt.secondsTaken), \(attempt.summary))
        RETURNING \(unescaped: attemptColumns)
        """
    }

    static func insertReview(_ review: Review, learnerID: Int64, attemptID: Int64?) -> PostgresQuery {
        """
        INSERT INTO review (learner_id, question_id, attempt_id, reviewed_at, rating, phase, step, stability,
            difficulty, due_at, last_review_at)
        VALUES (\(learnerID), \(review.questionID), \(attemptID), \(review.reviewedAt), \(review.rating.rawValue),
            \(review.card.phase.rawValue), \(review.card.step), \(review.card.memory?.stability ?? 0),
            \(review.card.memory?.difficulty ?? 0), \(review.card.due), \(review.card.lastReview ?? review.reviewedAt))
        RETURNING \(unescaped: reviewColumns)
        """
    }

    public func record(_ attempt: Attempt, review: Review) async throws -> (Attempt, Review) {
        try await transaction { connection in
            let saved = try await self.rows(
                Self.insertAttempt(attempt, learnerID: attempt.learnerID, sessionID: attempt.sessionID),
                on: connection, Self.attempt
            ).first!
            let savedReview = try await self.rows(
                Self.insertReview(review, learnerID: review.learnerID, attemptID: saved.id), on: connection,
                Self.review
            ).first!
            return (saved, savedReview)
        }
    }

    public func attempt(id: Int64, learnerID: Int64) async throws -> Attempt? {
        try await rows(
            "SELECT \(unescaped: Self.attemptColumns) FROM attempt WHERE id = \(id) AND learner_id = \(learnerID)",
            Self.attempt
        ).first
    }

    public func appendReview(_ review: Review) async throws -> Review {
        try await transaction { connection in
            if let attemptID = review.attemptID {
                let owned = try await self.rows(
                    "SELECT 1 FROM attempt WHERE id = \(attemptID) AND learner_id = \(review.learnerID)",
                    on: connection
                ) { _ in true }
                guard !owned.isEmpty else {
                    throw StoreError.notFound("attempt \(attemptID) of learner \(review.learnerID)")
                }
            }
            return try await self.rows(
                Self.insertReview(review, learnerID: review.learnerID, attemptID: review.attemptID), on: connection,
                Self.review
            ).first!
        }
    }

    public func attempts(learnerID: Int64, questionID: String?) async throws -> [Attempt] {
        // A NULL question switches the filter off, so one statement serves both.
        try await rows(
            """
            SELECT \(unescaped: Self.attemptColumns) FROM attempt
            WHERE learner_id = \(learnerID) AND (\(questionID)::text IS NULL OR question_id = \(questionID))
            ORDER BY answered_at, id
            """, Self.attempt)
    }

    public func attemptPage(learnerID: Int64, filter: AttemptFilter, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [Attempt])
    {
        // The condition is written once for the count and the page, its values bound in order.
        var binds = PostgresBindings()
        binds.append(learnerID)
        var condition = "learner_id = $1"
        if let ids = filter.questionIDs {
            binds.append(ids)
            condition += " AND question_id = ANY($\(binds.count))"
        }
        if let from = filter.from {
            binds.append(from)
            condition += " AND answered_at >= $\(binds.count)"
        }
        if let before = filter.before {
            binds.append(before)
            condition += " AND answered_at < $\(binds.count)"
        }
        let total =
            try await rows(
                PostgresQuery(unsafeSQL: "SELECT count(*) FROM attempt WHERE \(condition)", binds: binds)
            ) { try $0.decode(Int.self) }.first ?? 0
        binds.append(max(0, limit))
        binds.append(max(0, offset))
        let page = try await rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.attemptColumns) FROM attempt WHERE \(condition)
                    ORDER BY answered_at DESC, id DESC LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
                    """, binds: binds), Self.attempt)
        return (total, page)
    }

    public func reviews(learnerID: Int64) async throws -> [Review] {
        try await rows(
            "SELECT \(unescaped: Self.reviewColumns) FROM review WHERE learner_id = \(learnerID) ORDER BY reviewed_at, id",
            Self.review)
    }

    /// A learner's latest row of each question in `table`: one indexed lookup per question answered, as
    /// in SQLite (`DISTINCT ON` walks the (learner, question, time) index).
    static func latestPerQuestion(_ columns: String, table: String, time: String, learnerID: Int64) -> PostgresQuery {
        """
        SELECT DISTINCT ON (question_id) \(unescaped: columns) FROM \(unescaped: table)
        WHERE learner_id = \(learnerID) ORDER BY question_id, \(unescaped: time) DESC, id DESC
        """
    }

    public func scores(learnerID: Int64) async throws -> [ScoredAnswer] {
        try await rows(
            """
            SELECT question_id, answered_at, score, seconds_taken, session_id FROM attempt
            WHERE learner_id = \(learnerID) ORDER BY answered_at, id
            """
        ) { row in
            let (question, answered, score, seconds, session) = try row.decode((String, Date, Int, Int?, Int64?).self)
            return ScoredAnswer(
                questionID: question, answeredAt: answered, score: score, secondsTaken: seconds, sessionID: session)
        }
    }

    public func historySummary(learnerID: Int64) async throws -> HistorySummary {
        let latest = try await rows(
            Self.latestPerQuestion(Self.attemptColumns, table: "attempt", time: "answered_at", learnerID: learnerID),
            Self.attempt)
        let recent = try await rows(
            """
            SELECT \(unescaped: Self.attemptColumns) FROM attempt WHERE learner_id = \(learnerID)
            ORDER BY answered_at DESC, id DESC LIMIT \(HistorySummary.recentLimit)
            """, Self.attempt
        ).reversed()
        // For the streak, the first and last answer of each UTC day (see SQLiteStore.historySummary).
        var days: [Date] = []
        for (first, last) in try await rows(
            """
            SELECT min(answered_at), max(answered_at) FROM attempt WHERE learner_id = \(learnerID)
            GROUP BY (answered_at AT TIME ZONE 'UTC')::date
            """, { try $0.decode((Date, Date).self) })
        {
            days += [first, last]
        }
        let count =
            try await rows("SELECT count(*) FROM attempt WHERE learner_id = \(learnerID)") {
                try $0.decode(Int.self)
            }.first ?? 0
        return HistorySummary(latest: latest, recent: Array(recent), count: count, answerTimes: days)
    }

    public func reviewState(attempt: Attempt) async throws -> (own: [Review], latest: Review?) {
        let own = try await rows(
            """
            SELECT \(unescaped: Self.reviewColumns) FROM review
            WHERE attempt_id = \(attempt.id) AND learner_id = \(attempt.learnerID) ORDER BY reviewed_at, id
            """, Self.review)
        let latest = try await rows(
            """
            SELECT \(unescaped: Self.reviewColumns) FROM review
            WHERE learner_id = \(attempt.learnerID) AND question_id = \(attempt.questionID)
            ORDER BY reviewed_at DESC, id DESC LIMIT 1
            """, Self.review
        ).first
        return (own, latest)
    }

    public func reviews(learnerID: Int64, questionID: String) async throws -> [Review] {
        try await rows(
            """
            SELECT \(unescaped: Self.reviewColumns) FROM review
            WHERE learner_id = \(learnerID) AND question_id = \(questionID) ORDER BY reviewed_at, id
            """, Self.review)
    }

    public func currentCards(learnerID: Int64) async throws -> [String: ReviewCard] {
        let latest = try await rows(
            Self.latestPerQuestion(Self.reviewColumns, table: "review", time: "reviewed_at", learnerID: learnerID),
            Self.review)
        return Dictionary(latest.map { ($0.questionID, $0.card) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Import

    public func importHistory(_ export: LearnerExport, into learnerID: Int64) async throws -> ImportSummary {
        try await transaction { connection in
            var summary = ImportSummary()
            func existing(_ query: PostgresQuery) async throws -> Int64? {
                try await self.rows(query, on: connection) { try $0.decode(Int64.self) }.first
            }
            var sessionIDs: [Int64: Int64] = [:]
            for session in export.sessions {
                if let id = try await existing(
                    """
                    SELECT id FROM practice_session WHERE learner_id = \(learnerID)
                    AND kind = \(session.kind.rawValue) AND started_at = \(session.startedAt)
                    """)
                {
                    sessionIDs[session.id] = id
                    summary.skipped += 1
                    continue
                }
                let saved = try await self.rows(
                    Self.insertSession(session, learnerID: learnerID), on: connection, Self.session)
                sessionIDs[session.id] = saved.first?.id
                summary.sessionsAdded += 1
            }
            var attemptIDs: [Int64: Int64] = [:]
            for attempt in export.attempts {
                if let id = try await existing(
                    """
                    SELECT id FROM attempt WHERE learner_id = \(learnerID) AND question_id = \(attempt.questionID)
                    AND answered_at = \(attempt.answeredAt)
                    """)
                {
                    attemptIDs[attempt.id] = id
                    summary.skipped += 1
                    continue
                }
                let saved = try await self.rows(
                    Self.insertAttempt(
                        attempt, learnerID: learnerID, sessionID: attempt.sessionID.flatMap { sessionIDs[$0] }),
                    on: connection, Self.attempt)
                attemptIDs[attempt.id] = saved.first?.id
                summary.attemptsAdded += 1
            }
            for review in export.reviews {
                if try await existing(
                    """
                    SELECT id FROM review WHERE learner_id = \(learnerID) AND question_id = \(review.questionID)
                    AND reviewed_at = \(review.reviewedAt)
                    """) != nil
                {
                    summary.skipped += 1
                    continue
                }
                _ = try await self.rows(
                    Self.insertReview(
                        review, learnerID: learnerID, attemptID: review.attemptID.flatMap { attemptIDs[$0] }),
                    on: connection, Self.review)
                summary.reviewsAdded += 1
            }
            for attempt in export.labAttempts {
                if try await existing(
                    """
                    SELECT id FROM lab_attempt WHERE learner_id = \(learnerID) AND lab_id = \(attempt.labID)
                    AND submitted_at = \(attempt.submittedAt)
                    """) != nil
                {
                    summary.skipped += 1
                    continue
                }
                _ = try await self.rows(
                    try Self.insertLabAttempt(attempt, learnerID: learnerID), on: connection, Self.labAttempt)
                summary.labAttemptsAdded += 1
            }
            return summary
        }
    }
}
