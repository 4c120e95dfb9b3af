/// The grade of one hand-in: accepted or not, a score, and each finding with where it is.
public struct LabResult: Sendable, Codable, Hashable {
    public struct Finding: Sendable, Codable, Hashable {
        public enum Status: String, Sendable, Codable {
            case passed, failed, note
        }

        public let status: Status
        /// A path in the hand-in (`PID-7`, `Observation.code.coding[0].system`) or the question id, when there is one.
        public let location: String?
        public let message: String

        public init(_ status: Status, at location: String? = nil, _ message: String) {
            self.status = status
            self.location = location
            self.message = message
        }
    }

    /// Whether every check passed and nothing was wrong.
    public let accepted: Bool
    /// Checks passed, 0–100.
    public let score: Int
    public let findings: [Finding]

    public init(findings: [Finding]) {
        self.findings = findings
        let graded = findings.filter { $0.status != .note }
        let passed = graded.filter { $0.status == .passed }.count
        accepted = !graded.isEmpty && passed == graded.count
        score = graded.isEmpty ? 0 : Int((Double(passed) / Double(graded.count) * 100).rounded())
    }

    public var failures: [Finding] { findings.filter { $0.status == .failed } }
}
