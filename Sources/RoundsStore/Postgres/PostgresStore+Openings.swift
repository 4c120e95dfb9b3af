import Foundation
import PostgresNIO
import RoundsCore

extension PostgresStore {
    static let openingColumns = """
        id, title, company, location, remote, salary_min, salary_max, salary_currency, salary_period, date_posted,
        description, url, added_at, plan_target
        """

    public func addOpenings(_ openings: [Opening], learnerID: Int64) async throws -> [Opening] {
        try await transaction { connection in
            // Locks the learner's row so two imports at once cannot both pass the limit.
            try await connection.query("SELECT 1 FROM learner WHERE id = \(learnerID) FOR UPDATE", logger: self.logger)
            let kept = try await self.rows(
                "SELECT \(unescaped: Self.openingColumns) FROM opening WHERE learner_id = \(learnerID)", on: connection,
                Self.opening)
            var known = kept
            var added: [Opening] = []
            for opening in openings where !known.contains(where: { $0.isSamePosting(as: opening) }) {
                known.append(opening)
                added.append(opening)
            }
            guard known.count <= Opening.perLearnerLimit else {
                throw OpeningLimitReached(limit: Opening.perLearnerLimit)
            }
            var saved: [Opening] = []
            for opening in added {
                let salary = opening.salary
                saved += try await self.rows(
                    """
                    INSERT INTO opening (learner_id, title, company, location, remote, salary_min, salary_max,
                        salary_currency, salary_period, date_posted, description, url, added_at, plan_target)
                    VALUES (\(learnerID), \(opening.title), \(opening.company), \(opening.location), \(opening.remote),
                        \(salary?.minimum), \(salary?.maximum), \(salary?.currency), \(salary?.period.rawValue),
                        \(opening.datePosted), \(opening.description), \(opening.url), \(opening.addedAt), FALSE)
                    RETURNING \(unescaped: Self.openingColumns)
                    """, on: connection, Self.opening)
            }
            return saved
        }
    }

    public func openings(learnerID: Int64) async throws -> [Opening] {
        try await rows(
            """
            SELECT \(unescaped: Self.openingColumns) FROM opening WHERE learner_id = \(learnerID)
            ORDER BY added_at DESC, id DESC
            """, Self.opening)
    }

    public func opening(id: Int64, learnerID: Int64) async throws -> Opening? {
        try await rows(
            "SELECT \(unescaped: Self.openingColumns) FROM opening WHERE id = \(id) AND learner_id = \(learnerID)",
            Self.opening
        ).first
    }

    public func planTarget(learnerID: Int64) async throws -> Opening? {
        try await rows(
            "SELECT \(unescaped: Self.openingColumns) FROM opening WHERE learner_id = \(learnerID) AND plan_target",
            Self.opening
        ).first
    }

    @discardableResult
    public func deleteOpening(id: Int64, learnerID: Int64) async throws -> Bool {
        try await !rows(
            "DELETE FROM opening WHERE id = \(id) AND learner_id = \(learnerID) RETURNING id", { _ in true }
        ).isEmpty
    }

    @discardableResult
    public func setPlanTarget(openingID: Int64?, learnerID: Int64) async throws -> Bool {
        try await transaction { connection in
            if let openingID {
                let found = try await self.rows(
                    "SELECT 1 FROM opening WHERE id = \(openingID) AND learner_id = \(learnerID)", on: connection,
                    { _ in true })
                guard !found.isEmpty else { return false }
            }
            try await connection.query(
                "UPDATE opening SET plan_target = FALSE WHERE learner_id = \(learnerID) AND plan_target",
                logger: self.logger)
            if let openingID {
                try await connection.query(
                    "UPDATE opening SET plan_target = TRUE WHERE id = \(openingID) AND learner_id = \(learnerID)",
                    logger: self.logger)
            }
            return true
        }
    }

    public func saveCompanyNote(_ note: CompanyNote, learnerID: Int64) async throws {
        let key = note.company.lowercased()
        if note.isEmpty {
            _ = try await rows(
                "DELETE FROM company_note WHERE learner_id = \(learnerID) AND company_key = \(key) RETURNING company",
                { _ in true })
            return
        }
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO company_note (learner_id, company_key, company, tech_stack, interview_format, people, updated_at)
                VALUES (\(learnerID), \(key), \(note.company), \(note.techStack), \(note.interviewFormat), \(note.people),
                    \(note.updatedAt))
                ON CONFLICT (learner_id, company_key) DO UPDATE SET company = excluded.company,
                    tech_stack = excluded.tech_stack, interview_format = excluded.interview_format,
                    people = excluded.people, updated_at = excluded.updated_at
                """, logger: self.logger)
            let count =
                try await self.rows(
                    "SELECT count(*) FROM company_note WHERE learner_id = \(learnerID)", on: connection,
                    { try $0.decode(Int.self) }
                ).first ?? 0
            if count > CompanyNote.perLearnerLimit {
                throw OpeningLimitReached(limit: CompanyNote.perLearnerLimit, what: "company notes")
            }
        }
    }

    public func companyNotes(learnerID: Int64) async throws -> [CompanyNote] {
        try await rows(
            """
            SELECT company, tech_stack, interview_format, people, updated_at FROM company_note
            WHERE learner_id = \(learnerID) ORDER BY company_key
            """
        ) { row in
            let (company, stack, format, people, updated) = try row.decode((String, String, String, String, Date).self)
            return CompanyNote(
                company: company, techStack: stack, interviewFormat: format, people: people, updatedAt: updated)
        }
    }

    static func opening(_ row: PostgresRow) throws -> Opening {
        let (
            id, title, company, location, remote, minimum, maximum, currency, period, posted, description, url, added,
            target
        ) =
            try row.decode(
                (
                    Int64, String, String, String?, Bool, Double?, Double?, String?, String?, String?, String, String?,
                    Date, Bool
                )
                .self)
        var salary: Salary?
        if let minimum, let maximum, let currency, let period = period.flatMap(Salary.Period.init(rawValue:)) {
            salary = Salary(minimum: minimum, maximum: maximum, currency: currency, period: period)
        }
        return Opening(
            id: id, title: title, company: company, location: location, remote: remote, salary: salary,
            datePosted: posted, description: description, url: url, addedAt: added, planTarget: target)
    }
}
