import Foundation
import GRDB
import RoundsCore

/// The SQLite store: one file in WAL mode, migrated when opened.
public struct SQLiteStore: Storage {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path`, as a `DatabasePool` in WAL mode so that reads
    /// never wait for a write.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        writer = try DatabasePool(path: path, configuration: configuration)
        try SQLiteMigrations.migrator.migrate(writer)
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue())
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try SQLiteMigrations.migrator.migrate(writer)
    }

    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try SQLiteMigrations.migrator.appliedMigrations(db) }
    }

    /// Where the database lives when neither `--db` nor `ROUNDS_DB` says otherwise:
    /// `$XDG_DATA_HOME/rounds/rounds.sqlite` (by default `~/.local/share/rounds/rounds.sqlite`) on Linux,
    /// `~/Library/Application Support/Rounds/rounds.sqlite` on macOS.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ROUNDS_DB"], !path.isEmpty { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
            return home + "/Library/Application Support/Rounds/rounds.sqlite"
        #else
            let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
            return data + "/rounds/rounds.sqlite"
        #endif
    }

    // MARK: Learners

    public func learner(named name: String) async throws -> Learner {
        try await write { db in
            if let row = try LearnerRow.filter(LearnerRow.Columns.name == name).fetchOne(db) { return row.learner }
            var row = LearnerRow(
                id: nil, name: name, createdAt: Date(), targetRole: nil, interviewDate: nil, desiredRetention: 0.9)
            try row.insert(db)
            return row.learner
        }
    }

    public func learner(id: Int64) async throws -> Learner? {
        try await writer.read { db in try LearnerRow.fetchOne(db, key: id)?.learner }
    }

    public func deleteLearner(id: Int64) async throws {
        _ = try await write { db in try LearnerRow.deleteOne(db, key: id) }
    }

    /// Runs raw SQL, for tests that check what the schema itself refuses.
    func execute(_ sql: String) async throws {
        try await write { db in try db.execute(sql: sql) }
    }

    public func updateSettings(_ settings: LearnerSettings, learnerID: Int64) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE learner SET target_role = ?, interview_date = ?, desired_retention = ?, hours_per_week = ?,
                        level = ?
                    WHERE id = ?
                    """,
                arguments: [
                    settings.targetRole, settings.interviewDate, settings.desiredRetention, settings.hoursPerWeek,
                    settings.level?.rawValue, learnerID,
                ])
        }
    }

    // MARK: Sessions

    public func startSession(_ session: PracticeSession) async throws -> PracticeSession {
        try await write { db in
            var row = SessionRow(session, learnerID: session.learnerID)
            try row.insert(db)
            return row.session
        }
    }

    public func endSession(id: Int64, at date: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE practice_session SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                arguments: [date, id])
        }
    }

    public func sessions(learnerID: Int64) async throws -> [PracticeSession] {
        try await writer.read { db in
            try SessionRow.filter(SessionRow.Columns.learnerID == learnerID).order(
                SessionRow.Columns.startedAt, SessionRow.Columns.id
            )
            .fetchAll(db).map(\.session)
        }
    }

    // MARK: Attempts and reviews

    public func record(_ attempt: Attempt, review: Review) async throws -> (Attempt, Review) {
        try await write { db in
            var attemptRow = AttemptRow(attempt, learnerID: attempt.learnerID, sessionID: attempt.sessionID)
            try attemptRow.insert(db)
            var reviewRow = ReviewRow(review, learnerID: review.learnerID, attemptID: attemptRow.id)
            try reviewRow.insert(db)
            return (attemptRow.attempt, reviewRow.review)
        }
    }

    public func attempt(id: Int64, learnerID: Int64) async throws -> Attempt? {
        try await writer.read { db in
            try AttemptRow.filter(AttemptRow.Columns.id == id && AttemptRow.Columns.learnerID == learnerID).fetchOne(
                db)?.attempt
        }
    }

    public func appendReview(_ review: Review) async throws -> Review {
        try await write { db in
            if let attemptID = review.attemptID {
                let owned = try AttemptRow.filter(
                    AttemptRow.Columns.id == attemptID && AttemptRow.Columns.learnerID == review.learnerID
                )
                .fetchCount(db)
                guard owned == 1 else {
                    throw StoreError.notFound("attempt \(attemptID) of learner \(review.learnerID)")
                }
            }
            var row = ReviewRow(review, learnerID: review.learnerID, attemptID: review.attemptID)
            try row.insert(db)
            return row.review
        }
    }

    public func attempts(learnerID: Int64, questionID: String?) async throws -> [Attempt] {
        try await writer.read { db in
            var request = AttemptRow.filter(AttemptRow.Columns.learnerID == learnerID)
            if let questionID { request = request.filter(AttemptRow.Columns.questionID == questionID) }
            return try request.order(AttemptRow.Columns.answeredAt, AttemptRow.Columns.id).fetchAll(db).map(\.attempt)
        }
    }

    public func attemptPage(learnerID: Int64, filter: AttemptFilter, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [Attempt])
    {
        try await writer.read { db in
            var request = AttemptRow.filter(AttemptRow.Columns.learnerID == learnerID)
            if let ids = filter.questionIDs { request = request.filter(ids.contains(AttemptRow.Columns.questionID)) }
            if let from = filter.from { request = request.filter(AttemptRow.Columns.answeredAt >= from) }
            if let before = filter.before { request = request.filter(AttemptRow.Columns.answeredAt < before) }
            let total = try request.fetchCount(db)
            let page = try request.order(AttemptRow.Columns.answeredAt.desc, AttemptRow.Columns.id.desc)
                .limit(max(0, limit), offset: max(0, offset)).fetchAll(db).map(\.attempt)
            return (total, page)
        }
    }

    public func reviews(learnerID: Int64) async throws -> [Review] {
        try await writer.read { db in
            try ReviewRow.filter(ReviewRow.Columns.learnerID == learnerID).order(
                ReviewRow.Columns.reviewedAt, ReviewRow.Columns.id
            )
            .fetchAll(db).map(\.review)
        }
    }

    /// A learner's latest row of each question in `table` (ties on time: the later id), for `?1` = the
    /// learner. The distinct questions come from the (learner, question, time) index alone, and each
    /// question's latest row is one indexed lookup: the cost follows the questions answered, not the
    /// length of the history.
    static func latestPerQuestion(table: String, time: String) -> String {
        """
        SELECT t.* FROM (SELECT DISTINCT question_id AS q FROM \(table) WHERE learner_id = ?1) d
        JOIN \(table) t ON t.id = (
            SELECT id FROM \(table) WHERE learner_id = ?1 AND question_id = d.q
            ORDER BY \(time) DESC, id DESC LIMIT 1)
        """
    }

    public func historySummary(learnerID: Int64) async throws -> HistorySummary {
        try await writer.read { db in
            let latest = try AttemptRow.fetchAll(
                db, sql: Self.latestPerQuestion(table: "attempt", time: "answered_at"), arguments: [learnerID]
            ).map(\.attempt)
            let recent = try AttemptRow.filter(AttemptRow.Columns.learnerID == learnerID)
                .order(AttemptRow.Columns.answeredAt.desc, AttemptRow.Columns.id.desc).limit(HistorySummary.recentLimit)
                .fetchAll(db).map(\.attempt).reversed()
            // For the streak, the first and last answer of each UTC day: every answer of a UTC day falls
            // on the local day of one of those two, whatever the time zone, so the set of local days is exact.
            var days: [Date] = []
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT min(answered_at), max(answered_at) FROM attempt WHERE learner_id = ? GROUP BY substr(answered_at, 1, 10)",
                arguments: [learnerID])
            {
                if let first: Date = row[0] { days.append(first) }
                if let last: Date = row[1] { days.append(last) }
            }
            let count = try AttemptRow.filter(AttemptRow.Columns.learnerID == learnerID).fetchCount(db)
            return HistorySummary(latest: latest, recent: Array(recent), count: count, answerTimes: days)
        }
    }

    public func scores(learnerID: Int64) async throws -> [ScoredAnswer] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT question_id, answered_at, score, seconds_taken, session_id FROM attempt
                    WHERE learner_id = ? ORDER BY answered_at, id
                    """,
                arguments: [learnerID]
            ).map { row in
                ScoredAnswer(
                    questionID: row["question_id"], answeredAt: row["answered_at"], score: row["score"],
                    secondsTaken: row["seconds_taken"], sessionID: row["session_id"])
            }
        }
    }

    public func reviewState(attempt: Attempt) async throws -> (own: [Review], latest: Review?) {
        try await writer.read { db in
            let own = try ReviewRow.filter(
                ReviewRow.Columns.attemptID == attempt.id && ReviewRow.Columns.learnerID == attempt.learnerID
            )
            .order(ReviewRow.Columns.reviewedAt, ReviewRow.Columns.id).fetchAll(db).map(\.review)
            let latest = try ReviewRow.filter(
                ReviewRow.Columns.learnerID == attempt.learnerID && ReviewRow.Columns.questionID == attempt.questionID
            ).order(ReviewRow.Columns.reviewedAt.desc, ReviewRow.Columns.id.desc).fetchOne(db)?.review
            return (own, latest)
        }
    }

    public func reviews(learnerID: Int64, questionID: String) async throws -> [Review] {
        try await writer.read { db in
            try ReviewRow.filter(ReviewRow.Columns.learnerID == learnerID && ReviewRow.Columns.questionID == questionID)
                .order(ReviewRow.Columns.reviewedAt, ReviewRow.Columns.id).fetchAll(db).map(\.review)
        }
    }

    public func currentCards(learnerID: Int64) async throws -> [String: ReviewCard] {
        try await writer.read { db in
            let rows = try ReviewRow.fetchAll(
                db, sql: Self.latestPerQuestion(table: "review", time: "reviewed_at"), arguments: [learnerID])
            return Dictionary(rows.map { ($0.questionID, $0.review.card) }, uniquingKeysWith: { a, _ in a })
        }
    }

    // MARK: Import

    public func importHistory(_ export: LearnerExport, into learnerID: Int64) async throws -> ImportSummary {
        try await write { db in
            var summary = ImportSummary()
            var sessionIDs: [Int64: Int64] = [:]
            for session in export.sessions {
                if let existing = try Int64.fetchOne(
                    db, sql: "SELECT id FROM practice_session WHERE learner_id = ? AND kind = ? AND started_at = ?",
                    arguments: [learnerID, session.kind.rawValue, session.startedAt])
                {
                    sessionIDs[session.id] = existing
                    summary.skipped += 1
                    continue
                }
                var row = SessionRow(session, learnerID: learnerID)
                try row.insert(db)
                sessionIDs[session.id] = row.id
                summary.sessionsAdded += 1
            }
            var attemptIDs: [Int64: Int64] = [:]
            for attempt in export.attempts {
                if let existing = try Int64.fetchOne(
                    db, sql: "SELECT id FROM attempt WHERE learner_id = ? AND question_id = ? AND answered_at = ?",
                    arguments: [learnerID, attempt.questionID, attempt.answeredAt])
                {
                    attemptIDs[attempt.id] = existing
                    summary.skipped += 1
                    continue
                }
                var row = AttemptRow(
                    attempt, learnerID: learnerID, sessionID: attempt.sessionID.flatMap { sessionIDs[$0] })
                try row.insert(db)
                attemptIDs[attempt.id] = row.id
                summary.attemptsAdded += 1
            }
            for review in export.reviews {
                let exists =
                    try Bool.fetchOne(
                        db,
                        sql:
                            "SELECT EXISTS (SELECT 1 FROM review WHERE learner_id = ? AND question_id = ? AND reviewed_at = ?)",
                        arguments: [learnerID, review.questionID, review.reviewedAt]) ?? false
                if exists {
                    summary.skipped += 1
                    continue
                }
                var row = ReviewRow(
                    review, learnerID: learnerID, attemptID: review.attemptID.flatMap { attemptIDs[$0] })
                try row.insert(db)
                summary.reviewsAdded += 1
            }
            for attempt in export.labAttempts {
                let exists =
                    try Bool.fetchOne(
                        db,
                        sql:
                            "SELECT EXISTS (SELECT 1 FROM lab_attempt WHERE learner_id = ? AND lab_id = ? AND submitted_at = ?)",
                        arguments: [learnerID, attempt.labID, attempt.submittedAt]) ?? false
                if exists {
                    summary.skipped += 1
                    continue
                }
                var row = try LabAttemptRow(attempt, learnerID: learnerID)
                try row.insert(db)
                summary.labAttemptsAdded += 1
            }
            return summary
        }
    }
}

extension SQLiteStore: LabAttemptRepository {
    public func recordLabAttempt(_ attempt: LabAttempt, review: Review?) async throws -> LabAttempt {
        try await write { db in
            var row = try LabAttemptRow(attempt, learnerID: attempt.learnerID)
            try row.insert(db)
            if let review {
                var reviewRow = ReviewRow(review, learnerID: review.learnerID, attemptID: nil)
                try reviewRow.insert(db)
            }
            return row.attempt
        }
    }

    public func labAttempts(learnerID: Int64, labID: String?) async throws -> [LabAttempt] {
        try await writer.read { db in
            var request = LabAttemptRow.filter(LabAttemptRow.Columns.learnerID == learnerID)
            if let labID { request = request.filter(LabAttemptRow.Columns.labID == labID) }
            return try request.order(LabAttemptRow.Columns.submittedAt, LabAttemptRow.Columns.id).fetchAll(db).map(
                \.attempt)
        }
    }

    public func labAttemptPage(learnerID: Int64, labID: String, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [LabAttempt])
    {
        try await writer.read { db in
            let request = LabAttemptRow.filter(
                LabAttemptRow.Columns.learnerID == learnerID && LabAttemptRow.Columns.labID == labID)
            let total = try request.fetchCount(db)
            let page = try request.order(LabAttemptRow.Columns.submittedAt.desc, LabAttemptRow.Columns.id.desc)
                .limit(max(0, limit), offset: max(0, offset)).fetchAll(db).map(\.attempt)
            return (total, page)
        }
    }
}

extension SQLiteStore: DraftRepository {
    public func saveDraft(key: String, text: String, learnerID: Int64, at date: Date) async throws -> Draft {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO draft (learner_id, key, text, saved_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (learner_id, key) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at
                    """,
                arguments: [learnerID, key, text, date.timeIntervalSince1970])
            // Past the limit, the oldest go (ties by key, so the draft just saved is never the one removed).
            try db.execute(
                sql: """
                    DELETE FROM draft WHERE learner_id = ? AND key NOT IN (
                        SELECT key FROM draft WHERE learner_id = ? ORDER BY saved_at DESC, key = ? DESC LIMIT ?)
                    """,
                arguments: [learnerID, learnerID, key, Draft.perLearnerLimit])
            return Draft(key: key, text: text, savedAt: date)
        }
    }

    public func draft(key: String, learnerID: Int64) async throws -> Draft? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT key, text, saved_at FROM draft WHERE learner_id = ? AND key = ?",
                arguments: [learnerID, key]
            ).map(Self.draft)
        }
    }

    public func drafts(learnerID: Int64) async throws -> [Draft] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT key, text, saved_at FROM draft WHERE learner_id = ? ORDER BY saved_at DESC, key LIMIT ?",
                arguments: [learnerID, Draft.perLearnerLimit]
            ).map(Self.draft)
        }
    }

    @discardableResult
    public func deleteDraft(key: String, learnerID: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM draft WHERE learner_id = ? AND key = ?", arguments: [learnerID, key])
            return db.changesCount > 0
        }
    }

    static func draft(_ row: Row) -> Draft {
        Draft(key: row["key"], text: row["text"], savedAt: Date(timeIntervalSince1970: row["saved_at"]))
    }
}

extension SQLiteStore {
    /// A write transaction. A database rule that refuses it becomes `StoreError.refused` with the rule
    /// named, the refusal every store reports alike, instead of SQLite's own error.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            let rule: StoreError.Rule =
                switch error.extendedResultCode {
                case .SQLITE_CONSTRAINT_CHECK: .check
                case .SQLITE_CONSTRAINT_FOREIGNKEY: .foreignKey
                case .SQLITE_CONSTRAINT_UNIQUE: .unique
                case .SQLITE_CONSTRAINT_TRIGGER where error.message?.contains("append-only") == true: .appendOnly
                default: .other
                }
            throw StoreError.refused(rule, error.message ?? "\(error)")
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            throw StoreError.unavailable(error.message ?? "\(error)")
        }
    }
}
