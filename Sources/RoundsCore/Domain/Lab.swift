/// A hands-on exercise graded by a machine: read an HL7 v2 message, fix one, map it to FHIR, write a
/// FHIR resource or Bundle, write a FHIR search, explain an OperationOutcome, write SQL against the
/// synthetic EHR, or make a slow query fast.
public struct Lab: Sendable, Codable, Hashable, Identifiable {
    /// What the learner hands in, and so how it is graded.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Answers to questions about an HL7 v2 message, checked against the message by path.
        case hl7Read = "hl7-read"
        /// A corrected HL7 v2 message: it must pass the structure checks and carry the fixed values.
        case hl7Fix = "hl7-fix"
        /// A FHIR resource mapped from an HL7 v2 message.
        case hl7ToFHIR = "hl7-to-fhir"
        /// A FHIR resource written from a description.
        case fhirWrite = "fhir-write"
        /// A FHIR Bundle.
        case fhirBundle = "fhir-bundle"
        /// A FHIR search URL, graded by the resources it returns.
        case fhirSearch = "fhir-search"
        /// Answers about a FHIR OperationOutcome.
        case fhirOutcome = "fhir-outcome"
        /// One SELECT on the synthetic EHR, graded by its result on the visible and a hidden database.
        case sql
        /// Indexes and a rewritten query that make a slow query on ten million visits fast.
        case sqlTuning = "sql-tuning"

        /// Whether the learner answers named questions (rather than handing in one document or URL).
        public var takesAnswers: Bool { self == .hl7Read || self == .fhirOutcome }
        /// Whether the learner hands in FHIR JSON.
        public var takesFHIR: Bool { self == .hl7ToFHIR || self == .fhirWrite || self == .fhirBundle }
        /// Whether the learner hands in SQL.
        public var takesSQL: Bool { self == .sql || self == .sqlTuning }
        /// The area: `hl7`, `fhir` or `sql` (the folder under Content/labs).
        public var area: String { String(rawValue.prefix { $0 != "-" }) }

        public var label: String {
            switch self {
            case .hl7Read: "Read HL7 v2"
            case .hl7Fix: "Fix HL7 v2"
            case .hl7ToFHIR: "HL7 v2 to FHIR"
            case .fhirWrite: "Write FHIR"
            case .fhirBundle: "FHIR Bundle"
            case .fhirSearch: "FHIR search"
            case .fhirOutcome: "Explain an OperationOutcome"
            case .sql: "SQL query"
            case .sqlTuning: "SQL tuning"
            }
        }
    }

    /// A named question with one right answer.
    public struct Prompt: Sendable, Codable, Hashable {
        /// The answer's name, used in answer files (`mrn: 48213`) and form fields.
        public let id: String
        public let ask: String
        /// An HL7 v2 path whose value in the lab's message is the answer.
        public let path: String?
        /// The answer, when it is not read from the message by path.
        public let answer: String?
        /// Other accepted spellings.
        public let accept: [String]
        /// What to look at when the answer is wrong.
        public let hint: String?

        public init(id: String, ask: String, path: String?, answer: String?, accept: [String], hint: String?) {
            self.id = id
            self.ask = ask
            self.path = path
            self.answer = answer
            self.accept = accept
            self.hint = hint
        }
    }

    /// A fact the handed-in document must show: the value at `path`, or that something is there.
    ///
    /// For HL7 v2 the path is a terser path (`PID-7`); for FHIR a dotted path through the JSON
    /// (`Observation.code.coding.code`), where any item of a list may satisfy it.
    public struct Check: Sendable, Codable, Hashable {
        public let path: String
        /// The value required; nil means the element only has to be present.
        public let equals: String?
        /// What to do when the check fails.
        public let hint: String

        public init(path: String, equals: String?, hint: String) {
            self.path = path
            self.equals = equals
            self.hint = hint
        }
    }

    /// What an SQL lab needs beyond the common fields.
    public struct SQLSpec: Sendable, Codable, Hashable {
        /// The tables the learner may read (and, in the tuning lab, index).
        public let tables: [String]
        /// Sort keys the result must follow (`visits desc`), by the reference's column names; empty when
        /// any order is right.
        public let order: [String]
        /// Column names the result must use, when the lab fixes them.
        public let columns: [String]?
        /// The tuning lab's slow query, which the learner must make fast.
        public let slowQuery: String?
        /// For a tuning lab, the columns a covering index must narrow the big table by. When given, the
        /// plan decides the verdict, not a timing near a threshold (which machine load could tip).
        public let covering: [String]?

        public init(
            tables: [String], order: [String], columns: [String]?, slowQuery: String?, covering: [String]? = nil
        ) {
            self.tables = tables
            self.order = order
            self.columns = columns
            self.slowQuery = slowQuery
            self.covering = covering
        }
    }

    public let id: String
    public let title: String
    public let level: Level
    public let kind: Kind
    public let skills: [String]
    public let roles: [String]
    public let minutes: Int
    /// The HL7 v2 message the lab is about, segments separated by line breaks.
    public let message: String?
    /// The FHIR resource the lab is about (for OperationOutcome labs, the one that was validated).
    public let resource: String?
    public let prompts: [Prompt]
    public let checks: [Check]
    /// For search labs: the reference URL whose results a learner's URL must reproduce.
    public let reference: String?
    /// For search labs: the fixture set searched (`Content/labs/fhir/fixtures/<name>.json`).
    public let fixtures: String?
    public let sources: [Source]
    /// What to do, in Markdown.
    public let task: String
    public let hints: [String]
    /// A correct hand-in: the document, URL, or `id: answer` lines.
    public let solution: String
    /// Why the solution is right, in Markdown.
    public let explanation: String
    /// For SQL labs.
    public let sql: SQLSpec?
    /// Plausible wrong hand-ins, each the kind of mistake candidates make, that the grader must reject
    /// on the visible or the hidden data (`rounds content lint` proves it).
    public let wrongAnswers: [String]
    /// For labs graded against their whole solution (HL7 fix, FHIR write and map): elements of the
    /// solution a hand-in may leave out (`AllergyIntolerance.verificationStatus`); when given, they must agree.
    public let optional: [String]
    /// Elements of the solution the task leaves open (an identifier system the learner cannot know):
    /// any value is right, and so is none.
    public let free: [String]

    /// A lab's item in the review history, beside the questions' ids: `lab:` and its id. Ids are slugs,
    /// which have no colon, so a lab and a question never share an item.
    public static func reviewItem(_ labID: String) -> String { "lab:" + labID }

    /// The lab id of a review item, or nil when the item is a question.
    public static func id(ofReviewItem item: String) -> String? {
        item.hasPrefix("lab:") ? String(item.dropFirst(4)) : nil
    }

    public init(
        id: String, title: String, level: Level, kind: Kind, skills: [String], roles: [String], minutes: Int,
        message: String?, resource: String?, prompts: [Prompt], checks: [Check], reference: String?, fixtures: String?,
        sources: [Source], task: String, hints: [String], solution: String, explanation: String, sql: SQLSpec? = nil,
        wrongAnswers: [String] = [], optional: [String] = [], free: [String] = []
    ) {
        self.id = id
        self.title = title
        self.level = level
        self.kind = kind
        self.skills = skills
        self.roles = roles
        self.minutes = minutes
        self.message = message
        self.resource = resource
        self.prompts = prompts
        self.checks = checks
        self.reference = reference
        self.fixtures = fixtures
        self.sources = sources
        self.task = task
        self.hints = hints
        self.solution = solution
        self.explanation = explanation
        self.sql = sql
        self.wrongAnswers = wrongAnswers
        self.optional = optional
        self.free = free
    }
}
