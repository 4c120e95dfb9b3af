import Foundation
import GRDB
import RoundsCore

extension SQLiteStore {
    static let openingColumns = """
        id, title, company, location, remote, salary_min, salary_max, salary_currency, salary_period, date_posted,
        description, url, added_at, plan_target
        """

    public func addOpenings(_ openings: [Opening], learnerID: Int64) async throws -> [Opening] {
        try await write { db in
            let kept = try Row.fetchAll(
                db, sql: "SELECT \(Self.openingColumns) FROM opening WHERE learner_id = ?", arguments: [learnerID]
            ).map(Self.opening)
            var known = kept
            var added: [Opening] = []
            for opening in openings where !known.contains(where: { $0.isSamePosting(as: opening) }) {
                known.append(opening)
                added.append(opening)
            }
            guard known.count <= Opening.perLearnerLimit else {
                throw OpeningLimitReached(limit: Opening.perLearnerLimit)
            }
            return try added.map { opening in
                try db.execute(
                    sql: """
                        INSERT INTO opening (learner_id, title, company, location, remote, salary_min, salary_max,
                            salary_currency, salary_period, date_posted, description, url, added_at, plan_target)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                        """,
                    arguments: [
                        learnerID, opening.title, opening.company, opening.location, opening.remote,
                        opening.salary?.minimum, opening.salary?.maximum, opening.salary?.currency,
                        opening.salary?.period.rawValue, opening.datePosted, opening.description, opening.url,
                        opening.addedAt.timeIntervalSince1970,
                    ])
                var saved = opening
                saved.id = db.lastInsertedRowID
                saved.planTarget = false
                return saved
            }
        }
    }

    public func openings(learnerID: Int64) async throws -> [Opening] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.openingColumns) FROM opening WHERE learner_id = ? ORDER BY added_at DESC, id DESC",
                arguments: [learnerID]
            ).map(Self.opening)
        }
    }

    public func opening(id: Int64, learnerID: Int64) async throws -> Opening? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.openingColumns) FROM opening WHERE id = ? AND learner_id = ?",
                arguments: [id, learnerID]
            ).map(Self.opening)
        }
    }

    public func planTarget(learnerID: Int64) async throws -> Opening? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.openingColumns) FROM opening WHERE learner_id = ? AND plan_target = 1",
                arguments: [learnerID]
            ).map(Self.opening)
        }
    }

    @discardableResult
    public func deleteOpening(id: Int64, learnerID: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM opening WHERE id = ? AND learner_id = ?", arguments: [id, learnerID])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func setPlanTarget(openingID: Int64?, learnerID: Int64) async throws -> Bool {
        try await write { db in
            if let openingID {
                guard
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM opening WHERE id = ? AND learner_id = ?",
                        arguments: [openingID, learnerID])
                        != nil
                else { return false }
            }
            try db.execute(
                sql: "UPDATE opening SET plan_target = 0 WHERE learner_id = ? AND plan_target = 1",
                arguments: [learnerID])
            if let openingID {
                try db.execute(
                    sql: "UPDATE opening SET plan_target = 1 WHERE id = ? AND learner_id = ?",
                    arguments: [openingID, learnerID])
            }
            return true
        }
    }

    public func saveCompanyNote(_ note: CompanyNote, learnerID: Int64) async throws {
        try await write { db in
            let key = note.company.lowercased()
            if note.isEmpty {
                try db.execute(
                    sql: "DELETE FROM company_note WHERE learner_id = ? AND company_key = ?",
                    arguments: [learnerID, key])
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO company_note (learner_id, company_key, company, tech_stack, interview_format, people, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (learner_id, company_key) DO UPDATE SET company = excluded.company,
                        tech_stack = excluded.tech_stack, interview_format = excluded.interview_format,
                        people = excluded.people, updated_at = excluded.updated_at
                    """,
                arguments: [
                    learnerID, key, note.company, note.techStack, note.interviewFormat, note.people,
                    note.updatedAt.timeIntervalSince1970,
                ])
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM company_note WHERE learner_id = ?", arguments: [learnerID]) ?? 0
            if count > CompanyNote.perLearnerLimit {
                throw OpeningLimitReached(limit: CompanyNote.perLearnerLimit, what: "company notes")
            }
        }
    }

    public func companyNotes(learnerID: Int64) async throws -> [CompanyNote] {
        try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT company, tech_stack, interview_format, people, updated_at FROM company_note
                    WHERE learner_id = ? ORDER BY company_key
                    """,
                arguments: [learnerID]
            ).map { row in
                CompanyNote(
                    company: row["company"], techStack: row["tech_stack"], interviewFormat: row["interview_format"],
                    people: row["people"], updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }

    static func opening(_ row: Row) -> Opening {
        var salary: Salary?
        if let minimum: Double = row["salary_min"], let maximum: Double = row["salary_max"],
            let currency: String = row["salary_currency"],
            let period = Salary.Period(rawValue: row["salary_period"] ?? "")
        {
            salary = Salary(minimum: minimum, maximum: maximum, currency: currency, period: period)
        }
        return Opening(
            id: row["id"], title: row["title"], company: row["company"], location: row["location"],
            remote: row["remote"],
            salary: salary, datePosted: row["date_posted"], description: row["description"], url: row["url"],
            addedAt: Date(timeIntervalSince1970: row["added_at"]), planTarget: row["plan_target"])
    }
}
