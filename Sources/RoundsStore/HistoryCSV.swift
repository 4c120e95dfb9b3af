import Foundation
import RoundsCore

/// A learner's history as CSV files (RFC 4180: comma-separated, double quotes around fields that need
/// them), one file per table, so it opens in a spreadsheet. Dates are ISO 8601 with milliseconds, UTC.
public enum HistoryCSV {
    public static let files = [
        "learner.csv", "sessions.csv", "attempts.csv", "reviews.csv", "lab-attempts.csv", "openings.csv",
        "company-notes.csv",
    ]

    public enum Failure: Error, CustomStringConvertible {
        case missingFile(String)
        case badRow(file: String, line: Int, reason: String)

        public var description: String {
            switch self {
            case .missingFile(let name):
                "the CSV folder has no \(name); export writes \(HistoryCSV.files.joined(separator: ", "))."
            case .badRow(let file, let line, let reason): "\(file):\(line): \(reason)."
            }
        }
    }

    /// Writes the files into `folder`, creating it if needed.
    public static func write(_ export: LearnerExport, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in tables(export) {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
    }

    /// The files' names and texts, in the order of ``files``.
    public static func tables(_ export: LearnerExport) -> [(name: String, text: String)] {
        let learner = export.learner
        let tables: [(String, [String], [[String]])] = [
            (
                "learner.csv",
                [
                    "id", "name", "created_at", "target_role", "interview_date", "desired_retention", "hours_per_week",
                    "exported_at", "level",
                ],
                [
                    [
                        "\(learner.id)", learner.name, date(learner.createdAt), learner.settings.targetRole ?? "",
                        learner.settings.interviewDate ?? "", "\(learner.settings.desiredRetention)",
                        learner.settings.hoursPerWeek.map { "\($0)" } ?? "", date(export.exportedAt),
                        learner.settings.level?.rawValue ?? "",
                    ]
                ]
            ),
            (
                "sessions.csv", ["id", "kind", "started_at", "ended_at", "role", "level", "minutes"],
                export.sessions.map {
                    [
                        "\($0.id)", $0.kind.rawValue, date($0.startedAt), $0.endedAt.map(date) ?? "", $0.role ?? "",
                        $0.level?.rawValue ?? "", $0.minutes.map(String.init) ?? "",
                    ]
                }
            ),
            (
                "attempts.csv",
                [
                    "id", "question_id", "session_id", "answered_at", "score", "band", "rating", "rating_overridden",
                    "seconds_taken", "summary", "answer",
                ],
                export.attempts.map {
                    [
                        "\($0.id)", $0.questionID, $0.sessionID.map(String.init) ?? "", date($0.answeredAt),
                        "\($0.score)", "\($0.band)",
                        "\($0.rating.rawValue)", $0.ratingOverridden ? "true" : "false",
                        $0.secondsTaken.map(String.init) ?? "", $0.summary,
                        $0.answer,
                    ]
                }
            ),
            (
                "reviews.csv",
                [
                    "id", "question_id", "attempt_id", "reviewed_at", "rating", "phase", "step", "stability",
                    "difficulty", "due_at", "last_review_at",
                ],
                export.reviews.map {
                    [
                        "\($0.id)", $0.questionID, $0.attemptID.map(String.init) ?? "", date($0.reviewedAt),
                        "\($0.rating.rawValue)",
                        $0.card.phase.rawValue, $0.card.step.map(String.init) ?? "",
                        "\($0.card.memory?.stability ?? 0)",
                        "\($0.card.memory?.difficulty ?? 0)", date($0.card.due), $0.card.lastReview.map(date) ?? "",
                    ]
                }
            ),
            (
                "lab-attempts.csv", ["id", "lab_id", "submitted_at", "accepted", "score", "findings", "submission"],
                export.labAttempts.map {
                    [
                        "\($0.id)", $0.labID, date($0.submittedAt), $0.accepted ? "true" : "false", "\($0.score)",
                        String(decoding: (try? JSONEncoder().encode($0.findings)) ?? Data("[]".utf8), as: UTF8.self),
                        $0.submission,
                    ]
                }
            ),
            (
                // The columns `rounds openings import` reads, then what only an export has.
                "openings.csv", OpeningImport.columns + OpeningImport.exportColumns,
                export.openings.map { opening in
                    let salary = opening.salary
                    return [
                        opening.title, opening.company, opening.description, opening.location ?? "",
                        opening.remote ? "yes" : "no", salary.map { "\($0.minimum)" } ?? "",
                        salary.map { "\($0.maximum)" } ?? "", salary?.currency ?? "", salary?.period.rawValue ?? "",
                        opening.datePosted ?? "", opening.url ?? "", date(opening.addedAt),
                        opening.planTarget ? "yes" : "no",
                    ]
                }
            ),
            (
                "company-notes.csv", ["company", "tech_stack", "interview_format", "people", "updated_at"],
                export.companyNotes.map {
                    [$0.company, $0.techStack, $0.interviewFormat, $0.people, date($0.updatedAt)]
                }
            ),
        ]
        return tables.map { name, header, rows in
            (name, ([header] + rows).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n")
        }
    }

    /// Reads the files back; lab-attempts.csv, openings.csv and company-notes.csv may be missing (exports
    /// made before labs or openings).
    public static func read(from folder: URL) throws -> LearnerExport {
        func table(_ name: String) throws -> [[String: String]] {
            let url = folder.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw Failure.missingFile(name) }
            let rows: [[String]]
            do {
                rows = try CSVText.records(text).map(\.fields)
            } catch {
                throw Failure.badRow(file: name, line: error.line, reason: error.description)
            }
            guard let header = rows.first else { return [] }
            return rows.dropFirst().map {
                Dictionary(
                    uniqueKeysWithValues: zip(header, $0 + Array(repeating: "", count: max(0, header.count - $0.count)))
                )
            }
        }
        func need<T>(_ value: T?, _ file: String, _ line: Int, _ field: String) throws -> T {
            guard let value else {
                throw Failure.badRow(file: file, line: line, reason: "`\(field)` is missing or malformed")
            }
            return value
        }
        let learnerRow = try need(try table("learner.csv").first, "learner.csv", 2, "the learner row")
        let learner = Learner(
            id: try need(Int64(learnerRow["id"] ?? ""), "learner.csv", 2, "id"), name: learnerRow["name"] ?? "",
            createdAt: try need(parseDate(learnerRow["created_at"]), "learner.csv", 2, "created_at"),
            settings: LearnerSettings(
                targetRole: nonEmpty(learnerRow["target_role"]), interviewDate: nonEmpty(learnerRow["interview_date"]),
                desiredRetention: Double(learnerRow["desired_retention"] ?? "") ?? 0.9,
                hoursPerWeek: Double(learnerRow["hours_per_week"] ?? ""),
                level: learnerRow["level"].flatMap(Level.init(rawValue:))))
        let exportedAt = parseDate(learnerRow["exported_at"]) ?? Date()
        var sessions: [PracticeSession] = []
        for (index, row) in try table("sessions.csv").enumerated() {
            let line = index + 2
            sessions.append(
                PracticeSession(
                    id: try need(Int64(row["id"] ?? ""), "sessions.csv", line, "id"), learnerID: learner.id,
                    kind: try need(PracticeSession.Kind(rawValue: row["kind"] ?? ""), "sessions.csv", line, "kind"),
                    startedAt: try need(parseDate(row["started_at"]), "sessions.csv", line, "started_at"),
                    endedAt: parseDate(row["ended_at"]), role: nonEmpty(row["role"]),
                    level: nonEmpty(row["level"]).flatMap(Level.init(rawValue:)), minutes: Int(row["minutes"] ?? "")))
        }
        var attempts: [Attempt] = []
        for (index, row) in try table("attempts.csv").enumerated() {
            let line = index + 2
            attempts.append(
                Attempt(
                    id: try need(Int64(row["id"] ?? ""), "attempts.csv", line, "id"), learnerID: learner.id,
                    questionID: try need(nonEmpty(row["question_id"]), "attempts.csv", line, "question_id"),
                    sessionID: Int64(row["session_id"] ?? ""),
                    answeredAt: try need(parseDate(row["answered_at"]), "attempts.csv", line, "answered_at"),
                    answer: row["answer"] ?? "",
                    score: try need(Int(row["score"] ?? ""), "attempts.csv", line, "score"),
                    band: try need(Int(row["band"] ?? ""), "attempts.csv", line, "band"),
                    rating: try need(
                        Int(row["rating"] ?? "").flatMap(Rating.init(rawValue:)), "attempts.csv", line, "rating"),
                    ratingOverridden: row["rating_overridden"] == "true", secondsTaken: Int(row["seconds_taken"] ?? ""),
                    summary: row["summary"] ?? ""))
        }
        var reviews: [Review] = []
        for (index, row) in try table("reviews.csv").enumerated() {
            let line = index + 2
            let memory = MemoryState(
                stability: try need(Double(row["stability"] ?? ""), "reviews.csv", line, "stability"),
                difficulty: try need(Double(row["difficulty"] ?? ""), "reviews.csv", line, "difficulty"))
            let card = ReviewCard(
                phase: try need(ReviewCard.Phase(rawValue: row["phase"] ?? ""), "reviews.csv", line, "phase"),
                step: Int(row["step"] ?? ""), memory: memory,
                due: try need(parseDate(row["due_at"]), "reviews.csv", line, "due_at"),
                lastReview: parseDate(row["last_review_at"]))
            reviews.append(
                Review(
                    id: try need(Int64(row["id"] ?? ""), "reviews.csv", line, "id"), learnerID: learner.id,
                    questionID: try need(nonEmpty(row["question_id"]), "reviews.csv", line, "question_id"),
                    attemptID: Int64(row["attempt_id"] ?? ""),
                    reviewedAt: try need(parseDate(row["reviewed_at"]), "reviews.csv", line, "reviewed_at"),
                    rating: try need(
                        Int(row["rating"] ?? "").flatMap(Rating.init(rawValue:)), "reviews.csv", line, "rating"),
                    card: card))
        }
        var labAttempts: [LabAttempt] = []
        let labRows =
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("lab-attempts.csv").path)
            ? try table("lab-attempts.csv") : []
        for (index, row) in labRows.enumerated() {
            let line = index + 2
            let findings = try need(
                try? JSONDecoder().decode([LabResult.Finding].self, from: Data((row["findings"] ?? "").utf8)),
                "lab-attempts.csv", line, "findings")
            var attempt = LabAttempt(
                id: try need(Int64(row["id"] ?? ""), "lab-attempts.csv", line, "id"), learnerID: learner.id,
                labID: try need(nonEmpty(row["lab_id"]), "lab-attempts.csv", line, "lab_id"),
                submittedAt: try need(parseDate(row["submitted_at"]), "lab-attempts.csv", line, "submitted_at"),
                submission: row["submission"] ?? "", result: LabResult(findings: findings))
            attempt.accepted = row["accepted"] == "true"
            attempt.score = try need(Int(row["score"] ?? ""), "lab-attempts.csv", line, "score")
            labAttempts.append(attempt)
        }
        func optionalTable(_ name: String) throws -> [[String: String]] {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) ? try table(name) : []
        }
        var openings: [Opening] = []
        for (index, row) in try optionalTable("openings.csv").enumerated() {
            let line = index + 2
            do {
                var opening = try OpeningImport.opening(fields: row, place: "line \(line)", now: exportedAt)
                opening.addedAt = try need(parseDate(row["added_at"]), "openings.csv", line, "added_at")
                opening.planTarget = row["plan_target"] == "yes"
                openings.append(opening)
            } catch let failure as OpeningImport.Failure {
                throw Failure.badRow(
                    file: "openings.csv", line: line,
                    reason: failure.problems.map { "\($0.problem) \($0.fix)" }.joined(separator: " "))
            }
        }
        var notes: [CompanyNote] = []
        for (index, row) in try optionalTable("company-notes.csv").enumerated() {
            let line = index + 2
            notes.append(
                CompanyNote(
                    company: try need(nonEmpty(row["company"]), "company-notes.csv", line, "company"),
                    techStack: row["tech_stack"] ?? "", interviewFormat: row["interview_format"] ?? "",
                    people: row["people"] ?? "",
                    updatedAt: try need(parseDate(row["updated_at"]), "company-notes.csv", line, "updated_at")))
        }
        return LearnerExport(
            exportedAt: exportedAt, learner: learner, sessions: sessions, attempts: attempts, reviews: reviews,
            labAttempts: labAttempts, openings: openings, companyNotes: notes)
    }

    static func quote(_ field: String) -> String { CSVText.quote(field) }

    static func date(_ date: Date) -> String { ExportCoding.format(date) }
    static func parseDate(_ text: String?) -> Date? { text.flatMap(ExportCoding.parse) }
    static func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
}

/// Dates in exports: ISO 8601 in UTC with milliseconds, the precision the database keeps.
public enum ExportCoding {
    /// ISO 8601 in UTC with milliseconds, rounded to the nearest millisecond. Foundation's formatter
    /// truncates, and a time read back from ".208" is a hair under 0.208 s in binary, so without the
    /// rounding an export, import and export again could print ".207".
    public static func format(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let base = Date(timeIntervalSince1970: seconds).formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        let fraction = Int(milliseconds - seconds * 1000)
        return base.dropLast() + "." + String(fraction + 1000).dropFirst() + "Z"
    }

    /// Reads what ``format(_:)`` writes (and plain ISO 8601). The result sits a tenth of a microsecond
    /// above its millisecond, so that storage which truncates to milliseconds keeps the same one.
    public static func parse(_ text: String) -> Date? {
        let date =
            (try? Date(
                text,
                strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(
                    separator: .omitted))) ?? (try? Date(text, strategy: .iso8601))
        guard let date else { return nil }
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000 + 1e-7)
    }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "`\(text)` is not an ISO 8601 date")
            }
            return date
        }
        return decoder
    }
}
