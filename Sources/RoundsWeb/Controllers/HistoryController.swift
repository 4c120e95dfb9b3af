import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback

/// `/history`: every answer the learner has given, newest first, a page at a time, filtered by skill
/// and by date; with `?question=ID`, one question's answers beside its model answer (issue 18).
struct HistoryController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    /// Answers to a page: a screen or two of rows, one indexed read.
    static let pageSize = 25

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/history", use: history)
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let query = request.uri.queryParameters
        let skill = query["skill"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let questionID = query["question"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let fromText = query["from"].map(String.init) ?? ""
        let toText = query["to"].map(String.init) ?? ""
        let page = try APIController.integer(query["page"].map(String.init), name: "page", range: 1...1_000_000) ?? 1

        var filter = AttemptFilter()
        var focus: Question?
        if let questionID {
            let question = try actions.question(id: questionID)
            focus = question
            filter.questionIDs = [question.id]
        } else if let skill {
            guard library.skill(id: skill) != nil else {
                throw PageError.badRequest("Unknown skill “\(skill)”: choose one from the list.", code: "unknown_skill")
            }
            filter.questionIDs = library.questions(matching: QuestionFilter(skill: skill)).map(\.id)
        }
        let calendar = Calendar.current
        let from = try Self.day(fromText, field: "From", calendar: calendar)
        let to = try Self.day(toText, field: "To", calendar: calendar)
        if let from, let to, to < from {
            throw PageError.badRequest(
                "“To” (\(toText)) is before “From” (\(fromText)): swap them.", code: "bad_parameter")
        }
        filter.from = from
        // "To" is inclusive: everything before the start of the next day.
        filter.before = to.flatMap { calendar.date(byAdding: .day, value: 1, to: $0) }

        let pager = Pager(number: page, size: Self.pageSize)
        let (total, attempts) = try await environment.store.attemptPage(
            learnerID: learner.id, filter: filter, limit: Self.pageSize, offset: pager.offset)
        let rows = attempts.map { attempt in
            let question = library.question(id: attempt.questionID)
            return HistoryPage.Row(
                id: attempt.id, title: question?.title ?? attempt.questionID, questionID: attempt.questionID,
                skill: question?.skills.first.flatMap { library.skill(id: $0)?.name } ?? "",
                when: attempt.answeredAt.formatted(date: .abbreviated, time: .shortened),
                datetime: attempt.answeredAt.formatted(.iso8601), score: attempt.score,
                band: Feedback.bandNames[attempt.band], bandValue: attempt.band,
                answer: focus == nil ? "" : attempt.answer)
        }

        var items: [(String, String)] = []
        if let questionID { items.append(("question", questionID)) }
        if let skill, questionID == nil { items.append(("skill", skill)) }
        if !fromText.isEmpty { items.append(("from", fromText)) }
        if !toText.isEmpty { items.append(("to", toText)) }
        let links = pager.links(path: "/history", query: items, total: total, shown: rows.count)
        let filtered = filter != AttemptFilter()
        let noun = total == 1 ? "answer" : "answers"
        let status: String
        if total == 0 {
            status = filtered ? "No answers match these filters." : "No answers yet."
        } else if rows.isEmpty {
            status = "\(total) \(noun) in all; this page is past the last one."
        } else if total <= Self.pageSize {
            status = "\(total) \(noun)\(filtered ? " match" : ""), newest first."
        } else {
            status = pager.range(total: total, shown: rows.count, noun: noun) + ", newest first."
        }
        let view = HistoryPage(
            rows: rows, hasRows: !rows.isEmpty, status: status,
            skills: library.skills.map { Option(value: $0.id, label: $0.name, selected: $0.id == skill) },
            from: fromText, to: toText,
            focus: focus.map {
                HistoryPage.Focus(id: $0.id, title: $0.title, modelAnswer: MarkdownRenderer.html($0.modelAnswer))
            },
            filtered: filtered,
            newer: links.newer, older: links.older, hasPages: links.hasPages)
        let title = focus.map { "Your answers: \($0.title)" } ?? "History"
        return environment.views.response(.history, title: title, page: view, context: context)
    }

    /// A `YYYY-MM-DD` day from a filter field, at the start of that day; nil when the field is empty.
    static func day(_ text: String, field: String, calendar: Calendar) throws -> Date? {
        guard !text.isEmpty else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1970...9999).contains(year),
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.dateComponents([.year, .month, .day], from: date)
                == DateComponents(year: year, month: month, day: day)
        else {
            throw PageError.badRequest(
                "“\(field)” (\(text.prefix(40))) is not a date: write it as YYYY-MM-DD, such as 2026-11-30.",
                code: "bad_parameter")
        }
        return date
    }
}
