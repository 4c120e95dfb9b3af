import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// One question: its page, answering it, the feedback on an answer, and changing the rating an answer
/// was scheduled with. Every answer is saved with its review in one transaction, as on the command
/// line; the bank's list of questions is `BankController`'s.
struct QuestionsController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/questions/:id", use: question)
        router.post("/questions/:id/answers", use: answer)
        router.get("/attempts/:id", use: attempt)
        router.post("/attempts/:id/rating", use: changeRating)
    }

    // MARK: One question

    @Sendable func question(_ request: Request, context: AppRequestContext) async throws -> Response {
        let question = try findQuestion(context)
        let reveal = request.uri.queryParameters["reveal"] == "1"
        // The same for every learner: rendered once per layout, with the token and time filled in.
        let key = "question|\(question.id)|\(reveal)|\(PageRenderer.layoutKey(context))"
        let learner = try context.requireLearner()
        let draft = try await environment.store.draft(key: Draft.questionKey(question.id), learnerID: learner.id)
        let html = environment.pageCache.page(
            key, csrf: context.csrfToken, time: Int(Date().timeIntervalSince1970), draft: draft
        ) {
            let page = QuestionPage(question, library: library, reveal: reveal, csrf: PageCache.csrfMarker)
            return environment.views.html(
                .question, title: question.title, page: page, context: context, csrf: PageCache.csrfMarker)
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
        let form = try await request.decodeForm(AnswerForm.self, context: context)
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
            .feedback, title: "Feedback: \(question.title)", page: page, context: context)
    }

    struct RatingForm: Decodable {
        let csrf: String?
        let rating: Int?
    }

    /// Changes the rating that scheduled an answer (see ``LearnerActions/rerate(_:rating:learner:)``).
    @Sendable func changeRating(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(RatingForm.self, context: context)
        guard let value = form.rating, let rating = Rating(rawValue: value) else {
            throw PageError.badRequest("Choose a rating from 1 (Again) to 4 (Easy).")
        }
        let learner = try await actions.currentLearner(context)
        let attempt = try await actions.attempt(id: context.parameters.get("id", as: Int64.self), learner: learner)
        _ = try await actions.rerate(attempt, rating: rating, learner: learner)
        return .redirect(to: "/attempts/\(attempt.id)?rated=1")
    }

    func findQuestion(_ context: AppRequestContext) throws -> Question {
        try actions.question(id: context.parameters.get("id") ?? "")
    }
}
