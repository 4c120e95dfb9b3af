import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RoundsContent
import RoundsCore
import RoundsStore
import RoundsTestSupport
import Testing

@testable import RoundsWeb

/// `/api/v1`: every route against the OpenAPI document, every response against its schema, and the
/// refusals (no credentials, a revoked token, another learner's data, cross-site writes, bad input).
@Suite struct APITests {
    static let question = "ransomware-attack-hospital-response"
    static let answer = """
        First I activate the incident response plan and isolate infected systems from the network, without \
        powering them off, to contain the spread. We switch clinicians to downtime procedures so patient care \
        continues, restore from offline immutable backups after checking they are clean, and report to the FBI \
        and HHS. We do not pay the ransom as a first step. Then we assess whether PHI was accessed, because \
        under the HIPAA breach notification rule ransomware is presumed a breach unless a risk assessment \
        shows a low probability of compromise.
        """

    /// The app on a new database of `kind`, in accounts or single-user mode.
    func makeApp(_ kind: StoreLocation.Kind, accounts: Bool) async throws -> some ApplicationProtocol {
        try await TestApp.make(TestApp.settings(on: kind).merging(accounts ? ["auth.mode": "accounts"] : [:]) { $1 })
    }

    static let document: OpenAPIDocument = {
        let url = Bundle.module.bundleURL.deletingLastPathComponent()
            .appendingPathComponent("Rounds_RoundsWeb.resources/Public/openapi.yaml")
        let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/RoundsWeb/Public/openapi.yaml")
        let text =
            (try? String(contentsOf: url, encoding: .utf8)) ?? (try? String(contentsOf: fallback, encoding: .utf8))
        return try! OpenAPIDocument(yaml: text ?? "")
    }()

    /// Calls the API, checks the response against the document for `template`, and returns it.
    @discardableResult
    func call(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, template: String,
        headers: HTTPFields = [:], json: String? = nil, body: ByteBuffer? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (status: Int, json: JSONValue?) {
        var headers = headers
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body ?? json.map { ByteBuffer(string: $0) })
        let status = Int(response.status.code)
        let data = Data(buffer: response.body)
        let value = data.isEmpty ? nil : try? JSONDecoder().decode(JSONValue.self, from: data)
        switch Self.document.responseSchema(path: template, method: method.rawValue, status: status) {
        case .failure(let failure):
            Issue.record("\(failure)", sourceLocation: sourceLocation)
        case .success(let schema?):
            let value = try #require(value, "\(method) \(uri) → \(status) is not JSON", sourceLocation: sourceLocation)
            #expect(
                response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
            let problems = Self.document.violations(value, schema)
            #expect(problems.isEmpty, "\(method) \(uri) → \(status): \(problems)", sourceLocation: sourceLocation)
        case .success(nil):
            #expect(data.isEmpty, "\(method) \(uri) → \(status) should have no body", sourceLocation: sourceLocation)
        }
        return (status, value)
    }

    func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    // MARK: The document

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        let configuration = try WebConfiguration(reader: TestApp.reader(["auth.mode": "accounts"]))
        let environment = try await WebEnvironment(
            library: TestBank.library, store: try SQLiteStore.inMemory(),
            configuration: configuration)
        let routes = Set(
            buildRouter(environment: environment).routes.map { route in
                let path = "\(route.path)".split(separator: "/").map {
                    $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                }
                return "\(route.method.rawValue) /" + path.joined(separator: "/")
            }.filter { $0.contains(" /api/") })
        #expect(routes.count >= 13)
        #expect(
            routes == Self.document.operations,
            "routes \(routes.subtracting(Self.document.operations)) vs document \(Self.document.operations.subtracting(routes))"
        )
        #expect(Self.document.root["openapi"] as? String == "3.1.0")
    }

    /// Issue 21, finding 11: the Origin check compared host and port only, so a plain-HTTP page on the
    /// same host passed as the HTTPS site.
    @Test func theOriginMustMatchTheSchemeToo() throws {
        func check(_ origin: String, forwarded: String? = nil, secure: Bool = false) -> Bool {
            var fields: HTTPFields = [.origin: origin, .contentType: "application/json"]
            if let forwarded { fields[HTTPField.Name("X-Forwarded-Proto")!] = forwarded }
            let head = HTTPRequest(
                method: .post, scheme: nil, authority: "rounds.example:8443", path: "/api/v1/attempts",
                headerFields: fields)
            return
                (try? IdentityMiddleware.checkSameOrigin(
                    Request(head: head, body: .init(buffer: .init())), secure: secure)) != nil
        }
        #expect(check("http://rounds.example:8443"))
        #expect(!check("https://rounds.example:8443"), "the request came over plain HTTP")
        #expect(check("https://rounds.example:8443", forwarded: "https"))
        #expect(!check("http://rounds.example:8443", forwarded: "https"), "a plain-HTTP page writing to the HTTPS site")
        #expect(check("https://rounds.example:8443", secure: true))
        #expect(!check("ftp://rounds.example:8443"))
        #expect(!check("null"))
        #expect(!check("http://evil.example:8443"))
    }

    /// Issue 21, finding 9: the questions cache was keyed by any limit and offset, so 3,990 requests
    /// raised the server's memory from 126 to 407 MB. It now holds one summary per question.
    @Test func theQuestionsCacheHoldsOneEntryPerQuestionWhateverTheQuery() async throws {
        let configuration = try WebConfiguration(reader: TestApp.reader())
        let library = TestBank.library
        let environment = try await WebEnvironment(
            library: library, store: try SQLiteStore.inMemory(), configuration: configuration)
        var logger = Logger(label: "rounds-cache-test")
        logger.logLevel = .error
        try await Application(router: buildRouter(environment: environment), logger: logger).test(.router) { client in
            for offset in stride(from: 0, to: 400, by: 7) {
                for limit in [1, 3, 50] {
                    let page = try await client.execute(
                        uri: "/api/v1/questions?limit=\(limit)&offset=\(offset)", method: .get)
                    #expect(page.status == .ok)
                }
            }
            let whole = try await client.execute(uri: "/api/v1/questions?limit=500", method: .get)
            let decoded = try JSONSerialization.jsonObject(with: Data(buffer: whole.body)) as? [String: Any]
            #expect(decoded?["total"] as? Int == library.questions.count)
            #expect((decoded?["items"] as? [Any])?.count == library.questions.count)
        }
        #expect(environment.pageCache.size.pages <= library.questions.count)
    }

    @Test(arguments: TestStores.kinds) func theDocumentIsServedWithoutSigningIn(_ kind: StoreLocation.Kind) async throws
    {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let response = try await client.execute(uri: "/api/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
        }
    }

    // MARK: Flows

    /// Signs up in accounts mode, creates a personal token in the browser session, and runs `body` with
    /// the token's and the session's headers.
    func withToken(
        _ kind: StoreLocation.Kind,
        _ body:
            @escaping @Sendable (any TestClientProtocol, _ auth: HTTPFields, _ session: HTTPFields) async throws
            -> Void
    ) async throws {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let browser = Browser()
            _ = try await browser.signUp(client, "ana@example.org")
            let session: HTTPFields = [.cookie: browser.cookieHeader]
            let created = try await call(
                client, .post, "/api/v1/tokens", template: "/api/v1/tokens", headers: session,
                json: #"{"name": "laptop script"}"#)
            #expect(created.status == 201)
            let secret = try #require(created.json?["secret"]?.string)
            try await body(client, bearer(secret), session)
        }
    }

    @Test(arguments: TestStores.kinds) func aTokenIsShownOnceAndStopsWorkingWhenRevoked(_ kind: StoreLocation.Kind)
        async throws
    {
        try await withToken(kind) { client, auth, session in
            // Given a script with a working token
            #expect(
                try await call(client, .get, "/api/v1/stats", template: "/api/v1/stats", headers: auth).status == 200)
            // When the token is listed, Then its secret is not shown again
            let tokens = try await call(client, .get, "/api/v1/tokens", template: "/api/v1/tokens", headers: session)
            let tokenID = try #require(tokens.json?["items"]?.array?.first?["id"]?.int)
            #expect(tokens.json?["items"]?.array?.first?["secret"] == nil)
            // When it is revoked, Then it stops working at once
            let revoked = try await call(
                client, .delete, "/api/v1/tokens/\(tokenID)", template: "/api/v1/tokens/{id}", headers: session)
            #expect(revoked.status == 204)
            let refused = try await call(client, .get, "/api/v1/stats", template: "/api/v1/stats", headers: auth)
            #expect(refused.status == 401)
            #expect(refused.json?["error"]?["code"]?.string == "invalid_token")
        }
    }

    @Test(arguments: TestStores.kinds) func questionsArePagedFilteredAndSearched(_ kind: StoreLocation.Kind)
        async throws
    {
        try await withToken(kind) { client, auth, _ in
            // When the script lists questions, Then it gets the first 50 of the bank
            let all = try await call(client, .get, "/api/v1/questions", template: "/api/v1/questions", headers: auth)
            #expect((all.json?["total"]?.int ?? 0) >= 180)
            #expect(all.json?["count"]?.int == 50)
            // And a page starts where a longer list has the same item
            let second = try await call(
                client, .get, "/api/v1/questions?offset=50&limit=10", template: "/api/v1/questions", headers: auth)
            let longer = try await call(
                client, .get, "/api/v1/questions?limit=60", template: "/api/v1/questions", headers: auth)
            #expect(second.json?["items"]?.array?.first == longer.json?["items"]?.array?.dropFirst(50).first)
            #expect(second.json?["items"]?.array?.first != nil)
            #expect(second.json?["count"]?.int == 10)
            // And filters and search narrow the list
            let filtered = try await call(
                client, .get, "/api/v1/questions?skill=interoperability&level=beginner&limit=3",
                template: "/api/v1/questions", headers: auth)
            #expect(filtered.json?["count"]?.int == 3)
            #expect((filtered.json?["total"]?.int ?? 0) >= 4)
            let searched = try await call(
                client, .get, "/api/v1/questions?q=ransomware%20hospital", template: "/api/v1/questions", headers: auth)
            #expect(searched.json?["items"]?.array?.first?["id"]?.string == Self.question)
        }
    }

    @Test(arguments: TestStores.kinds) func aQuestionShowsItsModelAnswerOnlyWhenAsked(_ kind: StoreLocation.Kind)
        async throws
    {
        try await withToken(kind) { client, auth, _ in
            let hidden = try await call(
                client, .get, "/api/v1/questions/\(Self.question)", template: "/api/v1/questions/{id}", headers: auth)
            #expect(hidden.json?["modelAnswer"] == nil)
            let shown = try await call(
                client, .get, "/api/v1/questions/\(Self.question)?reveal=true", template: "/api/v1/questions/{id}",
                headers: auth)
            #expect(shown.json?["modelAnswer"]?.string?.isEmpty == false)
        }
    }

    @Test(arguments: TestStores.kinds) func anAnswerIsGradedSavedAndCanBeRerated(_ kind: StoreLocation.Kind)
        async throws
    {
        try await withToken(kind) { client, auth, _ in
            // When the script answers a question
            let body = String(data: try JSONEncoder().encode(["answer": Self.answer]), encoding: .utf8)!
            let answered = try await call(
                client, .post, "/api/v1/questions/\(Self.question)/attempts",
                template: "/api/v1/questions/{id}/attempts", headers: auth, json: body)
            // Then the answer is saved with feedback that shows its evidence
            #expect(answered.status == 201)
            let id = try #require(answered.json?["attempt"]?["id"]?.int)
            #expect((answered.json?["feedback"]?["band"]?.int ?? 0) >= 3)
            let points = answered.json?["feedback"]?["points"]?.array ?? []
            #expect(points.contains { !($0["evidence"]?.array ?? []).isEmpty })
            // And its rating can be changed once, by its owner
            let fetched = try await call(
                client, .get, "/api/v1/attempts/\(id)", template: "/api/v1/attempts/{id}", headers: auth)
            #expect(fetched.json?["canRerate"] == .bool(true))
            let rerated = try await call(
                client, .post, "/api/v1/attempts/\(id)/rating", template: "/api/v1/attempts/{id}/rating",
                headers: auth, json: #"{"rating": 1}"#)
            #expect(rerated.json?["review"]?["rating"]?.int == 1)
        }
    }

    /// Issue 21, finding 9: the list had no paging (5 MB at 4,200 answers).
    @Test(arguments: TestStores.kinds) func answersArePagedNewestFirstAndCountedEverywhere(_ kind: StoreLocation.Kind)
        async throws
    {
        try await withToken(kind) { client, auth, _ in
            // Given three answers
            for answer in [
                "A first answer about isolating systems.", "A second answer about isolating systems.",
                "A third answer about backups.",
            ] {
                let posted = try await call(
                    client, .post, "/api/v1/questions/\(Self.question)/attempts",
                    template: "/api/v1/questions/{id}/attempts", headers: auth, json: #"{"answer": "\#(answer)"}"#)
                #expect(posted.status == 201)
            }
            // When they are listed two at a time, Then the newest comes first and the rest follow
            let firstPage = try await call(
                client, .get, "/api/v1/attempts?limit=2", template: "/api/v1/attempts", headers: auth)
            #expect(firstPage.json?["total"]?.int == 3)
            #expect(firstPage.json?["count"]?.int == 2)
            #expect(firstPage.json?["items"]?.array?.first?["answer"]?.string == "A third answer about backups.")
            let lastPage = try await call(
                client, .get, "/api/v1/attempts?limit=2&offset=2", template: "/api/v1/attempts", headers: auth)
            #expect(lastPage.json?["count"]?.int == 1)
            #expect(lastPage.json?["offset"]?.int == 2)
            // And the reviews, the plan, the stats and the export agree
            try await call(client, .get, "/api/v1/reviews/due", template: "/api/v1/reviews/due", headers: auth)
            let next = try await call(
                client, .get, "/api/v1/practice/next?count=3", template: "/api/v1/practice/next", headers: auth)
            #expect(next.json?["count"]?.int == 3)
            let stats = try await call(client, .get, "/api/v1/stats", template: "/api/v1/stats", headers: auth)
            #expect(stats.json?["attempts"]?.int == 3)
            let export = try await call(client, .get, "/api/v1/export", template: "/api/v1/export", headers: auth)
            #expect(export.json?["attempts"]?.array?.count == 3)
        }
    }

    @Test(arguments: TestStores.kinds) func singleUserModeNeedsNoCredentialsButRefusesForeignHostNames(
        _ kind: StoreLocation.Kind
    ) async throws {
        try await makeApp(kind, accounts: false).test(.router) { client in
            // The test client always asks for “localhost”; other names are checked below.
            let stats = try await call(client, .get, "/api/v1/stats", template: "/api/v1/stats")
            #expect(stats.status == 200)
            // Token routes exist only with accounts.
            let tokens = try await client.execute(uri: "/api/v1/tokens", method: .get)
            #expect(tokens.status == .notFound)
        }
    }

    @Test func singleUserModeKnowsItsOwnNames() {
        for name in ["localhost", "localhost:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "[::1]"] {
            #expect(IdentityMiddleware.isLoopbackAuthority(name), "\(name)")
        }
        for name in ["attacker.example", "attacker.example:8080", "127.0.0.1.nip.io:8080", "[::2]:80", "10.0.0.1"] {
            #expect(!IdentityMiddleware.isLoopbackAuthority(name), "\(name)")
        }
    }

    // MARK: Refusals

    @Test(arguments: TestStores.kinds) func noCredentialsNoData(_ kind: StoreLocation.Kind) async throws {
        try await makeApp(kind, accounts: true).test(.router) { client in
            for (uri, template) in [
                ("/api/v1/questions", "/api/v1/questions"), ("/api/v1/attempts/1", "/api/v1/attempts/{id}"),
                ("/api/v1/export", "/api/v1/export"), ("/api/v1/tokens", "/api/v1/tokens"),
            ] {
                let response = try await call(client, .get, uri, template: template)
                #expect(response.status == 401, "\(uri)")
                #expect(response.json?["error"]?["code"]?.string == "unauthorized")
            }
            let forged = try await call(
                client, .get, "/api/v1/stats", template: "/api/v1/stats",
                headers: bearer("rnd_" + String(repeating: "0", count: 64)))
            #expect(forged.json?["error"]?["code"]?.string == "invalid_token")
        }
    }

    @Test(arguments: TestStores.kinds) func noLearnerReachesAnothersDataThroughTheAPI(_ kind: StoreLocation.Kind)
        async throws
    {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            let anaSession: HTTPFields = [.cookie: ana.cookieHeader]
            let answered = try await call(
                client, .post, "/api/v1/questions/\(Self.question)/attempts",
                template: "/api/v1/questions/{id}/attempts", headers: anaSession,
                json: #"{"answer": "We isolate infected systems and call the FBI."}"#)
            let id = try #require(answered.json?["attempt"]?["id"]?.int)
            let anaTokens = try await call(
                client, .post, "/api/v1/tokens", template: "/api/v1/tokens", headers: anaSession,
                json: #"{"name": "a"}"#)
            let anaTokenID = try #require(anaTokens.json?["token"]?["id"]?.int)

            let bo = Browser()
            _ = try await bo.signUp(client, "bo@example.org")
            let created = try await call(
                client, .post, "/api/v1/tokens", template: "/api/v1/tokens", headers: [.cookie: bo.cookieHeader],
                json: #"{"name": "bo"}"#)
            let auth = bearer(try #require(created.json?["secret"]?.string))

            #expect(
                try await call(client, .get, "/api/v1/attempts/\(id)", template: "/api/v1/attempts/{id}", headers: auth)
                    .status == 404)
            #expect(
                try await call(
                    client, .post, "/api/v1/attempts/\(id)/rating", template: "/api/v1/attempts/{id}/rating",
                    headers: auth, json: #"{"rating": 4}"#
                ).status == 404)
            #expect(
                try await call(client, .get, "/api/v1/attempts", template: "/api/v1/attempts", headers: auth).json?[
                    "count"]?.int == 0)
            let export = try await call(client, .get, "/api/v1/export", template: "/api/v1/export", headers: auth)
            #expect(export.json?["attempts"]?.array?.isEmpty == true)
            #expect(
                try await call(
                    client, .delete, "/api/v1/tokens/\(anaTokenID)", template: "/api/v1/tokens/{id}", headers: auth
                )
                .status == 404)
            let stats = try await call(client, .get, "/api/v1/stats", template: "/api/v1/stats", headers: auth)
            #expect(stats.json?["attempts"]?.int == 0)
        }
    }

    /// Issue 18: drafts are kept per answer box, per learner, within limits, and the page shows the
    /// server's copy in the box.
    @Test(arguments: TestStores.kinds) func draftsAreSavedReadAndRemovedForTheirLearnerOnly(_ kind: StoreLocation.Kind)
        async throws
    {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            let session: HTTPFields = [.cookie: ana.cookieHeader]
            let key = "question:\(Self.question)"
            let template = "/api/v1/drafts/{key}"
            let saved = try await call(
                client, .put, "/api/v1/drafts/\(key)", template: template, headers: session,
                json: #"{"text": "We isolate the <b>infected</b> systems\nand"}"#)
            #expect(saved.status == 200 && saved.json?["characters"]?.int == 42)
            let read = try await call(client, .get, "/api/v1/drafts/\(key)", template: template, headers: session)
            #expect(read.json?["text"]?.string == "We isolate the <b>infected</b> systems\nand")
            // A percent-encoded colon names the same box.
            #expect(
                try await call(
                    client, .get, "/api/v1/drafts/question%3A\(Self.question)", template: template, headers: session
                ).status == 200)
            try await client.execute(uri: "/questions/\(Self.question)", method: .get, headers: session) { page in
                let html = String(buffer: page.body)
                #expect(
                    html.contains(">\nWe isolate the &lt;b&gt;infected&lt;/b&gt; systems\nand</textarea>"),
                    "escaped, in the box")
                #expect(html.firstMatch(of: /data-draft-at="([1-9][0-9]{12})"/) != nil, "with its time in ms")
            }
            let list = try await call(client, .get, "/api/v1/drafts", template: "/api/v1/drafts", headers: session)
            #expect(list.json?["total"]?.int == 1 && list.json?["items"]?.array?.first?["key"]?.string == key)

            // Another learner sees none of it, and cannot remove it.
            let bo = Browser()
            _ = try await bo.signUp(client, "bo@example.org")
            let other: HTTPFields = [.cookie: bo.cookieHeader]
            #expect(
                try await call(client, .get, "/api/v1/drafts/\(key)", template: template, headers: other).status == 404)
            #expect(
                try await call(client, .delete, "/api/v1/drafts/\(key)", template: template, headers: other).status
                    == 404)
            try await client.execute(uri: "/questions/\(Self.question)", method: .get, headers: other) { page in
                #expect(!String(buffer: page.body).contains("infected&lt;"), "the cached page never carries a draft")
                #expect(String(buffer: page.body).contains(#"data-draft-at="0""#))
            }

            // Bad keys, control characters and text past the limit are refused with a reason.
            for bad in ["notes:x", "question:a:b:c", "question:..%2F..%2Fx"] {
                let refused = try await call(
                    client, .put, "/api/v1/drafts/\(bad)", template: template, headers: session, json: #"{"text": "x"}"#
                )
                #expect(refused.status == 400 && refused.json?["error"]?["code"]?.string == "bad_draft_key", "\(bad)")
            }
            let nul = try await call(
                client, .put, "/api/v1/drafts/\(key)", template: template, headers: session,
                json: #"{"text": "a\u0000b"}"#)
            #expect(nul.json?["error"]?["code"]?.string == "control_character")
            let long = String(repeating: "a", count: Draft.maxCharacters + 1)
            let tooLong = try await call(
                client, .put, "/api/v1/drafts/\(key)", template: template, headers: session,
                json: #"{"text": "\#(long)"}"#)
            #expect(tooLong.status == 413 && tooLong.json?["error"]?["code"]?.string == "draft_too_long")
            let form = try await call(
                client, .put, "/api/v1/drafts/\(key)", template: template,
                headers: [.cookie: ana.cookieHeader, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "text=x"))
            #expect(form.status == 415, "a cookie-borne write must be JSON")

            // Saving the answer on the page removes the draft; empty text removes one too.
            let answered = try await ana.post(
                client, "/questions/\(Self.question)/answers", [("answer", "We isolate the infected systems.")])
            #expect(answered.status == .seeOther)
            #expect(
                try await call(client, .get, "/api/v1/drafts/\(key)", template: template, headers: session).status
                    == 404)
            _ = try await call(
                client, .put, "/api/v1/drafts/lab:hl7-read-adt-a01", template: template, headers: session,
                json: #"{"text": "draft"}"#)
            #expect(
                try await call(
                    client, .put, "/api/v1/drafts/lab:hl7-read-adt-a01", template: template, headers: session,
                    json: #"{"text": "  \n"}"#
                ).status == 204)
            #expect(
                try await call(
                    client, .delete, "/api/v1/drafts/lab:hl7-read-adt-a01", template: template, headers: session
                )
                .status == 404)
        }
    }

    @Test(arguments: TestStores.kinds) func aScriptDoesLabsThroughTheAPI(_ kind: StoreLocation.Kind) async throws {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let ana = Browser()
            _ = try await ana.signUp(client, "ana@example.org")
            let created = try await call(
                client, .post, "/api/v1/tokens", template: "/api/v1/tokens", headers: [.cookie: ana.cookieHeader],
                json: #"{"name": "labs"}"#)
            let auth = bearer(try #require(created.json?["secret"]?.string))

            let all = try await call(client, .get, "/api/v1/labs", template: "/api/v1/labs", headers: auth)
            #expect((all.json?["count"]?.int ?? 0) >= 20)
            let search = try await call(
                client, .get, "/api/v1/labs?kind=fhir-search&level=intermediate", template: "/api/v1/labs",
                headers: auth)
            #expect(
                search.json?["items"]?.array?.allSatisfy { $0["lab"] == nil && $0["kind"]?.string == "fhir-search" }
                    == true)
            #expect(
                try await call(client, .get, "/api/v1/labs?kind=nosql", template: "/api/v1/labs", headers: auth).status
                    == 400)

            // SQL labs: the schema and rules come with the lab; a run shows rows; a hand-in is graded.
            let sqlLab = "sql-telehealth-no-show-rate"
            let sqlDetail = try await call(
                client, .get, "/api/v1/labs/\(sqlLab)", template: "/api/v1/labs/{id}", headers: auth)
            #expect(sqlDetail.json?["tables"]?.array?.contains { $0["name"]?.string == "encounters" } == true)
            #expect(sqlDetail.json?["rules"]?.array?.isEmpty == false)
            let run = try await call(
                client, .post, "/api/v1/labs/\(sqlLab)/run", template: "/api/v1/labs/{id}/run", headers: auth,
                json: #"{"sql": "SELECT type, count(*) AS visits FROM encounters GROUP BY type"}"#)
            #expect(run.status == 200)
            #expect(run.json?["columns"]?.array?.count == 2)
            #expect((run.json?["rows"]?.array?.count ?? 0) >= 3)
            let refused = try await call(
                client, .post, "/api/v1/labs/\(sqlLab)/run", template: "/api/v1/labs/{id}/run", headers: auth,
                json: #"{"sql": "ATTACH 'x.db' AS x"}"#)
            #expect(refused.status == 400)
            #expect(refused.json?["error"]?["code"]?.string == "sql_refused")
            let notSQL = try await call(
                client, .post, "/api/v1/labs/hl7-read-patient-identifiers/run", template: "/api/v1/labs/{id}/run",
                headers: auth, json: #"{"sql": "SELECT 1"}"#)
            #expect(notSQL.status == 400)
            let sqlWrong = try await call(
                client, .post, "/api/v1/labs/\(sqlLab)/attempts", template: "/api/v1/labs/{id}/attempts",
                headers: auth, json: #"{"submission": "SELECT 1"}"#)
            #expect(sqlWrong.status == 201)
            #expect(sqlWrong.json?["accepted"] == .bool(false))

            let lab = "hl7-read-patient-identifiers"
            let detail = try await call(
                client, .get, "/api/v1/labs/\(lab)", template: "/api/v1/labs/{id}", headers: auth)
            #expect(detail.json?["handIn"]?.string == "answers")
            #expect(detail.json?["solution"] == nil)
            let revealed = try await call(
                client, .get, "/api/v1/labs/\(lab)?solution=true", template: "/api/v1/labs/{id}", headers: auth)
            #expect(revealed.json?["solution"]?.string?.contains("mrn: 48213") == true)

            let wrong = try await call(
                client, .post, "/api/v1/labs/\(lab)/attempts", template: "/api/v1/labs/{id}/attempts", headers: auth,
                json: #"{"answers": {"event": "A01", "mrn": "XK-20931"}}"#)
            #expect(wrong.status == 201)
            #expect(wrong.json?["accepted"] == .bool(false))
            let right = try await call(
                client, .post, "/api/v1/labs/\(lab)/attempts", template: "/api/v1/labs/{id}/attempts", headers: auth,
                json:
                    #"{"answers": {"event": "A01", "mrn": "48213", "mrn-authority": "SGH", "member-id": "XK-20931", "family": "RIVERA", "birth-date": "19840721"}}"#
            )
            #expect(right.json?["accepted"] == .bool(true))
            #expect(right.json?["score"]?.int == 100)
            let history = try await call(
                client, .get, "/api/v1/labs/\(lab)/attempts", template: "/api/v1/labs/{id}/attempts", headers: auth)
            #expect(history.json?["count"]?.int == 2)
            #expect(history.json?["total"]?.int == 2)
            let paged = try await call(
                client, .get, "/api/v1/labs/\(lab)/attempts?limit=1&offset=1", template: "/api/v1/labs/{id}/attempts",
                headers: auth)
            #expect(paged.json?["count"]?.int == 1 && paged.json?["total"]?.int == 2)
            #expect(paged.json?["items"]?.array?.first?["accepted"] == .bool(false))
            let listed = try await call(client, .get, "/api/v1/labs", template: "/api/v1/labs", headers: auth)
            #expect(listed.json?["items"]?.array?.first { $0["id"]?.string == lab }?["status"]?.string == "solved")

            let url = try await call(
                client, .post, "/api/v1/labs/fhir-search-patient-name/attempts", template: "/api/v1/labs/{id}/attempts",
                headers: auth, json: #"{"submission": "Patient?family=riv&birthdate=lt1990"}"#)
            #expect(url.json?["accepted"] == .bool(true))
            #expect(
                try await call(
                    client, .post, "/api/v1/labs/fhir-search-patient-name/attempts",
                    template: "/api/v1/labs/{id}/attempts", headers: auth, json: #"{"answers": {"a": "b"}}"#
                ).status == 400)
            #expect(
                try await call(
                    client, .post, "/api/v1/labs/no-such-lab/attempts", template: "/api/v1/labs/{id}/attempts",
                    headers: auth, json: #"{"submission": "x"}"#
                ).status == 404)

            let bo = Browser()
            _ = try await bo.signUp(client, "bo@example.org")
            let boHistory = try await call(
                client, .get, "/api/v1/labs/\(lab)/attempts", template: "/api/v1/labs/{id}/attempts",
                headers: [.cookie: bo.cookieHeader])
            #expect(boHistory.json?["count"]?.int == 0, "another learner's hand-ins stay theirs")
        }
    }

    @Test(arguments: TestStores.kinds) func badInputGetsAStableCodeAndAMessage(_ kind: StoreLocation.Kind) async throws
    {
        try await makeApp(kind, accounts: true).test(.router) { client in
            let browser = Browser()
            _ = try await browser.signUp(client, "ana@example.org")
            let session: HTTPFields = [.cookie: browser.cookieHeader]
            let attempts = "/api/v1/questions/\(Self.question)/attempts"
            let template = "/api/v1/questions/{id}/attempts"
            func code(_ result: (status: Int, json: JSONValue?)) -> String? { result.json?["error"]?["code"]?.string }

            #expect(
                code(try await call(client, .post, attempts, template: template, headers: session, json: "{"))
                    == "invalid_json")
            #expect(
                code(try await call(client, .post, attempts, template: template, headers: session, json: "{}"))
                    == "invalid_json")
            #expect(
                code(
                    try await call(
                        client, .post, attempts, template: template, headers: session, json: #"{"answer": "  "}"#))
                    == "empty_answer")
            let long = String(
                data: try JSONEncoder().encode(["answer": String(repeating: "a", count: 20_001)]), encoding: .utf8)!
            #expect(
                code(try await call(client, .post, attempts, template: template, headers: session, json: long))
                    == "answer_too_long")
            var invalid = ByteBuffer(string: #"{"answer": ""#)
            invalid.writeBytes([0xC3, 0x28, 0xFF])
            invalid.writeString(#""}"#)
            #expect(
                code(
                    try await call(
                        client, .post, attempts, template: template,
                        headers: session.merging([.contentType: "application/json"]), body: invalid))
                    == "invalid_utf8")
            // Cookie-authenticated writes must be JSON, and not from another site.
            #expect(
                code(
                    try await call(
                        client, .post, attempts, template: template,
                        headers: session.merging([.contentType: "text/plain"]), json: #"{"answer": "x"}"#))
                    == "json_required")
            #expect(
                code(
                    try await call(
                        client, .post, attempts, template: template,
                        headers: session.merging([.origin: "https://evil.example"]),
                        json: #"{"answer": "x"}"#)) == "cross_site")
            #expect(
                code(
                    try await call(
                        client, .get, "/api/v1/questions/no-such-question", template: "/api/v1/questions/{id}",
                        headers: session))
                    == "not_found")
            #expect(
                code(
                    try await call(
                        client, .get, "/api/v1/questions?level=expert", template: "/api/v1/questions", headers: session)
                )
                    == "unknown_level")
            #expect(
                code(
                    try await call(
                        client, .get, "/api/v1/practice/next?count=0", template: "/api/v1/practice/next",
                        headers: session))
                    == "bad_parameter")
            #expect(
                code(
                    try await call(
                        client, .post, "/api/v1/tokens", template: "/api/v1/tokens", headers: session,
                        json: #"{"name": ""}"#))
                    == "bad_token_name")

            // Only the latest answer to a question can be re-rated.
            let first = try await call(
                client, .post, attempts, template: template, headers: session,
                json: #"{"answer": "Isolate systems and call the FBI."}"#)
            _ = try await call(
                client, .post, attempts, template: template, headers: session,
                json: #"{"answer": "Isolate systems, restore from backups."}"#)
            let firstID = try #require(first.json?["attempt"]?["id"]?.int)
            let rating = "/api/v1/attempts/\(firstID)/rating"
            #expect(
                code(
                    try await call(
                        client, .post, rating, template: "/api/v1/attempts/{id}/rating", headers: session,
                        json: #"{"rating": 2}"#)) == "not_latest_answer")
            #expect(
                code(
                    try await call(
                        client, .post, rating, template: "/api/v1/attempts/{id}/rating", headers: session,
                        json: #"{"rating": 7}"#)) == "bad_rating")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var result = self
        for field in other { result[field.name] = field.value }
        return result
    }
}

/// The validator itself must be able to fail, or the schema checks above prove nothing.
@Suite struct OpenAPIValidatorTests {
    @Test func itCatchesMissingUndocumentedAndMistypedMembers() throws {
        let document = APITests.document
        let schema = try #require(document.resolve(["$ref": "#/components/schemas/QuestionSummary"]) as [String: Any]?)
        let good = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(
                #"{"id":"a","title":"t","level":"beginner","kind":"code","minutes":3,"skills":["s"],"roles":[]}"#.utf8))
        #expect(document.violations(good, schema).isEmpty)
        let bad = try JSONDecoder().decode(
            JSONValue.self,
            from: Data(
                #"{"id":"a","title":7,"level":"expert","kind":"code","minutes":true,"skills":["s"],"extra":1}"#.utf8))
        let problems = document.violations(bad, schema)
        #expect(problems.contains { $0.contains("“roles” is missing") })
        #expect(problems.contains { $0.contains("“extra” is not documented") })
        #expect(problems.contains { $0.contains("$.title: expected string") })
        #expect(problems.contains { $0.contains("$.minutes: expected integer") })
        #expect(problems.contains { $0.contains("expert is not one of") })
    }
}
