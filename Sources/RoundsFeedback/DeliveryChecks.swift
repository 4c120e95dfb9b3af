import Foundation
import RoundsCore

/// The structure and delivery checks that fit a question's kind.
struct DeliveryChecks {
    let prepared: PreparedQuestion
    var question: Question { prepared.question }
    let answer: String
    let text: AnalyzedText
    let shape: AnswerShape
    let points: [Feedback.Point]
    /// The answer in lower case, ready for whole-word searches.
    let lowercased: WordSearch
    /// The cosine between the answer's sentence centroid and the question's (title and model answer);
    /// nil without a sentence encoder.
    var topicSimilarity: Double? = nil

    /// Below this topic similarity an answer is about something else.
    static let offTopicSimilarity = Double(Semantics.tunable("ROUNDS_TUNE_OFFTOPIC", 0.50))
    /// Below this it drifts from the question.
    static let driftSimilarity = Double(Semantics.tunable("ROUNDS_TUNE_DRIFT", 0.60))

    typealias Check = Feedback.Check

    func run() -> [Check] {
        var checks: [Check] = []
        if let relevance = relevance() { checks.append(relevance) }
        checks.append(length())
        if let filler = filler() { checks.append(filler) }
        if question.kind != .code { checks.append(healthcareContext()) }
        if asksAboutOwnWork { checks.append(quantifiedImpact()) }
        if question.kind == .behavioral { checks += star() }
        if question.kind == .explain { checks += plainLanguage() }
        if question.kind == .code { checks += CodeHygiene(answer: answer).checks() }
        if prepared.asksForSQL { checks.append(query()) }
        return checks
    }

    // MARK: Query

    /// An SQL question's answer must hold a query that parses (compiled against the lab schema).
    func query() -> Check {
        switch SQLQueryCheck.verdict(for: answer) {
        case .compiles:
            return Check(
                id: "code.query", title: "A query that parses", status: .pass,
                detail: "The query compiles against the SQL labs' synthetic EHR tables.", spans: [])
        case .parsesWithUnknownNames(let message):
            return Check(
                id: "code.query", title: "A query that parses", status: .pass,
                detail: "The query parses; against the SQL labs' tables SQLite says: \(message).", spans: [])
        case .dialect(let message):
            return Check(
                id: "code.query", title: "A query that parses", status: .warn,
                detail:
                    "SQLite could not parse the whole query (\(message)); if it is another dialect's syntax that may be fine, otherwise check it.",
                spans: [])
        case .notAQuery(let message):
            return Check(
                id: "code.query", title: "A query that parses", status: .fail,
                detail:
                    "This is not a query SQLite can parse\(message.isEmpty ? "" : " (\(message))"): write one complete SELECT statement.",
                spans: [])
        }
    }

    // MARK: Relevance

    /// The share of the answer's distinctive words that belong to the question's own vocabulary, and,
    /// with the sentence encoder, how close the answer's meaning is to the question's.
    func relevance() -> Check? {
        let answerStems = Set(text.tokens.filter { !$0.isNegation }.map(\.stem)).subtracting(TextAnalyzer.genericStems)
        guard answerStems.count >= 5 else { return nil }
        let vocabulary = prepared.vocabulary
        let share = Double(answerStems.intersection(vocabulary).count) / Double(answerStems.count)
        let percent = Int((share * 100).rounded())
        let anyCoverage = points.contains { $0.coverage != .missing }
        let meaning = topicSimilarity.map { String(format: " (meaning: %.2f similar to the question)", $0) } ?? ""
        let offTopic: Bool
        let drifts: Bool
        if let similarity = topicSimilarity {
            // Words shared with the question can come from a neighbouring topic; meaning decides, and
            // the share of words only breaks a near tie.
            offTopic = similarity < Self.offTopicSimilarity || (similarity < Self.driftSimilarity && share < 0.2)
            drifts = similarity < Self.driftSimilarity || share < 0.3
        } else {
            offTopic = share < 0.2 && !anyCoverage
            drifts = share < 0.3
        }
        if offTopic {
            return Check(
                id: "relevance", title: "On topic", status: .fail,
                detail:
                    "Only \(percent)% of the answer's key words relate to this question\(meaning); it reads as an answer to something else.",
                spans: [])
        }
        if drifts {
            return Check(
                id: "relevance", title: "On topic", status: .warn,
                detail:
                    "Only \(percent)% of the answer's key words relate to the question\(meaning); keep to what was asked.",
                spans: [])
        }
        return Check(
            id: "relevance", title: "On topic", status: .pass, detail: "The answer stays on the question\(meaning).",
            spans: [])
    }

    // MARK: Length

    /// Speaking pace used to turn a question's suggested minutes into words.
    static let wordsPerMinute = 130

    /// The suggested minutes at ``wordsPerMinute`` give the spoken length. Typed answers make the same
    /// points in fewer words, so the minimum comes from the model answer, which is typed.
    func length() -> Check {
        let model = prepared.modelWordCount
        let spoken = question.minutes * Self.wordsPerMinute
        let typed = model > 0 ? model : spoken / 2
        let minimum = max(30, Int(Double(typed) * 0.3))
        let maximum = max(Int(Double(typed) * 2.5), spoken)
        let words = text.wordCount
        // "an 8-minute", "an 11-minute", "an 18-minute": the article follows the spoken number.
        let spokenWithVowel = [8, 11, 18].contains(question.minutes) || (80...89).contains(question.minutes)
        let pace =
            "\(spokenWithVowel ? "an" : "a") \(question.minutes)-minute answer is about \(spoken) words spoken at \(Self.wordsPerMinute) words a minute"
        if words < minimum {
            return Check(
                id: "length", title: "Length", status: .fail,
                detail:
                    "\(words) words is too short to cover the question: \(pace); typed, aim for \(minimum) to \(typed) words.",
                spans: [])
        }
        if words > maximum {
            return Check(
                id: "length", title: "Length", status: .warn,
                detail:
                    "\(words) words is long: \(pace), and the strongest typed answers make their points in about \(typed).",
                spans: [])
        }
        return Check(
            id: "length", title: "Length", status: .pass,
            detail: "\(words) words suits the question (\(pace); typed, about \(typed) covers it).", spans: [])
    }

    // MARK: Filler

    static let fillers = [
        "um", "uh", "erm", "basically", "actually", "literally", "you know", "kind of", "sort of", "i guess", "i mean",
        "stuff like that", "and so on", "etc",
    ]

    func filler() -> Check? {
        var spans: [Feedback.Span] = []
        for filler in Self.fillers {
            for range in lowercased.ranges(of: filler) {
                spans.append(Feedback.Span(text: filler, range: range))
            }
        }
        guard text.wordCount >= 20 else { return nil }
        let per100 = Double(spans.count) * 100 / Double(text.wordCount)
        let status: Check.Status = per100 > 4 ? .fail : per100 > 1.5 ? .warn : .pass
        let detail =
            spans.isEmpty
            ? "No filler words."
            : "\(spans.count) filler word\(spans.count == 1 ? "" : "s") (\(String(format: "%.1f", per100)) per 100 words): \(Set(spans.map(\.text)).sorted().joined(separator: ", "))."
        return Check(
            id: "filler", title: "Filler words", status: status, detail: detail,
            spans: spans.sorted { $0.start < $1.start })
    }

    // MARK: Healthcare context

    static let healthcareTerms = Set(
        [
            "patient", "clinician", "physician", "nurse", "doctor", "hospital", "clinic", "phi", "hipaa", "ehr", "emr",
            "clinical", "diagnosis", "medication", "lab", "encounter", "admission", "discharge", "readmission", "payer",
            "claim", "medicare", "medicaid", "cms", "onc", "hhs", "fhir", "hl7", "icd", "loinc", "snomed", "rxnorm",
            "cpt", "epic", "cerner", "telehealth", "care", "health", "healthcare", "medical", "chart", "bedside",
            "pharmacy", "radiology", "emergency", "icu", "ward", "consent", "caregiver", "provider", "treatment",
            "triage", "vital", "prescription", "prescriber",
        ].map(PorterStemmer.stem))

    /// Acronyms that must be written as themselves: their stems collide with ordinary words
    /// (*once* stems to *onc*, *claims* is fine but *cms* must not come from anything else).
    static let healthcareAcronyms: Set<String> = [
        "phi", "hipaa", "ehr", "emr", "cms", "onc", "hhs", "fhir", "hl7", "icd", "loinc", "snomed", "rxnorm", "cpt",
        "icu", "epic", "cerner",
    ]

    func healthcareContext() -> Check {
        var seen: [String: Feedback.Span] = [:]
        for token in text.tokens where seen[token.stem] == nil {
            let isTerm =
                Self.healthcareAcronyms.contains(token.stem) || Self.healthcareAcronyms.contains(token.word)
                ? Self.healthcareAcronyms.contains(token.word) : Self.healthcareTerms.contains(token.stem)
            guard isTerm else { continue }
            seen[token.stem] = Feedback.Span(text: token.word, range: token.range)
        }
        let spans = seen.values.sorted { $0.start < $1.start }
        switch spans.count {
        case 0:
            return Check(
                id: "healthcare-context", title: "Healthcare context", status: .fail,
                detail:
                    "Nothing ties the answer to health care: patients, clinicians, PHI, the rules or the clinical workflow.",
                spans: [])
        case 1:
            return Check(
                id: "healthcare-context", title: "Healthcare context", status: .warn,
                detail: "Only one healthcare term (\(spans[0].text)); show how the setting changes the answer.",
                spans: spans)
        default:
            return Check(
                id: "healthcare-context", title: "Healthcare context", status: .pass,
                detail: "Grounded in health care: \(spans.prefix(5).map(\.text).joined(separator: ", ")).", spans: spans
            )
        }
    }

    // MARK: Quantified impact

    /// Behavioural questions, and any question that asks about the candidate's own work.
    var asksAboutOwnWork: Bool {
        if question.kind == .behavioral { return true }
        let title = question.title.lowercased()
        return [
            "tell me about a time", "describe a time", "a project you", "your experience", "you have led", "you led",
        ]
        .contains { title.contains($0) }
    }

    /// A measured result: a number with a unit of change (%, money, time, people, a multiple), a change
    /// "from X to Y", or a word of proportion (*doubled*, *halved*). A bare count or a compound adjective
    /// ("30-day", "top three", "one page") describes something; it does not measure an outcome.
    static let quantityPattern = try! NSRegularExpression(
        pattern:
            #"\b\d[\d,.]*\s*(%|percent\b|x\b|times\b|(hours?|days?|weeks?|months?|minutes?|people|patients|users|records|clinicians|staff|sites|hospitals|visits|claims|denials|errors|calls|tickets|beds|points)\b)|\$\s?\d[\d,.]*[kmb]?|\bfrom\s+\$?\d[\d,.]*\s*%?\s+(\w+\s+)?to\s+\$?\d[\d,.]*|\b(half|doubled|tripled|halved|quadrupled)\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|million)\s+(percent|hours|days|weeks|months|minutes|people|patients|clinicians|staff|sites|hospitals)\b"#,
        options: [.caseInsensitive])

    func quantifiedImpact() -> Check {
        let spans = WordSearch.matches(of: Self.quantityPattern, in: answer)
        if spans.isEmpty {
            return Check(
                id: "quantified-impact", title: "Measured result", status: .fail,
                detail: "No numbers: say how much changed (time saved, errors cut, people reached, percentages).",
                spans: [])
        }
        return Check(
            id: "quantified-impact", title: "Measured result", status: .pass,
            detail: "Quantified: \(spans.prefix(4).map(\.text).joined(separator: ", ")).", spans: Array(spans.prefix(8))
        )
    }

    // MARK: STAR

    static let starCues: [StarStep: [String]] = [
        .situation: [
            "at my", "when i was", "in my previous", "in my last", "i was working", "our hospital", "our clinic",
            "we had", "there was", "last year", "a few years ago", "in my role as", "while i was",
        ],
        .task: [
            "my role", "i was responsible", "i needed to", "my job", "my task", "the goal", "i had to", "was asked to",
            "i was asked", "my responsibility", "i owned", "our goal", "needed to",
        ],
        .action: [
            "i decided", "i started", "i built", "i met", "i called", "i wrote", "i set up", "i worked", "i asked",
            "i proposed", "i created", "i led", "i reviewed", "i escalated", "i scheduled", "i explained", "i ran",
            "i analyzed", "i analysed", "i changed", "i added", "i sat down", "i organized", "i organised",
        ],
        .result: [
            "as a result", "the result", "resulted in", "reduced", "increased", "improved", "saved", "cut", "went from",
            "dropped", "rose", "outcome", "led to", "since then", "in the end", "ultimately", "now",
        ],
    ]

    func star() -> [Check] {
        return StarStep.allCases.map { step in
            let rubricSpans = points.filter { $0.star == step && $0.coverage != .missing }.flatMap(\.evidence)
            var spans = rubricSpans
            if spans.isEmpty {
                for cue in Self.starCues[step] ?? [] {
                    if let range = lowercased.ranges(of: cue).first {
                        spans.append(Feedback.Span(text: cue, range: range))
                        break
                    }
                }
            }
            let name = step.rawValue.capitalized
            let advice: String
            switch step {
            case .situation: advice = "set the scene: where you were and what was at stake"
            case .task: advice = "say what you were responsible for"
            case .action: advice = "say what you did yourself, in the first person"
            case .result: advice = "finish with the outcome, measured if you can"
            }
            return Check(
                id: "star.\(step.rawValue)", title: "STAR: \(name)", status: spans.isEmpty ? .fail : .pass,
                detail: spans.isEmpty ? "Missing: \(advice)." : "\(name) is there.", spans: Array(spans.prefix(3)))
        }
    }

    // MARK: Plain language

    func plainLanguage() -> [Check] {
        var checks: [Check] = []
        let sentences = text.sentences.filter { $0.wordCount > 0 }
        guard !sentences.isEmpty else { return [] }
        let average = Double(text.wordCount) / Double(sentences.count)
        let longest = sentences.max { $0.wordCount < $1.wordCount }!
        let status: Check.Status = average <= 20 ? .pass : average <= 26 ? .warn : .fail
        checks.append(
            Check(
                id: "plain-language", title: "Short sentences", status: status,
                detail: String(
                    format: "Sentences average %.0f words; the longest has %d. Aim for under 20.", average,
                    longest.wordCount),
                spans: longest.wordCount > 30 ? [Feedback.Span(text: "longest sentence", range: longest.range)] : []))

        let ease = Readability.fleschReadingEase(answer, words: text.wordCount, sentences: sentences.count)
        let easeStatus: Check.Status = ease >= 50 ? .pass : ease >= 30 ? .warn : .fail
        checks.append(
            Check(
                id: "readability", title: "Readability", status: easeStatus,
                detail: String(
                    format:
                        "Flesch reading ease %.0f (60 and above is plain English; under 30 reads like a journal article).",
                    ease),
                spans: []))

        let unexplained = Jargon.unexplained(in: answer, text: text)
        let jargonStatus: Check.Status = unexplained.isEmpty ? .pass : unexplained.count <= 2 ? .warn : .fail
        checks.append(
            Check(
                id: "jargon", title: "Jargon explained", status: jargonStatus,
                detail: unexplained.isEmpty
                    ? "Technical terms are explained or avoided."
                    : "Not explained for a \(question.audience?.rawValue ?? "listener"): \(unexplained.map(\.text).joined(separator: ", ")).",
                spans: unexplained))
        return checks
    }
}

/// Whole-word search in one text, which is split into characters once for all the needles.
struct WordSearch {
    private let h: [Character]

    init(_ haystack: String) { h = Array(haystack) }

    /// Ranges of `needle` that start and end at word boundaries.
    func ranges(of needle: String) -> [Range<Int>] {
        let n = Array(needle)
        guard !n.isEmpty, h.count >= n.count else { return [] }
        var result: [Range<Int>] = []
        var i = 0
        while i <= h.count - n.count {
            if h[i] == n[0], (1..<n.count).allSatisfy({ h[i + $0] == n[$0] }) {
                let before = i == 0 || !(h[i - 1].isLetter || h[i - 1].isNumber)
                let afterIndex = i + n.count
                let after = afterIndex == h.count || !(h[afterIndex].isLetter || h[afterIndex].isNumber)
                if before && after {
                    result.append(i..<afterIndex)
                    i = afterIndex
                    continue
                }
            }
            i += 1
        }
        return result
    }

    /// Matches of a regular expression, as character ranges with the matched text.
    static func matches(of pattern: NSRegularExpression, in text: String) -> [Feedback.Span] {
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { match in
            guard let range = Range(match.range, in: text), !text[range].trimmingCharacters(in: .whitespaces).isEmpty
            else { return nil }
            let start = text.distance(from: text.startIndex, to: range.lowerBound)
            let end = text.distance(from: text.startIndex, to: range.upperBound)
            return Feedback.Span(text: String(text[range]).trimmingCharacters(in: .whitespaces), range: start..<end)
        }
    }
}

/// Flesch reading ease with a vowel-group syllable count.
enum Readability {
    static func fleschReadingEase(_ text: String, words: Int, sentences: Int) -> Double {
        guard words > 0, sentences > 0 else { return 100 }
        var syllables = 0
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            syllables += syllableCount(word)
        }
        return 206.835 - 1.015 * Double(words) / Double(sentences) - 84.6 * Double(syllables) / Double(words)
    }

    static func syllableCount<S: StringProtocol>(_ word: S) -> Int {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        var count = 0
        var previousVowel = false
        for character in word {
            let vowel = vowels.contains(character)
            if vowel && !previousVowel { count += 1 }
            previousVowel = vowel
        }
        if word.hasSuffix("e"), !word.hasSuffix("le"), count > 1 { count -= 1 }
        return max(count, 1)
    }
}

/// Technical terms that a clinician, manager or patient would need explained.
enum Jargon {
    static let words: Set<String> = [
        "interoperability", "api", "schema", "latency", "middleware", "endpoint", "json", "xml", "payload",
        "serialization", "normalization", "tokenization", "encryption", "authentication", "authorization",
        "pipeline", "etl", "microservices", "kubernetes", "regression", "algorithm", "imputation", "cohort",
        "heuristic", "ontology", "terminology", "query", "database", "index", "repository", "throughput",
    ]

    /// Markers that show a term is being explained in its sentence.
    static let explanationMarkers = [
        "(", " means", "stands for", "which is", "that is", "is a ", "is an ", "are the", " — ", " - ", ": ",
        "i.e.", "in other words", "like a", "think of", "is when", "is how", "is the", "lets ", "allows ",
        "is just", "is basically", "so that",
    ]

    static func unexplained(in answer: String, text: AnalyzedText) -> [Feedback.Span] {
        let characters = Array(answer)
        var seen = Set<String>()
        var result: [Feedback.Span] = []
        for token in text.tokens {
            let original = String(characters[token.range])
            let isAcronym =
                original.count >= 2 && original.filter(\.isUppercase).count >= 2
                && original.allSatisfy { $0.isUppercase || $0.isNumber }
            guard isAcronym || words.contains(token.word), !seen.contains(token.word) else { continue }
            seen.insert(token.word)
            let sentence = text.sentences[token.sentence].range
            let sentenceText = String(characters[sentence.lowerBound..<min(sentence.upperBound + 1, characters.count)])
                .lowercased()
            if !explanationMarkers.contains(where: sentenceText.contains) {
                result.append(Feedback.Span(text: original, range: token.range))
            }
        }
        return result
    }
}
