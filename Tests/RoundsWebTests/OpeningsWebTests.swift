import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// Issue 17: the openings pages, import by paste and by file, errors that keep what was typed, the
/// plan for a posting, company notes, and isolation between accounts.
@Suite struct OpeningsWebTests {
    static let posting = """
        {"@context": "https://schema.org", "@type": "JobPosting", "title": "Integration Analyst",
         "datePosted": "2026-11-25", "hiringOrganization": {"@type": "Organization", "name": "Riverbend Clinics"},
         "jobLocationType": "TELECOMMUTE",
         "baseSalary": {"@type": "MonetaryAmount", "currency": "USD",
           "value": {"@type": "QuantitativeValue", "minValue": 90000, "maxValue": 110000, "unitText": "YEAR"}},
         "description": "<p>Build HL7 v2 and FHIR interfaces in Mirth; write SQL; map LOINC codes.</p>"}
        """

    /// A multipart body as a browser sends a form with a file input.
    static func multipart(_ fields: [(String, String)], file: (name: String, text: String)?, boundary: String)
        -> ByteBuffer
    {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body +=
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\(file.text)\r\n"
        }
        return ByteBuffer(string: body + "--\(boundary)--\r\n")
    }

    @Test(arguments: TestStores.kinds) func postingsArePastedMatchedAndPlannedFor(_ kind: StoreLocation.Kind)
        async throws
    {
        try await FileBackedApp.run(mode: "single", on: kind) { client, store in
            let browser = Browser()
            let empty = String(buffer: try await browser.get(client, "/openings").body)
            #expect(empty.contains("You have no openings yet.") && empty.contains(#"aria-current="page">Openings</a>"#))
            #expect(empty.contains(#"enctype="multipart/form-data""#) && empty.contains(#"<label for="import-text">"#))

            let imported = try await browser.post(
                client, "/openings/import", [("text", Self.posting), ("format", "auto")])
            #expect(imported.status == .seeOther)
            #expect(imported.headers[.location] == "/openings?added=1&skipped=0")
            let list = String(buffer: try await browser.get(client, "/openings?added=1&skipped=0").body)
            #expect(list.contains("Added 1 opening."))
            #expect(list.contains("Integration Analyst") && list.contains("USD 90,000–110,000 a year"))
            #expect(list.contains("From the 1 posting you imported, dated 2026-11-25."))
            #expect(list.contains("Remote: 1 of 1 (100%)."))

            let learner = try await store.learner(named: "local")
            let id = try #require(try await store.openings(learnerID: learner.id).first?.id)
            let page = String(buffer: try await browser.get(client, "/openings/\(id)").body)
            #expect(page.contains("<h1>Integration Analyst</h1>"))
            #expect(page.contains("Your match: 0%"))
            #expect(page.contains("<strong>HL7 v2, FHIR, interfaces, Mirth</strong>"), "the words each skill came from")
            #expect(page.contains("Plan for this posting"))

            let planned = try await browser.post(client, "/openings/\(id)/plan", [])
            #expect(planned.status == .seeOther && planned.headers[.location] == "/plan")
            let plan = String(buffer: try await browser.get(client, "/plan").body)
            #expect(plan.contains("A rolling week · Integration Analyst at Riverbend Clinics"))

            let noted = try await browser.post(
                client, "/openings/notes",
                [
                    ("company", "Riverbend Clinics"), ("stack", "Mirth, Azure"), ("format", "Panel + take-home"),
                    ("people", ""), ("opening", "\(id)"),
                ])
            #expect(noted.headers[.location] == "/openings/\(id)?saved=1#notes")
            let withNote = String(buffer: try await browser.get(client, "/openings/\(id)?saved=1").body)
            #expect(withNote.contains("Notes saved.") && withNote.contains(">Mirth, Azure</textarea>"))

            let deleted = try await browser.post(client, "/openings/\(id)/delete", [])
            #expect(deleted.headers[.location] == "/openings?deleted=1")
            #expect(try await store.openings(learnerID: learner.id).isEmpty)
        }
    }

    @Test func aFileIsReadAndABadImportKeepsWhatWasTyped() async throws {
        try await FileBackedApp.run(mode: "single") { client, store in
            let browser = Browser()
            _ = try await browser.get(client, "/openings")
            let boundary = "----RoundsTestBoundary7MA4YWxk"
            var headers: HTTPFields = [.cookie: browser.cookieHeader]
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let csv = "title,company,description,remote\nData Analyst,Lakeside Health,\"SQL, Tableau and HIPAA\",no\n"
            let uploaded = try await client.execute(
                uri: "/openings/import", method: .post, headers: headers,
                body: Self.multipart(
                    [("csrf", browser.token), ("text", ""), ("format", "auto")], file: ("postings.csv", csv),
                    boundary: boundary))
            #expect(uploaded.status == .seeOther, "\(String(buffer: uploaded.body))")
            let learner = try await store.learner(named: "local")
            #expect(try await store.openings(learnerID: learner.id).map(\.title) == ["Data Analyst"])

            // Without the token the upload is refused.
            let forged = try await client.execute(
                uri: "/openings/import", method: .post, headers: headers,
                body: Self.multipart([("text", "")], file: ("postings.csv", csv), boundary: boundary))
            #expect(forged.status == .forbidden)

            // A bad paste: 400, every problem listed, and the pasted text is back in the box.
            let broken = Self.posting.replacingOccurrences(of: "\"YEAR\"", with: "\"FORTNIGHT\"")
            let bad = try await browser.post(client, "/openings/import", [("text", broken), ("format", "jsonld")])
            #expect(bad.status == .badRequest)
            let html = String(buffer: bad.body)
            #expect(html.contains(#"role="alert""#) && html.contains("Nothing was imported (read as JSON-LD)"))
            #expect(html.contains("baseSalary.value.unitText: “FORTNIGHT” is not a unit Rounds knows."))
            #expect(html.contains("&quot;FORTNIGHT&quot;"), "the pasted JSON is in the textarea again")
            #expect(try await store.openings(learnerID: learner.id).count == 1)

            // By hand: a missing description is named, and the other fields come back filled in.
            let partial = try await browser.post(
                client, "/openings/new",
                [("title", "Nurse Informaticist"), ("company", "Harbor"), ("salary_min", "ninety")])
            #expect(partial.status == .badRequest)
            let form = String(buffer: partial.body)
            #expect(form.contains("description: is empty.") && form.contains("salary_min: “ninety” is not an amount."))
            #expect(form.contains(#"value="Nurse Informaticist""#))
            let added = try await browser.post(
                client, "/openings/new",
                [
                    ("title", "Nurse Informaticist"), ("company", "Harbor"),
                    ("description", "Epic build and clinical workflows."), ("remote", "yes"),
                ])
            #expect(added.status == .seeOther && added.headers[.location]?.hasPrefix("/openings/") == true)
        }
    }

    @Test(arguments: TestStores.kinds) func anotherAccountCannotSeeOrChangeOpenings(_ kind: StoreLocation.Kind)
        async throws
    {
        try await FileBackedApp.run(mode: "accounts", on: kind) { client, store in
            let owner = Browser()
            _ = try await owner.signUp(client, "owner@example.org")
            _ = try await owner.get(client, "/openings")
            _ = try await owner.post(client, "/openings/import", [("text", Self.posting)])
            let ownerAccount = try #require(try await store.account(email: "owner@example.org"))
            let id = try #require(try await store.openings(learnerID: ownerAccount.learnerID).first?.id)

            let other = Browser()
            _ = try await other.signUp(client, "other@example.org")
            #expect(try await other.get(client, "/openings/\(id)").status == .notFound)
            _ = try await other.get(client, "/openings")
            #expect(try await other.post(client, "/openings/\(id)/plan", []).status == .notFound)
            #expect(try await other.post(client, "/openings/\(id)/delete", []).status == .notFound)
            let list = String(buffer: try await other.get(client, "/openings").body)
            #expect(!list.contains("Integration Analyst"))
            var headers: HTTPFields = [.cookie: other.cookieHeader]
            headers[.contentType] = "application/json"
            #expect(
                try await client.execute(uri: "/api/v1/openings/\(id)", method: .get, headers: headers).status
                    == .notFound)
            #expect(
                try await client.execute(uri: "/api/v1/openings/\(id)", method: .delete, headers: headers).status
                    == .notFound)
            #expect(try await store.openings(learnerID: ownerAccount.learnerID).count == 1)
            #expect(
                try await client.execute(uri: "/openings", method: .get).status == .seeOther, "signed out: to sign in")
        }
    }

    @Test(arguments: TestStores.kinds) func theAPIImportsMatchesAndPlansAsDocumented(_ kind: StoreLocation.Kind)
        async throws
    {
        let api = APITests()
        try await api.makeApp(kind, accounts: false).test(.router) { client in
            let body = String(
                decoding: try JSONSerialization.data(withJSONObject: ["text": "[\(Self.posting)]"]), as: UTF8.self)
            let created = try await api.call(
                client, .post, "/api/v1/openings", template: "/api/v1/openings", json: body)
            #expect(created.status == 201)
            let id = try #require(
                created.json?["added"]?.array?.first?["id"]?.int, "\(String(describing: created.json))")
            let again = try await api.call(client, .post, "/api/v1/openings", template: "/api/v1/openings", json: body)
            #expect(again.json?["skipped"]?.int == 1)
            let bad = try await api.call(
                client, .post, "/api/v1/openings", template: "/api/v1/openings",
                json: #"{"text": "title,company\nA,B\n", "format": "csv"}"#)
            #expect(bad.status == 400 && bad.json?["error"]?["code"]?.string == "bad_openings")

            _ = try await api.call(client, .get, "/api/v1/openings", template: "/api/v1/openings")
            let report = try await api.call(client, .get, "/api/v1/openings/\(id)", template: "/api/v1/openings/{id}")
            #expect(report.json?["match"]?.int == 0)
            let summary = try await api.call(
                client, .get, "/api/v1/openings/summary", template: "/api/v1/openings/summary")
            #expect(summary.json?["remote"]?.int == 1)
            let planned = try await api.call(
                client, .put, "/api/v1/plan/opening", template: "/api/v1/plan/opening", json: #"{"opening": \#(id)}"#)
            #expect(planned.status == 204)
            let plan = try await api.call(client, .get, "/api/v1/plan", template: "/api/v1/plan")
            #expect(plan.json?["roleName"]?.string == "Integration Analyst at Riverbend Clinics")
            let missing = try await api.call(
                client, .put, "/api/v1/plan/opening", template: "/api/v1/plan/opening", json: #"{"opening": 999}"#)
            #expect(missing.status == 404)
            let note = try await api.call(
                client, .put, "/api/v1/companies/notes", template: "/api/v1/companies/notes",
                json: #"{"company": "Riverbend Clinics", "techStack": "Mirth"}"#)
            #expect(note.status == 200)
            _ = try await api.call(client, .get, "/api/v1/companies/notes", template: "/api/v1/companies/notes")
            let export = try await api.call(client, .get, "/api/v1/export", template: "/api/v1/export")
            #expect(export.json?["companyNotes"]?.array?.first?["techStack"]?.string == "Mirth")
            let removed = try await api.call(
                client, .delete, "/api/v1/openings/\(id)", template: "/api/v1/openings/{id}")
            #expect(removed.status == 204)
        }
    }
}
