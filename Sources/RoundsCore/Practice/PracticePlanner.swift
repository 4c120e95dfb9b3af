import Foundation

/// Chooses what to practise next: due reviews first, most forgotten first; then new questions from
/// the skills where the learner is weakest, weighted by how much the target role cares about them.
public struct PracticePlanner: Sendable {
    /// One question in the queue, with why it was chosen.
    public struct Item: Sendable, Hashable {
        public enum Reason: Sendable, Hashable {
            /// Scheduled for review; recall is estimated at `retrievability`.
            case due(retrievability: Double)
            /// Never answered; its skill is among the weakest for the role.
            case new(skill: String)
        }

        public let question: Question
        public let reason: Reason
    }

    public let fsrs: FSRS
    /// The level the learner says they are at: new questions start there.
    public let startingLevel: Level

    public init(fsrs: FSRS = FSRS(), startingLevel: Level = .beginner) {
        self.fsrs = fsrs
        self.startingLevel = startingLevel
    }

    /// The planner for a learner: FSRS at the learner's desired retention, new questions from their level.
    public init(for settings: LearnerSettings) {
        self.init(fsrs: FSRS(desiredRetention: settings.desiredRetention), startingLevel: settings.level ?? .beginner)
    }

    /// Up to `count` questions passing `accepts`, due ones first.
    public func queue(
        questions: [Question], cards: [String: ReviewCard], progress: LearnerProgress, role: Role?, count: Int,
        now: Date,
        accepts: (Question) -> Bool = { _ in true }
    ) -> [Item] {
        let candidates = questions.filter(accepts)
        var items: [Item] = []
        let due = candidates.compactMap { question -> (Question, Double)? in
            guard let card = cards[question.id], card.due <= now, let memory = card.memory else { return nil }
            let elapsed = card.lastReview.map { now.timeIntervalSince($0) / 86_400 } ?? 0
            return (question, fsrs.retrievability(elapsedDays: max(elapsed, 0), stability: memory.stability))
        }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.id < $1.0.id }
        for (question, r) in due.prefix(count) {
            items.append(Item(question: question, reason: .due(retrievability: r)))
        }
        guard items.count < count else { return items }

        // New questions, one skill at a time, weakest (weighted by the role) first.
        let fresh = candidates.filter { cards[$0.id] == nil }
        var bySkill = Dictionary(grouping: fresh, by: \.primarySkill)
        // Without a role every skill counts the same; with one, skills it does not test come last.
        func need(_ skill: String) -> Double {
            let weight = role.map { $0.skillWeights[skill] ?? 0 } ?? 1
            return weight * (1 - progress.mastery(of: skill))
        }
        for skill in bySkill.keys {
            bySkill[skill] = Self.inLevelOrder(
                bySkill[skill]!, mastery: progress.mastery(of: skill), startingAt: startingLevel)
        }
        let skillsByNeed = bySkill.keys.sorted { need($0) != need($1) ? need($0) > need($1) : $0 < $1 }
        var round = 0
        while items.count < count {
            var added = false
            for skill in skillsByNeed where items.count < count {
                guard let list = bySkill[skill], round < list.count else { continue }
                items.append(Item(question: list[round], reason: .new(skill: skill)))
                added = true
            }
            if !added { break }
            round += 1
        }
        return items
    }

    /// New questions of one skill in the order to take them: nearest the level `mastery` calls for
    /// (never below the learner's own level) first, then by id.
    static func inLevelOrder(_ questions: [Question], mastery: Double, startingAt level: Level = .beginner)
        -> [Question]
    {
        let preferred = max(preferredLevel(mastery: mastery), Level.allCases.firstIndex(of: level)!)
        return questions.sorted {
            let a = abs(Level.allCases.firstIndex(of: $0.level)! - preferred)
            let b = abs(Level.allCases.firstIndex(of: $1.level)! - preferred)
            return a != b ? a < b : $0.id < $1.id
        }
    }

    /// Start at beginner, move to intermediate from 40% mastery and to advanced from 70%.
    static func preferredLevel(mastery: Double) -> Int {
        mastery < 0.4 ? 0 : mastery < 0.7 ? 1 : 2
    }
}
