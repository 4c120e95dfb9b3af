import Hummingbird

/// Turns errors into a readable HTML page with the status and what to do, instead of a bare status
/// line. Messages come from ``PageError`` (written for people) or the HTTP status's reason.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as PageError {
            return render(status: error.status, message: error.message, context: context)
        } catch let error as HTTPResponseError {
            let status = error.status
            if status == .notFound {
                return render(status: status, message: "There is no page at this address.", context: context)
            }
            return render(status: status, message: status.reasonPhrase, context: context)
        } catch {
            context.logger.error("request failed: \(error)")
            return render(
                status: .internalServerError, message: "Something went wrong on our side; nothing you sent was lost.",
                context: context)
        }
    }

    func render(status: HTTPResponse.Status, message: String, context: Context) -> Response {
        let page = ErrorPage(status: Int(status.code), reason: status.reasonPhrase, message: message)
        var response = views.response(
            "error", title: "\(status.code) \(status.reasonPhrase)", page: page, context: context)
        response.status = status
        return response
    }
}

/// An error with a message for the person at the browser.
struct PageError: Error {
    let status: HTTPResponse.Status
    let message: String

    static func notFound(_ message: String) -> PageError { PageError(status: .notFound, message: message) }
    static func badRequest(_ message: String) -> PageError { PageError(status: .badRequest, message: message) }
}

struct ErrorPage {
    let status: Int
    let reason: String
    let message: String
}
