import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback

/// `/questions`: the bank, filtered, searched, sorted and shown a page at a time, each question with
/// where the learner stands on it (new, due, or the band of the last answer: issue 18).
struct BankController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    /// Questions to a page: the bank was one page of 362 cards, 40,000 pixels long.
    static let pageSize = 30

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/questions", use: bank)
    }

    /// Where the learner stands on a question.
    enum Status: String, CaseIterable {
        case new, due, answered

        var label: String {
            switch self {
            case .new: "New"
            case .due: "Due"
            case .answered: "Answered"
            }
        }
    }

    /// The orders the bank can be listed in; `best` is the bank's own order, or relevance for a search.
    enum Sort: String, CaseIterable {
        case best = "", due, new, weakest, title, level

        var label: String {
            switch self {
            case .best: "Best match"
            case .due: "Due first"
            case .new: "New first"
            case .weakest: "Weakest first"
            case .title: "Title A–Z"
            case .level: "Level"
            }
        }
    }

    @Sendable func bank(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let query = request.uri.queryParameters
        let text = request.formQueryValue("q")?.trimmingCharacters(in: .whitespaces) ?? ""
        let (filter, found) = try actions.questions(
            skill: query["skill"].map(String.init), level: query["level"].map(String.init),
            role: query["role"].map(String.init), kind: query["kind"].map(String.init), text: text,
            limit: library.questions.count)
        let statusText = query["status"].map(String.init) ?? ""
        let wanted: Status?
        if statusText.isEmpty {
            wanted = nil
        } else if let known = Status(rawValue: statusText) {
            wanted = known
        } else {
            throw PageError.badRequest(
                "Unknown status “\(statusText.prefix(40))”; use new, due or answered.", code: "bad_parameter")
        }
        let sortText = query["sort"].map(String.init) ?? ""
        guard let sort = Sort(rawValue: sortText) else {
            throw PageError.badRequest(
                "Unknown order “\(sortText.prefix(40))”; use due, new, weakest, title or level.", code: "bad_parameter")
        }
        let pageNumber =
            try APIController.integer(query["page"].map(String.init), name: "page", range: 1...1_000_000) ?? 1

        // Two indexed reads: the latest answer and the current card of each question answered.
        let latest = Dictionary(
            try await environment.store.historySummary(learnerID: learner.id).latest.map { ($0.questionID, $0) },
            uniquingKeysWith: { a, _ in a })
        let cards = try await environment.store.currentCards(learnerID: learner.id)
        let now = Date()
        func status(_ question: Question) -> Status {
            guard latest[question.id] != nil else { return .new }
            return (cards[question.id]?.due ?? .distantFuture) <= now ? .due : .answered
        }

        var questions = found.filter { wanted == nil || status($0) == wanted }
        // Every order breaks ties by the bank's own order (or relevance).
        let position = Dictionary(questions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let levelRank = Dictionary(Level.allCases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        func key(_ question: Question) -> (Int, Double, Int) {
            let place = position[question.id, default: 0]
            switch sort {
            case .best, .title: return (0, 0, place)
            case .level: return (levelRank[question.level, default: 0], 0, place)
            case .new: return (status(question) == .new ? 0 : 1, 0, place)
            case .weakest: return (latest[question.id]?.band ?? Int.max, 0, place)
            case .due:
                // Due first, the longest overdue at the top; then new; then the rest by when they fall due.
                let due = cards[question.id]?.due.timeIntervalSince1970 ?? 0
                switch status(question) {
                case .due: return (0, due, place)
                case .new: return (1, 0, place)
                case .answered: return (2, due, place)
                }
            }
        }
        if sort == .title {
            questions.sort { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
        } else if sort != .best {
            questions.sort { key($0) < key($1) }
        }

        let total = questions.count
        let pager = Pager(number: pageNumber, size: Self.pageSize)
        let shown = questions.dropFirst(pager.offset).prefix(Self.pageSize)
        let rows = shown.map { question in
            let state = status(question)
            let last = latest[question.id].map { "band \($0.band) · \(Feedback.bandNames[$0.band])" }
            return Row(
                question: QuestionRow(question, library: library), status: state.rawValue,
                statusLabel: state.label, lastBand: last)
        }

        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if let skill = filter.skill { items.append(("skill", skill)) }
        if let role = filter.role { items.append(("role", role)) }
        if let level = filter.level { items.append(("level", level.rawValue)) }
        if let kind = filter.kind { items.append(("kind", kind.rawValue)) }
        if let wanted { items.append(("status", wanted.rawValue)) }
        if sort != .best { items.append(("sort", sort.rawValue)) }
        let links = pager.links(path: "/questions", query: items, total: total, shown: rows.count)
        let noun = total == 1 ? "question" : "questions"
        let summary: String
        if total == 0 {
            summary = "No questions match."
        } else if rows.isEmpty {
            summary = "\(total) \(noun); this page is past the last one."
        } else if total <= Self.pageSize {
            summary = "\(total) \(noun)"
        } else {
            summary = pager.range(total: total, shown: rows.count, noun: noun)
        }
        let page = Page(
            query: text, status: summary, rows: rows,
            skills: library.skills.map { Option(value: $0.id, label: $0.name, selected: $0.id == filter.skill) },
            roles: library.roles.map { Option(value: $0.id, label: $0.name, selected: $0.id == filter.role) },
            levels: Level.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == filter.level)
            },
            kinds: QuestionKind.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == filter.kind)
            },
            statuses: Status.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == wanted) },
            sorts: Sort.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == sort) },
            newer: links.newer, older: links.older, hasPages: links.hasPages)
        return environment.views.response(.bank, title: "Question bank", page: page, context: context)
    }
}
