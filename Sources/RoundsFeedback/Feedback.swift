import RoundsCore

/// What Rounds says about one answer: rubric coverage with evidence, misconceptions, structure and
/// delivery checks, a score and a band, and what to improve. Every verdict points at the words that
/// earned it, so a learner can see why.
public struct Feedback: Sendable, Codable, Hashable {
    /// How much of a rubric point the answer covers.
    public enum Coverage: String, Sendable, Codable, Hashable {
        case covered, partly, missing

        var credit: Double {
            switch self {
            case .covered: 1
            case .partly: 0.5
            case .missing: 0
            }
        }
    }

    /// A stretch of the answer, in characters from its start.
    public struct Span: Sendable, Codable, Hashable {
        /// What the span matched (an evidence phrase, a word).
        public let text: String
        public let start: Int
        public let end: Int

        public init(text: String, range: Range<Int>) {
            self.text = text
            self.start = range.lowerBound
            self.end = range.upperBound
        }

        public var range: Range<Int> { start..<end }
    }

    /// The verdict on one rubric point.
    public struct Point: Sendable, Codable, Hashable {
        public let index: Int
        public let point: String
        public let weight: Double
        public let star: StarStep?
        public let coverage: Coverage
        /// The spans that earned the coverage (full phrase matches, or the words of a partial one).
        public let evidence: [Span]
        /// Evidence phrases that occur only negated ("we did not encrypt"), which earn nothing.
        public let negated: [Span]
        /// When the point was earned by meaning rather than by its phrases: the answer's sentence, the
        /// rubric or model-answer sentence it is closest to, and their cosine similarity.
        public let semantic: SemanticMatch?

        public init(
            index: Int, point: String, weight: Double, star: StarStep?, coverage: Coverage, evidence: [Span],
            negated: [Span], semantic: SemanticMatch? = nil
        ) {
            self.index = index
            self.point = point
            self.weight = weight
            self.star = star
            self.coverage = coverage
            self.evidence = evidence
            self.negated = negated
            self.semantic = semantic
        }
    }

    /// A match by meaning: which sentence of the answer, what it was compared with, how close.
    public struct SemanticMatch: Sendable, Codable, Hashable {
        /// The answer's sentence.
        public let sentence: Span
        /// The rubric point, model-answer sentence or claim wording it matched.
        public let matched: String
        /// Cosine similarity of the two sentence embeddings, −1 to 1.
        public let similarity: Double
    }

    /// A wrong or harmful claim found in the answer.
    public struct MisconceptionFound: Sendable, Codable, Hashable {
        public let claim: String
        public let correction: String
        public let span: Span
        /// True for a bank-wide misconception rather than one the question lists.
        public let global: Bool
        /// How the claim was recognised: `phrase` (its words), `fact` (a fact stated with a wrong value),
        /// or `meaning` (a sentence close in meaning to the claim's wording).
        public let via: String
        /// For `meaning`: the cosine similarity to the matched wording.
        public let similarity: Double?

        public init(
            claim: String, correction: String, span: Span, global: Bool, via: String = "phrase",
            similarity: Double? = nil
        ) {
            self.claim = claim
            self.correction = correction
            self.span = span
            self.global = global
            self.via = via
            self.similarity = similarity
        }
    }

    /// A structure or delivery check.
    public struct Check: Sendable, Codable, Hashable {
        public enum Status: String, Sendable, Codable, Hashable {
            case pass, warn, fail
        }

        /// A stable id: `star.situation`, `quantified-impact`, `plain-language`, `jargon`, `readability`,
        /// `healthcare-context`, `code.present`, `code.select-star`, `length`, `filler`, `explanation`,
        /// `relevance`.
        public let id: String
        public let title: String
        public let status: Status
        /// What was found, in plain words.
        public let detail: String
        public let spans: [Span]
    }

    public let questionID: String
    /// 0 to 100.
    public let score: Int
    /// 0 unacceptable, 1 poor, 2 partial, 3 good, 4 excellent.
    public let band: Int
    public let points: [Point]
    public let misconceptions: [MisconceptionFound]
    public let checks: [Check]
    /// The two or three most valuable things to improve, most valuable first.
    public let improvements: [String]
    /// Why the score was held down, when a cap applied (a misconception, a list of buzzwords…).
    public let caps: [String]
    public let wordCount: Int

    /// The rating scheduling will use unless the learner overrides it.
    public var rating: Rating { Rating(band: band) }

    /// The band's name.
    public var bandName: String { Self.bandNames[band] }

    public static let bandNames = ["unacceptable", "poor", "partial", "good", "excellent"]
}

extension Feedback {
    /// The one-line summary kept with an attempt: "4/5 points covered, 1 partly; 1 wrong claim".
    public var summaryLine: String {
        let covered = points.filter { $0.coverage == .covered }.count
        let partly = points.filter { $0.coverage == .partly }.count
        var text = "\(covered)/\(points.count) points covered"
        if partly > 0 { text += ", \(partly) partly" }
        if !misconceptions.isEmpty {
            text += "; \(misconceptions.count) wrong claim\(misconceptions.count == 1 ? "" : "s")"
        }
        return text
    }
}
