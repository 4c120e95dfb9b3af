import Hummingbird
import RoundsStore

/// Turns errors into a readable HTML page with the status and what to do, instead of a bare status
/// line; under `/api/` into JSON, `{"error": {"code": …, "message": …}}`. Messages come from
/// ``PageError`` (written for people) or the HTTP status's reason.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let api = request.uri.path.hasPrefix("/api/")
        var error: PageError
        do {
            return try await next(request, context)
        } catch let caught as PageError {
            error = caught
        } catch StoreError.unavailable(let detail) {
            // A database that is restarting or out of reach: say so, and when to try again, rather than
            // a 500 that reads as a bug. The proxy and /readyz see the same condition.
            context.logger.warning("database unavailable: \(detail)")
            error = PageError(
                status: .serviceUnavailable, code: "database_unavailable",
                message:
                    "The database is not answering right now, so nothing was saved. Go back (what you typed is still in the form) and send it again in a minute."
            )
            error.headers[.retryAfter] = "30"
        } catch let caught as HTTPResponseError {
            let status = caught.status
            error =
                status == .notFound
                ? PageError(status: status, code: "not_found", message: "There is nothing at this address.")
                : PageError(status: status, message: status.reasonPhrase)
        } catch {
            context.logger.error("request failed: \(error)")
            return api
                ? APIResponse.error(
                    PageError(
                        status: .internalServerError, code: "internal",
                        message: "Something went wrong on our side; nothing you sent was lost."))
                : render(
                    status: .internalServerError,
                    message: "Something went wrong on our side; nothing you sent was lost.", context: context)
        }
        var response =
            api ? APIResponse.error(error) : render(status: error.status, message: error.message, context: context)
        for field in error.headers { response.headers.append(field) }
        return response
    }

    func render(status: HTTPResponse.Status, message: String, context: Context) -> Response {
        let page = ErrorPage(status: Int(status.code), reason: status.reasonPhrase, message: message)
        var response = views.response(
            .error, title: "\(status.code) \(status.reasonPhrase)", page: page, context: context)
        response.status = status
        return response
    }
}

/// An error with a message for the person at the browser, and a stable code for API clients.
struct PageError: Error {
    let status: HTTPResponse.Status
    /// Stable, snake_case; documented in the OpenAPI document. Clients branch on it, never on the message.
    let code: String
    let message: String
    /// Added to the response (`Allow` on a 405).
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, code: String? = nil, message: String) {
        self.status = status
        self.code = code ?? Self.defaultCode(status)
        self.message = message
    }

    static func notFound(_ message: String) -> PageError { PageError(status: .notFound, message: message) }
    static func badRequest(_ message: String, code: String = "bad_request") -> PageError {
        PageError(status: .badRequest, code: code, message: message)
    }

    static func defaultCode(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .contentTooLarge: "too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .tooManyRequests: "rate_limited"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}

struct ErrorPage {
    let status: Int
    let reason: String
    let message: String
}
