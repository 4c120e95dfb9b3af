import Foundation
import RoundsCore

/// One lab as a list shows it, with the learner's status: what `rounds labs list --json` prints and
/// `/api/v1/labs` returns, so the two cannot drift apart.
public struct LabSummary: Sendable, Codable, Hashable {
    public let id, title, level, kind: String
    public let minutes: Int
    public let skills, roles: [String]
    /// For the learner asking: `new`, `tried`, `solved`, or `due` (solved, and due for review).
    public let status: LabStatus

    public init(_ lab: Lab, status: LabStatus) {
        id = lab.id
        title = lab.title
        level = lab.level.rawValue
        kind = lab.kind.rawValue
        minutes = lab.minutes
        skills = lab.skills
        roles = lab.roles
        self.status = status
    }
}

/// A learner's lab history as lists and the dashboard need it: every hand-in and the review cards,
/// in two reads, from which each lab's status and the number solved follow.
public struct LabHistory: Sendable {
    public let attempts: [LabAttempt]
    public let cards: [String: ReviewCard]

    public init(attempts: [LabAttempt] = [], cards: [String: ReviewCard] = [:]) {
        self.attempts = attempts
        self.cards = cards
    }

    /// Reads a learner's hand-ins and cards; `cards` when the caller has read them already.
    public static func read(
        learnerID: Int64, store: any PracticeRepository & LabAttemptRepository, cards: [String: ReviewCard]? = nil
    ) async throws -> LabHistory {
        let attempts = try await store.labAttempts(learnerID: learnerID, labID: nil)
        if let cards { return LabHistory(attempts: attempts, cards: cards) }
        return LabHistory(attempts: attempts, cards: try await store.currentCards(learnerID: learnerID))
    }

    /// Where the learner stands with `lab` at `now`.
    public func status(of lab: Lab, now: Date = Date()) -> LabStatus {
        LabStatus(labID: lab.id, attempts: attempts, cards: cards, now: now)
    }

    /// How many different labs the learner has solved.
    public var solved: Int { Set(attempts.filter(\.accepted).map(\.labID)).count }
}
