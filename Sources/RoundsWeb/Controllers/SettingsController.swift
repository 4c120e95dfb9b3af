import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// The learner's settings (target role, interview date, hours a week, desired retention) and the export of their
/// history as JSON or CSV.
struct SettingsController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/settings", use: settings)
        router.post("/settings", use: saveSettings)
        router.post("/settings/role", use: chooseRole)
        router.get("/export.json", use: export)
        router.get("/export/:table", use: exportCSV)
    }

    // MARK: Settings

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await currentLearner(context)
        let page = SettingsPage(
            learner.settings, library: library, saved: request.uri.queryParameters["saved"] == "1",
            csrf: context.csrfToken)
        return environment.views.response(.settings, title: "Settings", page: page, context: context)
    }

    struct SettingsForm: Decodable {
        let csrf: String?
        let role: String?
        let interviewDate: String?
        let retention: String?
        let hours: String?
        /// `beginner`, `intermediate`, `advanced`, or empty for not said; absent leaves it as it is.
        let level: String?
        /// `role` from the first-run form on the dashboard: go on to the chosen role's page.
        let next: String?
    }

    @Sendable func saveSettings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(SettingsForm.self, context: context)
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
        if let text = form.hours {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                settings.hoursPerWeek = nil
            } else {
                settings.hoursPerWeek = try PlanController.parseHours(trimmed)
            }
        }
        if let text = form.level {
            guard text.isEmpty || Level(rawValue: text) != nil else {
                throw PageError.badRequest("Level: “\(text.prefix(20))” is not beginner, intermediate or advanced.")
            }
            settings.level = Level(rawValue: text)
        }
        try await environment.store.updateSettings(settings, learnerID: learner.id)
        if form.next == "role" {
            return .redirect(to: settings.targetRole.map { "/roles/\($0)" } ?? "/plan")
        }
        return .redirect(to: "/settings?saved=1")
    }

    struct RoleForm: Decodable {
        let csrf: String?
        let role: String
    }

    /// "Make this my target role" on a role's page: changes the target role only, and goes back there.
    @Sendable func chooseRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(RoleForm.self, context: context)
        guard let role = library.role(id: form.role) else {
            throw PageError.badRequest("Unknown role “\(form.role.prefix(80))”: choose one at /roles.")
        }
        let learner = try await currentLearner(context)
        var settings = learner.settings
        settings.targetRole = role.id
        try await environment.store.updateSettings(settings, learnerID: learner.id)
        return .redirect(to: "/roles/\(role.id)")
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

    func currentLearner(_ context: AppRequestContext) async throws -> Learner {
        try await actions.currentLearner(context)
    }
}
