import Foundation

/// Compares a learner's result with the reference result, by the rules in docs/sql-labs.md:
/// the column count always; the names when the lab fixes them; the rows as a multiset (duplicates
/// count, NULL equals NULL, numbers within a tolerance, text exactly); the order only when the lab
/// asks for one, and then only that the rows are sorted by its keys (ties may come in any order).
public struct ResultComparison: Sendable {
    public enum Outcome: String, Sendable, Codable {
        case same
        case wrongColumns = "wrong-columns"
        case wrongRows = "wrong-rows"
        case wrongOrder = "wrong-order"
    }

    /// A sort key: a column of the reference result, by name, and its direction.
    public struct OrderKey: Sendable, Hashable, Codable {
        public let column: String
        public let descending: Bool

        public init(column: String, descending: Bool) {
            self.column = column
            self.descending = descending
        }

        /// `visits desc`, `department`, `month asc`.
        public init?(parsing text: String) {
            let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let column = words.first, words.count <= 2 else { return nil }
            let direction = words.count == 2 ? words[1].lowercased() : "asc"
            guard direction == "asc" || direction == "desc" else { return nil }
            self.column = column
            descending = direction == "desc"
        }

        public var text: String { column + (descending ? " desc" : "") }
    }

    public let outcome: Outcome
    public let message: String
    /// A pointer at a type mix-up, such as text where a number was expected.
    public let hint: String?
    /// Rows the reference has that the learner's result lacks (up to `diffLimit`).
    public let missing: [[SQLValue]]
    /// Rows the learner's result has that the reference lacks (up to `diffLimit`).
    public let unexpected: [[SQLValue]]
    /// For each of `unexpected`, the columns in which it differs from the closest expected row (one
    /// that agrees in at least one column), or nil when no expected row is like it. The expected
    /// values themselves are never given out.
    public var differing: [[Int]?] = []
    public let missingCount: Int
    public let unexpectedCount: Int

    public static let diffLimit = 5

    public static func compare(
        expected: ResultTable, actual: ResultTable, names: [String]? = nil, order: [OrderKey] = [],
        tolerance: Double = 1e-6
    ) -> ResultComparison {
        func result(_ outcome: Outcome, _ message: String, hint: String? = nil) -> ResultComparison {
            ResultComparison(
                outcome: outcome, message: message, hint: hint, missing: [], unexpected: [], missingCount: 0,
                unexpectedCount: 0)
        }
        guard expected.columns.count == actual.columns.count else {
            let plural = expected.columns.count == 1 ? "" : "s"
            return result(
                .wrongColumns,
                "Your result has \(actual.columns.count) column\(actual.columns.count == 1 ? "" : "s"); the answer has \(expected.columns.count) column\(plural)"
                    + (names != nil ? ": \(expected.columns.joined(separator: ", "))." : "."))
        }
        if let names {
            for (index, (want, got)) in zip(names, actual.columns).enumerated()
            where want.lowercased() != got.trimmingCharacters(in: .whitespaces).lowercased() {
                return result(
                    .wrongColumns,
                    "Column \(index + 1) is named `\(got)`; the lab asks for `\(want)`. Name it with `AS \(want)`.")
            }
        }

        // Match rows: sort both sides by a total order, walk them together, then pair what is left
        // greedily so that near-equal numbers that sorted apart still match.
        let sortedExpected = expected.rows.sorted(by: Self.rowOrder)
        let sortedActual = actual.rows.sorted(by: Self.rowOrder)
        var missing: [[SQLValue]] = []
        var unexpected: [[SQLValue]] = []
        var i = 0
        var j = 0
        while i < sortedExpected.count && j < sortedActual.count {
            if Self.rowsMatch(sortedExpected[i], sortedActual[j], tolerance) {
                i += 1
                j += 1
            } else if Self.rowOrder(sortedExpected[i], sortedActual[j]) {
                missing.append(sortedExpected[i])
                i += 1
            } else {
                unexpected.append(sortedActual[j])
                j += 1
            }
        }
        missing += sortedExpected[i...]
        unexpected += sortedActual[j...]
        if !missing.isEmpty && !unexpected.isEmpty && missing.count * unexpected.count <= 4_000_000 {
            var leftover: [[SQLValue]] = []
            for row in missing {
                if let match = unexpected.firstIndex(where: { Self.rowsMatch(row, $0, tolerance) }) {
                    unexpected.remove(at: match)
                } else {
                    leftover.append(row)
                }
            }
            missing = leftover
        }

        if !missing.isEmpty || !unexpected.isEmpty {
            var parts: [String] = []
            if expected.rows.count != actual.rows.count {
                parts.append(
                    "Your result has \(actual.rows.count.formatted()) rows; the answer has \(expected.rows.count.formatted())."
                )
            } else {
                parts.append(
                    "Your result has the right number of rows (\(actual.rows.count.formatted())), but not the right ones."
                )
            }
            if !missing.isEmpty {
                parts.append("\(missing.count.formatted()) expected row\(missing.count == 1 ? " is" : "s are") missing")
            }
            if !unexpected.isEmpty {
                parts.append(
                    "\(unexpected.count.formatted()) row\(unexpected.count == 1 ? " is" : "s are") not in the answer")
            }
            let message = parts[0] + (parts.count > 1 ? " " + parts.dropFirst().joined(separator: "; ") + "." : "")
            let type = typeHint(expected: expected, actual: actual)
            let pairing = pair(missing: missing, unexpected: unexpected, tolerance: tolerance)
            let hints = [
                type?.hint,
                pairing.flatMap {
                    diagnosis(
                        columns: actual.columns, missing: missing, unexpected: unexpected, pairing: $0,
                        explained: type.map { [$0.column] } ?? [])
                },
            ].compactMap { $0 }
            var comparison = ResultComparison(
                outcome: .wrongRows, message: message, hint: hints.isEmpty ? nil : hints.joined(separator: " "),
                missing: Array(missing.prefix(diffLimit)), unexpected: Array(unexpected.prefix(diffLimit)),
                missingCount: missing.count, unexpectedCount: unexpected.count)
            comparison.differing = pairing.map { Array($0.differing.prefix(diffLimit)) } ?? []
            return comparison
        }

        if !order.isEmpty {
            let positions = order.map { key in
                expected.columns.firstIndex { $0.lowercased() == key.column.lowercased() }
            }
            for index in actual.rows.indices.dropFirst() {
                let previous = actual.rows[index - 1]
                let row = actual.rows[index]
                for (key, position) in zip(order, positions) {
                    guard let position else { continue }
                    let a = previous[position]
                    let b = row[position]
                    if a.matches(b, tolerance: tolerance) { continue }
                    let ascending = Self.valueOrder(a, b)
                    if ascending == !key.descending { break }  // this key decides, and it is right
                    return result(
                        .wrongOrder,
                        "The rows are right but not in the order asked for: sort by \(order.map(\.text).joined(separator: ", ")). Rows \(index) and \(index + 1) are out of order."
                    )
                }
            }
        }
        return result(.same, "Your result matches the answer: \(actual.rows.count.formatted()) rows.")
    }

    static func rowsMatch(_ a: [SQLValue], _ b: [SQLValue], _ tolerance: Double) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.matches($1, tolerance: tolerance) }
    }

    static func valueOrder(_ a: SQLValue, _ b: SQLValue) -> Bool {
        let x = a.orderKey()
        let y = b.orderKey()
        if x.0 != y.0 { return x.0 < y.0 }
        if x.0 == 1 { return a.number! < b.number! }
        return x.2 < y.2
    }

    static func rowOrder(_ a: [SQLValue], _ b: [SQLValue]) -> Bool {
        for (x, y) in zip(a, b) {
            let left = x.orderKey()
            let right = y.orderKey()
            if left.0 != right.0 { return left.0 < right.0 }
            if left.1 != right.1 { return left.1 < right.1 }
            if left.2 != right.2 { return left.2 < right.2 }
        }
        return a.count < b.count
    }

    /// "Column 2 is text; the answer has numbers there" when storage classes disagree, and the column.
    static func typeHint(expected: ResultTable, actual: ResultTable) -> (column: Int, hint: String)? {
        for column in expected.columns.indices {
            let want = expected.rows.lazy.map { $0[column] }.first { $0 != .null }
            let got = actual.rows.lazy.map { $0[column] }.first { $0 != .null }
            guard let want, let got else { continue }
            if want.isNumber, case .text = got {
                return (
                    column,
                    "Column \(column + 1) (`\(actual.columns[column])`) holds text; the answer has numbers there. Remove quotes, or CAST it."
                )
            }
            if got.isNumber, case .text = want {
                return (
                    column,
                    "Column \(column + 1) (`\(actual.columns[column])`) holds numbers; the answer has text there."
                )
            }
            if case .integer = want, case .real = got {
                return (
                    column,
                    "Column \(column + 1) (`\(actual.columns[column])`) holds decimals where the answer has whole numbers. Check the rounding."
                )
            }
            if case .real = want, case .integer = got {
                return (
                    column,
                    "Column \(column + 1) (`\(actual.columns[column])`) holds whole numbers where the answer has decimals: in SQLite, an integer divided by an integer is an integer. Multiply by 1.0 first."
                )
            }
            // ROUND(a / b, 2) turns the truncated quotient back into a decimal: 0.0 where 0.43 is meant.
            func fractional(_ value: SQLValue) -> Bool {
                guard case .real(let number) = value else { return false }
                return number != number.rounded()
            }
            let gotReals = actual.rows.lazy.map { $0[column] }.filter { $0 != .null }
            if case .real = want, case .real = got, expected.rows.contains(where: { fractional($0[column]) }),
                !gotReals.contains(where: fractional)
            {
                return (
                    column,
                    "Column \(column + 1) (`\(actual.columns[column])`) holds only whole numbers (such as 0.0) where the answer has fractions: in SQLite an integer divided by an integer is an integer, even inside ROUND(). Multiply by 1.0 before dividing."
                )
            }
        }
        return nil
    }

    /// For each unexpected row, its partner among the missing rows (nil: none) and the columns in
    /// which the two differ; and the missing rows no unexpected row is like.
    typealias Pairing = (partner: [Int?], differing: [[Int]?], unpairedMissing: [Int])

    /// Each unexpected row paired, greedily in order, with the unpaired missing row that agrees with it
    /// in the most columns (at least one, not all). Nil when the sides are too large to pair (over a
    /// million pairs).
    static func pair(missing: [[SQLValue]], unexpected: [[SQLValue]], tolerance: Double) -> Pairing? {
        guard missing.count * unexpected.count <= 1_000_000 else { return nil }
        var unpairedMissing = Array(missing.indices)
        var partner: [Int?] = []
        var differing: [[Int]?] = []
        for row in unexpected {
            var best: (index: Int, same: Int)?
            for index in unpairedMissing {
                let same = zip(row, missing[index]).filter { $0.matches($1, tolerance: tolerance) }.count
                if same > 0 && same != row.count && same > (best?.same ?? 0) { best = (index, same) }
            }
            partner.append(best?.index)
            differing.append(
                best.map { best in
                    zip(row, missing[best.index]).enumerated().filter { !$0.1.0.matches($0.1.1, tolerance: tolerance) }
                        .map(\.offset)
                })
            if let best { unpairedMissing.removeAll { $0 == best.index } }
        }
        return (partner, differing, unpairedMissing)
    }

    /// The kind of mistake behind wrong rows, said without the answer's values: which columns differ
    /// between rows that otherwise agree, in which direction, and what usually causes it.
    static func diagnosis(
        columns: [String], missing: [[SQLValue]], unexpected: [[SQLValue]], pairing: Pairing,
        explained: Set<Int> = []
    ) -> String? {
        let unpairedMissing = pairing.unpairedMissing
        var differing: [Int: (count: Int, higher: Int, lower: Int, close: Int)] = [:]
        var paired = 0
        var unpairedUnexpected = 0
        for (rowIndex, row) in unexpected.enumerated() {
            guard let partner = pairing.partner[rowIndex] else {
                unpairedUnexpected += 1
                continue
            }
            paired += 1
            for column in pairing.differing[rowIndex] ?? [] {
                let (mine, theirs) = (row[column], missing[partner][column])
                var entry = differing[column] ?? (0, 0, 0, 0)
                entry.count += 1
                if let a = mine.number, let b = theirs.number {
                    if abs(a - b) <= max(abs(b) * 0.01, 0.01) { entry.close += 1 }
                    if a > b { entry.higher += 1 } else if a < b { entry.lower += 1 }
                }
                differing[column] = entry
            }
        }
        var parts: [String] = []
        if paired > 0 {
            let names = differing.keys.sorted().map { "`\(columns[$0])`" }
            parts.append(
                "\(paired) of your rows agree with rows of the answer except in \(names.joined(separator: " and "))."
            )
            // A column the type hint already explains (integer division, text for numbers) needs no guess.
            for column in differing.keys.sorted() where !explained.contains(column) {
                let entry = differing[column]!
                let name = "`\(columns[column])`"
                if entry.close == entry.count {
                    parts.append("The \(name) values are close but not equal: check the rounding and the division.")
                } else if entry.higher == entry.count {
                    parts.append(
                        "Your \(name) values are too high: rows counted twice (a join that fans out, COUNT(*) where distinct patients are meant) or a filter that lets too much in."
                    )
                } else if entry.lower == entry.count {
                    parts.append(
                        "Your \(name) values are too low: rows lost (an INNER JOIN where unmatched rows must stay, a filter or a date boundary that is too strict) or DISTINCT where every row counts."
                    )
                } else if entry.higher + entry.lower == 0 {
                    parts.append("Your \(name) values differ: check their format and how they are worked out.")
                }
            }
        }
        if !unpairedMissing.isEmpty {
            parts.append(
                "\(unpairedMissing.count.formatted()) row\(unpairedMissing.count == 1 ? "" : "s") of the answer \(unpairedMissing.count == 1 ? "has" : "have") nothing like \(unpairedMissing.count == 1 ? "it" : "them") in yours: look for rows lost to an INNER JOIN, a filter, a date boundary (< against <=), or a tie cut by LIMIT."
            )
        }
        if unpairedUnexpected > 0 {
            parts.append(
                "\(unpairedUnexpected.formatted()) of your rows \(unpairedUnexpected == 1 ? "has" : "have") nothing like \(unpairedUnexpected == 1 ? "it" : "them") in the answer: look for duplicates from a join, a filter left out, or groups the task does not ask for."
            )
        }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
