import Foundation

/// Why a FHIR search URL cannot be run, with what to change.
public enum SearchError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String)
    case unknownResourceType(String, hint: String?)
    case unknownParameter(String, resource: String, hint: String?)
    case badModifier(String, parameter: String, type: String)
    case badValue(String, parameter: String, reason: String)
    case unsupported(String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let reason): "The search URL is not usable: \(reason)."
        case .unknownResourceType(let type, let hint):
            "“\(type)” is not a resource type Rounds can search (\(Definitions.resources.joined(separator: ", ")))"
                + (hint.map { "; did you mean \($0)?" } ?? ".")
        case .unknownParameter(let name, let resource, let hint):
            "\(resource) has no search parameter “\(name)” in FHIR R4"
                + (hint.map { "; did you mean “\($0)”?" } ?? ".")
        case .badModifier(let modifier, let parameter, let type):
            "“:\(modifier)” cannot be used on \(parameter), a \(type) parameter."
        case .badValue(let value, let parameter, let reason):
            "“\(value)” is not a value for \(parameter): \(reason)."
        case .unsupported(let what, let reason): "\(what) is valid FHIR but not supported here: \(reason)."
        }
    }
}

/// A parsed FHIR search: `Observation?patient=123&code=http://loinc.org|4548-4&date=ge2024-01-01&_sort=-date`.
///
/// Repeating a parameter means AND; commas inside a value mean OR. Values are percent-decoded, and
/// `\,` `\|` `\$` `\\` escape the characters FHIR gives meaning to.
public struct SearchQuery: Sendable {
    /// One filter: `name[:modifier]=value,value` or a chain `subject:Patient.name=peter`.
    public struct Filter: Sendable {
        public let name: String
        public let modifier: String?
        public let type: String
        public let definition: SearchParameterDefinition?
        /// For chained parameters: the parameter applied to the referenced resource.
        public let chained: (resourceTypes: [String], filter: Box)?
        /// For `_has:Type:reference:parameter`: resources of `type` pointing here through `reference`.
        public let reverse: (type: String, reference: String, filter: Box)?
        /// The alternatives (OR); empty when the filter is chained or reverse.
        public let values: [String]
        /// The parameter's expression, parsed once here rather than for every resource searched; for
        /// `_has`, the expression of the reference that points here.
        let expression: Expression?
    }

    /// A filter inside a filter (chains nest).
    public final class Box: Sendable {
        public let filter: Filter
        init(_ filter: Filter) { self.filter = filter }
    }

    public struct Include: Sendable, Hashable {
        public let sourceType: String
        public let parameter: String
        public let targetType: String?
    }

    public let resourceType: String
    public let filters: [Filter]
    public let sort: [(parameter: String, descending: Bool)]
    public let count: Int?
    public let includes: [Include]
    public let revIncludes: [Include]
    /// `_summary=count`: only the total is wanted.
    public let countOnly: Bool

    /// Parameters that change only how results are shown, not which resources match.
    static let presentation: Set<String> = [
        "_elements", "_format", "_pretty", "_total", "_contained", "_containedType",
    ]

    public init(_ url: String) throws(SearchError) {
        var text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.uppercased().hasPrefix("GET ") { text = String(text.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
        guard !text.isEmpty else { throw .badURL("it is empty; write something like Patient?family=smith") }
        let (path, query) =
            text.firstIndex(of: "?").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) } ?? (text, "")
        guard let type = path.split(separator: "/").last.map(String.init), !type.isEmpty else {
            throw .badURL("there is no resource type before the ?")
        }
        guard Definitions.resources.contains(type) else {
            let hint = Definitions.resources.min { ValidationRun.distance($0, type) < ValidationRun.distance($1, type) }
            throw .unknownResourceType(type, hint: hint.flatMap { ValidationRun.distance($0, type) <= 2 ? $0 : nil })
        }
        resourceType = type
        var filters: [Filter] = []
        var sort: [(String, Bool)] = []
        var count: Int?
        var includes: [Include] = []
        var revIncludes: [Include] = []
        var countOnly = false
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw .badURL("“\(pair)” has no “=”; each parameter is name=value")
            }
            let rawName = String(pair[..<equals])
            let name = rawName.removingPercentEncoding ?? rawName
            let rawValue = String(pair[pair.index(after: equals)...])
            let value = rawValue.removingPercentEncoding ?? rawValue
            guard !value.isEmpty else { throw .badValue("", parameter: name, reason: "a parameter needs a value") }
            switch name {
            case "_sort":
                for key in value.split(separator: ",") {
                    let descending = key.hasPrefix("-")
                    let parameter = String(descending ? key.dropFirst() : key)
                    guard Self.definition(parameter, of: type) != nil else {
                        throw .unknownParameter(parameter, resource: type, hint: Self.hint(parameter, of: type))
                    }
                    sort.append((parameter, descending))
                }
            case "_count":
                guard let n = Int(value), n >= 0 else {
                    throw .badValue(value, parameter: "_count", reason: "it is the page size, a whole number")
                }
                count = n
            case "_summary":
                guard value == "count" || value == "false" else {
                    throw .unsupported(
                        "_summary=\(value)", reason: "it changes which elements are shown, not which resources match")
                }
                countOnly = value == "count"
            case "_include", "_revinclude":
                let parts = value.split(separator: ":").map(String.init)
                guard parts.count == 2 || parts.count == 3 else {
                    throw .badValue(
                        value, parameter: name,
                        reason: "write SourceType:searchParameter[:TargetType], as in Observation:patient")
                }
                guard Definitions.resources.contains(parts[0]) else {
                    throw .unknownResourceType(parts[0], hint: nil)
                }
                guard let definition = Self.definition(parts[1], of: parts[0]), definition.type == "reference" else {
                    throw .badValue(
                        value, parameter: name, reason: "\(parts[1]) is not a reference parameter of \(parts[0])")
                }
                let include = Include(
                    sourceType: parts[0], parameter: parts[1], targetType: parts.count == 3 ? parts[2] : nil)
                if name == "_include" {
                    guard parts[0] == type else {
                        throw .badValue(
                            value, parameter: name,
                            reason:
                                "_include starts from the type searched (\(type)); to follow links into \(type) use _revinclude"
                        )
                    }
                    includes.append(include)
                } else {
                    revIncludes.append(include)
                }
            case "_include:iterate", "_revinclude:iterate":
                throw .unsupported(name, reason: "iterated includes go beyond the labs")
            case let other where Self.presentation.contains(other.split(separator: ":").first.map(String.init) ?? other):
                continue
            default:
                filters.append(try Self.filter(name: name, value: value, type: type))
            }
        }
        self.filters = filters
        self.sort = sort
        self.count = count
        self.includes = includes
        self.revIncludes = revIncludes
        self.countOnly = countOnly
    }

    static func definition(_ name: String, of type: String) -> SearchParameterDefinition? {
        let parameters = Definitions.shared.searchParameters
        return parameters[type]?[name] ?? parameters["DomainResource"]?[name] ?? parameters["Resource"]?[name]
    }

    static func hint(_ name: String, of type: String) -> String? {
        let parameters = Definitions.shared.searchParameters
        let known = Array((parameters[type] ?? [:]).keys) + Array((parameters["Resource"] ?? [:]).keys)
        let best = known.min { ValidationRun.distance($0, name) < ValidationRun.distance($1, name) }
        return best.flatMap { ValidationRun.distance($0, name) <= max(2, name.count / 3) ? $0 : nil }
    }

    static let modifiers: [String: Set<String>] = [
        "string": ["exact", "contains", "missing"],
        "token": ["not", "text", "missing"],
        "reference": ["missing", "identifier"],
        "date": ["missing"],
        "number": ["missing"],
        "quantity": ["missing"],
        "uri": ["missing"],
    ]

    static func filter(name fullName: String, value: String, type: String) throws(SearchError) -> Filter {
        if fullName.hasPrefix("_has:") {
            let parts = fullName.split(separator: ":", maxSplits: 3).map(String.init)
            guard parts.count == 4 else {
                throw .badValue(
                    fullName, parameter: "_has", reason: "write _has:Type:referenceParameter:parameter=value")
            }
            guard Definitions.resources.contains(parts[1]) else { throw .unknownResourceType(parts[1], hint: nil) }
            guard let link = definition(parts[2], of: parts[1]), link.type == "reference" else {
                throw .unknownParameter(parts[2], resource: parts[1], hint: hint(parts[2], of: parts[1]))
            }
            let inner = try filter(name: parts[3], value: value, type: parts[1])
            return Filter(
                name: fullName, modifier: nil, type: "reverse", definition: nil, chained: nil,
                reverse: (parts[1], parts[2], Box(inner)), values: [],
                expression: Expression(link.expression, base: parts[1]))
        }
        var head = fullName
        var rest: String?
        if let dot = fullName.firstIndex(of: ".") {
            head = String(fullName[..<dot])
            rest = String(fullName[fullName.index(after: dot)...])
        }
        let pieces = head.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = pieces.first ?? ""
        guard !name.isEmpty else {
            throw .badURL(
                "the parameter `\(fullName)` has no name before its `\(fullName.first.map(String.init) ?? "=")`; write name=value, for example code=…"
            )
        }
        let modifier = pieces.count > 1 ? pieces[1] : nil
        guard let definition = definition(name, of: type) else {
            throw .unknownParameter(name, resource: type, hint: hint(name, of: type))
        }
        guard ["string", "token", "reference", "date", "number", "quantity", "uri"].contains(definition.type) else {
            throw .unsupported(
                "\(name) (a \(definition.type) parameter)",
                reason: "composite and special parameters are not implemented")
        }
        guard let expression = Expression(definition.expression, base: type) else {
            throw .unsupported(
                name, reason: "its expression (\(definition.expression)) uses FHIRPath this engine does not evaluate")
        }
        if let rest {
            guard definition.type == "reference" else {
                throw .badValue(fullName, parameter: name, reason: "only reference parameters can be chained with “.”")
            }
            var targets = definition.targets.filter { Definitions.resources.contains($0) }
            if let modifier {
                guard definition.targets.contains(modifier) else {
                    throw .badModifier(
                        modifier, parameter: name, type: "reference to \(definition.targets.joined(separator: ", "))")
                }
                targets = [modifier]
            }
            guard let target = targets.first else {
                throw .unsupported(fullName, reason: "its targets are not among the searchable resources")
            }
            if targets.count > 1, modifier == nil {
                // Ambiguous chains are allowed when the chained parameter exists on every target.
                for candidate in targets
                where Self.definition(String(rest.split(separator: ".").first ?? ""), of: candidate) == nil {
                    targets.removeAll { $0 == candidate }
                }
            }
            let inner = try filter(name: rest, value: value, type: targets.first ?? target)
            return Filter(
                name: name, modifier: modifier, type: "chain", definition: definition, chained: (targets, Box(inner)),
                reverse: nil, values: [], expression: expression)
        }
        if let modifier {
            let allowed = modifiers[definition.type] ?? []
            let typeModifier = definition.type == "reference" && Definitions.shared.resourceTypes.contains(modifier)
            guard allowed.contains(modifier) || typeModifier else {
                if ["above", "below", "in", "not-in", "of-type"].contains(modifier) {
                    throw .unsupported(":\(modifier)", reason: "it needs a terminology server")
                }
                throw .badModifier(modifier, parameter: name, type: definition.type)
            }
            if modifier == "missing", value != "true" && value != "false" {
                throw .badValue(value, parameter: "\(name):missing", reason: "it is true or false")
            }
        }
        let values = splitUnescaped(value, on: ",")
        if modifier != "missing" {
            for alternative in values { try check(alternative, type: definition.type, parameter: name) }
        }
        return Filter(
            name: name, modifier: modifier, type: definition.type, definition: definition, chained: nil, reverse: nil,
            values: values, expression: expression)
    }

    static func check(_ value: String, type: String, parameter: String) throws(SearchError) {
        switch type {
        case "date":
            let (_, rest) = prefix(value)
            guard FHIRDate(rest) != nil else {
                throw .badValue(
                    value, parameter: parameter,
                    reason:
                        "dates are YYYY, YYYY-MM, YYYY-MM-DD or a dateTime, with an optional prefix such as ge or lt (ge2024-01-01)"
                )
            }
        case "number":
            let (_, rest) = prefix(value)
            guard Double(rest) != nil else {
                throw .badValue(value, parameter: parameter, reason: "write a number, with an optional prefix (gt5.4)")
            }
        case "quantity":
            let (_, rest) = prefix(value)
            guard let number = splitUnescaped(rest, on: "|").first, Double(number) != nil else {
                throw .badValue(
                    value, parameter: parameter,
                    reason: "write [prefix]number|system|code, as in gt7|http://unitsofmeasure.org|%")
            }
        default: break
        }
    }

    static let prefixes = ["eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"]

    static func prefix(_ value: String) -> (String, String) {
        let head = String(value.prefix(2))
        if prefixes.contains(head), value.count > 2, let next = value.dropFirst(2).first, next.isNumber || next == "-" {
            return (head, String(value.dropFirst(2)))
        }
        return ("eq", value)
    }

    /// Splits on `separator` except where it is escaped with a backslash, and removes the escapes.
    static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
