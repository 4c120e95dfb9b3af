import Foundation
import Hummingbird
import RoundsContent
import RoundsCore

/// `/api/v1/openings` and `/api/v1/companies/notes`: the learner's job postings and company notes, as
/// the openings pages and `rounds openings` handle them.
extension APIController {
    func addOpeningRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("/openings", use: openings)
        api.post("/openings", use: importOpenings)
        api.get("/openings/summary", use: openingsSummary)
        api.get("/openings/:id", use: opening)
        api.delete("/openings/:id", use: deleteOpening)
        api.put("/plan/opening", use: setPlanOpening)
        api.get("/plan/progress", use: planProgress)
        api.get("/companies/notes", use: companyNotes)
        api.put("/companies/notes", use: saveCompanyNote)
    }

    struct ImportBody: Decodable {
        /// JSON-LD (or a page holding it) or CSV.
        let text: String
        /// `jsonld` or `csv`; by default worked out from the text.
        let format: String?
    }

    struct Imported: Encodable {
        let added: [Opening]
        let skipped: Int
    }

    struct PlanOpeningBody: Decodable {
        /// The opening to plan for; null to plan for the target role again.
        let opening: Int64?
    }

    struct NoteBody: Decodable {
        let company: String
        let techStack: String?
        let interviewFormat: String?
        let people: String?
    }

    @Sendable func openings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let query = request.uri.queryParameters
        let limit = try Self.integer(query["limit"].map(String.init), name: "limit", range: 1...500) ?? 100
        let offset = try Self.integer(query["offset"].map(String.init), name: "offset", range: 0...10_000_000) ?? 0
        let all = try await environment.store.openings(learnerID: learner.id)
        let items = Array(all.dropFirst(offset).prefix(limit))
        return try APIResponse.json(Page(total: all.count, offset: offset, count: items.count, items: items))
    }

    @Sendable func importOpenings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let body = try await APIResponse.decode(
            ImportBody.self, from: request, limit: OpeningImport.maxBytes + 64 * 1024)
        let format: OpeningImport.Format
        switch body.format {
        case nil: format = .guess(name: nil, text: body.text)
        case let text?:
            guard let known = OpeningImport.Format(rawValue: text) else {
                throw PageError.badRequest(
                    "“\(text.prefix(20))” is not a format: use jsonld or csv.", code: "bad_format")
            }
            format = known
        }
        do {
            let openings = try OpeningImport.read(body.text, format: format, now: Date())
            let added = try await environment.store.addOpenings(openings, learnerID: learner.id)
            return try APIResponse.json(Imported(added: added, skipped: openings.count - added.count), status: .created)
        } catch let failure as OpeningImport.Failure {
            throw PageError.badRequest(failure.description, code: "bad_openings")
        } catch let limit as OpeningLimitReached {
            throw PageError(status: .conflict, code: "too_many_openings", message: limit.description)
        }
    }

    @Sendable func openingsSummary(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        return try APIResponse.json(library.marketSummary(try await environment.store.openings(learnerID: learner.id)))
    }

    @Sendable func opening(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let opening = try await actions.opening(context, learner: learner)
        let snapshot = try await library.progress(learnerID: learner.id, in: environment.store)
        let note = try await environment.store.companyNote(opening.company, learnerID: learner.id)
        return try APIResponse.json(
            library.openingReport(opening, snapshot: snapshot, settings: learner.settings, note: note))
    }

    @Sendable func deleteOpening(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let opening = try await actions.opening(context, learner: learner)
        try await environment.store.deleteOpening(id: opening.id ?? 0, learnerID: learner.id)
        return Response(status: .noContent)
    }

    @Sendable func setPlanOpening(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let body = try await APIResponse.decode(PlanOpeningBody.self, from: request, limit: 4096)
        if let id = body.opening {
            guard let opening = try await environment.store.opening(id: id, learnerID: learner.id) else {
                throw PageError(status: .notFound, code: "no_opening", message: "You have no opening \(id).")
            }
            guard library.role(for: opening) != nil else {
                throw PageError.badRequest(
                    "Rounds found none of its skills in opening \(id)'s text, so it cannot plan for it.",
                    code: "no_skills_found")
            }
        }
        try await environment.store.setPlanTarget(openingID: body.opening, learnerID: learner.id)
        return Response(status: .noContent)
    }

    /// This week against the plan's budget, and readiness for the plan's role week by week.
    @Sendable func planProgress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let opening = try await environment.store.planTarget(learnerID: learner.id)
        return try APIResponse.json(try await library.planProgress(learner, in: environment.store, opening: opening))
    }

    @Sendable func companyNotes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let notes = try await environment.store.companyNotes(learnerID: learner.id)
        return try APIResponse.json(Page(total: notes.count, offset: 0, count: notes.count, items: notes))
    }

    @Sendable func saveCompanyNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let body = try await APIResponse.decode(NoteBody.self, from: request, limit: 64 * 1024)
        let company = body.company.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !company.isEmpty, company.count <= Opening.maxField else {
            throw PageError.badRequest("“company” must be 1 to \(Opening.maxField) characters.", code: "bad_company")
        }
        let note = CompanyNote(
            company: company, techStack: body.techStack ?? "", interviewFormat: body.interviewFormat ?? "",
            people: body.people ?? "", updatedAt: Date())
        if let long = note.overlongField() {
            throw PageError.badRequest(
                "“\(long.name)” is \(long.characters) characters; keep it to \(CompanyNote.maxField).",
                code: "note_too_long")
        }
        do {
            try await environment.store.saveCompanyNote(note, learnerID: learner.id)
        } catch let limit as OpeningLimitReached {
            throw PageError(status: .conflict, code: "too_many_notes", message: limit.description)
        }
        return note.isEmpty ? Response(status: .noContent) : try APIResponse.json(note)
    }
}
