import RoundsCore

/// Probes a question's rubric with answers that must not do well, for `rounds content lint`:
/// - a keyword list (every evidence phrase, joined by commas) must stay below band 2: a rubric that a
///   list of its own terms satisfies rewards recall of words, not understanding;
/// - a sentence that names a misconception in order to reject it must not be flagged as holding it;
/// - the model answer must not be flagged as holding any claim, the question's own or a bank-wide one:
///   a phrase that the right answer contains would flag the learners who get it right.
public struct RubricProbe: Sendable {
    /// One problem, by front-matter field (`misconceptions[0].phrases[1]`).
    public struct Problem: Sendable, Hashable {
        public let field: String
        /// The misconception phrase at fault, for problems with one.
        public var phrase: String? = nil
        public let message: String
        public let fix: String
    }

    /// The highest band a keyword list may get.
    public static let keywordListBandLimit = 1

    /// Sentences that reject a claim; `{}` is replaced by the misconception's phrase. Each uses a
    /// different way English rejects: a refutation word, a contrast, a direct negation.
    public static let rejections = [
        "It is a myth that {}.",
        "Some people say {}, but that is wrong.",
        "Rather than {}, follow the rule.",
        "Instead of {}, follow the rule.",
        "We do not {}.",
        "Never {}.",
    ]

    let lexical: FeedbackEngine
    /// Knows no bank-wide claims: the peer check looks at each question's own claims only.
    let ownClaimsOnly = FeedbackEngine(encoder: nil)
    let rejections: [String]

    /// A neighbouring question's model answer, analysed once for all the questions it is checked against.
    public struct Peer: Sendable {
        let id: String
        let answer: String
        let text: AnalyzedText

        public init(_ question: Question) {
            id = question.id
            answer = question.modelAnswer
            text = AnalyzedText(question.modelAnswer)
        }
    }

    /// Probes with a purely lexical engine that knows the bank-wide claims. For a keyword list that is the stricter test: every
    /// evidence phrase already matches by its words, so matching by meaning could add no credit, and
    /// only the list cap keeps the band down. Rejection sentences are about phrases. And it is fast
    /// enough to probe the whole bank on every lint.
    public init(
        globalMisconceptions: [GlobalMisconception] = [], facts: [FactSlot] = [],
        rejections: [String] = RubricProbe.rejections
    ) {
        lexical = FeedbackEngine(globalMisconceptions: globalMisconceptions, facts: facts, encoder: nil)
        self.rejections = rejections
    }

    /// The answer made of the rubric's own evidence phrases.
    public static func keywordList(_ question: Question) -> String {
        question.rubric.flatMap(\.evidence).joined(separator: ", ")
    }

    /// - Parameter peers: other questions whose model answers, right answers on nearby topics, must not
    ///   be flagged by this question's own claims either (the bank passes the questions that share a
    ///   skill). A phrase that a right answer to a neighbouring question contains catches right answers.
    public func problems(in question: Question, peers: [Peer] = []) -> [Problem] {
        var problems: [Problem] = []
        let list = lexical.evaluate(Self.keywordList(question), for: question)
        if list.band > Self.keywordListBandLimit {
            problems.append(
                Problem(
                    field: "rubric",
                    message:
                        "a bare list of the rubric's own evidence phrases, joined by commas, gets band \(list.band) (score \(list.score)); a keyword list must stay below band 2.",
                    fix:
                        "make evidence the claims a good answer states (`notify within 60 days`), not topic words, and give the heaviest points phrases that only an explanation contains."
                ))
        }
        problems += modelAnswerProblems(question)
        problems += peerProblems(question, peers: peers)
        for (index, misconception) in question.misconceptions.enumerated() {
            for (phraseIndex, phrase) in misconception.phrases.enumerated() {
                for template in rejections {
                    let sentence = template.replacingOccurrences(of: "{}", with: phrase)
                    // Only this phrase counts: "We do not …" may rightly trip a sibling phrase that
                    // states the claim with a negation ("do not have to encrypt").
                    let flagged = ownClaimsOnly.claims(in: sentence, for: question).contains {
                        $0.claim == misconception.claim && $0.span.text == phrase
                    }
                    guard flagged else { continue }
                    problems.append(
                        Problem(
                            field: "misconceptions[\(index)].phrases[\(phraseIndex)]", phrase: phrase,
                            message:
                                "the phrase `\(phrase)` flags \"\(sentence)\", a sentence that rejects the claim.",
                            fix: "state the wrong claim as an assertion that a rejection does not contain."))
                    break
                }
            }
        }
        return problems
    }

    /// Claims the model answer is flagged as holding, each named by the field that flagged it.
    func modelAnswerProblems(_ question: Question) -> [Problem] {
        guard !question.modelAnswer.isEmpty else { return [] }
        return lexical.claims(in: question.modelAnswer, for: question).map { found in
            let own = question.misconceptions.firstIndex { $0.claim == found.claim }
            let field: String
            if let (claim, phrase) = Self.ownPhrase(found, in: question) {
                field = "misconceptions[\(claim)].phrases[\(phrase)]"
            } else if let own {
                field = "misconceptions[\(own)]"
            } else {
                field = "model answer"
            }
            let origin =
                own != nil
                ? ""
                : found.via == "fact" ? " (a fact slot in facts.yaml)" : " (a bank-wide claim in misconceptions.yaml)"
            return Problem(
                field: field, phrase: own != nil ? found.span.text : nil,
                message:
                    "the model answer is flagged as claiming \"\(found.claim)\"\(origin) by its words `\(found.span.text)`.",
                fix:
                    "make the phrase state the wrong claim in words the right answer does not use, or reword the model answer if it really says the claim."
            )
        }
    }

    /// This question's own phrases that flag a peer's model answer, once per phrase.
    func peerProblems(_ question: Question, peers: [Peer]) -> [Problem] {
        guard !question.misconceptions.isEmpty else { return [] }
        var seen: Set<String> = []
        var problems: [Problem] = []
        for peer in peers where peer.id != question.id && !peer.answer.isEmpty {
            for found in ownClaimsOnly.claims(in: peer.answer, analyzed: peer.text, for: question) {
                guard let (index, phrase) = Self.ownPhrase(found, in: question),
                    seen.insert("\(index)|\(phrase)").inserted
                else { continue }
                problems.append(
                    Problem(
                        field: "misconceptions[\(index)].phrases[\(phrase)]", phrase: found.span.text,
                        message:
                            "the phrase `\(found.span.text)` flags the model answer of `\(peer.id)`, a right answer on a nearby topic.",
                        fix: "make the phrase state the wrong claim in words a right answer does not use."))
            }
        }
        return problems
    }

    /// The question's own claim and phrase that `found` matched: its indexes in the front matter.
    static func ownPhrase(_ found: Feedback.MisconceptionFound, in question: Question) -> (claim: Int, phrase: Int)? {
        guard let claim = question.misconceptions.firstIndex(where: { $0.claim == found.claim }),
            let phrase = question.misconceptions[claim].phrases.firstIndex(of: found.span.text)
        else { return nil }
        return (claim, phrase)
    }
}
