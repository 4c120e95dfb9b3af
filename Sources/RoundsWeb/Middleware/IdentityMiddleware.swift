import Crypto
import Foundation
import Hummingbird
import RoundsCore

/// Works out who is asking. Single-user mode: the local learner, always. Accounts mode: the account of
/// the `rounds_session` cookie, if its session is in the database and unexpired. Pages that need a
/// learner throw ``SignInRequired``, which becomes a redirect to the sign-in page.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "rounds_session"
    let environment: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        context.accountsMode = environment.localLearner == nil
        if let local = environment.localLearner {
            context.learner = local
        } else if let token = request.cookies[Self.cookieName]?.value, CSRFMiddleware.isWellFormed(token) {
            let hash = Self.hash(token)
            if let account = try await environment.store.sessionAccount(tokenHash: hash, now: Date()),
                let learner = try await environment.store.learner(id: account.learnerID)
            {
                context.account = account
                context.learner = learner
                context.sessionTokenHash = hash
            }
        }
        do {
            // Everything but the sign-in pages and static files needs an account in accounts mode.
            let path = request.uri.path
            if context.learner == nil, !["/signin", "/signup"].contains(path), !path.hasPrefix("/static/") {
                throw SignInRequired()
            }
            return try await next(request, context)
        } catch is SignInRequired {
            let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let next = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return .redirect(to: "/signin?next=\(next)")
        }
    }

    /// Sessions are stored by the SHA-256 of their token, so a copy of the database cannot sign anyone in.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Thrown by a page that needs a signed-in learner.
struct SignInRequired: Error {}
