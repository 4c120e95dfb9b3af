import Foundation
import RoundsTestSupport
import Testing

@testable import RoundsLabs

/// A corpus of attacks on the SQL sandbox. Each must be refused before it runs, or stopped within its
/// limit, with a message that says what happened; none may change the database; and an honest query
/// right after must still work.
@Suite struct SandboxAttackTests {
    enum Expect {
        /// Refused before running; the message contains this.
        case refused(String)
        /// SQLite stopped it (a limit it hit); the message contains this.
        case error(String)
        /// Stopped by the deadline.
        case timeLimit
        /// Stopped by the deadline or by the memory cap, whichever comes first.
        case stopped
        /// Stopped by the row cap.
        case tooManyRows
    }

    struct Attack: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        let expect: Expect
        var testDescription: String { name }
    }

    static let tables: Set<String> = ["patients", "encounters", "conditions"]

    static let attacks: [Attack] = [
        // Writes and schema changes
        .init(name: "insert", sql: "INSERT INTO patients (id) VALUES (999999999)", expect: .refused("changing data")),
        .init(name: "update", sql: "UPDATE patients SET sex = 'X'", expect: .refused("changing data")),
        .init(name: "delete", sql: "DELETE FROM encounters", expect: .refused("changing data")),
        .init(name: "drop table", sql: "DROP TABLE patients", expect: .refused("dropping tables")),
        .init(
            name: "create table", sql: "CREATE TABLE loot AS SELECT * FROM patients",
            expect: .refused("creating tables")),
        .init(
            name: "create temp table", sql: "CREATE TEMP TABLE loot AS SELECT * FROM patients",
            expect: .refused("creating tables")),
        .init(
            name: "create index", sql: "CREATE INDEX i ON encounters(patient_id)", expect: .refused("creating tables")),
        .init(
            name: "create trigger",
            sql: "CREATE TEMP TRIGGER t AFTER INSERT ON patients BEGIN SELECT 1; END",
            expect: .refused("only SELECT")),
        .init(name: "create view", sql: "CREATE TEMP VIEW v AS SELECT 1", expect: .refused("creating tables")),
        .init(name: "vacuum into", sql: "VACUUM INTO '/tmp/rounds-attack-copy.sqlite'", expect: .refused("only reads")),
        .init(name: "analyze", sql: "ANALYZE", expect: .refused("ANALYZE and REINDEX")),
        .init(name: "reindex", sql: "REINDEX", expect: .refused("ANALYZE and REINDEX")),
        .init(name: "begin", sql: "BEGIN IMMEDIATE", expect: .refused("transactions")),
        .init(name: "savepoint", sql: "SAVEPOINT s", expect: .refused("transactions")),
        // Other databases, files and the schema
        .init(
            name: "attach", sql: "ATTACH DATABASE '/tmp/rounds-attack.sqlite' AS loot", expect: .refused("attaching")),
        .init(name: "attach memory", sql: "ATTACH ':memory:' AS scratch", expect: .refused("attaching")),
        .init(name: "detach", sql: "DETACH main", expect: .refused("attaching")),
        .init(name: "pragma write", sql: "PRAGMA writable_schema = 1", expect: .refused("PRAGMA")),
        .init(name: "pragma read", sql: "PRAGMA table_info(patients)", expect: .refused("PRAGMA")),
        .init(
            name: "pragma function", sql: "SELECT * FROM pragma_table_info('patients')",
            expect: .refused("not allowed")),
        .init(name: "sqlite_master", sql: "SELECT sql FROM sqlite_master", expect: .refused("sqlite_master")),
        .init(name: "sqlite_schema", sql: "SELECT name FROM sqlite_schema", expect: .refused("the schema is shown")),
        .init(name: "another table", sql: "SELECT * FROM claims", expect: .refused("not part of this lab")),
        .init(
            name: "another table in a subquery",
            sql: "SELECT id FROM patients WHERE id IN (SELECT patient_id FROM claims)",
            expect: .refused("not part of this lab")),
        .init(name: "no such table", sql: "SELECT * FROM secrets", expect: .error("no such table")),
        // Extensions and virtual tables
        .init(name: "load_extension", sql: "SELECT load_extension('/tmp/evil.so')", expect: .refused("load_extension")),
        .init(name: "fts3_tokenizer", sql: "SELECT fts3_tokenizer('simple')", expect: .refused("fts3_tokenizer")),
        .init(
            name: "virtual table", sql: "CREATE VIRTUAL TABLE v USING fts5(body)",
            expect: .refused("creating tables")),
        .init(name: "json_each", sql: "SELECT * FROM json_each('[1,2,3]')", expect: .refused("table-valued functions")),
        .init(name: "dbstat", sql: "SELECT * FROM dbstat", expect: .refused("table-valued functions")),
        .init(
            name: "compile options", sql: "SELECT sqlite_compileoption_get(0)",
            expect: .refused("sqlite_compileoption_get")),
        // Resource bombs
        .init(
            name: "endless recursive CTE",
            sql: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
            expect: .timeLimit),
        .init(
            name: "cross-join bomb", sql: "SELECT count(*) FROM encounters a, encounters b, encounters c",
            expect: .timeLimit),
        .init(
            name: "distinct bomb (memory)",
            sql:
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r LIMIT 50000000) SELECT count(DISTINCT n || '\(String(repeating: "x", count: 200))') FROM r",
            expect: .stopped),
        .init(name: "randomblob", sql: "SELECT randomblob(1000000000)", expect: .refused("randomblob")),
        .init(name: "zeroblob", sql: "SELECT zeroblob(2000000000)", expect: .refused("zeroblob")),
        .init(
            name: "doubling string",
            sql: "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) SELECT length(s) FROM r",
            expect: .error("too big")),
        .init(
            name: "replace blow-up",
            sql:
                "SELECT length(replace(replace(replace(replace(hex(x'\(String(repeating: "00", count: 500))'), '0', '0000000000'), '0', '0000000000'), '0', '0000000000'), '0', '00'))",
            expect: .error("too big")),
        .init(name: "printf repeat", sql: "SELECT printf('%.*c', 2000000000, 'x')", expect: .refused("printf")),
        .init(name: "format repeat", sql: "SELECT format('%.*c', 2000000000, 'x')", expect: .refused("format")),
        .init(
            name: "oversized char",
            sql: "SELECT length(char(" + Array(repeating: "65", count: 40).joined(separator: ",") + "))",
            expect: .error("too many arguments")),
        .init(
            name: "giant LIKE pattern",
            sql: "SELECT count(*) FROM patients WHERE last_name LIKE '\(String(repeating: "%a", count: 200))'",
            expect: .error("pattern too complex")),
        .init(
            name: "deep expression", sql: "SELECT 1" + String(repeating: " + 1", count: 200),
            expect: .error("too large")),
        .init(
            name: "parser stack",
            sql: "SELECT " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500),
            expect: .error("stack overflow")),
        .init(
            name: "many compound selects",
            sql: Array(repeating: "SELECT 1", count: 100).joined(separator: " UNION ALL "),
            expect: .error("too many terms")),
        .init(name: "every visit", sql: "SELECT * FROM encounters", expect: .tooManyRows),
        // More than one statement, and nothing at all
        .init(name: "two selects", sql: "SELECT 1; SELECT 2", expect: .refused("one statement")),
        .init(name: "select then delete", sql: "SELECT 1; DELETE FROM patients", expect: .refused("one statement")),
        .init(
            name: "statement hidden after a comment", sql: "SELECT 1; -- harmless\nDROP TABLE patients",
            expect: .refused("one statement")),
        .init(name: "comments only", sql: "-- nothing\n/* at all */", expect: .refused("only comments")),
        .init(name: "empty", sql: "   ", expect: .refused("no SQL")),
        .init(
            name: "too long", sql: "SELECT 1 -- " + String(repeating: "x", count: 30_000),
            expect: .refused("the limit is 20,000")),
    ]

    static func digest(_ path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return withUnsafeBytes(of: hash) { Data($0) } + withUnsafeBytes(of: data.count) { Data($0) }
    }

    @Test(arguments: attacks)
    func theAttackIsRefusedOrStopped(_ attack: Attack) throws {
        let databases = try TestEHR.databases()
        let before = try Self.digest(databases.standard)
        let sandbox = SQLSandbox()
        let started = Date()
        var failure: SQLSandbox.Failure?
        do {
            _ = try sandbox.run(attack.sql, on: databases.standard, tables: Self.tables)
        } catch {
            failure = error
        }
        let elapsed = Date().timeIntervalSince(started)
        let caught = try #require(failure, "\(attack.name) ran")
        switch (attack.expect, caught) {
        case (.refused(let words), .refused(let message)):
            #expect(message.contains(words), "\(attack.name): \(message)")
        case (.error(let words), .error(let message)):
            #expect(message.contains(words), "\(attack.name): \(message)")
        case (.timeLimit, .timeLimit), (.stopped, .timeLimit), (.stopped, .memory), (.tooManyRows, .tooManyRows):
            break
        default:
            Issue.record("\(attack.name): expected \(attack.expect), got \(caught)")
        }
        #expect(!caught.description.isEmpty)
        // The limit is 5 s of CPU time; under a loaded test run the wall clock may show more, up to
        // the wall-clock backstop.
        #expect(elapsed < sandbox.limits.wallSeconds, "\(attack.name) took \(elapsed) s")
        #expect(try Self.digest(databases.standard) == before, "\(attack.name) changed the database")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/rounds-attack-copy.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/rounds-attack.sqlite"))
        let honest = try sandbox.run("SELECT count(*) FROM patients", on: databases.standard, tables: Self.tables)
        #expect(honest.table.rows.first?.first?.isNumber == true)
    }

    @Test func attacksOnOneConnectionDoNotDisturbQueriesOnAnother() async throws {
        let databases = try TestEHR.databases()
        let sandbox = SQLSandbox()
        let expected = try sandbox.run(
            "SELECT sex, count(*) FROM patients GROUP BY sex", on: databases.standard, tables: Self.tables
        ).table
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let bomb = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
                #expect(throws: SQLSandbox.Failure.timeLimit(sandbox.limits.seconds)) {
                    try sandbox.run(bomb, on: databases.standard, tables: Self.tables)
                }
                // A recursive CTE that ends is fine: it is how a learner makes a calendar of dates.
                let days = try sandbox.run(
                    "WITH RECURSIVE d(day) AS (SELECT date('2024-01-01') UNION ALL SELECT date(day, '+1 day') FROM d WHERE day < '2024-01-31') SELECT count(*) FROM d",
                    on: databases.standard, tables: Self.tables)
                #expect(days.table.rows == [[.integer(31)]])
            }
            for _ in 0..<4 {
                group.addTask {
                    let again = try sandbox.run(
                        "SELECT sex, count(*) FROM patients GROUP BY sex", on: databases.standard, tables: Self.tables
                    ).table
                    #expect(again == expected)
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func theSchemaIsPrivateButTheLabTablesAreNot() throws {
        let databases = try TestEHR.databases()
        let run = try SQLSandbox().run(
            "SELECT p.sex, count(DISTINCT e.id) FROM patients p JOIN encounters e ON e.patient_id = p.id GROUP BY 1",
            on: databases.standard, tables: Self.tables)
        #expect(run.table.rows.count >= 2)
        #expect(run.seconds > 0)
    }
}
