import Hummingbird

/// The per-request context: Hummingbird's core storage plus the CSRF token of the browser that sent
/// the request, which every form echoes back.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by ``CSRFMiddleware`` before any handler runs.
    var csrfToken = ""

    init(source: Source) {
        coreContext = .init(source: source)
    }
}
