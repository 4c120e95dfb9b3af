/// Structural validation of FHIR R4 JSON resources against the spec's element tables.
///
/// It checks what the R4 JSON format and StructureDefinitions say: known elements only, cardinality,
/// arrays where the maximum is more than one, primitive types and their formats, choice types,
/// required value-set bindings, references (`Type/id`, absolute URLs, `urn:uuid:`, `#contained`) and
/// the Bundle rules, plus the invariants listed in ``FHIRValidator/evaluatedInvariants``. It does not
/// run FHIRPath, check terminology servers or profiles: see docs/fhir.md for the boundary.
public struct FHIRValidator: Sendable {
    /// The spec invariants this validator evaluates.
    public static let evaluatedInvariants: Set<String> = [
        "ait-1", "ait-2", "att-1", "bdl-1", "bdl-2", "bdl-3", "bdl-4", "bdl-5", "bdl-7", "bdl-8", "bdl-9", "bdl-10",
        "bdl-11", "bdl-12", "con-1", "con-2", "con-3", "con-4", "con-5", "cpt-2", "dom-2", "dom-3", "dom-4", "dom-5",
        "imm-1", "obs-3", "obs-6", "obs-7", "org-1", "org-2", "org-3", "pat-1", "per-1", "qty-3", "rat-1", "ref-1",
        "rng-2", "txt-2",
    ]
    /// Invariants of the supported structures that are not evaluated, and why.
    public static let unevaluatedInvariants: [String: String] = [
        "dom-6": "a best-practice warning (narrative), left out so learners' resources are not noisy",
        "txt-1": "needs an XHTML parser and the narrative's allowed-element list",
        "age-1": "needs UCUM to know which units are times",
        "drt-1": "needs UCUM to know which units are times",
        "dis-1": "needs UCUM to know which units are lengths",
        "cnt-3": "needs UCUM",
        "drq-1": "DataRequirement appears only inside extensions here",
        "drq-2": "DataRequirement appears only inside extensions here",
        "exp-1": "Expression appears only inside extensions here",
        "trd-1": "TriggerDefinition appears only inside extensions here",
        "trd-2": "TriggerDefinition appears only inside extensions here",
        "trd-3": "TriggerDefinition appears only inside extensions here",
        "tim-1": "Timing.repeat rules are not evaluated yet",
        "tim-2": "Timing.repeat rules are not evaluated yet",
        "tim-4": "Timing.repeat rules are not evaluated yet",
        "tim-5": "Timing.repeat rules are not evaluated yet",
        "tim-6": "Timing.repeat rules are not evaluated yet",
        "tim-7": "Timing.repeat rules are not evaluated yet",
        "tim-8": "Timing.repeat rules are not evaluated yet",
        "tim-9": "Timing.repeat rules are not evaluated yet",
        "tim-10": "Timing.repeat rules are not evaluated yet",
    ]

    public init() {}

    /// Validates JSON text: a syntax error is one fatal issue with its line and column.
    public func validate(_ text: String) -> [Issue] {
        do {
            return validate(json: try JSONValue(parsing: text))
        } catch {
            return [Issue(.fatal, "structure", at: "", error.description)]
        }
    }

    /// Validates a parsed resource.
    public func validate(json: JSONValue) -> [Issue] {
        var run = ValidationRun()
        run.resource(json, at: nil, contained: false)
        return run.issues
    }
}

struct ValidationRun {
    let defs = Definitions.shared
    var issues: [Issue] = []
    var regexes: [String: Regex<AnyRegexOutput>] = [:]

    /// What a resource being validated knows about itself, for `#id` references (ref-1, dom-3).
    struct ResourceScope {
        var containedIDs: Set<String> = []
        var localReferences: Set<String> = []
    }
    var scopes: [ResourceScope] = []

    /// References met inside a Bundle, resolved against its entries once the Bundle is walked.
    struct BundleScope { var references: [(location: String, reference: String)] = [] }
    var bundles: [BundleScope] = []

    mutating func add(
        _ severity: Issue.Severity, _ code: String, _ location: String, _ message: String, invariant: String? = nil
    ) {
        issues.append(Issue(severity, code, at: location, message, invariant: invariant))
    }

    // MARK: Resources

    mutating func resource(_ value: JSONValue, at givenLocation: String?, contained: Bool) {
        guard let members = value.members else {
            return add(
                .error, "structure", givenLocation ?? "",
                "A resource is a JSON object with a resourceType, not \(value.kind).")
        }
        guard let typeValue = value["resourceType"] else {
            return add(
                .error, "required", givenLocation ?? "",
                "resourceType is missing: every resource starts by naming its type, for example \"resourceType\": \"Patient\"."
            )
        }
        guard let type = typeValue.string else {
            return add(.error, "structure", (givenLocation ?? "") + ".resourceType", "resourceType must be a string.")
        }
        let location = givenLocation ?? type
        guard defs.resourceTypes.contains(type) else {
            let hint = defs.resourceTypes.first { $0.lowercased() == type.lowercased() }
            return add(
                .error, "value", location,
                "“\(type)” is not an R4 resource type"
                    + (hint.map { "; resource types are written with capitals: “\($0)”." } ?? "."))
        }
        guard defs.structures[type] != nil else {
            return add(
                .warning, "not-supported", location,
                "\(type) is a valid R4 resource, but Rounds checks only \(Definitions.resources.joined(separator: ", ")); its content was not checked."
            )
        }
        var scope = ResourceScope()
        for item in value["contained"]?.items ?? [] {
            if let id = item["id"]?.string { scope.containedIDs.insert(id) }
        }
        scopes.append(scope)
        if type == "Bundle" { bundles.append(BundleScope()) }
        complex(members, path: type, location: location, isResource: true)
        let finished = scopes.removeLast()
        containedRules(value, location: location, contained: contained, scope: finished)
        if type == "Bundle" {
            let bundle = bundles.removeLast()
            bundleRules(value, location: location, references: bundle.references)
        }
    }

    mutating func containedRules(_ value: JSONValue, location: String, contained: Bool, scope: ResourceScope) {
        if contained {
            if value["contained"] != nil {
                add(
                    .error, "invariant", location + ".contained",
                    "A contained resource cannot contain resources of its own; put them all in the outer resource's contained list.",
                    invariant: "dom-2")
            }
            if value["meta"]?["versionId"] != nil || value["meta"]?["lastUpdated"] != nil {
                add(
                    .error, "invariant", location + ".meta",
                    "A contained resource has no version or lastUpdated of its own; remove meta.versionId and meta.lastUpdated.",
                    invariant: "dom-4")
            }
            if value["meta"]?["security"] != nil {
                add(
                    .error, "invariant", location + ".meta.security",
                    "A contained resource cannot carry security labels; label the containing resource instead.",
                    invariant: "dom-5")
            }
            return
        }
        for (index, item) in (value["contained"]?.items ?? []).enumerated() {
            guard let id = item["id"]?.string else {
                add(
                    .error, "required", "\(location).contained[\(index)].id",
                    "A contained resource needs an id so that the resource around it can refer to it as #id.")
                continue
            }
            if !scope.localReferences.contains(id) && !scope.localReferences.contains("") {
                add(
                    .error, "invariant", "\(location).contained[\(index)]",
                    "Contained resource “\(id)” is never referred to: add a reference {\"reference\": \"#\(id)\"} where it is used, or remove it.",
                    invariant: "dom-3")
            }
        }
    }

    // MARK: Complex values

    /// Finds the element definition a JSON key stands for, with the type a choice suffix selects.
    enum Resolution {
        case element(ElementDefinition, type: String?)
        case unknown(String)
    }

    func resolve(_ name: String, in children: [String: ElementDefinition], path: String) -> Resolution {
        if let element = children[name], !element.isChoice {
            return .element(element, type: element.types?.count == 1 ? element.types?.first?.code : nil)
        }
        for element in children.values where element.isChoice {
            let stem = String(element.name.dropLast(3))
            guard name.hasPrefix(stem) else { continue }
            let suffix = name.dropFirst(stem.count)
            let allowed = (element.types ?? []).map(\.code)
            let spelled = allowed.map { stem + $0.prefix(1).uppercased() + $0.dropFirst() }
            if suffix.isEmpty {
                return .unknown(
                    "\(stem)[x] is a choice: write the type into the name, one of \(Self.list(spelled)).")
            }
            guard suffix.first?.isUppercase == true else { continue }
            if let match = allowed.first(where: { $0.prefix(1).uppercased() + $0.dropFirst() == suffix }) {
                return .element(element, type: match)
            }
            return .unknown(
                "“\(name)” is not an allowed type for \(path).\(stem)[x]; use one of \(Self.list(spelled)).")
        }
        let known = children.keys.sorted()
        let near = known.min { Self.distance($0, name) < Self.distance($1, name) }
        let hint = near.flatMap { Self.distance($0, name) <= max(2, name.count / 3) ? " Did you mean “\($0)”?" : nil }
        return .unknown("“\(name)” is not an element of \(path)." + (hint ?? " Elements are: \(Self.list(known))."))
    }

    mutating func complex(
        _ members: [(key: String, value: JSONValue)], path: String, location: String, isResource: Bool = false
    ) {
        if members.isEmpty {
            return add(.error, "structure", location, "An empty object is not allowed; leave the element out instead.")
        }
        let children = defs.children(of: path)
        var seenKeys: Set<String> = []
        var present: Set<String> = []
        var choices: [String: [String]] = [:]
        for (key, value) in members {
            if isResource && key == "resourceType" { continue }
            guard seenKeys.insert(key).inserted else {
                add(.error, "structure", "\(location).\(key)", "“\(key)” appears twice in the same object.")
                continue
            }
            let extensionOnly = key.hasPrefix("_") && key.count > 1
            let name = extensionOnly ? String(key.dropFirst()) : key
            switch resolve(name, in: children, path: path) {
            case .unknown(let message):
                add(.error, "structure", "\(location).\(key)", message)
            case .element(let element, var type):
                // R4's snapshots type Resource.id as a plain string, but the spec's text and every
                // validator hold it to the id format (1–64 of A–Z a–z 0–9 - .).
                if isResource && key == "id" { type = "id" }
                present.insert(element.name)
                if element.isChoice { choices[element.name, default: []].append(name) }
                if extensionOnly {
                    primitiveExtension(value, element: element, type: type, location: "\(location).\(key)")
                } else {
                    self.value(value, element: element, type: type, location: "\(location).\(key)")
                }
            }
        }
        for (choice, keys) in choices where Set(keys).count > 1 {
            add(
                .error, "structure", "\(location).\(keys[1])",
                "\(path).\(choice) takes exactly one type, but this object has \(Self.list(Array(Set(keys)).sorted())); keep one."
            )
        }
        for element in children.values.sorted(by: { $0.path < $1.path })
        where element.min > 0 && !present.contains(element.name) {
            let what = element.short.map { " (\($0))" } ?? ""
            let shown = element.isChoice ? String(element.name.dropLast(3)) + "[x]" : element.name
            add(.error, "required", "\(location).\(shown)", "\(path).\(shown)\(what) is required but missing.")
        }
        invariants(path: path, object: .object(members), location: location)
    }

    mutating func value(_ value: JSONValue, element: ElementDefinition, type: String?, location: String) {
        if element.isList {
            guard case .array(let items) = value else {
                add(
                    .error, "structure", location,
                    "\(element.path) can repeat, so it is always a JSON array: [ … ], even with one item.")
                return single(value, element: element, type: type, location: location)
            }
            if items.isEmpty {
                return add(
                    .error, "structure", location, "An empty array is not allowed; leave the element out instead.")
            }
            if let maximum = element.maxCount, items.count > maximum {
                add(.error, "structure", location, "\(element.path) allows at most \(maximum), not \(items.count).")
            }
            for (index, item) in items.enumerated() {
                if item == .null {
                    add(.error, "structure", "\(location)[\(index)]", "null is not allowed in an array.")
                } else {
                    single(item, element: element, type: type, location: "\(location)[\(index)]")
                }
            }
        } else {
            if case .array(let items) = value {
                add(
                    .error, "structure", location,
                    "\(element.path) takes a single value (at most one), not an array; remove the [ ]."
                )
                if let first = items.first { single(first, element: element, type: type, location: location) }
                return
            }
            single(value, element: element, type: type, location: location)
        }
    }

    mutating func single(_ value: JSONValue, element: ElementDefinition, type: String?, location: String) {
        if value == .null { return add(.error, "structure", location, "null is not allowed; leave the element out.") }
        if let reference = element.contentReference {
            return object(value, location: location) { run, members in
                run.complex(members, path: reference, location: location)
            }
        }
        let code = type ?? element.types?.first?.code
        switch code {
        case nil, "BackboneElement", "Element":
            object(value, location: location) { run, members in
                run.complex(members, path: element.path, location: location)
            }
        case "Resource":
            resource(value, at: location, contained: element.path.hasSuffix(".contained"))
        case "xhtml":
            guard let text = value.string, text.hasPrefix("<div") else {
                return add(
                    .error, "value", location, "Narrative div is XHTML in a string that starts with <div xmlns=…>.")
            }
            let content = text.replacing(/<[^>]*>/, with: "").trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty {
                add(
                    .error, "invariant", location, "The narrative needs some text, not only markup.", invariant: "txt-2"
                )
            }
        case let code? where defs.isPrimitive(code):
            primitive(value, type: code, element: element, location: location)
        case let code?:
            object(value, location: location) { run, members in
                run.complex(members, path: code, location: location)
            }
            if code == "Reference", let text = value["reference"]?.string {
                reference(
                    text, targets: element.types?.first { $0.code == "Reference" }?.targets, element: element,
                    location: location + ".reference")
            }
            if let binding = element.binding, code == "CodeableConcept" || code == "Coding" {
                codingBinding(value, code: code, binding: binding, element: element, location: location)
            }
        }
    }

    mutating func object(
        _ value: JSONValue, location: String, _ body: (inout ValidationRun, [(key: String, value: JSONValue)]) -> Void
    ) {
        guard let members = value.members else {
            return add(.error, "structure", location, "This element is an object { … }, not \(value.kind).")
        }
        body(&self, members)
    }

    // MARK: Primitives

    mutating func primitive(_ value: JSONValue, type: String, element: ElementDefinition, location: String) {
        guard let definition = defs.primitives[type] else { return }
        let text: String
        switch (definition.json, value) {
        case ("boolean", .bool(let flag)): text = flag ? "true" : "false"
        case ("boolean", .string(let s)) where s == "true" || s == "false":
            return add(
                .error, "value", location, "A boolean is JSON true or false without quotes, not the string \"\(s)\".")
        case ("number", .number(let n)): text = n
        case ("number", .string(let s)):
            return add(.error, "value", location, "A \(type) is a JSON number without quotes, not the string \"\(s)\".")
        case ("string", .string(let s)): text = s
        case ("string", .number(let n)):
            return add(.error, "value", location, "A \(type) is a JSON string in quotes: \"\(n)\", not a number.")
        default:
            let expected = definition.json == "string" ? "a string" : "a \(definition.json)"
            return add(.error, "value", location, "A \(type) is \(expected), not \(value.kind).")
        }
        if text.isEmpty {
            return add(.error, "value", location, "Empty strings are not allowed; leave the element out instead.")
        }
        if let pattern = definition.regex, !matches(text, pattern) {
            return add(.error, "value", location, "“\(text)” is not a valid \(type): \(Self.formatHelp(type))")
        }
        if ["date", "dateTime", "instant"].contains(type), let problem = FHIRDate.calendarProblem(text) {
            return add(.error, "value", location, "“\(text)” is not a real date: \(problem).")
        }
        if type == "integer" || type == "positiveInt" || type == "unsignedInt", Int32(text) == nil {
            return add(.error, "value", location, "\(text) is outside the 32-bit range an R4 \(type) allows.")
        }
        if type == "code", let binding = element.binding, let allowed = defs.valueSets[binding] {
            let codes = allowed.map(\.code)
            if !codes.contains(text) {
                let near = codes.first { $0.lowercased() == text.lowercased() }
                add(
                    .error, "code-invalid", location,
                    "“\(text)” is not an allowed code for \(element.path)"
                        + (near.map { "; codes are case-sensitive: “\($0)”." }
                            ?? ". Use one of \(Self.list(codes, limit: 12))."))
            }
        }
    }

    mutating func matches(_ text: String, _ pattern: String) -> Bool {
        if regexes[pattern] == nil { regexes[pattern] = try? Regex(pattern) }
        guard let regex = regexes[pattern] else { return true }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    static func formatHelp(_ type: String) -> String {
        switch type {
        case "date": "write YYYY, YYYY-MM or YYYY-MM-DD (2024-03-10)."
        case "dateTime":
            "write YYYY, YYYY-MM, YYYY-MM-DD, or a full date and time with seconds and a time zone (2024-03-10T09:30:00Z or 2024-03-10T09:30:00-05:00)."
        case "instant": "write a full date and time with seconds and a time zone (2024-03-10T09:30:00.000Z)."
        case "time": "write HH:MM:SS (09:30:00), with no time zone."
        case "id": "use 1 to 64 letters, digits, “-” and “.”, nothing else (no “_” or spaces)."
        case "code": "a code has no leading, trailing or double spaces."
        case "uri", "url", "canonical": "a URI has no spaces."
        case "oid": "write urn:oid: followed by dotted numbers (urn:oid:2.16.840.1.113883)."
        case "uuid": "write urn:uuid: and a lower-case UUID."
        case "decimal": "write a JSON number such as 7.2."
        case "integer": "write a whole number."
        case "positiveInt": "write a whole number from 1."
        case "unsignedInt": "write a whole number from 0."
        case "base64Binary": "use base64 (A–Z, a–z, 0–9, +, /, =)."
        default: "see the R4 datatypes page."
        }
    }

    mutating func primitiveExtension(
        _ value: JSONValue, element: ElementDefinition, type: String?, location: String
    ) {
        let code = type ?? element.types?.first?.code ?? ""
        guard defs.isPrimitive(code) else {
            return add(
                .error, "structure", location,
                "“_\(element.name)” holds the id and extensions of a primitive value; \(element.path) is not primitive, so put extensions inside it."
            )
        }
        for item in value.items where item != .null {
            guard let members = item.members else {
                add(.error, "structure", location, "“_\(element.name)” is an object with id and/or extension.")
                continue
            }
            for member in members {
                switch member.key {
                case "id":
                    if let idElement = defs.element(at: "Extension.id") {
                        self.value(member.value, element: idElement, type: nil, location: "\(location).id")
                    }
                case "extension":
                    if let extensionElement = defs.element(at: "Extension.extension") {
                        self.value(
                            member.value, element: extensionElement, type: nil, location: "\(location).extension")
                    }
                default:
                    add(
                        .error, "structure", "\(location).\(member.key)",
                        "Only id and extension belong in “_\(element.name)”.")
                }
            }
        }
    }

    // MARK: Codings and references

    mutating func codingBinding(
        _ value: JSONValue, code: String, binding: String, element: ElementDefinition, location: String
    ) {
        guard let allowed = defs.valueSets[binding] else { return }
        let codings = code == "Coding" ? [value] : (value["coding"]?.items ?? [])
        let systems = Set(allowed.compactMap(\.system))
        var found = false
        for (index, coding) in codings.enumerated() {
            guard let system = coding["system"]?.string, systems.contains(system) else { continue }
            guard let c = coding["code"]?.string else { continue }
            let where_ = code == "Coding" ? location + ".code" : "\(location).coding[\(index)].code"
            if allowed.contains(AllowedCode(system: system, code: c)) {
                found = true
            } else {
                add(
                    .error, "code-invalid", where_,
                    "“\(c)” is not in \(system); \(element.path) allows \(Self.list(allowed.map(\.code)))."
                )
                found = true
            }
        }
        if !found {
            let system = systems.sorted().first ?? binding
            add(
                .error, "code-invalid", location,
                "\(element.path) has a required binding: include a coding with system \(system) and one of \(Self.list(allowed.map(\.code)))."
            )
        }
    }

    mutating func reference(_ text: String, targets: [String]?, element: ElementDefinition, location: String) {
        if text.hasPrefix("#") {
            let id = String(text.dropFirst())
            if !scopes.isEmpty { scopes[scopes.count - 1].localReferences.insert(id) }
            if !id.isEmpty, let scope = scopes.last, !scope.containedIDs.contains(id) {
                add(
                    .error, "invariant", location,
                    "“\(text)” points at a contained resource, but none has id “\(id)”; add it to contained or refer to it as Type/id.",
                    invariant: "ref-1")
            }
            return
        }
        if text.hasPrefix("urn:uuid:") || text.hasPrefix("urn:oid:") {
            let type = text.hasPrefix("urn:uuid:") ? "uuid" : "oid"
            if !matches(text, defs.primitives[type]?.regex ?? ".*") {
                add(.error, "value", location, "“\(text)” is not a valid \(type): \(Self.formatHelp(type))")
            }
            if bundles.isEmpty {
                add(
                    .warning, "informational", location,
                    "A \(text.hasPrefix("urn:uuid:") ? "urn:uuid:" : "urn:oid:") reference only resolves inside a Bundle whose entry has that fullUrl."
                )
            } else {
                bundles[bundles.count - 1].references.append((location, text))
            }
            return
        }
        guard let (type, id) = Self.typeAndID(text) else {
            return add(
                .error, "value", location,
                "“\(text)” is not a reference: write Type/id (Patient/123), an absolute URL, urn:uuid:…, or #id for a contained resource."
            )
        }
        guard defs.resourceTypes.contains(type) else {
            let hint = defs.resourceTypes.first { $0.lowercased() == type.lowercased() }
            return add(
                .error, "value", location,
                "“\(type)” in “\(text)” is not a resource type"
                    + (hint.map { "; resource types are capitalised: \($0)/\(id)." } ?? "."))
        }
        if !matches(id, defs.primitives["id"]?.regex ?? ".*") {
            add(.error, "value", location, "“\(id)” is not a valid id: \(Self.formatHelp("id"))")
        }
        if let targets, !targets.contains("Resource"), !targets.contains(type) {
            add(
                .error, "value", location,
                "\(element.path) can refer to \(Self.list(targets, conjunction: "or")), not \(type).")
        }
        if !bundles.isEmpty { bundles[bundles.count - 1].references.append((location, text)) }
    }

    /// The resource type and id of a relative (`Patient/1`, `Patient/1/_history/2`) or absolute reference.
    static func typeAndID(_ text: String) -> (String, String)? {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count >= 4, parts[parts.count - 2] == "_history" { parts.removeLast(2) }
        if text.contains("://") {
            guard parts.count >= 5 else { return nil }
        } else {
            guard parts.count == 2 else { return nil }
        }
        let type = parts[parts.count - 2]
        let id = parts[parts.count - 1]
        guard !type.isEmpty, !id.isEmpty, !type.contains(":"), !id.contains("?") else { return nil }
        return (type, id)
    }

    // MARK: Helpers

    static func list(_ items: [String], limit: Int = 20, conjunction: String = "") -> String {
        let shown = items.prefix(limit).map { "“\($0)”" }
        let more = items.count > limit ? " (and \(items.count - limit) more)" : ""
        guard conjunction.isEmpty, shown.count > 1 else {
            if shown.count > 1 {
                return shown.dropLast().joined(separator: ", ") + " \(conjunction) " + shown.last! + more
            }
            return shown.joined() + more
        }
        return shown.joined(separator: ", ") + more
    }

    /// Levenshtein distance, for "did you mean" hints on misspelt element names. RoundsContent has its own
    /// for YAML fields: this library is a product on its own and depends on nothing of Rounds.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased())
        let b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
