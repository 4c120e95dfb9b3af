import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A browser for router tests: it keeps the cookies it is given, reads the CSRF token of the last page,
/// and sends forms the way a browser does (URL-encoded, with the token).
public final class Browser: @unchecked Sendable {
    public var cookies: [String: String] = [:]
    /// The CSRF token of the last page that carried a form.
    public var token = ""
    /// Headers sent with every request, as a proxy in front of the server would add them.
    public var headers: HTTPFields = [:]

    public init() {}

    /// The Cookie header the browser sends.
    public var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    /// Remembers a response's cookies and its page's CSRF token.
    public func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            cookies[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
        }
        if let token = Form.csrfToken(in: String(buffer: response.body)) { self.token = token }
    }

    public func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        var headers = headers
        headers[.cookie] = cookieHeader
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        keep(response)
        return response
    }

    /// Posts a form with the browser's cookies and the last page's CSRF token.
    public func post(_ client: some TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws
        -> TestResponse
    {
        var headers = headers
        headers[.cookie] = cookieHeader
        headers[.contentType] = Form.contentType
        let response = try await client.execute(
            uri: uri, method: .post, headers: headers, body: Form.body([("csrf", token)] + fields))
        keep(response)
        return response
    }

    /// The password every test account is created with.
    public static let password = "correct horse battery staple"

    /// Creates an account (accounts mode) and signs in as it.
    public func signUp(_ client: some TestClientProtocol, _ email: String) async throws -> TestResponse {
        _ = try await get(client, "/signup")
        return try await post(client, "/signup", [("email", email), ("password", Self.password)])
    }
}

/// HTML forms as tests send and read them.
public enum Form {
    public static let contentType = "application/x-www-form-urlencoded"

    /// A URL-encoded form body, fields in order.
    public static func body(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: encoded(fields))
    }

    /// URL-encodes fields as `name=value&…`, escaping everything but letters and digits.
    public static func encoded(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
    }

    /// The CSRF token a page's form carries, if it has one.
    public static func csrfToken(in html: String) -> String? {
        html.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/).map { String($0.1) }
    }
}
