import FHIR
import HL7v2

/// Compares a hand-in with the lab's complete expected document (its solution), by meaning, so that
/// every requirement of the task is checked, not a handful of paths.
///
/// FHIR: every element of the expected resource must be in the hand-in with the same meaning
/// (`Equivalence`); codes compare by system and code (display and text are free); list items are
/// matched to the expected items whatever their order. An element inside an expected element that the
/// expected resource does not have (a `period.end` on an encounter that has not ended) is wrong; a
/// whole element the expected resource leaves out is only noted. The lab's `optional` paths may be
/// left out, but when given must agree.
struct FHIRComparison {
    struct Difference: Hashable {
        enum Kind: Hashable {
            /// Expected but absent.
            case missing
            /// Present with another meaning (the hand-in's value).
            case different(String?)
            /// Present inside an expected element, but the expected resource has nothing there.
            case unexpected
            /// A top-level element or list item the expected resource does not have (a note).
            case extra
        }

        let path: String
        /// The path without list positions, as checks and `optional` name it: `Encounter.period.end`.
        let plainPath: String
        let kind: Kind

        var isFailure: Bool { kind != .extra }
    }

    let optional: Set<String>
    /// Paths the task leaves open (an identifier system the learner cannot know): any value, or none.
    var free: Set<String> = []

    /// Elements no lab grades: the resource's own id, its metadata and narrative; extensions.
    static let ignored: Set<String> = ["id", "meta", "text", "extension", "modifierExtension"]
    /// Elements nested anywhere that only annotate a value: free to add, change or leave out.
    static let annotations: Set<String> = ["display", "text", "userSelected", "version", "id", "extension", "div"]
    /// Elements that may be added inside an expected element without changing what it says (an
    /// address's country, an identifier's type or use); anything else added there is wrong, such as a
    /// `period.end` or a `referenceRange.high` the task never gave.
    static let harmless: Set<String> = [
        "country", "type", "use", "assigner", "rank", "district", "period", "preferred", "sequence",
    ]

    func differences(expected: JSONValue, actual: JSONValue) -> [Difference] {
        let root = expected["resourceType"]?.string ?? "Resource"
        return compare(expected, actual, path: root, plain: root, key: "", depth: 0)
    }

    private func compare(
        _ expected: JSONValue, _ actual: JSONValue, path: String, plain: String, key: String, depth: Int
    ) -> [Difference] {
        switch expected {
        case .object(let members):
            guard case .object(let given) = actual else {
                return [.init(path: path, plainPath: plain, kind: .different(JSONPath.text(actual)))]
            }
            if Self.isCoding(expected) {
                return sameCode(expected, actual)
                    ? [] : [.init(path: path, plainPath: plain, kind: .different(Self.codeText(actual)))]
            }
            if Self.isConcept(expected) { return compareConcept(expected, actual, path: path, plain: plain) }
            var differences: [Difference] = []
            let isResource = expected["resourceType"] != nil
            for (name, value) in members {
                if isResource && Self.ignored.contains(name) { continue }
                if !isResource && Self.annotations.contains(name) { continue }
                let childPath = path + "." + name
                let childPlain = plain + "." + name
                if free.contains(childPlain) { continue }
                guard let other = actual[name] else {
                    if !optional.contains(childPlain) {
                        differences.append(.init(path: childPath, plainPath: childPlain, kind: .missing))
                    }
                    continue
                }
                differences += compare(value, other, path: childPath, plain: childPlain, key: name, depth: depth + 1)
            }
            // A quantity given only as a value and a unit may also carry its coded unit.
            let uncodedQuantity = expected["value"] != nil && expected["code"] == nil
            for (name, _) in given where expected[name] == nil {
                if isResource && Self.ignored.contains(name) { continue }
                if !isResource && Self.annotations.contains(name) { continue }
                if uncodedQuantity && ["system", "code", "unit"].contains(name) { continue }
                if !isResource && Self.harmless.contains(name) { continue }
                let childPlain = plain + "." + name
                if optional.contains(childPlain) || free.contains(childPlain) { continue }
                // A whole element the task never mentions is noted; a part added to an element the
                // task describes changes its meaning.
                differences.append(
                    .init(path: path + "." + name, plainPath: childPlain, kind: isResource ? .extra : .unexpected))
            }
            return differences
        case .array(let items):
            let given = actual.items.isEmpty ? [actual] : actual.items
            var unused = Array(given.indices)
            var differences: [Difference] = []
            for (index, item) in items.enumerated() {
                // The given item that matches best: no differences, else the fewest.
                var best: (index: Int, differences: [Difference])?
                for candidate in unused {
                    let found = compare(
                        item, given[candidate], path: path + "[\(index)]", plain: plain, key: key, depth: depth
                    ).filter(\.isFailure)
                    if best == nil || found.count < best!.differences.count { best = (candidate, found) }
                    if found.isEmpty { break }
                }
                guard let best else {
                    differences.append(.init(path: path + "[\(index)]", plainPath: plain, kind: .missing))
                    continue
                }
                unused.removeAll { $0 == best.index }
                differences += best.differences
            }
            if !Self.isConceptList(key), !unused.isEmpty {
                for index in unused {
                    differences.append(.init(path: path + "[\(index)]", plainPath: plain, kind: .extra))
                }
            }
            return differences
        case .number(let text):
            guard let other = JSONPath.text(actual), Equivalence.sameNumber(text, other) else {
                return [.init(path: path, plainPath: plain, kind: .different(JSONPath.text(actual)))]
            }
            return []
        case .string(let text):
            guard case .string(let other) = actual, Equivalence.sameFHIR(text, other, element: key) else {
                return [.init(path: path, plainPath: plain, kind: .different(JSONPath.text(actual)))]
            }
            return []
        case .bool, .null:
            return expected == actual
                ? [] : [.init(path: path, plainPath: plain, kind: .different(JSONPath.text(actual)))]
        }
    }

    /// A CodeableConcept: the expected codings must be matched by system and code (one is enough, as
    /// a receiver would); a concept given only as text matches the same text or a coding's display.
    private func compareConcept(_ expected: JSONValue, _ actual: JSONValue, path: String, plain: String) -> [Difference]
    {
        let codings = expected["coding"]?.items ?? []
        let given = actual["coding"]?.items ?? []
        if !codings.isEmpty {
            if codings.contains(where: { coding in given.contains { sameCode(coding, $0) } }) { return [] }
            if given.isEmpty { return [.init(path: path + ".coding", plainPath: plain + ".coding", kind: .missing)] }
            return [
                .init(
                    path: path + ".coding", plainPath: plain + ".coding",
                    kind: .different(given.compactMap(Self.codeText).joined(separator: ", ")))
            ]
        }
        guard let text = expected["text"]?.string else { return [] }
        let texts = [actual["text"]?.string].compactMap { $0 } + given.compactMap { $0["display"]?.string }
        if texts.contains(where: { Equivalence.sameText($0, text) }) { return [] }
        return [
            .init(
                path: path + ".text", plainPath: plain + ".text",
                kind: texts.isEmpty ? .missing : .different(texts.first))
        ]
    }

    private func sameCode(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a["code"]?.string == b["code"]?.string && a["system"]?.string == b["system"]?.string
    }

    static func codeText(_ coding: JSONValue) -> String? {
        guard let code = coding["code"]?.string else { return JSONPath.text(coding) }
        return (coding["system"]?.string.map { $0 + "|" } ?? "") + code
    }

    static func isCoding(_ value: JSONValue) -> Bool {
        guard let members = value.members, value["code"] != nil else { return false }
        return members.allSatisfy { ["system", "code", "display", "version", "userSelected"].contains($0.key) }
    }

    static func isConcept(_ value: JSONValue) -> Bool {
        guard let members = value.members, !members.isEmpty else { return false }
        return members.allSatisfy { $0.key == "coding" || $0.key == "text" }
    }

    /// Lists whose extra items add nothing wrong: more codings for the same concept.
    static func isConceptList(_ key: String) -> Bool { key == "coding" }
}

/// Compares a corrected HL7 v2 message with the expected one, field by field: segments in the same
/// order, and every component and subcomponent the same by meaning (`Equivalence.sameHL7`), trailing
/// empty positions aside. Values are compared unescaped, so either delimiter set may be used.
struct HL7Comparison {
    struct Difference: Hashable {
        /// `PID-5-3`, or `PID` for a segment.
        let path: String
        /// The hand-in's value (unescaped), nil when absent.
        let found: String?
        let segmentProblem: String?
    }

    func differences(expected: Message, actual: Message) -> [Difference] {
        let expectedIDs = expected.segments.map(\.id)
        let actualIDs = actual.segments.map(\.id)
        if expectedIDs != actualIDs {
            let missing = expectedIDs.filter { id in
                expectedIDs.filter { $0 == id }.count > actualIDs.filter { $0 == id }.count
            }
            let extra = actualIDs.filter { id in
                actualIDs.filter { $0 == id }.count > expectedIDs.filter { $0 == id }.count
            }
            var problem = "The message's segments are \(actualIDs.joined(separator: ", "))"
            if !missing.isEmpty { problem += "; \(Set(missing).sorted().joined(separator: ", ")) missing" }
            if !extra.isEmpty { problem += "; \(Set(extra).sorted().joined(separator: ", ")) not expected" }
            if missing.isEmpty && extra.isEmpty { problem += ", in an order the task does not ask for" }
            return [.init(path: "segments", found: nil, segmentProblem: problem + ".")]
        }
        var differences: [Difference] = []
        var seen: [String: Int] = [:]
        for (index, segment) in expected.segments.enumerated() {
            let other = actual.segments[index]
            seen[segment.id, default: 0] += 1
            let name = seen[segment.id]! > 1 ? "\(segment.id)(\(seen[segment.id]!))" : segment.id
            let fieldCount = max(segment.fields.count, other.fields.count)
            for field in 1..<max(fieldCount, 1) {
                // MSH-1 and MSH-2 are the delimiters themselves; they may differ.
                if segment.id == "MSH" && field <= 2 { continue }
                let a = leaves(segment, field, expected.delimiters)
                let b = leaves(other, field, actual.delimiters)
                for position in Set(a.keys).union(b.keys).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                    let x = a[position] ?? ""
                    let y = b[position] ?? ""
                    if !Equivalence.sameHL7(x, y) {
                        differences.append(
                            .init(
                                path: Self.path(name, field, position), found: y.isEmpty ? nil : y, segmentProblem: nil)
                        )
                    }
                }
            }
        }
        return differences
    }

    /// Non-empty leaves of a field by [repetition, component, subcomponent], unescaped.
    private func leaves(_ segment: Segment, _ field: Int, _ delimiters: Delimiters) -> [[Int]: String] {
        guard field < segment.fields.count else { return [:] }
        var result: [[Int]: String] = [:]
        for (r, repetition) in segment.fields[field].enumerated() {
            for (c, component) in repetition.enumerated() {
                for (s, leaf) in component.enumerated() where !leaf.isEmpty {
                    result[[r + 1, c + 1, s + 1]] = Escaping.unescape(leaf, delimiters)
                }
            }
        }
        return result
    }

    static func path(_ segment: String, _ field: Int, _ position: [Int]) -> String {
        var text = "\(segment)-\(field)"
        if position[0] > 1 { text += "(\(position[0]))" }
        if position[1] > 1 || position[2] > 1 { text += "-\(position[1])" }
        if position[2] > 1 { text += "-\(position[2])" }
        return text
    }
}
