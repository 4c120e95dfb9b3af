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
}
