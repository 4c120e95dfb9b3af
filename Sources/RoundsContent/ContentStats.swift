import RoundsCore

/// Counts over a library: questions by skill and level, by role and by kind.
public struct ContentStats: Sendable, Codable, Equatable {
    /// Questions per primary skill and level.
    public struct SkillRow: Sendable, Codable, Equatable {
        public let skill: String
        public let name: String
        public let beginner: Int
        public let intermediate: Int
        public let advanced: Int
        public var total: Int { beginner + intermediate + advanced }

        enum CodingKeys: String, CodingKey { case skill, name, beginner, intermediate, advanced, total }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(skill, forKey: .skill)
            try container.encode(name, forKey: .name)
            try container.encode(beginner, forKey: .beginner)
            try container.encode(intermediate, forKey: .intermediate)
            try container.encode(advanced, forKey: .advanced)
            try container.encode(total, forKey: .total)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            skill = try container.decode(String.self, forKey: .skill)
            name = try container.decode(String.self, forKey: .name)
            beginner = try container.decode(Int.self, forKey: .beginner)
            intermediate = try container.decode(Int.self, forKey: .intermediate)
            advanced = try container.decode(Int.self, forKey: .advanced)
        }

        init(skill: String, name: String, beginner: Int, intermediate: Int, advanced: Int) {
            self.skill = skill
            self.name = name
            self.beginner = beginner
            self.intermediate = intermediate
            self.advanced = advanced
        }
    }

    /// A count for one role or kind.
    public struct Count: Sendable, Codable, Equatable {
        public let id: String
        public let name: String
        public let questions: Int
    }

    public let questions: Int
    public let skills: [SkillRow]
    public let roles: [Count]
    public let kinds: [Count]

    public init(library: ContentLibrary) {
        questions = library.questions.count
        skills = library.skills.map { skill in
            let own = library.questions.filter { $0.primarySkill == skill.id }
            return SkillRow(
                skill: skill.id, name: skill.name, beginner: own.filter { $0.level == .beginner }.count,
                intermediate: own.filter { $0.level == .intermediate }.count,
                advanced: own.filter { $0.level == .advanced }.count)
        }
        roles = library.roles.map { role in
            Count(
                id: role.id, name: role.name, questions: library.questions.filter { $0.roles.contains(role.id) }.count)
        }
        kinds = QuestionKind.allCases.map { kind in
            Count(id: kind.rawValue, name: kind.rawValue, questions: library.questions.filter { $0.kind == kind }.count)
        }
    }
}
