/// A misconception that applies across the bank (paying a ransom first, MD5 for passwords…), checked
/// on every answer to a question with one of its skills.
public struct GlobalMisconception: Sendable, Codable, Hashable, Identifiable {
    public let id: String
    public let misconception: Question.Misconception
    /// The skills whose questions it applies to; empty means every question.
    public let skills: [String]
    /// Where the correction comes from.
    public let sources: [Source]

    public init(id: String, misconception: Question.Misconception, skills: [String], sources: [Source] = []) {
        self.id = id
        self.misconception = misconception
        self.skills = skills
        self.sources = sources
    }

    /// True when the misconception should be checked for `question`.
    public func applies(to question: Question) -> Bool {
        skills.isEmpty || question.skills.contains(where: skills.contains)
    }
}
