import ArgumentParser
import Foundation
import RoundsContent
import RoundsCore
import RoundsLabs
import SyntheticEHR

/// How the command line shows SQL labs: the schema, the rules, verdicts; and the grader, with the
/// lab databases built on first use (with a progress bar).
enum SQLLabText {
    static func grader(_ library: ContentLibrary) throws -> LabGrader {
        let databases = LabDatabases()
        if !databases.standardIsReady {
            Terminal.standardError(
                "Building the practice databases (\(databases.patients.formatted()) patients and a hidden variant) in \(databases.directory), once…"
            )
            let bar = ProgressBar()
            do {
                try databases.prepareStandard { bar.update($0) }
            } catch {
                bar.finish()
                throw ValidationError("could not build the lab databases in \(databases.directory): \(error)")
            }
            bar.finish()
        }
        return LabGrader(fixtures: library.labFixtures, sql: SQLJudge(databases: databases))
    }

    static func schema(for lab: Lab) -> String {
        (lab.sql?.tables ?? []).compactMap(EHRSchema.table).map { table in
            var lines = [Terminal.wrap("\(table.name): \(table.about)", indent: "      ", firstIndent: "  ")]
            for column in table.columns {
                let constraint = column.constraints.isEmpty ? "" : " \(column.constraints)"
                lines.append(
                    Terminal.wrap(
                        "\(column.name) \(column.type)\(constraint) — \(column.about)", indent: "        ",
                        firstIndent: "      "))
            }
            lines.append("      " + SQLJudge.indexNote(table, for: lab))
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func rules(for lab: Lab) -> String {
        "\nRules:\n"
            + SQLJudge.rules(for: lab).map { Terminal.wrap($0, indent: "    ", firstIndent: "  - ") }.joined(
                separator: "\n")
    }

    static func render(_ verdict: SQLJudge.Verdict) -> String {
        var lines: [String] = []
        let mark = verdict.accepted ? "✓" : "✗"
        lines.append(Terminal.marked(mark, verdict.message))
        if let hint = verdict.hint { lines.append(Terminal.wrap(hint, indent: "    ", firstIndent: "  · ")) }
        if !verdict.unexpected.isEmpty {
            lines.append(
                "\n  Rows of yours that are not expected (\(verdict.unexpected.count) of \(verdict.unexpectedCount.formatted())):"
            )
            for row in verdict.unexpected { lines.append("    " + SQLJudge.Verdict.describe(row)) }
        }
        if let tuning = verdict.tuning {
            lines.append("\n  Plan before: " + tuning.planBefore.joined(separator: " · "))
            lines.append("  Plan after:  " + tuning.planAfter.joined(separator: " · "))
            lines.append(
                "  Time: \(SQLJudge.Verdict.milliseconds(tuning.secondsBefore)) before, \(SQLJudge.Verdict.milliseconds(tuning.secondsAfter)) after (\(String(format: "%.1f", tuning.speedup))×)."
            )
        }
        if let result = verdict.result, !result.columns.isEmpty {
            lines.append("\n  Your result (first \(min(10, result.rows.count)) rows):\n")
            lines.append(
                result.rendered(limit: 10, totalWidth: Terminal.width - 4).split(separator: "\n").map { "    " + $0 }
                    .joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }
}
