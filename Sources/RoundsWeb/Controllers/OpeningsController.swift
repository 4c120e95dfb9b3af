import Foundation
import Hummingbird
import RoundsContent
import RoundsCore

/// The learner's job postings (`/openings`): import from JSON-LD or CSV (pasted or as a file) or add by
/// hand, the market as those postings describe it, and one posting (`/openings/{id}`) against the
/// learner's measured skills, with their notes on its company and "Plan for this posting".
struct OpeningsController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    /// The largest import form, file included: a saved job board page is a few hundred kB.
    static let maxImportBytes = 2 * 1024 * 1024

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/openings", use: list)
        router.post("/openings/import", use: importPostings)
        router.post("/openings/new", use: add)
        router.post("/openings/notes", use: saveNote)
        router.post("/openings/plan/clear", use: clearPlan)
        router.get("/openings/:id", use: show)
        router.post("/openings/:id/plan", use: plan)
        router.post("/openings/:id/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let query = request.uri.queryParameters
        let notice: String? =
            if let added = query["added"].flatMap({ Int($0) }) {
                "Added \(added) opening\(added == 1 ? "" : "s")"
                    + (query["skipped"].flatMap { Int($0) }.map { $0 > 0 ? "; skipped \($0) you already have" : "" }
                        ?? "")
                    + "."
            } else if query["deleted"] == "1" {
                "The opening was removed."
            } else {
                nil
            }
        return try await page(learner, context: context, notice: notice)
    }

    /// The list page; `form` refills the import or add form after an error, so nothing typed is lost.
    func page(
        _ learner: Learner, context: AppRequestContext, notice: String? = nil, errors: [String] = [],
        form: OpeningsPage.Form = .init(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let openings = try await environment.store.openings(learnerID: learner.id)
        let snapshot = try await library.progress(learnerID: learner.id, in: environment.store)
        let reports = openings.map { library.openingReport($0, snapshot: snapshot, settings: learner.settings) }
        let page = OpeningsPage(
            reports: reports, summary: library.marketSummary(openings), library: library,
            notes: try await environment.store.companyNotes(learnerID: learner.id), notice: notice, errors: errors,
            form: form, csrf: context.csrfToken)
        var response = environment.views.response(.openings, title: "Openings", page: page, context: context)
        response.status = status
        return response
    }

    @Sendable func importPostings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await request.textFormFields(
            context: context, maxBytes: Self.maxImportBytes,
            tooLarge:
                "The import is larger than \(Self.maxImportBytes / 1024 / 1024) MB; split the file and import the parts."
        )
        let learner = try await actions.currentLearner(context)
        let pasted = fields["text"] ?? ""
        let file = fields["file"] ?? ""
        let fileName = fields["file.filename"].flatMap { $0.isEmpty ? nil : $0 }
        let text = file.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? pasted : file
        let form = OpeningsPage.Form(text: pasted, format: fields["format"] ?? "auto")
        let format: OpeningImport.Format
        switch fields["format"] ?? "auto" {
        case "csv": format = .csv
        case "jsonld": format = .jsonld
        default: format = .guess(name: text == file ? fileName : nil, text: text)
        }
        do {
            let openings = try OpeningImport.read(text, format: format, now: Date())
            let added = try await environment.store.addOpenings(openings, learnerID: learner.id)
            return .redirect(to: "/openings?added=\(added.count)&skipped=\(openings.count - added.count)")
        } catch let failure as OpeningImport.Failure {
            let errors =
                ["Nothing was imported (read as \(format == .csv ? "CSV" : "JSON-LD")). Fix these and import again:"]
                + failure.lines
            return try await page(learner, context: context, errors: errors, form: form, status: .badRequest)
        } catch let limit as OpeningLimitReached {
            return try await page(
                learner, context: context, errors: [limit.description], form: form, status: .badRequest)
        }
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = URLEncodedForm.fields(
            in: try await request.formBody(
                context: context, maxBytes: Request.maxFormBytes, tooLarge: "The opening is too large to add."))
        let learner = try await actions.currentLearner(context)
        var values = fields
        values["remote"] = fields["remote"] == "yes" ? "yes" : "no"
        do {
            let opening = try OpeningImport.opening(fields: values, place: "The opening", now: Date())
            let added = try await environment.store.addOpenings([opening], learnerID: learner.id)
            guard let id = added.first?.id else {
                return try await page(
                    learner, context: context,
                    errors: ["You already have this posting (the same title, company and date); nothing was added."],
                    form: .init(fields: fields), status: .badRequest)
            }
            return .redirect(to: "/openings/\(id)")
        } catch let failure as OpeningImport.Failure {
            return try await page(
                learner, context: context,
                errors: ["The opening was not added. Fix these and add it again:"]
                    + failure.problems.map {
                        "\($0.place.replacingOccurrences(of: "The opening, ", with: "")): \($0.problem) \($0.fix)"
                    },
                form: .init(fields: fields), status: .badRequest)
        } catch let limit as OpeningLimitReached {
            return try await page(
                learner, context: context, errors: [limit.description], form: .init(fields: fields), status: .badRequest
            )
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let opening = try await actions.opening(context, learner: learner)
        let snapshot = try await library.progress(learnerID: learner.id, in: environment.store)
        let note = try await environment.store.companyNote(opening.company, learnerID: learner.id)
        let report = library.openingReport(opening, snapshot: snapshot, settings: learner.settings, note: note)
        return environment.views.response(
            .opening, title: "\(opening.title) · \(opening.company)",
            page: OpeningPage(
                report, library: library, saved: request.uri.queryParameters["saved"] == "1", csrf: context.csrfToken),
            context: context)
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.formBody(context: context, maxBytes: 4096, tooLarge: "The form is too large.")
        let learner = try await actions.currentLearner(context)
        let opening = try await actions.opening(context, learner: learner)
        guard library.role(for: opening) != nil else {
            throw PageError.badRequest(
                "Rounds found none of its skills in this posting's text, so it cannot plan for it; your plan is unchanged."
            )
        }
        try await environment.store.setPlanTarget(openingID: opening.id, learnerID: learner.id)
        return .redirect(to: "/plan")
    }

    @Sendable func clearPlan(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.formBody(context: context, maxBytes: 4096, tooLarge: "The form is too large.")
        let learner = try await actions.currentLearner(context)
        try await environment.store.setPlanTarget(openingID: nil, learnerID: learner.id)
        return .redirect(to: "/plan")
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.formBody(context: context, maxBytes: 4096, tooLarge: "The form is too large.")
        let learner = try await actions.currentLearner(context)
        let opening = try await actions.opening(context, learner: learner)
        try await environment.store.deleteOpening(id: opening.id ?? 0, learnerID: learner.id)
        return .redirect(to: "/openings?deleted=1")
    }

    @Sendable func saveNote(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = URLEncodedForm.fields(
            in: try await request.formBody(
                context: context, maxBytes: Request.maxFormBytes, tooLarge: "The notes are too long to save."))
        let learner = try await actions.currentLearner(context)
        let company = (fields["company"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !company.isEmpty, company.count <= Opening.maxField else {
            throw PageError.badRequest("Name the company the notes are about (1 to \(Opening.maxField) characters).")
        }
        let note = CompanyNote(
            company: company, techStack: fields["stack"] ?? "", interviewFormat: fields["format"] ?? "",
            people: fields["people"] ?? "", updatedAt: Date())
        if let long = note.overlongField(names: ("Tech stack", "Interview format", "People")) {
            throw PageError.badRequest(
                "\(long.name) is \(long.characters) characters; keep it to \(CompanyNote.maxField).")
        }
        do {
            try await environment.store.saveCompanyNote(note, learnerID: learner.id)
        } catch let limit as OpeningLimitReached {
            throw PageError.badRequest(limit.description)
        }
        if let back = fields["opening"].flatMap({ Int64($0) }) {
            return .redirect(to: "/openings/\(back)?saved=1#notes")
        }
        return .redirect(to: "/openings")
    }
}
