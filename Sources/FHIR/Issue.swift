/// One finding about a resource, shaped like an OperationOutcome.issue.
public struct Issue: Sendable, Hashable, CustomStringConvertible, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case fatal, error, warning, information

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int {
            switch self {
            case .fatal: 0
            case .error: 1
            case .warning: 2
            case .information: 3
            }
        }
    }

    public let severity: Severity
    /// The OperationOutcome issue type: `structure`, `required`, `value`, `invariant`, `code-invalid`,
    /// `invalid`, `not-supported`, `not-found`, `informational`.
    public let code: String
    /// A FHIRPath-style location: `Patient.name[0].family`, `Bundle.entry[1].resource.subject`.
    public let location: String
    /// What is wrong and how to fix it, for a learner.
    public let message: String
    /// The spec invariant this issue enforces (`obs-6`, `bdl-3`), when there is one.
    public let invariant: String?

    public init(_ severity: Severity, _ code: String, at location: String, _ message: String, invariant: String? = nil)
    {
        self.severity = severity
        self.code = code
        self.location = location
        self.message = message
        self.invariant = invariant
    }

    public var description: String {
        "\(severity.rawValue) \(location): \(message)" + (invariant.map { " [\($0)]" } ?? "")
    }
}

extension [Issue] {
    /// Whether any issue is an error (or fatal): the resource is not valid.
    public var hasErrors: Bool { contains { $0.severity <= .error } }

    /// The issues as a FHIR R4 OperationOutcome resource.
    public var operationOutcome: JSONValue {
        let issues: [JSONValue] =
            isEmpty
            ? [
                .object([
                    ("severity", .string("information")), ("code", .string("informational")),
                    ("diagnostics", .string("No issues: the resource is structurally valid.")),
                ])
            ]
            : map { issue in
                var members: [(key: String, value: JSONValue)] = [
                    ("severity", .string(issue.severity.rawValue)), ("code", .string(issue.code)),
                    // Validators conventionally name the broken invariant first: "obs-6: …".
                    ("diagnostics", .string((issue.invariant.map { "\($0): " } ?? "") + issue.message)),
                ]
                if !issue.location.isEmpty { members.append(("expression", .array([.string(issue.location)]))) }
                return .object(members)
            }
        return .object([("resourceType", .string("OperationOutcome")), ("issue", .array(issues))])
    }
}
