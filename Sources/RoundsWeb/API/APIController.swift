import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// `/api/v1`: what the pages do, as JSON, for scripts and other front ends. Described by
/// `Public/openapi.yaml` (served at `/api/openapi.yaml`); `OpenAPITests` keeps the two in step.
struct APIController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/openapi.yaml", use: openAPIDocument)
        let api = router.group("/api/v1")
        api.get("/questions", use: questions)
        api.get("/questions/:id", use: question)
        api.post("/questions/:id/attempts", use: answer)
        api.get("/attempts", use: attempts)
        api.get("/attempts/:id", use: attempt)
        api.post("/attempts/:id/rating", use: rate)
        api.get("/reviews/due", use: due)
        api.get("/practice/next", use: next)
        api.get("/stats", use: stats)
        api.get("/plan", use: plan)
        api.get("/export", use: export)
        api.get("/labs", use: labs)
        api.get("/labs/:id", use: lab)
        api.post("/labs/:id/attempts", use: handInLab)
        api.post("/labs/:id/run", use: runLab)
        api.get("/labs/:id/attempts", use: labAttempts)
        api.get("/drafts", use: drafts)
        api.get("/drafts/:key", use: draft)
        api.put("/drafts/:key", use: saveDraft)
        api.delete("/drafts/:key", use: deleteDraft)
        addOpeningRoutes(to: api)
        if environment.configuration.authMode == .accounts {
            api.get("/tokens", use: tokens)
            api.post("/tokens", use: createToken)
            api.delete("/tokens/:id", use: revokeToken)
        }
    }

    // MARK: Representations

    struct QuestionDetail: Encodable {
        struct RubricPoint: Encodable {
            let point: String
            let weight: Double
        }
        let question: QuestionSummary
        let followups: [String]
        let sources: [Source]
        /// `YYYY-MM`: when the facts were last checked.
        let reviewed: String?
        let volatile: Bool
        /// The model answer, rubric, tip and pitfalls, given only on request (`?reveal=true`), as on the pages.
        let revealed: Bool
        let modelAnswer: String?
        let rubric: [RubricPoint]?
        let tip: String?
        let pitfalls: [String]?
    }

    struct ReviewState: Encodable {
        let rating: Rating
        let due: Date
        let stability: Double?
        let difficulty: Double?

        init(rating: Rating, card: ReviewCard) {
            self.rating = rating
            due = card.due
            stability = card.memory?.stability
            difficulty = card.memory?.difficulty
        }
    }

    struct AttemptDetail: Encodable {
        let attempt: Attempt
        let feedback: Feedback
        /// The schedule this answer set, and whether its rating can still be changed.
        let review: ReviewState?
        let canRerate: Bool
    }

    struct Planned: Encodable {
        let question: QuestionSummary
        /// `due` (with the estimated recall) or `new` (with the weak skill it was chosen for).
        let reason: String
        let retrievability: Double?
        let skill: String?

        init(_ item: PracticePlanner.Item) {
            question = QuestionSummary(item.question)
            switch item.reason {
            case .due(let r):
                (reason, retrievability, skill) = ("due", r, nil)
            case .new(let s):
                (reason, retrievability, skill) = ("new", nil, s)
            }
        }
    }

    struct List<Item: Encodable>: Encodable {
        let count: Int
        let items: [Item]
        init(_ items: [Item]) {
            count = items.count
            self.items = items
        }
    }

    // MARK: Questions

    @Sendable func openAPIDocument(_ request: Request, context: AppRequestContext) async throws -> Response {
        let url = URL(fileURLWithPath: environment.publicFolder).appendingPathComponent("openapi.yaml")
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try Data(contentsOf: url))))
    }

    /// One page of a longer list: `total` items in all, `items` from `offset`.
    @Sendable func questions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", range: 1...500) ?? 50
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", range: 0...100_000) ?? 0
        let filters = ["skill", "level", "role", "kind"].map { query[$0].map(String.init) }
        let text = request.formQueryValue("q") ?? ""
        // Filtering (and validating the filters) is cheap; encoding is what costs.
        let (_, found) = try actions.questions(
            skill: filters[0], level: filters[1], role: filters[2], kind: filters[3], text: text, limit: 500)
        // Encoding is what costs, so each question's summary is encoded once and kept under its id: the
        // cache holds at most one entry per question, whatever limits, offsets and filters clients send
        // (keyed by those, 3,990 requests once took the server from 126 to 407 MB). The envelope's keys
        // are written in the encoder's sorted order.
        let items = try found.dropFirst(offset).prefix(limit).map { question in
            try environment.pageCache.page("api|summary|\(question.id)", csrf: "", time: 0) {
                String(decoding: try APIResponse.encoder.encode(QuestionSummary(question)), as: UTF8.self)
            }
        }
        var json = ByteBuffer()
        json.writeString(#"{"count":\#(items.count),"items":["#)
        for (index, item) in items.enumerated() {
            if index > 0 { json.writeString(",") }
            json.writeImmutableBuffer(item)
        }
        json.writeString(#"],"offset":\#(offset),"total":\#(found.count)}"#)
        return APIResponse.json(raw: json)
    }

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try actions.question(id: context.parameters.get("id") ?? "")
        let reveal = ["true", "1"].contains(request.uri.queryParameters["reveal"].map(String.init) ?? "")
        return try APIResponse.json(
            QuestionDetail(
                question: QuestionSummary(question), followups: question.followups, sources: question.sources,
                reviewed: question.reviewed, volatile: question.volatile, revealed: reveal,
                modelAnswer: reveal ? question.modelAnswer : nil,
                rubric: reveal ? question.rubric.map { .init(point: $0.point, weight: $0.weight) } : nil,
                tip: reveal ? question.tip : nil, pitfalls: reveal ? question.pitfalls : nil))
    }

    // MARK: Attempts

    struct AnswerBody: Decodable {
        let answer: String
        /// Seconds spent answering, if the client timed it.
        let seconds: Int?
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try actions.question(id: context.parameters.get("id") ?? "")
        let body = try await APIResponse.decode(AnswerBody.self, from: request)
        let text = try actions.validAnswer(body.answer)
        let learner = try await actions.currentLearner(context)
        let (attempt, feedback, card) = try await actions.submit(
            text, to: question, learner: learner, seconds: body.seconds)
        var response = try APIResponse.json(
            AttemptDetail(
                attempt: attempt, feedback: feedback, review: ReviewState(rating: attempt.rating, card: card),
                canRerate: true),
            status: .created)
        response.headers[.location] = "/api/v1/attempts/\(attempt.id)"
        return response
    }

    @Sendable func attempts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let questionID = request.uri.queryParameters["question"].map(String.init)
        if let questionID { _ = try actions.question(id: questionID) }
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", range: 1...500) ?? 100
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", range: 0...10_000_000) ?? 0
        let (total, found) = try await environment.store.attemptPage(
            learnerID: learner.id, questionID: questionID, limit: limit, offset: offset)
        return try APIResponse.json(Page(total: total, offset: offset, count: found.count, items: found))
    }

    /// One page of a history list: `total` items in all, `count` of them from `offset`, newest first.
    struct Page<Item: Encodable>: Encodable {
        let total: Int
        let offset: Int
        let count: Int
        let items: [Item]
    }

    @Sendable func attempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let attempt = try await actions.attempt(id: context.parameters.get("id", as: Int64.self), learner: learner)
        return try APIResponse.json(try await detail(attempt, learner: learner))
    }

    struct RatingBody: Decodable {
        let rating: Int
    }

    @Sendable func rate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await APIResponse.decode(RatingBody.self, from: request)
        guard let rating = Rating(rawValue: body.rating) else {
            throw PageError.badRequest(
                "The rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).", code: "bad_rating")
        }
        let learner = try await actions.currentLearner(context)
        let attempt = try await actions.attempt(id: context.parameters.get("id", as: Int64.self), learner: learner)
        _ = try await actions.rerate(attempt, rating: rating, learner: learner)
        return try APIResponse.json(try await detail(attempt, learner: learner))
    }

    func detail(_ attempt: Attempt, learner: Learner) async throws -> AttemptDetail {
        let question = try actions.question(id: attempt.questionID)
        let (review, canRerate) = try await actions.review(of: attempt, learner: learner)
        return AttemptDetail(
            attempt: attempt, feedback: try await environment.feedback(attempt.answer, for: question),
            review: review.map { ReviewState(rating: $0.rating, card: $0.card) }, canRerate: canRerate)
    }

    // MARK: Reviews, practice, stats

    @Sendable func due(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let (_, queue) = try await actions.plan(for: learner, count: library.questions.count)
        return try APIResponse.json(
            List(queue.filter { if case .due = $0.reason { true } else { false } }.map(Planned.init)))
    }

    @Sendable func next(_ request: Request, context: AppRequestContext) async throws -> Response {
        let count =
            try Self.integer(request.uri.queryParameters["count"].map(String.init), name: "count", range: 1...50) ?? 5
        let learner = try await actions.currentLearner(context)
        let (_, queue) = try await actions.plan(for: learner, count: count)
        return try APIResponse.json(List(queue.map(Planned.init)))
    }

    @Sendable func stats(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        return try APIResponse.json(try await actions.plan(for: learner, count: 0).snapshot.progress)
    }

    /// The study plan, as `rounds plan --json` prints it; `?hours=` tries another figure.
    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let hours = try PlanController.hours(request) ?? learner.settings.planningHours
        return try APIResponse.json(try await PlanController(environment: environment).plan(for: learner, hours: hours))
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        return try APIResponse.json(try await actions.export(learner))
    }

    // MARK: Tokens (accounts mode)

    struct TokenBody: Decodable {
        let name: String
    }

    struct CreatedToken: Encodable {
        let token: APIToken
        /// The secret, shown this once; only its hash is kept.
        let secret: String
    }

    @Sendable func tokens(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try Self.account(context)
        return try APIResponse.json(List(try await environment.store.apiTokens(accountID: account.id)))
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try Self.account(context)
        let body = try await APIResponse.decode(TokenBody.self, from: request, limit: 4096)
        let (token, secret) = try await Self.create(named: body.name, account: account, store: environment.store)
        return try APIResponse.json(CreatedToken(token: token, secret: secret), status: .created)
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try Self.account(context)
        guard let id = context.parameters.get("id", as: Int64.self),
            try await environment.store.revokeAPIToken(id: id, accountID: account.id)
        else { throw PageError.notFound("You have no API token with that number.") }
        return Response(status: .noContent)
    }

    /// Creates a token after checking its name; shared with the account page.
    static func create(named raw: String, account: Account, store: any APITokenRepository) async throws -> (
        APIToken, String
    ) {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = TypedText.problem(in: name, maxCharacters: 80, multiline: false) {
            throw PageError.badRequest(
                "Give the token a name of 1 to 80 characters, such as “laptop script”: \(problem).",
                code: "bad_token_name")
        }
        guard !name.isEmpty else {
            throw PageError.badRequest(
                "Give the token a name of 1 to 80 characters, such as “laptop script”.", code: "bad_token_name")
        }
        guard try await store.apiTokens(accountID: account.id).count < 20 else {
            throw PageError(
                status: .conflict, code: "too_many_tokens",
                message: "You already have 20 API tokens; revoke one you no longer use first.")
        }
        let secret = APITokens.newToken()
        let token = try await store.createAPIToken(
            name: name, tokenHash: SecretToken.hash(secret), accountID: account.id, at: Date())
        return (token, secret)
    }

    static func account(_ context: AppRequestContext) throws -> Account {
        guard let account = context.account else { throw SignInRequired() }
        return account
    }

    static func integer(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw PageError.badRequest(
                "“\(name)” must be a whole number from \(range.lowerBound) to \(range.upperBound).",
                code: "bad_parameter")
        }
        return value
    }
}
