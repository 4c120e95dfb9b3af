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
        let token = existing.flatMap { Self.isWellFormed($0) ? $0 : nil } ?? Self.newToken()
        context.csrfToken = token
        var response = try await next(request, context)
        if existing != token {
            response.setCookie(
                Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// 32 random bytes as 64 hexadecimal digits.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 64 && token.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
