import Foundation
import GRDB
import RoundsCore

// Row types: the database's view of the domain values, kept private to the store.

struct LearnerRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "learner"
    var id: Int64?
    var name: String
    var createdAt: Date
    var targetRole: String?
    var interviewDate: String?
    var desiredRetention: Double
    var hoursPerWeek: Double?
    var level: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
        case targetRole = "target_role"
        case interviewDate = "interview_date"
        case desiredRetention = "desired_retention"
        case hoursPerWeek = "hours_per_week"
        case level
    }

    /// The columns queries filter and sort on, named once.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let name = Column(CodingKeys.name)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var learner: Learner {
        Learner(
            id: id!, name: name, createdAt: createdAt,
            settings: LearnerSettings(
                targetRole: targetRole, interviewDate: interviewDate, desiredRetention: desiredRetention,
                hoursPerWeek: hoursPerWeek, level: level.flatMap(Level.init(rawValue:))))
    }
}

struct SessionRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "practice_session"
    var id: Int64?
    var learnerID: Int64
    var kind: String
    var startedAt: Date
    var endedAt: Date?
    var role: String?
    var level: String?
    var minutes: Int?

    enum CodingKeys: String, CodingKey {
        case id, kind, role, level, minutes
        case learnerID = "learner_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
    }

    /// The columns queries filter and sort on, named once.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let learnerID = Column(CodingKeys.learnerID)
        static let startedAt = Column(CodingKeys.startedAt)
    }

    init(_ session: PracticeSession, learnerID: Int64) {
        id = nil
        self.learnerID = learnerID
        kind = session.kind.rawValue
        startedAt = session.startedAt
        endedAt = session.endedAt
        role = session.role
        level = session.level?.rawValue
        minutes = session.minutes
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var session: PracticeSession {
        PracticeSession(
            id: id!, learnerID: learnerID, kind: PracticeSession.Kind(rawValue: kind) ?? .practice,
            startedAt: startedAt,
            endedAt: endedAt, role: role, level: level.flatMap(Level.init(rawValue:)), minutes: minutes)
    }
}

struct AttemptRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "attempt"
    var id: Int64?
    var learnerID: Int64
    var questionID: String
    var sessionID: Int64?
    var answeredAt: Date
    var answer: String
    var score: Int
    var band: Int
    var rating: Int
    var ratingOverridden: Bool
    var secondsTaken: Int?
    var summary: String

    enum CodingKeys: String, CodingKey {
        case id, answer, score, band, rating, summary
        case learnerID = "learner_id"
        case questionID = "question_id"
        case sessionID = "session_id"
        case answeredAt = "answered_at"
        case ratingOverridden = "rating_overridden"
        case secondsTaken = "seconds_taken"
    }

    /// The columns queries filter and sort on, named once.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let learnerID = Column(CodingKeys.learnerID)
        static let questionID = Column(CodingKeys.questionID)
        static let answeredAt = Column(CodingKeys.answeredAt)
    }

    init(_ attempt: Attempt, learnerID: Int64, sessionID: Int64?) {
        id = nil
        self.learnerID = learnerID
        questionID = attempt.questionID
        self.sessionID = sessionID
        answeredAt = attempt.answeredAt
        answer = attempt.answer
        score = attempt.score
        band = attempt.band
        rating = attempt.rating.rawValue
        ratingOverridden = attempt.ratingOverridden
        secondsTaken = attempt.secondsTaken
        summary = attempt.summary
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var attempt: Attempt {
        Attempt(
            id: id!, learnerID: learnerID, questionID: questionID, sessionID: sessionID, answeredAt: answeredAt,
            answer: answer, score: score, band: band, rating: Rating(rawValue: rating) ?? .again,
            ratingOverridden: ratingOverridden, secondsTaken: secondsTaken, summary: summary)
    }
}

struct ReviewRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "review"
    var id: Int64?
    var learnerID: Int64
    var questionID: String
    var attemptID: Int64?
    var reviewedAt: Date
    var rating: Int
    var phase: String
    var step: Int?
    var stability: Double
    var difficulty: Double
    var dueAt: Date
    var lastReviewAt: Date

    enum CodingKeys: String, CodingKey {
        case id, rating, phase, step, stability, difficulty
        case learnerID = "learner_id"
        case questionID = "question_id"
        case attemptID = "attempt_id"
        case reviewedAt = "reviewed_at"
        case dueAt = "due_at"
        case lastReviewAt = "last_review_at"
    }

    /// The columns queries filter and sort on, named once.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let learnerID = Column(CodingKeys.learnerID)
        static let questionID = Column(CodingKeys.questionID)
        static let attemptID = Column(CodingKeys.attemptID)
        static let reviewedAt = Column(CodingKeys.reviewedAt)
    }

    /// - Precondition: the card has been reviewed (it has a memory state).
    init(_ review: Review, learnerID: Int64, attemptID: Int64?) {
        id = nil
        self.learnerID = learnerID
        questionID = review.questionID
        self.attemptID = attemptID
        reviewedAt = review.reviewedAt
        rating = review.rating.rawValue
        phase = review.card.phase.rawValue
        step = review.card.step
        stability = review.card.memory?.stability ?? 0
        difficulty = review.card.memory?.difficulty ?? 0
        dueAt = review.card.due
        lastReviewAt = review.card.lastReview ?? review.reviewedAt
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var review: Review {
        Review(
            id: id!, learnerID: learnerID, questionID: questionID, attemptID: attemptID, reviewedAt: reviewedAt,
            rating: Rating(rawValue: rating) ?? .again,
            card: ReviewCard(
                phase: ReviewCard.Phase(rawValue: phase) ?? .review, step: step,
                memory: MemoryState(stability: stability, difficulty: difficulty), due: dueAt, lastReview: lastReviewAt)
        )
    }
}

struct LabAttemptRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "lab_attempt"
    var id: Int64?
    var learnerID: Int64
    var labID: String
    var submittedAt: Date
    var submission: String
    var accepted: Bool
    var score: Int
    var findings: String

    enum CodingKeys: String, CodingKey {
        case id, submission, accepted, score, findings
        case learnerID = "learner_id"
        case labID = "lab_id"
        case submittedAt = "submitted_at"
    }

    /// The columns queries filter and sort on, named once.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let learnerID = Column(CodingKeys.learnerID)
        static let labID = Column(CodingKeys.labID)
        static let submittedAt = Column(CodingKeys.submittedAt)
    }

    init(_ attempt: LabAttempt, learnerID: Int64) throws {
        id = nil
        self.learnerID = learnerID
        labID = attempt.labID
        submittedAt = attempt.submittedAt
        submission = attempt.submission
        accepted = attempt.accepted
        score = attempt.score
        findings = String(decoding: try JSONEncoder().encode(attempt.findings), as: UTF8.self)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var attempt: LabAttempt {
        var attempt = LabAttempt(
            id: id ?? 0, learnerID: learnerID, labID: labID, submittedAt: submittedAt, submission: submission,
            result: LabResult(findings: []))
        attempt.accepted = accepted
        attempt.score = score
        attempt.findings = (try? JSONDecoder().decode([LabResult.Finding].self, from: Data(findings.utf8))) ?? []
        return attempt
    }
}
