import Foundation

/// What progress needs from a learner's history, which a store reads without loading every answer: the
/// latest attempt of each question, the 30 most recent, how many there are, and when each was given.
/// (Loading all of them made stats 44 times slower at 10,000 answers than at 10; issue 21.)
public struct HistorySummary: Sendable, Hashable {
    /// The latest attempt of each question answered (ties on time: the later id).
    public var latest: [Attempt]
    /// The most recent attempts, oldest first, at most `recentLimit`.
    public var recent: [Attempt]
    public var count: Int
    /// Instants whose local days are exactly the days with an answer, for the streak (every answer's
    /// time, or fewer that cover the same days).
    public var answerTimes: [Date]

    public static let recentLimit = 30

    public init(latest: [Attempt], recent: [Attempt], count: Int, answerTimes: [Date]) {
        self.latest = latest
        self.recent = recent
        self.count = count
        self.answerTimes = answerTimes
    }

    /// The summary of attempts held in memory, oldest first.
    public init(_ attempts: [Attempt]) {
        var latest: [String: Attempt] = [:]
        for attempt in attempts where (latest[attempt.questionID]?.answeredAt ?? .distantPast) <= attempt.answeredAt {
            latest[attempt.questionID] = attempt
        }
        self.init(
            latest: Array(latest.values),
            recent: Array(attempts.sorted { $0.answeredAt < $1.answeredAt }.suffix(Self.recentLimit)),
            count: attempts.count, answerTimes: attempts.map(\.answeredAt))
    }
}

/// How far a learner has got: mastery per skill, readiness per role, what is due, the streak and the
/// score history. Pure computation over the learner's history summary and cards.
public struct LearnerProgress: Sendable, Codable, Hashable {
    /// Mastery of one skill.
    public struct SkillMastery: Sendable, Codable, Hashable {
        public let skill: String
        /// 0 to 1: the mean of the latest score on each question practised, times the confidence.
        public let mastery: Double
        /// Questions of the skill answered at least once.
        public let practised: Int
        /// Questions of the skill in the bank.
        public let available: Int
    }

    /// Readiness for one role.
    public struct RoleReadiness: Sendable, Codable, Hashable {
        public let role: String
        /// 0 to 100: the role's skill weights applied to the skills' mastery.
        public let percent: Int
    }

    /// A skill needs this many questions practised before its mastery counts in full.
    public static let questionsForFullConfidence = 5

    public let skills: [SkillMastery]
    public let roles: [RoleReadiness]
    public let dueNow: Int
    public let dueThisWeek: Int
    /// Consecutive days, ending today or yesterday, with at least one answer.
    public let streakDays: Int
    /// Scores of the most recent attempts, oldest first (at most 30).
    public let recentScores: [Int]
    public let attempts: Int

    /// - Parameters:
    ///   - labs: the ids of the labs in the bank; their reviews count as due like questions'.
    ///   - calendar: the learner's calendar, which decides where days begin for the streak.
    public init(
        questions: [Question], labs: [String] = [], skills: [Skill], roles: [Role], attempts: [Attempt],
        cards: [String: ReviewCard], now: Date, calendar: Calendar = .current
    ) {
        self.init(
            questions: questions, labs: labs, skills: skills, roles: roles, history: HistorySummary(attempts),
            cards: cards, now: now, calendar: calendar)
    }

    public init(
        questions: [Question], labs: [String] = [], skills: [Skill], roles: [Role], history: HistorySummary,
        cards: [String: ReviewCard], now: Date, calendar: Calendar = .current
    ) {
        let latest = Dictionary(
            history.latest.map { ($0.questionID, $0) },
            uniquingKeysWith: { a, b in (a.answeredAt, a.id) > (b.answeredAt, b.id) ? a : b })
        let masteries = skills.map { skill -> SkillMastery in
            let own = questions.filter { $0.primarySkill == skill.id }
            let scores = own.compactMap { latest[$0.id]?.score }
            let mean = scores.isEmpty ? 0 : Double(scores.reduce(0, +)) / Double(scores.count) / 100
            return SkillMastery(
                skill: skill.id, mastery: mean * Self.confidence(answered: scores.count), practised: scores.count,
                available: own.count)
        }
        let bySkill = Dictionary(masteries.map { ($0.skill, $0.mastery) }, uniquingKeysWith: { a, _ in a })
        self.skills = masteries
        self.roles = roles.map { role in
            RoleReadiness(role: role.id, percent: Self.readiness(weights: role.skillWeights, mastery: bySkill))
        }
        let known = Set(questions.map(\.id) + labs.map(Lab.reviewItem))
        let live = cards.filter { known.contains($0.key) }
        dueNow = live.values.filter { $0.due <= now }.count
        dueThisWeek = live.values.filter { $0.due <= now.addingTimeInterval(7 * 86_400) }.count
        streakDays = Self.streak(history.answerTimes, now: now, calendar: calendar)
        recentScores = history.recent.suffix(HistorySummary.recentLimit).map(\.score)
        self.attempts = history.count
    }

    /// How far a skill's mean score counts toward its mastery after `answered` questions: 0 to 1, full
    /// from ``questionsForFullConfidence``.
    public static func confidence(answered: Int) -> Double {
        min(1, Double(answered) / Double(questionsForFullConfidence))
    }

    /// Σ weight × mastery / Σ weight, as a whole percentage.
    public static func readiness(weights: [String: Double], mastery: [String: Double]) -> Int {
        let total = weights.values.reduce(0, +)
        guard total > 0 else { return 0 }
        let earned = weights.map { skill, weight in weight * (mastery[skill] ?? 0) }.reduce(0, +)
        return Int((earned / total * 100).rounded())
    }

    static func streak(_ dates: [Date], now: Date, calendar: Calendar) -> Int {
        let days = Set(dates.map { calendar.startOfDay(for: $0) })
        var day = calendar.startOfDay(for: now)
        if !days.contains(day) {
            day = calendar.date(byAdding: .day, value: -1, to: day)!
        }
        var count = 0
        while days.contains(day) {
            count += 1
            day = calendar.date(byAdding: .day, value: -1, to: day)!
        }
        return count
    }

    /// The mastery of a skill by id.
    public func mastery(of skill: String) -> Double {
        skills.first { $0.skill == skill }?.mastery ?? 0
    }
}

/// A learner's progress with the two reads it was computed from, which callers reuse: the planner
/// needs the cards, the dashboard the recent answers.
public struct ProgressSnapshot: Sendable {
    public let progress: LearnerProgress
    public let history: HistorySummary
    public let cards: [String: ReviewCard]
}

extension LearnerProgress {
    /// Reads a learner's history summary and current cards (two indexed reads, whatever the length of
    /// the history) and computes progress over the bank's questions, labs, skills and roles: the one
    /// way the dashboard, the cohort page, the API, `rounds practice` and `rounds stats` measure it.
    public static func snapshot(
        learnerID: Int64, store: any PracticeRepository, questions: [Question], labs: [String], skills: [Skill],
        roles: [Role], now: Date
    ) async throws -> ProgressSnapshot {
        let history = try await store.historySummary(learnerID: learnerID)
        let cards = try await store.currentCards(learnerID: learnerID)
        let progress = LearnerProgress(
            questions: questions, labs: labs, skills: skills, roles: roles, history: history, cards: cards, now: now)
        return ProgressSnapshot(progress: progress, history: history, cards: cards)
    }
}
