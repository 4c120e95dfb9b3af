import Configuration
import Foundation
import Hummingbird
import Logging
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsLabs
import RoundsStore

/// What the server needs to start, read from swift-configuration (command line, environment, `.env`).
///
/// Keys: `http.host` (default 127.0.0.1), `http.port` (8080), `db.sqlite.path` (the same per-user
/// database as the command line), `content.path` (extra packs, separated by `:`), `ehr.path` (the SQL
/// labs' databases), `ehr.patients` (their size; default 100,000), `log.level` (info).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var databasePath: String
    public var contentPaths: [String]
    public var logLevel: Logger.Level
    /// Where the SQL labs' databases live (`ehr.path`; default: ROUNDS_EHR_DIR or ~/.local/share/rounds/ehr).
    public var ehrDirectory: String
    /// The visible SQL lab database's size in patients (`ehr.patients`; default ROUNDS_EHR_PATIENTS or 100,000).
    public var ehrPatients: Int?
    /// `single` (no sign-in, loopback only; the default) or `accounts` (sign-up and sign-in).
    public var authMode: AuthMode
    /// Mark every cookie Secure (`http.secure_cookies`; off by default, so that a plain-HTTP loopback
    /// server works). A request that arrives as HTTPS, directly or per X-Forwarded-Proto, gets Secure
    /// cookies either way; turn this on behind a proxy that terminates TLS without saying so.
    public var secureCookies: Bool
    /// Accounts one address may create per hour (`auth.signups_per_hour`; default 100). Each costs a
    /// bcrypt hash; a class signing up together from one network address needs room.
    public var signUpsPerHour: Int
    /// Seconds a keep-alive connection may sit idle (`http.idle_timeout`; default 60).
    public var idleTimeout: Int
    /// Connection limits the router never sees: per address, header and body deadlines
    /// (`http.connections_per_address` 64, `http.header_timeout` 20 s, `http.body_timeout` 60 s).
    public var connectionLimits: ConnectionLimits

    public enum AuthMode: String, Sendable {
        case single, accounts
    }

    public init(reader: ConfigReader) {
        host = reader.string(forKey: "http.host", default: "127.0.0.1")
        port = reader.int(forKey: "http.port", default: 8080)
        databasePath = reader.string(forKey: "db.sqlite.path", default: SQLiteStore.defaultPath())
        contentPaths = reader.string(forKey: "content.path", default: "").split(separator: ":").map(String.init)
        ehrDirectory = reader.string(forKey: "ehr.path", default: LabDatabases.defaultDirectory())
        ehrPatients = reader.int(forKey: "ehr.patients")
        logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        authMode = AuthMode(rawValue: reader.string(forKey: "auth.mode", default: "single")) ?? .single
        secureCookies = reader.bool(forKey: "http.secure_cookies", default: false)
        signUpsPerHour = max(1, reader.int(forKey: "auth.signups_per_hour", default: 100))
        idleTimeout = max(1, reader.int(forKey: "http.idle_timeout", default: 60))
        connectionLimits = ConnectionLimits(
            perAddress: max(1, reader.int(forKey: "http.connections_per_address", default: 64)),
            headerTimeout: .seconds(Int64(max(1, reader.int(forKey: "http.header_timeout", default: 20)))),
            bodyTimeout: .seconds(Int64(max(1, reader.int(forKey: "http.body_timeout", default: 60)))))
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
            "refusing to listen on \(host): single-user mode has no sign-in, so it serves only this machine (127.0.0.1 or ::1). Use --host 127.0.0.1, or --accounts to require sign-in."
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
    if configuration.authMode == .single, !configuration.isLoopback {
        throw WebStartupError.notLoopback(configuration.host)
    }

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
    let environment = try await WebEnvironment(library: library, store: store, configuration: configuration)
    let router = buildRouter(environment: environment)
    let counts = ConnectionCounts()
    let limits = configuration.connectionLimits
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(limits: limits, counts: counts)],
                idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Rounds"),
        logger: logger
    )
}

/// The router: middleware, then the pages.
func buildRouter(environment: WebEnvironment) -> Router<AppRequestContext> {
    // HEAD is answered by each GET route without its body; a known address asked with another
    // method gets 405 with Allow (issue 21), not 404.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteTable()
    router.addMiddleware {
        LogRequestsMiddleware(.info)
        SecurityHeadersMiddleware()
        ErrorPageMiddleware(views: environment.views)
        MethodMiddleware(routes: routes)
        CSRFMiddleware()
        IdentityMiddleware(environment: environment)
        StaticFilesGuard()
        FileMiddleware(
            environment.publicFolder, urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])])
        ).withAdditionalMediaTypes(forFileExtensions: ["yaml": MediaType(type: .application, subType: "yaml")])
    }
    PagesController(environment: environment).addRoutes(to: router)
    HistoryController(environment: environment).addRoutes(to: router)
    BankController(environment: environment).addRoutes(to: router)
    MockController(environment: environment).addRoutes(to: router)
    LabsController(environment: environment).addRoutes(to: router)
    APIController(environment: environment).addRoutes(to: router)
    if environment.configuration.authMode == .accounts {
        AccountsController(environment: environment).addRoutes(to: router)
        CohortController(environment: environment).addRoutes(to: router)
        PasswordResetController(environment: environment).addRoutes(to: router)
    }
    routes.fill(router.routes)
    return router
}

/// What every handler shares: the bank, the feedback engine, the store and the page renderer.
struct WebEnvironment: Sendable {
    let library: ContentLibrary
    let search: QuestionSearch
    let engine: FeedbackEngine
    /// Grades lab hand-ins; holds the search labs' fixture sets, parsed once.
    let labGrader: LabGrader
    let store: SQLiteStore
    let views: Views
    let pageCache = PageCache()
    /// Feedback is computed on threads of its own, as many at once as there are processors: a burst of
    /// long answers waits its turn instead of occupying the pool that serves pages and the store.
    let graders = JudgeQueue(slots: ProcessInfo.processInfo.activeProcessorCount, maximumWaiting: 256)
    let publicFolder: String
    let configuration: WebConfiguration
    /// Single-user mode: everyone who can reach the loopback address is this learner.
    let localLearner: Learner?

    /// The feedback on an answer, from the bounded grading queue; 503 when too many wait.
    func feedback(_ answer: String, for question: Question) async throws -> Feedback {
        do {
            return try await graders.run { [engine] in engine.evaluate(answer, for: question) }.value
        } catch is JudgeQueue.Full {
            throw PageError(
                status: .serviceUnavailable, code: "graders_busy",
                message: "Many answers are being graded at once; nothing was saved. Send yours again in a minute.")
        }
    }

    init(library: ContentLibrary, store: SQLiteStore, configuration: WebConfiguration) async throws {
        self.library = library
        search = QuestionSearch(library: library)
        engine = FeedbackEngine(globalMisconceptions: library.globalMisconceptions, facts: library.facts)
        labGrader = LabGrader(
            fixtures: library.labFixtures,
            sql: SQLJudge(
                databases: LabDatabases(directory: configuration.ehrDirectory, patients: configuration.ehrPatients)))
        self.store = store
        views = try await Views()
        publicFolder = Bundle.module.resourceURL!.appendingPathComponent("Public").path
        self.configuration = configuration
        localLearner = configuration.authMode == .single ? try await store.learner(named: "local") : nil
    }
}
