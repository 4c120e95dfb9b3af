import Foundation
import Yams

/// A JSON value, decoded strictly (a boolean is never a number), for checking responses against schemas.
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .int(let i) = self { i } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// The served OpenAPI document, and a small validator for the subset of JSON Schema it uses: `$ref`,
/// `type`, `required`, `properties` (no undocumented members either), `items`, `enum`, `minimum`,
/// `maximum`, `pattern`.
/// Immutable after loading, so sharing it between tests is safe.
struct OpenAPIDocument: @unchecked Sendable {
    let root: [String: Any]

    init(yaml: String) throws {
        guard let root = try Yams.load(yaml: yaml) as? [String: Any] else { throw Failure("not a YAML mapping") }
        self.root = root
    }

    var paths: [String: [String: Any]] { root["paths"] as? [String: [String: Any]] ?? [:] }

    /// "GET /api/v1/questions/{id}" for every operation.
    var operations: Set<String> {
        Set(
            paths.flatMap { path, item in
                item.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map {
                    "\($0.uppercased()) \(path)"
                }
            })
    }

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return resolve(node as? [String: Any] ?? [:])
    }

    /// The documented schema of a response, or why there is none.
    func responseSchema(path: String, method: String, status: Int) -> Result<[String: Any]?, Failure> {
        guard let operation = paths[path]?[method.lowercased()] as? [String: Any] else {
            return .failure(Failure("\(method) \(path) is not documented"))
        }
        guard let raw = (operation["responses"] as? [String: Any])?[String(status)] as? [String: Any] else {
            return .failure(Failure("\(method) \(path) does not document status \(status)"))
        }
        let response = resolve(raw)
        guard let content = response["content"] as? [String: Any] else { return .success(nil) }
        let media = content["application/json"] as? [String: Any]
        return .success(media.flatMap { $0["schema"] as? [String: Any] }.map(resolve))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Every way `value` breaks `schema`, each with its location.
    func violations(_ value: JSONValue, _ raw: [String: Any], at location: String = "$") -> [String] {
        let schema = resolve(raw)
        var problems: [String] = []
        if let options = schema["enum"] as? [Any] {
            let allowed = options.map { "\($0)" }
            let actual: String? =
                switch value {
                case .string(let s): s
                case .int(let i): String(i)
                default: nil
                }
            if let actual, !allowed.contains(actual) {
                problems.append("\(location): \(actual) is not one of \(allowed)")
            }
        }
        // OpenAPI 3.1 allows a list of types: the value must fit one of them.
        if let types = schema["type"] as? [String] {
            let fits = types.contains { type in
                var one = schema
                one["type"] = type
                return violations(value, one, at: location).isEmpty
            }
            return fits ? problems : problems + ["\(location): expected one of \(types), found \(value)"]
        }
        switch (schema["type"] as? String, value) {
        case ("object", .object(let members)), (nil, .object(let members)):
            let properties = schema["properties"] as? [String: Any]
            for key in schema["required"] as? [String] ?? [] where members[key] == nil {
                problems.append("\(location): required member “\(key)” is missing")
            }
            if let properties {
                for (key, member) in members {
                    guard let sub = properties[key] as? [String: Any] else {
                        problems.append("\(location): member “\(key)” is not documented")
                        continue
                    }
                    problems += violations(member, sub, at: "\(location).\(key)")
                }
            }
        case ("array", .array(let items)):
            if let sub = schema["items"] as? [String: Any] {
                for (index, item) in items.enumerated() {
                    problems += violations(item, sub, at: "\(location)[\(index)]")
                }
            }
        case ("string", .string(let text)):
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(location): “\(text)” does not match \(pattern)")
            }
        case ("integer", .int(let number)):
            problems += bounds(Double(number), schema, location)
        case ("number", .int(let number)):
            problems += bounds(Double(number), schema, location)
        case ("number", .double(let number)):
            problems += bounds(number, schema, location)
        case ("boolean", .bool), ("null", .null):
            break
        case (nil, _):
            break
        case (let type?, let value):
            problems.append("\(location): expected \(type), found \(value)")
        }
        return problems
    }

    func bounds(_ number: Double, _ schema: [String: Any], _ location: String) -> [String] {
        var problems: [String] = []
        if let minimum = (schema["minimum"] as? Int).map(Double.init) ?? schema["minimum"] as? Double, number < minimum
        {
            problems.append("\(location): \(number) is below \(minimum)")
        }
        if let maximum = (schema["maximum"] as? Int).map(Double.init) ?? schema["maximum"] as? Double, number > maximum
        {
            problems.append("\(location): \(number) is above \(maximum)")
        }
        return problems
    }
}
