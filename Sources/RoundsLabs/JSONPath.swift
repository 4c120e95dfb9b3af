import FHIR

/// A dotted path through FHIR JSON for lab checks: `Observation.code.coding.code`, where a list at
/// any step contributes all its items, and `resource[Observation]` keeps only Observations.
struct JSONPath {
    struct Step {
        let name: String
        let resourceType: String?
    }

    let root: String
    let steps: [Step]

    init(_ text: String) {
        var parts = text.split(separator: ".").map(String.init)
        root = parts.isEmpty ? "" : parts.removeFirst()
        steps = parts.map { part in
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                return Step(
                    name: String(part[..<open]),
                    resourceType: String(part[part.index(after: open)..<part.index(before: part.endIndex)]))
            }
            return Step(name: part, resourceType: nil)
        }
    }

    func values(in json: JSONValue) -> [JSONValue] {
        guard json["resourceType"]?.string == root else { return [] }
        var current = [json]
        for step in steps {
            current = current.flatMap { $0[step.name]?.items ?? [] }
            if let type = step.resourceType { current = current.filter { $0["resourceType"]?.string == type } }
        }
        return current
    }

    /// The text of a primitive JSON value, for comparing with a check's `equals`.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// Whether a value is the expected one; `urn:uuid:*` (a trailing `*`) accepts any value with that start.
    static func same(_ value: JSONValue, _ expected: String) -> Bool {
        guard let text = text(value) else { return false }
        if expected.hasSuffix("*") { return text.hasPrefix(expected.dropLast()) }
        if case .number = value, let a = Double(text), let b = Double(expected) { return a == b }
        return text == expected
    }
}
