import Foundation
import Testing

/// The command line, run as a subprocess against the bundled bank and against small fixture packs.
@Suite struct CLITests {
    struct Summary: Decodable {
        let id: String
        let title: String
        let level: String
        let kind: String
        let skills: [String]
        let roles: [String]
        let minutes: Int
    }

    @Test func listPrintsJSONThatFiltersApply() throws {
        let all = try RoundsBinary.run(["questions", "list", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let questions = try JSONDecoder().decode([Summary].self, from: Data(all.stdout.utf8))
        #expect(questions.count >= 180)

        let filtered = try RoundsBinary.run([
            "questions", "list", "--skill", "interoperability", "--level", "advanced", "--json",
        ])
        let subset = try JSONDecoder().decode([Summary].self, from: Data(filtered.stdout.utf8))
        #expect(!subset.isEmpty)
        #expect(subset.allSatisfy { $0.skills.contains("interoperability") && $0.level == "advanced" })
        #expect(subset.count < questions.count)
    }

    @Test func listFitsAnEightyColumnTerminal() throws {
        let output = try RoundsBinary.run(["questions", "list"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count > 180)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 }.prefix(3))")
    }

    @Test func unknownFilterValuesAreRefusedWithTheChoices() throws {
        let skill = try RoundsBinary.run(["questions", "list", "--skill", "sql"])
        #expect(skill.status != 0)
        #expect(skill.stderr.contains("unknown skill 'sql'"))
        #expect(skill.stderr.contains("sql-databases"))

        let level = try RoundsBinary.run(["questions", "list", "--level", "expert"])
        #expect(level.status != 0)
        #expect(level.stderr.contains("beginner"))
    }

    @Test func showHidesTheAnswerUntilAsked() throws {
        let id = try firstQuestionID()
        let plain = try RoundsBinary.run(["questions", "show", id])
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("MODEL ANSWER"))
        #expect(plain.stdout.contains("--answer"))

        let full = try RoundsBinary.run(["questions", "show", id, "--all"])
        for heading in ["MODEL ANSWER", "RUBRIC", "TIP", "PITFALLS", "SOURCES"] {
            #expect(full.stdout.contains(heading), "missing \(heading)")
        }
        #expect(
            full.stdout.split(separator: "\n").allSatisfy {
                $0.count <= 80 || $0.hasPrefix("    http") || $0.hasPrefix("    ")
            })
    }

    @Test func showJSONIsTheWholeQuestion() throws {
        let id = try firstQuestionID()
        let output = try RoundsBinary.run(["questions", "show", id, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == id)
        for key in ["title", "level", "rubric", "modelAnswer", "tip", "pitfalls", "sources", "misconceptions"] {
            #expect(object[key] != nil, "missing \(key)")
        }
    }

    @Test func showUnknownIdSuggestsNearOnes() throws {
        let output = try RoundsBinary.run(["questions", "show", "ransomware-response"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("no question has the id 'ransomware-response'"))
        #expect(output.stderr.contains("Did you mean"))
    }

    @Test func searchRanksTitleMatchesFirst() throws {
        let output = try RoundsBinary.run(["questions", "search", "ransomware", "--json"])
        #expect(output.status == 0)
        struct Hit: Decodable {
            let id: String
            let title: String
            let score: Double
        }
        let hits = try JSONDecoder().decode([Hit].self, from: Data(output.stdout.utf8))
        let first = try #require(hits.first)
        #expect(first.title.lowercased().contains("ransomware") || first.id.contains("ransomware"))
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })

        let none = try RoundsBinary.run(["questions", "search", "zzzqqq"])
        #expect(none.status == 0)
        #expect(none.stdout.contains("No question matches"))
    }

    @Test func statsCountsTheBank() throws {
        let output = try RoundsBinary.run(["content", "stats", "--json"])
        #expect(output.status == 0)
        struct Stats: Decodable {
            struct Row: Decodable {
                let skill: String
                let beginner: Int
                let intermediate: Int
                let advanced: Int
                let total: Int
            }
            struct Count: Decodable {
                let id: String
                let questions: Int
            }
            let questions: Int
            let skills: [Row]
            let roles: [Count]
            let kinds: [Count]
        }
        let stats = try JSONDecoder().decode(Stats.self, from: Data(output.stdout.utf8))
        #expect(stats.skills.map(\.total).reduce(0, +) == stats.questions)
        #expect(stats.kinds.map(\.questions).reduce(0, +) == stats.questions)
        #expect(stats.roles.count >= 8)

        let text = try RoundsBinary.run(["content", "stats"])
        #expect(text.stdout.contains("Skill"))
        #expect(text.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    /// Issue 20: a mistyped setting stopped nothing; the server started with the default instead.
    @Test func serveStopsOnASettingThatIsNotOneOfItsChoices() throws {
        // Given a mistyped auth mode in the environment
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-serve-\(UUID()).sqlite")
        // When the server starts
        let output = try RoundsBinary.run(
            ["serve", "--port", "0", "--db", database.path], environment: ["AUTH_MODE": "acounts"])
        // Then it stops at once, naming the key, the value and the choices, without a usage line
        #expect(output.status == 1)
        #expect(output.stderr.contains("auth.mode (AUTH_MODE) is 'acounts'"))
        #expect(output.stderr.contains("single, accounts"))
        #expect(!output.stderr.contains("Usage:"))
    }

    @Test func lintOfTheBundledBankIsClean() throws {
        let output = try RoundsBinary.run(["content", "lint", "--strict"])
        #expect(output.status == 0, "\(output.stdout.suffix(2000))")
        #expect(output.stdout.contains("0 errors, 0 warnings"))
    }

    @Test func lintReportsFileLineErrorsAndExitsOne() throws {
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-cli-\(UUID().uuidString)")
        let folder = pack.appendingPathComponent("questions/privacy-compliance")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("bad-question.md")
        try Data("---\nid: bad-question\nlevel: expert\n---\n".utf8).write(to: bad)

        let output = try RoundsBinary.run(["content", "lint", pack.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("\(bad.path):3: error: level: `expert` is not allowed here."))
        #expect(output.stdout.contains("required field `title` is missing"))

        let json = try RoundsBinary.run(["content", "lint", pack.path, "--json"])
        struct Report: Decodable {
            struct Issue: Decodable {
                let file: String
                let line: Int?
                let field: String?
                let message: String
                let severity: String
            }
            let errors: Int
            let issues: [Issue]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(json.stdout.utf8))
        #expect(report.errors == report.issues.filter { $0.severity == "error" }.count)
        #expect(report.issues.allSatisfy { $0.file == bad.path })
    }

    @Test func extraPackReplacesABundledQuestion() throws {
        let id = try firstQuestionID()
        let shown = try RoundsBinary.run(["questions", "show", id, "--json"])
        let original = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let skill = try #require((original["skills"] as? [String])?.first)

        // Copy the bundled file into a team pack with a new title.
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-team-\(UUID().uuidString)")
        let folder = pack.appendingPathComponent("questions/\(skill)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let title = try #require(original["title"] as? String)
        let source = try bundledFile(for: id, skill: skill)
        let text = try String(contentsOf: source, encoding: .utf8)
        try Data(text.replacingOccurrences(of: title, with: "Team version of the question?").utf8)
            .write(to: folder.appendingPathComponent("\(id).md"))

        let replaced = try RoundsBinary.run(["questions", "show", id, "--json", "--content", pack.path])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("Team version of the question?"))
        let viaEnvironment = try RoundsBinary.run(
            ["questions", "show", id, "--json"], environment: ["ROUNDS_CONTENT": pack.path])
        #expect(viaEnvironment.stdout.contains("Team version of the question?"))
    }

    @Test func helpDescribesEveryCommand() throws {
        let output = try RoundsBinary.run(["--help"])
        #expect(output.stdout.contains("questions"))
        #expect(output.stdout.contains("content"))
        let lint = try RoundsBinary.run(["content", "lint", "--help"])
        #expect(lint.stdout.contains("Exits 1 when there is any error"))
    }

    // MARK: Helpers

    func firstQuestionID() throws -> String {
        let output = try RoundsBinary.run(["questions", "list", "--json"])
        return try #require(try JSONDecoder().decode([Summary].self, from: Data(output.stdout.utf8)).first).id
    }

    /// The bundled question file, found in the repository's Content folder.
    func bundledFile(for id: String, skill: String) throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("Content/questions/\(skill)/\(id).md")
    }
}
