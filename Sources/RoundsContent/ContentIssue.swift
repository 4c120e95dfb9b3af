/// A problem found in a content pack: what is wrong, where, and how to fix it.
public struct ContentIssue: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// The file cannot be used as written; `rounds content lint` exits 1.
        case error
        /// The file loads, but its quality falls short of the bank's rules.
        case warning
        /// Information, such as a question replaced by a later pack.
        case note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public let severity: Severity
    /// The file's path.
    public let file: String
    /// The 1-based line in the file, when known.
    public let line: Int?
    /// The field path, such as `rubric[2].weight`, when the problem is in one field.
    public let field: String?
    /// What is wrong.
    public let message: String
    /// How to fix it.
    public let fix: String?

    public init(
        _ severity: Severity, file: String, line: Int?, field: String?, message: String, fix: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.fix = fix
    }

    /// `file:line: severity: field: message. Fix: …`
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": \(severity.rawValue): "
        if let field { text += "\(field): " }
        text += message
        if let fix { text += " Fix: \(fix)" }
        return text
    }
}

/// Collects the issues of one file, turning YAML positions into file lines.
final class IssueCollector {
    let file: String
    /// Added to a YAML line to get the file line (front matter starts after the opening `---`).
    let lineOffset: Int
    private(set) var issues: [ContentIssue] = []

    init(file: String, lineOffset: Int = 0) {
        self.file = file
        self.lineOffset = lineOffset
    }

    func add(_ severity: ContentIssue.Severity, line: Int?, field: String?, _ message: String, fix: String?) {
        issues.append(ContentIssue(severity, file: file, line: line, field: field, message: message, fix: fix))
    }

    func error(at yamlLine: Int?, _ field: String?, _ message: String, fix: String?) {
        add(.error, line: yamlLine.map { $0 + lineOffset }, field: field, message, fix: fix)
    }

    func warning(at yamlLine: Int?, _ field: String?, _ message: String, fix: String?) {
        add(.warning, line: yamlLine.map { $0 + lineOffset }, field: field, message, fix: fix)
    }

    var hasErrors: Bool { issues.contains { $0.severity == .error } }
}
