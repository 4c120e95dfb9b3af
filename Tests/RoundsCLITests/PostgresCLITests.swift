import Foundation
import RoundsTestSupport
import Testing

/// The command line on a PostgreSQL server, where the test run has one (`ROUNDS_TEST_POSTGRES_URL`;
/// `.ci/run` starts one). Each test has a new database of its own.
@Suite(.enabled(if: TestStores.postgresURL != nil, "no PostgreSQL server for the tests"))
struct PostgresCLITests {
    @Test func aDatabaseIsMigratedAndAnAnswerSavedAndCounted() async throws {
        // Given a new database on the server
        let database = try await TestStores.newPostgresDatabase()
        // When it is migrated, Then every migration is applied and the report hides no password
        let migrated = try RoundsBinary.run(["db", "migrate", "--db", database, "--json"])
        #expect(migrated.status == 0, "\(migrated.stderr)")
        #expect(migrated.stdout.contains(#""current" : true"#) || migrated.stdout.contains(#""current":true"#))
        // When an answer is saved there, Then stats read it back from the same server
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-pg-\(UUID()).txt")
        try "Isolate infected systems, keep care going on downtime procedures, restore from offline backups."
            .write(to: file, atomically: true, encoding: .utf8)
        let saved = try RoundsBinary.run(
            ["answer", "ransomware-attack-hospital-response", "--file", file.path, "--db", database, "--save"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let stats = try RoundsBinary.run(["stats", "--db", database, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains(#""attempts" : 1"#) || stats.stdout.contains(#""attempts":1"#))
    }

    @Test func aSQLiteFileIsCopiedToPostgreSQLAndTheCopyIsChecked() async throws {
        // Given a SQLite file with a saved answer, and a new database on the server
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-copy-\(UUID())")
        let file = folder.appendingPathComponent("rounds.sqlite").path
        let answer = folder.appendingPathComponent("answer.txt")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "Isolate infected systems, keep care going on downtime procedures, restore from offline backups."
            .write(to: answer, atomically: true, encoding: .utf8)
        let saved = try RoundsBinary.run(
            ["answer", "ransomware-attack-hospital-response", "--file", answer.path, "--db", file, "--save"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let database = try await TestStores.newPostgresDatabase()
        // When it is copied, Then the report says every count and export agree
        let copied = try RoundsBinary.run(["db", "copy", "--from", file, "--to", database, "--json"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stdout.contains(#""verified" : true"#), "\(copied.stdout)")
        // And stats on PostgreSQL read the same history
        let stats = try RoundsBinary.run(["stats", "--db", database, "--json"])
        #expect(stats.stdout.contains(#""attempts" : 1"#) || stats.stdout.contains(#""attempts":1"#))
        // When it is copied again, Then it is refused with what to do, and exits 1
        let again = try RoundsBinary.run(["db", "copy", "--from", file, "--to", database])
        #expect(again.status != 0)
        #expect(again.stderr.contains("is not empty") && again.stderr.contains("new database"), "\(again.stderr)")
    }
}
