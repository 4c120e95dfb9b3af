import Foundation

/// Text a learner has typed into an answer or lab box but not submitted, kept on the server so that it
/// survives a reload, a crash, an expired session or a change of computer (issue 18). A draft is not
/// history: it is replaced as the learner types and removed once the answer it holds is saved.
public struct Draft: Sendable, Hashable, Codable {
    /// What the text is for: `question:ID`, `lab:ID` or `mock:INTERVIEW:QUESTION`, as the page names it.
    public let key: String
    public let text: String
    public let savedAt: Date

    public init(key: String, text: String, savedAt: Date) {
        self.key = key
        self.text = text
        self.savedAt = savedAt
    }

    /// The longest draft: a lab hand-in's limit, the largest box a learner types into.
    public static let maxCharacters = 100_000
    public static let maxBytes = 400_000
    /// Drafts kept per learner; saving one more removes the oldest. A learner has a few boxes open at
    /// a time, so this only bounds what a script could store.
    public static let perLearnerLimit = 100

    /// The kinds of box a draft can belong to, as the first part of its key.
    public static let kinds: Set<Substring> = ["question", "lab", "mock"]

    /// True for `kind:part[:part]` with a known kind and parts of letters, digits, `-`, `_` and `.`,
    /// 200 bytes at most: the keys the pages give their boxes, and nothing a client could use to store
    /// other things.
    public static func isValidKey(_ key: String) -> Bool {
        guard key.utf8.count <= 200 else { return false }
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), kinds.contains(parts[0]) else { return false }
        return parts.dropFirst().allSatisfy { part in
            !part.isEmpty
                && part.utf8.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == 0x2D || byte == 0x5F || byte == 0x2E
                }
        }
    }

    /// The key of a question's answer box.
    public static func questionKey(_ questionID: String) -> String { "question:\(questionID)" }
    /// The key of a lab's hand-in box.
    public static func labKey(_ labID: String) -> String { "lab:\(labID)" }
    /// The key of one question's answer box in one mock interview.
    public static func mockKey(interview: Int64, questionID: String) -> String { "mock:\(interview):\(questionID)" }
}

/// Storage for drafts. Every call is scoped to one learner: no learner reads or removes another's.
public protocol DraftRepository: Sendable {
    /// Saves `text` as the learner's draft under `key`, replacing the one there; when the learner then
    /// has more than ``Draft/perLearnerLimit`` drafts, the oldest are removed in the same transaction.
    func saveDraft(key: String, text: String, learnerID: Int64, at date: Date) async throws -> Draft
    /// The learner's draft under `key`, if any.
    func draft(key: String, learnerID: Int64) async throws -> Draft?
    /// The learner's drafts, most recently saved first (at most ``Draft/perLearnerLimit``).
    func drafts(learnerID: Int64) async throws -> [Draft]
    /// Removes the learner's draft under `key`; false when there was none.
    @discardableResult
    func deleteDraft(key: String, learnerID: Int64) async throws -> Bool
}
