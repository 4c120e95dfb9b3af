/// A write the store refused, with what was wrong.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The record a write refers to does not exist, or belongs to another learner.
    case notFound(String)
    /// The database's own rules refused the write; nothing of it was kept.
    case refused(Rule, String)
    /// The database could not be reached or is shutting down (a PostgreSQL server restarting, a SQLite
    /// file locked past the busy timeout); the request can be tried again and nothing of it was kept.
    case unavailable(String)

    /// The schema rules every store enforces in the database itself, not only in Swift.
    public enum Rule: String, Sendable, CaseIterable {
        /// A value out of range (a retention of 0.5, a malformed date, a difficulty of 0).
        case check
        /// A reference to a row that does not exist.
        case foreignKey = "foreign key"
        /// A second row where one is allowed.
        case unique
        /// An update or delete of history (attempts, reviews, lab hand-ins), which only grows.
        case appendOnly = "append-only history"
        /// Any other rule (NOT NULL, a primary key).
        case other
    }

    /// The rule that refused the write, when the database refused it.
    public var refusal: Rule? {
        if case .refused(let rule, _) = self { rule } else { nil }
    }

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) does not exist"
        case .refused(let rule, let detail): "the database refused the write (\(rule.rawValue)): \(detail)"
        case .unavailable(let detail): "the database is unavailable: \(detail)"
        }
    }
}
