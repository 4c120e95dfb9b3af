import Foundation
import Testing

/// Issue 17: `rounds openings import|list|show|match|summary|plan|note|delete`, on the synthetic sample
/// files in docs/examples.
@Suite struct OpeningsCLITests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-openings-\(UUID().uuidString)")
    var database: String { folder.appendingPathComponent("rounds.sqlite").path }
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/examples").standardized

    struct Row: Decodable {
        let id: Int64
        let title: String
        let match: Int
        let skills: [String]
        let gaps: [String]
    }

    @Test func theSamplePostingsImportMatchPlanAndTravelWithTheExport() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let jsonld = Self.examples.appendingPathComponent("openings-sample.jsonld").path
        let csv = Self.examples.appendingPathComponent("openings-sample.csv").path

        let imported = try RoundsBinary.run(["openings", "import", jsonld, "--db", database])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("Added 3 openings."))
        let fromCSV = try RoundsBinary.run(["openings", "import", csv, "--db", database])
        #expect(fromCSV.stdout.hasPrefix("Added 2 openings."), "\(fromCSV.stdout)\(fromCSV.stderr)")
        let again = try RoundsBinary.run(["openings", "import", jsonld, "--db", database])
        #expect(again.stdout.hasPrefix("Added 0 openings; skipped 3 you already have."))

        let list = try RoundsBinary.run(["openings", "list", "--db", database])
        #expect(list.stdout.contains("Patient Portal UX Designer") && list.stdout.contains("Healthcare Data Analyst"))

        let match = try RoundsBinary.run(["openings", "match", "--db", database, "--json"])
        let rows = try JSONDecoder().decode([Row].self, from: Data(match.stdout.utf8))
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.match == 0 && !$0.skills.isEmpty }, "nothing practised yet: every skill is a gap")
        let integration = try #require(rows.first { $0.title.hasPrefix("Integration Engineer") })
        #expect(Set(integration.skills).isSuperset(of: ["interoperability", "clinical-terminology", "sql-databases"]))

        let show = try RoundsBinary.run(["openings", "show", "\(integration.id)", "--db", database])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("remote · USD 52–64 an hour · posted 2026-11-25"))
        #expect(
            show.stdout.contains("HL7 v2, interfaces, Mirth, FHIR, SMART on FHIR (7×)"),
            "the words each skill came from")
        #expect(show.stdout.contains("What would close them"))

        let plan = try RoundsBinary.run(["openings", "plan", "\(integration.id)", "--db", database])
        #expect(plan.stdout.contains("Your plan now follows “Integration Engineer (HL7 v2 and FHIR)”"))
        let planned = try RoundsBinary.run(["plan", "--db", database, "--days", "1"])
        #expect(planned.stdout.contains("· Integration Engineer (HL7 v2 and FHIR) at Riverbend Clinics (synthetic)"))

        let note = try RoundsBinary.run([
            "openings", "note", "Riverbend Clinics (synthetic)", "--stack", "Mirth, Azure", "--db", database,
        ])
        #expect(note.stdout.contains("Saved your notes on Riverbend Clinics (synthetic)."))

        let summary = try RoundsBinary.run(["openings", "summary", "--db", database])
        #expect(summary.stdout.hasPrefix("From the 5 postings you imported, dated 2026-10-30 to 2026-11-28."))
        #expect(summary.stdout.contains("Remote: 2 of 5 (40%)"))

        // Export and import into a new database: openings, the plan's posting and the note come along.
        let exported = folder.appendingPathComponent("export.json").path
        #expect(try RoundsBinary.run(["export", "--db", database, "--out", exported]).status == 0)
        let restored = folder.appendingPathComponent("restored.sqlite").path
        let read = try RoundsBinary.run(["import", exported, "--db", restored])
        #expect(read.stdout.contains("5 openings and 1 company notes"), "\(read.stdout)\(read.stderr)")
        let replanned = try RoundsBinary.run(["plan", "--db", restored, "--days", "1"])
        #expect(replanned.stdout.contains("· Integration Engineer (HL7 v2 and FHIR)"))

        let cleared = try RoundsBinary.run(["openings", "plan", "--clear", "--db", database])
        #expect(cleared.stdout.contains("follows your target role again"))
        let deleted = try RoundsBinary.run(["openings", "delete", "\(integration.id)", "--db", database])
        #expect(deleted.stdout.hasPrefix("Removed “Integration Engineer"))
    }

    @Test func badFilesGetErrorsThatSayWhereAndNothingIsAdded() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.csv")
        try Data(
            "title,company,description,salary_min,salary_currency,salary_period\nA,B,C,90000,USD,fortnight\nD,E,F,,,\n"
                .utf8
        )
        .write(to: file)
        let bad = try RoundsBinary.run(["openings", "import", file.path, "--db", database])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("(read as csv)") && bad.stderr.contains("Nothing was imported."))
        #expect(bad.stderr.contains("line 2, salary_period: “fortnight” is not a unit Rounds knows."))
        let list = try RoundsBinary.run(["openings", "list", "--db", database, "--json"])
        let kept = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any]
        #expect(kept?.isEmpty == true, "the good line was not added either")

        let missing = try RoundsBinary.run(["openings", "show", "42", "--db", database])
        #expect(missing.status != 0 && missing.stderr.contains("you have no opening 42"))
        let neither = try RoundsBinary.run(["openings", "plan", "--db", database])
        #expect(neither.status != 0 && neither.stderr.contains("give an opening's number, or --clear."))
    }
}
