import Foundation

/// The small part of FHIRPath that R4's search parameters for the supported resources use:
/// paths (`Observation.code`), unions (`|`), type filters (`X as Quantity`, `X.as(Period)`), reference
/// type filters (`X.where(resolve() is Patient)`), member tests (`X.where(system='email')`), and the
/// `deceased` test. Anything else is refused when the query is parsed, never guessed at.
struct Expression: Sendable {
    struct Term: Sendable {
        var steps: [String]
        var asType: String?
        var referenceType: String?
        var memberEquals: (key: String, value: String)?
        var truthy = false
    }

    /// A value found by the expression, with its FHIR type.
    struct Value {
        let json: JSONValue
        let type: String
    }

    let base: String
    let terms: [Term]

    init?(_ expression: String, base: String) {
        self.base = base
        if expression == "id" {  // _id
            terms = [Term(steps: ["id"])]
            return
        }
        var terms: [Term] = []
        for raw in expression.components(separatedBy: " | ") {
            var text = raw.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("("), text.hasSuffix(")") { text = String(text.dropFirst().dropLast()) }
            var term = Term(steps: [])
            if let range = text.range(of: " as ") {
                term.asType = String(text[range.upperBound...])
                text = String(text[..<range.lowerBound])
            }
            if let range = text.range(of: ".exists() and ") {  // Patient.deceased: present and not false
                term.truthy = true
                text = String(text[..<range.lowerBound])
            }
            if let range = text.range(of: ".where(resolve() is ") {
                term.referenceType = String(text[range.upperBound...].dropLast())
                text = String(text[..<range.lowerBound])
            } else if let range = text.range(of: ".where(") {
                let condition = text[range.upperBound...].dropLast()
                let parts = condition.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                term.memberEquals = (String(parts[0]), parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "'")))
                text = String(text[..<range.lowerBound])
            } else if let range = text.range(of: ".as(") {
                term.asType = String(text[range.upperBound...].dropLast())
                text = String(text[..<range.lowerBound])
            }
            guard !text.contains("("), !text.contains(" ") else { return nil }
            var steps = text.split(separator: ".").map(String.init)
            guard steps.first == base || base == "Resource" || steps.first == "Resource" else { continue }
            steps.removeFirst()
            term.steps = steps
            terms.append(term)
        }
        guard !terms.isEmpty else { return nil }
        self.terms = terms
    }

    /// The values the expression selects in `resource`.
    func values(in resource: JSONValue) -> [Value] {
        let defs = Definitions.shared
        var out: [Value] = []
        for term in terms {
            var current: [(JSONValue, path: String, type: String?)] = [(resource, base, nil)]
            for step in term.steps {
                var next: [(JSONValue, path: String, type: String?)] = []
                for (node, path, _) in current {
                    let children = defs.children(of: path)
                    if let element = children[step], !element.isChoice, let value = node[step] {
                        let type = element.types?.count == 1 ? element.types?.first?.code : nil
                        let childPath = Self.childPath(element: element, type: type)
                        for item in value.items { next.append((item, childPath, type ?? "BackboneElement")) }
                    } else if let element = children[step + "[x]"] {
                        for type in element.types ?? [] {
                            let key = step + type.code.prefix(1).uppercased() + type.code.dropFirst()
                            guard let value = node[key] else { continue }
                            for item in value.items { next.append((item, type.code, type.code)) }
                        }
                    } else if step == "id", let value = node["id"] {
                        next.append((value, "id", "id"))
                    }
                }
                current = next
            }
            for (node, _, type) in current {
                let type = type ?? "Resource"
                if let wanted = term.asType, type != wanted { continue }
                if let (key, value) = term.memberEquals, node[key]?.string != value { continue }
                if let target = term.referenceType {
                    guard let reference = node["reference"]?.string,
                        ValidationRun.typeAndID(reference)?.0 == target
                    else { continue }
                }
                if term.truthy {
                    if node == .bool(false) { continue }
                    out.append(Value(json: .bool(true), type: "boolean"))
                    continue
                }
                out.append(Value(json: node, type: type))
            }
        }
        return out
    }

    static func childPath(element: ElementDefinition, type: String?) -> String {
        if let reference = element.contentReference { return reference }
        guard let type, type != "BackboneElement", type != "Element" else { return element.path }
        return type
    }
}
