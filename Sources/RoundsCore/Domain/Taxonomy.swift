/// How hard a question is.
public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    case beginner, intermediate, advanced

    public static func < (lhs: Level, rhs: Level) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What sort of answer a question asks for. Feedback checks differ by kind.
public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    /// Explain an idea or a rule.
    case concept
    /// Say what you would do in a situation.
    case scenario
    /// Tell a story from your own experience (STAR).
    case behavioral
    /// Design a system or a process from its components.
    case design
    /// Explain something technical in plain language to a named audience.
    case explain
    /// Write code (SQL or Python) and explain it.
    case code
}

/// Who an `explain` question's answer is for.
public enum Audience: String, Sendable, Codable, CaseIterable {
    case clinician, manager, executive, patient, engineer
}

/// The four parts of a STAR story, which behavioural rubric points are tagged with.
public enum StarStep: String, Sendable, Codable, CaseIterable {
    case situation, task, action, result
}

/// A skill that questions train and roles weigh.
public struct Skill: Sendable, Codable, Hashable, Identifiable {
    /// A stable slug, such as `privacy-compliance`.
    public let id: String
    /// The display name.
    public let name: String
    /// One sentence on what the skill covers.
    public let summary: String
    /// Words that name the skill in a job posting (`FHIR`, `HL7`, `Epic`, `pandas`…): how skills are
    /// found in an opening's description. Authors extend them in `skills.yaml`.
    public let terms: [String]

    public init(id: String, name: String, summary: String, terms: [String] = []) {
        self.id = id
        self.name = name
        self.summary = summary
        self.terms = terms
    }

    enum CodingKeys: String, CodingKey { case id, name, summary, terms }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        summary = try container.decode(String.self, forKey: .summary)
        terms = try container.decodeIfPresent([String].self, forKey: .terms) ?? []
    }
}

/// A title and URL that a fact comes from.
public struct Source: Sendable, Codable, Hashable {
    public let title: String
    public let url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// A job that learners prepare for, with the skills its interviews test.
public struct Role: Sendable, Codable, Hashable, Identifiable {
    /// One round of a typical interview loop.
    public struct Stage: Sendable, Codable, Hashable {
        public let name: String
        public let minutes: Int?
        public let focus: String

        public init(name: String, minutes: Int?, focus: String) {
            self.name = name
            self.minutes = minutes
            self.focus = focus
        }
    }

    /// A dated, sourced fact about the job market for the role.
    public struct MarketNote: Sendable, Codable, Hashable {
        public let statement: String
        /// The period the figure describes, such as `2024-05`.
        public let asOf: String
        /// When the figure was taken from its source.
        public let retrieved: String
        public let source: Source

        public init(statement: String, asOf: String, retrieved: String, source: Source) {
            self.statement = statement
            self.asOf = asOf
            self.retrieved = retrieved
            self.source = source
        }
    }

    public let id: String
    public let name: String
    public let summary: String
    /// Relative weight of each skill id in the role's interviews.
    public let skillWeights: [String: Double]
    public let stages: [Stage]
    public let market: [MarketNote]

    public init(
        id: String, name: String, summary: String, skillWeights: [String: Double], stages: [Stage],
        market: [MarketNote]
    ) {
        self.id = id
        self.name = name
        self.summary = summary
        self.skillWeights = skillWeights
        self.stages = stages
        self.market = market
    }
}
