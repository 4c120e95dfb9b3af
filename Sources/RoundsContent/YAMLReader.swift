import Foundation
import Yams

/// Reads typed values out of a YAML node tree, recording a precise issue for every value of the wrong
/// shape instead of throwing, so that one file reports all its problems at once.
struct YAMLReader {
    let issues: IssueCollector

    /// Parses `text`, reporting broken YAML with its line. Returns nil when nothing usable was parsed.
    func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, problem) = Self.describe(error)
            issues.error(
                at: line, nil, "broken YAML: \(problem).",
                fix:
                    "check indentation and quoting near this line; quote text that contains \": \" or starts with a special character."
            )
        } catch {
            issues.error(at: nil, nil, "broken YAML: \(error).", fix: "check the file's YAML syntax.")
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (Int?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return (mark.line, detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return (context.mark.line, "the key \(duplicates.joined(separator: ", ")) appears twice in one mapping")
        case .reader(let problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "\(error)")
        }
    }

    /// The entries of a mapping, keyed by their key text, with unknown keys reported.
    func mapping(_ node: Node, field: String?, known: [String], required: [String] = []) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            issues.error(
                at: node.mark?.line, field, "expected a mapping of fields (key: value), found \(Self.shape(node)).",
                fix: "write the fields as `key: value` lines."
            )
            return nil
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            let path = field.map { "\($0).\(name)" } ?? name
            if !known.contains(name) {
                let suggestion = Self.closest(to: name, in: known).map { " Did you mean `\($0)`?" } ?? ""
                issues.error(
                    at: key.mark?.line, path, "unknown field `\(name)`.\(suggestion)",
                    fix: "use one of: \(known.joined(separator: ", "))."
                )
                continue
            }
            result[name] = value
        }
        for name in required where result[name] == nil {
            issues.error(
                at: node.mark?.line, field.map { "\($0).\(name)" } ?? name, "required field `\(name)` is missing.",
                fix: "add `\(name):` to this mapping."
            )
        }
        return result
    }

    /// A non-empty string.
    func string(_ node: Node?, _ field: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            issues.error(
                at: node.mark?.line, field, "expected text, found \(Self.shape(node)).",
                fix: "write a single line of text (quote it if it contains \": \")."
            )
            return nil
        }
        let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            issues.error(
                at: node.mark?.line, field, "is empty.", fix: "write the text, or remove the field if it is optional.")
            return nil
        }
        return value
    }

    /// A list of non-empty strings. A single string is accepted as a one-item list.
    func strings(_ node: Node?, _ field: String) -> [String]? {
        guard let node else { return nil }
        switch node {
        case .scalar:
            return string(node, field).map { [$0] }
        case .sequence(let sequence):
            var values: [String] = []
            for (index, item) in sequence.enumerated() {
                if let value = string(item, "\(field)[\(index)]") { values.append(value) }
            }
            return values
        default:
            issues.error(
                at: node.mark?.line, field, "expected a list of text items, found \(Self.shape(node)).",
                fix: "write `- item` lines or `[a, b]`."
            )
            return nil
        }
    }

    /// The items of a list.
    func sequence(_ node: Node?, _ field: String) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let sequence) = node else {
            issues.error(
                at: node.mark?.line, field, "expected a list, found \(Self.shape(node)).",
                fix: "write one `- ` item per line."
            )
            return nil
        }
        return Array(sequence)
    }

    /// An integer.
    func integer(_ node: Node?, _ field: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.int else {
            issues.error(
                at: node.mark?.line, field, "expected a whole number, found `\(node.string ?? Self.shape(node))`.",
                fix: "write a number such as 3."
            )
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ node: Node?, _ field: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.bool else {
            issues.error(
                at: node.mark?.line, field, "expected true or false, found `\(node.string ?? Self.shape(node))`.",
                fix: "write `true` or `false`.")
            return nil
        }
        return value
    }

    /// A number, integer or decimal.
    func number(_ node: Node?, _ field: String) -> Double? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            issues.error(
                at: node.mark?.line, field, "expected a number, found `\(node.string ?? Self.shape(node))`.",
                fix: "write a number such as 2 or 1.5."
            )
            return nil
        }
        return value
    }

    /// One of an enumeration's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, _ field: String, as type: T.Type) -> T?
    where T.RawValue == String {
        guard let node, let text = string(node, field) else { return nil }
        if let value = T(rawValue: text.lowercased()) { return value }
        let allowed = T.allCases.map(\.rawValue)
        let suggestion = Self.closest(to: text.lowercased(), in: allowed).map { " Did you mean `\($0)`?" } ?? ""
        issues.error(
            at: node.mark?.line, field, "`\(text)` is not allowed here.\(suggestion)",
            fix: "use one of: \(allowed.joined(separator: ", "))."
        )
        return nil
    }

    static func shape(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "the text `\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The candidate nearest to `word` by edit distance, when it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let (candidate, distance) = scored, distance <= max(2, word.count / 3) else { return nil }
        return candidate
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
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
