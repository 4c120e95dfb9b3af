import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// What the pages and the JSON API both do for a learner, in one place, so that both enforce the same
/// rules (answer limits, whose attempt it is, which answer may be re-rated) and word errors alike.
struct LearnerActions: Sendable {
    let environment: WebEnvironment

    /// The learner's opening named by the route's `id`: not found (`no_opening`) when there is none, or
    /// it is another learner's. The pages and the API both look openings up here.
    func opening(_ context: AppRequestContext, learner: Learner) async throws -> Opening {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int64(raw), let opening = try await environment.store.opening(id: id, learnerID: learner.id)
        else {
            throw PageError(
                status: .notFound, code: "no_opening",
                message: "You have no opening “\(raw.prefix(40))”. Your openings are listed at /openings.")
        }
        return opening
    }

    /// The longest answer accepted, in characters (Unicode scalars) and words: the command line's limits.
    static let maxAnswerCharacters = TypedText.answerCharacters
    static let maxAnswerWords = TypedText.answerWords

    var library: ContentLibrary { environment.library }
    var store: any Storage { environment.store }

    /// The learner as stored now: settings change while the server runs.
    func currentLearner(_ context: AppRequestContext) async throws -> Learner {
        let learner = try context.requireLearner()
        return try await store.learner(id: learner.id) ?? learner
    }

    func question(id: String) throws -> Question {
        guard let question = library.question(id: id) else {
            throw PageError.notFound("There is no question “\(id)” in the bank. Browse the bank to find one.")
        }
        return question
    }

    /// One of the learner's own attempts: another learner's id finds nothing, exactly like an unknown one.
    func attempt(id: Int64?, learner: Learner) async throws -> Attempt {
        guard let id, let attempt = try await store.attempt(id: id, learnerID: learner.id) else {
            throw PageError.notFound("There is no answer with that number.")
        }
        return attempt
    }

    /// Questions matching filters given as text (from a query string), searched when `text` is not empty.
    func questions(skill: String?, level: String?, role: String?, kind: String?, text: String, limit: Int = 50)
        throws -> (filter: QuestionFilter, questions: [Question])
    {
        let skill = skill.flatMap { $0.isEmpty ? nil : $0 }
        let role = role.flatMap { $0.isEmpty ? nil : $0 }
        if let skill, library.skill(id: skill) == nil {
            throw PageError.badRequest("Unknown skill “\(skill)”.", code: "unknown_skill")
        }
        if let role, library.role(id: role) == nil {
            throw PageError.badRequest("Unknown role “\(role)”.", code: "unknown_role")
        }
        let parsedLevel = try Self.level(level)
        let parsedKind = try kind.flatMap { text -> QuestionKind? in
            if text.isEmpty { return nil }
            guard let kind = QuestionKind(rawValue: text) else {
                let kinds = QuestionKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw PageError.badRequest("Unknown kind “\(text)”; use one of \(kinds).", code: "unknown_kind")
            }
            return kind
        }
        let filter = QuestionFilter(skill: skill, level: parsedLevel, role: role, kind: parsedKind)
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return (filter, library.questions(matching: filter)) }
        let found = environment.search.search(String(text.prefix(200)), filter: filter, limit: limit)
        return (filter, found.compactMap { library.question(id: $0.id) })
    }

    /// A level from a form or query: nil when absent or empty, an error naming the choices when unknown.
    static func level(_ text: String?) throws -> Level? {
        guard let text, !text.isEmpty else { return nil }
        guard let level = Level(rawValue: text) else {
            throw PageError.badRequest(
                "Unknown level “\(text)”; use beginner, intermediate or advanced.", code: "unknown_level")
        }
        return level
    }

    /// Checks an answer as typed and returns it normalised (line endings, surrounding space).
    func validAnswer(_ raw: String?) throws -> String {
        let text = (raw ?? "").replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw PageError.badRequest(
                "The answer is empty: type at least a sentence, then submit.", code: "empty_answer")
        }
        switch TypedText.problem(in: text, maxCharacters: Self.maxAnswerCharacters, maxWords: Self.maxAnswerWords) {
        case nil: return text
        case .controlCharacter(let value, let position)?:
            throw PageError.badRequest(
                "The answer was not saved: \(TypedText.Problem.controlCharacter(value, at: position)).",
                code: "control_character")
        case let problem?:
            throw PageError(
                status: .contentTooLarge, code: "answer_too_long",
                message:
                    "The answer was not saved: \(problem). Keep to what you would say in the interview.")
        }
    }

    /// Grades an answer and saves it with its review in one transaction.
    func submit(_ text: String, to question: Question, learner: Learner, seconds: Int?, session: Int64? = nil)
        async throws -> (attempt: Attempt, feedback: Feedback, card: ReviewCard)
    {
        let feedback = try await environment.feedback(text, for: question)
        let cards = try await store.currentCards(learnerID: learner.id)
        let (attempt, card) = try await AnswerRecorder(store: store, learner: learner).record(
            questionID: question.id, answer: text, score: feedback.score, band: feedback.band, rating: feedback.rating,
            overridden: false, summary: feedback.summaryLine,
            seconds: seconds.flatMap { (0...86_400).contains($0) ? $0 : nil },
            session: session, current: cards[question.id], at: Date())
        return (attempt, feedback, card)
    }

    /// Changes the rating that scheduled an answer. History is append-only, so this adds a review that
    /// replays the answer's review with the new rating from the card the question had before it. Only
    /// the question's latest answer can be re-rated: a later answer has already moved the schedule on.
    func rerate(_ attempt: Attempt, rating: Rating, learner: Learner) async throws -> Review {
        let history = try await store.reviews(learnerID: learner.id, questionID: attempt.questionID)
        guard let index = history.firstIndex(where: { $0.attemptID == attempt.id }),
            history.last?.attemptID == attempt.id
        else {
            throw PageError(
                status: .conflict, code: "not_latest_answer",
                message: "A later answer to this question has already set its schedule; rate that one instead.")
        }
        let before = history[..<index].last { $0.attemptID != attempt.id }?.card ?? .new(due: attempt.answeredAt)
        let scheduler = ReviewScheduler(fsrs: FSRS(desiredRetention: learner.settings.desiredRetention))
        let card = scheduler.review(before, rating: rating, at: attempt.answeredAt)
        return try await store.appendReview(
            Review(
                learnerID: learner.id, questionID: attempt.questionID, attemptID: attempt.id, reviewedAt: Date(),
                rating: rating, card: card))
    }

    /// The latest review that an attempt produced, and whether the attempt may still be re-rated.
    func review(of attempt: Attempt, learner: Learner) async throws -> (review: Review?, canRerate: Bool) {
        let (own, latest) = try await store.reviewState(attempt: attempt)
        return (own.last, latest != nil && latest?.attemptID == attempt.id)
    }

    /// The learner's progress (with the reads it came from) and the next questions the planner picks,
    /// as `rounds practice` would.
    func plan(for learner: Learner, count: Int = 1, now: Date = Date()) async throws
        -> (snapshot: ProgressSnapshot, next: [PracticePlanner.Item])
    {
        let snapshot = try await library.progress(learnerID: learner.id, in: store, now: now)
        let role = learner.settings.targetRole.flatMap(library.role(id:))
        let next = PracticePlanner(for: learner.settings).queue(
            questions: library.questions, cards: snapshot.cards, progress: snapshot.progress, role: role, count: count,
            now: now)
        return (snapshot, next)
    }

    /// Everything the learner has, as `rounds export` writes it.
    func export(_ learner: Learner) async throws -> LearnerExport { try await store.export(learner) }

    func describe(_ reason: PracticePlanner.Item.Reason) -> String {
        switch reason {
        case .due(let r): "Due for review: estimated recall \(Int((r * 100).rounded()))%."
        case .new(let skill): "New, from one of your weakest skills: \(library.skill(id: skill)?.name ?? skill)."
        }
    }
}
