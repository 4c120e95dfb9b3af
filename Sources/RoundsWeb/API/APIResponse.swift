import Foundation
import Hummingbird

/// JSON responses of `/api/v1`: ISO 8601 dates, sorted keys, so output is stable and diffable.
enum APIResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// JSON already encoded.
    static func json(raw: ByteBuffer) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: raw))
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    static func error(_ error: PageError) -> Response {
        let body = ErrorBody(error: .init(code: error.code, message: error.message))
        let data = (try? encoder.encode(body)) ?? Data("{\"error\":{\"code\":\"internal\",\"message\":\"\"}}".utf8)
        return Response(
            status: error.status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Reads a JSON body of at most `limit` bytes, refusing what is too large, not UTF-8 or not the shape
    /// expected, each with its own code.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, limit: Int = 256 * 1024)
        async throws -> Body
    {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw PageError(
                status: .contentTooLarge, code: "too_large", message: "The body is larger than \(limit / 1024) KiB.")
        }
        let bytes = Data(buffer.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw PageError.badRequest("The body is not valid UTF-8 text.", code: "invalid_utf8")
        }
        do {
            return try JSONDecoder().decode(Body.self, from: bytes)
        } catch let DecodingError.keyNotFound(key, _) {
            throw PageError.badRequest("The field “\(key.stringValue)” is required.", code: "invalid_json")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw PageError.badRequest("The field “\(path)” has the wrong type.", code: "invalid_json")
        } catch {
            throw PageError.badRequest("The body is not a JSON object of the documented shape.", code: "invalid_json")
        }
    }
}

/// Personal API tokens: `rnd_` and 64 hexadecimal digits (256 random bits). Only their SHA-256 is stored.
enum APITokens {
    static let prefix = "rnd_"

    static func newToken() -> String { prefix + SecretToken.make() }

    static func isWellFormed(_ token: String) -> Bool {
        token.hasPrefix(prefix) && SecretToken.isWellFormed(String(token.dropFirst(prefix.count)))
    }
}
