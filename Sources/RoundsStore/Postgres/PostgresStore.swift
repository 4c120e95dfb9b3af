import Foundation
import Logging
import PostgresNIO
import RoundsCore
import _ConnectionPoolModule

/// The PostgreSQL store, for a training programme's shared server: several `rounds serve` instances on
/// one database. Every query binds its values (PostgresNIO's interpolation sends them as parameters,
/// never as SQL text), a pool of connections serves them, and the writes that belong together run in
/// one transaction. It passes the same contract suite as `SQLiteStore`.
public final class PostgresStore: Storage {
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Connects to the database at `url` (`postgres://user:password@host:port/database`), runs the
    /// connection pool, and applies the migrations that are missing.
    public static func connect(url: String, logger: Logger = Logger(label: "rounds.postgres")) async throws
        -> PostgresStore
    {
        let store = PostgresStore(configuration: try configuration(url: url), logger: logger)
        do {
            try await PostgresMigrations.migrate(store.client, logger: logger)
        } catch {
            store.runner.cancel()
            throw error
        }
        return store
    }

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        var quiet = logger
        quiet.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    deinit { runner.cancel() }

    /// The client configuration a `postgres://` URL names. TLS is used when the URL asks for it
    /// (`sslmode=require`), else preferred; a URL without a user or a database is refused.
    static func configuration(url text: String) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
            let host = url.host, !host.isEmpty, let user = url.user, !user.isEmpty
        else {
            throw StoreOpeningError(
                location: text, reason: "it is not a postgres://user@host:port/database address")
        }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty else {
            throw StoreOpeningError(location: text, reason: "the address names no database (…/rounds at the end)")
        }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS =
            switch mode {
            case "disable": .disable
            case "require", "verify-full", "verify-ca": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database, tls: tls)
    }

    public func appliedMigrations() async throws -> [String] {
        try await refusals { try await PostgresMigrations.applied(client, logger: logger) }
    }

    /// Runs raw SQL, for tests that check what the schema itself refuses.
    func execute(_ sql: String) async throws {
        try await refusals { try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
    }

    /// Runs `work`, turning a refusal by the database's rules into `StoreError.refused`, the refusal every
    /// store reports alike.
    @discardableResult
    func refusals<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as PSQLError {
            if Self.isUnavailable(error) { throw StoreError.unavailable(String(describing: error.code)) }
            guard let state = error.serverInfo?[.sqlState], state.hasPrefix("23") else { throw error }
            let rule: StoreError.Rule =
                switch state {
                case "23514": .check
                case "23503": .foreignKey
                case "23505": .unique
                case "23001": .appendOnly
                default: .other
                }
            throw StoreError.refused(rule, error.serverInfo?[.message] ?? state)
        } catch let error as ConnectionPoolError {
            // The pool has given up making connections for now (its circuit breaker): the server has been
            // out of reach for a while. It keeps trying in the background and recovers by itself.
            throw StoreError.unavailable("\(error)")
        }
    }

    /// Whether `error` says the server is out of reach rather than that the query was wrong: the
    /// connection failed or closed, the pool is shut, or the server is shutting down or starting
    /// (SQLSTATE classes 08 and 57P, and 53300, too many connections).
    static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
        default:
            return false
        }
    }

    /// One transaction: `work` runs on one connection between BEGIN and COMMIT, rolled back if it throws.
    func transaction<T: Sendable>(_ work: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await refusals {
            do {
                return try await client.withTransaction(logger: logger) { try await work($0) }
            } catch let error as PostgresTransactionError {
                // The closure's own error (a refusal, or StoreError.notFound) is the one that matters; the
                // rollback's, if any, is secondary.
                throw error.closureError ?? error.beginError ?? error.commitError ?? error
            }
        }
    }

    /// Every row of a query, decoded by `row`.
    func rows<T>(_ query: PostgresQuery, on connection: PostgresConnection? = nil, _ row: (PostgresRow) throws -> T)
        async throws -> [T]
    {
        try await refusals {
            let sequence =
                if let connection {
                    try await connection.query(query, logger: logger)
                } else {
                    try await client.query(query, logger: logger)
                }
            var result: [T] = []
            for try await each in sequence { result.append(try row(each)) }
            return result
        }
    }
}

// MARK: Rows

extension PostgresStore {
    static let learnerColumns =
        "id, name, created_at, target_role, interview_date, desired_retention, hours_per_week, level"

    static func learner(_ row: PostgresRow) throws -> Learner {
        let (id, name, created, role, date, retention, hours, level) = try row.decode(
            (Int64, String, Date, String?, String?, Double, Double?, String?).self)
        return Learner(
            id: id, name: name, createdAt: created,
            settings: LearnerSettings(
                targetRole: role, interviewDate: date, desiredRetention: retention, hoursPerWeek: hours,
                level: level.flatMap(Level.init(rawValue:))))
    }

    static let sessionColumns = "id, learner_id, kind, started_at, ended_at, role, level, minutes"

    static func session(_ row: PostgresRow) throws -> PracticeSession {
        let (id, learnerID, kind, started, ended, role, level, minutes) = try row.decode(
            (Int64, Int64, String, Date, Date?, String?, String?, Int?).self)
        return PracticeSession(
            id: id, learnerID: learnerID, kind: PracticeSession.Kind(rawValue: kind) ?? .practice, startedAt: started,
            endedAt: ended, role: role, level: level.flatMap(Level.init(rawValue:)), minutes: minutes)
    }

    static let attemptColumns =
        "id, learner_id, question_id, session_id, answered_at, answer, score, band, rating, rating_overridden, seconds_taken, summary"

    static func attempt(_ row: PostgresRow) throws -> Attempt {
        let (
            id, learnerID, questionID, sessionID, answered, answer, score, band, rating, overridden, seconds, summary
        ) =
            try row.decode((Int64, Int64, String, Int64?, Date, String, Int, Int, Int, Bool, Int?, String).self)
        return Attempt(
            id: id, learnerID: learnerID, questionID: questionID, sessionID: sessionID, answeredAt: answered,
            answer: answer, score: score, band: band, rating: Rating(rawValue: rating) ?? .again,
            ratingOverridden: overridden, secondsTaken: seconds, summary: summary)
    }

    static let reviewColumns =
        "id, learner_id, question_id, attempt_id, reviewed_at, rating, phase, step, stability, difficulty, due_at, last_review_at"

    static func review(_ row: PostgresRow) throws -> Review {
        let (id, learnerID, questionID, attemptID, reviewed, rating, phase, step, stability, difficulty, due, last) =
            try row.decode((Int64, Int64, String, Int64?, Date, Int, String, Int?, Double, Double, Date, Date).self)
        return Review(
            id: id, learnerID: learnerID, questionID: questionID, attemptID: attemptID, reviewedAt: reviewed,
            rating: Rating(rawValue: rating) ?? .again,
            card: ReviewCard(
                phase: ReviewCard.Phase(rawValue: phase) ?? .review, step: step,
                memory: MemoryState(stability: stability, difficulty: difficulty), due: due, lastReview: last))
    }

    static let labAttemptColumns = "id, learner_id, lab_id, submitted_at, submission, accepted, score, findings::text"

    static func labAttempt(_ row: PostgresRow) throws -> LabAttempt {
        let (id, learnerID, labID, submitted, submission, accepted, score, findings) = try row.decode(
            (Int64, Int64, String, Date, String, Bool, Int, String).self)
        var attempt = LabAttempt(
            id: id, learnerID: learnerID, labID: labID, submittedAt: submitted, submission: submission,
            result: LabResult(findings: []))
        attempt.accepted = accepted
        attempt.score = score
        attempt.findings = (try? JSONDecoder().decode([LabResult.Finding].self, from: Data(findings.utf8))) ?? []
        return attempt
    }

    static let accountColumns = "id, learner_id, email, password_hash, role, created_at"

    static func account(_ row: PostgresRow) throws -> Account? {
        let (id, learnerID, email, hash, role, created) = try row.decode(
            (Int64, Int64, String, String, String, Date).self)
        guard let role = AccountRole(rawValue: role) else { return nil }
        return Account(id: id, learnerID: learnerID, email: email, passwordHash: hash, role: role, createdAt: created)
    }

    /// `columns` with each name prefixed by a table alias, for joins.
    static func qualified(_ columns: String, _ alias: String) -> String {
        columns.split(separator: ",").map { "\(alias).\($0.trimmingCharacters(in: .whitespaces))" }
            .joined(separator: ", ")
    }
}

/// What a store does not do for itself on a PostgreSQL server: creating a database (tests, and
/// operators trying Rounds out).
public enum PostgresAdmin {
    /// Creates the database `name` (lower-case letters, digits and underscores) on the server at
    /// `server`, whose own database the connection uses.
    public static func createDatabase(named name: String, server: String) async throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.count <= 63 else {
            throw StoreOpeningError(location: name, reason: "a database name is lower-case letters, digits and _")
        }
        var logger = Logger(label: "rounds.postgres.admin")
        logger.logLevel = .error
        let client = PostgresClient(
            configuration: try PostgresStore.configuration(url: server), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // An identifier cannot be a bound parameter; the name was checked above.
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
    }
}
