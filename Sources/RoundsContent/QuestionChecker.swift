import Foundation
import RoundsCore

/// The checks that need the whole library (skills, roles, primary hosts) or judge a question's quality.
struct QuestionChecker {
    let file: QuestionFile
    /// The question's model answer, analysed.
    let answer: AnalyzedText
    let skillIDs: Set<String>
    let roleIDs: Set<String>
    let isPrimary: (String) -> Bool
    /// Stems that many of the bank's model answers use (see ``commonStems(in:)``).
    var commonStems: Set<String> = []
    /// Stems of domain terms that may stand alone as evidence though common (`standalone-terms.yaml`).
    var standaloneTerms: Set<String> = []

    static let maxPhraseWords = 6
    static let modelAnswerWords = 150...400
    /// A word used by more than this share of the bank's model answers is too common to prove a point alone.
    static let commonShare = 0.08
    /// Below this many questions the bank is too small to say which words are common.
    static let commonMinimumQuestions = 50

    /// The stems that more than ``commonShare`` of the bank's model `answers` use. A single word from
    /// this set shows that an answer is on the topic, not that it makes the point.
    static func commonStems(in answers: [AnalyzedText]) -> Set<String> {
        guard answers.count >= commonMinimumQuestions else { return [] }
        var counts: [String: Int] = [:]
        for answer in answers {
            for stem in Set(answer.tokens.map(\.stem)) { counts[stem, default: 0] += 1 }
        }
        let limit = Double(answers.count) * commonShare
        return Set(counts.filter { Double($0.value) > limit }.keys)
    }

    func check() -> [ContentIssue] {
        let question = file.question
        var issues: [ContentIssue] = []
        func add(_ severity: ContentIssue.Severity, _ field: String, _ message: String, fix: String?) {
            let line = file.lines[field] ?? file.lines[String(field.prefix { $0 != "[" && $0 != "." })]
            issues.append(ContentIssue(severity, file: file.path, line: line, field: field, message: message, fix: fix))
        }

        let url = URL(fileURLWithPath: file.path)
        let stem = url.deletingPathExtension().lastPathComponent
        if stem != question.id {
            add(
                .error, "id", "the id `\(question.id)` does not match the file name `\(stem).md`.",
                fix: "rename the file to `\(question.id).md`, or change the id.")
        }
        let folder = url.deletingLastPathComponent().lastPathComponent
        if folder != question.primarySkill {
            add(
                .error, "skills[0]",
                "the file is in `questions/\(folder)/` but its primary skill is `\(question.primarySkill)`.",
                fix: "move it to `questions/\(question.primarySkill)/`, or list the right skill first.")
        }
        for (index, skill) in question.skills.enumerated() where !skillIDs.contains(skill) {
            issues.append(
                unknown(
                    "skill", skill, known: skillIDs, file: file.path,
                    line: file.lines["skills[\(index)]"] ?? file.lines["skills"], field: "skills[\(index)]"))
        }
        if Set(question.skills).count != question.skills.count {
            add(.warning, "skills", "a skill is listed twice.", fix: "list each skill once.")
        }
        for (index, role) in question.roles.enumerated() where !roleIDs.contains(role) {
            issues.append(
                unknown(
                    "role", role, known: roleIDs, file: file.path,
                    line: file.lines["roles[\(index)]"] ?? file.lines["roles"], field: "roles[\(index)]"))
        }
        if !question.sources.contains(where: { isPrimary($0.url) }) {
            add(
                .error, "sources", "no source is on a primary-source host.",
                fix: "cite HHS, CMS, ONC, HL7, NIST, CDC, NLM or another host listed in primary-sources.yaml.")
        }

        if !question.modelAnswer.isEmpty, !Self.modelAnswerWords.contains(answer.wordCount) {
            add(
                .warning, "## Model answer", "the model answer has \(answer.wordCount) words.",
                fix: "write 150 to 400 words: enough to be concrete, short enough to say in the suggested time.")
        }

        var seen: [String: String] = [:]
        let titleStems = Set(AnalyzedText(question.title).tokens.map(\.stem))
        for (pointIndex, point) in question.rubric.enumerated() {
            var covered = false
            for (phraseIndex, text) in point.evidence.enumerated() {
                let field = "rubric[\(pointIndex)].evidence[\(phraseIndex)]"
                let phrase = Phrase(text)
                if phrase.canNeverMatch {
                    add(
                        .error, field, "the phrase `\(text)` can never match: it has only function words.",
                        fix: "use the content words a good answer would contain.")
                    continue
                }
                if phrase.stems.count == 1, TextAnalyzer.genericStems.contains(phrase.stems[0]) {
                    add(
                        .error, field, "the phrase `\(text)` is a single generic word that almost any answer contains.",
                        fix: "use a specific phrase, such as `minimum necessary` rather than `privacy`.")
                } else if phrase.stems.count == 1, commonStems.contains(phrase.stems[0]),
                    !standaloneTerms.contains(phrase.stems[0])
                {
                    add(
                        .warning, field,
                        "the phrase `\(text)` comes down to one word that more than \(Int(Self.commonShare * 100))% of the bank's model answers use, so it shows the topic, not the point.",
                        fix:
                            "use the claim a good answer makes (`audit log review` rather than `audit`), or add the word to standalone-terms.yaml if it is a domain term whose mention alone shows knowledge."
                    )
                } else if titleStems.isSuperset(of: phrase.stems) {
                    add(
                        .warning, field,
                        "the phrase `\(text)` only repeats words of the question's title, so an answer that echoes the question earns the point.",
                        fix: "use words that show the point is understood, beyond the question's own terms.")
                }
                if phrase.stems.count > Self.maxPhraseWords {
                    add(
                        .warning, field,
                        "the phrase `\(text)` has \(phrase.stems.count) content words; a typed answer will rarely contain them all in order.",
                        fix: "keep evidence to the 2 to 4 words that carry the idea.")
                }
                let key = phrase.stems.joined(separator: " ")
                if let other = seen[key] {
                    add(
                        .warning, field, "the phrase `\(text)` matches the same words as `\(other)`.",
                        fix: "remove one of them; stemming already covers word forms.")
                } else {
                    seen[key] = text
                }
                if phrase.firstAffirmedMatch(in: answer) != nil { covered = true }
            }
            if !covered, !question.modelAnswer.isEmpty {
                add(
                    .warning, "rubric[\(pointIndex)]",
                    "the model answer matches none of this point's evidence, so it would not earn it.",
                    fix: "add the phrase the model answer uses to `evidence`, or make the model answer cover the point."
                )
            }
        }
        for (index, misconception) in question.misconceptions.enumerated() {
            for (phraseIndex, text) in misconception.phrases.enumerated() {
                let field = "misconceptions[\(index)].phrases[\(phraseIndex)]"
                let phrase = Phrase(text)
                if phrase.canNeverMatch {
                    add(
                        .error, field, "the phrase `\(text)` can never match: it has only function words.",
                        fix: "use the words that reveal the wrong claim.")
                } else if phrase.stems.count == 1 {
                    add(
                        .warning, field, "the single word `\(text)` would flag correct answers that mention it.",
                        fix: "use a phrase that states the wrong claim, such as `pay the ransom first`.")
                } else if let match = phrase.firstAffirmedMatch(in: answer) {
                    let start = question.modelAnswer.index(
                        question.modelAnswer.startIndex, offsetBy: match.range.lowerBound)
                    let end = question.modelAnswer.index(
                        question.modelAnswer.startIndex, offsetBy: match.range.upperBound)
                    add(
                        .warning, field,
                        "the model answer itself matches `\(text)` (\"\(question.modelAnswer[start..<end])\"), so correct answers would be flagged.",
                        fix: "make the phrase state the wrong claim more specifically.")
                }
            }
        }
        return issues
    }
}
