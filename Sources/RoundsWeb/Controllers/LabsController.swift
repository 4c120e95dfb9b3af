import FHIR
import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsLabs
import RoundsStore
import SyntheticEHR

/// The interoperability labs in the browser: a list with each lab's status for the learner, a page per
/// lab with its material and a form, and grading that is stored as history and shown on the same page,
/// with the hand-in kept in the form so the learner can fix it and try again.
struct LabsController: Sendable {
    let environment: WebEnvironment
    var grader: LabGrader { environment.labGrader }
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    /// Hand-ins may be whole Bundles: up to the grader's limit, percent-encoded.
    static let maxFormBytes = LabGrader.maximumLength * 4

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/labs", use: list)
        router.get("/labs/:id", use: show)
        router.post("/labs/:id/attempts", use: check)
        router.post("/labs/:id/run", use: run)
    }

    // MARK: List

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let (kind, level) = try Self.filters(
            kind: query["kind"].map(String.init), level: query["level"].map(String.init))
        let learner = try await actions.currentLearner(context)
        let history = try await LabHistory.read(learnerID: learner.id, store: environment.store)
        let now = Date()
        let rows = labs(kind: kind, level: level).map { lab in
            let status = history.status(of: lab, now: now)
            return LabRow(
                id: lab.id, title: lab.title, level: lab.level.rawValue.capitalized, kind: lab.kind.label,
                minutes: lab.minutes, status: status.label,
                statusClass: status.label.lowercased().replacingOccurrences(of: " ", with: "-"))
        }
        let page = LabsPage(
            labs: rows, count: rows.count, solved: history.solved, total: library.labs.count,
            kinds: Lab.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == kind) },
            levels: Level.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == level)
            })
        return environment.views.response(.labs, title: "Labs", page: page, context: context)
    }

    // MARK: One lab

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        let learner = try await actions.currentLearner(context)
        let query = request.uri.queryParameters
        var attempt: LabAttempt?
        if let text = query["attempt"] {
            // Only the learner's own hand-ins: another id, or another learner's, is not found.
            let mine = try await environment.store.labAttempts(learnerID: learner.id, labID: lab.id)
            guard let id = Int64(text), let found = mine.first(where: { $0.id == id }) else {
                throw PageError.notFound("There is no such hand-in for this lab.")
            }
            attempt = found
        }
        var page = LabPage(
            lab, attempt: attempt, revealSolution: query["solution"] == "1", csrf: context.csrfToken)
        if lab.kind == .fhirSearch, let name = lab.fixtures, let json = library.labFixtures[name] {
            page.fixture = LabPage.Fixture(json: json)
        }
        // Work typed but not handed in comes back, on this computer or another (issue 18).
        if attempt == nil,
            let draft = try await environment.store.draft(key: Draft.labKey(lab.id), learnerID: learner.id)
        {
            page.submission = draft.text
            page.draftAt = PageCache.milliseconds(draft.savedAt)
        }
        // An SQL hand-in's rows are shown again by running it (history keeps the verdict, not the rows).
        if let attempt, lab.kind.takesSQL, let judge = grader.sql {
            page.output = try await Self.queued {
                try await grader.queue.run { LabPage.Output(try? judge.run(lab, sql: attempt.submission)) }.value
            }
        }
        return environment.views.response(.lab, title: lab.title, page: page, context: context)
    }

    /// SQL labs: runs the query on the practice database and shows its first rows; nothing is graded or kept.
    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        guard lab.kind.takesSQL, let judge = grader.sql else {
            throw PageError.notFound("Only SQL labs can be run; hand this one in with the form.")
        }
        let body = try await request.formBody(
            context: context, maxBytes: Self.maxFormBytes,
            tooLarge: "The SQL is too long; the limit is \(SQLSandbox.Limits().sqlLength) characters.")
        let sql = (URLEncodedForm.fields(in: body)["submission"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var page = LabPage(lab, attempt: nil, revealSolution: false, csrf: context.csrfToken)
        page.submission = sql
        page.output = try await Self.queued {
            try await grader.queue.run { LabPage.Output(try? judge.run(lab, sql: sql), ran: true) }.value
        }
        return environment.views.response(.lab, title: lab.title, page: page, context: context)
    }

    /// Lab work (SQLite queries that can take seconds, a first build of the databases) runs on the
    /// grader's judge queue, never on Swift's cooperative pool; a full queue is a clear 503.
    static func queued<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let full as JudgeQueue.Full {
            throw PageError(status: .serviceUnavailable, code: "graders_busy", message: full.description)
        }
    }

    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        let body = try await request.formBody(
            context: context, maxBytes: Self.maxFormBytes,
            tooLarge: "The hand-in is too large; the limit is \(LabGrader.maximumLength) characters.")
        let fields = URLEncodedForm.fields(in: body)
        let submission: String
        if lab.kind.takesAnswers {
            submission = lab.prompts.map { prompt in
                let value = (fields["answer-\(prompt.id)"] ?? "").replacingOccurrences(of: "\n", with: " ")
                return "\(prompt.id): \(value.trimmingCharacters(in: .whitespaces))"
            }.joined(separator: "\n")
        } else {
            submission = (fields["submission"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        }
        let learner = try await actions.currentLearner(context)
        let attempt = try await handIn(submission, to: lab, learner: learner)
        try await environment.store.deleteDraft(key: Draft.labKey(lab.id), learnerID: learner.id)
        return .redirect(to: "/labs/\(lab.id)?attempt=\(attempt.id)#result")
    }

    /// Grades a hand-in and appends it to the learner's history; the pages and the API share this.
    func handIn(_ submission: String, to lab: Lab, learner: Learner) async throws -> LabAttempt {
        guard submission.count <= LabGrader.maximumLength else {
            throw PageError.badRequest(
                "The hand-in has \(submission.count) characters; the limit is \(LabGrader.maximumLength).",
                code: "too_long")
        }
        let grader = self.grader
        let result = try await Self.queued { try await grader.gradeQueued(lab, submission: submission) }
        return try await LabRecorder(store: environment.store, learner: learner)
            .record(labID: lab.id, submission: submission, result: result, at: Date()).attempt
    }

    /// The labs that pass the filters, in the library's order.
    func labs(kind: Lab.Kind?, level: Level?) -> [Lab] {
        library.labs.filter { lab in (kind.map { lab.kind == $0 } ?? true) && (level.map { lab.level == $0 } ?? true) }
    }

    /// The `kind` and `level` filters of a list, refusing unknown values.
    static func filters(kind text: String?, level: String?) throws -> (Lab.Kind?, Level?) {
        var kind: Lab.Kind?
        if let text, !text.isEmpty {
            guard let value = Lab.Kind(rawValue: text) else {
                throw PageError.badRequest(
                    "Unknown lab kind “\(text)”; use one of \(Lab.Kind.allCases.map(\.rawValue).joined(separator: ", ")).",
                    code: "unknown_kind")
            }
            kind = value
        }
        return (kind, try LearnerActions.level(level))
    }

    func findLab(_ context: AppRequestContext) throws -> Lab {
        let id = context.parameters.get("id") ?? ""
        guard let lab = library.lab(id: id) else {
            throw PageError.notFound("There is no lab “\(id)”. The labs page lists them all.")
        }
        return lab
    }
}
