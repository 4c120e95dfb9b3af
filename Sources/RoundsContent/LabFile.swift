import Foundation
import RoundsCore
import Yams

/// Parses one lab file (`Content/labs/<area>/<id>.md`): front matter, then the sections
/// `## Task`, `## Hints`, `## Solution` and `## Explanation`. The format is in docs/content-format.md.
enum LabFileParser {
    static let fields = [
        "id", "title", "level", "kind", "skills", "roles", "minutes", "message", "resource", "questions", "checks",
        "reference", "fixtures", "sources", "tables", "order", "columns", "optional", "free", "covering",
    ]
    static let required = ["id", "title", "level", "kind", "skills", "roles", "minutes", "sources"]
    static let sections = ["task", "hints", "solution", "explanation"]
    /// Every lab lists plausible wrong hand-ins that must be rejected; the tuning lab has its slow query.
    static func sections(for kind: Lab.Kind?) -> [String] {
        switch kind {
        case .sqlTuning: ["task", "slow query", "hints", "solution", "explanation", "wrong answers"]
        default: sections + ["wrong answers"]
        }
    }

    static func parse(_ text: String, path: String, issues collector: IssueCollector) -> (Lab, [String: Int])? {
        guard let split = FrontMatter.split(text, issues: collector) else { return nil }
        let issues = IssueCollector(file: path, lineOffset: split.yamlFirstLine - 1)
        defer { for issue in issues.issues { collector.add(issue) } }
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(split.yaml),
            let map = yaml.mapping(root, field: nil, known: fields, required: required)
        else { return nil }
        func line(_ field: String) -> Int? { map[field]?.mark?.line }
        var lines: [String: Int] = [:]
        for (key, node) in map { if let mark = node.mark { lines[key] = mark.line + issues.lineOffset } }

        let id = yaml.string(map["id"], "id")
        if let id, !QuestionFileParser.isSlug(id) {
            issues.error(
                at: line("id"), "id", "`\(id)` is not a valid id.",
                fix: "use 3 to 80 lowercase letters, digits and single hyphens, such as `hl7-read-identifiers`.")
        }
        let title = yaml.string(map["title"], "title")
        let level = yaml.choice(map["level"], "level", as: Level.self)
        let kind = yaml.choice(map["kind"], "kind", as: Lab.Kind.self)
        let skills = yaml.strings(map["skills"], "skills")
        let roles = yaml.strings(map["roles"], "roles")
        let minutes = yaml.integer(map["minutes"], "minutes")
        if let minutes, !(1...60).contains(minutes) {
            issues.error(
                at: line("minutes"), "minutes", "\(minutes) minutes is outside the allowed 1 to 60.",
                fix: "suggest a realistic time, usually 5 to 20 minutes.")
        }
        let message = yaml.string(map["message"], "message")
        let resource = yaml.string(map["resource"], "resource")
        let reference = yaml.string(map["reference"], "reference")
        let fixtures = yaml.string(map["fixtures"], "fixtures")
        let prompts = parsePrompts(map["questions"], yaml: yaml, issues: issues)
        let checks = parseChecks(map["checks"], yaml: yaml, issues: issues)
        let tables = yaml.strings(map["tables"], "tables")
        let order = yaml.strings(map["order"], "order") ?? []
        let columns = yaml.strings(map["columns"], "columns")
        let optional = yaml.strings(map["optional"], "optional") ?? []
        let free = yaml.strings(map["free"], "free") ?? []
        let covering = yaml.strings(map["covering"], "covering")
        if covering != nil, kind != .sqlTuning {
            issues.error(
                at: line("covering"), "covering", "only a tuning lab names the columns of a covering index.",
                fix: "remove `covering`, or make the lab `kind: sql-tuning`.")
        }
        if let covering, covering.isEmpty {
            issues.error(
                at: line("covering"), "covering", "names no column.",
                fix: "list the columns the index must narrow by, such as `[department_id, admit_time]`.")
        }
        for (index, key) in order.enumerated() {
            let words = key.split(whereSeparator: \.isWhitespace)
            if words.isEmpty || words.count > 2
                || (words.count == 2 && !["asc", "desc"].contains(words[1].lowercased()))
            {
                issues.error(
                    at: line("order"), "order[\(index)]", "`\(key)` is not a sort key.",
                    fix: "write a column of the reference result, optionally followed by asc or desc: `visits desc`.")
            }
        }
        var sources: [Source] = []
        for (index, item) in (yaml.sequence(map["sources"], "sources") ?? []).enumerated() {
            if let source = SourceParser.parse(item, field: "sources[\(index)]", yaml: yaml, issues: issues) {
                sources.append(source)
            }
        }
        if map["sources"] != nil, sources.isEmpty, !issues.hasErrors {
            issues.error(at: line("sources"), "sources", "lists no source.", fix: "cite the spec the lab is built on.")
        }

        if let kind {
            func need(_ field: String, _ present: Bool, _ why: String) {
                if !present {
                    issues.error(at: nil, field, "a \(kind.rawValue) lab needs `\(field)`.", fix: why)
                }
            }
            switch kind {
            case .hl7Read:
                need("message", message != nil, "add the HL7 v2 message the questions are about.")
                need("questions", !prompts.isEmpty, "add the questions, each with `path` or `answer`.")
            case .hl7Fix:
                need("message", message != nil, "add the broken message.")
                need("checks", !checks.isEmpty, "list the values the corrected message must have.")
            case .hl7ToFHIR:
                need("message", message != nil, "add the HL7 v2 message to map.")
                need("checks", !checks.isEmpty, "list what the FHIR resource must say.")
            case .fhirWrite, .fhirBundle:
                need("checks", !checks.isEmpty, "list what the resource must say.")
            case .fhirSearch:
                need("reference", reference != nil, "add the reference search URL.")
                need("fixtures", fixtures != nil, "name the fixture set searched, such as `clinic`.")
            case .fhirOutcome:
                need("resource", resource != nil, "add the resource whose validation is explained.")
                need("questions", !prompts.isEmpty, "add the questions, each with an `answer`.")
            case .sql, .sqlTuning:
                need(
                    "tables", !(tables ?? []).isEmpty,
                    "list the tables the query may read, such as [patients, encounters].")
            }
            if kind.takesAnswers {
                for (index, prompt) in prompts.enumerated() where prompt.path == nil && prompt.answer == nil {
                    issues.error(
                        at: nil, "questions[\(index)]", "the question `\(prompt.id)` has neither `path` nor `answer`.",
                        fix: "give the HL7 v2 path of the answer, or the answer itself.")
                }
            }
        }

        let body = MarkdownSections.parse(
            split.body, firstLine: split.bodyFirstLine, known: sections(for: kind),
            // A lab without its wrong answers still loads; `rounds content lint` asks for them.
            optional: ["wrong answers"], issues: issues)
        let hints = body["hints"].map(MarkdownSections.listItems) ?? []
        let solution = body["solution"].map(fencedContent) ?? ""
        var sql: Lab.SQLSpec?
        if let kind, kind.takesSQL {
            sql = Lab.SQLSpec(
                tables: (tables ?? []).map { $0.lowercased() }, order: order, columns: columns,
                slowQuery: body["slow query"].map(fencedContent), covering: covering?.map { $0.lowercased() })
        }

        guard !issues.hasErrors, let id, let title, let level, let kind, let skills, let roles, let minutes else {
            return nil
        }
        let lab = Lab(
            id: id, title: title, level: level, kind: kind, skills: skills, roles: roles, minutes: minutes,
            message: message.map(normalizedMessage), resource: resource, prompts: prompts, checks: checks,
            reference: reference, fixtures: fixtures, sources: sources, task: body["task"] ?? "", hints: hints,
            solution: kind == .hl7Fix ? normalizedMessage(solution) : solution,
            explanation: body["explanation"] ?? "", sql: sql,
            wrongAnswers: (body["wrong answers"].map(fencedBlocks) ?? []).map {
                kind == .hl7Fix ? normalizedMessage($0) : $0
            }, optional: optional, free: free)
        return (lab, lines)
    }

    /// Messages are written one segment per line in YAML; HL7 v2 separates segments with CR.
    static func normalizedMessage(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "\r")
    }

    /// The content of the first fenced code block, or the text itself when there is none.
    static func fencedContent(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let open = lines.firstIndex(where: { $0.hasPrefix("```") }),
            let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") })
        else { return text }
        return lines[(open + 1)..<close].joined(separator: "\n")
    }

    /// The contents of every fenced code block, in order.
    static func fencedBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let lines = current {
                    blocks.append(lines.joined(separator: "\n"))
                    current = nil
                } else {
                    current = []
                }
            } else if current != nil {
                current?.append(line)
            }
        }
        return blocks
    }

    static func parsePrompts(_ node: Node?, yaml: YAMLReader, issues: IssueCollector) -> [Lab.Prompt] {
        guard let items = yaml.sequence(node, "questions") else { return [] }
        var prompts: [Lab.Prompt] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let field = "questions[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["id", "ask", "path", "answer", "accept", "hint"],
                    required: ["id", "ask"]),
                let id = yaml.string(map["id"], "\(field).id"), let ask = yaml.string(map["ask"], "\(field).ask")
            else { continue }
            if !seen.insert(id).inserted {
                issues.error(
                    at: map["id"]?.mark?.line, "\(field).id", "`\(id)` is used by two questions.",
                    fix: "give each question its own id.")
            }
            prompts.append(
                Lab.Prompt(
                    id: id, ask: ask, path: yaml.string(map["path"], "\(field).path"),
                    answer: yaml.string(map["answer"], "\(field).answer"),
                    accept: yaml.strings(map["accept"], "\(field).accept") ?? [],
                    hint: yaml.string(map["hint"], "\(field).hint")))
        }
        return prompts
    }

    static func parseChecks(_ node: Node?, yaml: YAMLReader, issues: IssueCollector) -> [Lab.Check] {
        guard let items = yaml.sequence(node, "checks") else { return [] }
        var checks: [Lab.Check] = []
        for (index, item) in items.enumerated() {
            let field = "checks[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["path", "equals", "hint"], required: ["path", "hint"]),
                let path = yaml.string(map["path"], "\(field).path"),
                let hint = yaml.string(map["hint"], "\(field).hint")
            else { continue }
            checks.append(Lab.Check(path: path, equals: yaml.string(map["equals"], "\(field).equals"), hint: hint))
        }
        return checks
    }
}
