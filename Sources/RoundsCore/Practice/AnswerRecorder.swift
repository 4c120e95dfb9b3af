import Foundation

/// Saves a graded answer: schedules the question's next review with FSRS-6 from the rating, then
/// writes the attempt and its review in one transaction. The command line and the web app share it,
/// so an answer is recorded the same way wherever it was typed.
public struct AnswerRecorder: Sendable {
    public let store: any PracticeRepository
    public let learner: Learner
    public let scheduler: ReviewScheduler

    public init(store: any PracticeRepository, learner: Learner) {
        self.store = store
        self.learner = learner
        scheduler = ReviewScheduler(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention))
    }

    /// Saves the attempt and its review; returns the saved attempt and the question's new card.
    @discardableResult
    public func record(
        questionID: String, answer: String, score: Int, band: Int, rating: Rating, overridden: Bool, summary: String,
        seconds: Int?, session: Int64?, current: ReviewCard?, at now: Date
    ) async throws -> (attempt: Attempt, card: ReviewCard) {
        let card = scheduler.review(current ?? .new(due: now), rating: rating, at: now)
        let attempt = Attempt(
            learnerID: learner.id, questionID: questionID, sessionID: session, answeredAt: now, answer: answer,
            score: score, band: band, rating: rating, ratingOverridden: overridden, secondsTaken: seconds,
            summary: summary)
        let review = Review(
            learnerID: learner.id, questionID: questionID, attemptID: nil, reviewedAt: now, rating: rating, card: card)
        let (saved, _) = try await store.record(attempt, review: review)
        return (saved, card)
    }
}
