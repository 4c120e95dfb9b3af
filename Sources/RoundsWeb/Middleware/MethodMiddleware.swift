import Hummingbird
import Synchronization

/// Answers a request for an address that exists, made with a method it does not take, with
/// `405 Method Not Allowed` and an `Allow` header, instead of the router's `404`. It runs before the
/// CSRF check, so a POST to a page that only reads is told that, not that its token is missing.
struct MethodMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if let allowed = routes.methods(for: request.uri.path), !allowed.contains(request.method) {
            let names = allowed.map(\.rawValue).sorted()
            var error = PageError(
                status: .methodNotAllowed,
                message: "This address takes \(names.joined(separator: ", ")), not \(request.method.rawValue).")
            error.headers[.allow] = names.joined(separator: ", ")
            throw error
        }
        return try await next(request, context)
    }
}

/// The router's paths and their methods, filled once the routes are registered (the middleware that
/// reads it is added before them).
final class RouteTable: Sendable {
    private let entries = Mutex<[(components: [Substring], methods: Set<HTTPRequest.Method>)]>([])

    /// Records every route; a GET route also answers HEAD (the router generates those).
    func fill(_ routes: [Router<AppRequestContext>.RouteDescription]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            byPath["\(route.path)", default: []].insert(route.method)
            if route.method == .get { byPath["\(route.path)", default: []].insert(.head) }
        }
        entries.withLock { entries in
            entries = byPath.map { (components: $0.key.split(separator: "/"), methods: $0.value) }
        }
    }

    /// The methods of the route whose path matches, or nil when no route has this path.
    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = path.split(separator: "/")
        return entries.withLock { entries in
            var found: Set<HTTPRequest.Method>?
            for entry in entries where Self.matches(entry.components, parts) {
                found = (found ?? []).union(entry.methods)
            }
            return found
        }
    }

    static func matches(_ pattern: [Substring], _ parts: [Substring]) -> Bool {
        if pattern.last == "**" {
            return parts.count >= pattern.count - 1
                && matches(Array(pattern.dropLast()), Array(parts.prefix(pattern.count - 1)))
        }
        guard pattern.count == parts.count else { return false }
        return zip(pattern, parts).allSatisfy { pattern, part in Self.matches(component: pattern, part) }
    }

    /// One component as the router prints it: `questions`, `{id}`, `{id}.json`, `*`, `*.css`.
    static func matches(component pattern: Substring, _ part: Substring) -> Bool {
        if let open = pattern.firstIndex(of: "{"), let close = pattern.firstIndex(of: "}") {
            let prefix = pattern[..<open]
            let suffix = pattern[pattern.index(after: close)...]
            return part.count > prefix.count + suffix.count && part.hasPrefix(prefix) && part.hasSuffix(suffix)
        }
        if pattern == "*" { return true }
        if pattern.hasPrefix("*") { return part.hasSuffix(pattern.dropFirst()) }
        if pattern.hasSuffix("*") { return part.hasPrefix(pattern.dropLast()) }
        return pattern == part
    }
}
