import RoundsCore

/// Finds the wrong claims an answer makes, four ways, each explained:
/// - `phrase`: a misconception's phrase, affirmed (not negated, not in a sentence that calls it a myth);
/// - `fact`: a sentence that names a fact slot's subject with a wrong value and not the right one
///   ("CPT is published by CMS");
/// - `meaning`: a sentence close in meaning to a claim's wording, with the same polarity, and clearly
///   closer to it than to the model answer or the claim's correction.
struct ClaimFinder {
    let prepared: PreparedQuestion
    let text: AnalyzedText
    let sentences: AnswerSentences?

    /// Sentence index of each token, by the token's first character.
    private let sentenceAt: [Int: Int]
    private let tokensBySentence: [Int: [Token]]

    init(prepared: PreparedQuestion, text: AnalyzedText, sentences: AnswerSentences?) {
        self.prepared = prepared
        self.text = text
        self.sentences = sentences
        sentenceAt = Dictionary(text.tokens.map { ($0.range.lowerBound, $0.sentence) }, uniquingKeysWith: { a, _ in a })
        tokensBySentence = Dictionary(grouping: text.tokens, by: \.sentence)
    }

    func find() -> [Feedback.MisconceptionFound] {
        var found: [Feedback.MisconceptionFound] = []
        func overlaps(_ range: Range<Int>) -> Bool { found.contains { $0.span.range.overlaps(range) } }
        func claimed(_ sentence: Int) -> Bool {
            guard let range = text.sentences.indices.contains(sentence) ? text.sentences[sentence].range : nil else {
                return false
            }
            return overlaps(range)
        }

        for entry in prepared.misconceptions {
            for phrase in entry.phrases {
                // A bank-wide misconception that restates one the question already caught, on the same
                // words, is one mistake, not two.
                guard
                    let match = phrase.matches(in: text).first(where: {
                        !$0.isNegated && !refutes(sentenceAt[$0.range.lowerBound]) && !contrasted($0.range)
                    }), !overlaps(match.range)
                else { continue }
                found.append(
                    .init(
                        claim: entry.misconception.claim, correction: entry.misconception.correction,
                        span: .init(text: phrase.text, range: match.range), global: entry.isGlobal))
                break
            }
        }

        for fact in prepared.facts {
            for about in fact.about {
                for subject in about.matches(in: text) where !subject.isNegated {
                    guard let sentence = sentenceAt[subject.range.lowerBound], !claimed(sentence) else { continue }
                    let inSentence = { (phrase: Phrase) in
                        phrase.matches(in: text).filter { self.sentenceAt[$0.range.lowerBound] == sentence }
                    }
                    if fact.right.contains(where: { !inSentence($0).isEmpty }) { continue }
                    guard
                        let wrong = fact.wrong.lazy.compactMap({ phrase in
                            inSentence(phrase).first { !$0.isNegated && !subject.range.overlaps($0.range) }.map {
                                (phrase, $0)
                            }
                        }).first, !refutes(sentence)
                    else { continue }
                    let range =
                        min(
                            subject.range.lowerBound, wrong.1.range.lowerBound)..<max(
                            subject.range.upperBound, wrong.1.range.upperBound)
                    found.append(
                        .init(
                            claim: "\(about.text) with \(wrong.0.text)", correction: fact.slot.correction,
                            span: .init(text: "\(subject.phrase) … \(wrong.0.text)", range: range),
                            global: fact.point == nil, via: "fact"))
                }
            }
        }

        if let sentences, let semantic = prepared.semantic {
            for sentence in sentences.entries where !claimed(sentence.index) {
                var best: (similarity: Float, entry: Int, exemplar: Exemplar)?
                for (entryIndex, exemplars) in semantic.claims.enumerated() {
                    for exemplar in exemplars where exemplar.isNegative == sentence.isNegative {
                        let similarity = Semantics.cosine(sentence.vector, exemplar.vector)
                        if similarity > (best?.similarity ?? -1) { best = (similarity, entryIndex, exemplar) }
                    }
                }
                guard let best, best.similarity >= Semantics.claimSimilarity, !refutes(sentence.index) else { continue }
                let right =
                    (semantic.modelSentences + [semantic.corrections[best.entry]]).map {
                        Semantics.cosine(sentence.vector, $0.vector)
                    }.max() ?? -1
                if best.similarity - right >= Semantics.claimMargin {
                    let entry = prepared.misconceptions[best.entry]
                    found.append(
                        .init(
                            claim: entry.misconception.claim, correction: entry.misconception.correction,
                            span: .init(text: best.exemplar.text, range: sentence.range), global: entry.isGlobal,
                            via: "meaning", similarity: Self.rounded(best.similarity)))
                }
            }
        }
        return found.sorted { $0.span.start < $1.span.start }
    }

    /// The sentences that hold a found claim: they earn no rubric credit.
    func sentences(of found: [Feedback.MisconceptionFound]) -> Set<Int> {
        var result = Set<Int>()
        for claim in found {
            for (index, sentence) in text.sentences.enumerated() where sentence.range.overlaps(claim.span.range) {
                result.insert(index)
            }
        }
        return result
    }

    /// Words that set what follows them aside: "rather than restoring at once, we …", "avoid hashing the
    /// MRN". A claim right after one is named to be rejected.
    static let contrastWords: Set<String> = ["rather", "instead", "avoid", "avoids", "avoided", "avoiding"]

    /// True when one of the ``Phrase/negationWindow`` words before `range`, in its sentence, is a
    /// contrast word.
    private func contrasted(_ range: Range<Int>) -> Bool {
        guard let sentence = sentenceAt[range.lowerBound], let tokens = tokensBySentence[sentence] else { return false }
        return tokens.filter { $0.range.lowerBound < range.lowerBound }.suffix(Phrase.negationWindow).contains {
            Self.contrastWords.contains($0.word)
        }
    }

    /// True when the sentence calls what it mentions a myth, a misconception, false or wrong: it
    /// names the claim in order to reject it.
    private func refutes(_ sentence: Int?) -> Bool {
        guard let sentence else { return false }
        return (tokensBySentence[sentence] ?? []).contains { Semantics.refutationWords.contains($0.word) }
    }

    private static func rounded(_ value: Float) -> Double { (Double(value) * 1000).rounded() / 1000 }
}
