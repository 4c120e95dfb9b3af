/// RFC 4180 CSV: fields separated by commas, quoted with `"` when they hold commas, quotes or line
/// breaks, a quote inside doubled. History export and opening import both read and write it.
public enum CSVText {
    /// One record and the line of the file it starts on (1-based; a quoted field may span lines).
    public struct Record: Sendable, Hashable {
        public let line: Int
        public let fields: [String]
    }

    /// A quoted field that never closes.
    public struct UnclosedQuote: Error, CustomStringConvertible, Sendable {
        public let line: Int
        public var description: String {
            "line \(line): a quoted field opens here and never closes; add the closing \" (a quote inside a field is written \"\")."
        }
    }

    /// Parses CSV text into records. A byte order mark at the start is skipped, and a record is ended
    /// by `\n`, `\r\n` or `\r`.
    public static func records(_ text: String) throws(UnclosedQuote) -> [Record] {
        var records: [Record] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var quoteLine = 1
        var line = 1
        var recordLine = 1
        var characters = text.hasPrefix("\u{FEFF}") ? Array(text.dropFirst()) : Array(text)
        characters.append("\n")
        var index = 0
        while index < characters.count {
            let c = characters[index]
            index += 1
            if inQuotes {
                if c == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" || c == "\r\n" || c == "\r" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
                quoteLine = line
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                let isLast = index == characters.count
                if !(isLast && row.isEmpty && field.isEmpty) {
                    row.append(field)
                    records.append(Record(line: recordLine, fields: row))
                }
                row = []
                field = ""
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
        }
        if inQuotes { throw UnclosedQuote(line: quoteLine) }
        return records
    }

    /// `field`, quoted when it must be.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
