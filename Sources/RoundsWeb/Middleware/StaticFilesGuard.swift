import Hummingbird

/// Stands before the file middleware: a path under `/static/` must name a file, in plain characters.
///
/// The file middleware decodes `%00`, takes the content type from the text after it
/// (`style.css%00.js` came back as JavaScript) while the file system stops at the NUL, and answers a
/// trailing slash (`style.css/`) with the file. Both are 404 here, as is any control character.
struct StaticFilesGuard: RouterMiddleware {
    typealias Context = AppRequestContext
    static let prefix = "/static/"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let raw = request.uri.path
        guard raw.hasPrefix(Self.prefix) else { return try await next(request, context) }
        guard let path = raw.removingPercentEncoding, Self.isPlainFileName(path.dropFirst(Self.prefix.count)) else {
            throw PageError.notFound("There is no file at this address.")
        }
        return try await next(request, context)
    }

    /// Letters, digits, `-`, `_` and `.`, in one or more folders; no empty part, no `..`, no trailing slash.
    static func isPlainFileName(_ name: Substring) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.isEmpty
            && parts.allSatisfy { part in
                !part.isEmpty && part != "." && part != ".."
                    && part.unicodeScalars.allSatisfy { scalar in
                        scalar.isASCII
                            && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                                || "-_.".unicodeScalars.contains(scalar))
                    }
            }
    }
}
