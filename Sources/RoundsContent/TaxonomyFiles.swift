import Foundation
import RoundsCore
import Yams

/// Parsers for a pack's YAML files other than questions.
enum TaxonomyFiles {
    /// `skills.yaml`: a list of `{id, name, summary, terms}`; `terms` (the words that name the skill in a
    /// job posting) is optional, and a term may belong to one skill only.
    static func skills(_ text: String, issues: IssueCollector) -> [(Skill, line: Int?)] {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text), let items = yaml.sequence(root, "skills") else { return [] }
        var result: [(Skill, line: Int?)] = []
        var termOwners: [String: String] = [:]
        for (index, item) in items.enumerated() {
            let field = "[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["id", "name", "summary", "terms"], required: ["id", "name", "summary"]),
                let id = yaml.string(map["id"], "\(field).id"), let name = yaml.string(map["name"], "\(field).name"),
                let summary = yaml.string(map["summary"], "\(field).summary")
            else { continue }
            guard QuestionFileParser.isSlug(id) else {
                issues.error(
                    at: map["id"]?.mark?.line, "\(field).id", "`\(id)` is not a valid id.",
                    fix: "use lowercase letters, digits and single hyphens.")
                continue
            }
            var terms: [String] = []
            for term in yaml.strings(map["terms"], "\(field).terms") ?? [] {
                let key = term.lowercased()
                if term.trimmingCharacters(in: .whitespaces).isEmpty || term.count > 60 {
                    issues.error(
                        at: map["terms"]?.mark?.line, "\(field).terms", "`\(term)` is not a usable term.",
                        fix: "give a word or short phrase of 1 to 60 characters.")
                } else if let owner = termOwners[key] {
                    issues.error(
                        at: map["terms"]?.mark?.line, "\(field).terms", "`\(term)` is already a term of `\(owner)`.",
                        fix: "keep each term under the one skill a posting that says it is asking for.")
                } else {
                    termOwners[key] = id
                    terms.append(term)
                }
            }
            result.append((Skill(id: id, name: name, summary: summary, terms: terms), item.mark?.line))
        }
        return result
    }

    /// `misconceptions.yaml`: bank-wide misconceptions, with the lines of their skills for later checks.
    static func misconceptions(_ text: String, issues: IssueCollector) -> [(GlobalMisconception, lines: [String: Int])]
    {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text), let items = yaml.sequence(root, "misconceptions") else { return [] }
        var result: [(GlobalMisconception, lines: [String: Int])] = []
        for (index, item) in items.enumerated() {
            let field = "[\(index)]"
            guard
                let map = yaml.mapping(
                    item, field: field, known: ["id", "claim", "phrases", "correction", "skills", "says", "sources"],
                    required: ["id", "claim", "phrases", "correction"]),
                let id = yaml.string(map["id"], "\(field).id"),
                let claim = yaml.string(map["claim"], "\(field).claim"),
                let phrases = yaml.strings(map["phrases"], "\(field).phrases"),
                let correction = yaml.string(map["correction"], "\(field).correction")
            else { continue }
            let skills = yaml.strings(map["skills"], "\(field).skills") ?? []
            var lines: [String: Int] = ["id": (map["id"]?.mark?.line ?? 0)]
            for (phraseIndex, node) in (yaml.sequence(map["phrases"], "\(field).phrases") ?? []).enumerated() {
                lines["phrases[\(phraseIndex)]"] = node.mark?.line
            }
            lines["skills"] = map["skills"]?.mark?.line
            let says = yaml.strings(map["says"], "\(field).says") ?? []
            let sources = parseSources(map["sources"], field: "\(field).sources", yaml: yaml, issues: issues)
            let misconception = Question.Misconception(
                claim: claim, phrases: phrases, correction: correction, says: says)
            result.append(
                (GlobalMisconception(id: id, misconception: misconception, skills: skills, sources: sources), lines))
        }
        return result
    }

    static func parseSources(_ node: Node?, field: String, yaml: YAMLReader, issues: IssueCollector) -> [Source] {
        guard let node, let items = yaml.sequence(node, field) else { return [] }
        return items.enumerated().compactMap { index, item in
            SourceParser.parse(item, field: "\(field)[\(index)]", yaml: yaml, issues: issues)
        }
    }

    /// `facts.yaml`: bank-wide fact slots, a YAML sequence.
    static func facts(_ text: String, issues: IssueCollector) -> [(FactSlot, lines: [String: Int])] {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text), let items = yaml.sequence(root, "facts") else { return [] }
        return items.enumerated().compactMap { index, item in
            guard let slot = factSlot(item, field: "[\(index)]", defaultID: nil, yaml: yaml, issues: issues) else {
                return nil
            }
            return (slot, ["id": item.mark?.line ?? 0])
        }
    }

    /// Fact slots listed under a rubric point (`rubric[i].facts`); their ids default to the point's.
    static func factSlots(_ node: Node?, field: String, idPrefix: String, yaml: YAMLReader, issues: IssueCollector)
        -> [FactSlot]
    {
        guard let node, let items = yaml.sequence(node, field) else { return [] }
        return items.enumerated().compactMap { index, item in
            factSlot(
                item, field: "\(field)[\(index)]", defaultID: "\(idPrefix)-fact-\(index)", yaml: yaml, issues: issues)
        }
    }

    static let factFields = ["id", "about", "right", "wrong", "correction", "skills", "sources"]

    private static func factSlot(
        _ item: Node, field: String, defaultID: String?, yaml: YAMLReader, issues: IssueCollector
    )
        -> FactSlot?
    {
        guard
            let map = yaml.mapping(
                item, field: field, known: factFields,
                required: (defaultID == nil ? ["id"] : []) + ["about", "wrong", "correction"]),
            let about = yaml.strings(map["about"], "\(field).about"),
            let wrong = yaml.strings(map["wrong"], "\(field).wrong"),
            let correction = yaml.string(map["correction"], "\(field).correction")
        else { return nil }
        let id = map["id"].flatMap { yaml.string($0, "\(field).id") } ?? defaultID ?? ""
        if about.isEmpty || wrong.isEmpty {
            issues.error(
                at: item.mark?.line, field, "a fact slot needs at least one `about` phrase and one `wrong` value.",
                fix: "name the subject in `about` and the wrong values candidates give in `wrong`.")
            return nil
        }
        let right = yaml.strings(map["right"], "\(field).right") ?? []
        let skills = yaml.strings(map["skills"], "\(field).skills") ?? []
        let sources = parseSources(map["sources"], field: "\(field).sources", yaml: yaml, issues: issues)
        return FactSlot(
            id: id, about: about, right: right, wrong: wrong, correction: correction, skills: skills, sources: sources)
    }

    /// `primary-sources.yaml`: a list of host names.
    static func primaryHosts(_ text: String, issues: IssueCollector) -> [String] {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text) else { return [] }
        return (yaml.strings(root, "hosts") ?? []).map { $0.lowercased() }
    }

    /// `standalone-terms.yaml`: domain terms that may be a whole evidence phrase although many answers in
    /// the bank use them (`loinc`, `fhir`), as stems.
    static func standaloneTerms(_ text: String, issues: IssueCollector) -> Set<String> {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text),
            let map = yaml.mapping(root, field: nil, known: ["terms"], required: ["terms"])
        else { return [] }
        var terms = Set<String>()
        for term in yaml.strings(map["terms"], "terms") ?? [] {
            let stems = Phrase(term).stems
            if stems.count == 1 {
                terms.insert(stems[0])
            } else {
                issues.error(
                    at: nil, "terms", "`\(term)` is not one word.",
                    fix: "list single words only; a phrase of two or more words may always be evidence.")
            }
        }
        return terms
    }

    static let roleFields = ["id", "name", "summary", "skills", "stages", "market"]

    /// `roles/<id>.yaml`. Skill ids are checked later, against the whole library.
    static func role(_ text: String, issues: IssueCollector) -> (Role, skillLines: [String: Int])? {
        let yaml = YAMLReader(issues: issues)
        guard let root = yaml.compose(text),
            let map = yaml.mapping(
                root, field: nil, known: roleFields, required: ["id", "name", "summary", "skills", "stages"])
        else { return nil }
        let id = yaml.string(map["id"], "id")
        let name = yaml.string(map["name"], "name")
        let summary = yaml.string(map["summary"], "summary")
        var weights: [String: Double] = [:]
        var skillLines: [String: Int] = [:]
        if let node = map["skills"] {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let skill = key.string else { continue }
                    guard let weight = yaml.number(value, "skills.\(skill)") else { continue }
                    if weight <= 0 {
                        issues.error(
                            at: value.mark?.line, "skills.\(skill)",
                            "weight must be positive, got \(String(format: "%g", weight)).",
                            fix: "use 1 to 5, or leave the skill out.")
                        continue
                    }
                    weights[skill] = weight
                    skillLines[skill] = key.mark?.line
                }
                if mapping.count == 0 {
                    issues.error(
                        at: node.mark?.line, "skills", "names no skill.", fix: "give each tested skill a weight.")
                }
            } else {
                issues.error(
                    at: node.mark?.line, "skills", "expected a mapping of skill id to weight.",
                    fix: "write lines like `sql-databases: 5`.")
            }
        }
        var stages: [Role.Stage] = []
        for (index, item) in (yaml.sequence(map["stages"], "stages") ?? []).enumerated() {
            let field = "stages[\(index)]"
            guard
                let stage = yaml.mapping(
                    item, field: field, known: ["name", "minutes", "focus"], required: ["name", "focus"]),
                let stageName = yaml.string(stage["name"], "\(field).name"),
                let focus = yaml.string(stage["focus"], "\(field).focus")
            else { continue }
            let minutes = yaml.integer(stage["minutes"], "\(field).minutes")
            stages.append(.init(name: stageName, minutes: minutes, focus: focus))
        }
        if map["stages"] != nil, stages.isEmpty, !issues.hasErrors {
            issues.error(
                at: map["stages"]?.mark?.line, "stages", "lists no stage.", fix: "describe the interview loop.")
        }
        var market: [Role.MarketNote] = []
        for (index, item) in (yaml.sequence(map["market"], "market") ?? []).enumerated() {
            let field = "market[\(index)]"
            guard
                let note = yaml.mapping(
                    item, field: field, known: ["statement", "as_of", "retrieved", "source"],
                    required: ["statement", "as_of", "retrieved", "source"]),
                let statement = yaml.string(note["statement"], "\(field).statement"),
                let asOf = yaml.string(note["as_of"], "\(field).as_of"),
                let retrieved = yaml.string(note["retrieved"], "\(field).retrieved"),
                let sourceNode = note["source"],
                let source = SourceParser.parse(sourceNode, field: "\(field).source", yaml: yaml, issues: issues)
            else { continue }
            for (key, value) in [("as_of", asOf), ("retrieved", retrieved)] where !isYearMonth(value) {
                issues.error(
                    at: note[key]?.mark?.line, "\(field).\(key)", "`\(value)` is not a date.",
                    fix: "write the year and month, or the full date: 2024-05 or 2024-05-15.")
            }
            market.append(.init(statement: statement, asOf: asOf, retrieved: retrieved, source: source))
        }
        guard let id, let name, let summary, !issues.hasErrors else { return nil }
        let role = Role(id: id, name: name, summary: summary, skillWeights: weights, stages: stages, market: market)
        return (role, skillLines)
    }

    /// `YYYY-MM` or `YYYY-MM-DD`.
    static func isYearMonth(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard (2...3).contains(parts.count), parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), (1...12).contains(month)
        else { return false }
        if parts.count == 3, let day = Int(parts[2]) { return (1...31).contains(day) }
        return true
    }
}
