import FHIR
import Foundation
import HL7v2
import RoundsCore
import SyntheticEHR

/// Grades a hand-in for an interoperability lab with the HL7v2 and FHIR libraries and the lab's
/// expected values. Every finding names where it is and what to do; answers that are wrong are not
/// given away (the lab's solution is shown separately, when the learner asks for it).
public struct LabGrader: Sendable {
    /// Search engines by fixture name, built once.
    let engines: [String: SearchEngine]
    /// Grades SQL labs; nil where no lab databases are configured.
    public let sql: SQLJudge?
    /// Where the server grades hand-ins: a bounded number at once, the rest queued.
    public let queue: JudgeQueue

    /// - Parameter fixtures: the JSON text of each fixture set, by name (`ContentLibrary.labFixtures`).
    /// - Parameter sql: the judge for SQL labs, with the databases it runs on.
    public init(fixtures: [String: String], sql: SQLJudge? = nil, queue: JudgeQueue = JudgeQueue()) {
        self.sql = sql
        self.queue = queue
        var engines: [String: SearchEngine] = [:]
        for (name, text) in fixtures {
            if let json = try? JSONValue(parsing: text) { engines[name] = SearchEngine(resources: [json]) }
        }
        self.engines = engines
    }

    /// The longest hand-in accepted, in characters.
    public static let maximumLength = 100_000

    public func grade(_ lab: Lab, submission: String) -> LabResult {
        let text = submission.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            return LabResult(findings: [.init(.failed, "Nothing was handed in. \(Self.expectation(lab.kind))")])
        }
        guard text.count <= Self.maximumLength else {
            return LabResult(findings: [
                .init(.failed, "The hand-in is \(text.count) characters; the limit is \(Self.maximumLength).")
            ])
        }
        switch lab.kind {
        case .hl7Read, .fhirOutcome: return gradeAnswers(lab, text)
        case .hl7Fix: return gradeMessage(lab, text)
        case .hl7ToFHIR, .fhirWrite, .fhirBundle: return gradeFHIR(lab, text)
        case .fhirSearch: return gradeSearch(lab, text)
        case .sql, .sqlTuning: return gradeSQL(lab, text).labResult
        }
    }

    /// Grades on the judge queue, off Swift's cooperative pool. A wait of a tenth of a second or more
    /// is told to the learner, so a slow verdict is not mistaken for a slow query.
    public func gradeQueued(_ lab: Lab, submission: String) async throws -> LabResult {
        let (result, wait) = try await queue.run { self.grade(lab, submission: submission) }
        guard let note = Self.queueNote(wait) else { return result }
        return result.noting(.init(.note, at: "queue", note))
    }

    /// What the learner is told about a wait for a free judge, if it was long enough to notice.
    public static func queueNote(_ wait: JudgeQueue.Wait) -> String? {
        guard wait.seconds >= 0.1 else { return nil }
        let ahead = wait.ahead == 1 ? "1 hand-in was" : "\(wait.ahead) hand-ins were"
        return
            "Queued: your hand-in waited \(String(format: "%.1f", wait.seconds)) s for a free grader (\(ahead) ahead of it). The waiting is not counted against your query."
    }

    /// An SQL hand-in's full verdict (with the result table and the diff), which the pages and the
    /// command line show; `grade` keeps its findings.
    public func gradeSQL(_ lab: Lab, _ text: String) -> SQLJudge.Verdict {
        guard let sql else {
            return SQLJudge.Verdict(
                kind: .unavailable, message: "SQL labs are not set up here: no lab databases are configured.")
        }
        do {
            return try sql.grade(lab, sql: text)
        } catch {
            return SQLJudge.Verdict(kind: .unavailable, message: "\(error)")
        }
    }

    static func expectation(_ kind: Lab.Kind) -> String {
        switch kind {
        case .hl7Read, .fhirOutcome: "Answer each question on its own line as `id: answer`."
        case .hl7Fix: "Hand in the corrected message, one segment per line."
        case .hl7ToFHIR, .fhirWrite, .fhirBundle: "Hand in the FHIR resource as JSON."
        case .fhirSearch: "Hand in one search URL, such as Observation?patient=123."
        case .sql: "Hand in one SELECT statement."
        case .sqlTuning: "Hand in CREATE INDEX statements, then the rewritten query."
        }
    }

    // MARK: Answers

    /// `id: answer` lines (also `id = answer`); later lines for the same id win.
    public static func answers(in text: String) -> [String: String] {
        var answers: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let separator = line.firstIndex(where: { $0 == ":" || $0 == "=" }) else { continue }
            let id = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
            answers[id] = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        }
        return answers
    }

    /// A short answer against an accepted one: the same text (case, spacing around punctuation and
    /// quotes aside), the same number, or the same instant.
    /// An explanation in parentheses after the answer ("the time zone offset (Z or -05:00)") is set aside.
    static func sameAnswer(_ given: String, _ accepted: String) -> Bool {
        func same(_ given: String) -> Bool {
            Equivalence.sameText(given, accepted) || Equivalence.sameHL7(given, accepted)
                || Equivalence.sameDate(given, accepted) == true
        }
        if same(given) { return true }
        let bare = given.replacingOccurrences(of: #"\s*\([^()]*\)"#, with: "", options: .regularExpression)
        return bare != given && !bare.isEmpty && same(bare)
    }

    /// The right answer to a prompt: given, or read from the lab's message by path.
    public func expected(_ prompt: Lab.Prompt, in lab: Lab) -> String? {
        if let answer = prompt.answer { return answer }
        guard let path = prompt.path, let text = lab.message, let message = try? Message(text) else { return nil }
        return try? message.value(at: path)
    }

    func gradeAnswers(_ lab: Lab, _ text: String) -> LabResult {
        let given = Self.answers(in: text)
        var findings: [LabResult.Finding] = []
        for prompt in lab.prompts {
            guard let answer = given[prompt.id.lowercased()], !answer.isEmpty else {
                findings.append(.init(.failed, at: prompt.id, "No answer for “\(prompt.id)” (\(prompt.ask))"))
                continue
            }
            let accepted = [expected(prompt, in: lab)].compactMap { $0 } + prompt.accept
            if accepted.contains(where: { Self.sameAnswer(answer, $0) }) {
                findings.append(.init(.passed, at: prompt.id, "“\(answer)” is right."))
            } else {
                let hint = prompt.hint.map { " \($0)" } ?? ""
                findings.append(
                    .init(.failed, at: prompt.id, "“\(answer)” is not the answer to “\(prompt.ask)”.\(hint)"))
            }
        }
        let known = Set(lab.prompts.map { $0.id.lowercased() })
        for id in given.keys.sorted() where !known.contains(id) {
            findings.append(
                .init(
                    .note, at: id,
                    "“\(id)” is not one of the questions (\(lab.prompts.map(\.id).joined(separator: ", "))).")
            )
        }
        return LabResult(findings: findings)
    }

    // MARK: HL7 v2

    /// A corrected message: it must parse, pass the structure checks, meet the lab's checks, and equal
    /// the expected message (the solution) field by field by meaning, so that a change the task did not
    /// ask for is caught too. Only what is wrong is listed, then one line for what is right.
    func gradeMessage(_ lab: Lab, _ text: String) -> LabResult {
        let message: Message
        do {
            message = try Message(text)
        } catch {
            return LabResult(findings: [.init(.failed, error.description)])
        }
        var findings: [LabResult.Finding] = message.notes.map { .init(.note, $0) }
        let problems = StructureCheck().problems(in: message)
        for problem in problems { findings.append(.init(.failed, at: problem.path, problem.message)) }
        var failedPaths: [String] = problems.map(\.path)
        for check in lab.checks {
            let value = try? message.value(at: check.path)
            let ok =
                check.equals.map { expected in value.map { Equivalence.sameHL7($0, expected) } ?? false }
                ?? (value != nil)
            if !ok {
                failedPaths.append(check.path)
                findings.append(
                    .init(.failed, at: check.path, "\(value.map { "found “\($0)”" } ?? "empty"). \(check.hint)"))
            }
        }
        var checked = lab.checks.count + 1
        var wrong = findings.filter { $0.status == .failed }.count
        if let expected = try? Message(lab.solution) {
            let comparison = HL7Comparison()
            let differences = comparison.differences(expected: expected, actual: message)
            // Paths the task changes: where the given message and the solution differ.
            let original = lab.message.flatMap { try? Message($0) }
            let fixed = original.map { Set(comparison.differences(expected: expected, actual: $0).map(\.path)) }
            checked += expected.segments.reduce(0) { $0 + $1.fields.count }
            for difference in differences {
                if let problem = difference.segmentProblem {
                    if !problems.contains(where: { $0.path.isEmpty || $0.message.contains("order") }) {
                        findings.append(.init(.failed, at: "segments", problem))
                        wrong += 1
                    }
                    continue
                }
                if failedPaths.contains(where: { Self.samePath($0, difference.path) }) { continue }
                wrong += 1
                let found = difference.found.map { "found “\($0)”" } ?? "empty"
                if let fixed, !fixed.contains(difference.path), let original,
                    let before = try? original.value(at: difference.path), !before.isEmpty
                {
                    findings.append(
                        .init(
                            .failed, at: difference.path,
                            "\(found), but the message you were given has “\(before)” here and the task asks to change nothing else."
                        ))
                } else if let check = lab.checks.first(where: { Self.samePath($0.path, difference.path) }) {
                    findings.append(.init(.failed, at: difference.path, "\(found). \(check.hint)"))
                } else {
                    findings.append(
                        .init(
                            .failed, at: difference.path,
                            "\(found): not what the corrected message needs here. Re-read the task."))
                }
            }
        }
        findings.append(Self.summary(right: checked - wrong, of: checked, what: "message"))
        return LabResult(findings: findings, right: checked - wrong, of: checked)
    }

    /// Whether two HL7 v2 paths name the same place: `PID-3-1` is `PID-3`.
    static func samePath(_ a: String, _ b: String) -> Bool {
        func trimmed(_ path: String) -> String {
            var path = path.uppercased()
            while path.hasSuffix("-1") { path.removeLast(2) }
            return path
        }
        return trimmed(a) == trimmed(b)
    }

    /// The one line about what is right: all of it, or how much, never which parts.
    static func summary(right: Int, of checked: Int, what: String) -> LabResult.Finding {
        right >= checked
            ? .init(.passed, "Everything the task asks of the \(what) is there and right.")
            : .init(
                .note,
                "The rest of the \(what) agrees with what the task asks (\(max(right, 0)) of \(checked) parts checked are right)."
            )
    }

    // MARK: FHIR

    /// A FHIR resource: valid R4, the lab's checks met, and the same by meaning as the expected resource
    /// (the solution): every element it has, with nothing changed inside them (`FHIRComparison`).
    func gradeFHIR(_ lab: Lab, _ text: String) -> LabResult {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            return LabResult(findings: [.init(.failed, error.description)])
        }
        let expected = try? JSONValue(parsing: lab.solution)
        let expectedType = expected?["resourceType"]?.string ?? lab.checks.first.map { JSONPath($0.path).root }
        if let expectedType, let actual = json["resourceType"]?.string, actual != expectedType {
            return LabResult(findings: [
                .init(.failed, at: "resourceType", "The lab asks for a \(expectedType); this is a \(actual).")
            ])
        }
        var findings: [LabResult.Finding] = []
        let issues = FHIRValidator().validate(json: json)
        for issue in issues {
            findings.append(
                .init(
                    issue.severity <= .error ? .failed : .note, at: issue.location,
                    issue.message + (issue.invariant.map { " [\($0)]" } ?? "")))
        }
        var failedPaths: [String] = []
        for check in lab.checks {
            let values = JSONPath(check.path).values(in: json)
            let ok =
                check.equals.map { expected in values.contains { Self.sameValue($0, expected, path: check.path) } }
                ?? !values.isEmpty
            if !ok {
                failedPaths.append(check.path)
                let found = values.compactMap(JSONPath.text).prefix(3).map { "“\($0)”" }.joined(separator: ", ")
                let what = found.isEmpty ? "missing" : "found \(found)"
                findings.append(.init(.failed, at: check.path, "\(what). \(check.hint)"))
            }
        }
        var checked = lab.checks.count + 1
        var wrong = findings.filter { $0.status == .failed }.count
        if let expected {
            let differences = FHIRComparison(optional: Set(lab.optional), free: Set(lab.free)).differences(
                expected: expected, actual: json)
            checked += Self.leafCount(expected)
            for difference in differences {
                if failedPaths.contains(where: {
                    difference.plainPath.hasPrefix($0) || $0.hasPrefix(difference.plainPath)
                }) {
                    continue
                }
                let hint =
                    lab.checks.first {
                        $0.path == difference.plainPath || $0.path.hasPrefix(difference.plainPath + ".")
                    }
                    .map { " " + $0.hint } ?? ""
                switch difference.kind {
                case .missing:
                    wrong += 1
                    findings.append(.init(.failed, at: difference.path, "missing; the task calls for it.\(hint)"))
                case .different(let found):
                    wrong += 1
                    let what = found.map { "found “\($0)”" } ?? "found another kind of value"
                    findings.append(
                        .init(.failed, at: difference.path, "\(what), which is not what the task describes.\(hint)"))
                case .unexpected:
                    wrong += 1
                    findings.append(
                        .init(
                            .failed, at: difference.path,
                            "present, but nothing in the task gives it a value here. Remove it, or re-read the task."))
                case .extra:
                    findings.append(
                        .init(
                            .note, at: difference.path,
                            "not asked for by the task; make sure it is true, or leave it out."))
                }
            }
        }
        findings.append(Self.summary(right: checked - wrong, of: checked, what: "resource"))
        return LabResult(findings: findings, right: checked - wrong, of: checked)
    }

    /// A check's value against the hand-in's: `urn:uuid:*` (a trailing `*`) accepts any value with that
    /// start; otherwise by meaning, as `Equivalence` says.
    static func sameValue(_ value: JSONValue, _ expected: String, path: String) -> Bool {
        if JSONPath.same(value, expected) { return true }
        guard !expected.hasSuffix("*"), let text = JSONPath.text(value) else { return false }
        if case .number = value { return Equivalence.sameNumber(text, expected) }
        let element = path.split(separator: ".").last.map(String.init) ?? ""
        return Equivalence.sameFHIR(expected, text, element: element)
    }

    /// Primitive values in a resource, aside from those no lab grades.
    static func leafCount(_ json: JSONValue) -> Int {
        switch json {
        case .object(let members):
            members.filter { !FHIRComparison.ignored.contains($0.key) && $0.key != "display" }.reduce(0) {
                $0 + leafCount($1.value)
            }
        case .array(let items): items.reduce(0) { $0 + leafCount($1) }
        default: 1
        }
    }

    // MARK: Search

    func gradeSearch(_ lab: Lab, _ text: String) -> LabResult {
        let url = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        guard let fixtures = lab.fixtures, let engine = engines[fixtures], let reference = lab.reference else {
            return LabResult(findings: [
                .init(.failed, "This lab's fixture set is missing; report it to the content's authors.")
            ])
        }
        do {
            let verdict = try SearchGrader(engine: engine).grade(url, reference: reference)
            var findings: [LabResult.Finding] = verdict.problems.map { .init(.failed, $0) }
            if verdict.accepted, let hidden = engines[Self.hiddenFixtures(fixtures)] {
                let second = try SearchGrader(engine: hidden).grade(url, reference: reference)
                if !second.accepted {
                    findings.append(.init(.failed, at: "hidden resources", Self.hiddenSearchProblem(second)))
                }
            }
            if findings.isEmpty {
                findings.append(
                    .init(
                        .passed,
                        "It returns exactly what the question asks for (\(verdict.expected.matches.count) \(verdict.expected.matches.count == 1 ? "resource" : "resources"))."
                    ))
            }
            if findings.contains(where: { $0.status == .failed }) {
                findings += Self.datePrecisionNotes(url).map { .init(.note, at: "date precision", $0) }
            }
            if let result = verdict.learner {
                let shown = result.matches.prefix(8).joined(separator: ", ")
                findings.append(
                    .init(
                        .note,
                        "Your search returned \(result.total) match\(result.total == 1 ? "" : "es")\(shown.isEmpty ? "" : ": \(shown)")\(result.matches.count > 8 ? ", …" : "")."
                    ))
            }
            return LabResult(findings: findings)
        } catch {
            return LabResult(findings: [.init(.failed, "The lab's reference search does not run: \(error.description)")]
            )
        }
    }

    /// For a wrong search, what each year or month in it means: FHIR compares a date as the range its
    /// precision sets, which is the usual surprise (issue 18).
    static func datePrecisionNotes(_ url: String) -> [String] {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        var notes: [String] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).removingPercentEncoding ?? String($0)
            }
            guard parts.count == 2,
                let match = parts[1].wholeMatch(of: /(eq|ne|gt|lt|ge|le|sa|eb|ap)?([0-9]{4})(?:-([0-9]{2}))?/)
            else { continue }
            let prefix = match.1.map(String.init) ?? "eq"
            let year = String(match.2)
            let range: (String, String, String)
            if let month = match.3 {
                range = ("the whole month \(year)-\(month)", "\(year)-\(month)-01", "the month's last day")
            } else {
                range = ("the whole year \(year)", "\(year)-01-01", "\(year)-12-31")
            }
            let meaning: String =
                switch prefix {
                case "gt", "sa": "`gt` means after the end of that range, so it starts the day after \(range.2)"
                case "lt", "eb": "`lt` means before the start of that range, so it stops before \(range.1)"
                case "ge": "`ge` means from \(range.1) on"
                case "le": "`le` means up to the end of \(range.2)"
                case "ne": "`ne` leaves out that whole range"
                default: "with no prefix (`eq`) a value matches when it falls anywhere in that range"
                }
            notes.append(
                "`\(parts[0])=\(parts[1])` is a date at \(match.3 == nil ? "year" : "month") precision: FHIR reads it as \(range.0) (from \(range.1)), and \(meaning). Write a full date (YYYY-MM-DD) to mean one day."
            )
        }
        return notes
    }

    /// The hidden variant of a fixture set, which search labs are graded on as well: `clinic-hidden`.
    public static func hiddenFixtures(_ name: String) -> String { name + "-hidden" }

    /// What went wrong on the hidden resources, without naming them.
    static func hiddenSearchProblem(_ verdict: SearchGrader.Verdict) -> String {
        var parts: [String] = []
        if let learner = verdict.learner {
            let missing = verdict.expected.matches.filter { !learner.matches.contains($0) }.count
            let extra = learner.matches.filter { !verdict.expected.matches.contains($0) }.count
            if missing > 0 { parts.append("it misses \(missing) the question asks for") }
            if extra > 0 { parts.append("it returns \(extra) the question does not ask for") }
            if missing == 0 && extra == 0 {
                parts.append(
                    learner.matches == verdict.expected.matches
                        ? "it brings in other referenced resources" : "the order is not the one asked for")
            }
        }
        return
            "Right on the practice resources, but not on a hidden set that has values at the edge of every filter: \(parts.joined(separator: "; ")). Check each prefix (gt is not ge), the precision of dates, each code's system, the parameter's name and any modifier against the task."
    }
}
