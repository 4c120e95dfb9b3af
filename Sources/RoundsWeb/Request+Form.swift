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
        try Self.checkCSRF(URLEncodedForm.value(CSRFMiddleware.fieldName, in: body), context: context)
        return body
    }

    /// Refuses a form whose CSRF token is missing or is not the browser's.
    static func checkCSRF(_ token: String?, context: AppRequestContext) throws {
        guard let token, !context.csrfToken.isEmpty, token == context.csrfToken, SecretToken.isWellFormed(token)
        else {
            throw PageError(
                status: .forbidden,
                message: "This form has expired or came from another site. Go back, reload the page and submit again.")
        }
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

extension Request {
    /// The fields of a form sent as `multipart/form-data` (a form with a file input) or URL-encoded,
    /// by name, once the body is known to be at most `maxBytes`, UTF-8 and to carry the browser's CSRF
    /// token. A file's content is its field's value, and its name is under `FIELD.filename`; only text
    /// files are read.
    func textFormFields(context: AppRequestContext, maxBytes: Int, tooLarge: String) async throws -> [String: String] {
        let contentType = headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data") else {
            return URLEncodedForm.fields(
                in: try await formBody(context: context, maxBytes: maxBytes, tooLarge: tooLarge))
        }
        guard let boundary = MultipartForm.boundary(contentType) else {
            throw PageError.badRequest("The form's multipart boundary is missing; send it again from the page.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: maxBytes)
        } catch {
            throw PageError(status: .contentTooLarge, message: tooLarge)
        }
        guard let fields = MultipartForm.fields(Array(buffer.readableBytesView), boundary: boundary) else {
            throw PageError.badRequest(
                "The form could not be read: a chosen file must be text (JSON-LD, a saved HTML page or CSV, in UTF-8). Choose another file, or paste its text."
            )
        }
        try Self.checkCSRF(fields[CSRFMiddleware.fieldName], context: context)
        return fields
    }
}

/// `multipart/form-data` (RFC 7578) as a browser sends a form with a file input: parts separated by
/// `--boundary` lines, each with headers (the field's name in Content-Disposition) and a body.
enum MultipartForm {
    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    /// Every part's text by field name; nil when the body is not well formed or a part is not UTF-8.
    static func fields(_ body: [UInt8], boundary: String) -> [String: String]? {
        let delimiter = Array("--\(boundary)".utf8)
        var fields: [String: String] = [:]
        var positions: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            positions.append(found)
            index = found + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // The line break after the delimiter, and the one before the next delimiter.
            if body.count > partStart + 1, body[partStart] == 0x0D, body[partStart + 1] == 0x0A { partStart += 2 }
            var partEnd = end
            if partEnd >= 2, body[partEnd - 2] == 0x0D, body[partEnd - 1] == 0x0A { partEnd -= 2 }
            guard partStart <= partEnd else { return nil }
            let part = Array(body[partStart..<partEnd])
            guard let split = find([0x0D, 0x0A, 0x0D, 0x0A], in: part, from: 0) else { return nil }
            guard let head = String(validating: part[0..<split], as: UTF8.self),
                let value = String(validating: part[(split + 4)...], as: UTF8.self)
            else { return nil }
            guard let (name, filename) = disposition(head) else { continue }
            fields[name] = value
            if let filename { fields[name + ".filename"] = filename }
        }
        return fields
    }

    /// The `name` and `filename` parameters of a part's Content-Disposition header.
    static func disposition(_ head: String) -> (name: String, filename: String?)? {
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var parameters: [String: String] = [:]
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                parameters[pair[0].lowercased()] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            return parameters["name"].map { ($0, parameters["filename"]) }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        while index <= haystack.count - needle.count {
            guard let first = haystack[index...].firstIndex(of: needle[0]), first <= haystack.count - needle.count
            else {
                return nil
            }
            if haystack[first..<(first + needle.count)].elementsEqual(needle) { return first }
            index = first + 1
        }
        return nil
    }
}
