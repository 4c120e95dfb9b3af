import Foundation
import GRDBSQLite
import RoundsCore
import Synchronization
import SyntheticEHR

extension Question {
    /// True for a code question whose model answer is an SQL query: its answers are checked as SQL,
    /// and the pages offer the SQL labs to run one.
    public var asksForSQL: Bool { kind == .code && SQLQueryCheck.isSQLQuestion(modelAnswer: modelAnswer) }
}

/// Checks that an answer to a "write a query" question holds a query: SQLite compiles each statement
/// against the synthetic EHR's schema (the SQL labs' tables) without running it. A statement that
/// compiles is a query; one that names tables the lab schema lacks still parsed, so it counts too.
/// Text that does not parse earns no code credit.
///
/// Learners write PostgreSQL or SQL Server as often as SQLite, so common dialect spellings (`::date`,
/// `INTERVAL '30 days'`, `EXTRACT(year FROM …)`, `TOP 10`, `DISTINCT ON (…)`, `ILIKE`) are rewritten
/// to neutral forms before compiling. A statement that still fails deep inside is reported as a
/// warning (it may be a dialect we do not know); one that fails at its start is not a query.
struct SQLQueryCheck {
    enum Verdict: Equatable {
        /// SQLite compiled it against the lab schema.
        case compiles
        /// It parsed, but names a table, column or function the lab schema lacks.
        case parsesWithUnknownNames(String)
        /// It failed to parse past its opening; perhaps another dialect.
        case dialect(String)
        /// It is not a query.
        case notAQuery(String)
    }

    /// True when the question's model answer is an SQL query: its code starts with SELECT or WITH.
    static func isSQLQuestion(modelAnswer: String) -> Bool {
        guard let code = CodeHygiene(answer: modelAnswer).code?.text else { return false }
        return statements(in: code).contains { startsQuery($0) }
    }

    /// The verdict on the best statement of `answer`'s code, or on the whole answer when it has no code.
    static func verdict(for answer: String) -> Verdict {
        let code = CodeHygiene(answer: answer).code?.text ?? answer
        let candidates = statements(in: code).filter(startsQuery)
        guard !candidates.isEmpty else { return .notAQuery("no SELECT or WITH statement") }
        var best: Verdict = .notAQuery("")
        for statement in candidates {
            let verdict = check(statement)
            if rank(verdict) > rank(best) { best = verdict }
            if verdict == .compiles { break }
        }
        return best
    }

    private static func rank(_ verdict: Verdict) -> Int {
        switch verdict {
        case .compiles: 3
        case .parsesWithUnknownNames: 2
        case .dialect: 1
        case .notAQuery: 0
        }
    }

    static func statements(in code: String) -> [String] {
        code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    static func startsQuery(_ statement: String) -> Bool {
        let lines = statement.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        let start = lines.joined(separator: " ").trimmingCharacters(in: .whitespaces).lowercased()
        return start.hasPrefix("select") || start.hasPrefix("with") || start.hasPrefix("(select")
    }

    /// Rewrites of other dialects' spellings that SQLite's parser rejects, to forms it accepts.
    static let dialectRewrites: [(NSRegularExpression, String)] = [
        (#"::\s*[a-z_]+(\s*\([0-9, ]*\))?"#, ""),
        (#"\binterval\s+('[^']*')"#, "$1"),
        (#"\bextract\s*\(\s*[a-z_]+\s+from\s+"#, "extract("),
        (#"\bselect\s+top\s+\(?\d+\)?"#, "select"),
        (#"\bdistinct\s+on\s*\([^)]*\)"#, "distinct"),
        (#"\bilike\b"#, "like"),
        (#"\bdate_trunc\s*\(\s*'[a-z]+'\s*,"#, "date("),
        (#"\bnulls\s+(first|last)\b"#, ""),
        (#"\bfetch\s+first\s+\d+\s+rows\s+only\b"#, ""),
        (#"\bwith\s+\(nolock\)"#, ""),
    ].map { (try! NSRegularExpression(pattern: $0.0, options: [.caseInsensitive]), $0.1) }

    static func neutral(_ statement: String) -> String {
        var text = statement
        for (pattern, template) in dialectRewrites {
            text = pattern.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text
    }

    private static func check(_ statement: String) -> Verdict {
        let text = neutral(statement)
        guard let message = LabSchemaDatabase.shared.compile(text) else { return .compiles }
        let lower = message.lowercased()
        if lower.hasPrefix("no such table") || lower.hasPrefix("no such column") || lower.hasPrefix("no such function")
            || lower.contains("ambiguous column")
        {
            return .parsesWithUnknownNames(message)
        }
        // Where the parser gave up: a query that fails at its start is a jumble of keywords.
        if let near = message.range(of: #"near "([^"]*)""#, options: .regularExpression) {
            let token = String(message[near]).dropFirst(6).dropLast()
            let position = text.lowercased().range(of: token.lowercased())?.lowerBound
            let offset = position.map { text.distance(from: text.startIndex, to: $0) } ?? 0
            let words = text.split(whereSeparator: \.isWhitespace)
            let hasShape =
                words.count >= 4 && text.range(of: #"(?i)\bfrom\s+[a-z_(]"#, options: .regularExpression) != nil
            if offset > 20 && hasShape { return .dialect(message) }
        }
        return .notAQuery(message)
    }
}

/// An in-memory SQLite database holding only the synthetic EHR's tables, used to compile (never run)
/// learners' queries. One connection, used under a lock; compiling takes microseconds.
final class LabSchemaDatabase: Sendable {
    static let shared = LabSchemaDatabase()

    private struct Connection: @unchecked Sendable {
        let handle: OpaquePointer?
    }
    private let connection: Mutex<Connection>

    private init() {
        var handle: OpaquePointer?
        if sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK {
            for table in EHRSchema.tables { sqlite3_exec(handle, table.createSQL, nil, nil, nil) }
        }
        connection = Mutex(Connection(handle: handle))
    }

    /// nil when `sql` compiles, else SQLite's error message.
    func compile(_ sql: String) -> String? {
        connection.withLock { connection in
            var statement: OpaquePointer?
            defer { sqlite3_finalize(statement) }
            let rc = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
            if rc == SQLITE_OK { return nil }
            return String(cString: sqlite3_errmsg(connection.handle))
        }
    }
}
