import Foundation
import Hummingbird
import RoundsCore
import RoundsStore

/// One-time links that let someone who forgot their password set a new one (accounts mode, issue 18).
/// Rounds sends no email, so an admin makes the link, on the Admin page or with
/// `rounds accounts reset-link EMAIL`, and gives it to the person. A link works once, for 24 hours, and
/// only the newest one of an account works; using it signs the account out everywhere and revokes its
/// API tokens, as a password change does. Tokens are stored by their SHA-256, like sessions.
public enum PasswordResetLinks {
    public static let lifetime: TimeInterval = 24 * 3600

    /// Makes a link for `accountID` and returns its path (`/reset/TOKEN`) and when it expires.
    public static func create(accountID: Int64, store: any Storage, now: Date = Date()) async throws
        -> (path: String, expires: Date)
    {
        let token = SecretToken.make()
        let expires = now.addingTimeInterval(lifetime)
        try await store.createPasswordReset(
            tokenHash: SecretToken.hash(token), accountID: accountID, expiresAt: expires, at: now)
        return ("/reset/\(token)", expires)
    }
}

struct PasswordResetController: Sendable {
    let environment: WebEnvironment

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/reset/:token", use: form)
        router.post("/reset/:token", use: reset)
        router.post("/admin/accounts/:id/reset", use: makeLink)
    }

    static let invalid = PageError(
        status: .notFound, code: "reset_link_invalid",
        message:
            "This password-reset link does not work: it has been used, it is more than 24 hours old, or a newer link replaced it. Ask an admin for a new one."
    )

    /// The token of the path, if it has the form of one; anything else is simply not a valid link.
    func link(_ context: AppRequestContext) async throws -> (token: String, account: Account, expires: Date) {
        let token = context.parameters.get("token") ?? ""
        guard SecretToken.isWellFormed(token),
            let (account, expires) = try await environment.store.passwordResetAccount(
                tokenHash: SecretToken.hash(token), now: Date())
        else { throw Self.invalid }
        return (token, account, expires)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (token, account, expires) = try await link(context)
        return page(token: token, account: account, expires: expires, error: nil, context: context)
    }

    func page(token: String, account: Account, expires: Date, error: String?, context: AppRequestContext)
        -> Response
    {
        environment.views.response(
            .reset, title: "Set a new password",
            page: ResetPage(
                csrf: context.csrfToken, token: token, email: account.email,
                expires: expires.formatted(date: .abbreviated, time: .shortened), error: error),
            context: context)
    }

    struct ResetForm: Decodable {
        let csrf: String?
        let password: String?
    }

    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(ResetForm.self, context: context)
        let (token, account, expires) = try await link(context)
        let password = form.password ?? ""
        if let problem = Passwords.problem(password) {
            var response = page(token: token, account: account, expires: expires, error: problem, context: context)
            response.status = .badRequest
            return response
        }
        let hash = try await Passwords.hash(password)
        guard
            try await environment.store.redeemPasswordReset(
                tokenHash: SecretToken.hash(token), passwordHash: hash, now: Date()) != nil
        else { throw Self.invalid }
        // Whoever was signed in in this browser is signed out: the sessions of the account are gone.
        return .redirect(to: "/signin?reset=1")
    }

    /// A form of one button: only its CSRF token.
    struct ButtonForm: Decodable {
        let csrf: String?
    }

    /// The Admin page's button: makes a link and shows it once, with the address the admin is using.
    @Sendable func makeLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.decodeForm(ButtonForm.self, context: context)
        let cohort = CohortController(environment: environment)
        let me = try cohort.require([.admin], context)
        guard let id = context.parameters.get("id", as: Int64.self),
            let account = try await environment.store.account(id: id)
        else { throw PageError.notFound("There is no account with that number.") }
        let (path, expires) = try await PasswordResetLinks.create(accountID: account.id, store: environment.store)
        let scheme = environment.configuration.secureCookies ? "https" : "http"
        let link = request.head.authority.map { "\(scheme)://\($0)\(path)" } ?? path
        return try await cohort.adminPage(
            me: me,
            message:
                "A one-time link for \(account.email), valid until \(expires.formatted(date: .abbreviated, time: .shortened)): \(link). Give it to them in person or by a channel you trust; it is shown only now, and it replaces any earlier link.",
            error: nil, context: context)
    }
}
