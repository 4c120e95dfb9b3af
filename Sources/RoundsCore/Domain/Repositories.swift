import Foundation

/// Everything Rounds keeps, behind one protocol: practice history, lab hand-ins, drafts, accounts and
/// API tokens. The web app and the command line hold a `Storage`, never a concrete store, so another
/// database can stand behind them; the store contract suite runs against each implementation.
public protocol Storage: PracticeRepository, LabAttemptRepository, DraftRepository, AccountRepository,
    APITokenRepository, OpeningRepository
{
    /// The names of the migrations applied, oldest first (`0001_create_learners`…); every store numbers
    /// and names its migrations alike.
    func appliedMigrations() async throws -> [String]
}

extension Storage {
    /// Everything the store holds about `learner`, as `rounds export` and the web export write it.
    public func export(_ learner: Learner, at date: Date = Date()) async throws -> LearnerExport {
        LearnerExport(
            exportedAt: date, learner: learner, sessions: try await sessions(learnerID: learner.id),
            attempts: try await attempts(learnerID: learner.id, questionID: nil),
            reviews: try await reviews(learnerID: learner.id),
            labAttempts: try await labAttempts(learnerID: learner.id, labID: nil),
            openings: try await openings(learnerID: learner.id).reversed(),
            companyNotes: try await companyNotes(learnerID: learner.id))
    }

    /// Adds everything in an export to the learner: history (``PracticeRepository/importHistory(_:into:)``),
    /// then the openings not already kept, and company notes the learner has none on. An opening the
    /// export planned for becomes the plan's target when the learner has none.
    public func importEverything(_ export: LearnerExport, into learnerID: Int64) async throws -> ImportSummary {
        var summary = try await importHistory(export, into: learnerID)
        let before = try await openings(learnerID: learnerID)
        let added = try await addOpenings(export.openings, learnerID: learnerID)
        summary.openingsAdded = added.count
        summary.skipped += export.openings.count - added.count
        if !before.contains(where: \.planTarget), let planned = export.openings.first(where: \.planTarget),
            let match = added.first(where: { $0.isSamePosting(as: planned) }), let id = match.id
        {
            try await setPlanTarget(openingID: id, learnerID: learnerID)
        }
        let notes = try await companyNotes(learnerID: learnerID)
        for note in export.companyNotes {
            if notes.contains(where: { $0.company.lowercased() == note.company.lowercased() }) {
                summary.skipped += 1
            } else {
                try await saveCompanyNote(note, learnerID: learnerID)
                summary.companyNotesAdded += 1
            }
        }
        return summary
    }
}

/// Storage for learners, their sessions, attempts and reviews. Implemented on SQLite (GRDB); the
/// store contract tests check the behaviour every implementation must share.
public protocol PracticeRepository: Sendable {
    /// The learner with `name`, created with default settings if there is none.
    func learner(named name: String) async throws -> Learner
    /// The learner with `id`, if any.
    func learner(id: Int64) async throws -> Learner?
    /// Deletes a learner and everything they have: sessions, attempts and reviews.
    func deleteLearner(id: Int64) async throws
    /// Saves a learner's settings.
    func updateSettings(_ settings: LearnerSettings, learnerID: Int64) async throws

    /// Opens a session and returns it with its id.
    func startSession(_ session: PracticeSession) async throws -> PracticeSession
    /// Closes an open session; closing a closed one changes nothing.
    func endSession(id: Int64, at date: Date) async throws
    /// A learner's sessions, oldest first.
    func sessions(learnerID: Int64) async throws -> [PracticeSession]

    /// Records an attempt and the review it produced in one transaction: both or neither.
    func record(_ attempt: Attempt, review: Review) async throws -> (Attempt, Review)
    /// One of a learner's attempts; nil when there is none with that id, or it is another learner's.
    func attempt(id: Int64, learnerID: Int64) async throws -> Attempt?
    /// Appends a review on its own: a learner's change of the rating an answer was scheduled with. The
    /// review must refer to one of the same learner's attempts.
    func appendReview(_ review: Review) async throws -> Review
    /// A learner's attempts, oldest first, optionally for one question.
    func attempts(learnerID: Int64, questionID: String?) async throws -> [Attempt]
    /// One page of a learner's attempts that pass `filter`, newest first, and how many pass in all: a
    /// list that grows without end is read a page at a time.
    func attemptPage(learnerID: Int64, filter: AttemptFilter, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [Attempt])
    /// What progress needs from a learner's history, read without loading every answer.
    func historySummary(learnerID: Int64) async throws -> HistorySummary
    /// Every answer's question, time, score, seconds taken and session, oldest first, without the text:
    /// progress over time replays these.
    func scores(learnerID: Int64) async throws -> [ScoredAnswer]
    /// A learner's reviews, oldest first.
    func reviews(learnerID: Int64) async throws -> [Review]
    /// A learner's reviews of one question, oldest first (indexed: the cost does not grow with the
    /// rest of the history).
    func reviews(learnerID: Int64, questionID: String) async throws -> [Review]
    /// The reviews an attempt scheduled (its own, then any change of its rating), oldest first, and the
    /// latest review of its question; two indexed reads, whatever the length of the history.
    func reviewState(attempt: Attempt) async throws -> (own: [Review], latest: Review?)
    /// The current card of every question the learner has reviewed: the latest review's.
    func currentCards(learnerID: Int64) async throws -> [String: ReviewCard]

    /// Adds an export's sessions, attempts and reviews to the learner, skipping what is already there.
    func importHistory(_ export: LearnerExport, into learnerID: Int64) async throws -> ImportSummary
}

/// Which of a learner's attempts a history list shows.
public struct AttemptFilter: Sendable, Hashable {
    /// Only attempts at these questions (a question, or a skill's questions); nil for all.
    public var questionIDs: [String]?
    /// Only attempts answered at or after `from` and before `before`.
    public var from: Date?
    public var before: Date?

    public init(questionIDs: [String]? = nil, from: Date? = nil, before: Date? = nil) {
        self.questionIDs = questionIDs
        self.from = from
        self.before = before
    }
}

extension PracticeRepository {
    /// One page of a learner's attempts, newest first, optionally for one question.
    public func attemptPage(learnerID: Int64, questionID: String?, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [Attempt])
    {
        try await attemptPage(
            learnerID: learnerID, filter: AttemptFilter(questionIDs: questionID.map { [$0] }), limit: limit,
            offset: offset)
    }
}
