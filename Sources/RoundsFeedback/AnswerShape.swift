import RoundsCore

/// How an answer is built: which of its sentences are bare lists of terms rather than explanation.
struct AnswerShape {
    /// Sentences that read as lists of terms: three words or fewer; almost no function words (prose in
    /// English runs at roughly 40%); mostly short comma-separated items with few function words
    /// (*encryption, TLS, MFA and audit logs*); or a long run of short items, whatever their words
    /// (*notify affected individuals, within 60 days, the media, annual log, …*): prose rarely strings
    /// more than five clauses on commas, a pasted keyword list always does.
    let bareSentences: [Range<Int>]
    /// True when most of the answer is bare sentences.
    let isList: Bool

    static let bareFunctionRatio = 0.1
    static let listFunctionRatio = 0.25
    static let listShare = 0.6
    /// A sentence of at least this many comma-separated items…
    static let runItems = 7
    /// …whose middle item has at most this many words is a keyword run.
    static let runItemWords = 5

    init(_ answer: String, text: AnalyzedText) {
        var bare: [Range<Int>] = []
        var bareWords = 0
        for sentence in text.sentences {
            let ratio = Double(sentence.functionWordCount) / Double(max(sentence.wordCount, 1))
            let items = sentence.segmentWordCounts
            let shortItems = items.filter { $0 <= 3 }.count
            let listLike =
                items.count >= 3 && Double(shortItems) >= Double(items.count) * 0.7 && ratio < Self.listFunctionRatio
            let run = items.count >= Self.runItems && items.sorted()[items.count / 2] <= Self.runItemWords
            if sentence.wordCount <= 3 || ratio < Self.bareFunctionRatio || listLike || run {
                bare.append(sentence.range)
                bareWords += sentence.wordCount
            }
        }
        bareSentences = bare
        isList = text.wordCount >= 3 && Double(bareWords) >= Double(text.wordCount) * Self.listShare
    }

    /// True when `range` lies inside a bare sentence.
    func isInBareFragment(_ range: Range<Int>) -> Bool {
        bareSentences.contains { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
    }
}
