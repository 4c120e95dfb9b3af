import Configuration
import Foundation
import Hummingbird
import Logging
import RoundsContent
import RoundsCore
import RoundsFeedback
import RoundsLabs
import RoundsStore

/// Errors that stop the server from starting, each with the fix.
public enum WebStartupError: Error, CustomStringConvertible {
    case notLoopback(String)
    case database(StoreOpeningError)

    public var description: String {
        switch self {
        case .notLoopback(let host):
            "refusing to listen on \(host): single-user mode has no sign-in, so it serves only this machine (127.0.0.1 or ::1). Use --host 127.0.0.1, or --accounts to require sign-in."
        case .database(let error):
            "\(error). Choose another file with --db or ROUNDS_DB."
        }
    }
}

/// Builds the whole web application from configuration: everything a test or `rounds serve` runs.
public func buildApplication(reader: ConfigReader) async throws -> some ApplicationProtocol {
    let configuration = try WebConfiguration(reader: reader)
    var logger = Logger(label: "rounds")
    logger.logLevel = configuration.logLevel
    if configuration.authMode == .single, !configuration.isLoopback {
        throw WebStartupError.notLoopback(configuration.host)
    }

    let bundled = ContentLoader.bundledPack(environment: [
        ContentLoader.bundledOverrideVariable: configuration.bundledContentPath ?? ""
    ])
    let packs = [bundled] + configuration.contentPaths.map { URL(fileURLWithPath: $0, isDirectory: true) }
    let library = ContentLoader(packs: packs).load().library
    let store: any Storage
    do {
        store = try await configuration.store.open()
    } catch {
        throw WebStartupError.database(error)
    }
    let environment = try await WebEnvironment(library: library, store: store, configuration: configuration)
    let router = buildRouter(environment: environment)
    let counts = ConnectionCounts()
    let limits = configuration.connectionLimits
    var app = Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(limits: limits, counts: counts)],
                idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Rounds"),
        logger: logger
    )
    if configuration.prepareLabDatabases {
        if let databases = environment.labGrader.sql?.databases {
            app.addServices(LabDatabasePreparation(databases: databases, logger: logger))
        }
    }
    return app
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
    HealthController(environment: environment).addRoutes(to: router)
    DashboardController(environment: environment).addRoutes(to: router)
    PlanController(environment: environment).addRoutes(to: router)
    RolesController(environment: environment).addRoutes(to: router)
    OpeningsController(environment: environment).addRoutes(to: router)
    QuestionsController(environment: environment).addRoutes(to: router)
    SettingsController(environment: environment).addRoutes(to: router)
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
    let store: any Storage
    let views: PageRenderer
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

    init(library: ContentLibrary, store: any Storage, configuration: WebConfiguration) async throws {
        self.library = library
        search = QuestionSearch(library: library)
        engine = FeedbackEngine(
            globalMisconceptions: library.globalMisconceptions, facts: library.facts,
            cacheFolder: configuration.feedbackCacheFolder)
        labGrader = LabGrader(
            fixtures: library.labFixtures,
            sql: SQLJudge(
                databases: LabDatabases(directory: configuration.ehrDirectory, patients: configuration.ehrPatients)))
        self.store = store
        views = try await PageRenderer()
        publicFolder = Bundle.module.resourceURL!.appendingPathComponent("Public").path
        self.configuration = configuration
        localLearner = configuration.authMode == .single ? try await store.learner(named: "local") : nil
    }
}
