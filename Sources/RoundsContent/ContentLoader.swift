import BundledContent
import Foundation
import RoundsCore

/// What loading content produced: the usable library, and every problem found on the way.
public struct ContentLoadResult: Sendable {
    public let library: ContentLibrary
    /// Issues sorted by file and line.
    public let issues: [ContentIssue]

    public var errors: [ContentIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [ContentIssue] { issues.filter { $0.severity == .warning } }
}

/// Loads content packs in order: the first is the base, later ones add to it or replace by id.
///
/// A bad file never stops loading: it is reported and left out, and everything else loads.
public struct ContentLoader: Sendable {
    /// The environment variable that points Rounds at extra packs, separated by `:`.
    public static let extraPacksVariable = "ROUNDS_CONTENT"
    /// The environment variable that replaces the bundled pack, for authors editing the bank in place.
    public static let bundledOverrideVariable = "ROUNDS_BUNDLED_CONTENT"

    public let packs: [URL]

    /// - Parameter packs: pack folders, the base first.
    public init(packs: [URL]) {
        self.packs = packs
    }

    /// The bundled pack, or the folder named by `ROUNDS_BUNDLED_CONTENT`.
    public static func bundledPack(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment[bundledOverrideVariable], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return BundledContent.url
    }

    /// The packs named by `ROUNDS_CONTENT`.
    public static func extraPacks(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        (environment[extraPacksVariable] ?? "").split(separator: ":").map {
            URL(fileURLWithPath: String($0), isDirectory: true)
        }
    }

    /// Loads the bundled pack, then `extra` packs.
    public static func standard(extra: [URL] = [], environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ContentLoader
    {
        ContentLoader(packs: [bundledPack(environment: environment)] + extraPacks(environment: environment) + extra)
    }

    /// Loads and checks every pack.
    public func load() -> ContentLoadResult {
        var state = LoadState()
        for (index, pack) in packs.enumerated() {
            state.load(pack: pack, packIndex: index)
        }
        return state.finish()
    }
}

/// The accumulating state of a load; checks that need the whole library run in `finish`.
private struct LoadState {
    var issues: [ContentIssue] = []
    var skills: [Skill] = []
    var skillFiles: [String: String] = [:]
    var roles: [String: Role] = [:]
    var roleSkillLines: [String: (file: String, lines: [String: Int])] = [:]
    var hosts: [String] = []
    var standaloneTerms = Set<String>()
    var misconceptions: [String: (GlobalMisconception, file: String, lines: [String: Int])] = [:]
    var facts: [String: (FactSlot, file: String, lines: [String: Int])] = [:]
    var questions: [String: (file: QuestionFile, pack: Int)] = [:]
    var labs: [String: (lab: Lab, file: String, lines: [String: Int])] = [:]
    var labFixtures: [String: String] = [:]

    mutating func load(pack: URL, packIndex: Int) {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: pack.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            issues.append(
                ContentIssue(
                    .error, file: pack.path, line: nil, field: nil, message: "the content pack folder does not exist.",
                    fix: "check the path given with --content or ROUNDS_CONTENT."))
            return
        }
        let skillsFile = pack.appendingPathComponent("skills.yaml")
        if let text = read(skillsFile) {
            let collector = IssueCollector(file: skillsFile.path)
            for (skill, line) in TaxonomyFiles.skills(text, issues: collector) {
                if let other = skillFiles[skill.id] {
                    collector.add(
                        .error, line: line, field: "id", "the skill `\(skill.id)` is already defined in \(other).",
                        fix: "give the skill a new id, or use the existing one.")
                } else {
                    skills.append(skill)
                    skillFiles[skill.id] = skillsFile.path
                }
            }
            issues += collector.issues
        }
        let hostsFile = pack.appendingPathComponent("primary-sources.yaml")
        if let text = read(hostsFile) {
            let collector = IssueCollector(file: hostsFile.path)
            hosts += TaxonomyFiles.primaryHosts(text, issues: collector)
            issues += collector.issues
        }
        let termsFile = pack.appendingPathComponent("standalone-terms.yaml")
        if let text = read(termsFile) {
            let collector = IssueCollector(file: termsFile.path)
            standaloneTerms.formUnion(TaxonomyFiles.standaloneTerms(text, issues: collector))
            issues += collector.issues
        }
        let misconceptionsFile = pack.appendingPathComponent("misconceptions.yaml")
        if let text = read(misconceptionsFile) {
            let collector = IssueCollector(file: misconceptionsFile.path)
            for (misconception, lines) in TaxonomyFiles.misconceptions(text, issues: collector) {
                if misconceptions[misconception.id] != nil {
                    collector.add(
                        .note, line: lines["id"], field: "id",
                        "replaces the misconception `\(misconception.id)` from an earlier pack.", fix: nil)
                }
                misconceptions[misconception.id] = (misconception, misconceptionsFile.path, lines)
            }
            issues += collector.issues
        }
        let factsFile = pack.appendingPathComponent("facts.yaml")
        if let text = read(factsFile) {
            let collector = IssueCollector(file: factsFile.path)
            for (slot, lines) in TaxonomyFiles.facts(text, issues: collector) {
                if facts[slot.id] != nil {
                    collector.add(
                        .note, line: lines["id"], field: "id",
                        "replaces the fact slot `\(slot.id)` from an earlier pack.",
                        fix: nil)
                }
                facts[slot.id] = (slot, factsFile.path, lines)
            }
            issues += collector.issues
        }
        for file in files(in: pack.appendingPathComponent("roles"), extension: "yaml") {
            guard let text = read(file) else { continue }
            let collector = IssueCollector(file: file.path)
            if let (role, lines) = TaxonomyFiles.role(text, issues: collector) {
                let expected = file.deletingPathExtension().lastPathComponent
                if role.id != expected {
                    collector.add(
                        .error, line: 1, field: "id", "the id `\(role.id)` does not match the file name `\(expected)`.",
                        fix: "rename the file to `\(role.id).yaml` or change the id.")
                } else {
                    if roles[role.id] != nil {
                        collector.add(
                            .note, line: 1, field: "id", "replaces the role `\(role.id)` from an earlier pack.",
                            fix: nil)
                    }
                    roles[role.id] = role
                    roleSkillLines[role.id] = (file.path, lines)
                }
            }
            issues += collector.issues
        }
        var seenInPack: [String: String] = [:]
        for file in files(in: pack.appendingPathComponent("questions"), extension: "md") {
            guard let text = read(file) else { continue }
            let collector = IssueCollector(file: file.path)
            if let parsed = QuestionFileParser.parse(text, path: file.path, issues: collector) {
                let id = parsed.question.id
                if let other = seenInPack[id] {
                    collector.add(
                        .error, line: parsed.lines["id"], field: "id", "the id `\(id)` is also used by \(other).",
                        fix: "give one of the two questions a new id.")
                } else {
                    seenInPack[id] = file.path
                    if let earlier = questions[id] {
                        collector.add(
                            .note, line: parsed.lines["id"], field: "id",
                            "replaces the question `\(id)` from \(earlier.file.path).", fix: nil)
                    }
                    questions[id] = (parsed, packIndex)
                }
            }
            issues += collector.issues
        }
        loadLabs(in: pack.appendingPathComponent("labs"))
    }

    /// Labs (`labs/<area>/<id>.md`) and the fixture sets they search (`labs/<area>/fixtures/<name>.json`).
    mutating func loadLabs(in folder: URL) {
        var seenInPack: [String: String] = [:]
        for file in files(in: folder, extension: "md") {
            guard let text = read(file) else { continue }
            let collector = IssueCollector(file: file.path)
            if let (lab, lines) = LabFileParser.parse(text, path: file.path, issues: collector) {
                if let other = seenInPack[lab.id] {
                    collector.add(
                        .error, line: lines["id"], field: "id", "the id `\(lab.id)` is also used by \(other).",
                        fix: "give one of the two labs a new id.")
                } else {
                    seenInPack[lab.id] = file.path
                    if let earlier = labs[lab.id] {
                        collector.add(
                            .note, line: lines["id"], field: "id", "replaces the lab `\(lab.id)` from \(earlier.file).",
                            fix: nil)
                    }
                    labs[lab.id] = (lab, file.path, lines)
                }
            }
            issues += collector.issues
        }
        for file in files(in: folder, extension: "json")
        where file.deletingLastPathComponent().lastPathComponent == "fixtures" {
            if let text = read(file) { labFixtures[file.deletingPathExtension().lastPathComponent] = text }
        }
    }

    private mutating func read(_ url: URL) -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            issues.append(
                ContentIssue(
                    .error, file: url.path, line: nil, field: nil, message: "the file cannot be read.",
                    fix: "check its permissions."))
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            issues.append(
                ContentIssue(
                    .error, file: url.path, line: nil, field: nil, message: "the file is not valid UTF-8 text.",
                    fix: "save it as UTF-8."))
            return nil
        }
        return text
    }

    /// Files with `extension` under `folder`, recursively, in a stable order; hidden files are skipped.
    private func files(in folder: URL, extension ext: String) -> [URL] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == ext }
            .sorted { $0.path < $1.path }
    }

    mutating func finish() -> ContentLoadResult {
        let skillIDs = Set(skills.map(\.id))
        let roleIDs = Set(roles.keys)
        for (id, (file, lines)) in roleSkillLines.sorted(by: { $0.key < $1.key }) {
            for skill in roles[id]!.skillWeights.keys.sorted() where !skillIDs.contains(skill) {
                issues.append(
                    unknown("skill", skill, known: skillIDs, file: file, line: lines[skill], field: "skills.\(skill)"))
            }
        }
        for (id, entry) in misconceptions.sorted(by: { $0.key < $1.key }) {
            for skill in entry.0.skills where !skillIDs.contains(skill) {
                issues.append(
                    unknown(
                        "skill", skill, known: skillIDs, file: entry.file, line: entry.lines["skills"],
                        field: "\(id).skills"))
            }
            for (index, text) in entry.0.misconception.phrases.enumerated() {
                let phrase = Phrase(text)
                if phrase.canNeverMatch {
                    issues.append(
                        ContentIssue(
                            .error, file: entry.file, line: entry.lines["phrases[\(index)]"],
                            field: "\(id).phrases[\(index)]",
                            message: "the phrase `\(text)` can never match: it has only function words.",
                            fix: "use the words that reveal the wrong claim."))
                } else if phrase.stems.count == 1 {
                    issues.append(
                        ContentIssue(
                            .warning, file: entry.file, line: entry.lines["phrases[\(index)]"],
                            field: "\(id).phrases[\(index)]",
                            message: "the single word `\(text)` would flag correct answers that mention it.",
                            fix: "use a phrase that states the wrong claim."))
                }
            }
        }
        for (id, entry) in facts.sorted(by: { $0.key < $1.key }) {
            for skill in entry.0.skills where !skillIDs.contains(skill) {
                issues.append(
                    unknown(
                        "skill", skill, known: skillIDs, file: entry.file, line: entry.lines["id"],
                        field: "\(id).skills"))
            }
            for source in entry.0.sources where !isPrimary(source.url) {
                issues.append(
                    ContentIssue(
                        .warning, file: entry.file, line: entry.lines["id"], field: "\(id).sources",
                        message: "`\(source.url)` is not on a primary-source host.",
                        fix: "cite the primary source (HHS, CMS, ONC, HL7, NLM, CDC, NIST, AMA…) the fact comes from."))
            }
        }
        for (id, entry) in misconceptions.sorted(by: { $0.key < $1.key }) {
            for source in entry.0.sources where !isPrimary(source.url) {
                issues.append(
                    ContentIssue(
                        .warning, file: entry.file, line: entry.lines["id"], field: "\(id).sources",
                        message: "`\(source.url)` is not on a primary-source host.",
                        fix: "cite the primary source the correction comes from."))
            }
        }
        var accepted: [Question] = []
        var files: [String: String] = [:]
        // Each model answer is analysed once, for the bank's common words, its own question's checks and
        // the bank-wide phrases below.
        let answers = questions.mapValues { AnalyzedText($0.file.question.modelAnswer) }
        let common = QuestionChecker.commonStems(in: Array(answers.values))
        for (id, entry) in questions.sorted(by: { $0.key < $1.key }) {
            let checker = QuestionChecker(
                file: entry.file, answer: answers[id]!, skillIDs: skillIDs, roleIDs: roleIDs, isPrimary: isPrimary,
                commonStems: common, standaloneTerms: standaloneTerms)
            let found = checker.check()
            issues += found
            if !found.contains(where: { $0.severity == .error }) {
                accepted.append(entry.file.question)
                files[id] = entry.file.path
            }
        }
        // A bank-wide phrase that a correct model answer contains would flag correct learners too.
        let globals = misconceptions.values.map(\.0)
        for question in accepted {
            let answer = answers[question.id]!
            for global in globals where global.applies(to: question) {
                for (index, text) in global.misconception.phrases.enumerated()
                where Phrase(text).firstAffirmedMatch(in: answer) != nil {
                    let entry = misconceptions[global.id]!
                    issues.append(
                        ContentIssue(
                            .warning, file: entry.file, line: entry.lines["phrases[\(index)]"],
                            field: "\(global.id).phrases[\(index)]",
                            message:
                                "the model answer of `\(question.id)` matches `\(text)`, so correct answers would be flagged.",
                            fix: "make the phrase state the wrong claim more specifically."))
                }
            }
        }
        var acceptedLabs: [Lab] = []
        var labFiles: [String: String] = [:]
        for (_, entry) in labs.sorted(by: { $0.key < $1.key }) {
            var found: [ContentIssue] = []
            func add(_ severity: ContentIssue.Severity, _ field: String, _ message: String, fix: String) {
                found.append(
                    ContentIssue(
                        severity, file: entry.file, line: entry.lines[field], field: field, message: message, fix: fix))
            }
            for skill in entry.lab.skills where !skillIDs.contains(skill) {
                found.append(
                    unknown(
                        "skill", skill, known: skillIDs, file: entry.file, line: entry.lines["skills"], field: "skills")
                )
            }
            for role in entry.lab.roles where !roleIDs.contains(role) {
                found.append(
                    unknown("role", role, known: roleIDs, file: entry.file, line: entry.lines["roles"], field: "roles"))
            }
            if !entry.lab.sources.contains(where: { isPrimary($0.url) }) {
                add(
                    .error, "sources", "no source is on a primary-source host.",
                    fix: "cite the HL7 specification page the lab rests on.")
            }
            if let fixtures = entry.lab.fixtures, labFixtures[fixtures] == nil {
                add(
                    .error, "fixtures", "there is no fixture set `\(fixtures)`.",
                    fix:
                        "add labs/fhir/fixtures/\(fixtures).json, or use one of: \(labFixtures.keys.sorted().joined(separator: ", "))."
                )
            }
            issues += found
            if !found.contains(where: { $0.severity == .error }) {
                acceptedLabs.append(entry.lab)
                labFiles[entry.lab.id] = entry.file
            }
        }
        issues.sort { ($0.file, $0.line ?? 0, $0.severity) < ($1.file, $1.line ?? 0, $1.severity) }
        let library = ContentLibrary(
            skills: skills, roles: Array(roles.values), questions: accepted, primaryHosts: hosts,
            globalMisconceptions: misconceptions.values.map(\.0).sorted { $0.id < $1.id }, questionFiles: files,
            labs: acceptedLabs, labFixtures: labFixtures, labFiles: labFiles,
            facts: facts.values.map(\.0).sorted { $0.id < $1.id })
        return ContentLoadResult(library: library, issues: issues)
    }

    func isPrimary(_ url: String) -> Bool {
        guard let host = SourceParser.host(of: url) else { return false }
        return hosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

func unknown(_ what: String, _ value: String, known: Set<String>, file: String, line: Int?, field: String)
    -> ContentIssue
{
    let suggestion = YAMLReader.closest(to: value, in: known.sorted()).map { " Did you mean `\($0)`?" } ?? ""
    return ContentIssue(
        .error, file: file, line: line, field: field, message: "unknown \(what) `\(value)`.\(suggestion)",
        fix: "use a \(what) id defined in the content pack (`rounds content stats` lists them).")
}
