import Hummingbird

/// Cross-site request forgery protection by double submission: each browser gets a random token in a
/// SameSite=Strict, HttpOnly cookie, every form carries the same token in a hidden field, and a POST
/// whose field does not match its cookie is refused. Another site can make the browser send the cookie
/// only without SameSite's help, and can never read it to fill the field.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "rounds_csrf"
    static let fieldName = "csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let existing = request.cookies[Self.cookieName]?.value
        let token = existing.flatMap { SecretToken.isWellFormed($0) ? $0 : nil } ?? SecretToken.make()
        context.csrfToken = token
        var response = try await next(request, context)
        if existing != token {
            response.setCookie(Cookies.csrf(token))
        }
        return response
    }
}
