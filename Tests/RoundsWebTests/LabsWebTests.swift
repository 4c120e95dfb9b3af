import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsContent
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// The labs in the browser: grading, history, and the refusals.
@Suite struct LabsWebTests {
    static let lab = "hl7-read-patient-identifiers"

    @Test(arguments: TestStores.kinds) func aLearnerHandsInFixesAndSolvesALab(_ kind: StoreLocation.Kind) async throws {
        try await TestApp.accounts(TestApp.settings(on: kind)).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            let list = try await ana.get(client, "/labs")
            #expect(list.status == .ok)
            let total = try #require(String(buffer: list.body).firstMatch(of: /you have solved 0 of (\d+)/)?.1)
            #expect(Int(total) ?? 0 >= 50)
            let page = try await ana.get(client, "/labs/\(Self.lab)")
            let html = String(buffer: page.body)
            // Issue 18: each field is titled with its path, and listed with it in a table.
            #expect(html.contains(#"PID|<span class="f" title="PID-1">1</span>||<span class="f" title="PID-3">48213"#))
            #expect(
                html.contains(
                    #"MSH|<span class="f" title="MSH-2">^~\&amp;</span>|<span class="f" title="MSH-3">REGADT"#))
            #expect(html.contains("<tr><td><code>PID-5</code></td><td><code>RIVERA^ANA^LUCIA^^MS</code></td></tr>"))
            #expect(html.contains(#"<label for="answer-mrn">"#), "every answer has a label")
            #expect(!html.contains("XK-20931</pre>") && !html.contains("Reference solution"), "no solution yet")

            let wrong = try await ana.post(
                client, "/labs/\(Self.lab)/attempts", [("answer-event", "A01"), ("answer-mrn", "XK-20931")])
            #expect(wrong.status == .seeOther)
            let location = try #require(wrong.headers[.location])
            #expect(location.contains("?attempt="))
            let result = String(buffer: try await ana.get(client, location).body)
            #expect(result.contains("Not yet"))
            #expect(result.contains("PID-3 repeats"))
            #expect(result.contains(#"value="XK-20931""#), "the last hand-in stays in the form")

            let right = try await ana.post(
                client, "/labs/\(Self.lab)/attempts",
                [
                    ("answer-event", "A01"), ("answer-mrn", "48213"), ("answer-mrn-authority", "SGH"),
                    ("answer-member-id", "XK-20931"), ("answer-family", "RIVERA"), ("answer-birth-date", "19840721"),
                ])
            let accepted = String(buffer: try await ana.get(client, try #require(right.headers[.location])).body)
            #expect(accepted.contains("Accepted"))
            #expect(String(buffer: try await ana.get(client, "/labs").body).contains("you have solved 1 of \(total)"))
            let export = String(buffer: try await ana.get(client, "/export.json").body)
            #expect(export.contains("\"labAttempts\""))
            #expect(export.contains("\"labID\" : \"\(Self.lab)\""))
            let solution = String(buffer: try await ana.get(client, "/labs/\(Self.lab)?solution=1").body)
            #expect(solution.contains("Reference solution"))
        }
    }

    @Test(arguments: TestStores.kinds) func documentLabsTakeTheWholeHandIn(_ kind: StoreLocation.Kind) async throws {
        try await TestApp.accounts(TestApp.settings(on: kind)).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            _ = try await ana.get(client, "/labs/fhir-search-hba1c-history")
            let search = try await ana.post(
                client, "/labs/fhir-search-hba1c-history/attempts",
                [
                    (
                        "submission",
                        "Observation?patient=pat-rivera&code=http://loinc.org|4548-4&date=ge2024-01-01&_sort=-date"
                    )
                ])
            #expect(
                String(buffer: try await ana.get(client, try #require(search.headers[.location])).body).contains(
                    "Accepted"))
            _ = try await ana.get(client, "/labs/fhir-write-condition")
            let resource = try await ana.post(
                client, "/labs/fhir-write-condition/attempts",
                [
                    (
                        "submission",
                        #"{"resourceType": "Condition", "subject": {"reference": "Patient/pat-rivera"}, "onsetDateTime": "2019-5"}"#
                    )
                ])
            let graded = String(buffer: try await ana.get(client, try #require(resource.headers[.location])).body)
            #expect(graded.contains("Condition.onsetDateTime"))
            #expect(graded.contains("is not a valid dateTime"))
            let fix = String(buffer: try await ana.get(client, "/labs/hl7-fix-registration").body)
            #expect(fix.contains("PID|1||||NUNEZ"), "a fix starts from the broken message")
        }
    }

    @Test(arguments: TestStores.kinds) func labsRefuseWhatTheyShould(_ kind: StoreLocation.Kind) async throws {
        try await TestApp.accounts(TestApp.settings(on: kind)).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            _ = try await ana.get(client, "/labs/\(Self.lab)")
            let handedIn = try await ana.post(client, "/labs/\(Self.lab)/attempts", [("answer-event", "A01")])
            let mine = try #require(handedIn.headers[.location]).replacingOccurrences(of: "#result", with: "")
            #expect(try await ana.get(client, "/labs/no-such-lab").status == .notFound)
            #expect(try await ana.get(client, "/labs?kind=nosql").status == .badRequest)
            #expect(
                try await ana.post(client, "/labs/\(Self.lab)/run", [("submission", "SELECT 1")]).status == .notFound,
                "only SQL labs run")

            let bo = Browser()
            _ = try await bo.signUp(client, "bo@example.org")
            #expect(try await bo.get(client, mine).status == .notFound, "another learner's hand-in by id")
            #expect(try await bo.get(client, "/labs/\(Self.lab)?attempt=abc").status == .notFound)
            let export = String(buffer: try await bo.get(client, "/export.json").body)
            #expect(!export.contains(Self.lab), "nor in the export")

            _ = try await bo.get(client, "/labs/\(Self.lab)")
            bo.token = String(repeating: "0", count: 64)
            #expect(
                try await bo.post(client, "/labs/\(Self.lab)/attempts", [("answer-event", "A01")]).status == .forbidden)
            _ = try await bo.get(client, "/labs/fhir-write-condition")
            let huge = String(repeating: "x", count: 100_001)
            let tooLong = try await bo.post(client, "/labs/fhir-write-condition/attempts", [("submission", huge)])
            #expect(tooLong.status == .badRequest || tooLong.status == .contentTooLarge)
        }
    }

    @Test(arguments: TestStores.kinds) func anSQLLabRunsShowsRowsAndGradesOnBothDatabases(_ kind: StoreLocation.Kind)
        async throws
    {
        try await TestApp.accounts(TestApp.settings(on: kind)).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            let lab = "sql-patients-over-65-by-condition"
            let page = String(buffer: try await ana.get(client, "/labs/\(lab)").body)
            #expect(page.contains(#"<label for="submission""#), "the editor has a label")
            #expect(page.contains("<summary>"), "the schema browser")
            #expect(page.contains("birth_date"))
            #expect(page.contains(#"formaction="/labs/\#(lab)/run#output""#))

            let run = try await ana.post(
                client, "/labs/\(lab)/run", [("submission", "SELECT code, description FROM diagnosis_codes")])
            #expect(run.status == .ok)
            let ran = String(buffer: run.body)
            #expect(ran.contains("Result of your run"))
            #expect(ran.contains("<th scope=\"col\">code</th>"))
            #expect(ran.contains("E11.9"))
            #expect(ran.contains("SELECT code, description FROM diagnosis_codes"), "the SQL stays in the editor")

            let refused = String(
                buffer: try await ana.post(client, "/labs/\(lab)/run", [("submission", "DELETE FROM patients")]).body)
            #expect(refused.contains("changing data is not allowed"))
            #expect(try await ana.get(client, "/labs/\(lab)?attempt=1").status == .notFound, "runs are not kept")

            let wrong = try await ana.post(
                client, "/labs/\(lab)/attempts", [("submission", "SELECT 'E11.9' AS code, 1 AS patients")])
            let graded = String(buffer: try await ana.get(client, try #require(wrong.headers[.location])).body)
            #expect(graded.contains("Not yet"))
            #expect(graded.contains("Rows of your hand-in"))
            // Issue 18: the unexpected rows are a table, and the cell that differs from the closest right
            // row is marked (the right value is not shown).
            let near = try await ana.post(
                client, "/labs/\(lab)/attempts",
                [("submission", "SELECT 'Obesity, unspecified' AS condition, 1 AS patients")])
            let diff = String(buffer: try await ana.get(client, try #require(near.headers[.location])).body)
            #expect(diff.contains(#"<table class="results diff">"#), "\(diff)")
            #expect(diff.contains(#"<td class="differs">1<span class="visually-hidden"> (differs)</span></td>"#))
            #expect(diff.contains("<td>Obesity, unspecified</td>") && diff.contains("Marked cells differ"))

            let solution = try #require(TestBank.library.lab(id: lab)?.solution)
            let right = try await ana.post(client, "/labs/\(lab)/attempts", [("submission", solution)])
            let accepted = String(buffer: try await ana.get(client, try #require(right.headers[.location])).body)
            #expect(accepted.contains("Accepted"), "\(accepted)")
            #expect(accepted.contains("hidden database"))

            ana.token = String(repeating: "0", count: 64)
            #expect(
                try await ana.post(client, "/labs/\(lab)/run", [("submission", "SELECT 1")]).status == .forbidden,
                "a run needs the CSRF token too")
        }
    }

    /// Issue 18: a search lab shows the practice resources it searches (folded), never the hidden ones.
    @Test(arguments: TestStores.kinds) func searchLabsShowTheResourcesSearched(_ kind: StoreLocation.Kind) async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, _ in
            let html = try await client.execute(uri: "/labs/fhir-search-patient-name", method: .get) {
                String(buffer: $0.body)
            }
            #expect(html.contains(#"<details class="fixture">"#) && html.contains("The resources you are searching ("))
            #expect(html.contains("org-springfield") && !html.contains("h-org-lakeside"), "practice set only")
        }
    }

    @Test(arguments: TestStores.kinds) func solvedLabsComeBackForReviewWhenDue(_ kind: StoreLocation.Kind) async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            // Solve a lab through the page; it is reviewed and scheduled, not due yet.
            let browser = Browser()
            _ = try await browser.get(client, "/labs/fhir-search-patient-name")
            let posted = try await browser.post(
                client, "/labs/fhir-search-patient-name/attempts",
                [("submission", "Patient?family=riv&birthdate=lt1990-01-01")])
            #expect(posted.status == .seeOther)
            let learner = try await store.learner(named: "local")
            let card = try #require(try await store.currentCards(learnerID: learner.id)["lab:fhir-search-patient-name"])
            #expect(card.due > Date())
            #expect(!String(buffer: try await client.execute(uri: "/", method: .get).body).contains("Labs due again"))

            // A lab solved long ago is due: the dashboard lists it and the labs page marks it.
            let old = Date().addingTimeInterval(-90 * 86_400)
            _ = try await LabRecorder(store: store, learner: learner).record(
                labID: "hl7-read-lab-results", submission: "…", result: LabResult(findings: [.init(.passed, "ok")]),
                at: old)
            let dashboard = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(dashboard.contains("Labs due again"))
            #expect(dashboard.contains("/labs/hl7-read-lab-results"))
            let labs = String(buffer: try await client.execute(uri: "/labs", method: .get).body)
            #expect(labs.contains("status-due-again"))
        }
    }
}
