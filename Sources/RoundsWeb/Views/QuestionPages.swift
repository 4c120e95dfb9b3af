import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

struct QuestionRow {
    let id: String
    let title: String
    let level: String
    let kind: String
    let skill: String
    let minutes: Int

    init(_ question: Question, library: ContentLibrary) {
        id = question.id
        title = question.title
        level = question.level.rawValue
        kind = question.kind.rawValue
        skill = library.skill(id: question.primarySkill)?.name ?? question.primarySkill
        minutes = question.minutes
    }
}

struct RubricRow {
    let number: Int
    let point: String
    let weight: String
}

struct SourceRow {
    let title: String
    let url: String
}

struct QuestionPage {
    let row: QuestionRow
    let audience: String?
    let reveal: Bool
    let csrf: String
    let modelAnswer: String
    let tip: String
    let pitfalls: [String]
    let rubric: [RubricRow]
    let sources: [SourceRow]
    let followups: [String]
    /// "December 2026": when the facts were last checked, if the question says.
    let factsAsOf: String?
    let volatile: Bool
    /// A code question: the answer box is a monospace field without spellcheck.
    let code: Bool
    /// A question answered with an SQL query: the page points at the SQL labs, where queries run.
    let sql: Bool
    /// When the page was shown, for timing the answer: a marker that ``PageCache`` fills per request.
    let started = PageCache.timeMarker
    /// The learner's saved draft and its time, filled in per request (the page itself is shared).
    let draftText = PageCache.draftMarker
    let draftAt = PageCache.draftTimeMarker

    init(_ question: Question, library: ContentLibrary, reveal: Bool, csrf: String) {
        row = QuestionRow(question, library: library)
        audience = question.audience?.rawValue
        code = question.kind == .code
        sql = question.asksForSQL
        self.reveal = reveal
        self.csrf = csrf
        modelAnswer = MarkdownRenderer.html(question.modelAnswer)
        tip = MarkdownRenderer.html(question.tip)
        pitfalls = question.pitfalls.map(MarkdownRenderer.html)
        rubric = question.rubric.enumerated().map {
            RubricRow(number: $0.offset + 1, point: $0.element.point, weight: String(format: "%g", $0.element.weight))
        }
        sources = question.sources.map { SourceRow(title: $0.title, url: $0.url) }
        followups = question.followups
        factsAsOf = question.reviewed.flatMap(YearMonth.init).map(Self.monthName)
        volatile = question.volatile
    }

    /// "December 2026".
    static func monthName(_ month: YearMonth) -> String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(names[month.month - 1]) \(month.year)"
    }
}

struct PointRow {
    let number: Int
    let point: String
    let status: String
    let statusClass: String
    /// Nil rather than empty, so that the template leaves the line out.
    let evidence: String?
    let negated: String?
    /// How the point was earned by meaning, when it was: the sentence, what it matched, the similarity.
    let meaning: String?
}

struct CheckRow {
    let title: String
    let status: String
    let detail: String
}

struct MisconceptionRow {
    let claim: String
    let correction: String
    let quote: String
    /// How the claim was recognised, in words.
    let how: String
}

struct FeedbackPage {
    let question: QuestionPage
    let answerHTML: String
    let score: Int
    let band: Int
    let bandName: String
    let rating: String
    let ratings: [Option]
    let canRerate: Bool
    let rated: Bool
    let csrf: String
    let attemptID: Int64
    let nextDue: String?
    let points: [PointRow]
    let misconceptions: [MisconceptionRow]
    let hasMisconceptions: Bool
    let checks: [CheckRow]
    let improvements: [String]
    /// False on a perfect answer: no "What to do next" heading over an empty list. (Stored: the
    /// templates read properties by reflection, which sees no computed ones.)
    let hasImprovements: Bool
    let caps: [String]
    let wordCount: Int
    let answeredAt: String

    init(
        question: Question, library: ContentLibrary, attempt: Attempt, feedback: Feedback, rating: Rating,
        nextDue: Date?, canRerate: Bool, rated: Bool, csrf: String
    ) {
        self.question = QuestionPage(question, library: library, reveal: true, csrf: "")
        answerHTML = AnswerHighlighter.html(answer: attempt.answer, feedback: feedback)
        score = feedback.score
        band = feedback.band
        bandName = Feedback.bandNames[feedback.band]
        self.rating = "\(rating.rawValue) · \(rating.name)"
        ratings = Rating.allCases.map {
            Option(value: "\($0.rawValue)", label: "\($0.rawValue) · \($0.name)", selected: $0 == rating)
        }
        self.canRerate = canRerate
        self.rated = rated
        self.csrf = csrf
        attemptID = attempt.id
        self.nextDue = nextDue?.formatted(date: .abbreviated, time: .omitted)
        let characters = Array(attempt.answer)
        func quote(_ span: Feedback.Span) -> String {
            guard span.end <= characters.count, span.start < span.end else { return span.text }
            return String(characters[span.range])
        }
        points = feedback.points.map { point in
            PointRow(
                number: point.index + 1, point: point.point,
                status: point.coverage == .covered ? "Covered" : point.coverage == .partly ? "Partly" : "Missing",
                statusClass: point.coverage.rawValue,
                evidence: point.evidence.isEmpty
                    ? nil : point.evidence.prefix(4).map { "“\(quote($0))”" }.joined(separator: ", "),
                negated: point.negated.isEmpty
                    ? nil : point.negated.prefix(3).map { "“\(quote($0))”" }.joined(separator: ", "),
                meaning: point.semantic.map {
                    String(
                        format: "“%@” means much the same as “%@” (similarity %.2f)", quote($0.sentence), $0.matched,
                        $0.similarity)
                })
        }
        misconceptions = feedback.misconceptions.map { found in
            let how =
                switch found.via {
                case "fact": "A fact stated with a wrong value."
                case "meaning":
                    String(
                        format: "Said in other words: close in meaning to “%@” (similarity %.2f).", found.span.text,
                        found.similarity ?? 0)
                default: "Matched the words “\(found.span.text)”."
                }
            return MisconceptionRow(
                claim: found.claim, correction: found.correction, quote: quote(found.span), how: how)
        }
        hasMisconceptions = !misconceptions.isEmpty
        checks = feedback.checks.map { CheckRow(title: $0.title, status: $0.status.rawValue, detail: $0.detail) }
        improvements = feedback.improvements
        hasImprovements = !feedback.improvements.isEmpty
        caps = feedback.caps
        wordCount = feedback.wordCount
        answeredAt = attempt.answeredAt.formatted(date: .abbreviated, time: .shortened)
    }
}
