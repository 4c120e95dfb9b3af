import Foundation
import Hummingbird

/// HTML forms and query strings as the pages read them. Every form carries the browser's CSRF token,
/// and is refused before it is decoded when it is too large, not UTF-8, or without the token.
extension Request {
    /// The largest form body read, in bytes: an answer at the limit in 4-byte UTF-8, percent-encoded.
    static let maxFormBytes = 256 * 1024

    /// Reads a URL-encoded form into `type`, refusing bodies that are too large, not UTF-8, or without
    /// the browser's CSRF token.
    func decodeForm<Form: Decodable>(_ type: Form.Type, context: AppRequestContext) async throws -> Form {
        let body = try await formBody(
            context: context, maxBytes: Self.maxFormBytes,
            tooLarge:
                "The form is too large; answers are limited to \(LearnerActions.maxAnswerCharacters) characters.")
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: body)
        } catch {
            throw PageError.badRequest("The form could not be read: a field is missing or not valid UTF-8.")
        }
    }

    /// The body of a URL-encoded form, once it is known to be small enough, UTF-8, and to carry the
    /// browser's CSRF token.
    func formBody(context: AppRequestContext, maxBytes: Int, tooLarge: String) async throws -> String {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: maxBytes)
        } catch {
            throw PageError(status: .contentTooLarge, message: tooLarge)
        }
        guard let body = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes),
            body.utf8.elementsEqual(buffer.readableBytesView)
        else { throw PageError.badRequest("The form is not valid UTF-8 text.") }
        let token = URLEncodedForm.value(CSRFMiddleware.fieldName, in: body)
        guard let token, !context.csrfToken.isEmpty, token == context.csrfToken,
            SecretToken.isWellFormed(token)
        else {
            throw PageError(
                status: .forbidden,
                message: "This form has expired or came from another site. Go back, reload the page and submit again.")
        }
        return body
    }

    /// A value of the query string as an HTML form sends it: `+` is a space, `%2B` a plus. The
    /// router's decoding keeps `+`, so a search for two words came back as "ransomware+hospital".
    func formQueryValue(_ name: String) -> String? {
        guard let query = uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first, key.replacingOccurrences(of: "+", with: " ").removingPercentEncoding == name
            else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        return nil
    }
}

/// URL-encoded text (`name=value&…`): form bodies read field by field, and the links pages write.
enum URLEncodedForm {
    /// Every field of a URL-encoded form body, decoded (`+` is a space).
    static func fields(in body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.replacingOccurrences(of: "+", with: " ") }
            guard let name = parts.first?.removingPercentEncoding else { continue }
            fields[name] = parts.count > 1 ? parts[1].removingPercentEncoding ?? "" : ""
        }
        return fields
    }

    /// The first value of one field, percent-decoded.
    static func value(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first == Substring(name) {
                return parts.count > 1 ? String(parts[1]).removingPercentEncoding : ""
            }
        }
        return nil
    }

    /// `path` with `items` as its query string, each value percent-encoded: the links of a pager.
    static func link(_ path: String, _ items: [(String, String)]) -> String {
        let query = items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
