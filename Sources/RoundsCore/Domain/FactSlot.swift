/// A fact an answer can state with the wrong value: a subject (CPT, the breach-notice deadline), its
/// right values and the wrong values candidates give. A sentence that names the subject and affirms a
/// wrong value, without the right one, is a wrong claim: "CPT is published by CMS".
public struct FactSlot: Sendable, Codable, Hashable, Identifiable {
    public let id: String
    /// Phrases naming the subject; one must occur in the sentence.
    public let about: [String]
    /// Phrases of the right value; a sentence that has one is not flagged.
    public let right: [String]
    /// Phrases of wrong values candidates give.
    public let wrong: [String]
    /// What is true, shown with the flag.
    public let correction: String
    /// The skills whose questions it applies to; empty means every question.
    public let skills: [String]
    public let sources: [Source]

    public init(
        id: String, about: [String], right: [String], wrong: [String], correction: String, skills: [String] = [],
        sources: [Source] = []
    ) {
        self.id = id
        self.about = about
        self.right = right
        self.wrong = wrong
        self.correction = correction
        self.skills = skills
        self.sources = sources
    }

    /// True when the slot should be checked for `question`.
    public func applies(to question: Question) -> Bool {
        skills.isEmpty || question.skills.contains(where: skills.contains)
    }
}
