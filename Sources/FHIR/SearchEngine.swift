import Foundation

/// Runs ``SearchQuery``s over a small in-memory set of resources, as a FHIR server would, so that a
/// learner's URL can be graded by what it returns.
///
/// Semantics follow the R4 search page: strings match case- and accent-insensitively from the start
/// (`:exact`, `:contains`), tokens by `system|code`, dates and numbers as ranges set by their precision
/// with the prefixes eq ne gt lt ge le sa eb ap, references by `Type/id` or id. Without `_sort`,
/// results keep the order of the set.
public struct SearchEngine: Sendable {
    public let resources: [JSONValue]
    /// `Type/id` → index in `resources`.
    let index: [String: Int]

    /// Takes resources, or Bundles whose entries are unpacked. Resources need an id to be found.
    public init(resources: [JSONValue]) {
        var flat: [JSONValue] = []
        for resource in resources {
            if resource["resourceType"]?.string == "Bundle" {
                flat += (resource["entry"]?.items ?? []).compactMap { $0["resource"] }
            } else {
                flat.append(resource)
            }
        }
        self.resources = flat
        var index: [String: Int] = [:]
        for (position, resource) in flat.enumerated() {
            if let key = Self.key(resource) { index[key] = position }
        }
        self.index = index
    }

    static func key(_ resource: JSONValue) -> String? {
        guard let type = resource["resourceType"]?.string, let id = resource["id"]?.string else { return nil }
        return "\(type)/\(id)"
    }

    /// What a search found: the matches (one page when `_count` is given) and what `_include` and
    /// `_revinclude` brought in, each as `Type/id`.
    public struct Result: Sendable, Hashable, Codable {
        public let matches: [String]
        public let included: [String]
        public let total: Int
    }

    public func run(_ query: SearchQuery) -> Result {
        var matched = resources.filter { resource in
            resource["resourceType"]?.string == query.resourceType
                && query.filters.allSatisfy { matches($0, resource: resource, type: query.resourceType) }
        }
        if !query.sort.isEmpty {
            matched = sorted(matched, by: query.sort, type: query.resourceType)
        }
        let total = matched.count
        if query.countOnly { return Result(matches: [], included: [], total: total) }
        if let count = query.count { matched = Array(matched.prefix(count)) }
        let keys = matched.compactMap(Self.key)
        var included: [String] = []
        let matchedKeys = Set(keys)
        var seen = matchedKeys
        for include in query.includes {
            guard let definition = SearchQuery.definition(include.parameter, of: include.sourceType),
                let expression = Expression(definition.expression, base: include.sourceType)
            else { continue }
            for resource in matched {
                for value in expression.values(in: resource) {
                    guard let target = resolve(value.json), let key = Self.key(target),
                        include.targetType.map({ key.hasPrefix($0 + "/") }) ?? true, seen.insert(key).inserted
                    else { continue }
                    included.append(key)
                }
            }
        }
        for include in query.revIncludes {
            guard let definition = SearchQuery.definition(include.parameter, of: include.sourceType),
                let expression = Expression(definition.expression, base: include.sourceType)
            else { continue }
            for resource in resources where resource["resourceType"]?.string == include.sourceType {
                let pointsIn = expression.values(in: resource).contains { value in
                    resolve(value.json).flatMap(Self.key).map { matchedKeys.contains($0) } ?? false
                }
                if pointsIn, let key = Self.key(resource), seen.insert(key).inserted { included.append(key) }
            }
        }
        return Result(matches: keys, included: included, total: total)
    }

    /// The resource a Reference points at, if it is in the set.
    func resolve(_ reference: JSONValue) -> JSONValue? {
        guard let text = reference["reference"]?.string, let (type, id) = ValidationRun.typeAndID(text),
            let position = index["\(type)/\(id)"]
        else { return nil }
        return resources[position]
    }

    // MARK: Matching

    func matches(_ filter: SearchQuery.Filter, resource: JSONValue, type: String) -> Bool {
        if let (sourceType, _, inner) = filter.reverse {
            guard let key = Self.key(resource), let expression = filter.expression else { return false }
            return resources.contains { other in
                other["resourceType"]?.string == sourceType
                    && expression.values(in: other).contains { resolve($0.json).flatMap(Self.key) == key }
                    && matches(inner.filter, resource: other, type: sourceType)
            }
        }
        guard let expression = filter.expression else { return false }
        let values = expression.values(in: resource)
        if let (targets, inner) = filter.chained {
            return values.contains { value in
                guard let target = resolve(value.json), let targetType = target["resourceType"]?.string,
                    targets.contains(targetType)
                else { return false }
                return matches(inner.filter, resource: target, type: targetType)
            }
        }
        if filter.modifier == "missing" {
            return values.isEmpty == (filter.values.first == "true")
        }
        if filter.modifier == "not" {
            return !filter.values.contains { wanted in values.contains { tokenMatches($0, wanted, text: false) } }
        }
        return filter.values.contains { wanted in
            values.contains { value in
                switch filter.type {
                case "string": stringMatches(value, wanted, modifier: filter.modifier)
                case "token": tokenMatches(value, wanted, text: filter.modifier == "text")
                case "reference": referenceMatches(value, wanted, modifier: filter.modifier)
                case "date": dateMatches(value, wanted)
                case "number": numberMatches(value, wanted)
                case "quantity": quantityMatches(value, wanted)
                case "uri": value.json.string == wanted
                default: false
                }
            }
        }
    }

    static func normalized(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    func stringMatches(_ value: Expression.Value, _ wanted: String, modifier: String?) -> Bool {
        var candidates: [String] = []
        switch value.type {
        case "HumanName":
            for key in ["family", "text"] { candidates += value.json[key]?.string.map { [$0] } ?? [] }
            for key in ["given", "prefix", "suffix"] {
                candidates += (value.json[key]?.items ?? []).compactMap(\.string)
            }
        case "Address":
            for key in ["text", "city", "district", "state", "postalCode", "country"] {
                candidates += value.json[key]?.string.map { [$0] } ?? []
            }
            candidates += (value.json["line"]?.items ?? []).compactMap(\.string)
        default:
            candidates += value.json.string.map { [$0] } ?? []
        }
        switch modifier {
        case "exact": return candidates.contains(wanted)
        case "contains":
            let needle = Self.normalized(wanted)
            return candidates.contains { Self.normalized($0).contains(needle) }
        default:
            let needle = Self.normalized(wanted)
            return candidates.contains { Self.normalized($0).hasPrefix(needle) }
        }
    }

    /// (system, code, texts) for each coded thing in a value.
    func tokens(_ value: Expression.Value) -> [(system: String?, code: String?, texts: [String])] {
        let json = value.json
        switch value.type {
        case "Coding":
            return [(json["system"]?.string, json["code"]?.string, [json["display"]?.string].compactMap { $0 })]
        case "CodeableConcept":
            let text = json["text"]?.string
            let codings = json["coding"]?.items ?? []
            if codings.isEmpty { return [(nil, nil, [text].compactMap { $0 })] }
            return codings.map { coding in
                (
                    coding["system"]?.string, coding["code"]?.string,
                    [text, coding["display"]?.string].compactMap { $0 }
                )
            }
        case "Identifier":
            return [(json["system"]?.string, json["value"]?.string, [json["type"]?["text"]?.string].compactMap { $0 })]
        case "ContactPoint":
            return [(nil, json["value"]?.string, [])]
        case "boolean":
            if case .bool(let flag) = json { return [(nil, flag ? "true" : "false", [])] }
            return []
        default:
            return [(nil, json.string, [])]
        }
    }

    func tokenMatches(_ value: Expression.Value, _ wanted: String, text: Bool) -> Bool {
        let candidates = tokens(value)
        if text {
            let needle = Self.normalized(wanted)
            return candidates.contains { $0.texts.contains { Self.normalized($0).hasPrefix(needle) } }
        }
        let implicitSystem = !["Coding", "CodeableConcept", "Identifier"].contains(value.type)
        let parts = SearchQuery.splitUnescaped(wanted, on: "|")
        return candidates.contains { candidate in
            if parts.count == 1 { return candidate.code == parts[0] }
            let (system, code) = (parts[0], parts[1])
            if system.isEmpty { return candidate.system == nil && candidate.code == code }
            if code.isEmpty { return candidate.system == system }
            return (candidate.system == system || (implicitSystem && candidate.system == nil)) && candidate.code == code
        }
    }

    func referenceMatches(_ value: Expression.Value, _ wanted: String, modifier: String?) -> Bool {
        if modifier == "identifier" {
            guard let identifier = value.json["identifier"] else { return false }
            return tokenMatches(Expression.Value(json: identifier, type: "Identifier"), wanted, text: false)
        }
        guard let text = value.json["reference"]?.string, let (type, id) = ValidationRun.typeAndID(text) else {
            return false
        }
        if let modifier, modifier != type { return false }
        if let (wantedType, wantedID) = ValidationRun.typeAndID(wanted) { return wantedType == type && wantedID == id }
        return wanted == id
    }

    /// The span of time a value covers; open ends of a Period reach to the ends of time.
    func span(_ value: Expression.Value) -> FHIRDate? {
        switch value.type {
        case "Period":
            let start = value.json["start"]?.string.flatMap(FHIRDate.init)
            let end = value.json["end"]?.string.flatMap(FHIRDate.init)
            guard start != nil || end != nil else { return nil }
            return FHIRDate(low: start?.low ?? -.infinity, high: end?.high ?? .infinity)
        default:
            return value.json.string.flatMap(FHIRDate.init)
        }
    }

    func dateMatches(_ value: Expression.Value, _ wanted: String) -> Bool {
        let (prefix, text) = SearchQuery.prefix(wanted)
        guard let target = span(value), let query = FHIRDate(text) else { return false }
        let now = Date().timeIntervalSince1970
        return Self.compare(prefix, target: (target.low, target.high), query: (query.low, query.high)) {
            max(abs(query.low - now) * 0.1, 86_400)
        }
    }

    /// Range comparison as the R4 search page describes it, with half-open ranges [low, high).
    static func compare(
        _ prefix: String, target: (low: Double, high: Double), query: (low: Double, high: Double),
        approximately: () -> Double
    ) -> Bool {
        switch prefix {
        case "ne": return !(target.low >= query.low && target.high <= query.high)
        case "gt": return target.high > query.high
        case "lt": return target.low < query.low
        case "ge": return target.high > query.low
        case "le": return target.low < query.high
        case "sa": return target.low >= query.high
        case "eb": return target.high <= query.low
        case "ap":
            let slack = approximately()
            return target.high > query.low - slack && target.low < query.high + slack
        default: return target.low >= query.low && target.high <= query.high
        }
    }

    /// A number's implicit range: `100` is [99.5, 100.5), `7.2` is [7.15, 7.25).
    static func numberRange(_ text: String) -> (Double, Double)? {
        guard let number = Double(text) else { return nil }
        let decimals = text.split(separator: ".").dropFirst().first?.prefix { $0.isNumber }.count ?? 0
        let half = 0.5 * pow(10, -Double(decimals))
        return (number - half, number + half)
    }

    func numericMatches(_ actual: Double, prefix: String, _ text: String) -> Bool {
        guard let number = Double(text), let (low, high) = Self.numberRange(text) else { return false }
        switch prefix {
        case "gt", "sa": return actual > number
        case "lt", "eb": return actual < number
        case "ge": return actual >= number
        case "le": return actual <= number
        case "ne": return !(actual >= low && actual < high)
        case "ap": return abs(actual - number) <= abs(number) * 0.1
        default: return actual >= low && actual < high
        }
    }

    func numberMatches(_ value: Expression.Value, _ wanted: String) -> Bool {
        let (prefix, text) = SearchQuery.prefix(wanted)
        guard case .number(let actual) = value.json, let number = Double(actual) else { return false }
        return numericMatches(number, prefix: prefix, text)
    }

    func quantityMatches(_ value: Expression.Value, _ wanted: String) -> Bool {
        let (prefix, rest) = SearchQuery.prefix(wanted)
        let parts = SearchQuery.splitUnescaped(rest, on: "|")
        guard case .number(let actualText)? = value.json["value"], let actual = Double(actualText),
            numericMatches(actual, prefix: prefix, parts[0])
        else { return false }
        let system = parts.count > 1 ? parts[1] : ""
        let code = parts.count > 2 ? parts[2] : ""
        if code.isEmpty { return true }
        if system.isEmpty { return value.json["code"]?.string == code || value.json["unit"]?.string == code }
        return value.json["system"]?.string == system && value.json["code"]?.string == code
    }

    // MARK: Sorting

    func sorted(_ resources: [JSONValue], by keys: [(parameter: String, descending: Bool)], type: String) -> [JSONValue]
    {
        let expressions = keys.map { key in
            SearchQuery.definition(key.parameter, of: type).flatMap { definition in
                Expression(definition.expression, base: type).map { (definition.type, $0) }
            }
        }
        func sortKey(_ resource: JSONValue, _ position: Int) -> SortValue {
            guard let (kind, expression) = expressions[position], let value = expression.values(in: resource).first
            else {
                return .missing
            }
            switch kind {
            case "date":
                guard let span = span(value) else { return .missing }
                return .number(keys[position].descending ? span.high : span.low)
            case "number":
                if case .number(let text) = value.json, let number = Double(text) { return .number(number) }
                return .missing
            case "quantity":
                if case .number(let text)? = value.json["value"], let number = Double(text) { return .number(number) }
                return .missing
            case "string":
                let text = value.type == "HumanName" ? value.json["family"]?.string : value.json.string
                return text.map { .text(Self.normalized($0)) } ?? .missing
            default:
                let token = tokens(value).first
                return (token?.code ?? value.json["reference"]?.string).map { .text($0) } ?? .missing
            }
        }
        let indexed = resources.enumerated().map { (offset, resource) in
            (offset, resource, keys.indices.map { sortKey(resource, $0) })
        }
        return indexed.sorted { left, right in
            for position in keys.indices {
                let a = left.2[position]
                let b = right.2[position]
                if a == b { continue }
                // Missing values go last whichever the direction, as most servers do.
                if a == .missing { return false }
                if b == .missing { return true }
                return keys[position].descending ? b < a : a < b
            }
            return left.0 < right.0
        }.map(\.1)
    }

    enum SortValue: Comparable {
        case number(Double)
        case text(String)
        case missing
    }
}
