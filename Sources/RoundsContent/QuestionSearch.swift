import Foundation
import RoundsCore

/// Ranked full-text search over questions: titles, evidence phrases, rubric points and bodies.
///
/// BM25 over stemmed words, with each field's words counted with a weight: a query word in the title
/// says more about the question than the same word deep in its model answer. Two additions make it
/// forgiving the way a search box should be (issue 18):
/// - a query word found nowhere is read as the bank's nearest word within one or two edits
///   ("readmision" finds the readmission questions), at a discount;
/// - a title that contains the query's words in order, function words included, ranks first ("what is
///   HIPAA" finds "What is HIPAA, and why…" before questions that say HIPAA more often).
public struct QuestionSearch: Sendable {
    /// One search hit.
    public struct Hit: Sendable, Codable, Hashable {
        public let id: String
        public let title: String
        /// Higher is better; comparable only within one search.
        public let score: Double
        /// The sentence of the model answer or tip that best matches the query, when one does.
        public let excerpt: String?
    }

    static let fieldWeights: (title: Double, rubric: Double, body: Double) = (3, 1.5, 1)
    static let k1 = 1.2
    static let b = 0.75
    /// What a misspelt word's stand-in is worth, against the word itself.
    static let correctionWeight = 0.8
    /// Score factors for a title that starts with the query's words, or holds them in a row.
    static let titleBoost: (prefix: Double, phrase: Double) = (3, 2)

    private struct Document: Sendable {
        let question: Question
        let termFrequency: [String: Double]
        let length: Double
        /// The title's words, lower-cased, function words included, for phrase matches.
        let titleWords: [String]
    }

    private let documents: [Document]
    private let documentFrequency: [String: Int]
    /// Every word the bank uses, lower-cased, with its stem: typos are corrected against words, not
    /// stems ("securty" is one edit from "security", two from its stem "secur").
    private let vocabulary: [String: String]
    private let averageLength: Double

    /// Indexes every question of `library`.
    public init(library: ContentLibrary) {
        var documents: [Document] = []
        var frequency: [String: Int] = [:]
        var vocabulary: [String: String] = [:]
        for question in library.questions {
            var tf: [String: Double] = [:]
            var length = 0.0
            func add(_ text: String, weight: Double) {
                for token in AnalyzedText(text).tokens where !token.isNegation {
                    tf[token.stem, default: 0] += weight
                    length += weight
                    vocabulary[token.word] = token.stem
                }
            }
            add(question.title, weight: Self.fieldWeights.title)
            add(question.id.replacingOccurrences(of: "-", with: " "), weight: Self.fieldWeights.title)
            for point in question.rubric {
                add(point.point, weight: Self.fieldWeights.rubric)
                add(point.evidence.joined(separator: ". "), weight: Self.fieldWeights.rubric)
            }
            add(question.modelAnswer, weight: Self.fieldWeights.body)
            add(question.tip, weight: Self.fieldWeights.body)
            add(question.pitfalls.joined(separator: "\n"), weight: Self.fieldWeights.body)
            for stem in tf.keys { frequency[stem, default: 0] += 1 }
            documents.append(
                Document(
                    question: question, termFrequency: tf, length: length, titleWords: Self.words(question.title)))
        }
        self.documents = documents
        self.documentFrequency = frequency
        self.vocabulary = vocabulary
        self.averageLength = documents.isEmpty ? 1 : documents.map(\.length).reduce(0, +) / Double(documents.count)
    }

    /// The questions matching `query`, best first. Questions must contain at least one query word;
    /// those that contain more of them rank higher.
    public func search(_ query: String, filter: QuestionFilter = QuestionFilter(), limit: Int = 20) -> [Hit] {
        var seen = Set<String>()
        let tokens = AnalyzedText(query).tokens.filter { !$0.isNegation && seen.insert($0.stem).inserted }
        guard !tokens.isEmpty else { return [] }
        // Each query word is looked up as itself or, when the bank never uses it, as its nearest words.
        let terms = tokens.map { token in
            documentFrequency[token.stem] != nil
                ? [(token.stem, 1.0)] : corrections(of: token.word).map { ($0, Self.correctionWeight) }
        }
        let queryWords = Self.words(query)
        let count = Double(documents.count)
        var hits: [(Document, Double)] = []
        for document in documents where filter.accepts(document.question) {
            var score = 0.0
            var matched = 0
            for alternatives in terms {
                var best = 0.0
                for (term, weight) in alternatives {
                    guard let tf = document.termFrequency[term], tf > 0 else { continue }
                    let df = Double(documentFrequency[term] ?? 0)
                    let idf = log(1 + (count - df + 0.5) / (df + 0.5))
                    let norm =
                        tf * (Self.k1 + 1) / (tf + Self.k1 * (1 - Self.b + Self.b * document.length / averageLength))
                    best = max(best, weight * idf * norm)
                }
                if best > 0 {
                    matched += 1
                    score += best
                }
            }
            guard matched > 0 else { continue }
            // Coverage of the query matters more than repeating one of its words.
            score *= Double(matched) / Double(terms.count)
            if queryWords.count >= 2, Self.starts(document.titleWords, with: queryWords) {
                score *= Self.titleBoost.prefix
            } else if queryWords.count >= 2, Self.contains(document.titleWords, queryWords) {
                score *= Self.titleBoost.phrase
            }
            hits.append((document, score))
        }
        hits.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.question.id < $1.0.question.id }
        return hits.prefix(limit).map { document, score in
            Hit(
                id: document.question.id, title: document.question.title, score: (score * 1000).rounded() / 1000,
                excerpt: Self.excerpt(of: document.question, terms: Set(terms.flatMap { $0.map(\.0) })))
        }
    }

    /// The stems of the bank's words nearest to `word` (one edit for short words, two from eight
    /// letters), the most used first; none for words of three letters or fewer, where one edit makes
    /// another word.
    func corrections(of word: String) -> [String] {
        let word = word.lowercased()
        let length = word.count
        guard length >= 4 else { return [] }
        let allowed = length >= 8 ? 2 : 1
        var nearest: [String: Int] = [:]
        for (candidate, stem) in vocabulary where abs(candidate.count - length) <= allowed {
            let distance = Self.editDistance(word, candidate, limit: allowed)
            if distance <= allowed { nearest[stem] = min(nearest[stem] ?? distance, distance) }
        }
        guard let best = nearest.values.min() else { return [] }
        return nearest.filter { $0.value == best }.keys.sorted {
            (documentFrequency[$0] ?? 0, $1) > (documentFrequency[$1] ?? 0, $0)
        }.prefix(3).map { $0 }
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions and swaps of two
    /// neighbours), or `limit + 1` as soon as it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// Lower-cased runs of letters and digits: "What is HIPAA, and" → what, is, hipaa, and.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    static func starts(_ title: [String], with query: [String]) -> Bool {
        title.count >= query.count && Array(title.prefix(query.count)) == query
    }

    static func contains(_ title: [String], _ query: [String]) -> Bool {
        guard title.count >= query.count else { return false }
        return (0...(title.count - query.count)).contains { Array(title[$0..<($0 + query.count)]) == query }
    }

    /// The sentence of the model answer with the most query words.
    static func excerpt(of question: Question, terms: Set<String>) -> String? {
        var best: (String, Int)?
        for sentence in sentences(question.modelAnswer) {
            let stems = Set(AnalyzedText(sentence).tokens.map(\.stem))
            let count = stems.intersection(terms).count
            if count > (best?.1 ?? 0) { best = (sentence, count) }
        }
        return best?.0
    }

    /// Splits prose into sentences at `.`, `!` or `?` followed by a space.
    public static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        let characters = Array(text.replacingOccurrences(of: "\n", with: " "))
        for (index, character) in characters.enumerated() {
            current.append(character)
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if ".!?".contains(character), next == nil || next == " " {
                result.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespaces)
        if !rest.isEmpty { result.append(rest) }
        return result
    }
}
