import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsStore

/// For a training programme (accounts mode): coaches see how every learner is progressing, admins also
/// give roles. A coach sees counts, scores, readiness and activity, never the text of anyone's answers:
/// those stay private to the learner (and to their own export).
struct CohortController: Sendable {
    let environment: WebEnvironment
    var library: ContentLibrary { environment.library }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/coach", use: cohort)
        router.get("/admin", use: admin)
        router.post("/admin/accounts/:id/role", use: changeRole)
    }

    func require(_ roles: Set<AccountRole>, _ context: AppRequestContext) throws -> Account {
        guard let account = context.account, roles.contains(account.role) else {
            throw PageError(status: .forbidden, code: "forbidden", message: "This page is for coaches and admins only.")
        }
        return account
    }

    @Sendable func cohort(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try require([.coach, .admin], context)
        let now = Date()
        var rows: [LearnerRow] = []
        var active = 0
        for account in try await environment.store.accounts() {
            guard let learner = try await environment.store.learner(id: account.learnerID) else { continue }
            let snapshot = try await library.progress(learnerID: learner.id, in: environment.store, now: now)
            let (progress, history) = (snapshot.progress, snapshot.history)
            let target = learner.settings.targetRole.flatMap(library.role(id:))
            let readiness = target.flatMap { role in progress.roles.first { $0.role == role.id }?.percent }
            let recent = history.recent.suffix(10).map(\.score)
            if let last = history.recent.last?.answeredAt, now.timeIntervalSince(last) < 7 * 86_400 { active += 1 }
            rows.append(
                LearnerRow(
                    email: account.email, role: account.role.rawValue, target: target?.name ?? "not set",
                    answers: history.count,
                    recentScore: recent.isEmpty ? "–" : "\(recent.reduce(0, +) / recent.count)",
                    readiness: readiness.map { "\($0)%" } ?? "–", dueNow: progress.dueNow,
                    lastActive: history.recent.last?.answeredAt.formatted(date: .abbreviated, time: .omitted)
                        ?? "never",
                    streak: progress.streakDays))
        }
        let page = CohortPage(rows: rows, hasRows: !rows.isEmpty, count: rows.count, activeThisWeek: active)
        return environment.views.response(.coach, title: "Cohort", page: page, context: context)
    }

    @Sendable func admin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let me = try require([.admin], context)
        let query = request.uri.queryParameters
        return try await adminPage(
            me: me, message: query["changed"].map { "The role of \($0) was changed." }, error: nil, context: context)
    }

    func adminPage(me: Account, message: String?, error: String?, context: AppRequestContext) async throws -> Response {
        let rows = try await environment.store.accounts().map { account in
            AdminRow(
                id: account.id, email: account.email,
                created: account.createdAt.formatted(date: .abbreviated, time: .omitted),
                roles: AccountRole.allCases.map {
                    Option(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == account.role)
                }, isSelf: account.id == me.id)
        }
        return environment.views.response(
            .admin, title: "Accounts and roles",
            page: AdminPage(csrf: context.csrfToken, rows: rows, message: message, error: error), context: context)
    }

    struct RoleForm: Decodable {
        let csrf: String?
        let role: String?
    }

    @Sendable func changeRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(RoleForm.self, context: context)
        let me = try require([.admin], context)
        guard let role = form.role.flatMap(AccountRole.init(rawValue:)) else {
            throw PageError.badRequest("Choose learner, coach or admin.", code: "bad_role")
        }
        guard let id = context.parameters.get("id", as: Int64.self),
            let account = try await environment.store.account(id: id)
        else { throw PageError.notFound("There is no account with that number.") }
        guard try await environment.store.updateRole(role, accountID: account.id) else {
            var response = try await adminPage(
                me: me, message: nil,
                error: "\(account.email) is the only admin; make someone else an admin first.", context: context)
            response.status = .conflict
            return response
        }
        let email = account.email.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .redirect(to: "/admin?changed=\(email)")
    }
}
