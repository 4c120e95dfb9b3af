import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// The server-rendered pages of single-user mode: dashboard, question bank, answering and feedback,
/// the practice queue and settings. Every form posts back a CSRF token, and every answer is saved with
/// its review in one transaction, as on the command line.
struct PagesController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }

    static var maxAnswerCharacters: Int { LearnerActions.maxAnswerCharacters }
    /// The largest form body read, in bytes: an answer at the limit in 4-byte UTF-8, percent-encoded.
    static let maxFormBytes = 256 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: dashboard)
        router.get("/questions/:id", use: question)
        router.post("/questions/:id/answers", use: answer)
        router.get("/attempts/:id", use: attempt)
        router.post("/attempts/:id/rating", use: changeRating)
        router.get("/practice", use: practice)
        router.get("/settings", use: settings)
        router.post("/settings", use: saveSettings)
        router.get("/export.json", use: export)
        router.get("/export/:table", use: exportCSV)
    }

    var library: ContentLibrary { environment.library }

    // MARK: Dashboard

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let history = try await environment.store.historySummary(learnerID: learner.id)
        let now = Date()
        let cards = try await environment.store.currentCards(learnerID: learner.id)
        let (progress, queue) = try await actions.plan(for: learner, history: history, cards: cards, now: now)
        let next = queue.first
        let role = learner.settings.targetRole.flatMap(library.role(id:))
        let roles = progress.roles.compactMap { row -> (label: String, value: Double)? in
            guard let role = library.role(id: row.role) else { return nil }
            return (role.name, Double(row.percent) / 100)
        }
        let skills = progress.skills.map { row in
            (label: library.skill(id: row.skill)?.name ?? row.skill, value: row.mastery)
        }
        let recent = history.recent.suffix(8).reversed().map { attempt in
            RecentAttempt(
                id: attempt.id, title: library.question(id: attempt.questionID)?.title ?? attempt.questionID,
                score: attempt.score, band: Feedback.bandNames[attempt.band],
                when: attempt.answeredAt.formatted(date: .abbreviated, time: .shortened))
        }
        let dueLabs = cards.compactMap { item, card -> (Date, Lab)? in
            guard card.due <= now, let id = Lab.id(ofReviewItem: item),
                let lab = library.lab(id: id)
            else { return nil }
            return (card.due, lab)
        }
        .sorted { $0.0 < $1.0 }.map { DueLab(id: $0.1.id, title: $0.1.title, kind: $0.1.kind.label) }
        let page = DashboardPage(
            attempts: progress.attempts, dueNow: progress.dueNow, dueThisWeek: progress.dueThisWeek,
            streakDays: progress.streakDays, targetRole: role?.name,
            next: next.map {
                NextQuestion(id: $0.question.id, title: $0.question.title, reason: actions.describe($0.reason))
            },
            readinessChart: Charts.bars(roles, title: "Readiness per role, in percent", highlight: role?.name),
            masteryChart: Charts.bars(skills, title: "Mastery per skill, in percent"),
            scoreChart: Charts.scoreLine(
                history.recent.suffix(HistorySummary.recentLimit).map { ($0.answeredAt, $0.score) },
                title: "Scores of your last \(min(history.recent.count, HistorySummary.recentLimit)) answers"),
            firstRun: progress.attempts == 0,
            recent: recent, hasRecent: !recent.isEmpty,
            labsSolved: Set(
                try await environment.store.labAttempts(learnerID: learner.id, labID: nil).filter(\.accepted).map(
                    \.labID)
            ).count,
            labsTotal: library.labs.count, dueLabs: dueLabs, hasDueLabs: !dueLabs.isEmpty)
        return environment.views.response("dashboard", title: "Dashboard", page: page, context: context)
    }

    // MARK: Query strings

    /// `path` with `items` as its query string, each value percent-encoded: the links of a pager.
    static func link(_ path: String, _ items: [(String, String)]) -> String {
        let query = items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// A value of the query string as an HTML form sends it: `+` is a space, `%2B` a plus. The
    /// router's decoding keeps `+`, so a search for two words came back as "ransomware+hospital".
    static func formQueryValue(_ name: String, in request: Request) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding == name
            else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        return nil
    }

    // MARK: One question

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try findQuestion(context)
        let reveal = request.uri.queryParameters["reveal"] == "1"
        // The same for every learner: rendered once per layout, with the token and time filled in.
        let key = "question|\(question.id)|\(reveal)|\(Views.layoutKey(context))"
        let learner = try context.requireLearner()
        let draft = try await environment.store.draft(key: Draft.questionKey(question.id), learnerID: learner.id)
        let html = environment.pageCache.page(
            key, csrf: context.csrfToken, time: Int(Date().timeIntervalSince1970), draft: draft
        ) {
            let page = QuestionPage(question, library: library, reveal: reveal, csrf: PageCache.csrfMarker)
            return environment.views.html(
                "question", title: question.title, page: page, context: context, csrf: PageCache.csrfMarker)
        }
        return environment.views.response(html: html)
    }

    struct AnswerForm: Decodable {
        let csrf: String?
        let answer: String?
        let started: Double?
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try findQuestion(context)
        let form = try await Self.decodeForm(AnswerForm.self, request: request, context: context)
        let text = try actions.validAnswer(form.answer)
        let learner = try await actions.currentLearner(context)
        // `started` comes from the form: NaN, infinities or absurd values must not trap in Int(_:).
        let seconds = form.started.flatMap { started -> Int? in
            let elapsed = Date().timeIntervalSince1970 - started
            return elapsed.isFinite && (0...86_400).contains(elapsed) ? Int(elapsed) : nil
        }
        let (attempt, _, _) = try await actions.submit(text, to: question, learner: learner, seconds: seconds)
        try await environment.store.deleteDraft(key: Draft.questionKey(question.id), learnerID: learner.id)
        return .redirect(to: "/attempts/\(attempt.id)")
    }

    // MARK: Feedback

    @Sendable func attempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let attempt = try await actions.attempt(id: context.parameters.get("id", as: Int64.self), learner: learner)
        guard let question = library.question(id: attempt.questionID) else {
            throw PageError.notFound("The question of this answer (\(attempt.questionID)) is no longer in the bank.")
        }
        // The engine is deterministic, so the full feedback is recomputed from the saved answer.
        let feedback = try await environment.feedback(attempt.answer, for: question)
        let (own, canRerate) = try await actions.review(of: attempt, learner: learner)
        let page = FeedbackPage(
            question: question, library: library, attempt: attempt, feedback: feedback,
            rating: own?.rating ?? attempt.rating, nextDue: own?.card.due,
            canRerate: canRerate, rated: request.uri.queryParameters["rated"] == "1",
            csrf: context.csrfToken)
        return environment.views.response(
            "feedback", title: "Feedback: \(question.title)", page: page, context: context)
    }

    struct RatingForm: Decodable {
        let csrf: String?
        let rating: Int?
    }

    /// Changes the rating that scheduled an answer (see ``LearnerActions/rerate(_:rating:learner:)``).
    @Sendable func changeRating(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.decodeForm(RatingForm.self, request: request, context: context)
        guard let value = form.rating, let rating = Rating(rawValue: value) else {
            throw PageError.badRequest("Choose a rating from 1 (Again) to 4 (Easy).")
        }
        let learner = try await actions.currentLearner(context)
        let attempt = try await actions.attempt(id: context.parameters.get("id", as: Int64.self), learner: learner)
        _ = try await actions.rerate(attempt, rating: rating, learner: learner)
        return .redirect(to: "/attempts/\(attempt.id)?rated=1")
    }

    // MARK: Practice

    @Sendable func practice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        guard let next = try await actions.plan(for: learner).next.first else {
            throw PageError(
                status: .notFound, message: "Nothing to practise: every question is answered and none is due.")
        }
        return .redirect(to: "/questions/\(next.question.id)")
    }

    // MARK: Settings

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let page = SettingsPage(
            learner.settings, library: library, saved: request.uri.queryParameters["saved"] == "1",
            csrf: context.csrfToken)
        return environment.views.response("settings", title: "Settings", page: page, context: context)
    }

    struct SettingsForm: Decodable {
        let csrf: String?
        let role: String?
        let interviewDate: String?
        let retention: String?
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.decodeForm(SettingsForm.self, request: request, context: context)
        let learner = try await currentLearner(context)
        var settings = learner.settings
        let role = form.role ?? ""
        if !role.isEmpty, library.role(id: role) == nil { throw PageError.badRequest("Unknown role “\(role)”.") }
        settings.targetRole = role.isEmpty ? nil : role
        let date = form.interviewDate ?? ""
        if !date.isEmpty, let problem = LearnerSettings.interviewDateProblem(date) {
            throw PageError.badRequest("Interview date: \(problem)")
        }
        settings.interviewDate = date.isEmpty ? nil : date
        if let text = form.retention {
            guard let value = Double(text), (0.70...0.97).contains(value) else {
                throw PageError.badRequest("Desired retention must be between 0.70 and 0.97.")
            }
            settings.desiredRetention = value
        }
        try await environment.store.updateSettings(settings, learnerID: learner.id)
        return .redirect(to: "/settings?saved=1")
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let export = try await actions.export(learner)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(export)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .contentDisposition: "attachment; filename=\"rounds-export.json\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// One table of the export as CSV (`/export/attempts.csv`…), as `rounds export --format csv` writes it.
    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let name = context.parameters.get("table") ?? ""
        guard HistoryCSV.files.contains(name) else {
            throw PageError.notFound(
                "There is no export called “\(name)”; choose one of \(HistoryCSV.files.joined(separator: ", ")).")
        }
        let learner = try await actions.currentLearner(context)
        let text = HistoryCSV.tables(try await actions.export(learner)).first { $0.name == name }?.text ?? ""
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"rounds-\(name)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Helpers

    func findQuestion(_ context: AppRequestContext) throws -> Question {
        try actions.question(id: context.parameters.get("id") ?? "")
    }

    func currentLearner(_ context: AppRequestContext) async throws -> Learner {
        try await actions.currentLearner(context)
    }

    /// Reads a URL-encoded form, refusing bodies that are too large, not UTF-8, or without the
    /// browser's CSRF token.
    static func decodeForm<Form: Decodable>(_ type: Form.Type, request: Request, context: AppRequestContext)
        async throws -> Form
    {
        let body = try await formBody(
            request: request, context: context, maxBytes: maxFormBytes,
            tooLarge: "The form is too large; answers are limited to \(maxAnswerCharacters) characters.")
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: body)
        } catch {
            throw PageError.badRequest("The form could not be read: a field is missing or not valid UTF-8.")
        }
    }

    /// The body of a URL-encoded form, once it is known to be small enough, UTF-8, and to carry the
    /// browser's CSRF token.
    static func formBody(request: Request, context: AppRequestContext, maxBytes: Int, tooLarge: String)
        async throws -> String
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw PageError(status: .contentTooLarge, message: tooLarge)
        }
        guard let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            body.utf8.elementsEqual(buffer.readableBytesView)
        else { throw PageError.badRequest("The form is not valid UTF-8 text.") }
        let token = Self.formValue(CSRFMiddleware.fieldName, in: body)
        guard let token, !context.csrfToken.isEmpty, token == context.csrfToken,
            CSRFMiddleware.isWellFormed(token)
        else {
            throw PageError(
                status: .forbidden,
                message: "This form has expired or came from another site. Go back, reload the page and submit again.")
        }
        return body
    }

    /// Every field of a URL-encoded form body, decoded (`+` is a space).
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ") }
            guard let name = parts.first?.removingPercentEncoding else { continue }
            fields[name] = parts.count > 1 ? parts[1].removingPercentEncoding ?? "" : ""
        }
        return fields
    }

    static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first == Substring(name) {
                return parts.count > 1 ? String(parts[1]).removingPercentEncoding : ""
            }
        }
        return nil
    }
}
