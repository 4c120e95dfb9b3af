import Foundation
import RoundsCore

/// The loaded bank: skills, roles and questions from the bundled pack and any extra packs.
public struct ContentLibrary: Sendable {
    /// Skills in display order.
    public let skills: [Skill]
    /// Roles sorted by name.
    public let roles: [Role]
    /// Questions ordered by primary skill (in skill order), level, then id.
    public let questions: [Question]
    /// Hosts whose pages count as primary sources.
    public let primaryHosts: [String]
    /// Misconceptions checked across the bank, by skill.
    public let globalMisconceptions: [GlobalMisconception]
    /// The file each question came from, by question id.
    public let questionFiles: [String: String]
    /// Labs ordered by level, kind, then id.
    public let labs: [Lab]
    /// The JSON text of each fixture set that search labs run on, by name.
    public let labFixtures: [String: String]
    /// The file each lab came from, by lab id.
    public let labFiles: [String: String]
    /// Bank-wide fact slots (`facts.yaml`): subjects with their right and wrong values.
    public let facts: [FactSlot]

    private let questionIndex: [String: Int]

    public init(
        skills: [Skill], roles: [Role], questions: [Question], primaryHosts: [String],
        globalMisconceptions: [GlobalMisconception] = [], questionFiles: [String: String] = [:], labs: [Lab] = [],
        labFixtures: [String: String] = [:], labFiles: [String: String] = [:], facts: [FactSlot] = []
    ) {
        self.labFiles = labFiles
        self.facts = facts
        let kindOrder = Dictionary(uniqueKeysWithValues: Lab.Kind.allCases.enumerated().map { ($1, $0) })
        self.labs = labs.sorted {
            ($0.level, kindOrder[$0.kind] ?? 0, $0.id) < ($1.level, kindOrder[$1.kind] ?? 0, $1.id)
        }
        self.labFixtures = labFixtures
        self.globalMisconceptions = globalMisconceptions
        let skillOrder = Dictionary(skills.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.skills = skills
        self.roles = roles.sorted { $0.name < $1.name }
        self.questions = questions.sorted {
            let a = (skillOrder[$0.primarySkill] ?? .max, $0.level, $0.id)
            let b = (skillOrder[$1.primarySkill] ?? .max, $1.level, $1.id)
            return a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : a.2 < b.2
        }
        self.primaryHosts = primaryHosts
        self.questionFiles = questionFiles
        self.questionIndex = Dictionary(
            self.questions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Volatile questions whose facts were last checked more than `months` months before `now`, or never:
    /// what `rounds content lint --stale` lists.
    public func staleQuestions(months: Int, now: Date = Date()) -> [Question] {
        let current = YearMonth(now)
        return questions.filter { question in
            guard question.volatile else { return false }
            guard let reviewed = question.reviewed.flatMap(YearMonth.init) else { return true }
            return reviewed.months(until: current) > months
        }
    }

    public func question(id: String) -> Question? { questionIndex[id].map { questions[$0] } }
    public func lab(id: String) -> Lab? { labs.first { $0.id == id } }
    public func skill(id: String) -> Skill? { skills.first { $0.id == id } }
    public func role(id: String) -> Role? { roles.first { $0.id == id } }
    /// Display names of the skills by id.
    public var skillNames: [String: String] {
        Dictionary(skills.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// The questions that pass every criterion of `filter`.
    public func questions(matching filter: QuestionFilter) -> [Question] {
        questions.filter(filter.accepts)
    }

    /// True when `url`'s host is a primary-source host or a subdomain of one.
    public func isPrimarySource(_ url: String) -> Bool {
        guard let host = SourceParser.host(of: url) else { return false }
        return primaryHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

/// Criteria for listing questions; nil means any.
public struct QuestionFilter: Sendable, Equatable {
    public var skill: String?
    public var level: Level?
    public var role: String?
    public var kind: QuestionKind?

    public init(skill: String? = nil, level: Level? = nil, role: String? = nil, kind: QuestionKind? = nil) {
        self.skill = skill
        self.level = level
        self.role = role
        self.kind = kind
    }

    /// A question matches a skill when the skill is any of its skills, not only the primary one.
    public func accepts(_ question: Question) -> Bool {
        (skill.map { question.skills.contains($0) } ?? true) && (level.map { question.level == $0 } ?? true)
            && (role.map { question.roles.contains($0) } ?? true) && (kind.map { question.kind == $0 } ?? true)
    }
}

extension ContentLibrary {
    /// A learner's progress over this bank, read from `store` (see `LearnerProgress.snapshot`).
    public func progress(learnerID: Int64, in store: any PracticeRepository, now: Date = Date()) async throws
        -> ProgressSnapshot
    {
        try await LearnerProgress.snapshot(
            learnerID: learnerID, store: store, questions: questions, labs: labs.map(\.id), skills: skills,
            roles: roles, now: now)
    }

    /// The learner's study plan from `snapshot` (``progress(learnerID:in:now:)``): to the interview date
    /// in their settings for their target role, or a rolling week.
    /// The plan follows `opening`'s skills when the learner chose to plan for a posting that names some
    /// (``role(for:)``), else the target role.
    public func studyPlan(
        for settings: LearnerSettings, snapshot: ProgressSnapshot, hoursPerWeek: Double, opening: Opening? = nil,
        now: Date = Date(), calendar: Calendar = .current
    ) -> StudyPlan {
        StudyPlanner(
            fsrs: FSRS(desiredRetention: settings.desiredRetention), startingLevel: settings.level ?? .beginner
        ).plan(
            today: now, calendar: calendar, interviewDate: settings.interviewDate, hoursPerWeek: hoursPerWeek,
            role: opening.flatMap(role(for:)) ?? settings.targetRole.flatMap(role(id:)), questions: questions,
            labs: labs,
            progress: snapshot.progress, cards: snapshot.cards)
    }
}
