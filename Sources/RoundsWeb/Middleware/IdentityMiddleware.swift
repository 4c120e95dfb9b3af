import Foundation
import Hummingbird
import RoundsCore

/// Works out who is asking. Single-user mode: the local learner, always. Accounts mode: the account of
/// a personal API token (`Authorization: Bearer rnd_…`), else of the `rounds_session` cookie if its
/// session is in the database and unexpired. Pages that need a learner throw ``SignInRequired``, which
/// becomes a redirect to the sign-in page, or a 401 under `/api/`.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "rounds_session"
    let environment: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.accountsMode = environment.localLearner == nil
        let path = request.uri.path
        context.path = path
        let api = path.hasPrefix("/api/")
        if let local = environment.localLearner {
            // No sign-in, so only a page this machine asked for by a loopback name may act as the learner:
            // a foreign host name here means DNS rebinding, a web page posing as this server.
            if let host = request.head.authority, !Self.isLoopbackAuthority(host) {
                throw PageError(
                    status: .misdirectedRequest, code: "not_loopback",
                    message: "Single-user mode answers only to 127.0.0.1, ::1 or localhost, not to “\(host)”.")
            }
            context.learner = local
            context.authentication = .local
        } else if let header = request.headers[.authorization] {
            guard api else {
                throw PageError(
                    status: .badRequest, code: "token_outside_api",
                    message: "Personal API tokens work only under /api/v1; pages use the sign-in session.")
            }
            guard header.hasPrefix("Bearer "), let account = try await tokenAccount(String(header.dropFirst(7))),
                let learner = try await environment.store.learner(id: account.learnerID)
            else {
                throw PageError(
                    status: .unauthorized, code: "invalid_token",
                    message:
                        "The API token is not valid: it was revoked, mistyped, or is not of the form “Bearer rnd_…”. Create a new one on your account page."
                )
            }
            context.account = account
            context.learner = learner
            context.authentication = .token
        } else if let token = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(token) {
            let hash = SecretToken.hash(token)
            if let account = try await environment.store.sessionAccount(tokenHash: hash, now: Date()),
                let learner = try await environment.store.learner(id: account.learnerID)
            {
                context.account = account
                context.learner = learner
                context.sessionTokenHash = hash
                context.authentication = .session
            }
        }
        if api, context.authentication != .token, ![.get, .head].contains(request.method) {
            try Self.checkSameOrigin(request, secure: environment.configuration.secureCookies)
        }
        do {
            // Everything but the sign-in pages, static files, the API's description and the health checks
            // needs an account.
            if context.learner == nil,
                !["/signin", "/signup", "/api/openapi.yaml", "/healthz", "/readyz"].contains(path),
                !path.hasPrefix("/static/"), !path.hasPrefix("/reset/")
            {
                throw SignInRequired()
            }
            return try await next(request, context)
        } catch is SignInRequired where api {
            throw PageError(
                status: .unauthorized, code: "unauthorized",
                message: "Sign in first, or send a personal API token as “Authorization: Bearer rnd_…”.")
        } catch is SignInRequired {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let next = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return .redirect(to: "/signin?next=\(next)")
        }
    }

    /// The account of a personal API token, if the token is well formed and known.
    func tokenAccount(_ token: String) async throws -> Account? {
        guard APITokens.isWellFormed(token) else { return nil }
        return try await environment.store.apiTokenAccount(tokenHash: SecretToken.hash(token), at: Date())
    }

    /// API writes that ride on a cookie (or on single-user mode's loopback trust) must be requests a
    /// browser sends cross-site only after a CORS preflight, which Rounds never grants: a JSON body, or a
    /// DELETE. An Origin header, when present, must be this server's own: its host, port and scheme
    /// (https when the request came over HTTPS, per X-Forwarded-Proto or `http.secure_cookies`), so
    /// that a plain-HTTP page on the same host cannot write to the HTTPS site.
    static func checkSameOrigin(_ request: Request, secure: Bool) throws {
        let forwarded = request.headers[.init("X-Forwarded-Proto")!]?.lowercased()
        let scheme = request.head.scheme?.lowercased() ?? forwarded ?? (secure ? "https" : "http")
        if let origin = request.headers[.origin], let authority = request.head.authority,
            URL(string: origin).map({ url in
                (url.scheme?.lowercased() ?? "") + "://" + (url.host ?? "") + (url.port.map { ":\($0)" } ?? "")
            }) != scheme + "://" + authority
        {
            throw PageError(
                status: .forbidden, code: "cross_site",
                message: "This request came from another site (\(origin)); Rounds accepts API writes only from itself.")
        }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if [.post, .put].contains(request.method), !type.hasPrefix("application/json") {
            throw PageError(
                status: .unsupportedMediaType, code: "json_required",
                message: "Send the body as JSON with “Content-Type: application/json”.")
        }
    }

    /// True for `localhost`, `127.x.x.x` and `[::1]`, with or without a port.
    static func isLoopbackAuthority(_ authority: String) -> Bool {
        var host = authority.lowercased()
        if host.hasPrefix("[") {
            host = String(host.dropFirst().prefix { $0 != "]" })
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let ipv4Loopback =
            octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        return host == "localhost" || host == "::1" || ipv4Loopback
    }
}

/// Thrown by a page that needs a signed-in learner.
struct SignInRequired: Error {}
