import Foundation
import RoundsCore
import Synchronization
import SyntheticEHR

/// Grades SQL labs: the learner's query and the reference solution run in the sandbox on the visible
/// database and on the hidden variant, and the results are compared. Reference results are computed
/// once per database and kept, so a verdict costs the learner's two queries.
public final class SQLJudge: Sendable {
    public let databases: LabDatabases
    public let sandbox: SQLSandbox
    private let references = Mutex<[String: ResultTable]>([:])
    private let baselines = Mutex<[String: Baseline]>([:])

    public init(databases: LabDatabases, limits: SQLSandbox.Limits = .init()) {
        self.databases = databases
        sandbox = SQLSandbox(limits: limits)
    }

    /// What the grader says about one hand-in.
    public struct Verdict: Sendable, Codable, Hashable {
        public enum Kind: String, Sendable, Codable {
            case accepted
            case wrongRows = "wrong-rows"
            case wrongOrder = "wrong-order"
            case wrongColumns = "wrong-columns"
            case error
            case refused
            case timeLimit = "time-limit"
            /// The tuning lab: right rows, but the plan still scans or the speed-up is too small.
            case tooSlow = "too-slow"
            /// The databases are not built, or the lab is not an SQL lab.
            case unavailable
        }

        public var kind: Kind
        public var message: String
        public var hint: String?
        /// The learner's result on the visible database (its first rows).
        public var result: ResultTable?
        public var unexpected: [[SQLValue]] = []
        /// The learner's column names, and for each of `unexpected` the columns in which it differs
        /// from the closest expected row (nil: no expected row is like it).
        public var columns: [String] = []
        public var differing: [[Int]?] = []
        public var missingCount = 0
        public var unexpectedCount = 0
        /// The learner's query time on the visible database, in seconds.
        public var seconds: Double?
        /// Whether the hidden variant agreed (nil when it was not reached).
        public var hiddenPassed: Bool?
        public var tuning: TuningReport?

        public var accepted: Bool { kind == .accepted }
    }

    /// The tuning lab's evidence: both plans and both timings.
    public struct TuningReport: Sendable, Codable, Hashable {
        public var planBefore: [String]
        public var planAfter: [String]
        public var secondsBefore: Double
        public var secondsAfter: Double
        public var indexes: [String]
        public var speedup: Double { secondsBefore / max(secondsAfter, 1e-6) }
    }

    struct Baseline {
        let result: ResultTable
        let seconds: Double
        let plan: [String]
    }

    static let previewRows = 50

    /// Which indexes a table has in the database the lab grades on: the tuning database keeps only
    /// the primary keys (the lab is to add the rest); the others also index their foreign keys.
    public static func indexNote(_ table: EHRSchema.Table, for lab: Lab) -> String {
        let unique = table.columns.filter { $0.constraints.contains("UNIQUE") }.map(\.name)
        var parts = ["the primary key"] + unique.map { "\($0) (unique)" }
        if lab.kind != .sqlTuning { parts += table.indexed.map { "(\($0))" } }
        return "Indexes: " + parts.joined(separator: ", ") + "."
    }

    /// The rules a learner's SQL must keep for this lab, in words; the CLI, the pages and the API show them.
    public static func rules(for lab: Lab) -> [String] {
        guard let spec = lab.sql else { return [] }
        var rules: [String] = []
        if let columns = spec.columns { rules.append("Name the columns: \(columns.joined(separator: ", ")).") }
        rules.append(
            spec.order.isEmpty
                ? "Rows may come in any order." : "Order the rows by \(spec.order.joined(separator: ", ")).")
        if lab.kind == .sqlTuning {
            let table = spec.tables.first ?? "the big table"
            let speed =
                spec.covering.map {
                    "read \(table) only through a covering index that narrows by \($0.joined(separator: " and ")) (the plan says SEARCH … USING COVERING INDEX)"
                } ?? "not scan \(table), and run at least \(Int(requiredSpeedup))× faster"
            rules.append(
                "Hand in up to \(maximumIndexes) CREATE INDEX statements, then the query, separated by semicolons. It must return the same rows and \(speed)."
            )
        } else {
            rules.append("One SELECT statement. It is also graded on a hidden database, so hard-coded values fail.")
        }
        return rules
    }

    // MARK: Run (not graded)

    /// Runs a query on the visible database and returns its first rows, or why it could not.
    public func run(_ lab: Lab, sql: String) throws -> Result<(table: ResultTable, seconds: Double), SQLSandbox.Failure>
    {
        guard let spec = lab.sql else { throw SQLJudgeError.notSQL(lab.id) }
        try databases.prepareStandard()
        let query = Self.query(in: sql, for: lab)
        do {
            let outcome = try sandbox.run(query, on: databases.standard, tables: Set(spec.tables), truncate: true)
            return .success((outcome.table.prefix(Self.previewRows), outcome.seconds))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Grade

    public func grade(_ lab: Lab, sql: String) throws -> Verdict {
        guard let spec = lab.sql else { throw SQLJudgeError.notSQL(lab.id) }
        try databases.prepareStandard()
        if lab.kind == .sqlTuning { return try gradeTuning(lab, spec: spec, submission: sql) }
        return try gradeQuery(lab, spec: spec, sql: sql, on: databases.standard)
    }

    /// The learner's query against the reference, on the visible and then the hidden database.
    func gradeQuery(_ lab: Lab, spec: Lab.SQLSpec, sql: String, on visible: String) throws -> Verdict {
        let tables = Set(spec.tables)
        let expected = try reference(lab, on: visible)
        // Read one row past the answer's size, so "too many rows" is told apart from "wrong rows".
        let sandbox = SQLSandbox(limits: with(self.sandbox.limits) { $0.rows = max($0.rows, expected.rows.count + 1) })
        let mine: (table: ResultTable, seconds: Double)
        do {
            mine = try sandbox.run(sql, on: visible, tables: tables)
        } catch {
            return Self.failed(error)
        }
        var verdict = compare(lab, spec: spec, expected: expected, actual: mine.table)
        verdict.result = mine.table.prefix(Self.previewRows)
        verdict.seconds = mine.seconds
        guard verdict.kind == .accepted else { return verdict }

        let hiddenExpected = try reference(lab, on: databases.hidden)
        let hiddenMine: ResultTable
        do {
            hiddenMine = try sandbox.run(sql, on: databases.hidden, tables: tables).table
        } catch {
            var failed = Self.failed(error)
            failed.message = "On the hidden database: " + failed.message
            failed.hiddenPassed = false
            failed.result = verdict.result
            return failed
        }
        let hidden = compare(lab, spec: spec, expected: hiddenExpected, actual: hiddenMine)
        guard hidden.kind == .accepted else {
            verdict.kind = hidden.kind
            verdict.hiddenPassed = false
            // The hidden data stays hidden: say what went wrong, not which rows.
            verdict.message =
                "Right on the practice database, but not on the hidden one (\(hidden.kind.rawValue.replacingOccurrences(of: "-", with: " "))). Your query may depend on this data: a hard-coded id, count or date, or rows that happen to come back in order without ORDER BY."
            return verdict
        }
        verdict.hiddenPassed = true
        verdict.message =
            "Accepted: your result matches the answer on the practice database (\(mine.table.rows.count.formatted()) rows) and on a hidden one."
        return verdict
    }

    func compare(_ lab: Lab, spec: Lab.SQLSpec, expected: ResultTable, actual: ResultTable) -> Verdict {
        let comparison = ResultComparison.compare(
            expected: expected, actual: actual, names: spec.columns,
            order: spec.order.compactMap(ResultComparison.OrderKey.init(parsing:)))
        let kind: Verdict.Kind =
            switch comparison.outcome {
            case .same: .accepted
            case .wrongColumns: .wrongColumns
            case .wrongRows: .wrongRows
            case .wrongOrder: .wrongOrder
            }
        // The answer's rows are never shown: a wrong hand-in would see the practice answer (many
        // labs have five rows or fewer). The learner's own unexpected rows, the counts and the kind
        // of mistake (`ResultComparison.diagnosis`) are.
        var verdict = Verdict(
            kind: kind, message: comparison.message, hint: comparison.hint, result: nil,
            unexpected: comparison.unexpected, missingCount: comparison.missingCount,
            unexpectedCount: comparison.unexpectedCount)
        verdict.columns = actual.columns
        verdict.differing = comparison.differing
        return verdict
    }

    /// The reference solution's result on a database, computed once.
    func reference(_ lab: Lab, on database: String) throws -> ResultTable {
        let key = lab.id + "\u{0}" + database
        if let cached = references.withLock({ $0[key] }) { return cached }
        guard let spec = lab.sql else { throw SQLJudgeError.notSQL(lab.id) }
        let query = lab.kind == .sqlTuning ? spec.slowQuery ?? "" : lab.solution
        do {
            let table = try referenceSandbox(lab).run(query, on: database, tables: Set(spec.tables)).table
            references.withLock { $0[key] = table }
            return table
        } catch {
            throw SQLJudgeError.referenceFailed(lab.id, error.description)
        }
    }

    /// Reference queries are trusted and may be big: more rows, time and memory than a learner's.
    func referenceSandbox(_ lab: Lab) -> SQLSandbox {
        SQLSandbox(
            limits: with(sandbox.limits) {
                $0.rows = 200_000
                $0.seconds = lab.kind == .sqlTuning ? 600 : 30
                $0.wallSeconds = $0.seconds * 4
                $0.memory = 512 << 20
            })
    }

    static func failed(_ failure: SQLSandbox.Failure) -> Verdict {
        let kind: Verdict.Kind =
            switch failure {
            case .error: .error
            case .refused: .refused
            case .timeLimit: .timeLimit
            case .busy: .unavailable
            case .memory, .tooManyRows: .refused
            }
        return Verdict(kind: kind, message: failure.description)
    }

    func baseline(_ lab: Lab, spec: Lab.SQLSpec) throws -> Baseline {
        if let cached = baselines.withLock({ $0[lab.id] }) { return cached }
        // The slow query's result comes from the timed runs: on ten million visits each run takes seconds.
        let timer = referenceSandbox(lab)
        let query = spec.slowQuery ?? ""
        var best = Double.infinity
        var result = ResultTable(columns: [], rows: [])
        let plan: [String]
        do {
            for _ in 0..<2 {
                let run = try timer.run(query, on: databases.tuning, tables: Set(spec.tables))
                best = min(best, run.seconds)
                result = run.table
            }
            plan = try timer.plan(query, on: databases.tuning, tables: Set(spec.tables))
        } catch {
            throw SQLJudgeError.referenceFailed(lab.id, error.description)
        }
        let baseline = Baseline(result: result, seconds: best, plan: plan)
        baselines.withLock { $0[lab.id] = baseline }
        return baseline
    }

    /// The query a hand-in is timed and compared by: the whole text, or for the tuning lab its last
    /// statement (the CREATE INDEX statements come before it).
    public static func query(in text: String, for lab: Lab) -> String {
        lab.kind == .sqlTuning ? statements(in: text).last ?? text : text
    }

    /// Splits SQL into statements at top-level semicolons (not inside quotes or comments).
    public static func statements(in sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        let characters = Array(sql)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" || character == "`" {
                quote = character
                current.append(character)
            } else if character == "-", index + 1 < characters.count, characters[index + 1] == "-" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            } else if character == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                index += 2
                while index + 1 < characters.count, !(characters[index] == "*" && characters[index + 1] == "/") {
                    index += 1
                }
                index += 2
                continue
            } else if character == ";" {
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { statements.append(trimmed) }
                current = ""
            } else {
                current.append(character)
            }
            index += 1
        }
        let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { statements.append(trimmed) }
        return statements
    }
}

public enum SQLJudgeError: Error, CustomStringConvertible, Sendable {
    case notSQL(String)
    case referenceFailed(String, String)
    case tuningNotReady(String)

    public var description: String {
        switch self {
        case .notSQL(let id): "the lab \(id) is not an SQL lab."
        case .referenceFailed(let id, let reason): "the reference solution of \(id) failed: \(reason)"
        case .tuningNotReady(let path):
            "the tuning lab needs its ten-million-visit database, which is not built yet (\(path)). Build it once with `rounds ehr prepare --tuning` (a few minutes)."
        }
    }
}

func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}

extension SQLJudge.Verdict {
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    init(
        kind: Kind, message: String, hint: String?, result: ResultTable?, unexpected: [[SQLValue]],
        missingCount: Int, unexpectedCount: Int
    ) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.result = result
        self.unexpected = unexpected
        self.missingCount = missingCount
        self.unexpectedCount = unexpectedCount
    }

    /// A row as the findings show it: (3, 'Cardiology', NULL).
    public static func describe(_ row: [SQLValue]) -> String {
        "("
            + row.map { value in
                if case .text(let text) = value { return "'\(text)'" }
                return value.display
            }.joined(separator: ", ") + ")"
    }

    /// The verdict as the lab history keeps it: one finding per check, the diff as notes.
    public var labResult: LabResult {
        var findings: [LabResult.Finding] = []
        switch kind {
        case .accepted:
            findings.append(.init(.passed, at: "result", message))
            if let seconds {
                findings.append(.init(.note, at: "time", "Your query ran in \(Self.milliseconds(seconds))."))
            }
        case .error, .refused, .timeLimit, .unavailable:
            findings.append(.init(.failed, at: kind == .refused ? "sandbox" : "query", message))
        case .wrongColumns, .wrongRows, .wrongOrder, .tooSlow:
            findings.append(.init(.failed, at: hiddenPassed == false ? "hidden database" : "result", message))
        }
        if let hint { findings.append(.init(.note, at: "hint", hint)) }
        if !unexpected.isEmpty {
            let more =
                unexpectedCount > unexpected.count
                ? " (first \(unexpected.count) of \(unexpectedCount.formatted()))" : ""
            let table = LabResult.Table(
                columns: columns,
                rows: unexpected.enumerated().map { index, row in
                    LabResult.Table.Row(
                        cells: row.map(\.display), differing: differing.indices.contains(index) ? differing[index] : nil
                    )
                })
            findings.append(
                .init(
                    .note, at: "unexpected rows",
                    "In your result but not expected\(more): " + unexpected.map(Self.describe).joined(separator: "; "),
                    table: columns.count == unexpected.first?.count ? table : nil))
        }
        if let tuning {
            findings.append(
                .init(
                    .note, at: "timing",
                    "The slow query took \(Self.milliseconds(tuning.secondsBefore)); yours took \(Self.milliseconds(tuning.secondsAfter)): \(String(format: "%.1f", tuning.speedup))× faster."
                ))
            findings.append(.init(.note, at: "plan before", tuning.planBefore.joined(separator: " · ")))
            findings.append(.init(.note, at: "plan after", tuning.planAfter.joined(separator: " · ")))
        }
        return LabResult(findings: findings)
    }

    public static func milliseconds(_ seconds: Double) -> String {
        seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.1f ms", seconds * 1000)
    }
}
