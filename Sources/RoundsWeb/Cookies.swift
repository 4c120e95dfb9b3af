import Hummingbird

/// The two cookies Rounds sets, both HttpOnly so that no script can read them.
enum Cookies {
    /// The CSRF double-submission cookie: SameSite=Strict, sent back only by this site's own pages.
    static func csrf(_ token: String) -> Cookie {
        Cookie(name: CSRFMiddleware.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// The session cookie (accounts mode): SameSite=Lax, so that following a link to Rounds from
    /// elsewhere keeps the learner signed in; Secure over HTTPS. An empty value with `maxAge` 0 ends it.
    static func session(_ value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(
            name: IdentityMiddleware.cookieName, value: value, maxAge: maxAge, path: "/", secure: secure,
            httpOnly: true, sameSite: .lax)
    }

    /// True when the request reached the server as HTTPS, directly or per a proxy's X-Forwarded-Proto,
    /// or when configuration says every cookie is Secure (`http.secure_cookies`).
    static func isSecure(_ request: Request, configuration: WebConfiguration) -> Bool {
        configuration.secureCookies || request.headers[.init("X-Forwarded-Proto")!] == "https"
            || request.uri.scheme == .https
    }
}
