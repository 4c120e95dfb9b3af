import Foundation
import Hummingbird
import RoundsCore
import RoundsLabs
import SyntheticEHR

/// `/api/v1/labs`: the labs, hand-ins graded as on the pages, and the learner's own hand-in history.
extension APIController {
    struct LabDetail: Encodable {
        struct Prompt: Encodable {
            let id, ask: String
        }
        let lab: LabSummary
        /// The task, in Markdown.
        let task: String
        /// The HL7 v2 message, segments separated by line breaks.
        let message: String?
        /// For OperationOutcome labs: the resource that was validated.
        let resource: String?
        /// What to hand in: `answers` (an object of prompt id → answer) or `submission` (one text).
        let handIn: String
        let questions: [Prompt]
        let hints: [String]
        let sources: [Source]
        /// SQL labs: the tables the lab uses, with their columns.
        let tables: [EHRSchema.Table]?
        /// SQL labs: what the hand-in must keep to (column names, order, one statement or indexes).
        let rules: [String]?
        /// The tuning lab: the query to speed up.
        let slowQuery: String?
        /// Given only on request (`?solution=true`), as on the pages.
        let solution: String?
        let explanation: String?
    }

    struct RunBody: Decodable {
        let sql: String
    }

    /// An ungraded run of a query on the visible practice database.
    struct RunResult: Encodable {
        let columns: [String]
        /// The first rows, each value a JSON string, number or null.
        let rows: [[SQLValue]]
        /// True when the query returned more rows than are shown.
        let truncated: Bool
        let milliseconds: Double
    }

    struct HandInBody: Decodable {
        let submission: String?
        let answers: [String: String]?
    }

    var labsPages: LabsController { LabsController(environment: environment) }

    @Sendable func labs(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let (kind, level) = try LabsController.filters(
            kind: query["kind"].map(String.init), level: query["level"].map(String.init))
        let learner = try await actions.currentLearner(context)
        let history = try await LabHistory.read(learnerID: learner.id, store: environment.store)
        let labs = labsPages.labs(kind: kind, level: level)
        return try APIResponse.json(List(labs.map { LabSummary($0, status: history.status(of: $0)) }))
    }

    @Sendable func lab(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try labsPages.findLab(context)
        let learner = try await actions.currentLearner(context)
        let attempts = try await environment.store.labAttempts(learnerID: learner.id, labID: lab.id)
        let reveal = request.uri.queryParameters["solution"] == "true"
        return try APIResponse.json(
            LabDetail(
                lab: LabSummary(
                    lab,
                    status: LabHistory(
                        attempts: attempts, cards: try await environment.store.currentCards(learnerID: learner.id)
                    ).status(of: lab)),
                task: lab.task,
                message: lab.message?.replacingOccurrences(of: "\r", with: "\n"),
                resource: lab.kind == .fhirOutcome ? lab.resource : nil,
                handIn: lab.kind.takesAnswers ? "answers" : "submission",
                questions: lab.prompts.map { .init(id: $0.id, ask: $0.ask) }, hints: lab.hints, sources: lab.sources,
                tables: lab.sql.map { $0.tables.compactMap(EHRSchema.table) },
                rules: lab.sql == nil ? nil : SQLJudge.rules(for: lab), slowQuery: lab.sql?.slowQuery,
                solution: reveal ? lab.solution.replacingOccurrences(of: "\r", with: "\n") : nil,
                explanation: reveal ? lab.explanation : nil))
    }

    @Sendable func handInLab(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try labsPages.findLab(context)
        let body = try await APIResponse.decode(HandInBody.self, from: request, limit: LabGrader.maximumLength * 6)
        let submission: String
        switch (body.submission, body.answers) {
        case (let text?, nil):
            submission = text
        case (nil, let answers?) where lab.kind.takesAnswers:
            // One line per answer, as `rounds labs submit` reads them; line breaks inside an answer would
            // start a new one.
            submission = answers.sorted { $0.key < $1.key }.map {
                "\($0.key): \($0.value.replacingOccurrences(of: "\n", with: " "))"
            }.joined(separator: "\n")
        case (nil, _?):
            throw PageError.badRequest(
                "This lab takes one `submission` (\(lab.kind.rawValue)), not `answers`.", code: "invalid_json")
        default:
            throw PageError.badRequest(
                "Send either `submission` (a text) or `answers` (an object of question id → answer).",
                code: "invalid_json")
        }
        let learner = try await actions.currentLearner(context)
        let attempt = try await labsPages.handIn(submission, to: lab, learner: learner)
        var response = try APIResponse.json(attempt, status: .created)
        response.headers[.location] = "/api/v1/labs/\(lab.id)/attempts"
        return response
    }

    /// SQL labs: runs a query on the visible database, as the pages' Run button does; nothing is graded or kept.
    @Sendable func runLab(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try labsPages.findLab(context)
        guard lab.kind.takesSQL, let judge = labsPages.grader.sql else {
            throw PageError.badRequest(
                "Only SQL labs can be run; “\(lab.id)” is \(lab.kind.rawValue).", code: "not_sql")
        }
        let body = try await APIResponse.decode(RunBody.self, from: request, limit: SQLSandbox.Limits().sqlLength * 4)
        _ = try await actions.currentLearner(context)
        let sql = body.sql
        let grader = labsPages.grader
        let outcome = try await LabsController.queued {
            try await grader.queue.run { try judge.run(lab, sql: sql) }.value
        }
        switch outcome {
        case .success(let run):
            return try APIResponse.json(
                RunResult(
                    columns: run.table.columns, rows: run.table.rows, truncated: run.table.truncated,
                    milliseconds: (run.seconds * 1000 * 10).rounded() / 10))
        case .failure(let failure):
            throw PageError.badRequest(failure.description, code: "sql_refused")
        }
    }

    @Sendable func labAttempts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try labsPages.findLab(context)
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", range: 1...500) ?? 100
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", range: 0...10_000_000) ?? 0
        let learner = try await actions.currentLearner(context)
        let (total, found) = try await environment.store.labAttemptPage(
            learnerID: learner.id, labID: lab.id, limit: limit, offset: offset)
        return try APIResponse.json(Page(total: total, offset: offset, count: found.count, items: found))
    }
}
