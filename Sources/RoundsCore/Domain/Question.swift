/// An interview question with everything needed to practise it and to give feedback on an answer.
public struct Question: Sendable, Codable, Hashable, Identifiable {
    /// One criterion of a good answer.
    public struct RubricPoint: Sendable, Codable, Hashable {
        /// The criterion, as a sentence.
        public let point: String
        /// The relative weight of the criterion within its question.
        public let weight: Double
        /// Phrases whose presence shows the point is covered.
        public let evidence: [String]
        /// For behavioural questions, the STAR step the point belongs to.
        public let star: StarStep?
        /// Facts the point depends on (a deadline, a threshold, an owner): stating one with a wrong value
        /// is a wrong claim and earns nothing for the point.
        public let facts: [FactSlot]

        public init(point: String, weight: Double, evidence: [String], star: StarStep? = nil, facts: [FactSlot] = []) {
            self.point = point
            self.weight = weight
            self.evidence = evidence
            self.star = star
            self.facts = facts
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            point = try container.decode(String.self, forKey: .point)
            weight = try container.decode(Double.self, forKey: .weight)
            evidence = try container.decode([String].self, forKey: .evidence)
            star = try container.decodeIfPresent(StarStep.self, forKey: .star)
            facts = try container.decodeIfPresent([FactSlot].self, forKey: .facts) ?? []
        }
    }

    /// A wrong or harmful claim that an answer might make.
    public struct Misconception: Sendable, Codable, Hashable {
        public let claim: String
        /// Phrases that reveal the claim.
        public let phrases: [String]
        /// What is true instead.
        public let correction: String
        /// Whole sentences a candidate holding the claim might say, matched by meaning.
        public let says: [String]

        public init(claim: String, phrases: [String], correction: String, says: [String] = []) {
            self.claim = claim
            self.phrases = phrases
            self.correction = correction
            self.says = says
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            claim = try container.decode(String.self, forKey: .claim)
            phrases = try container.decode([String].self, forKey: .phrases)
            correction = try container.decode(String.self, forKey: .correction)
            says = try container.decodeIfPresent([String].self, forKey: .says) ?? []
        }
    }

    /// A stable slug; attempts and reviews refer to it.
    public let id: String
    /// The question as an interviewer asks it.
    public let title: String
    public let level: Level
    /// Skill ids, the primary skill first.
    public let skills: [String]
    /// Role ids the question is tagged for.
    public let roles: [String]
    public let kind: QuestionKind
    /// Suggested answer time.
    public let minutes: Int
    /// Who an `explain` answer is for.
    public let audience: Audience?
    public let rubric: [RubricPoint]
    public let misconceptions: [Misconception]
    public let followups: [String]
    public let sources: [Source]
    /// The model answer, in Markdown.
    public let modelAnswer: String
    /// Delivery advice, in Markdown.
    public let tip: String
    /// Ways answers go wrong, one Markdown item each.
    public let pitfalls: [String]
    /// The month its facts were last checked against the sources, `YYYY-MM`.
    public let reviewed: String?
    /// Whether the facts move fast (rules in flux, dates that change), so the question goes stale sooner.
    public let volatile: Bool

    public init(
        id: String, title: String, level: Level, skills: [String], roles: [String], kind: QuestionKind,
        minutes: Int, audience: Audience?, rubric: [RubricPoint], misconceptions: [Misconception],
        followups: [String], sources: [Source], modelAnswer: String, tip: String, pitfalls: [String],
        reviewed: String? = nil, volatile: Bool = false
    ) {
        self.id = id
        self.title = title
        self.level = level
        self.skills = skills
        self.roles = roles
        self.kind = kind
        self.minutes = minutes
        self.audience = audience
        self.rubric = rubric
        self.misconceptions = misconceptions
        self.followups = followups
        self.sources = sources
        self.modelAnswer = modelAnswer
        self.tip = tip
        self.pitfalls = pitfalls
        self.reviewed = reviewed
        self.volatile = volatile
    }

    /// The primary skill id.
    public var primarySkill: String { skills[0] }
}

/// The short form of a question: what `rounds questions list --json` prints and the API lists.
public struct QuestionSummary: Sendable, Codable, Hashable {
    public let id: String
    public let title: String
    public let level: Level
    public let kind: QuestionKind
    public let skills: [String]
    public let roles: [String]
    public let minutes: Int

    public init(_ question: Question) {
        id = question.id
        title = question.title
        level = question.level
        kind = question.kind
        skills = question.skills
        roles = question.roles
        minutes = question.minutes
    }
}
