import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback

/// The server-rendered pages of single-user mode: dashboard, question bank, answering and feedback,
/// the practice queue and settings. Every form posts back a CSRF token, and every answer is saved with
/// its review in one transaction, as on the command line.
struct PagesController: Sendable {
    let environment: WebEnvironment

    /// The longest answer accepted, in characters (the command line's limit).
    static let maxAnswerCharacters = 20_000
    /// The largest form body read, in bytes: an answer at the limit in 4-byte UTF-8, percent-encoded.
    static let maxFormBytes = 256 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: dashboard)
        router.get("/questions", use: bank)
        router.get("/questions/:id", use: question)
        router.post("/questions/:id/answers", use: answer)
        router.get("/attempts/:id", use: attempt)
        router.post("/attempts/:id/rating", use: changeRating)
        router.get("/practice", use: practice)
        router.get("/settings", use: settings)
        router.post("/settings", use: saveSettings)
        router.get("/export.json", use: export)
    }

    var library: ContentLibrary { environment.library }

    // MARK: Dashboard

    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let attempts = try await environment.store.attempts(learnerID: learner.id, questionID: nil)
        let (progress, next) = try await plan(for: learner, attempts: attempts)
        let role = learner.settings.targetRole.flatMap(library.role(id:))
        let roles = progress.roles.compactMap { row -> (label: String, value: Double)? in
            guard let role = library.role(id: row.role) else { return nil }
            return (role.name, Double(row.percent) / 100)
        }
        let skills = progress.skills.map { row in
            (label: library.skill(id: row.skill)?.name ?? row.skill, value: row.mastery)
        }
        let recent = attempts.suffix(8).reversed().map { attempt in
            RecentAttempt(
                id: attempt.id, title: library.question(id: attempt.questionID)?.title ?? attempt.questionID,
                score: attempt.score, band: Feedback.bandNames[attempt.band],
                when: attempt.answeredAt.formatted(date: .abbreviated, time: .shortened))
        }
        let page = DashboardPage(
            attempts: progress.attempts, dueNow: progress.dueNow, dueThisWeek: progress.dueThisWeek,
            streakDays: progress.streakDays, targetRole: role?.name,
            next: next.map {
                NextQuestion(id: $0.question.id, title: $0.question.title, reason: Self.describe($0.reason))
            },
            readinessChart: Charts.bars(roles, title: "Readiness per role, in percent"),
            masteryChart: Charts.bars(skills, title: "Mastery per skill, in percent"),
            scoreChart: Charts.scoreLine(
                progress.recentScores, title: "Scores of your last \(progress.recentScores.count) answers"),
            recent: recent, hasRecent: !recent.isEmpty)
        return environment.views.response("dashboard", title: "Dashboard", page: page, context: context)
    }

    static func describe(_ reason: PracticePlanner.Item.Reason) -> String {
        switch reason {
        case .due(let r): "Due for review: estimated recall \(Int((r * 100).rounded()))%."
        case .new(let skill): "New, from one of your weakest skills (\(skill))."
        }
    }

    // MARK: Question bank

    @Sendable func bank(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let skill = query["skill"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let role = query["role"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let level = query["level"].flatMap { Level(rawValue: String($0)) }
        let kind = query["kind"].flatMap { QuestionKind(rawValue: String($0)) }
        let text = query["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        if let skill, library.skill(id: skill) == nil { throw PageError.badRequest("Unknown skill “\(skill)”.") }
        if let role, library.role(id: role) == nil { throw PageError.badRequest("Unknown role “\(role)”.") }
        let filter = QuestionFilter(skill: skill, level: level, role: role, kind: kind)
        let questions: [Question]
        if text.isEmpty {
            questions = library.questions(matching: filter)
        } else {
            questions = environment.search.search(String(text.prefix(200)), filter: filter, limit: 50).compactMap {
                library.question(id: $0.id)
            }
        }
        let page = BankPage(
            query: text, count: questions.count,
            questions: questions.map { QuestionRow($0, library: library) },
            skills: library.skills.map { Option(value: $0.id, label: $0.name, selected: $0.id == skill) },
            roles: library.roles.map { Option(value: $0.id, label: $0.name, selected: $0.id == role) },
            levels: Level.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == level)
            },
            kinds: QuestionKind.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == kind)
            })
        return environment.views.response("bank", title: "Question bank", page: page, context: context)
    }

    // MARK: One question

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try findQuestion(context)
        let reveal = request.uri.queryParameters["reveal"] == "1"
        let page = QuestionPage(question, library: library, reveal: reveal, csrf: context.csrfToken)
        return environment.views.response("question", title: question.title, page: page, context: context)
    }

    struct AnswerForm: Decodable {
        let csrf: String?
        let answer: String?
        let started: Double?
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try findQuestion(context)
        let form = try await Self.decodeForm(AnswerForm.self, request: request, context: context)
        let text = (form.answer ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw PageError.badRequest("The answer is empty: type at least a sentence, then submit.")
        }
        guard text.count <= Self.maxAnswerCharacters else {
            throw PageError.badRequest(
                "The answer has \(text.count) characters; the limit is \(Self.maxAnswerCharacters). Keep to what you would say in the interview."
            )
        }
        let feedback = environment.engine.evaluate(text, for: question)
        let learner = try await currentLearner(context)
        let now = Date()
        let seconds = form.started.map { Int(now.timeIntervalSince1970 - $0) }.flatMap {
            (0...86_400).contains($0) ? $0 : nil
        }
        let cards = try await environment.store.currentCards(learnerID: learner.id)
        let (attempt, _) = try await AnswerRecorder(store: environment.store, learner: learner).record(
            questionID: question.id, answer: text, score: feedback.score, band: feedback.band, rating: feedback.rating,
            overridden: false, summary: feedback.summaryLine, seconds: seconds, session: nil,
            current: cards[question.id], at: now)
        return .redirect(to: "/attempts/\(attempt.id)")
    }

    // MARK: Feedback

    @Sendable func attempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw PageError.notFound("There is no answer with that number.")
        }
        let learner = try await currentLearner(context)
        // Looked up among this learner's own attempts only: another learner's id finds nothing.
        guard
            let attempt = try await environment.store.attempts(learnerID: learner.id, questionID: nil).first(where: {
                $0.id == id
            })
        else {
            throw PageError.notFound("There is no answer with that number.")
        }
        guard let question = library.question(id: attempt.questionID) else {
            throw PageError.notFound("The question of this answer (\(attempt.questionID)) is no longer in the bank.")
        }
        // The engine is deterministic, so the full feedback is recomputed from the saved answer.
        let feedback = environment.engine.evaluate(attempt.answer, for: question)
        let reviews = try await environment.store.reviews(learnerID: learner.id).filter {
            $0.questionID == question.id
        }
        let own = reviews.last { $0.attemptID == attempt.id }
        let page = FeedbackPage(
            question: question, library: library, attempt: attempt, feedback: feedback,
            rating: own?.rating ?? attempt.rating, nextDue: own?.card.due,
            canRerate: reviews.last?.attemptID == attempt.id, rated: request.uri.queryParameters["rated"] == "1",
            csrf: context.csrfToken)
        return environment.views.response(
            "feedback", title: "Feedback: \(question.title)", page: page, context: context)
    }

    struct RatingForm: Decodable {
        let csrf: String?
        let rating: Int?
    }

    /// Changes the rating that scheduled an answer. History is append-only, so this adds a review that
    /// replays the answer's review with the new rating from the card the question had before it. Only
    /// the question's latest answer can be re-rated: a later answer has already moved the schedule on.
    @Sendable func changeRating(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Self.decodeForm(RatingForm.self, request: request, context: context)
        guard let value = form.rating, let rating = Rating(rawValue: value) else {
            throw PageError.badRequest("Choose a rating from 1 (Again) to 4 (Easy).")
        }
        let learner = try await currentLearner(context)
        let attempt = try await findAttempt(context, learner: learner)
        let history = try await environment.store.reviews(learnerID: learner.id).filter {
            $0.questionID == attempt.questionID
        }
        guard let index = history.firstIndex(where: { $0.attemptID == attempt.id }),
            history.last?.attemptID == attempt.id
        else {
            throw PageError(
                status: .conflict,
                message: "A later answer to this question has already set its schedule; rate that one instead.")
        }
        let before = history[..<index].last { $0.attemptID != attempt.id }?.card ?? .new(due: attempt.answeredAt)
        let scheduler = ReviewScheduler(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention))
        let card = scheduler.review(before, rating: rating, at: attempt.answeredAt)
        _ = try await environment.store.appendReview(
            Review(
                learnerID: learner.id, questionID: attempt.questionID, attemptID: attempt.id, reviewedAt: Date(),
                rating: rating, card: card))
        return .redirect(to: "/attempts/\(attempt.id)?rated=1")
    }

    // MARK: Practice

    @Sendable func practice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let attempts = try await environment.store.attempts(learnerID: learner.id, questionID: nil)
        guard let next = try await plan(for: learner, attempts: attempts).next else {
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
        if !date.isEmpty, (try? Date(date, strategy: .iso8601.year().month().day())) == nil {
            throw PageError.badRequest("The interview date “\(date)” is not a date; use YYYY-MM-DD.")
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
        let export = LearnerExport(
            exportedAt: Date(), learner: learner, sessions: try await environment.store.sessions(learnerID: learner.id),
            attempts: try await environment.store.attempts(learnerID: learner.id, questionID: nil),
            reviews: try await environment.store.reviews(learnerID: learner.id))
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

    // MARK: Helpers

    /// The learner's progress and the next question the planner picks, as `rounds practice` would.
    func plan(for learner: Learner, attempts: [Attempt]) async throws -> (
        progress: RoundsCore.Progress, next: PracticePlanner.Item?
    ) {
        let cards = try await environment.store.currentCards(learnerID: learner.id)
        let now = Date()
        let progress = RoundsCore.Progress(
            questions: library.questions, skills: library.skills, roles: library.roles, attempts: attempts,
            cards: cards, now: now)
        let role = learner.settings.targetRole.flatMap(library.role(id:))
        let next = PracticePlanner(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention)).queue(
            questions: library.questions, cards: cards, progress: progress, role: role, count: 1, now: now
        ).first
        return (progress, next)
    }

    /// The learner as stored now: settings change while the server runs.
    func currentLearner(_ context: AppRequestContext) async throws -> Learner {
        let learner = try context.requireLearner()
        return try await environment.store.learner(id: learner.id) ?? learner
    }

    /// One of the learner's own attempts: another learner's id finds nothing, exactly like an unknown one.
    func findAttempt(_ context: AppRequestContext, learner: Learner) async throws -> Attempt {
        guard let id = context.parameters.get("id", as: Int64.self),
            let attempt = try await environment.store.attempt(id: id, learnerID: learner.id)
        else { throw PageError.notFound("There is no answer with that number.") }
        return attempt
    }

    func findQuestion(_ context: AppRequestContext) throws -> Question {
        let id = context.parameters.get("id") ?? ""
        guard let question = library.question(id: id) else {
            throw PageError.notFound("There is no question “\(id)” in the bank. Browse the bank to find one.")
        }
        return question
    }

    /// Reads a URL-encoded form, refusing bodies that are too large, not UTF-8, or without the
    /// browser's CSRF token.
    static func decodeForm<Form: Decodable>(_ type: Form.Type, request: Request, context: AppRequestContext)
        async throws -> Form
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxFormBytes)
        } catch {
            throw PageError(
                status: .contentTooLarge,
                message: "The form is too large; answers are limited to \(maxAnswerCharacters) characters.")
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
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: body)
        } catch {
            throw PageError.badRequest("The form could not be read: a field is missing or not valid UTF-8.")
        }
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
