import Configuration
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import RoundsContent
import RoundsStore
import RoundsTestSupport
import SyntheticEHR
import Testing

@testable import RoundsWeb

/// Issue 21: "post generated values to every form field and API body: never a 5xx, never a crash".
/// Every route of the router (both modes), with path parameters, form fields and JSON bodies drawn
/// from values that broke servers before: NaN and huge numbers, NUL and control characters, invalid
/// UTF-8, very long text, wrong types, deep nesting. Seeded, so a failure repeats.
@Suite struct RequestPropertyTests {
    static let values: [String] = [
        "", " ", "0", "-1", "1", "4", "5", "nan", "inf", "-inf", "1e308", "9.3e18", "-9.3e18", "99999999999999999999",
        "0x10", "true", "null", "[]", "{}", "2026-02-30", "99999-01-01", "2026-12-31", "a\u{0}b", "\u{1B}[31m",
        "e" + String(repeating: "\u{301}", count: 3_000), String(repeating: "word ", count: 5_000), "../../etc/passwd",
        "/%09/evil.example", "//evil.example", "<script>alert(1)</script>", "' OR 1=1 --", "SELECT 1",
        "Observation?=1", "MSH|^~\\&|", "{\"resourceType\":\"Patient\"}", "healthcare-data-analyst",
        "ransomware-attack-hospital-response", "beginner", "advanced", "zz", "🩺", "%ZZ", "%00",
    ]
    static let fields = [
        "answer", "started", "rating", "role", "minutes", "level", "skill", "kind", "interviewDate", "hours", "name",
        "email", "password", "next", "submission", "current", "new", "question", "seconds", "q", "confirm", "mode",
        "action", "id",
    ]
    static let ids = [
        "ransomware-attack-hospital-response", "sql-patients-over-65-by-condition", "hl7-read-identifiers", "1", "0",
        "-1", "abc", "99999999999999999999", "%00", "..", "a%2Fb",
    ]

    func makeApp(accounts: Bool) async throws -> (
        some ApplicationProtocol, [Router<AppRequestContext>.RouteDescription]
    ) {
        let configuration = try WebConfiguration(reader: TestApp.reader(accounts ? ["auth.mode": "accounts"] : [:]))
        let environment = try await WebEnvironment(
            library: TestBank.library, store: try SQLiteStore.inMemory(),
            configuration: configuration)
        let router = buildRouter(environment: environment)
        var logger = Logger(label: "rounds-property-test")
        logger.logLevel = .error
        return (Application(router: router, logger: logger), router.routes)
    }

    static func formBody(_ generator: inout SeededRandom, csrf: String) -> ByteBuffer {
        var pairs = [("csrf", csrf)]
        for _ in 0..<(1 + Int(generator.next() % 5)) {
            pairs.append((generator.pick(fields), generator.pick(values)))
        }
        var body = ByteBuffer(
            string: pairs.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&"))
        if generator.next() % 8 == 0 { body.writeBytes([0xFF, 0xFE, 0xC3, 0x28]) }  // invalid UTF-8
        return body
    }

    static func jsonBody(_ generator: inout SeededRandom) -> ByteBuffer {
        func value(_ depth: Int) -> String {
            switch generator.next() % (depth > 3 ? 4 : 6) {
            case 0:
                return
                    "\"\(generator.pick(values).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\u{0}", with: "\\u0000"))\""
            case 1: return generator.pick(["0", "-1", "1e308", "4", "1.5", "99999999999999999999"])
            case 2: return generator.pick(["true", "false", "null"])
            case 3:
                return "\"\(generator.pick(values).prefix(40).filter { $0 != "\"" && $0 != "\\" && !$0.isNewline })\""
            case 4:
                return "[" + (0..<Int(generator.next() % 3)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default:
                return "{"
                    + (0..<Int(generator.next() % 4)).map { _ in "\"\(generator.pick(fields))\":\(value(depth + 1))" }
                    .joined(separator: ",") + "}"
            }
        }
        let text = generator.next() % 10 == 0 ? String(repeating: "[", count: 5_000) : value(0)
        return ByteBuffer(string: text)
    }

    @Test(arguments: [false, true])
    func noGeneratedRequestGetsA5xx(accounts: Bool) async throws {
        let (app, described) = try await makeApp(accounts: accounts)
        // Signing out midway would leave the rest of the run at the sign-in redirect.
        let routes = described.map { (path: "\($0.path)", method: $0.method) }.filter { $0.path != "/signout" }
        let (sent, failures) = try await app.test(.router) { client in
            var generator = SeededRandom(seed: accounts ? 21 : 12)
            var sent = 0
            var failures: [String] = []
            var classes: [Int: Int] = [:]
            let browser = Browser()
            if accounts {
                _ = try await browser.signUp(client, "prop@example.org")
            } else {
                _ = try await browser.get(client, "/")
            }
            for _ in 0..<12 {
                for route in routes {
                    let path =
                        "/"
                        + route.path.split(separator: "/").map { part in
                            part.hasPrefix("{") ? generator.pick(Self.ids) : String(part)
                        }.joined(separator: "/")
                    let api = path.hasPrefix("/api/")
                    var headers: HTTPFields = [.cookie: browser.cookieHeader]
                    let body: ByteBuffer
                    if api {
                        headers[.contentType] = "application/json"
                        body = Self.jsonBody(&generator)
                    } else {
                        headers[.contentType] = "application/x-www-form-urlencoded"
                        body = Self.formBody(&generator, csrf: browser.token)
                    }
                    let query =
                        generator.next() % 3 == 0
                        ? "?\(generator.pick(Self.fields))=\(generator.pick(Self.values).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                        : ""
                    let response = try await client.execute(
                        uri: path + query, method: route.method, headers: headers,
                        body: route.method == .get ? nil : body)
                    sent += 1
                    classes[Int(response.status.code) / 100, default: 0] += 1
                    if response.status.code >= 500 {
                        failures.append("\(route.method) \(path + query) → \(response.status.code)")
                    }
                }
            }
            print("Status classes (\(accounts ? "accounts" : "single-user")): \(classes.sorted { $0.key < $1.key })")
            return (sent, failures)
        }
        #expect(failures.isEmpty, "\(failures.count) of \(sent): \(failures.prefix(10))")
        #expect(sent >= routes.count * 12)
        print(
            "Generated requests (\(accounts ? "accounts" : "single-user") mode): \(sent) sent, \(failures.count) with a 5xx"
        )
    }
}

extension SeededRandom {
    /// One of `items`, drawn from the seeded stream.
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
