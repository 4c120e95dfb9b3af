import Foundation
import RoundsCore
import Yams

/// A question as read from one file, before it is checked against the rest of the bank.
struct QuestionFile {
    let question: Question
    /// The file's path.
    let path: String
    /// Lines of interest, for issues found later: field path → file line.
    let lines: [String: Int]
}

/// Parses one question file: front matter, then the Markdown body's sections.
enum QuestionFileParser {
    static let fields = [
        "id", "title", "level", "skills", "roles", "kind", "minutes", "audience", "rubric", "misconceptions",
        "followups", "sources", "reviewed", "volatile",
    ]
    static let required = ["id", "title", "level", "skills", "roles", "kind", "minutes", "rubric", "sources"]
    static let sections = ["model answer", "tip", "pitfalls"]

    /// Parses `text` (the contents of `path`). Returns nil when the file has errors that prevent building
    /// a question; every problem found is in `issues` either way.
    static func parse(_ text: String, path: String, issues collector: IssueCollector) -> QuestionFile? {
        guard let split = FrontMatter.split(text, issues: collector) else { return nil }
        let issues = IssueCollector(file: path, lineOffset: split.yamlFirstLine - 1)
        defer { for issue in issues.issues { collector.add(issue) } }
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(split.yaml) else {
            if !issues.hasErrors {
                issues.error(
                    at: 1, nil, "the front matter is empty.", fix: "add the question's fields between the `---` lines.")
            }
            return nil
        }
        guard let map = yaml.mapping(root, field: nil, known: fields, required: required) else { return nil }
        var lines: [String: Int] = [:]
        recordLines(root, path: nil, offset: issues.lineOffset, into: &lines)

        let id = yaml.string(map["id"], "id")
        if let id, !isSlug(id) {
            issues.error(
                at: map["id"]?.mark?.line, "id", "`\(id)` is not a valid id.",
                fix: "use 3 to 80 lowercase letters, digits and single hyphens, such as `fhir-vs-hl7v2`.")
        }
        let title = yaml.string(map["title"], "title")
        let level = yaml.choice(map["level"], "level", as: Level.self)
        let skills = yaml.strings(map["skills"], "skills")
        if let skills, skills.isEmpty {
            issues.error(
                at: map["skills"]?.mark?.line, "skills", "lists no skill.", fix: "name the primary skill first.")
        }
        let roles = yaml.strings(map["roles"], "roles")
        if let roles, roles.isEmpty {
            issues.error(at: map["roles"]?.mark?.line, "roles", "lists no role.", fix: "name at least one role id.")
        }
        let kind = yaml.choice(map["kind"], "kind", as: QuestionKind.self)
        let minutes = yaml.integer(map["minutes"], "minutes")
        if let minutes, !(1...30).contains(minutes) {
            issues.error(
                at: map["minutes"]?.mark?.line, "minutes", "\(minutes) minutes is outside the allowed 1 to 30.",
                fix: "suggest a realistic answer time, usually 2 to 5 minutes, up to 30 for design and code.")
        }
        let audience = yaml.choice(map["audience"], "audience", as: Audience.self)
        if kind == .explain, map["audience"] == nil {
            issues.error(
                at: lines["kind"].map { $0 - issues.lineOffset }, "audience", "an explain question needs an audience.",
                fix: "add `audience:` with one of: \(Audience.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let reviewed = parseReviewed(map["reviewed"], yaml: yaml, issues: issues)
        let volatile = yaml.bool(map["volatile"], "volatile") ?? false
        let rubric = parseRubric(map["rubric"], kind: kind, yaml: yaml, issues: issues)
        let misconceptions = parseMisconceptions(map["misconceptions"], yaml: yaml, issues: issues)
        let followups = yaml.strings(map["followups"], "followups") ?? []
        let sources = parseSources(map["sources"], yaml: yaml, issues: issues)

        let body = MarkdownSections.parse(split.body, firstLine: split.bodyFirstLine, known: sections, issues: issues)
        let modelAnswer = body["model answer"] ?? ""
        let tip = body["tip"] ?? ""
        let pitfalls = body["pitfalls"].map(MarkdownSections.listItems) ?? []
        if body["pitfalls"] != nil, pitfalls.isEmpty {
            issues.add(
                .error, line: split.bodyFirstLine, field: "## Pitfalls", "has no list items.",
                fix: "write each pitfall as a `- ` bullet.")
        }

        guard !issues.hasErrors, let id, let title, let level, let skills, !skills.isEmpty, let roles, let kind,
            let minutes, let rubric
        else { return nil }
        let question = Question(
            id: id, title: title, level: level, skills: skills, roles: roles, kind: kind, minutes: minutes,
            audience: audience, rubric: rubric, misconceptions: misconceptions, followups: followups,
            sources: sources, modelAnswer: modelAnswer, tip: tip, pitfalls: pitfalls, reviewed: reviewed,
            volatile: volatile)
        return QuestionFile(question: question, path: path, lines: lines)
    }

    /// `reviewed: YYYY-MM`, the month the question's facts were last checked: a real month, not in the future.
    /// Missing is a warning, so older team packs still load.
    private static func parseReviewed(_ node: Node?, yaml: YAMLReader, issues: IssueCollector) -> String? {
        guard let node else {
            issues.add(
                .warning, line: 1, field: "reviewed",
                "does not say when its facts were last checked.",
                fix: "after checking the model answer against its sources, add `reviewed: YYYY-MM` with that month.")
            return nil
        }
        guard let text = yaml.string(node, "reviewed") else { return nil }
        guard let month = YearMonth(text) else {
            issues.error(
                at: node.mark?.line, "reviewed", "`\(text)` is not a month.",
                fix: "write the year and month the facts were checked, such as `2026-12`.")
            return nil
        }
        if month > YearMonth(Date()) {
            issues.error(
                at: node.mark?.line, "reviewed", "`\(text)` is in the future.",
                fix: "write the month the facts were actually checked.")
        }
        return text
    }

    /// Records the file line of every node, by field path (`rubric[1].evidence[0]`).
    private static func recordLines(_ node: Node, path: String?, offset: Int, into lines: inout [String: Int]) {
        if let path, let line = node.mark?.line { lines[path] = line + offset }
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                recordLines(value, path: path.map { "\($0).\(name)" } ?? name, offset: offset, into: &lines)
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                recordLines(item, path: "\(path ?? "")[\(index)]", offset: offset, into: &lines)
            }
        default:
            break
        }
    }

    static func isSlug(_ id: String) -> Bool {
        guard (3...80).contains(id.count), !id.hasPrefix("-"), !id.hasSuffix("-"), !id.contains("--") else {
            return false
        }
        return id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    private static func parseRubric(_ node: Node?, kind: QuestionKind?, yaml: YAMLReader, issues: IssueCollector)
        -> [Question.RubricPoint]?
    {
        guard let items = yaml.sequence(node, "rubric") else { return nil }
        let line = node?.mark?.line
        let minimum = kind == .design ? 4 : 3
        if items.count < minimum || items.count > 7 {
            let what = kind == .design ? "a design question needs 4 to 7 points" : "a rubric needs 3 to 7 points"
            issues.error(
                at: line, "rubric", "has \(items.count) point\(items.count == 1 ? "" : "s"); \(what).",
                fix: items.count > 7 ? "merge related points." : "add the criteria a strong answer meets.")
        }
        var points: [Question.RubricPoint] = []
        for (index, item) in items.enumerated() {
            let field = "rubric[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["point", "weight", "evidence", "star", "facts"],
                    required: ["point", "weight", "evidence"])
            else { continue }
            let point = yaml.string(map["point"], "\(field).point")
            let weight = yaml.number(map["weight"], "\(field).weight")
            if let weight, weight <= 0 {
                issues.error(
                    at: map["weight"]?.mark?.line, "\(field).weight",
                    "weight must be positive, got \(String(format: "%g", weight)).",
                    fix: "use a positive number such as 1, 2 or 3; leave a criterion out rather than weigh it 0.")
            }
            let evidence = yaml.strings(map["evidence"], "\(field).evidence")
            if let evidence, evidence.count < 2 || evidence.count > 12 {
                issues.error(
                    at: map["evidence"]?.mark?.line, "\(field).evidence",
                    "has \(evidence.count) phrase\(evidence.count == 1 ? "" : "s"); a point needs 2 to 12.",
                    fix: "give the phrases and synonyms a good answer would use.")
            }
            let star = yaml.choice(map["star"], "\(field).star", as: StarStep.self)
            if map["star"] != nil, let kind, kind != .behavioral {
                issues.warning(
                    at: map["star"]?.mark?.line, "\(field).star", "`star` only applies to behavioral questions.",
                    fix: "remove it, or change `kind` to behavioral.")
            }
            let facts = TaxonomyFiles.factSlots(
                map["facts"], field: "\(field).facts", idPrefix: "rubric-\(index)", yaml: yaml, issues: issues)
            if let point, let weight, weight > 0, let evidence {
                points.append(.init(point: point, weight: weight, evidence: evidence, star: star, facts: facts))
            }
        }
        if kind == .behavioral {
            let steps = Set(points.compactMap(\.star))
            let missing = StarStep.allCases.filter { !steps.contains($0) }
            if !missing.isEmpty && points.count == items.count {
                issues.error(
                    at: line, "rubric",
                    "a behavioral rubric covers all four STAR steps; missing \(missing.map(\.rawValue).joined(separator: ", ")).",
                    fix: "tag points with `star: situation|task|action|result`, at least one of each.")
            }
        }
        return points
    }

    private static func parseMisconceptions(_ node: Node?, yaml: YAMLReader, issues: IssueCollector)
        -> [Question.Misconception]
    {
        guard let items = yaml.sequence(node, "misconceptions") else { return [] }
        var result: [Question.Misconception] = []
        for (index, item) in items.enumerated() {
            let field = "misconceptions[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["claim", "phrases", "correction", "says"],
                    required: ["claim", "phrases", "correction"])
            else { continue }
            let claim = yaml.string(map["claim"], "\(field).claim")
            let phrases = yaml.strings(map["phrases"], "\(field).phrases")
            if let phrases, phrases.isEmpty || phrases.count > 12 {
                issues.error(
                    at: map["phrases"]?.mark?.line, "\(field).phrases", "needs 1 to 12 phrases, has \(phrases.count).",
                    fix: "give the phrases that reveal a learner holding the claim.")
            }
            let correction = yaml.string(map["correction"], "\(field).correction")
            let says = yaml.strings(map["says"], "\(field).says") ?? []
            if let claim, let phrases, let correction {
                result.append(.init(claim: claim, phrases: phrases, correction: correction, says: says))
            }
        }
        return result
    }

    private static func parseSources(_ node: Node?, yaml: YAMLReader, issues: IssueCollector) -> [Source] {
        guard let items = yaml.sequence(node, "sources") else { return [] }
        if items.isEmpty {
            issues.error(
                at: node?.mark?.line, "sources", "lists no source.", fix: "cite at least one primary source.")
        }
        var result: [Source] = []
        for (index, item) in items.enumerated() {
            if let source = SourceParser.parse(item, field: "sources[\(index)]", yaml: yaml, issues: issues) {
                result.append(source)
            }
        }
        return result
    }
}

/// Reads `{title, url}` pairs.
enum SourceParser {
    static func parse(_ node: Node, field: String, yaml: YAMLReader, issues: IssueCollector) -> Source? {
        guard let map = yaml.mapping(node, field: field, known: ["title", "url"], required: ["title", "url"]),
            let title = yaml.string(map["title"], "\(field).title"),
            let url = yaml.string(map["url"], "\(field).url")
        else { return nil }
        guard let host = host(of: url) else {
            issues.error(
                at: map["url"]?.mark?.line, "\(field).url", "`\(url)` is not an http(s) URL.",
                fix: "give the full address, starting with https://.")
            return nil
        }
        _ = host
        return Source(title: title, url: url)
    }

    /// The lower-cased host of an http or https URL.
    static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else { return nil }
        return host.lowercased()
    }
}

extension IssueCollector {
    func add(_ issue: ContentIssue) {
        add(issue.severity, line: issue.line, field: issue.field, issue.message, fix: issue.fix)
    }
}
