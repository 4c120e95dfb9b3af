import Foundation
import Hummingbird
import RoundsContent
import RoundsCore

/// The study plan to the interview date (`/plan`) and the same plan as an iCalendar file (`/plan.ics`).
/// Both plan with the hours a week in the learner's settings, or `?hours=` to try another figure, and
/// are worked out afresh on every request, so they always follow the learner's latest results.
struct PlanController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/plan", use: page)
        router.get("/plan.ics", use: calendar)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let hours = try Self.hours(request) ?? learner.settings.planningHours
        let plan = try await plan(for: learner, hours: hours)
        return environment.views.response(
            .plan, title: "Study plan",
            page: PlanPage(plan, library: library, settings: learner.settings, csrf: context.csrfToken),
            context: context)
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let hours = try Self.hours(request) ?? learner.settings.planningHours
        let plan = try await plan(for: learner, hours: hours)
        let text = plan.iCalendar(stamp: Date(), skillNames: library.skillNames)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/calendar; charset=utf-8",
                .contentDisposition: "attachment; filename=\"rounds-plan.ics\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func plan(for learner: Learner, hours: Double) async throws -> StudyPlan {
        let snapshot = try await library.progress(learnerID: learner.id, in: environment.store)
        return library.studyPlan(
            for: learner.settings, snapshot: snapshot, hoursPerWeek: hours,
            opening: try await environment.store.planTarget(learnerID: learner.id))
    }

    /// `?hours=`: a number of hours a week in ``StudyPlanner/hoursRange``, or nil when absent.
    static func hours(_ request: Request) throws -> Double? {
        guard let text = request.uri.queryParameters["hours"].map(String.init), !text.isEmpty else {
            return nil
        }
        return try parseHours(text)
    }

    /// Hours a week as a learner types them (the query above, the settings form), or a clear error.
    static func parseHours(_ text: String) throws -> Double {
        guard let hours = Double(text), StudyPlanner.hoursRange.contains(hours) else {
            throw PageError.badRequest(
                "Hours a week must be a number from 0.5 to 80, such as 5 or 7.5; “\(text.prefix(40))” is not.",
                code: "invalid_hours")
        }
        return hours
    }
}
