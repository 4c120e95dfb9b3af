import FHIR
import Foundation
import HL7v2
import RoundsCore
import SyntheticEHR

/// Checks labs themselves, for `rounds content lint` and the tests, as `QuestionChecker` checks
/// questions: a lab whose solution is refused, or whose listed wrong answers are accepted, is a bug in
/// the lab or the grader, found while authoring rather than by learners. It grades with the same
/// `LabGrader` learners' hand-ins get.
public struct LabChecker: Sendable {
    public let grader: LabGrader

    public init(grader: LabGrader) {
        self.grader = grader
    }

    /// Problems with a lab itself: its message does not parse, a question's path finds nothing, its
    /// solution is not accepted, or an empty hand-in or a listed wrong answer is.
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
        for prompt in lab.prompts where grader.expected(prompt, in: lab) == nil {
            problems.append("questions.\(prompt.id): the path \(prompt.path ?? "") finds no value in the message.")
        }
        if let resource = lab.resource {
            if (try? JSONValue(parsing: resource)) == nil {
                problems.append("resource: it is not JSON.")
            } else if lab.kind == .fhirOutcome, !FHIRValidator().validate(resource).hasErrors {
                problems.append("resource: it is valid, so there is no OperationOutcome to explain.")
            }
        }
        if lab.kind.takesFHIR, let solution = try? JSONValue(parsing: lab.solution) {
            for path in lab.optional + lab.free where JSONPath(path).values(in: solution).isEmpty {
                problems.append("optional/free: `\(path)` names nothing in the solution.")
            }
        }
        let solved = grader.grade(lab, submission: lab.solution)
        if !solved.accepted {
            problems.append(
                "## Solution is not accepted: "
                    + solved.failures.map { ($0.location.map { "\($0): " } ?? "") + $0.message }.joined(separator: "; ")
            )
        }
        if grader.grade(lab, submission: "").accepted { problems.append("an empty hand-in is accepted.") }
        problems += wrongAnswerProblems(in: lab) { grader.grade(lab, submission: $0).accepted }
        if lab.kind == .hl7Fix, let message = lab.message, grader.grade(lab, submission: message).accepted {
            problems.append("the broken message is accepted unchanged.")
        }
        if lab.kind == .fhirSearch, let fixtures = lab.fixtures,
            grader.engines[LabGrader.hiddenFixtures(fixtures)] == nil
        {
            problems.append(
                "fixtures: there is no hidden variant `\(LabGrader.hiddenFixtures(fixtures))` of `\(fixtures)`; search labs are graded on both (add fixtures/\(LabGrader.hiddenFixtures(fixtures)).json)."
            )
        }
        if lab.kind.takesFHIR, let resource = lab.resource, grader.grade(lab, submission: resource).accepted {
            problems.append("the broken resource is accepted unchanged.")
        }
        return problems
    }

    /// The fewest wrong answers a lab lists: each a mistake of another kind that the lab must catch.
    public static let minimumWrongAnswers = 3

    /// Each listed wrong answer must be rejected; `accepted` grades one.
    func wrongAnswerProblems(in lab: Lab, accepted: (String) -> Bool) -> [String] {
        var problems: [String] = []
        if lab.wrongAnswers.count < Self.minimumWrongAnswers {
            problems.append(
                "## Wrong answers lists \(lab.wrongAnswers.count) of the \(Self.minimumWrongAnswers) needed: add plausible mistakes (in fenced blocks) that the grader must reject."
            )
        }
        for (index, wrong) in lab.wrongAnswers.enumerated() where accepted(wrong) {
            let what = wrong.split(whereSeparator: \.isNewline).first.map { " (`\($0.prefix(60))`)" } ?? ""
            problems.append(
                "## Wrong answers: answer \(index + 1)\(what) is accepted; make the checks or the data catch it, or fix the reference."
            )
        }
        return problems
    }

    /// An SQL lab checks itself on both databases: the reference runs without error and returns rows,
    /// the sort keys and names fit its result, it is accepted, and every wrong answer is rejected.
    /// The tuning lab's speed-up is checked only where its big database is built.
    func sqlProblems(in lab: Lab) -> [String] {
        guard let spec = lab.sql else { return ["an SQL lab without its SQL fields."] }
        guard let judge = grader.sql else {
            return ["SQL labs cannot be checked here: no lab databases are configured."]
        }
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
        problems += wrongAnswerProblems(in: lab) { wrong in
            // A tuning mistake may return the right rows and still be slow: it is graded in full
            // (plan and speed) where the tuning database is built, by its rows elsewhere.
            if lab.kind == .sqlTuning {
                guard judge.databases.tuningIsReady else { return false }
                return grader.gradeSQL(lab, wrong).accepted
            }
            let query = SQLJudge.query(in: wrong, for: lab)
            return (try? judge.gradeQuery(lab, spec: spec, sql: query, on: judge.databases.standard))?.accepted ?? false
        }
        if lab.kind == .sqlTuning {
            if spec.slowQuery == nil { problems.append("## Slow query is missing.") }
            if judge.databases.tuningIsReady {
                let verdict = grader.gradeSQL(lab, lab.solution)
                if !verdict.accepted {
                    problems.append("## Solution is not accepted on the tuning database: \(verdict.message)")
                }
            }
        }
        return problems
    }
}
