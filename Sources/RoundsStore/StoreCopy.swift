import Foundation
import GRDB
import Logging
import PostgresNIO
import RoundsCore

/// `rounds db copy`: moves a SQLite database (one learner's, or a cohort's) to an empty PostgreSQL
/// database, table by table, keeping every row and its id, then checks the copy two ways: each table's
/// row count, and every learner's full export read back from both stores.
///
/// It copies tables rather than learners' exports because an export leaves out accounts, API tokens,
/// drafts and sign-in sessions; copying rows keeps all of them, and the ids that link them.
public enum StoreCopy {
    /// What was copied and what the check found.
    public struct Report: Sendable, Encodable {
        public struct Table: Sendable, Encodable {
            public var name: String
            /// Rows in the SQLite file.
            public var source: Int
            /// Rows in PostgreSQL after the copy.
            public var target: Int
        }
        public var tables: [Table]
        /// Learners whose exports were read from both stores and compared.
        public var learnersCompared: Int
        /// Learners (by name) whose export differs between the two stores; empty when the copy is whole.
        public var differingLearners: [String]

        /// True when every count and every export agree.
        public var verified: Bool {
            differingLearners.isEmpty && tables.allSatisfy { $0.source == $0.target }
        }
    }

    /// A copy that cannot start or cannot finish, with what to do about it.
    public enum CopyError: Error, CustomStringConvertible {
        case wrongDirection
        case noSource(String)
        case targetNotEmpty(table: String, rows: Int)
        case unreadable(table: String, rowid: Int64, column: String)

        public var description: String {
            switch self {
            case .wrongDirection:
                "rounds db copy moves a SQLite file to PostgreSQL: give --from a .sqlite file and --to a postgres:// address"
            case .noSource(let path):
                "there is no SQLite database at \(path): give --from the file rounds serve and rounds practice use (ROUNDS_DB, else ~/.local/share/rounds/rounds.sqlite on Linux)"
            case .targetNotEmpty(let table, let rows):
                "the PostgreSQL database is not empty (table \(table) has \(rows) rows): copy into a new database (createdb rounds), so that no id or learner name collides"
            case .unreadable(let table, let rowid, let column):
                "row \(rowid) of \(table) has a value in \(column) that is not of the column's type; nothing was copied"
            }
        }
    }

    /// Copies `source` (a SQLite file that must exist) into `target` (a PostgreSQL address whose
    /// database is empty), in one PostgreSQL transaction: all of it or nothing.
    public static func copy(from source: StoreLocation, to target: StoreLocation) async throws -> Report {
        guard source.kind == .sqlite, target.kind == .postgres, let url = target.postgresURL else {
            throw CopyError.wrongDirection
        }
        guard source.sqlitePath != ":memory:", FileManager.default.fileExists(atPath: source.sqlitePath) else {
            throw CopyError.noSource(source.sqlitePath)
        }
        let sqlite = try SQLiteStore(path: source.sqlitePath)
        let postgres = try await PostgresStore.connect(url: url)
        return try await copy(from: sqlite, to: postgres)
    }

    static func copy(from sqlite: SQLiteStore, to postgres: PostgresStore) async throws -> Report {
        // One consistent view of the file for the whole copy, even if something writes to it meanwhile.
        let reader: any DatabaseReader =
            if let pool = sqlite.writer as? DatabasePool { try pool.makeSnapshot() } else { sqlite.writer }
        let logger = postgres.logger
        let counts = try await postgres.transaction { connection in
            for table in tables {
                let rows = try await count(table.name, on: connection, logger: logger)
                guard rows == 0 else { throw CopyError.targetNotEmpty(table: table.name, rows: rows) }
            }
            var counts: [Report.Table] = []
            for table in tables {
                let copied = try await copy(table, from: reader, to: connection, logger: logger)
                let landed = try await count(table.name, on: connection, logger: logger)
                counts.append(Report.Table(name: table.name, source: copied, target: landed))
                if table.hasIdentity {
                    // The next id PostgreSQL hands out must come after the copied ones.
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), \
                                COALESCE(max(id), 0) + 1, false) FROM \(table.name)
                                """), logger: logger)
                }
            }
            return counts
        }
        // Then every learner's export, read back through each store's own code.
        let learnerIDs = try await reader.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM learner ORDER BY id")
        }
        var differing: [String] = []
        let date = Date(timeIntervalSince1970: 0)
        for id in learnerIDs {
            guard let learner = try await sqlite.learner(id: id) else { continue }
            let copied = try await postgres.learner(id: id)
            guard let copied,
                try comparable(try await sqlite.export(learner, at: date))
                    == comparable(try await postgres.export(copied, at: date))
            else {
                differing.append(learner.name)
                continue
            }
        }
        return Report(tables: counts, learnersCompared: learnerIDs.count, differingLearners: differing)
    }

    /// An export as bytes to compare: JSON with sorted keys and times in whole microseconds, the finest
    /// PostgreSQL keeps (SQLite keeps milliseconds, so nothing real is rounded away).
    static func comparable(_ export: LearnerExport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
        }
        return try encoder.encode(export)
    }

    // MARK: Tables

    enum ColumnType { case integer, text, real, boolean, date, json }

    struct Table {
        var name: String
        var columns: [(name: String, type: ColumnType)]
        /// Whether `id` is an identity column whose sequence must move past the copied ids.
        var hasIdentity: Bool { columns.first?.name == "id" }
    }

    /// Every table, parents before children. `sign_in_failure` has an id on PostgreSQL only, so its rows
    /// take new ones.
    static let tables: [Table] = [
        Table(
            name: "learner",
            columns: [
                ("id", .integer), ("name", .text), ("created_at", .date), ("target_role", .text),
                ("interview_date", .text), ("desired_retention", .real), ("hours_per_week", .real), ("level", .text),
            ]),
        Table(
            name: "practice_session",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("kind", .text), ("started_at", .date),
                ("ended_at", .date), ("role", .text), ("level", .text), ("minutes", .integer),
            ]),
        Table(
            name: "attempt",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("question_id", .text), ("session_id", .integer),
                ("answered_at", .date), ("answer", .text), ("score", .integer), ("band", .integer),
                ("rating", .integer), ("rating_overridden", .boolean), ("seconds_taken", .integer),
                ("summary", .text),
            ]),
        Table(
            name: "review",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("question_id", .text), ("attempt_id", .integer),
                ("reviewed_at", .date), ("rating", .integer), ("phase", .text), ("step", .integer),
                ("stability", .real), ("difficulty", .real), ("due_at", .date), ("last_review_at", .date),
            ]),
        Table(
            name: "lab_attempt",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("lab_id", .text), ("submitted_at", .date),
                ("submission", .text), ("accepted", .boolean), ("score", .integer), ("findings", .json),
            ]),
        Table(
            name: "draft", columns: [("learner_id", .integer), ("key", .text), ("text", .text), ("saved_at", .date)]),
        Table(
            name: "opening",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("title", .text), ("company", .text), ("location", .text),
                ("remote", .boolean), ("salary_min", .real), ("salary_max", .real), ("salary_currency", .text),
                ("salary_period", .text), ("date_posted", .text), ("description", .text), ("url", .text),
                ("added_at", .date), ("plan_target", .boolean),
            ]),
        Table(
            name: "company_note",
            columns: [
                ("learner_id", .integer), ("company_key", .text), ("company", .text), ("tech_stack", .text),
                ("interview_format", .text), ("people", .text), ("updated_at", .date),
            ]),
        Table(
            name: "account",
            columns: [
                ("id", .integer), ("learner_id", .integer), ("email", .text), ("password_hash", .text),
                ("role", .text), ("created_at", .date),
            ]),
        Table(
            name: "web_session",
            columns: [("token_hash", .text), ("account_id", .integer), ("created_at", .date), ("expires_at", .date)]),
        Table(name: "sign_in_failure", columns: [("key", .text), ("at", .date)]),
        Table(
            name: "api_token",
            columns: [
                ("id", .integer), ("account_id", .integer), ("name", .text), ("token_hash", .text),
                ("created_at", .date), ("last_used_at", .date),
            ]),
        Table(
            name: "password_reset",
            columns: [("token_hash", .text), ("account_id", .integer), ("created_at", .date), ("expires_at", .date)]),
    ]

    /// Rows read from SQLite and sent to PostgreSQL per round trip: a page small enough to keep memory
    /// flat on a large cohort, large enough that the copy is not one round trip per row.
    static let pageSize = 500

    /// Copies one table a page at a time, in rowid order; returns the rows read.
    static func copy(_ table: Table, from reader: any DatabaseReader, to connection: PostgresConnection, logger: Logger)
        async throws -> Int
    {
        let names = table.columns.map(\.name).joined(separator: ", ")
        var after: Int64 = .min
        var copied = 0
        while true {
            let page = try await reader.read { [after] db in
                try Row.fetchAll(
                    db, sql: "SELECT rowid, \(names) FROM \(table.name) WHERE rowid > ? ORDER BY rowid LIMIT ?",
                    arguments: [after, pageSize]
                ).map { row in (rowid: row[0] as Int64, values: Array(row.databaseValues.dropFirst())) }
            }
            guard let last = page.last else { return copied }
            var bindings = PostgresBindings(capacity: page.count * table.columns.count)
            var tuples: [String] = []
            for (rowid, values) in page {
                var placeholders: [String] = []
                for (index, column) in table.columns.enumerated() {
                    let value = values[index]
                    let number = bindings.count + 1
                    let placeholder =
                        switch column.type {
                        case .date: "to_timestamp($\(number))"
                        case .json: "$\(number)::jsonb"
                        default: "$\(number)"
                        }
                    placeholders.append(placeholder)
                    try bind(value, as: column.type, into: &bindings) {
                        CopyError.unreadable(table: table.name, rowid: rowid, column: column.name)
                    }
                }
                tuples.append("(" + placeholders.joined(separator: ", ") + ")")
            }
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO \(table.name) (\(names)) VALUES \(tuples.joined(separator: ", "))",
                    binds: bindings), logger: logger)
            copied += page.count
            after = last.rowid
        }
    }

    /// Appends a SQLite value as the PostgreSQL column expects it. Times go as seconds since 1970 for
    /// `to_timestamp`, which rounds to the microsecond (binding a `Date` would truncate instead).
    static func bind(
        _ value: DatabaseValue, as type: ColumnType, into bindings: inout PostgresBindings,
        unreadable: () -> CopyError
    ) throws {
        if value.isNull {
            bindings.appendNull()
            return
        }
        switch type {
        case .integer:
            guard let number = Int64.fromDatabaseValue(value) else { throw unreadable() }
            bindings.append(number)
        case .text, .json:
            guard let text = String.fromDatabaseValue(value) else { throw unreadable() }
            bindings.append(text)
        case .real:
            guard let number = Double.fromDatabaseValue(value) else { throw unreadable() }
            bindings.append(number)
        case .boolean:
            guard let flag = Bool.fromDatabaseValue(value) else { throw unreadable() }
            bindings.append(flag)
        case .date:
            guard let date = Date.fromDatabaseValue(value) else { throw unreadable() }
            bindings.append(date.timeIntervalSince1970)
        }
    }

    static func count(_ table: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var total = 0
        for try await rows in try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: logger
        ).decode(Int.self) {
            total = rows
        }
        return total
    }
}
