import FHIR
import Foundation
import Hummingbird
import RoundsContent
import RoundsCore
import RoundsLabs
import RoundsStore
import SyntheticEHR

struct LabRow {
    let id, title, level, kind: String
    let minutes: Int
    let status, statusClass: String
}

struct LabsPage {
    let labs: [LabRow]
    let count, solved, total: Int
    let kinds, levels: [Option]
}

struct LabPage {
    struct PromptField {
        let id, ask: String
        let value: String
    }
    struct FindingRow {
        let mark, statusClass: String
        let location: String?
        let message: String
        /// The message as HTML: escaped, with its `code spans` set as code (stored: the templates read
        /// stored properties only).
        let messageHTML: String
        /// Rows shown as a table in place of the message (an SQL hand-in's unexpected rows).
        let table: FindingTable?
    }

    /// A finding's rows, each cell marked when it differs from the closest right row (issue 18: the
    /// diff was a paragraph of tuples). The right values are not shown: they would give the answer.
    struct FindingTable {
        struct Cell {
            let value: String
            let differs: Bool
        }
        struct Row {
            let cells: [Cell]
            /// No right row is like this one: it should not be there at all.
            let unmatched: Bool
        }
        let caption: String
        let columns: [String]
        let rows: [Row]
        let hasMarks: Bool

        init(_ table: LabResult.Table, caption: String) {
            self.caption = caption
            columns = table.columns
            rows = table.rows.map { row in
                Row(
                    cells: row.cells.enumerated().map {
                        Cell(value: $1, differs: row.differing?.contains($0) ?? false)
                    },
                    unmatched: row.differing == nil)
            }
            hasMarks = table.rows.contains { $0.differing?.isEmpty == false }
        }
    }

    let id, title, level, kind, task: String
    let minutes: Int
    let message: String?
    /// The message with each field in a span titled with its path (`PID-5`), for hovering, and the
    /// same fields as rows of a table, for everyone (issue 18: a field inspector).
    let messageHTML: String?
    let messageFields: [MessageField]

    struct MessageField {
        let path: String
        let value: String
    }

    /// Splits an HL7 v2 message by its own field separator (MSH-1), without parsing it, so that the
    /// broken messages of the fix labs are inspected too. A segment that repeats is numbered
    /// (`OBX[2]-5`); MSH-1 is the separator itself, so MSH's first field after it is MSH-2.
    static func inspect(_ message: String) -> (html: String, fields: [MessageField]) {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let separator =
            lines.first { $0.hasPrefix("MSH") && $0.count > 3 }.map { $0[$0.index($0.startIndex, offsetBy: 3)] } ?? "|"
        var seen: [String: Int] = [:]
        for line in lines where line.count >= 3 { seen[String(line.prefix(3)), default: 0] += 1 }
        var counter: [String: Int] = [:]
        var html: [String] = []
        var fields: [MessageField] = []
        for line in lines {
            let parts = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard parts.count > 1, let id = parts.first, id.count == 3 else {
                html.append(HTMLText.escape(line))
                continue
            }
            counter[id, default: 0] += 1
            let name = (seen[id] ?? 0) > 1 ? "\(id)[\(counter[id]!)]" : id
            var out = HTMLText.escape(id)
            for (index, value) in parts.dropFirst().enumerated() {
                let number = id == "MSH" ? index + 2 : index + 1
                let path = "\(name)-\(number)"
                out += HTMLText.escape(String(separator))
                out += value.isEmpty ? "" : "<span class=\"f\" title=\"\(path)\">\(HTMLText.escape(value))</span>"
                if !value.isEmpty { fields.append(MessageField(path: path, value: value)) }
            }
            html.append(out)
        }
        return (html.joined(separator: "\n"), fields)
    }
    let resource: String?
    let outcome: String?
    let takesAnswers: Bool
    let takesFHIR: Bool
    let isSearch: Bool
    let isMessage: Bool
    let prompts: [PromptField]
    var submission: String
    /// When the learner's draft shown in `submission` was saved, in ms; 0 when none is shown.
    var draftAt: Int64 = 0
    let hints: [String]
    let sources: [SourceRow]
    let csrf: String
    let result: Result?
    let solution: Solution?
    let isSQL: Bool
    let sql: SQLView?
    /// The rows of a run, or of the hand-in shown with its verdict.
    var output: Output?
    /// Search labs: the practice resources being searched, shown folded (never the hidden set).
    var fixture: Fixture?

    struct Fixture {
        let summary: String
        let json: String

        /// "48 resources: 6 Patient, 20 Observation, …", by how many of each type, most first.
        init(json: String) {
            self.json = json
            let bundle = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
            let types = ((bundle?["entry"] as? [[String: Any]]) ?? []).compactMap {
                ($0["resource"] as? [String: Any])?["resourceType"] as? String
            }
            let counts = Dictionary(types.map { ($0, 1) }, uniquingKeysWith: +).sorted {
                ($0.value, $1.key) > ($1.value, $0.key)
            }
            summary =
                "\(types.count) resources: " + counts.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
    }

    struct SQLView {
        let slowQuery: String?
        let tables: [TableView]
        let rules: [String]
        let isTuning: Bool
    }
    struct TableView {
        let name, about, indexes: String
        let columns: [ColumnView]
    }
    struct ColumnView {
        let name, type, constraints, about: String
    }
    struct Output {
        let ran: Bool
        let columns: [String]
        let rows: [Row]
        let summary: String

        struct Row {
            let cells: [String]
        }
        let error: String?

        init(_ outcome: Swift.Result<(table: ResultTable, seconds: Double), SQLSandbox.Failure>?, ran: Bool = false) {
            self.ran = ran
            switch outcome {
            case .success(let run):
                columns = run.table.columns
                rows = run.table.rows.map { Row(cells: $0.map(\.display)) }
                let count = run.table.rows.count
                summary =
                    "\(count) row\(count == 1 ? "" : "s")\(run.table.truncated ? " shown (there are more)" : "") in \(String(format: "%.1f", run.seconds * 1000)) ms on the practice database."
                error = nil
            case .failure(let failure):
                columns = []
                rows = []
                summary = ""
                error = failure.description
            case nil:
                columns = []
                rows = []
                summary = ""
                error = "The practice database could not be opened; run `rounds ehr prepare`."
            }
        }
    }

    struct Result {
        let accepted: Bool
        let score: Int
        let when: String
        let findings: [FindingRow]
    }
    struct Solution {
        let text, explanation: String
    }

    init(_ lab: Lab, attempt: LabAttempt?, revealSolution: Bool, csrf: String) {
        id = lab.id
        title = lab.title
        level = lab.level.rawValue.capitalized
        kind = lab.kind.label
        task = MarkdownRenderer.html(lab.task)
        minutes = lab.minutes
        message = lab.message?.replacingOccurrences(of: "\r", with: "\n")
        let inspected = message.map(Self.inspect)
        messageHTML = inspected?.html
        messageFields = inspected?.fields ?? []
        resource = lab.kind == .fhirOutcome ? lab.resource : nil
        outcome =
            lab.kind == .fhirOutcome ? lab.resource.map { FHIRValidator().validate($0).operationOutcome.pretty } : nil
        takesAnswers = lab.kind.takesAnswers
        takesFHIR = lab.kind.takesFHIR
        isSearch = lab.kind == .fhirSearch
        isMessage = lab.kind == .hl7Fix
        let answers = attempt.map { LabGrader.answers(in: $0.submission) } ?? [:]
        prompts = lab.prompts.map {
            PromptField(id: $0.id, ask: $0.ask, value: answers[$0.id.lowercased()] ?? "")
        }
        // Start a fix from the broken message; start anything else from the last hand-in, or empty.
        submission =
            attempt?.submission
            ?? (lab.kind == .hl7Fix ? lab.message?.replacingOccurrences(of: "\r", with: "\n") ?? "" : "")
        hints = lab.hints.map(MarkdownRenderer.html)
        sources = lab.sources.map { SourceRow(title: $0.title, url: $0.url) }
        self.csrf = csrf
        result = attempt.map { attempt in
            Result(
                accepted: attempt.accepted, score: attempt.score,
                when: attempt.submittedAt.formatted(date: .abbreviated, time: .shortened),
                findings: attempt.findings.map { finding in
                    let message = finding.table == nil ? finding.message : String(finding.message.prefix { $0 != ":" })
                    return FindingRow(
                        mark: finding.status == .passed ? "Passed" : finding.status == .failed ? "Problem" : "Note",
                        statusClass: finding.status.rawValue, location: finding.location, message: message,
                        messageHTML: HTMLText.withCodeSpans(message),
                        table: finding.table.map {
                            FindingTable($0, caption: String(finding.message.prefix { $0 != ":" }))
                        })
                })
        }
        isSQL = lab.kind.takesSQL
        sql = lab.sql.map { spec in
            return SQLView(
                slowQuery: spec.slowQuery,
                tables: spec.tables.compactMap(EHRSchema.table).map { table in
                    TableView(
                        name: table.name, about: table.about, indexes: SQLJudge.indexNote(table, for: lab),
                        columns: table.columns.map {
                            ColumnView(name: $0.name, type: $0.type, constraints: $0.constraints, about: $0.about)
                        })
                },
                rules: SQLJudge.rules(for: lab), isTuning: lab.kind == .sqlTuning)
        }
        solution =
            revealSolution
            ? Solution(
                text: lab.solution.replacingOccurrences(of: "\r", with: "\n"),
                explanation: MarkdownRenderer.html(lab.explanation)) : nil
    }
}
