import Foundation
import RoundsCore

/// Ranked full-text search over questions: titles, evidence phrases, rubric points and bodies.
///
/// BM25 over stemmed words, with each field's words counted with a weight: a query word in the title
/// says more about the question than the same word deep in its model answer.
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

    private struct Document: Sendable {
        let question: Question
        let termFrequency: [String: Double]
        let length: Double
    }

    private let documents: [Document]
    private let documentFrequency: [String: Int]
    private let averageLength: Double

    /// Indexes every question of `library`.
    public init(library: ContentLibrary) {
        var documents: [Document] = []
        var frequency: [String: Int] = [:]
        for question in library.questions {
            var tf: [String: Double] = [:]
            var length = 0.0
            func add(_ text: String, weight: Double) {
                for token in AnalyzedText(text).tokens where !token.isNegation {
                    tf[token.stem, default: 0] += weight
                    length += weight
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
            documents.append(Document(question: question, termFrequency: tf, length: length))
        }
        self.documents = documents
        self.documentFrequency = frequency
        self.averageLength = documents.isEmpty ? 1 : documents.map(\.length).reduce(0, +) / Double(documents.count)
    }

    /// The questions matching `query`, best first. Questions must contain at least one query word;
    /// those that contain more of them rank higher.
    public func search(_ query: String, filter: QuestionFilter = QuestionFilter(), limit: Int = 20) -> [Hit] {
        let terms = Array(Set(AnalyzedText(query).tokens.filter { !$0.isNegation }.map(\.stem)))
        guard !terms.isEmpty else { return [] }
        let count = Double(documents.count)
        var hits: [(Document, Double)] = []
        for document in documents where filter.accepts(document.question) {
            var score = 0.0
            var matched = 0
            for term in terms {
                guard let tf = document.termFrequency[term], tf > 0 else { continue }
                matched += 1
                let df = Double(documentFrequency[term] ?? 0)
                let idf = log(1 + (count - df + 0.5) / (df + 0.5))
                let norm = tf * (Self.k1 + 1) / (tf + Self.k1 * (1 - Self.b + Self.b * document.length / averageLength))
                score += idf * norm
            }
            guard matched > 0 else { continue }
            // Coverage of the query matters more than repeating one of its words.
            score *= Double(matched) / Double(terms.count)
            hits.append((document, score))
        }
        hits.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.question.id < $1.0.question.id }
        return hits.prefix(limit).map { document, score in
            Hit(
                id: document.question.id, title: document.question.title, score: (score * 1000).rounded() / 1000,
                excerpt: Self.excerpt(of: document.question, terms: Set(terms)))
        }
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
