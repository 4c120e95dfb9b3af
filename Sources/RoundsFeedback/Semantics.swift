import Foundation
import RoundsCore
import SentenceEmbedding
import Synchronization

/// Meaning-based matching for the engine: sentence embeddings (all-MiniLM-L6-v2) of the answer's
/// sentences against the question's rubric exemplars, wrong claims and topic.
///
/// Embeddings say two sentences are about the same thing; they say little about whether one denies
/// the other ("X is PHI" and "X is not PHI" are close). So every meaning match also compares
/// *polarity*: the parity of negations and refutation words (*not, never, myth, misconception…*).
/// A sentence close to a wrong claim with the same polarity states it; with the opposite polarity it
/// refutes it.
final class Semantics: Sendable {
    /// Cosine at or above which an answer sentence covers a rubric point.
    static let coverSimilarity: Float = tunable("ROUNDS_TUNE_COVER", 0.66)
    /// Cosine at or above which it partly covers one.
    static let partlySimilarity: Float = tunable("ROUNDS_TUNE_PARTLY", 0.55)
    /// Cosine at or above which an answer sentence states a wrong claim (same polarity).
    static let claimSimilarity: Float = tunable("ROUNDS_TUNE_CLAIM", 0.80)
    /// How much closer to the wrong claim than to anything right (the model answer's sentences, the
    /// claim's correction) a sentence must be. Embeddings barely separate "PCS codes inpatient
    /// procedures" from "PCS codes outpatient procedures"; the margin keeps the right one unflagged.
    static let claimMargin: Float = tunable("ROUNDS_TUNE_MARGIN", 0.04)
    /// Sentences shorter than this many words are not embedded: "Yes." means nothing alone.
    static let minimumWords = 4

    /// A threshold, which debug builds let an environment variable override while tuning on the
    /// tuning half of the independent set; release builds always use the value written here.
    static func tunable(_ name: String, _ value: Float) -> Float {
        #if DEBUG
            if let text = ProcessInfo.processInfo.environment[name], let override = Float(text) { return override }
        #endif
        return value
    }

    let encoder: SentenceEncoder
    /// Where question-side embeddings are kept between runs, if anywhere.
    private let file: EmbeddingFile?
    private let cache = Mutex<(loaded: Bool, vectors: [String: [Float]])>((false, [:]))

    init(encoder: SentenceEncoder, cacheFolder: URL? = nil) {
        self.encoder = encoder
        file = cacheFolder.map {
            EmbeddingFile(folder: $0, fingerprint: encoder.fingerprint, dimensions: SentenceEncoder.dimensions)
        }
    }

    /// Embeddings of question-side texts, memoised (bank-wide claims are shared by many questions)
    /// and, with a cache folder, kept on disk for the next run.
    func cachedEmbeddings(_ texts: [String]) -> [[Float]] {
        let known = cache.withLock { cache in
            if !cache.loaded {
                cache.loaded = true
                cache.vectors = file?.load() ?? [:]
            }
            return texts.map { cache.vectors[$0] }
        }
        let missing = Array(Set(zip(texts, known).filter { $0.1 == nil }.map(\.0))).sorted()
        var fresh: [String: [Float]] = [:]
        if !missing.isEmpty {
            let vectors = encoder.embed(missing)
            for (text, vector) in zip(missing, vectors) { fresh[text] = vector }
            cache.withLock { cache in cache.vectors.merge(fresh) { a, _ in a } }
            file?.append(Array(zip(missing, vectors)).map { (text: $0.0, vector: $0.1) })
        }
        return zip(texts, known).map { $0.1 ?? fresh[$0.0]! }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        SentenceEncoder.cosine(a, b)
    }

    static func centroid(_ vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sum = [Float](repeating: 0, count: first.count)
        for vector in vectors { for i in 0..<sum.count { sum[i] += vector[i] } }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? sum.map { $0 / norm } : sum
    }

    /// Words that deny what a sentence says about a claim, besides grammatical negations.
    static let refutationWords: Set<String> = [
        "myth", "myths", "misconception", "misconceptions", "false", "wrong", "incorrect", "mistake", "mistaken",
        "untrue", "fallacy", "misunderstanding", "contrary", "misbelief", "misleading", "fiction",
    ]

    /// True when a sentence's words deny (an odd number of negations and refutation words).
    static func isNegative(_ tokens: some Sequence<Token>) -> Bool {
        tokens.reduce(0) { $0 + ($1.isNegation || refutationWords.contains($1.word) ? 1 : 0) } % 2 == 1
    }

    static func isNegative(_ text: String) -> Bool {
        isNegative(AnalyzedText(text).tokens)
    }
}

/// One text the question side offers to compare with (a model-answer sentence, a claim's wording).
struct Exemplar: Sendable {
    let text: String
    let vector: [Float]
    let isNegative: Bool
}

/// What the engine compares answers with, embedded once per question.
struct SemanticQuestion: Sendable {
    /// For each rubric point: its own wording and the model-answer sentences that earn it.
    let points: [[Exemplar]]
    /// For each entry of ``PreparedQuestion/misconceptions``: its claim and its `says` sentences.
    let claims: [[Exemplar]]
    /// For each entry of ``PreparedQuestion/misconceptions``: its correction, what is right instead.
    let corrections: [Exemplar]
    /// The model answer, sentence by sentence.
    let modelSentences: [Exemplar]
    /// The centroid of the title and the model answer's sentences.
    let topic: [Float]

    init(_ question: Question, misconceptions: [PreparedQuestion.MisconceptionPhrases], semantics: Semantics) {
        let model = AnalyzedText(question.modelAnswer)
        let modelTexts = AnswerSentences.sentenceTexts(question.modelAnswer, text: model)
            .filter { $0.words >= Semantics.minimumWords }
        var pointTexts: [[String]] = []
        for point in question.rubric {
            var texts = [point.point]
            let phrases = point.evidence.map(Phrase.init)
            for sentence in modelTexts {
                let analysed = AnalyzedText(sentence.text)
                if phrases.contains(where: { $0.firstAffirmedMatch(in: analysed) != nil }) {
                    texts.append(sentence.text)
                }
            }
            pointTexts.append(texts)
        }
        // Claims and their `says` sentences, not their short phrases: those are matched by words, and
        // embedding them too would double the one-off cost of preparing a question for little gain.
        let claimTexts = misconceptions.map { entry in [entry.misconception.claim] + entry.misconception.says }
        let correctionTexts = misconceptions.map(\.misconception.correction)
        let all =
            pointTexts.flatMap { $0 } + claimTexts.flatMap { $0 } + modelTexts.map(\.text) + [question.title]
            + correctionTexts
        let vectors = semantics.cachedEmbeddings(all)
        var index = 0
        func take(_ texts: [String]) -> [Exemplar] {
            defer { index += texts.count }
            return texts.enumerated().map { offset, text in
                Exemplar(text: text, vector: vectors[index + offset], isNegative: Semantics.isNegative(text))
            }
        }
        points = pointTexts.map(take)
        claims = claimTexts.map(take)
        modelSentences = take(modelTexts.map(\.text))
        let title = take([question.title])
        corrections = take(correctionTexts)
        topic = Semantics.centroid(title.map(\.vector) + modelSentences.map(\.vector))
    }
}

/// The answer's sentences with their embeddings and polarity.
struct AnswerSentences: Sendable {
    struct Entry: Sendable {
        /// Index into `AnalyzedText.sentences`.
        let index: Int
        let range: Range<Int>
        let text: String
        let vector: [Float]
        let isNegative: Bool
    }

    let entries: [Entry]
    /// The centroid of every embedded sentence; empty when none was long enough.
    let centroid: [Float]

    init(_ answer: String, text: AnalyzedText, semantics: Semantics) {
        let sentences = Self.sentenceTexts(answer, text: text).filter { $0.words >= Semantics.minimumWords }
        let vectors = semantics.encoder.embed(sentences.map(\.text))
        var tokensBySentence: [Int: [Token]] = [:]
        for token in text.tokens { tokensBySentence[token.sentence, default: []].append(token) }
        entries = zip(sentences, vectors).map { sentence, vector in
            Entry(
                index: sentence.index, range: sentence.range, text: sentence.text, vector: vector,
                isNegative: Semantics.isNegative(tokensBySentence[sentence.index] ?? []))
        }
        centroid = Semantics.centroid(vectors)
    }

    /// Each sentence's text and word count, cut from the answer by the analyser's character ranges.
    static func sentenceTexts(_ answer: String, text: AnalyzedText) -> [(
        index: Int, range: Range<Int>, text: String, words: Int
    )] {
        let characters = Array(answer)
        return text.sentences.enumerated().compactMap { index, sentence in
            let range = sentence.range.clamped(to: 0..<characters.count)
            guard !range.isEmpty else { return nil }
            return (index, range, String(characters[range]), sentence.wordCount)
        }
    }
}
