import Foundation

/// Labs join spaced repetition: an accepted hand-in is a review of the lab, scheduled by FSRS-6 like an
/// answer. The rating comes from how many hand-ins it took since the lab was last reviewed: accepted
/// at the first try is Good, after two or three is Hard, after more is Again. Hand-ins that are not
/// accepted schedule nothing on their own; the review comes with the one that is. Reviews are filed
/// under ``Lab/reviewItem(_:)``.
public struct LabRecorder: Sendable {
    public let store: any PracticeRepository & LabAttemptRepository
    public let learner: Learner
    public let scheduler: ReviewScheduler

    public init(store: any PracticeRepository & LabAttemptRepository, learner: Learner) {
        self.store = store
        self.learner = learner
        scheduler = ReviewScheduler(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention))
    }

    /// The rating an accepted hand-in earns after `tries` hand-ins since the last review (this one included).
    public static func rating(tries: Int) -> Rating {
        switch tries {
        case ...1: .good
        case 2...3: .hard
        default: .again
        }
    }

    /// Saves the hand-in, and the review it earns when accepted, in one transaction.
    @discardableResult
    public func record(labID: String, submission: String, result: LabResult, at now: Date) async throws -> (
        attempt: LabAttempt, review: Review?
    ) {
        let attempt = LabAttempt(
            learnerID: learner.id, labID: labID, submittedAt: now, submission: submission, result: result)
        guard result.accepted else { return (try await store.recordLabAttempt(attempt, review: nil), nil) }
        let item = Lab.reviewItem(labID)
        let current = try await store.currentCards(learnerID: learner.id)[item]
        let since = current?.lastReview ?? .distantPast
        let earlier = try await store.labAttempts(learnerID: learner.id, labID: labID).filter { $0.submittedAt > since }
        let rating = Self.rating(tries: earlier.count + 1)
        let card = scheduler.review(current ?? .new(due: now), rating: rating, at: now)
        let review = Review(
            learnerID: learner.id, questionID: item, attemptID: nil, reviewedAt: now, rating: rating, card: card)
        let saved = try await store.recordLabAttempt(attempt, review: review)
        return (saved, review)
    }
}

/// Where a learner stands with a lab.
public enum LabStatus: String, Sendable, Codable, CaseIterable {
    /// No hand-in yet.
    case new
    /// Handed in, never accepted.
    case tried
    /// Accepted, and not due for review.
    case solved
    /// Accepted before, and due for review now.
    case due

    /// The status from the learner's hand-ins and review cards (`currentCards`).
    public init(labID: String, attempts: [LabAttempt], cards: [String: ReviewCard], now: Date) {
        let mine = attempts.filter { $0.labID == labID }
        if let card = cards[Lab.reviewItem(labID)], card.due <= now, mine.contains(where: \.accepted) {
            self = .due
        } else if mine.contains(where: \.accepted) {
            self = .solved
        } else {
            self = mine.isEmpty ? .new : .tried
        }
    }

    public var label: String {
        switch self {
        case .new: "Not tried"
        case .tried: "Tried"
        case .solved: "Solved"
        case .due: "Due again"
        }
    }
}
