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

    /// - Parameter fixtures: the JSON text of each fixture set, by name (`ContentLibrary.labFixtures`).
    /// - Parameter sql: the judge for SQL labs, with the databases it runs on.
    public init(fixtures: [String: String], sql: SQLJudge? = nil) {
        self.sql = sql
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

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"'“”‘’`."))
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
            let accepted = ([expected(prompt, in: lab)].compactMap { $0 } + prompt.accept).map(Self.normalized)
            if accepted.contains(Self.normalized(answer)) {
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

    func gradeMessage(_ lab: Lab, _ text: String) -> LabResult {
        let message: Message
        do {
            message = try Message(text)
        } catch {
            return LabResult(findings: [.init(.failed, error.description)])
        }
        var findings: [LabResult.Finding] = message.notes.map { .init(.note, $0) }
        let problems = StructureCheck().problems(in: message)
        if problems.isEmpty {
            findings.append(
                .init(.passed, "The message passes the structure checks for \(message.messageType ?? "its type")."))
        }
        for problem in problems { findings.append(.init(.failed, at: problem.path, problem.message)) }
        for check in lab.checks {
            let value = try? message.value(at: check.path)
            let ok = check.equals.map { value == $0 } ?? (value != nil)
            findings.append(
                ok
                    ? .init(.passed, at: check.path, "“\(value ?? "")”, as required.")
                    : .init(
                        .failed, at: check.path, "\(value.map { "found “\($0)”" } ?? "empty"). \(check.hint)"
                    ))
        }
        return LabResult(findings: findings)
    }

    // MARK: FHIR

    func gradeFHIR(_ lab: Lab, _ text: String) -> LabResult {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: text)
        } catch {
            return LabResult(findings: [.init(.failed, error.description)])
        }
        var findings: [LabResult.Finding] = []
        let expectedType = lab.checks.first.map { JSONPath($0.path).root }
        if let expectedType, let actual = json["resourceType"]?.string, actual != expectedType {
            return LabResult(findings: [
                .init(.failed, at: "resourceType", "The lab asks for a \(expectedType); this is a \(actual).")
            ])
        }
        let issues = FHIRValidator().validate(json: json)
        let errors = issues.filter { $0.severity <= .error }
        if errors.isEmpty {
            findings.append(.init(.passed, "The resource is valid FHIR R4."))
        }
        for issue in issues {
            findings.append(
                .init(
                    issue.severity <= .error ? .failed : .note, at: issue.location,
                    issue.message + (issue.invariant.map { " [\($0)]" } ?? "")))
        }
        for check in lab.checks {
            let values = JSONPath(check.path).values(in: json)
            let ok = check.equals.map { expected in values.contains { JSONPath.same($0, expected) } } ?? !values.isEmpty
            if ok {
                let shown =
                    check.equals.flatMap { $0.hasSuffix("*") ? nil : "“\($0)”, as required." }
                    ?? "present, as required."
                findings.append(.init(.passed, at: check.path, shown))
            } else {
                let found = values.compactMap(JSONPath.text).prefix(3).map { "“\($0)”" }.joined(separator: ", ")
                let what = found.isEmpty ? "missing" : "found \(found)"
                findings.append(.init(.failed, at: check.path, "\(what). \(check.hint)"))
            }
        }
        return LabResult(findings: findings)
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
            if verdict.accepted {
                findings.append(
                    .init(
                        .passed,
                        "It returns exactly what the question asks for (\(verdict.expected.matches.count) \(verdict.expected.matches.count == 1 ? "resource" : "resources"))."
                    ))
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

    // MARK: Authoring

    /// Problems with a lab itself: its message does not parse, a question's path finds nothing, its
    /// solution is not accepted, or an empty hand-in is. `rounds content lint` and the tests run this.
    public func problems(in lab: Lab) -> [String] {
        if lab.kind.takesSQL { return sqlProblems(in: lab) }
        var problems: [String] = []
        if let text = lab.message {
            do {
                _ = try Message(text)
            } catch {
                problems.append("message: \(error.description)")
            }
        }
        for prompt in lab.prompts where expected(prompt, in: lab) == nil {
            problems.append("questions.\(prompt.id): the path \(prompt.path ?? "") finds no value in the message.")
        }
        if let resource = lab.resource {
            if (try? JSONValue(parsing: resource)) == nil {
                problems.append("resource: it is not JSON.")
            } else if lab.kind == .fhirOutcome, !FHIRValidator().validate(resource).hasErrors {
                problems.append("resource: it is valid, so there is no OperationOutcome to explain.")
            }
        }
        let solved = grade(lab, submission: lab.solution)
        if !solved.accepted {
            problems.append(
                "## Solution is not accepted: "
                    + solved.failures.map { ($0.location.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ")
            )
        }
        if grade(lab, submission: "").accepted { problems.append("an empty hand-in is accepted.") }
        if lab.kind == .hl7Fix, let message = lab.message, grade(lab, submission: message).accepted {
            problems.append("the broken message is accepted unchanged.")
        }
        if lab.kind.takesFHIR, let resource = lab.resource, grade(lab, submission: resource).accepted {
            problems.append("the broken resource is accepted unchanged.")
        }
        return problems
    }

    /// An SQL lab checks itself on both databases: the reference runs without error and returns rows,
    /// the sort keys and names fit its result, it is accepted, and every wrong answer is rejected.
    /// The tuning lab's speed-up is checked only where its big database is built.
    func sqlProblems(in lab: Lab) -> [String] {
        guard let spec = lab.sql else { return ["an SQL lab without its SQL fields."] }
        guard let judge = sql else { return ["SQL labs cannot be checked here: no lab databases are configured."] }
        var problems: [String] = []
        for table in spec.tables where EHRSchema.table(table) == nil {
            problems.append(
                "tables: `\(table)` is not a table of the synthetic EHR (\(EHRSchema.tables.map(\.name).joined(separator: ", ")))."
            )
        }
        if !problems.isEmpty { return problems }
        do {
            try judge.databases.prepareStandard()
            for database in [judge.databases.standard, judge.databases.hidden] {
                let reference = try judge.reference(lab, on: database)
                let name = database == judge.databases.standard ? "the practice database" : "the hidden database"
                if reference.rows.isEmpty { problems.append("the reference returns no rows on \(name).") }
                if let columns = spec.columns, columns.count != reference.columns.count {
                    problems.append(
                        "columns: \(columns.count) names for a result of \(reference.columns.count) columns (\(reference.columns.joined(separator: ", ")))."
                    )
                }
                for key in spec.order {
                    let column = ResultComparison.OrderKey(parsing: key)?.column.lowercased()
                    if !reference.columns.contains(where: { $0.lowercased() == column }) {
                        problems.append(
                            "order: `\(key)` names no column of the reference result (\(reference.columns.joined(separator: ", ")))."
                        )
                    }
                }
            }
        } catch {
            return problems + ["\(error)"]
        }
        if !problems.isEmpty { return problems }
        let solution = SQLJudge.query(in: lab.solution, for: lab)
        let accepted = (try? judge.gradeQuery(lab, spec: spec, sql: solution, on: judge.databases.standard))
        if accepted?.accepted != true {
            problems.append("## Solution is not accepted: \(accepted?.message ?? "it could not be graded").")
        }
        if spec.wrong.isEmpty {
            problems.append("## Wrong answers has no SQL block: add a plausible mistake the grader must reject.")
        }
        for (index, wrong) in spec.wrong.enumerated() {
            let query = SQLJudge.query(in: wrong, for: lab)
            if let verdict = try? judge.gradeQuery(lab, spec: spec, sql: query, on: judge.databases.standard),
                verdict.accepted
            {
                problems.append(
                    "## Wrong answers: answer \(index + 1) is accepted; make it a real mistake, or fix the reference.")
            }
        }
        if lab.kind == .sqlTuning {
            if spec.slowQuery == nil { problems.append("## Slow query is missing.") }
            if judge.databases.tuningIsReady {
                let verdict = gradeSQL(lab, lab.solution)
                if !verdict.accepted {
                    problems.append("## Solution is not accepted on the tuning database: \(verdict.message)")
                }
            }
        }
        return problems
    }
}
