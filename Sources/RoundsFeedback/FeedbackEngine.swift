import Foundation
import RoundsCore
import SentenceEmbedding

/// Turns a question and a typed answer into ``Feedback``: deterministic, offline and explainable.
///
/// The score starts from rubric coverage (each point's weight times 1, ½ or 0), loses a little for
/// failed delivery checks, and is capped when the answer states a misconception, is a list of terms
/// with no explanation, or is off the topic. docs/feedback.md explains each rule and how the engine's
/// bands agree with hand grades.
public struct FeedbackEngine: Sendable {
    /// Bank-wide misconceptions, checked where their skills apply.
    public let globalMisconceptions: [GlobalMisconception]
    private let preparedQuestions: PreparedQuestions

    /// Score thresholds for bands 1, 2, 3 and 4.
    public static let bandThresholds = [20, 40, 62, 82]
    /// Score = 100 × coverage^curve. Lexical matching misses some of what a paraphrased answer covers,
    /// so coverage is bent upward: half the rubric's weight scores 60, not 50 (tuned on the labelled set).
    static let coverageCurve = 0.75
    /// The highest score an answer can keep when it states a misconception.
    static let misconceptionCap = 30
    /// The highest score for a list of terms with no explanation.
    static let listCap = 30
    /// The highest score for an answer that is off the question's topic.
    static let offTopicCap = 10
    /// The highest score for an answer too short for its question: it may be right, but an interviewer
    /// would still ask for more before calling it excellent.
    static let tooShortCap = 72
    /// The score of a relevant, honest attempt that covers little (the bottom of band 1).
    static let poorFloor = 20
    /// Words an answer needs before the floor applies: "I don't know" is not an attempt.
    static let poorFloorMinimumWords = 8
    /// The most that delivery checks can take off.
    static let maxDeliveryPenalty = 12

    /// Bank-wide fact slots, checked where their skills apply.
    public let facts: [FactSlot]
    private let semantics: Semantics?

    /// An engine that checks `globalMisconceptions` and `facts` on every answer they apply to. With an
    /// `encoder` (by default the bundled all-MiniLM-L6-v2) it also matches by meaning; with nil it is
    /// purely lexical. With a `cacheFolder`, the embeddings of what answers are compared with are kept
    /// there between runs (``defaultCacheFolder(environment:)``), so a question's first answer does
    /// not wait for them again.
    public init(
        globalMisconceptions: [GlobalMisconception] = [], facts: [FactSlot] = [],
        encoder: SentenceEncoder? = SentenceEncoder.shared, cacheFolder: URL? = nil
    ) {
        self.globalMisconceptions = globalMisconceptions
        self.facts = facts
        self.semantics = encoder.map { Semantics(encoder: $0, cacheFolder: cacheFolder) }
        self.preparedQuestions = PreparedQuestions(
            globalMisconceptions: globalMisconceptions, globalFacts: facts, semantics: semantics)
    }

    /// Where the command line and the server keep embeddings between runs: `ROUNDS_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/rounds` (`~/.cache/rounds`) on Linux and `~/Library/Caches/Rounds` on macOS;
    /// nil when `ROUNDS_CACHE_DIR` is `none`.
    public static func defaultCacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL?
    {
        EmbeddingFile.defaultFolder(environment: environment)
    }

    /// True when the engine matches by meaning as well as by words.
    public var matchesMeaning: Bool { semantics != nil }

    /// Only the wrong claims that `answer` states, by words (and by meaning when the engine has an
    /// encoder): what `evaluate` reports as `misconceptions`, without grading the rest.
    func claims(in answer: String, analyzed text: AnalyzedText? = nil, for question: Question)
        -> [Feedback.MisconceptionFound]
    {
        let text = text ?? AnalyzedText(answer)
        let sentences = semantics.map { AnswerSentences(answer, text: text, semantics: $0) }
        return ClaimFinder(prepared: preparedQuestions.prepared(question), text: text, sentences: sentences).find()
    }

    /// Evaluates `answer` against `question`.
    public func evaluate(_ answer: String, for question: Question) -> Feedback {
        let prepared = preparedQuestions.prepared(question)
        let text = AnalyzedText(answer)
        let shape = AnswerShape(answer, text: text)
        let sentences = semantics.map { AnswerSentences(answer, text: text, semantics: $0) }
        let claims = ClaimFinder(prepared: prepared, text: text, sentences: sentences)
        let misconceptions = claims.find()
        let flagged = claims.sentences(of: misconceptions)
        let points = question.rubric.indices.map { index in
            grade(
                question.rubric[index], phrases: prepared.evidence[index], vocabulary: prepared.pointVocabulary[index],
                index: index, in: text, shape: shape, flagged: flagged, sentences: sentences,
                exemplars: prepared.semantic?.points[index])
        }
        let topicSimilarity: Double? =
            if let sentences, let topic = prepared.semantic?.topic, !sentences.centroid.isEmpty {
                Double(Semantics.cosine(sentences.centroid, topic))
            } else { nil }
        let checks = DeliveryChecks(
            prepared: prepared, answer: answer, text: text, shape: shape, points: points,
            lowercased: WordSearch(answer.lowercased()), topicSimilarity: topicSimilarity
        ).run()

        let totalWeight = question.rubric.map(\.weight).reduce(0, +)
        let earned = points.map { $0.weight * $0.coverage.credit }.reduce(0, +)
        let coverage = totalWeight > 0 ? earned / totalWeight : 0
        var score = pow(coverage, Self.coverageCurve) * 100
        if coverage > 0 {
            let penalty = checks.map { check -> Int in
                switch check.status {
                case .fail: 5
                case .warn: 2
                case .pass: 0
                }
            }.reduce(0, +)
            score -= Double(min(penalty, Self.maxDeliveryPenalty))
        }

        var caps: [String] = []
        func cap(_ limit: Int, _ reason: String) {
            if score > Double(limit) { score = Double(limit) }
            caps.append(reason)
        }
        if !misconceptions.isEmpty {
            cap(Self.misconceptionCap, "The answer states something wrong or harmful; an interviewer would stop there.")
        }
        if shape.isList {
            cap(
                Self.listCap,
                "The answer lists terms without explaining them; an interviewer wants to hear how and why.")
        }
        if let length = checks.first(where: { $0.id == "length" }), length.status == .fail,
            score > Double(Self.tooShortCap)
        {
            cap(Self.tooShortCap, "The answer is too short to be excellent; say more about how and why.")
        }
        if let query = checks.first(where: { $0.id == "code.query" }), query.status == .fail {
            cap(Self.listCap, "The answer holds no query that parses; text that is not a query earns no code credit.")
        }
        if let relevance = checks.first(where: { $0.id == "relevance" }), relevance.status == .fail {
            cap(Self.offTopicCap, "The answer does not address this question.")
        }
        // An on-topic attempt that says something true but vague is poor (band 1), not unacceptable:
        // band 0 is kept for wrong claims, bare lists, negated practice and answers to another question.
        let attempted =
            caps.isEmpty && text.wordCount >= Self.poorFloorMinimumWords && points.allSatisfy(\.negated.isEmpty)
            && (checks.first(where: { $0.id == "relevance" })?.status == .pass
                || points.contains { $0.coverage != .missing })
        if attempted, score < Double(Self.poorFloor) { score = Double(Self.poorFloor) }
        let final = Int(max(0, min(100, score)).rounded())
        let band = Self.band(for: final)
        return Feedback(
            questionID: question.id, score: final, band: band, points: points, misconceptions: misconceptions,
            checks: checks,
            improvements: Improvements.rank(
                question: question, points: points, misconceptions: misconceptions, checks: checks, isList: shape.isList
            ),
            caps: caps, wordCount: text.wordCount)
    }

    /// The band for a score.
    public static func band(for score: Int) -> Int {
        bandThresholds.lastIndex { score >= $0 }.map { $0 + 1 } ?? 0
    }

    /// A point is covered by an affirmed match of one of its phrases, unless every such match sits in
    /// a bare list fragment (then it is only partly covered). It is partly covered when most words of a
    /// multi-word phrase appear in one sentence, not in order.
    private func grade(
        _ point: Question.RubricPoint, phrases: [Phrase], vocabulary: Set<String>, index: Int, in text: AnalyzedText,
        shape: AnswerShape, flagged: Set<Int>, sentences: AnswerSentences?, exemplars: [Exemplar]?
    ) -> Feedback.Point {
        var full: [Feedback.Span] = []
        var negated: [Feedback.Span] = []
        var explained = false
        // A sentence that states a wrong claim earns nothing, whatever words it uses.
        let sentenceOf = Dictionary(
            text.tokens.map { ($0.range.lowerBound, $0.sentence) }, uniquingKeysWith: { a, _ in a })
        for phrase in phrases {
            for match in phrase.matches(in: text) {
                if let sentence = sentenceOf[match.range.lowerBound], flagged.contains(sentence) { continue }
                let span = Feedback.Span(text: phrase.text, range: match.range)
                if match.isNegated {
                    negated.append(span)
                } else {
                    full.append(span)
                    if !shape.isInBareFragment(match.range) { explained = true }
                }
            }
        }
        var coverage: Feedback.Coverage
        var evidence = full
        if !full.isEmpty {
            coverage = explained ? .covered : .partly
        } else if let partial = partialMatch(phrases, in: text, flagged: flagged) {
            coverage = .partly
            evidence = partial
        } else if let related = vocabularyMatch(vocabulary, in: text, shape: shape, flagged: flagged) {
            coverage = .partly
            evidence = related
        } else {
            coverage = .missing
        }
        // By meaning: the answer sentence closest to the point's wording or to a model-answer sentence
        // that earns it. It can raise the coverage, never lower it; lexical evidence stays for highlighting.
        var semantic: Feedback.SemanticMatch?
        if let sentences, let exemplars, coverage != .covered {
            var best: (similarity: Float, sentence: AnswerSentences.Entry, exemplar: Exemplar)?
            for sentence in sentences.entries
            where !flagged.contains(sentence.index) && !shape.isInBareFragment(sentence.range) {
                for exemplar in exemplars {
                    let similarity = Semantics.cosine(sentence.vector, exemplar.vector)
                    if similarity > (best?.similarity ?? -1) { best = (similarity, sentence, exemplar) }
                }
            }
            if let best, best.similarity >= Semantics.partlySimilarity {
                let earned: Feedback.Coverage = best.similarity >= Semantics.coverSimilarity ? .covered : .partly
                if earned.credit > coverage.credit {
                    coverage = earned
                    semantic = Feedback.SemanticMatch(
                        sentence: Feedback.Span(text: best.sentence.text, range: best.sentence.range),
                        matched: best.exemplar.text, similarity: (Double(best.similarity) * 1000).rounded() / 1000)
                }
            }
        }
        return Feedback.Point(
            index: index, point: point.point, weight: point.weight, star: point.star, coverage: coverage,
            evidence: evidence.sorted { $0.start < $1.start }, negated: negated, semantic: semantic)
    }

    /// Words of a multi-word phrase found together in one sentence, affirmed and not generic: at least
    /// two of them, and at least two thirds of the phrase.
    private func partialMatch(_ phrases: [Phrase], in text: AnalyzedText, flagged: Set<Int>) -> [Feedback.Span]? {
        for phrase in phrases where phrase.stems.count >= 2 {
            let wanted = Set(phrase.stems).subtracting(TextAnalyzer.genericStems)
            guard wanted.count >= 2 else { continue }
            var bySentence: [Int: [Token]] = [:]
            for (position, token) in text.tokens.enumerated()
            where wanted.contains(token.stem) && !flagged.contains(token.sentence) {
                let window = text.tokens[max(0, position - Phrase.negationWindow)..<position]
                if window.contains(where: { $0.isNegation && $0.sentence == token.sentence }) { continue }
                bySentence[token.sentence, default: []].append(token)
            }
            for (_, tokens) in bySentence.sorted(by: { $0.key < $1.key }) {
                let found = Set(tokens.map(\.stem))
                if found.count >= 2, Double(found.count) >= Double(wanted.count) * 2 / 3 {
                    return tokens.map { Feedback.Span(text: $0.word, range: $0.range) }
                }
            }
        }
        return nil
    }

    /// The answer says the point in other words: one explained sentence shares at least
    /// ``vocabularyThreshold`` distinct, affirmed stems with the point's vocabulary.
    private func vocabularyMatch(
        _ vocabulary: Set<String>, in text: AnalyzedText, shape: AnswerShape, flagged: Set<Int>
    )
        -> [Feedback.Span]?
    {
        var bySentence: [Int: [Token]] = [:]
        for (position, token) in text.tokens.enumerated()
        where vocabulary.contains(token.stem) && !flagged.contains(token.sentence) {
            let window = text.tokens[max(0, position - Phrase.negationWindow)..<position]
            if window.contains(where: { $0.isNegation && $0.sentence == token.sentence }) { continue }
            bySentence[token.sentence, default: []].append(token)
        }
        for (sentence, tokens) in bySentence.sorted(by: { $0.key < $1.key }) {
            guard !shape.isInBareFragment(text.sentences[sentence].range) else { continue }
            var seen = Set<String>()
            let distinct = tokens.filter { seen.insert($0.stem).inserted }
            if distinct.count >= Self.vocabularyThreshold {
                return distinct.map { Feedback.Span(text: $0.word, range: $0.range) }
            }
        }
        return nil
    }

    /// Distinct words of a point's vocabulary one sentence needs to earn partial credit.
    static let vocabularyThreshold = 2
}
