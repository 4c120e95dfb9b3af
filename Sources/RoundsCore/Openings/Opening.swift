import Foundation

/// A job posting the learner is aiming at, kept in their own store (issue 17). Rounds never fetches
/// postings: the learner pastes or uploads them, or types them in.
public struct Opening: Sendable, Hashable, Codable, Identifiable {
    /// Nil until stored.
    public var id: Int64?
    public var title: String
    public var company: String
    /// Where the job is, as the posting says it (`Boston, MA, US`); nil when it does not say.
    public var location: String?
    /// True when the posting says the job can be done remotely.
    public var remote: Bool
    public var salary: Salary?
    /// The day the posting was published, `YYYY-MM-DD`.
    public var datePosted: String?
    /// The posting's text, with any HTML reduced to plain text.
    public var description: String
    /// Where the posting was read, if the learner gave it.
    public var url: String?
    /// When the learner added it.
    public var addedAt: Date
    /// True for the one opening the study plan is built for ("Plan for this posting").
    public var planTarget: Bool

    public init(
        id: Int64? = nil, title: String, company: String, location: String? = nil, remote: Bool = false,
        salary: Salary? = nil, datePosted: String? = nil, description: String, url: String? = nil,
        addedAt: Date, planTarget: Bool = false
    ) {
        self.id = id
        self.title = title
        self.company = company
        self.location = location
        self.remote = remote
        self.salary = salary
        self.datePosted = datePosted
        self.description = description
        self.url = url
        self.addedAt = addedAt
        self.planTarget = planTarget
    }

    /// Openings a learner may keep; adding past it is refused. A job search has dozens, so this only
    /// bounds what a script could store.
    public static let perLearnerLimit = 500
    /// The longest description kept, in characters (job postings run to a few thousand).
    public static let maxDescription = 30_000
    /// The longest title, company, location or URL.
    public static let maxField = 300

    /// The text skills are found in: the description, then the title (so the excerpt beside a skill
    /// comes from the description when the description names it).
    public var skillText: String { description + "\n" + title }

    /// True when `other` is the same posting: same title, company and date posted, whatever the case.
    /// Importing a file twice adds nothing the second time.
    public func isSamePosting(as other: Opening) -> Bool {
        title.lowercased() == other.title.lowercased() && company.lowercased() == other.company.lowercased()
            && datePosted == other.datePosted
    }
}

/// A salary range as a posting states it.
public struct Salary: Sendable, Hashable, Codable {
    /// The unit a salary is quoted in.
    public enum Period: String, Sendable, Hashable, Codable, CaseIterable {
        case hour, day, week, month, year

        /// How many of the period make a working year: 2,080 hours (40 a week for 52 weeks), 260 days,
        /// 52 weeks, 12 months. The US Office of Personnel Management uses 2,087 hours for federal pay;
        /// 2,080 is what job boards and most salary converters use.
        public var perYear: Double {
            switch self {
            case .hour: 2080
            case .day: 260
            case .week: 52
            case .month: 12
            case .year: 1
            }
        }
    }

    public var minimum: Double
    public var maximum: Double
    /// An ISO 4217 code, such as `USD`.
    public var currency: String
    public var period: Period

    public init(minimum: Double, maximum: Double, currency: String, period: Period) {
        self.minimum = minimum
        self.maximum = maximum
        self.currency = currency
        self.period = period
    }

    /// The range as a year's pay.
    public var yearly: ClosedRange<Double> { (minimum * period.perYear)...(maximum * period.perYear) }
    /// The middle of the range as a year's pay.
    public var yearlyMidpoint: Double { (minimum + maximum) / 2 * period.perYear }

    /// `USD 95,000–120,000 a year`.
    public var text: String {
        let low = Self.amount(minimum)
        let high = Self.amount(maximum)
        return "\(currency) \(low == high ? low : "\(low)–\(high)") \(period == .hour ? "an" : "a") \(period.rawValue)"
    }

    /// A whole or two-decimal amount with thousands separators, the same on every machine.
    public static func amount(_ value: Double) -> String {
        let cents = Int64((value * 100).rounded())
        let whole = cents / 100
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        return cents % 100 == 0 ? grouped : grouped + String(format: ".%02d", Int(cents % 100))
    }
}

/// What the learner notes about a company: its tech stack, how it interviews, people met.
public struct CompanyNote: Sendable, Hashable, Codable {
    public var company: String
    public var techStack: String
    public var interviewFormat: String
    public var people: String
    public var updatedAt: Date

    public init(
        company: String, techStack: String = "", interviewFormat: String = "", people: String = "", updatedAt: Date
    ) {
        self.company = company
        self.techStack = techStack
        self.interviewFormat = interviewFormat
        self.people = people
        self.updatedAt = updatedAt
    }

    /// The longest text in one field of a note.
    public static let maxField = 5_000
    /// Companies a learner can keep notes on.
    public static let perLearnerLimit = 500

    /// The first field longer than ``maxField``, with its length, named as `names` gives the fields
    /// (`techStack`, `interviewFormat`, `people` by default, as the API names them).
    public func overlongField(names: (String, String, String) = ("techStack", "interviewFormat", "people")) -> (
        name: String, characters: Int
    )? {
        [(names.0, techStack), (names.1, interviewFormat), (names.2, people)].first { $0.1.count > Self.maxField }
            .map { ($0.0, $0.1.count) }
    }

    /// True when every field is empty: saving such a note removes it.
    public var isEmpty: Bool {
        techStack.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && interviewFormat.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && people.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

/// Storage for a learner's openings and company notes. Every call is scoped to one learner.
public protocol OpeningRepository: Sendable {
    /// Adds openings in one transaction (all or none) and returns those added with their ids, oldest
    /// first; openings that are the same posting as one already kept (``Opening/isSamePosting(as:)``) are
    /// skipped. Throws ``OpeningLimitReached`` when the learner would have more than
    /// ``Opening/perLearnerLimit``.
    func addOpenings(_ openings: [Opening], learnerID: Int64) async throws -> [Opening]
    /// The learner's openings, most recently added first.
    func openings(learnerID: Int64) async throws -> [Opening]
    /// One of the learner's openings; nil when there is none with that id, or it is another learner's.
    func opening(id: Int64, learnerID: Int64) async throws -> Opening?
    /// The opening the plan is built for, if the learner chose one: one indexed read, since every plan,
    /// dashboard and stats request asks.
    func planTarget(learnerID: Int64) async throws -> Opening?
    /// Removes one of the learner's openings; false when there was none.
    @discardableResult
    func deleteOpening(id: Int64, learnerID: Int64) async throws -> Bool
    /// Makes `id` the opening the plan is built for (nil: none), in one transaction; false when the
    /// learner has no such opening.
    @discardableResult
    func setPlanTarget(openingID: Int64?, learnerID: Int64) async throws -> Bool
    /// Saves the learner's note on a company, replacing the one there (companies match whatever the
    /// case); an empty note removes it.
    func saveCompanyNote(_ note: CompanyNote, learnerID: Int64) async throws
    /// The learner's company notes, by company name.
    func companyNotes(learnerID: Int64) async throws -> [CompanyNote]
}

/// Adding openings would take a learner past ``Opening/perLearnerLimit``, or notes past
/// ``CompanyNote/perLearnerLimit``.
public struct OpeningLimitReached: Error, CustomStringConvertible, Sendable {
    public let limit: Int
    public let what: String

    public init(limit: Int, what: String = "openings") {
        self.limit = limit
        self.what = what
    }

    public var description: String {
        "You can keep at most \(limit) \(what); nothing was added. Delete some you no longer need first."
    }
}

extension OpeningRepository {
    /// The learner's note on `company`, if any.
    public func companyNote(_ company: String, learnerID: Int64) async throws -> CompanyNote? {
        try await companyNotes(learnerID: learnerID).first { $0.company.lowercased() == company.lowercased() }
    }
}
