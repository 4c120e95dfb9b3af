/// An evidence or misconception phrase, compiled for matching.
///
/// A phrase matches when its content words occur in order, in one sentence, with at most ``maxGap``
/// other content words between neighbours. A match preceded by a negation within ``negationWindow`` words in the same
/// sentence, or with a negation in a gap between its words, is reported as negated and does not count
/// as evidence.
public struct Phrase: Sendable, Hashable {
    /// The words that may separate two words of a phrase.
    public static let maxGap = 2
    /// How many words before a match are searched for a negation.
    public static let negationWindow = 3

    /// The phrase as the author wrote it.
    public let text: String
    /// The stems that must occur, in order.
    public let stems: [String]

    /// Compiles `text`. A phrase made only of function words has no stems and never matches.
    public init(_ text: String) {
        self.text = text
        self.stems = AnalyzedText(text).tokens.map(\.stem)
    }

    /// True when the phrase has nothing left to match once function words are removed.
    public var canNeverMatch: Bool { stems.isEmpty }

    /// Every place the phrase occurs in `text`, negated occurrences included (see ``PhraseMatch/isNegated``).
    public func matches(in text: AnalyzedText) -> [PhraseMatch] {
        guard let first = stems.first else { return [] }
        var found: [PhraseMatch] = []
        var lastEnd = -1
        for startIndex in text.occurrences(of: first) where startIndex > lastEnd {
            var index = startIndex
            var complete = true
            var matched = [startIndex]
            for stem in stems.dropFirst() {
                let sentence = text.tokens[startIndex].sentence
                guard
                    let next = text.occurrences(of: stem).first(where: {
                        $0 > index && $0 <= index + Self.maxGap + 1 && text.tokens[$0].sentence == sentence
                    })
                else {
                    complete = false
                    break
                }
                index = next
                matched.append(next)
            }
            guard complete else { continue }
            let tokens = text.tokens
            let sentence = tokens[startIndex].sentence
            let windowStart = max(0, startIndex - Self.negationWindow)
            // A negation just before the match, or in a gap inside it ("the BAA does not make us
            // compliant" against "BAA makes us compliant"), reverses what the words claim.
            let negated =
                tokens[windowStart..<startIndex].contains { $0.isNegation && $0.sentence == sentence }
                || (startIndex...index).contains { !matched.contains($0) && tokens[$0].isNegation }
            found.append(
                PhraseMatch(
                    phrase: self.text,
                    range: tokens[startIndex].range.lowerBound..<tokens[index].range.upperBound,
                    isNegated: negated
                )
            )
            lastEnd = index
        }
        return found
    }

    /// The first occurrence that is not negated, if any.
    public func firstAffirmedMatch(in text: AnalyzedText) -> PhraseMatch? {
        matches(in: text).first { !$0.isNegated }
    }
}

/// Where a phrase was found in a text.
public struct PhraseMatch: Sendable, Hashable, Codable {
    /// The phrase as its author wrote it.
    public let phrase: String
    /// The characters of the text that the match spans, from its first to its last word.
    public let range: Range<Int>
    /// True when a negation comes just before the match in the same sentence (*we did not encrypt*).
    public let isNegated: Bool
}
