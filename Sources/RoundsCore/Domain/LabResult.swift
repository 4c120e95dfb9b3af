import Foundation

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
        /// Rows that go with the message, for a page to show as a table (an SQL hand-in's unexpected
        /// rows); the message says the same in words. Absent from findings kept before it existed.
        public let table: Table?

        public init(_ status: Status, at location: String? = nil, _ message: String, table: Table? = nil) {
            self.status = status
            self.location = location
            self.message = message
            self.table = table
        }
    }

    /// A small table of a finding: its columns, and rows of display values with the cells to mark.
    public struct Table: Sendable, Codable, Hashable {
        public struct Row: Sendable, Codable, Hashable {
            public let cells: [String]
            /// The columns in which the row differs from the closest right row; nil when no right row
            /// is like it.
            public let differing: [Int]?

            public init(cells: [String], differing: [Int]?) {
                self.cells = cells
                self.differing = differing
            }
        }

        public let columns: [String]
        public let rows: [Row]

        public init(columns: [String], rows: [Row]) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// Whether every check passed and nothing was wrong.
    public let accepted: Bool
    /// Checks passed, 0–100.
    public let score: Int
    public private(set) var findings: [Finding]

    public init(findings: [Finding]) {
        self.findings = findings
        let graded = findings.filter { $0.status != .note }
        let passed = graded.filter { $0.status == .passed }.count
        accepted = !graded.isEmpty && passed == graded.count
        score = graded.isEmpty ? 0 : Int((Double(passed) / Double(graded.count) * 100).rounded())
    }

    /// A result whose score counts the elements checked rather than the findings, for graders that
    /// report only what is wrong plus one summary (so the checklist is not shown to a wrong hand-in).
    /// Accepted when nothing failed.
    public init(findings: [Finding], right: Int, of checked: Int) {
        self.findings = findings
        let failed = findings.contains { $0.status == .failed }
        accepted = !failed && checked > 0
        score =
            checked == 0
            ? 0 : failed && right >= checked ? 99 : Int((Double(min(right, checked)) / Double(checked) * 100).rounded())
    }

    /// The same result with one more note.
    public func noting(_ finding: Finding) -> LabResult {
        var copy = self
        copy.findings.append(finding)
        return copy
    }

    public var failures: [Finding] { findings.filter { $0.status == .failed } }
}

/// One hand-in for a lab and its grade, kept as history (append-only, like answers).
public struct LabAttempt: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var learnerID: Int64
    public var labID: String
    public var submittedAt: Date
    public var submission: String
    public var accepted: Bool
    public var score: Int
    /// What the grader said then; later graders may say more, history keeps what the learner saw.
    public var findings: [LabResult.Finding]

    public init(
        id: Int64 = 0, learnerID: Int64, labID: String, submittedAt: Date, submission: String, result: LabResult
    ) {
        self.id = id
        self.learnerID = learnerID
        self.labID = labID
        self.submittedAt = submittedAt
        self.submission = submission
        accepted = result.accepted
        score = result.score
        findings = result.findings
    }
}

/// Storage for lab hand-ins. Implemented by each store, under the same contract tests.
public protocol LabAttemptRepository: Sendable {
    /// Appends a hand-in, and the review of the lab it earned if any, in one transaction; returns the
    /// hand-in with its id.
    func recordLabAttempt(_ attempt: LabAttempt, review: Review?) async throws -> LabAttempt
    /// A learner's hand-ins, oldest first, optionally for one lab.
    func labAttempts(learnerID: Int64, labID: String?) async throws -> [LabAttempt]
    /// One page of a learner's hand-ins for a lab, newest first, and how many there are in all.
    func labAttemptPage(learnerID: Int64, labID: String, limit: Int, offset: Int) async throws
        -> (total: Int, attempts: [LabAttempt])
}
