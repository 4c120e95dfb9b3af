import Foundation

/// One cell of a result, by SQLite storage class. Compared in Swift, never with SQL `=`, whose answer
/// depends on column affinity.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// How a learner sees it in a results table.
    public var display: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value):
            value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : String(value)
        case .text(let value): value
        case .blob(let bytes): "x'" + bytes.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }

    public var storageClass: String {
        switch self {
        case .null: "NULL"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }

    public var isNumber: Bool {
        switch self {
        case .integer, .real: true
        default: false
        }
    }

    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        default: nil
        }
    }

    /// The comparison rules of docs/sql-labs.md: NULL equals NULL; integers exactly; an integer and a
    /// real, or two reals, when their absolute or relative difference is at most `tolerance`; text
    /// exactly; text never equals a number.
    public func matches(_ other: SQLValue, tolerance: Double = 1e-6) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.integer(let a), .integer(let b)): return a == b
        case (.text(let a), .text(let b)): return a == b
        case (.blob(let a), .blob(let b)): return a == b
        default:
            guard let a = number, let b = other.number else { return false }
            if a == b { return true }
            let difference = abs(a - b)
            return difference <= tolerance || difference <= tolerance * max(abs(a), abs(b))
        }
    }

    /// A total order for sorting rows before matching: NULL, numbers, text, blobs. Numbers are keyed
    /// to 6 significant digits so values that match within the tolerance sort together.
    func orderKey() -> (Int, Double, String) {
        switch self {
        case .null: return (0, 0, "")
        case .integer, .real:
            let value = number!
            guard value != 0, value.isFinite else { return (1, value.isFinite ? 0 : value, "") }
            let magnitude = pow(10, floor(log10(abs(value))) - 5)
            return (1, (value / magnitude).rounded() * magnitude, "")
        case .text(let text): return (2, 0, text)
        case .blob(let bytes): return (3, 0, bytes.map { String(format: "%02x", $0) }.joined())
        }
    }
}

extension SQLValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .real(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    /// JSON: null, numbers and strings as they are; a blob as its x'…' text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .blob: try container.encode(display)
        }
    }
}

/// A query's result: the column names as SQLite reports them, and the rows.
public struct ResultTable: Sendable, Hashable, Codable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    /// More rows existed than were read.
    public var truncated: Bool

    public init(columns: [String], rows: [[SQLValue]], truncated: Bool = false) {
        self.columns = columns
        self.rows = rows
        self.truncated = truncated
    }

    /// Up to `limit` rows, for display.
    public func prefix(_ limit: Int) -> ResultTable {
        ResultTable(columns: columns, rows: Array(rows.prefix(limit)), truncated: truncated || rows.count > limit)
    }

    /// A fixed-width text table for the terminal: each column as wide as its widest value (at most
    /// `width`), the widest columns narrowed (to 6 at least, with "…") until the table fits in
    /// `totalWidth`, numbers right-aligned, and no trailing spaces.
    public func rendered(limit: Int = 20, width: Int = 24, totalWidth: Int = 80) -> String {
        let shown = Array(rows.prefix(limit))
        var valueWidths = columns.map { _ in 0 }
        for row in shown {
            for (index, value) in row.enumerated() where index < valueWidths.count {
                valueWidths[index] = max(valueWidths[index], value.display.count)
            }
        }
        var widths = columns.indices.map { min(width, max(columns[$0].count, valueWidths[$0])) }
        // A column is numeric when every shown value is a number or NULL, and at least one is a number.
        let numeric = columns.indices.map { index in
            let values = shown.compactMap { index < $0.count ? $0[index] : nil }
            return values.contains { $0.isNumber } && values.allSatisfy { $0.isNumber || $0 == .null }
        }
        // Too wide: first clip headers longer than their values ("patient_id" over one-digit ids),
        // then the widest columns, never below 6 characters.
        let separators = 3 * max(0, columns.count - 1)
        func tooWide() -> Bool { widths.reduce(0, +) + separators > totalWidth }
        while tooWide(),
            let index = widths.indices.filter({ widths[$0] > max(6, valueWidths[$0]) }).max(by: {
                widths[$0] - valueWidths[$0] < widths[$1] - valueWidths[$1]
            })
        {
            widths[index] -= 1
        }
        while tooWide(), let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 6 {
            widths[widest] -= 1
        }
        func cell(_ text: String, _ index: Int) -> String {
            let clipped = text.count > widths[index] ? String(text.prefix(widths[index] - 1)) + "…" : text
            let pad = String(repeating: " ", count: max(0, widths[index] - clipped.count))
            return numeric[index] ? pad + clipped : clipped + pad
        }
        func line(_ cells: [String]) -> String {
            String(cells.joined(separator: " | ").reversed().drop { $0 == " " }.reversed())
        }
        var lines = [line(columns.enumerated().map { cell($1, $0) })]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-"))
        for row in shown { lines.append(line(row.enumerated().map { cell($1.display, $0) })) }
        return lines.joined(separator: "\n")
    }
}
