import Foundation

/// A person practising. The command line uses one local learner; the web app has one per account.
public struct Learner: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var name: String
    public var createdAt: Date
    public var settings: LearnerSettings

    public init(id: Int64, name: String, createdAt: Date, settings: LearnerSettings = LearnerSettings()) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.settings = settings
    }
}

/// What a learner has told Rounds about their goal.
public struct LearnerSettings: Sendable, Codable, Hashable {
    /// The role id the learner is preparing for.
    public var targetRole: String?
    /// The day of the interview, `YYYY-MM-DD`.
    public var interviewDate: String?
    /// FSRS desired retention, 0.70 to 0.97.
    public var desiredRetention: Double
    /// Hours a week for study, in ``StudyPlanner/hoursRange``; nil until the learner says
    /// (the plan then assumes ``defaultHoursPerWeek``).
    public var hoursPerWeek: Double?
    /// The level the learner says they are at: new questions start there rather than at beginner, and
    /// measured mastery moves them up from it. Nil until said (beginner).
    public var level: Level?

    /// The hours a week a plan assumes when the learner has not said.
    public static let defaultHoursPerWeek = 5.0

    public init(
        targetRole: String? = nil, interviewDate: String? = nil, desiredRetention: Double = 0.9,
        hoursPerWeek: Double? = nil, level: Level? = nil
    ) {
        self.targetRole = targetRole
        self.interviewDate = interviewDate
        self.desiredRetention = desiredRetention
        self.hoursPerWeek = hoursPerWeek
        self.level = level
    }

    /// The hours a week to plan with.
    public var planningHours: Double { hoursPerWeek ?? Self.defaultHoursPerWeek }

    /// Why a text is not an interview date, or nil when it is one: exactly `YYYY-MM-DD`, a day that
    /// exists (not 2026-02-30), in the years 2000 to 2199. Foundation's ISO 8601 parser accepts
    /// five-digit years and rolls 30 February over to March, so both the web form and the command line
    /// check with this.
    public static func interviewDateProblem(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return "“\(text)” is not a date; write it as YYYY-MM-DD, such as 2027-02-01." }
        guard (2000...2199).contains(year) else { return "\(year) is not a plausible interview year." }
        guard (1...12).contains(month) else { return "There is no month \(month); write YYYY-MM-DD." }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return "\(text) does not exist: that month has \(days) days." }
        return nil
    }
}

/// One sitting: a practice queue or a timed mock interview.
public struct PracticeSession: Sendable, Codable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case practice, mock
    }

    public var id: Int64
    public var learnerID: Int64
    public var kind: Kind
    public var startedAt: Date
    /// Nil while the session is open (or if the process died before closing it).
    public var endedAt: Date?
    public var role: String?
    public var level: Level?
    /// The time limit of a mock interview.
    public var minutes: Int?

    public init(
        id: Int64, learnerID: Int64, kind: Kind, startedAt: Date, endedAt: Date? = nil, role: String? = nil,
        level: Level? = nil, minutes: Int? = nil
    ) {
        self.id = id
        self.learnerID = learnerID
        self.kind = kind
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.role = role
        self.level = level
        self.minutes = minutes
    }
}

/// An answer a learner gave, with the feedback it got. Attempts are never changed or deleted.
public struct Attempt: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var learnerID: Int64
    public var questionID: String
    public var sessionID: Int64?
    public var answeredAt: Date
    public var answer: String
    public var score: Int
    public var band: Int
    /// The rating given to scheduling: the band's, or the learner's override.
    public var rating: Rating
    public var ratingOverridden: Bool
    public var secondsTaken: Int?
    /// The rubric coverage and checks in brief, for history and export.
    public var summary: String

    public init(
        id: Int64 = 0, learnerID: Int64, questionID: String, sessionID: Int64?, answeredAt: Date, answer: String,
        score: Int, band: Int, rating: Rating, ratingOverridden: Bool, secondsTaken: Int?, summary: String
    ) {
        self.id = id
        self.learnerID = learnerID
        self.questionID = questionID
        self.sessionID = sessionID
        self.answeredAt = answeredAt
        self.answer = answer
        self.score = score
        self.band = band
        self.rating = rating
        self.ratingOverridden = ratingOverridden
        self.secondsTaken = secondsTaken
        self.summary = summary
    }
}

/// The schedule of one question for one learner after a review. The latest review of a question is
/// its current state; earlier ones are its history. Reviews are never changed or deleted.
public struct Review: Sendable, Codable, Hashable, Identifiable {
    public var id: Int64
    public var learnerID: Int64
    public var questionID: String
    public var attemptID: Int64?
    public var reviewedAt: Date
    public var rating: Rating
    public var card: ReviewCard

    public init(
        id: Int64 = 0, learnerID: Int64, questionID: String, attemptID: Int64?, reviewedAt: Date, rating: Rating,
        card: ReviewCard
    ) {
        self.id = id
        self.learnerID = learnerID
        self.questionID = questionID
        self.attemptID = attemptID
        self.reviewedAt = reviewedAt
        self.rating = rating
        self.card = card
    }
}

/// Everything Rounds holds about one learner, as exported and imported.
public struct LearnerExport: Sendable, Codable, Hashable {
    public static let formatVersion = 1

    public var format: Int
    public var exportedAt: Date
    public var learner: Learner
    public var sessions: [PracticeSession]
    public var attempts: [Attempt]
    public var reviews: [Review]
    /// Lab hand-ins; absent from exports made before labs existed, read as none.
    public var labAttempts: [LabAttempt]
    /// Job postings and company notes; absent from exports made before openings existed, read as none.
    public var openings: [Opening]
    public var companyNotes: [CompanyNote]

    public init(
        exportedAt: Date, learner: Learner, sessions: [PracticeSession], attempts: [Attempt], reviews: [Review],
        labAttempts: [LabAttempt] = [], openings: [Opening] = [], companyNotes: [CompanyNote] = []
    ) {
        self.format = Self.formatVersion
        self.exportedAt = exportedAt
        self.learner = learner
        self.sessions = sessions
        self.attempts = attempts
        self.reviews = reviews
        self.labAttempts = labAttempts
        self.openings = openings
        self.companyNotes = companyNotes
    }

    enum CodingKeys: String, CodingKey {
        case format, exportedAt, learner, sessions, attempts, reviews, labAttempts, openings, companyNotes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(Int.self, forKey: .format)
        exportedAt = try container.decode(Date.self, forKey: .exportedAt)
        learner = try container.decode(Learner.self, forKey: .learner)
        sessions = try container.decode([PracticeSession].self, forKey: .sessions)
        attempts = try container.decode([Attempt].self, forKey: .attempts)
        reviews = try container.decode([Review].self, forKey: .reviews)
        labAttempts = try container.decodeIfPresent([LabAttempt].self, forKey: .labAttempts) ?? []
        openings = try container.decodeIfPresent([Opening].self, forKey: .openings) ?? []
        companyNotes = try container.decodeIfPresent([CompanyNote].self, forKey: .companyNotes) ?? []
    }
}

/// What importing added and what it skipped as already present.
public struct ImportSummary: Sendable, Codable, Hashable {
    public var sessionsAdded = 0
    public var attemptsAdded = 0
    public var reviewsAdded = 0
    public var labAttemptsAdded = 0
    public var openingsAdded = 0
    public var companyNotesAdded = 0
    public var skipped = 0

    public init() {}
}
