import Foundation

/// The report at the end of a mock interview, for the terminal and the web alike: each answer with its
/// score and time, the average per skill, the weakest skills and the single most useful improvement.
public struct MockReport: Sendable, Codable, Hashable {
    public struct Entry: Sendable, Codable, Hashable {
        public let questionID: String
        public let title: String
        public let kind: QuestionKind
        /// The question's primary skill.
        public let skill: String
        /// Every skill the question tests; the answer counts toward each.
        public let skills: [String]
        public let score: Int
        public let band: Int
        public let seconds: Int
        /// Sent after the interview's time ran out (the last answer, at most).
        public let overTime: Bool
        public let improvements: [String]
        /// The saved attempt, when there is one to link to.
        public let attemptID: Int64?

        public init(
            question: Question, score: Int, band: Int, seconds: Int, overTime: Bool, improvements: [String],
            attemptID: Int64? = nil
        ) {
            questionID = question.id
            title = question.title
            kind = question.kind
            skill = question.primarySkill
            skills = question.skills.isEmpty ? [question.primarySkill] : question.skills
            self.score = score
            self.band = band
            self.seconds = seconds
            self.overTime = overTime
            self.improvements = improvements
            self.attemptID = attemptID
        }
    }

    public struct SkillScore: Sendable, Codable, Hashable {
        public let skill: String
        public let score: Int
    }

    public let role: String
    public let minutes: Int
    public let secondsUsed: Int
    public let answered: Int
    public let planned: Int
    public let averageScore: Int
    public let entries: [Entry]
    /// Average score per primary skill, best first.
    public let skills: [SkillScore]
    /// What to practise: up to three skills averaging under `strongScore`, weakest first, and never the
    /// interview's best skill when it covered more than one (with two skills, "the three weakest" used
    /// to recommend the strongest).
    public let weakest: [SkillScore]
    /// An average at or above this is not a weakness.
    public static let strongScore = 80
    /// The first improvement of the lowest-scoring answer, with that answer's title.
    public let topImprovement: Improvement?

    public struct Improvement: Sendable, Codable, Hashable {
        public let title: String
        public let advice: String
    }

    public init(role: String, minutes: Int, secondsUsed: Int, planned: Int, entries: [Entry]) {
        self.role = role
        self.minutes = minutes
        self.secondsUsed = secondsUsed
        self.planned = planned
        self.entries = entries
        answered = entries.count
        averageScore = entries.isEmpty ? 0 : entries.map(\.score).reduce(0, +) / entries.count
        var bySkill: [String: [Int]] = [:]
        for entry in entries {
            for skill in Set(entry.skills) { bySkill[skill, default: []].append(entry.score) }
        }
        let averages = bySkill.map { SkillScore(skill: $0.key, score: $0.value.reduce(0, +) / $0.value.count) }
        skills = averages.sorted { $0.score != $1.score ? $0.score > $1.score : $0.skill < $1.skill }
        let best = averages.count > 1 ? averages.map(\.score).max() : nil
        weakest = Array(
            averages.filter { $0.score < Self.strongScore && $0.score != best }
                .sorted { $0.score != $1.score ? $0.score < $1.score : $0.skill < $1.skill }.prefix(3))
        topImprovement = entries.min { $0.score < $1.score }.flatMap { entry in
            entry.improvements.first.map { Improvement(title: entry.title, advice: $0) }
        }
    }
}
