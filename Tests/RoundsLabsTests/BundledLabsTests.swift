import Foundation
import RoundsContent
import RoundsCore
import RoundsTestSupport
import Testing

@testable import RoundsLabs

/// Every bundled lab must be solvable by its own solution, and must refuse an empty or unchanged hand-in.
@Suite struct BundledLabsTests {
    static let library = TestBank.library
    /// Built once, after the lab databases: on a fresh machine the first test to ask builds them (under
    /// the databases' lock) and every other waits here, rather than opening files that are not there yet.
    static let grader: LabGrader = {
        let databases = LabDatabases(
            directory: TestEHR.directory, patients: TestEHR.patients, tuningVisits: TestEHR.tuningVisits)
        _ = try? databases.prepareStandard()
        return LabGrader(fixtures: library.labFixtures, sql: SQLJudge(databases: databases))
    }()

    @Test func theLabsLoadWithoutErrors() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Content")
        let result = ContentLoader(packs: [root]).load()
        let labIssues = result.issues.filter { $0.file.contains("/labs/") && $0.severity != .note }
        #expect(labIssues.isEmpty, "\(labIssues.map(\.description).joined(separator: "\n"))")
    }

    @Test func onlyATuningLabNamesCoveringColumns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Content")
        let pack = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-pack-\(UUID())")
        defer { try? FileManager.default.removeItem(at: pack) }
        let folder = pack.appendingPathComponent("labs/sql")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try String(
            contentsOf: root.appendingPathComponent("labs/sql/sql-glucose-z-score-outliers.md"), encoding: .utf8
        )
        .replacingOccurrences(of: "id: sql-glucose-z-score-outliers", with: "id: sql-covering-misplaced")
        .replacingOccurrences(of: "tables: [observations]", with: "tables: [observations]\ncovering: [value]")
        try Data(text.utf8).write(to: folder.appendingPathComponent("sql-covering-misplaced.md"))
        let issues = ContentLoader(packs: [root, pack]).load().issues.filter { $0.field == "covering" }
        #expect(issues.count == 1 && issues.first?.message.contains("only a tuning lab") == true, "\(issues)")
        #expect(Self.library.lab(id: "sql-tuning-emergency-month")?.sql?.covering == ["department_id", "admit_time"])
    }

    @Test func thereAreEnoughLabsOfEveryKindAndLevel() {
        let labs = Self.library.labs
        #expect(labs.count >= 20)
        for kind in Lab.Kind.allCases { #expect(labs.contains { $0.kind == kind }, "no \(kind.rawValue) lab") }
        for level in Level.allCases { #expect(labs.filter { $0.level == level }.count >= 4, "too few \(level) labs") }
        #expect(labs.filter { $0.id.hasPrefix("hl7-") }.count >= 8)
        #expect(labs.filter { $0.id.hasPrefix("fhir-") }.count >= 8)
        let sql = labs.filter { $0.kind.takesSQL }
        #expect(sql.count >= 30)
        for level in Level.allCases {
            #expect(sql.filter { $0.level == level }.count >= 5, "too few \(level) SQL labs")
        }
    }

    @Test func buildingTheDatabasesRemovesThoseOfOlderGenerators() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-ehr-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let old = folder + "/standard-200-v0.sqlite"
        let unrelated = folder + "/notes.sqlite"
        for path in [old, unrelated] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        let databases = LabDatabases(directory: folder, patients: 200)
        try databases.prepareStandard()
        #expect(databases.standardIsReady)
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: unrelated))
    }

    /// Every SQL lab keeps a wrong variant that the grader must reject (content lint checks it too).
    @Test func everySQLLabHasAWrongAnswerThatIsRejected() throws {
        for lab in Self.library.labs where lab.kind.takesSQL {
            #expect(!lab.wrongAnswers.isEmpty, "\(lab.id) has no wrong answer")
        }
        let lab = try #require(Self.library.lab(id: "sql-readmission-rate"))
        let wrong = try #require(lab.wrongAnswers.first)
        let verdict = try #require(try Self.grader.sql?.grade(lab, sql: wrong))
        #expect(!verdict.accepted)
        #expect([.wrongRows, .wrongColumns, .wrongOrder].contains(verdict.kind), "\(verdict.kind)")
        let right = try #require(try Self.grader.sql?.grade(lab, sql: lab.solution))
        #expect(right.accepted && right.hiddenPassed == true, "\(right.message)")
    }

    @Test(arguments: library.labs.map(\.id))
    func theSolutionIsAcceptedAndNothingElseIs(id: String) throws {
        let lab = try #require(Self.library.lab(id: id))
        // The tuning lab's wrong answers are slow, not wrong in their rows: grade them on its database.
        if lab.kind == .sqlTuning { _ = try TestEHR.tuningDatabases() }
        let problems = LabChecker(grader: Self.grader).problems(in: lab)
        #expect(problems.isEmpty, "\(id): \(problems.joined(separator: "\n"))")
    }
}
