import Foundation
import Hummingbird
import RoundsCore
import RoundsLabs

/// Accounts mode: sign up, sign in, sign out, change password, delete the account and all its data.
///
/// Passwords follow `Passwords`: bcrypt at cost 12 on a bounded queue of its own. Sessions
/// live in the database under the SHA-256 of a random 256-bit token, and a new token is issued at every
/// sign-in (no session fixation). Failed sign-ins are counted per account and per address in the
/// database, so the limit holds across server instances.
struct AccountsController: Sendable {
    let environment: WebEnvironment

    static let sessionLifetime: TimeInterval = 14 * 86_400
    /// Failed sign-ins allowed per account and per address in `failureWindow` before refusing.
    static let failuresPerAccount = 5
    static let failuresPerAddress = 20
    static let failureWindow: TimeInterval = 15 * 60

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/signup", use: signUpPage)
        router.post("/signup", use: signUp)
        router.get("/signin", use: signInPage)
        router.post("/signin", use: signIn)
        router.post("/signout", use: signOut)
        router.get("/account", use: accountPage)
        router.post("/account/password", use: changePassword)
        router.post("/account/delete", use: deleteAccount)
        router.post("/account/tokens", use: createToken)
        router.post("/account/tokens/:id/revoke", use: revokeToken)
    }

    struct AuthForm: Decodable {
        let csrf: String?
        let email: String?
        let password: String?
        let next: String?
    }

    // MARK: Sign up

    @Sendable func signUpPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        page(.signup, title: "Create an account", email: "", next: "/", error: nil, context: context)
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(AuthForm.self, context: context)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form.password ?? ""
        func again(_ message: String) -> Response {
            var response = page(
                .signup, title: "Create an account", email: email, next: "/", error: message, context: context)
            response.status = .badRequest
            return response
        }
        guard Self.isPlausibleEmail(email) else { return again("Enter an email address such as name@example.org.") }
        if let problem = Passwords.problem(password) { return again(problem) }
        // Each sign-up costs a bcrypt hash: the hourly limit per address (`auth.signups_per_hour`) leaves
        // room for a class behind one address and stops a script from spending the processors on them.
        let now = Date()
        guard
            try await environment.store.reserveAttempt(
                limits: ["sign-up:\(clientAddress(request, context))": environment.configuration.signUpsPerHour],
                since: now.addingTimeInterval(-3600), at: now) != nil
        else {
            var response = again(
                "Too many accounts were created from this address in the last hour. Try again in an hour, or ask your programme's administrator."
            )
            response.status = .tooManyRequests
            response.headers[.retryAfter] = "3600"
            return response
        }
        let hash = try await Passwords.hash(password)
        guard
            let account = try await environment.store.createAccount(
                email: email, passwordHash: hash, role: .learner, at: Date())
        else { return again("An account with this email already exists. Sign in instead.") }
        return try await startSession(for: account, next: "/", request: request)
    }

    // MARK: Sign in

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        let notice =
            request.uri.queryParameters["reset"] == "1"
            ? "Your new password is set, and every other session was signed out. Sign in with it." : nil
        return page(.signin, title: "Sign in", email: "", next: next, error: nil, notice: notice, context: context)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(AuthForm.self, context: context)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = Self.safeNext(form.next)
        let now = Date()
        let since = now.addingTimeInterval(-Self.failureWindow)
        let store = environment.store
        // Counted as a failure before the password is checked, in the same transaction as the check of
        // the limit: 40 simultaneous guesses get at most `failuresPerAccount` bcrypt verifications.
        guard
            let reserved = try await store.reserveAttempt(
                limits: [
                    "email:\(email)": Self.failuresPerAccount,
                    "address:\(clientAddress(request, context))": Self.failuresPerAddress,
                ],
                since: since, at: now)
        else {
            var response = page(
                .signin, title: "Sign in", email: email, next: next,
                error: "Too many failed sign-ins. Wait 15 minutes, then try again.", context: context)
            response.status = .tooManyRequests
            response.headers[.retryAfter] = "900"
            return response
        }
        let account = try await store.account(email: email)
        // An unknown email still costs one bcrypt verification, so timing does not reveal who has an account.
        let verified = try await Passwords.verify(
            form.password ?? "", hash: account?.passwordHash ?? Passwords.decoyHash)
        guard let account, verified else {
            var response = page(
                .signin, title: "Sign in", email: email, next: next, error: "That email and password do not match.",
                context: context)
            response.status = .unauthorized
            return response
        }
        try await store.forgetAttempts(ids: reserved)
        return try await startSession(for: account, next: next, request: request)
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.decodeForm(AuthForm.self, context: context)
        if let hash = context.sessionTokenHash { try await environment.store.deleteSession(tokenHash: hash) }
        var response = Response.redirect(to: "/signin")
        response.setCookie(sessionCookie(value: "", maxAge: 0, request: request))
        return response
    }

    // MARK: Account

    @Sendable func accountPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try requireAccount(context)
        let query = request.uri.queryParameters
        let message =
            query["changed"] == "1"
            ? "Password changed; other sessions were signed out."
            : query["revoked"] == "1" ? "Token revoked; it no longer works." : nil
        return try await accountResponse(account, message: message, error: nil, context: context)
    }

    struct PasswordForm: Decodable {
        let csrf: String?
        let current: String?
        let new: String?
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try requireAccount(context)
        let form = try await request.decodeForm(PasswordForm.self, context: context)
        guard try await Passwords.verify(form.current ?? "", hash: account.passwordHash) else {
            return try await accountResponse(
                account, message: nil, error: "The current password is not right.", context: context,
                status: .badRequest)
        }
        let new = form.new ?? ""
        if let problem = Passwords.problem(new) {
            return try await accountResponse(
                account, message: nil, error: problem, context: context, status: .badRequest)
        }
        try await environment.store.changePassword(
            hash: try await Passwords.hash(new), accountID: account.id, keepingSession: context.sessionTokenHash)
        return .redirect(to: "/account?changed=1")
    }

    struct DeleteForm: Decodable {
        let csrf: String?
        let password: String?
    }

    @Sendable func deleteAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try requireAccount(context)
        let form = try await request.decodeForm(DeleteForm.self, context: context)
        guard try await Passwords.verify(form.password ?? "", hash: account.passwordHash) else {
            return try await accountResponse(
                account, message: nil, error: "To delete the account, type its password.", context: context,
                status: .badRequest)
        }
        try await environment.store.deleteAccount(id: account.id)
        var response = Response.redirect(to: "/signup?deleted=1")
        response.setCookie(sessionCookie(value: "", maxAge: 0, request: request))
        return response
    }

    // MARK: Helpers

    /// The address the per-address limits count: the peer's, or the client's behind a trusted proxy.
    func clientAddress(_ request: Request, _ context: AppRequestContext) -> String {
        ClientAddress.of(
            peer: context.remoteAddress, forwardedFor: request.headers[ClientAddress.forwardedFor],
            trustedProxies: environment.configuration.trustedProxies)
    }

    func requireAccount(_ context: AppRequestContext) throws -> Account {
        guard let account = context.account else { throw SignInRequired() }
        return account
    }

    func page(
        _ template: Template, title: String, email: String, next: String, error: String?, notice: String? = nil,
        context: AppRequestContext
    )
        -> Response
    {
        environment.views.response(
            template, title: title,
            page: AuthPage(
                csrf: context.csrfToken, email: email, next: next, error: error, minimum: Passwords.lengths.lowerBound,
                notice: notice),
            context: context)
    }

    func accountResponse(
        _ account: Account, message: String?, error: String?, context: AppRequestContext,
        status: HTTPResponse.Status = .ok, newSecret: String? = nil
    ) async throws -> Response {
        let tokens = try await environment.store.apiTokens(accountID: account.id).map {
            TokenRow(
                id: $0.id, name: $0.name, created: $0.createdAt.formatted(date: .abbreviated, time: .shortened),
                lastUsed: $0.lastUsedAt?.formatted(date: .abbreviated, time: .shortened) ?? "never")
        }
        var response = environment.views.response(
            .account, title: "Your account",
            page: AccountPage(
                csrf: context.csrfToken, email: account.email, role: account.role.rawValue, message: message,
                error: error, minimum: Passwords.lengths.lowerBound, tokens: tokens, hasTokens: !tokens.isEmpty,
                newSecret: newSecret),
            context: context)
        response.status = status
        return response
    }

    // MARK: API tokens

    struct TokenForm: Decodable {
        let csrf: String?
        let name: String?
    }

    /// Creates a personal API token and shows its secret once, on the page that answers the form (not
    /// after a redirect, so the secret never sits in a URL or the history).
    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(TokenForm.self, context: context)
        let account = try requireAccount(context)
        do {
            let (token, secret) = try await APIController.create(
                named: form.name ?? "", account: account, store: environment.store)
            var response = try await accountResponse(
                account, message: "Token “\(token.name)” created. Copy it now: it is not shown again.", error: nil,
                context: context, newSecret: secret)
            response.headers[.cacheControl] = "no-store"
            return response
        } catch let error as PageError {
            return try await accountResponse(
                account, message: nil, error: error.message, context: context, status: error.status)
        }
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await request.decodeForm(TokenForm.self, context: context)
        let account = try requireAccount(context)
        guard let id = context.parameters.get("id", as: Int64.self),
            try await environment.store.revokeAPIToken(id: id, accountID: account.id)
        else { throw PageError.notFound("You have no API token with that number.") }
        return .redirect(to: "/account?revoked=1")
    }

    func startSession(for account: Account, next: String, request: Request) async throws -> Response {
        let token = SecretToken.make()
        let now = Date()
        try await environment.store.createSession(
            tokenHash: SecretToken.hash(token), accountID: account.id,
            expiresAt: now.addingTimeInterval(Self.sessionLifetime), at: now)
        var response = Response.redirect(to: next)
        response.setCookie(sessionCookie(value: token, maxAge: Int(Self.sessionLifetime), request: request))
        return response
    }

    func sessionCookie(value: String, maxAge: Int, request: Request) -> Cookie {
        Cookies.session(
            value, maxAge: maxAge, secure: Cookies.isSecure(request, configuration: environment.configuration))
    }

    /// Only paths on this site: "/questions", never "//evil.example" or "https://…".
    /// Where to go after signing in: a path on this site, else `/`. The path must start with one `/`
    /// followed by a path character, and neither it nor its percent-decoded form may hold a backslash,
    /// white space or a control character: browsers drop a tab or newline, so `/<TAB>/evil.example`
    /// would become `//evil.example`, another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.count < 500, isLocalPath(next), isLocalPath(next.removingPercentEncoding ?? "")
        else { return "/" }
        return next
    }

    static func isLocalPath(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        if let second = path.dropFirst().first,
            !(second.isLetter || second.isNumber || "-_.~?#".contains(second))
        {
            return false
        }
        return !path.unicodeScalars.contains { scalar in
            scalar == "\\" || scalar.properties.generalCategory == .control
                || CharacterSet.whitespacesAndNewlines.contains(scalar)
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@")
        return email.count <= 254 && parts.count == 2 && parts[1].contains(".") && !email.contains(" ")
    }
}
