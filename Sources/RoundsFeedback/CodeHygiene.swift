import Foundation

/// Checks on the code in a code answer: that there is code, and that it avoids the obvious mistakes
/// an interviewer would circle.
struct CodeHygiene {
    let answer: String

    typealias Check = Feedback.Check

    /// The code: fenced blocks if there are any, otherwise the lines that look like SQL or Python.
    var code: (text: String, offset: Int)? {
        if let fence = answer.range(of: "```") {
            let afterFence = answer[fence.upperBound...]
            let bodyStart = afterFence.firstIndex(of: "\n").map { answer.index(after: $0) } ?? fence.upperBound
            let end = answer[bodyStart...].range(of: "```")?.lowerBound ?? answer.endIndex
            return (String(answer[bodyStart..<end]), answer.distance(from: answer.startIndex, to: bodyStart))
        }
        let codeLines = answer.split(separator: "\n").filter { line in
            let lower = line.lowercased()
            return Self.codeMarkers.contains { lower.contains($0) }
        }
        guard codeLines.count >= 2, let first = codeLines.first,
            let range = answer.range(of: first)
        else { return nil }
        return (codeLines.joined(separator: "\n"), answer.distance(from: answer.startIndex, to: range.lowerBound))
    }

    static let codeMarkers = [
        "select ", " from ", "where ", "join ", "group by", "order by", "def ", "import ", "return ", "pd.",
        ".groupby(",
        "df[", "with ", "insert ", "update ", "create ",
    ]

    func checks() -> [Check] {
        guard let (code, offset) = code else {
            return [
                Check(
                    id: "code.present", title: "Code", status: .fail,
                    detail: "No code found: write the query or function, in a ``` block, then explain it.", spans: [])
            ]
        }
        var checks = [Check(id: "code.present", title: "Code", status: .pass, detail: "Code is included.", spans: [])]
        let lower = code.lowercased()
        let search = WordSearch(lower)
        func span(_ needle: String) -> [Feedback.Span] {
            search.ranges(of: needle).prefix(3).map {
                Feedback.Span(text: needle, range: ($0.lowerBound + offset)..<($0.upperBound + offset))
            }
        }
        if lower.range(of: #"select\s+\*"#, options: .regularExpression) != nil {
            checks.append(
                Check(
                    id: "code.select-star", title: "Named columns", status: .warn,
                    detail: "SELECT * pulls every column, PHI included; name the columns you need (minimum necessary).",
                    spans: span("select")))
        }
        if lower.range(of: #"(!=|<>|[^<>!]=)\s*null\b"#, options: .regularExpression) != nil {
            checks.append(
                Check(
                    id: "code.null-comparison", title: "NULL comparisons", status: .fail,
                    detail: "`= NULL` is never true in SQL; use IS NULL or IS NOT NULL.", spans: span("null")))
        }
        let opened = code.filter { $0 == "(" }.count
        let closed = code.filter { $0 == ")" }.count
        if opened != closed {
            checks.append(
                Check(
                    id: "code.balanced", title: "Balanced brackets", status: .fail,
                    detail: "\(opened) opening and \(closed) closing parentheses: the code would not run.", spans: []))
        }
        if lower.range(of: #"except\s*:"#, options: .regularExpression) != nil {
            checks.append(
                Check(
                    id: "code.bare-except", title: "Error handling", status: .warn,
                    detail: "A bare `except:` hides every error; catch the specific exception.", spans: span("except")))
        }
        if lower.contains("md5(") || lower.contains("sha1(") || lower.contains("hashlib.md5") {
            checks.append(
                Check(
                    id: "code.weak-hash", title: "Password hashing", status: .fail,
                    detail: "MD5 and SHA-1 are broken for passwords; use bcrypt, scrypt or Argon2 with a salt.",
                    spans: span("md5")))
        }
        let lines = code.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let hasComment = lines.contains { $0.contains("--") || $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        if lines.count >= 10 && !hasComment {
            checks.append(
                Check(
                    id: "code.comments", title: "Comments", status: .warn,
                    detail: "\(lines.count) lines without a comment; say why the tricky steps are there.", spans: []))
        }
        let singleLetter = try! NSRegularExpression(pattern: #"(?m)^\s*([a-hl-mo-wz])\s*=[^=]"#)
        if !WordSearch.matches(of: singleLetter, in: code).isEmpty {
            checks.append(
                Check(
                    id: "code.naming", title: "Names", status: .warn,
                    detail: "Single-letter variable names; name things for what they hold (admissions, readmit_rate).",
                    spans: []))
        }
        return checks
    }
}
