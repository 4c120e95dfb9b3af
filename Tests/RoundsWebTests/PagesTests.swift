import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// The pages of single-user mode, through the router, on an in-memory database.
@Suite struct PagesTests {
    static let question = "ransomware-attack-hospital-response"

    func makeApp(host: String = "127.0.0.1") async throws -> some ApplicationProtocol {
        try await TestApp.make(["http.host": .string(host)])
    }

    /// Fetches a page and returns the browser's CSRF cookie and the token the page's form carries.
    func csrf(_ client: some TestClientProtocol, page: String) async throws -> (cookie: String, token: String) {
        try await client.execute(uri: page, method: .get) { response in
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let token = try #require(Form.csrfToken(in: String(buffer: response.body)))
            #expect(cookie == "rounds_csrf=\(token)")
            return (cookie, token)
        }
    }

    func form(_ fields: [(String, String)]) -> ByteBuffer { Form.body(fields) }

    func post(
        _ client: some TestClientProtocol, _ uri: String, cookie: String?, body: ByteBuffer
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: Form.contentType]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
    }

    @Test func questionPagesSayWhenTheirFactsWereChecked() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/questions/\(Self.question)", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("Facts as of December 2026."))
                #expect(!html.contains("These rules change often"))
            }
            // A volatile question adds a warning to check the sources.
            try await client.execute(uri: "/questions/part-2-substance-use-records", method: .get) { response in
                #expect(String(buffer: response.body).contains("These rules change often"))
            }
        }
    }

    @Test func pagesCarrySecurityHeaders() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                let cookie = try #require(response.headers[.setCookie])
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                #expect(String(buffer: response.body).contains("<h1>Dashboard</h1>"))
            }
        }
    }

    /// Issue 18: the labs page spoke of HL7 and FHIR only, and an empty mock report said "Start another" twice.
    @Test func theLabsPageNamesEveryFamily() async throws {
        try await makeApp().test(.router) { client in
            let labs = String(buffer: try await client.execute(uri: "/labs", method: .get).body)
            #expect(labs.contains("SQL on a synthetic EHR"))
            #expect(labs.contains("HL7 v2 and FHIR R4"))
        }
    }

    @Test func answerBoxesKeepDraftsInTheBrowser() async throws {
        try await makeApp().test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/questions/\(Self.question)", method: .get).body)
            #expect(page.contains(#"data-draft="question:\#(Self.question)""#))
            #expect(page.contains(#"<script src="/static/drafts.js" defer></script>"#))
            let script = try await client.execute(uri: "/static/drafts.js", method: .get)
            #expect(script.status == .ok)
            #expect(String(buffer: script.body).contains("data-saved-draft"))
        }
    }

    /// Issue 18: the navigation marks where the learner is; code questions take code, not prose.
    @Test func theNavigationMarksTheCurrentSectionAndCodeQuestionsTakeCode() async throws {
        try await makeApp().test(.router) { client in
            let question = String(
                buffer: try await client.execute(uri: "/questions/\(Self.question)", method: .get).body)
            #expect(question.contains(#"<a href="/questions" aria-current="page">Question bank</a>"#))
            #expect(question.components(separatedBy: "aria-current").count == 2)
            #expect(!question.contains(#"class="code" spellcheck="false""#))
            #expect(question.contains(#"id="answer-meter""#) && question.contains(#"data-minutes=""#))
            let labs = String(buffer: try await client.execute(uri: "/labs", method: .get).body)
            #expect(labs.contains(#"<a href="/labs" aria-current="page">Labs</a>"#))
            let sql = String(
                buffer: try await client.execute(
                    uri: "/questions/sql-type-2-diabetes-e11-latest-hba1c", method: .get
                ).body)
            #expect(sql.contains(#"class="code" spellcheck="false""#))
            #expect(sql.contains(#"<a href="/labs?kind=sql">SQL labs</a>"#))
            let script = try await client.execute(uri: "/static/answering.js", method: .get)
            #expect(script.status == .ok)
            #expect(String(buffer: script.body).contains("requestSubmit"))
        }
    }

    @Test func answeringShowsFeedbackWithHighlights() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            let answer = """
                I would start the incident response plan, isolate infected systems, preserve evidence and call \
                the FBI and CISA. Clinicians move to downtime procedures. I would never pay the ransom first. \
                We restore from immutable offline backups and assess HIPAA breach notification.
                """
            let response = try await post(
                client, "/questions/\(Self.question)/answers", cookie: cookie,
                body: form([("csrf", token), ("answer", answer)]))
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/attempts/"))
            try await client.execute(uri: location, method: .get, headers: [.cookie: cookie]) { page in
                #expect(page.status == .ok)
                let html = String(buffer: page.body)
                #expect(html.contains("<mark class=\"ev\""))
                #expect(html.contains("incident response plan</mark>") || html.contains(">incident response plan<"))
                #expect(html.contains("Model answer"), "the model answer is revealed after answering")
                // Issue 18: the saved page tells the browser to forget the question's draft.
                #expect(html.contains(#"data-saved-draft="question:\#(Self.question)""#))
            }
            try await client.execute(uri: "/", method: .get) { dashboard in
                #expect(
                    String(buffer: dashboard.body).contains("href=\"\(location)\""), "the attempt is on the dashboard")
            }
        }
    }

    /// Issue 21, finding 1: `started=nan` (or any value far from now) trapped converting Double to Int
    /// and took the whole server down.
    @Test(arguments: ["nan", "inf", "-inf", "1e300", "-1e300", "9.3e18", "abc"])
    func anAbsurdStartTimeIsIgnoredNotFatal(started: String) async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            let response = try await post(
                client, "/questions/\(Self.question)/answers", cookie: cookie,
                body: form([("csrf", token), ("answer", "We isolate infected systems first."), ("started", started)]))
            #expect(response.status == .seeOther || response.status == .badRequest, "\(started): \(response.status)")
        }
    }

    @Test func theLearnerCanChangeTheRatingOfTheirLatestAnswer() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            let answer = "We isolate infected systems and follow the incident response plan with downtime procedures."
            let first = try await post(
                client, "/questions/\(Self.question)/answers", cookie: cookie,
                body: form([("csrf", token), ("answer", answer)]))
            let firstAttempt = try #require(first.headers[.location])
            let changed = try await post(
                client, "\(firstAttempt)/rating", cookie: cookie, body: form([("csrf", token), ("rating", "4")]))
            #expect(changed.status == .seeOther)
            try await client.execute(uri: "\(firstAttempt)?rated=1", method: .get, headers: [.cookie: cookie]) {
                page in
                #expect(String(buffer: page.body).contains("Scheduling rating: 4 · Easy"))
            }
            let bad = try await post(
                client, "\(firstAttempt)/rating", cookie: cookie, body: form([("csrf", token), ("rating", "9")]))
            #expect(bad.status == .badRequest)
            // A second answer moves the schedule on; the first can no longer be re-rated.
            _ = try await post(
                client, "/questions/\(Self.question)/answers", cookie: cookie,
                body: form([("csrf", token), ("answer", answer)]))
            let late = try await post(
                client, "\(firstAttempt)/rating", cookie: cookie, body: form([("csrf", token), ("rating", "1")]))
            #expect(late.status == .conflict)
        }
    }

    @Test func formsWithoutTheRightTokenAreRefused() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            let body = form([("answer", "We isolate the systems.")])
            #expect(
                try await post(client, "/questions/\(Self.question)/answers", cookie: cookie, body: body).status
                    == .forbidden)
            let forged = form([("csrf", String(repeating: "a", count: 64)), ("answer", "We isolate the systems.")])
            #expect(
                try await post(client, "/questions/\(Self.question)/answers", cookie: cookie, body: forged).status
                    == .forbidden)
            // The right token without its cookie, as another site's form would send it.
            let noCookie = form([("csrf", token), ("answer", "We isolate the systems.")])
            #expect(
                try await post(client, "/questions/\(Self.question)/answers", cookie: nil, body: noCookie).status
                    == .forbidden)
        }
    }

    @Test func badAnswersGetClearErrors() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            let uri = "/questions/\(Self.question)/answers"
            let empty = try await post(client, uri, cookie: cookie, body: form([("csrf", token), ("answer", "   ")]))
            #expect(empty.status == .badRequest)
            #expect(String(buffer: empty.body).contains("The answer is empty"))
            let long = String(repeating: "word ", count: 4_001)
            let tooLong = try await post(client, uri, cookie: cookie, body: form([("csrf", token), ("answer", long)]))
            #expect(tooLong.status == .contentTooLarge)
            #expect(String(buffer: tooLong.body).contains("the limit is 20000"))
            let zalgo = "e" + String(repeating: "\u{301}", count: 30_000)
            let marks = try await post(client, uri, cookie: cookie, body: form([("csrf", token), ("answer", zalgo)]))
            #expect(marks.status == .contentTooLarge, "combining marks count as characters")
            let nul = try await post(
                client, uri, cookie: cookie, body: form([("csrf", token), ("answer", "An answer\u{0} with NUL.")]))
            #expect(nul.status == .badRequest)
            #expect(String(buffer: nul.body).contains("U+0000 at character 10"))
            var invalid = ByteBuffer(string: "csrf=\(token)&answer=")
            invalid.writeBytes([0xFF, 0xFE, 0x41])
            #expect(try await post(client, uri, cookie: cookie, body: invalid).status == .badRequest)
            let unknown = try await post(
                client, "/questions/no-such-question/answers", cookie: cookie,
                body: form([("csrf", token), ("answer", "An answer.")]))
            #expect(unknown.status == .notFound)
        }
    }

    @Test func unknownThingsAreNotFound() async throws {
        try await makeApp().test(.router) { client in
            for uri in ["/questions/no-such-question", "/attempts/999", "/attempts/abc", "/nowhere"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(String(buffer: response.body).contains("404"), "\(uri)")
                }
            }
            try await client.execute(uri: "/questions?skill=astrology", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    /// Issue 21, finding 11: a known address asked with the wrong method said 404, and HEAD said 404.
    @Test func wrongMethodsGet405WithAllowAndHeadWorks() async throws {
        try await makeApp().test(.router) { client in
            let put = try await client.execute(uri: "/questions/\(Self.question)", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "GET, HEAD")
            #expect(String(buffer: put.body).contains("This address takes GET, HEAD, not PUT."))
            // Before the CSRF check: a form post to a page that only reads is told so.
            let post = try await client.execute(uri: "/questions", method: .post)
            #expect(post.status == .methodNotAllowed)
            let api = try await client.execute(uri: "/api/v1/stats", method: .delete)
            #expect(api.status == .methodNotAllowed)
            #expect(String(buffer: api.body).contains(#""code":"method_not_allowed""#))
            let answers = try await client.execute(uri: "/questions/\(Self.question)/answers", method: .get)
            #expect(answers.status == .methodNotAllowed)
            #expect(answers.headers[.allow] == "POST")

            let get = try await client.execute(uri: "/questions/\(Self.question)", method: .get)
            let head = try await client.execute(uri: "/questions/\(Self.question)", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(try await client.execute(uri: "/nowhere", method: .put).status == .notFound)
        }
    }

    /// Issue 21, finding 10: `style.css%00.js` came back as JavaScript, `style.css/` as the file, and
    /// the YAML document had no content type.
    @Test func staticFilesAreServedOnlyByTheirRealNames() async throws {
        try await makeApp().test(.router) { client in
            let css = try await client.execute(uri: "/static/style.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
            for uri in ["/static/style.css%00.js", "/static/style.css/", "/static/style.css%0a", "/static//style.css"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true, "\(uri)")
            }
            let yaml = try await client.execute(uri: "/static/openapi.yaml", method: .get)
            #expect(yaml.status == .ok)
            #expect(yaml.headers[.contentType] == "application/yaml")
        }
    }

    @Test func bankFiltersAndSearches() async throws {
        try await makeApp().test(.router) { client in
            try await client.execute(uri: "/questions?level=advanced&skill=security-incident-response", method: .get) {
                response in
                let html = String(buffer: response.body)
                #expect(html.contains("/questions/\(Self.question)"))
                #expect(!html.contains("<span class=\"tag\">beginner</span>"))
            }
            try await client.execute(uri: "/questions?q=ransomware", method: .get) { response in
                #expect(String(buffer: response.body).contains("/questions/\(Self.question)"))
            }
            // Issue 18: a form's GET sends spaces as "+", and the box echoed them back.
            try await client.execute(uri: "/questions?q=ransomware+hospital&level=", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"value="ransomware hospital""#))
                #expect(html.contains("/questions/\(Self.question)"))
            }
            try await client.execute(uri: "/questions?q=C%2B%2B", method: .get) { response in
                #expect(String(buffer: response.body).contains(#"value="C++""#), "an encoded plus stays a plus")
            }
        }
    }

    @Test func settingsValidateAndPersist() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/settings")
            let bad = try await post(
                client, "/settings", cookie: cookie, body: form([("csrf", token), ("role", ""), ("retention", "0.5")]))
            #expect(bad.status == .badRequest)
            // A five-digit year was a 500 (the table's CHECK refused it) and 30 February was saved.
            for date in ["99999-01-01", "2026-02-30"] {
                let refused = try await post(
                    client, "/settings", cookie: cookie, body: form([("csrf", token), ("interviewDate", date)]))
                #expect(refused.status == .badRequest, "\(date)")
            }
            let good = try await post(
                client, "/settings", cookie: cookie,
                body: form([
                    ("csrf", token), ("role", "healthcare-security-engineer"), ("interviewDate", "2027-01-15"),
                    ("retention", "0.85"),
                ]))
            #expect(good.status == .seeOther)
            try await client.execute(uri: "/settings?saved=1", method: .get, headers: [.cookie: cookie]) { response in
                let html = String(buffer: response.body)
                #expect(html.contains("value=\"healthcare-security-engineer\" selected"))
                #expect(html.contains("value=\"0.85\""))
                #expect(html.contains("Settings saved."))
            }
        }
    }

    @Test func historyExportsAsJSONAndCSV() async throws {
        try await makeApp().test(.router) { client in
            let (cookie, token) = try await csrf(client, page: "/questions/\(Self.question)")
            _ = try await post(
                client, "/questions/\(Self.question)/answers", cookie: cookie,
                body: form([
                    ("csrf", token), ("answer", "We isolate systems, say \"no\", and call the FBI, HHS and CISA."),
                ]))
            let csv = try await client.execute(uri: "/export/attempts.csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("id,question_id,session_id,answered_at"))
            #expect(text.contains(#""We isolate systems, say ""no"", and call the FBI, HHS and CISA.""#))
            #expect(try await client.execute(uri: "/export/passwords.csv", method: .get).status == .notFound)
            let json = try await client.execute(uri: "/export.json", method: .get)
            #expect(String(buffer: json.body).contains("isolate systems"))
        }
    }

    @Test func singleUserModeRefusesToListenBeyondThisMachine() async throws {
        await #expect(throws: WebStartupError.self) { _ = try await makeApp(host: "0.0.0.0") }
    }
}

@Suite struct PageCacheTests {
    @Test func cachedPagesGetEachRequestsValues() {
        let cache = PageCache(limit: 2)
        var renders = 0
        let render = {
            renders += 1
            return "<a href=\"/export/rounds-attempts.csv\">x</a><input value=\"\(PageCache.csrfMarker)\">"
                + "<input value=\"\(PageCache.timeMarker)\">\(PageCache.csrfMarker)"
        }
        let first = String(buffer: cache.page("k", csrf: "aaa", time: 1, render: render))
        let second = String(buffer: cache.page("k", csrf: "bbb", time: 2, render: render))
        #expect(renders == 1)
        #expect(first == #"<a href="/export/rounds-attempts.csv">x</a><input value="aaa"><input value="1">aaa"#)
        #expect(second == #"<a href="/export/rounds-attempts.csv">x</a><input value="bbb"><input value="2">bbb"#)
        // Past its limit the cache starts again rather than grow.
        _ = cache.page("l", csrf: "", time: 0, render: render)
        _ = cache.page("m", csrf: "", time: 0, render: render)
        _ = cache.page("k", csrf: "", time: 0, render: render)
        #expect(renders == 4)
    }

    @Test func theCacheIsBoundedInBytes() {
        let cache = PageCache(limit: 1_000, byteLimit: 10_000)
        for index in 0..<100 {
            _ = cache.page("page \(index)", csrf: "", time: 0) { String(repeating: "x", count: 1_000) }
            #expect(cache.size.bytes <= 10_000)
        }
        #expect(cache.size.pages <= 10)
    }
}
