import RoundsCore
import Synchronization

/// What the engine reads from a question on every answer, worked out once: compiled evidence and
/// misconception phrases, the question's vocabulary for the relevance check, and the model answer's
/// length. Analysing the question's own text is most of the cost of a naive evaluation, and it never
/// changes between answers.
struct PreparedQuestion: Sendable {
    struct MisconceptionPhrases: Sendable {
        let misconception: Question.Misconception
        let phrases: [Phrase]
        let isGlobal: Bool
    }

    let question: Question
    /// The compiled evidence phrases of each rubric point, in rubric order.
    let evidence: [[Phrase]]
    /// The question's own misconceptions first, then the bank-wide ones that apply to it.
    let misconceptions: [MisconceptionPhrases]
    /// The stems of every word in the question's title, model answer, tip, rubric, pitfalls and follow-ups.
    let vocabulary: Set<String>
    /// The model answer's length in words: the yardstick for the length check.
    let modelWordCount: Int
    /// For each rubric point, the distinctive stems of its own wording, its evidence and the model-answer
    /// sentences that earn it: what an answer in other words is likely to share with the point.
    let pointVocabulary: [Set<String>]
    /// Fact slots to check: the rubric's own (with the point they belong to), then the bank-wide ones.
    let facts: [(slot: FactSlot, point: Int?, about: [Phrase], right: [Phrase], wrong: [Phrase])]
    /// True for a code question whose model answer is an SQL query: answers must hold a query too.
    let asksForSQL: Bool
    /// Rubric exemplars, claims and topic as embeddings; nil when the engine runs without a model.
    let semantic: SemanticQuestion?

    init(
        _ question: Question, globalMisconceptions: [GlobalMisconception], globalFacts: [FactSlot] = [],
        semantics: Semantics? = nil
    ) {
        self.question = question
        evidence = question.rubric.map { $0.evidence.map(Phrase.init) }
        misconceptions =
            question.misconceptions.map {
                .init(misconception: $0, phrases: $0.phrases.map(Phrase.init), isGlobal: false)
            }
            + globalMisconceptions.filter { $0.applies(to: question) }.map {
                .init(
                    misconception: $0.misconception, phrases: $0.misconception.phrases.map(Phrase.init), isGlobal: true)
            }
        let model = AnalyzedText(question.modelAnswer)
        modelWordCount = model.wordCount
        var vocabulary = Set(model.tokens.map(\.stem))
        let sources =
            [question.title, question.tip] + question.rubric.map(\.point) + question.rubric.flatMap(\.evidence)
            + question.pitfalls + question.followups
        for source in sources {
            for token in AnalyzedText(source).tokens { vocabulary.insert(token.stem) }
        }
        self.vocabulary = vocabulary
        pointVocabulary = Self.pointVocabularies(question, evidence: evidence, model: model)
        let slots =
            question.rubric.enumerated().flatMap { index, point in point.facts.map { ($0, Optional(index)) } }
            + globalFacts.filter { $0.applies(to: question) }.map { ($0, Int?.none) }
        facts = slots.map { slot, point in
            (slot, point, slot.about.map(Phrase.init), slot.right.map(Phrase.init), slot.wrong.map(Phrase.init))
        }
        asksForSQL = question.asksForSQL
        let misconceptions = self.misconceptions
        semantic = semantics.map { SemanticQuestion(question, misconceptions: misconceptions, semantics: $0) }
    }

    /// Stems that appear in the vocabulary of more than half the points say nothing about which point an
    /// answer covers (*hipaa* in a HIPAA question), so they are left out.
    static func pointVocabularies(_ question: Question, evidence: [[Phrase]], model: AnalyzedText) -> [Set<String>] {
        let raw = question.rubric.indices.map { index -> Set<String> in
            var stems = Set<String>()
            for text in [question.rubric[index].point] + question.rubric[index].evidence {
                for token in AnalyzedText(text).tokens { stems.insert(token.stem) }
            }
            for phrase in evidence[index] {
                for match in phrase.matches(in: model) where !match.isNegated {
                    let sentence = model.tokens.first { $0.range.lowerBound == match.range.lowerBound }?.sentence
                    for token in model.tokens where token.sentence == sentence { stems.insert(token.stem) }
                }
            }
            return stems.filter { !TextAnalyzer.genericStems.contains($0) && !TextAnalyzer.negations.contains($0) }
        }
        guard raw.count >= 3 else { return raw }
        var counts: [String: Int] = [:]
        for stems in raw { for stem in stems { counts[stem, default: 0] += 1 } }
        return raw.map { stems in stems.filter { counts[$0, default: 0] * 2 <= raw.count } }
    }
}

/// Prepared questions by id, shared by every copy of an engine. A question replaced by a content pack
/// (same id, different text) is prepared again, because the cached copy is compared with it first.
final class PreparedQuestions: Sendable {
    private let globalMisconceptions: [GlobalMisconception]
    private let globalFacts: [FactSlot]
    private let semantics: Semantics?
    private let storage = Mutex<[String: PreparedQuestion]>([:])

    init(globalMisconceptions: [GlobalMisconception], globalFacts: [FactSlot] = [], semantics: Semantics? = nil) {
        self.globalMisconceptions = globalMisconceptions
        self.globalFacts = globalFacts
        self.semantics = semantics
    }

    func prepared(_ question: Question) -> PreparedQuestion {
        if let cached = storage.withLock({ $0[question.id] }), cached.question == question { return cached }
        // Prepared outside the lock: two threads may both do the work once, which is harmless.
        let prepared = PreparedQuestion(
            question, globalMisconceptions: globalMisconceptions, globalFacts: globalFacts, semantics: semantics)
        storage.withLock { $0[question.id] = prepared }
        return prepared
    }
}
