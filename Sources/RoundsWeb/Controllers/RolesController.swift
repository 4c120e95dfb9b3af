import Foundation
import Hummingbird
import RoundsContent
import RoundsCore

/// The roles Rounds prepares for (`/roles`) and one role (`/roles/{id}`): its interview stages, skill
/// weights and market notes, the learner's readiness skill by skill, and what would raise it most.
struct RolesController: Sendable {
    let environment: WebEnvironment
    var actions: LearnerActions { LearnerActions(environment: environment) }
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/roles", use: list)
        router.get("/roles/:id", use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try await actions.currentLearner(context)
        let progress = try await library.progress(learnerID: learner.id, in: environment.store).progress
        let page = RolesPage(
            roles: library.roles.map { role in
                RolesPage.Row(
                    id: role.id, name: role.name, summary: role.summary,
                    readiness: progress.roles.first { $0.role == role.id }?.percent ?? 0,
                    target: role.id == learner.settings.targetRole)
            })
        return environment.views.response(.roles, title: "Roles", page: page, context: context)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let role = library.role(id: id) else {
            throw PageError.notFound("There is no role “\(id.prefix(80))”. The roles are listed at /roles.")
        }
        let learner = try await actions.currentLearner(context)
        let snapshot = try await library.progress(learnerID: learner.id, in: environment.store)
        let report = library.roleReport(role, snapshot: snapshot, settings: learner.settings)
        return environment.views.response(
            .role, title: role.name,
            page: RolePage(
                report, library: library, isTarget: learner.settings.targetRole == role.id, csrf: context.csrfToken),
            context: context)
    }
}
