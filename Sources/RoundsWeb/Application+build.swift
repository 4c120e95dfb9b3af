import Configuration
import Foundation
import Hummingbird
import Logging
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsStore

/// What the server needs to start, read from swift-configuration (command line, environment, `.env`).
///
/// Keys: `http.host` (default 127.0.0.1), `http.port` (8080), `db.sqlite.path` (the same per-user
/// database as the command line), `content.path` (extra packs, separated by `:`), `log.level` (info).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databasePath: String
    public var contentPaths: [String]
    public var logLevel: Logger.Level

    public init(reader: ConfigReader) {
        host = reader.string(forKey: "http.host", default: "127.0.0.1")
        port = reader.int(forKey: "http.port", default: 8080)
        databasePath = reader.string(forKey: "db.sqlite.path", default: SQLiteStore.defaultPath())
        contentPaths = reader.string(forKey: "content.path", default: "").split(separator: ":").map(String.init)
        logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
    }

    /// True for an address only this machine can reach. Single-user mode has no sign-in, so the server
    /// refuses any other address rather than publish someone's history to the network.
    public var isLoopback: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}

/// Errors that stop the server from starting, each with the fix.
public enum WebStartupError: Error, CustomStringConvertible {
    case notLoopback(String)
    case database(String, String)

    public var description: String {
        switch self {
        case .notLoopback(let host):
            "refusing to listen on \(host): single-user mode has no sign-in, so it serves only this machine (127.0.0.1 or ::1). Use --host 127.0.0.1."
        case .database(let path, let reason):
            "cannot open the database at \(path): \(reason). Choose another file with --db or ROUNDS_DB."
        }
    }
}

/// Builds the whole web application from configuration: everything a test or `rounds serve` runs.
public func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let configuration = WebConfiguration(reader: reader)
    var logger = Logger(label: "rounds")
    logger.logLevel = configuration.logLevel
    guard configuration.isLoopback else { throw WebStartupError.notLoopback(configuration.host) }

    let library = ContentLoader.standard(extra: configuration.contentPaths.map { URL(fileURLWithPath: $0) }).load()
        .library
    let store: SQLiteStore
    do {
        store =
            configuration.databasePath == ":memory:"
            ? try SQLiteStore.inMemory() : try SQLiteStore(path: configuration.databasePath)
    } catch {
        throw WebStartupError.database(configuration.databasePath, "\(error)")
    }
    let environment = try await WebEnvironment(library: library, store: store)
    let router = buildRouter(environment: environment)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Rounds"),
        logger: logger
    )
}

/// The router: middleware, then the pages.
func buildRouter(environment: WebEnvironment) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        LogRequestsMiddleware(.info)
        SecurityHeadersMiddleware()
        ErrorPageMiddleware(views: environment.views)
        CSRFMiddleware()
        FileMiddleware(
            environment.publicFolder, urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])]))
    }
    PagesController(environment: environment).addRoutes(to: router)
    return router
}

/// What every handler shares: the bank, the feedback engine, the store and the page renderer.
struct WebEnvironment: Sendable {
    let library: ContentLibrary
    let search: QuestionSearch
    let engine: FeedbackEngine
    let store: SQLiteStore
    let views: Views
    let publicFolder: String
    /// Single-user mode: everyone who can reach the loopback address is this learner.
    let learner: Learner

    init(library: ContentLibrary, store: SQLiteStore) async throws {
        self.library = library
        search = QuestionSearch(library: library)
        engine = FeedbackEngine(globalMisconceptions: library.globalMisconceptions)
        self.store = store
        views = try await Views()
        publicFolder = Bundle.module.resourceURL!.appendingPathComponent("Public").path
        learner = try await store.learner(named: "local")
    }

    /// The learner as stored now (settings change while the server runs).
    func currentLearner() async throws -> Learner {
        try await store.learner(id: learner.id) ?? learner
    }
}
