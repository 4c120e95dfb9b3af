import Foundation

/// One item's place in a learner's review schedule.
public struct ReviewCard: Sendable, Codable, Hashable {
    public enum Phase: String, Sendable, Codable, CaseIterable {
        /// Never reviewed, or still inside its learning steps.
        case learning
        /// Scheduled in whole days by the memory model.
        case review
        /// Forgotten after graduating, and inside its relearning steps.
        case relearning
    }

    public var phase: Phase
    /// The current learning or relearning step, when in one.
    public var step: Int?
    /// Nil until the first review.
    public var memory: MemoryState?
    public var due: Date
    public var lastReview: Date?

    /// A card that has never been reviewed, due at `due`.
    public static func new(due: Date) -> ReviewCard {
        ReviewCard(phase: .learning, step: 0, memory: nil, due: due, lastReview: nil)
    }

    public init(phase: Phase, step: Int?, memory: MemoryState?, due: Date, lastReview: Date?) {
        self.phase = phase
        self.step = step
        self.memory = memory
        self.due = due
        self.lastReview = lastReview
    }

    public var isNew: Bool { memory == nil }
}

/// Moves cards through learning, review and relearning, with FSRS-6 deciding the intervals.
///
/// The state machine follows py-fsrs's `Scheduler` (without fuzz), so the published interval history
/// vectors apply; the memory formulas follow fsrs-rs (a same-day Hard never lowers stability).
public struct ReviewScheduler: Sendable, Hashable {
    public let fsrs: FSRS
    /// Intra-day steps for a new card, in seconds.
    public let learningSteps: [TimeInterval]
    /// Intra-day steps after a lapse, in seconds.
    public let relearningSteps: [TimeInterval]

    /// Rounds asks each question once per session, so by default there are no intra-day steps: a
    /// first answer is scheduled in days straight away, and a failed one comes back the next day.
    public init(fsrs: FSRS = FSRS(), learningSteps: [TimeInterval] = [], relearningSteps: [TimeInterval] = []) {
        self.fsrs = fsrs
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
    }

    /// The card after a review with `rating` at `now`.
    public func review(_ card: ReviewCard, rating: Rating, at now: Date) -> ReviewCard {
        let elapsedDays = card.lastReview.map { Int((now.timeIntervalSince($0) / 86_400).rounded(.down)) }
        let memory = fsrs.nextState(card.memory, elapsedDays: max(elapsedDays ?? 0, 0), rating: rating)
        var next = card
        next.memory = memory
        next.lastReview = now
        let days = { TimeInterval(self.fsrs.interval(stability: memory.stability)) * 86_400 }

        var wait: TimeInterval
        switch card.phase {
        case .learning, .relearning:
            let steps = card.phase == .learning ? learningSteps : relearningSteps
            let step = card.step ?? 0
            if steps.isEmpty || (step >= steps.count && rating != .again) {
                next.phase = .review
                next.step = nil
                wait = days()
            } else {
                switch rating {
                case .again:
                    next.step = 0
                    wait = steps[0]
                case .hard:
                    if step == 0 {
                        wait = steps.count == 1 ? steps[0] * 1.5 : (steps[0] + steps[1]) / 2
                    } else {
                        wait = steps[step]
                    }
                case .good:
                    if step + 1 == steps.count {
                        next.phase = .review
                        next.step = nil
                        wait = days()
                    } else {
                        next.step = step + 1
                        wait = steps[step + 1]
                    }
                case .easy:
                    next.phase = .review
                    next.step = nil
                    wait = days()
                }
            }
        case .review:
            if rating == .again, !relearningSteps.isEmpty {
                next.phase = .relearning
                next.step = 0
                wait = relearningSteps[0]
            } else {
                wait = days()
            }
        }
        next.due = now.addingTimeInterval(wait)
        return next
    }
}
