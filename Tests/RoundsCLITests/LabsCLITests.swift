import Foundation
import Testing

/// `rounds labs`, `rounds hl7` and `rounds fhir`, run as a learner would.
@Suite struct LabsCLITests {
    struct Check: Decodable {
        struct Finding: Decodable {
            let status: String
            let location: String?
            let message: String
        }
        let lab: String
        let accepted: Bool
        let score: Int
        let findings: [Finding]
        let nextReview: String?
    }

    /// A fresh database per test, so hand-ins never land in the developer's own history.
    let database = [
        "ROUNDS_DB": FileManager.default.temporaryDirectory.appendingPathComponent(
            "rounds-labs-\(UUID().uuidString).sqlite"
        ).path
    ]

    func write(_ text: String, name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func listShowsEveryLabAndFiltersByKind() throws {
        let all = try RoundsBinary.run(["labs", "list", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let labs = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(labs.count >= 20)
        let search = try RoundsBinary.run(["labs", "list", "--kind", "fhir-search", "--json"])
        let searchLabs = try #require(
            try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]])
        #expect(!searchLabs.isEmpty && searchLabs.allSatisfy { $0["kind"] as? String == "fhir-search" })
        let hl7 = try RoundsBinary.run(["labs", "list", "--kind", "hl7", "--json"])
        let hl7Labs = try #require(try JSONSerialization.jsonObject(with: Data(hl7.stdout.utf8)) as? [[String: Any]])
        #expect(hl7Labs.count >= 8 && hl7Labs.allSatisfy { ($0["kind"] as? String)?.hasPrefix("hl7-") == true })
        let text = try RoundsBinary.run(["labs", "list"])
        #expect(text.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func showKeepsTheSolutionBackUntilAsked() throws {
        let plain = try RoundsBinary.run(["labs", "show", "hl7-read-patient-identifiers"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("PID|1||48213"))
        #expect(!plain.stdout.contains("mrn-authority: SGH"))
        let solved = try RoundsBinary.run(["labs", "show", "hl7-read-patient-identifiers", "--solution"])
        #expect(solved.stdout.contains("mrn-authority: SGH"))
        let unknown = try RoundsBinary.run(["labs", "show", "hl7-read"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("hl7-read-patient-identifiers"))
    }

    @Test func checkGradesAndExitsOneUntilAccepted() throws {
        let wrong = try write("event: A01\nmrn: XK-20931\n", name: "answers.txt")
        let graded = try RoundsBinary.run(
            ["labs", "submit", "hl7-read-patient-identifiers", "--file", wrong.path, "--json"], environment: database)
        #expect(graded.status == 1)
        let result = try JSONDecoder().decode(Check.self, from: Data(graded.stdout.utf8))
        #expect(!result.accepted)
        #expect(result.findings.contains { $0.location == "event" && $0.status == "passed" })
        #expect(result.findings.contains { $0.location == "mrn" && $0.status == "failed" && $0.message.contains("MR") })
        #expect(
            !result.findings.contains { $0.message.contains("48213") },
            "a wrong answer must not give the right one away")

        let right = try write(
            "event: A01\nmrn: 48213\nmrn-authority: SGH\nmember-id: XK-20931\nfamily: Rivera\nbirth-date: 19840721\n",
            name: "answers.txt")
        let accepted = try RoundsBinary.run(
            ["labs", "submit", "hl7-read-patient-identifiers", "--file", right.path], environment: database)
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.stdout.contains("Accepted (100/100)"))
        #expect(accepted.stdout.contains("Rated Hard"), "accepted at the second try: \(accepted.stdout)")
        let stats = try RoundsBinary.run(["stats", "--json"], environment: database)
        #expect(stats.status == 0, "\(stats.stderr)")
        let again = try RoundsBinary.run(
            ["labs", "check", "hl7-read-patient-identifiers", "--file", right.path, "--json"], environment: database)
        #expect(again.status == 0, "`check` is kept as another name for `submit`")
        let listed = try RoundsBinary.run(["labs", "list", "--json"], environment: database)
        let labs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(labs.first { $0["id"] as? String == "hl7-read-patient-identifiers" }?["status"] as? String == "solved")
        #expect(labs.first { $0["id"] as? String == "hl7-read-lab-results" }?["status"] as? String == "new")
    }

    @Test func searchLabsAreGradedByResults() throws {
        let url = try write(
            "Observation?subject=pat-rivera&code=http://loinc.org|4548-4&date=ge2024-01-01&_sort=-date", name: "url.txt"
        )
        let result = try RoundsBinary.run(
            ["labs", "submit", "fhir-search-hba1c-history", "--file", url.path], environment: database)
        #expect(result.status == 0, "\(result.stdout)")
        // Without its system the code also matches 4548-4 in another code system, which the hidden
        // resources hold: right on the practice set, wrong on the hidden one, and told so.
        let loose = try write(
            "Observation?subject=pat-rivera&code=4548-4&date=ge2024-01-01&_sort=-date", name: "loose.txt")
        let rejected = try RoundsBinary.run(
            ["labs", "submit", "fhir-search-hba1c-history", "--file", loose.path], environment: database)
        #expect(rejected.status != 0)
        #expect(rejected.stdout.contains("hidden"), "\(rejected.stdout)")
    }

    @Test func fhirValidatePrintsAnOperationOutcome() throws {
        let file = try write(
            #"{"resourceType": "Observation", "status": "Final", "code": {"text": "HbA1c"}}"#, name: "obs.json")
        let output = try RoundsBinary.run(["fhir", "validate", file.path, "--json"])
        #expect(output.status == 1)
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(outcome["resourceType"] as? String == "OperationOutcome")
        #expect(output.stdout.contains("Observation.status"))
        let valid = try write(#"{"resourceType": "Patient", "gender": "female"}"#, name: "patient.json")
        let ok = try RoundsBinary.run(["fhir", "validate", valid.path])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("Valid"))
    }

    @Test func fhirSearchRunsOnTheClinicFixtures() throws {
        let output = try RoundsBinary.run(["fhir", "search", "Patient?family=riv", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("Patient/pat-rivera"))
        let bad = try RoundsBinary.run(["fhir", "search", "Patient?famly=riv"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("“family”"))
    }

    @Test func hl7InspectReadsPathsAndReportsProblems() throws {
        let message =
            "MSH|^~\\&|A|B|C|D|20240101120000||ADT^A04^ADT_A01|1|P|2.5.1\nEVN|A04|20240101120000\nPID|1||||DOE^JANE||2024-01-01\nPV1|1|O\n"
        let file = try write(message, name: "adt.hl7")
        let output = try RoundsBinary.run(["hl7", "parse", file.path, "--path", "PID-5-2", "--json"])
        #expect(output.status == 1)
        #expect(output.stdout.contains("\"PID-5-2\" : \"JANE\""))
        #expect(output.stdout.contains("PID-7"))
        #expect(output.stdout.contains("PID-3"))
        let binary = try write("\u{01}\u{02}not a message", name: "bin.hl7")
        let refused = try RoundsBinary.run(["hl7", "parse", binary.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("MSH") || refused.stderr.contains("control byte"))
    }

    /// Small SQL lab databases, shared with the other test targets (kept between runs).
    static let ehr = [
        "ROUNDS_EHR_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("rounds-test-ehr").path,
        "ROUNDS_EHR_PATIENTS": "10000",
    ]

    @Test func sqlLabsRunAndAreGradedFromTheTerminal() throws {
        let environment = database.merging(Self.ehr) { $1 }
        let lab = "sql-visits-by-department-month"
        let show = try RoundsBinary.run(["labs", "show", lab], environment: environment)
        #expect(show.status == 0)
        #expect(show.stdout.contains("encounters:") && show.stdout.contains("admit_time TEXT"), "the schema")
        #expect(show.stdout.contains("Rules:"))
        // Issue 18: Markdown is rendered for the terminal, and every line fits 80 columns.
        let markdown = try RoundsBinary.run(["labs", "show", "sql-abnormal-results-by-test"], environment: environment)
        #expect(markdown.stdout.contains("For every test in `lab_tests`, count"), "\(markdown.stdout.prefix(300))")
        #expect(!markdown.stdout.contains("**"))
        #expect(markdown.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let query = try write("SELECT type, count(*) AS visits FROM encounters GROUP BY type", name: "q.sql")
        let run = try RoundsBinary.run(["labs", "run", lab, "--sql", query.path, "--json"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let ran = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(ran["columns"] as? [String] == ["type", "visits"])
        #expect((ran["rows"] as? [[Any]])?.count == 4)
        let text = try RoundsBinary.run(["labs", "run", lab, "--sql", query.path], environment: environment)
        #expect(text.stdout.contains("Not graded"))
        #expect(text.stdout.contains(#"type       | visits"#) || text.stdout.contains("| visits\n"), "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 && $0.last != " " }, "\(text.stdout)")

        let attack = try write("DELETE FROM encounters", name: "attack.sql")
        let refused = try RoundsBinary.run(["labs", "run", lab, "--sql", attack.path], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Refused: changing data is not allowed"))

        let wrong = try RoundsBinary.run(
            ["labs", "submit", lab, "--sql", query.path, "--json"], environment: environment)
        #expect(wrong.status == 1)
        let graded = try #require(try JSONSerialization.jsonObject(with: Data(wrong.stdout.utf8)) as? [String: Any])
        #expect(graded["accepted"] as? Bool == false)
        #expect((graded["verdict"] as? [String: Any])?["kind"] as? String == "wrong-columns")

        let solved = try RoundsBinary.run(["labs", "show", lab, "--solution", "--json"], environment: environment)
        let solution = try #require(
            (try JSONSerialization.jsonObject(with: Data(solved.stdout.utf8)) as? [String: Any])?["solution"] as? String
        )
        #expect(!show.stdout.contains(solution), "no solution without --solution")
        let right = try RoundsBinary.run(
            ["labs", "submit", lab, "--sql", try write(solution, name: "right.sql").path], environment: environment)
        #expect(right.status == 0, "\(right.stdout)\(right.stderr)")
        #expect(right.stdout.contains("✓"))
        let listed = try RoundsBinary.run(["labs", "list", "--kind", "sql", "--json"], environment: environment)
        let labs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(labs.count >= 30)
        #expect(labs.first { $0["id"] as? String == lab }?["status"] as? String == "solved")
    }

    @Test func ehrGenerateWritesTheSameFileForTheSameSeed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-ehr-\(UUID().uuidString)")
        let first = folder.appendingPathComponent("a.sqlite").path
        let second = folder.appendingPathComponent("b.sqlite").path
        let a = try RoundsBinary.run(["ehr", "generate", "--patients", "400", "--seed", "9", "--out", first, "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect(summary["patients"] as? Int == 400)
        #expect((summary["rowsByTable"] as? [String: Int])?["encounters"] ?? 0 > 400)
        _ = try RoundsBinary.run(["ehr", "generate", "--patients", "400", "--seed", "9", "--out", second])
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
        let both = try RoundsBinary.run(["ehr", "generate", "--patients", "10", "--visits", "10", "--out", first])
        #expect(both.status != 0)
        #expect(both.stderr.contains("--patients") && both.stderr.contains("--visits"))
    }

    /// The SQL benchmarks print their figures next to sqlite3's (CI installs the tool).
    @Test func theSQLBenchmarksMeasureAgainstSQLite3() throws {
        let ehr = try RoundsBinary.run(["bench", "ehr", "--visits", "20000", "--json"])
        #expect(ehr.status == 0, "\(ehr.stderr)")
        let figures = try #require(try JSONSerialization.jsonObject(with: Data(ehr.stdout.utf8)) as? [String: Any])
        #expect(figures["visits"] as? Int == 20_000 && figures["importRows"] as? Int == 20_000)
        #expect((figures["ratioByVisits"] as? Double ?? 0) > 0)
        let judge = try RoundsBinary.run(
            ["bench", "judge", "--only", "sql-age-bands", "--rounds", "2", "--json"], environment: Self.ehr)
        #expect(judge.status == 0, "\(judge.stderr)")
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(judge.stdout.utf8)) as? [String: Any])
        let labs = try #require(verdicts["labs"] as? [[String: Any]])
        #expect(labs.count == 1 && labs[0]["lab"] as? String == "sql-age-bands")
        #expect((labs[0]["bareMilliseconds"] as? Double ?? 0) > 0 && (labs[0]["p95Milliseconds"] as? Double ?? 0) > 0)
    }

    @Test func lintRunsEveryLabAgainstItsOwnSolution() throws {
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-pack-\(UUID().uuidString)")
        let folder = pack.appendingPathComponent("labs/hl7")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lab = """
            ---
            id: team-read-family-name
            title: Read the family name
            level: beginner
            kind: hl7-read
            skills: [interoperability]
            roles: [ehr-integration-analyst]
            minutes: 5
            message: |
              MSH|^~\\&|A|B|C|D|20240101120000||ADT^A04^ADT_A01|1|P|2.5.1
              PID|1||1^^^X^MR||DOE^JANE
            questions:
              - id: family
                ask: What is the family name?
                path: PID-5-1
            sources:
              - title: HL7 Version 2.5.1
                url: https://www.hl7.org/implement/standards/product_brief.cfm?product_id=185
            ---
            ## Task
            Read the family name.

            ## Hints
            - It is PID-5.

            ## Solution
            ```
            family: SMITH
            ```

            ## Explanation
            PID-5-1 is the family name.

            ## Wrong answers
            - The given name.
            ```
            family: JANE
            ```
            - The assigning authority.
            ```
            family: X
            ```
            - Both names.
            ```
            family: JANE DOE
            ```
            """
        try lab.write(to: folder.appendingPathComponent("team-read-family-name.md"), atomically: true, encoding: .utf8)
        let output = try RoundsBinary.run(["content", "lint", pack.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("team-read-family-name.md"))
        #expect(output.stdout.contains("Solution is not accepted"))
        let fixed = lab.replacingOccurrences(of: "family: SMITH", with: "family: DOE")
        try fixed.write(
            to: folder.appendingPathComponent("team-read-family-name.md"), atomically: true, encoding: .utf8)
        let clean = try RoundsBinary.run(["content", "lint", pack.path])
        #expect(clean.status == 0, "\(clean.stdout)")
        let listed = try RoundsBinary.run(["labs", "list", "--content", pack.path])
        #expect(listed.stdout.contains("team-read-family-name"))
    }
}
