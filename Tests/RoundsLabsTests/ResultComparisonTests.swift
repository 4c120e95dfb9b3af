import Testing

@testable import RoundsLabs

/// Every rule of the result comparison (docs/sql-labs.md), each with a case that passes and one that fails.
@Suite struct ResultComparisonTests {
    func table(_ columns: [String], _ rows: [[SQLValue]]) -> ResultTable { ResultTable(columns: columns, rows: rows) }

    let reference = ResultTable(
        columns: ["department", "visits"],
        rows: [
            [.text("Cardiology"), .integer(12)], [.text("Emergency"), .integer(40)], [.text("Oncology"), .integer(7)],
        ])

    @Test func rowsAreAMultisetUnlessTheLabAsksForAnOrder() {
        let shuffled = table(["department", "visits"], reference.rows.reversed())
        #expect(ResultComparison.compare(expected: reference, actual: shuffled).outcome == .same)
        let ordered = ResultComparison.compare(
            expected: reference, actual: shuffled, order: [.init(column: "department", descending: false)])
        #expect(ordered.outcome == .wrongOrder)
        #expect(ordered.message.contains("sort by department"))
        let descending = ResultComparison.compare(
            expected: reference, actual: shuffled, order: [.init(column: "department", descending: true)])
        #expect(descending.outcome == .same)
    }

    @Test func duplicatesCount() {
        let expected = table(["x"], [[.integer(1)], [.integer(1)], [.integer(2)]])
        let once = table(["x"], [[.integer(1)], [.integer(2)]])
        let verdict = ResultComparison.compare(expected: expected, actual: once)
        #expect(verdict.outcome == .wrongRows)
        #expect(verdict.missing == [[.integer(1)]])
        #expect(verdict.message.contains("2 rows; the answer has 3"))
        #expect(ResultComparison.compare(expected: expected, actual: expected).outcome == .same)
    }

    @Test func orderIsCheckedOnlyByTheSortKeysSoTiesMayComeInAnyOrder() {
        let expected = table(
            ["name", "visits"], [[.text("a"), .integer(5)], [.text("b"), .integer(5)], [.text("c"), .integer(2)]])
        let tiesSwapped = table(
            ["name", "visits"], [[.text("b"), .integer(5)], [.text("a"), .integer(5)], [.text("c"), .integer(2)]])
        let byVisits = [ResultComparison.OrderKey(column: "visits", descending: true)]
        #expect(ResultComparison.compare(expected: expected, actual: tiesSwapped, order: byVisits).outcome == .same)
        let byVisitsThenName = byVisits + [.init(column: "name", descending: false)]
        #expect(
            ResultComparison.compare(expected: expected, actual: tiesSwapped, order: byVisitsThenName).outcome
                == .wrongOrder)
        #expect(ResultComparison.OrderKey(parsing: "visits desc") == .init(column: "visits", descending: true))
        #expect(ResultComparison.OrderKey(parsing: "month") == .init(column: "month", descending: false))
        #expect(ResultComparison.OrderKey(parsing: "month sideways") == nil)
    }

    @Test func theColumnCountAlwaysMattersAndNamesOnlyWhenFixed() {
        let extra = table(["department", "visits", "share"], reference.rows.map { $0 + [.real(0.5)] })
        let count = ResultComparison.compare(expected: reference, actual: extra)
        #expect(count.outcome == .wrongColumns)
        #expect(count.message.contains("3 columns; the answer has 2"))
        let renamed = table(["dept", "n"], reference.rows)
        #expect(ResultComparison.compare(expected: reference, actual: renamed).outcome == .same)
        let named = ResultComparison.compare(expected: reference, actual: renamed, names: ["department", "visits"])
        #expect(named.outcome == .wrongColumns)
        #expect(named.message.contains("AS department"))
        let cased = table(["Department", "VISITS"], reference.rows)
        #expect(
            ResultComparison.compare(expected: reference, actual: cased, names: ["department", "visits"]).outcome
                == .same)
    }

    @Test func nullEqualsNullAndNothingElse() {
        let expected = table(["zip"], [[.null], [.text("02139")]])
        #expect(ResultComparison.compare(expected: expected, actual: expected).outcome == .same)
        let blank = table(["zip"], [[.text("")], [.text("02139")]])
        #expect(ResultComparison.compare(expected: expected, actual: blank).outcome == .wrongRows)
        let zero = table(["zip"], [[.integer(0)], [.text("02139")]])
        #expect(ResultComparison.compare(expected: expected, actual: zero).outcome == .wrongRows)
    }

    @Test func integersAndRealsCompareNumericallyWithinOneMillionth() {
        #expect(SQLValue.integer(3).matches(.real(3.0)))
        #expect(SQLValue.real(0.1 + 0.2).matches(.real(0.3)))
        #expect(SQLValue.real(1_000_000.0).matches(.real(1_000_000.5)))  // relative: 5e-7
        #expect(!SQLValue.real(1.0).matches(.real(1.00001)))
        #expect(!SQLValue.integer(3).matches(.integer(4)))
        let expected = table(["mean"], [[.real(4.333333333)], [.real(7.1)]])
        let close = table(["mean"], [[.real(7.1000000001)], [.real(4.3333333334)]])
        #expect(ResultComparison.compare(expected: expected, actual: close).outcome == .same)
        let rounded = table(["mean"], [[.real(4.33)], [.real(7.1)]])
        let verdict = ResultComparison.compare(expected: expected, actual: rounded)
        #expect(verdict.outcome == .wrongRows)
        #expect(verdict.missing == [[.real(4.333333333)]] && verdict.unexpected == [[.real(4.33)]])
    }

    @Test func textAndNumbersDifferWithAHint() {
        let expected = table(["visits"], [[.integer(12)], [.integer(40)]])
        let text = table(["visits"], [[.text("12")], [.text("40")]])
        let verdict = ResultComparison.compare(expected: expected, actual: text)
        #expect(verdict.outcome == .wrongRows)
        #expect(verdict.hint?.contains("holds text; the answer has numbers") == true)
        #expect(!SQLValue.text("12").matches(.integer(12)))
        let share = table(["share"], [[.real(0.25)]])
        let truncated = ResultComparison.compare(expected: share, actual: table(["share"], [[.integer(0)]]))
        #expect(truncated.hint?.contains("an integer divided by an integer") == true)
    }

    @Test func theDiffShowsAtMostFiveRowsEachWayAndCountsTheRest() {
        let expected = table(["n"], (1...20).map { [.integer(Int64($0))] })
        let shifted = table(["n"], (11...30).map { [.integer(Int64($0))] })
        let verdict = ResultComparison.compare(expected: expected, actual: shifted)
        #expect(verdict.outcome == .wrongRows)
        #expect(verdict.missing.count == 5 && verdict.missingCount == 10)
        #expect(verdict.unexpected.count == 5 && verdict.unexpectedCount == 10)
        #expect(verdict.missing.first == [.integer(1)] && verdict.unexpected.first == [.integer(21)])
        #expect(verdict.message.contains("right number of rows (20)"))
    }

    // MARK: Feedback that teaches without telling (issue 19, class 7)

    @Test func theIntegerDivisionHintFiresInsideRound() {
        let expected = table(["department", "share"], [[.text("A"), .real(0.43)], [.text("B"), .real(0.57)]])
        // ROUND(a / b, 2) with integers: the quotient is truncated before ROUND makes it a decimal.
        let rounded = table(["department", "share"], [[.text("A"), .real(0.0)], [.text("B"), .real(0.0)]])
        let verdict = ResultComparison.compare(expected: expected, actual: rounded)
        #expect(verdict.hint?.contains("even inside ROUND()") == true, "\(verdict.hint ?? "")")
        // The column the hint explains gets no second, misleading guess ("too low: rows lost").
        #expect(verdict.hint?.contains("too low") == false, "\(verdict.hint ?? "")")
    }

    @Test func theDiagnosisNamesTheColumnAndTheDirectionWithoutTheAnswer() {
        let expected = table(
            ["department", "patients"],
            [[.text("Cardiology"), .integer(12)], [.text("Oncology"), .integer(7)], [.text("Surgery"), .integer(3)]])
        // A join that fans out: every count too high.
        let fannedOut = table(
            ["department", "patients"],
            [[.text("Cardiology"), .integer(19)], [.text("Oncology"), .integer(9)], [.text("Surgery"), .integer(3)]])
        let high = ResultComparison.compare(expected: expected, actual: fannedOut)
        let hint = high.hint ?? ""
        #expect(hint.contains("2 of your rows agree with rows of the answer except in `patients`"), "\(hint)")
        #expect(hint.contains("too high"))
        #expect(!hint.contains("12") && !hint.contains("7"), "the hint gives the answer's values away: \(hint)")
        // An INNER JOIN that drops a group: a row of the answer with nothing like it.
        let dropped = table(
            ["department", "patients"], [[.text("Cardiology"), .integer(12)], [.text("Oncology"), .integer(7)]])
        let lost = ResultComparison.compare(expected: expected, actual: dropped)
        #expect(lost.hint?.contains("1 row of the answer has nothing like it in yours") == true, "\(lost.hint ?? "")")
        #expect(lost.hint?.contains("Surgery") == false)
    }

    @Test func aWrongHandInNeverSeesTheAnswersRows() throws {
        // sql-payer-mix has few rows: a wrong hand-in once saw the whole practice answer as "missing rows".
        let library = BundledLabsTests.library
        let lab = try #require(library.labs.first { $0.kind == .sql && $0.id == "sql-payer-mix" })
        let judge = try #require(BundledLabsTests.grader.sql)
        let answer = try judge.reference(lab, on: judge.databases.standard)
        let wrong = try #require(lab.wrongAnswers.first)
        let verdict = try judge.grade(lab, sql: wrong)
        #expect(!verdict.accepted)
        let shown = verdict.labResult.findings.map(\.message).joined(separator: "\n") + (verdict.hint ?? "")
        for row in answer.rows where !(verdict.result?.rows.contains(row) ?? false) {
            #expect(!shown.contains(SQLJudge.Verdict.describe(row)), "an expected row is shown: \(row)")
        }
    }
}

/// Issue 18: each unexpected row says which of its cells differ from the closest right row.
@Suite struct DifferingCellsTests {
    @Test func eachUnexpectedRowNamesTheColumnsThatDiffer() {
        let expected = ResultTable(
            columns: ["department", "visits"],
            rows: [[.text("Cardiology"), .integer(12)], [.text("Emergency"), .integer(40)]])
        let actual = ResultTable(
            columns: ["department", "visits"],
            rows: [[.text("Cardiology"), .integer(24)], [.text("Oncology"), .integer(3)]])
        let comparison = ResultComparison.compare(expected: expected, actual: actual)
        #expect(comparison.unexpected == [[.text("Cardiology"), .integer(24)], [.text("Oncology"), .integer(3)]])
        #expect(comparison.differing == [[1], nil], "the count differs; Oncology is like no right row")
    }
}

/// Issue 18: a result table for the terminal fits its width, right-aligns numbers and ends lines cleanly.
@Suite struct ResultTableTextTests {
    @Test func wideResultsFitAndNumbersLineUp() {
        let table = ResultTable(
            columns: ["id", "patient_id", "encounter_id", "loinc_code", "value", "unit", "observed_at"],
            rows: [
                [
                    .integer(1), .integer(1), .integer(1), .text("2093-3"), .real(256), .text("mg/dL"),
                    .text("2023-05-29 16:04:34"),
                ],
                [
                    .integer(12), .integer(7), .null, .text("13457-7"), .real(11.8), .text("10*3/uL"),
                    .text("2024-07-17 17:21:02"),
                ],
            ])
        let lines = table.rendered(totalWidth: 76).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 76 }, "\(lines)")
        #expect(lines.allSatisfy { $0.last != " " }, "no trailing spaces")
        #expect(lines[2].hasPrefix(" 1 |") && lines[3].hasPrefix("12 |"), "numbers right-aligned")
        #expect(lines[3].contains("  NULL | 13457-7"), "NULL sits with the numbers: \(lines[3])")
        #expect(lines[2].hasSuffix("2023-05-29 16:04:34"), "the clipped columns are the headers, not the dates")
        #expect(lines[0].contains("…"), "a long header is clipped")
        // A narrow table is left as it is.
        let small = ResultTable(columns: ["n"], rows: [[.integer(3)]]).rendered()
        #expect(small == "n\n-\n3")
    }
}

/// Issue 18: a wrong search with a year or a month in it is told what FHIR makes of that date.
@Suite struct SearchDatePrecisionTests {
    @Test func partialDatesAreExplained() {
        let year = LabGrader.datePrecisionNotes("Patient?birthdate=1990&gender=female")
        #expect(year.count == 1)
        #expect(year.first?.contains("the whole year 1990 (from 1990-01-01)") == true, "\(year)")
        let month = LabGrader.datePrecisionNotes("Observation?code=4548-4&date=gt2024-03")
        #expect(month.first?.contains("month precision") == true && month.first?.contains("`gt` means after") == true)
        #expect(LabGrader.datePrecisionNotes("Observation?date=ge2024-03-01").isEmpty, "a full date needs no note")
        #expect(LabGrader.datePrecisionNotes("Patient").isEmpty)
    }
}
