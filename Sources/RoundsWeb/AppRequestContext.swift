import Hummingbird
import RoundsCore

/// The per-request context: Hummingbird's core storage plus the CSRF token of the browser that sent
/// the request, which every form echoes back.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``CSRFMiddleware`` before any handler runs.
    var csrfToken = ""
    /// Who is practising: the local learner in single-user mode, the signed-in account's learner
    /// otherwise; nil for a visitor who has not signed in. Set by ``IdentityMiddleware``.
    var learner: Learner?
    /// True when the server runs with accounts (sign-in links in the header).
    var accountsMode = false
    /// The request's path, for marking the current page in the navigation.
    var path = ""
    /// The signed-in account (accounts mode only).
    var account: Account?
    /// The hash of the session token that identified the account, to end or keep that session.
    var sessionTokenHash: String?
    /// How the learner was identified; decides whether an API write needs cross-site protection.
    var authentication: Authentication?

    enum Authentication: Sendable {
        /// Single-user mode: whoever reaches the loopback address.
        case local
        /// A browser's session cookie.
        case session
        /// A personal API token in the Authorization header.
        case token
    }

    /// The learner, or a redirect to the sign-in page.
    func requireLearner() throws -> Learner {
        guard let learner else { throw SignInRequired() }
        return learner
    }

    /// The client's address, the key of the per-address sign-in limit.
    let remoteAddress: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
