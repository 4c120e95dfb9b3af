import GRDBSQLite

/// Ties planted after the load, so that labs about "the top one" meet a tie on every database.
///
/// Random data almost never ties exactly, so a query that breaks ties the wrong way (or keeps both
/// with RANK) would pass unseen. Three small edits, each made by moving a few rows from one group to
/// another in the way the data's own mechanisms could have produced them:
///
/// - denials: for the payer with the most denials, paid claims of that payer become denials with the
///   second most common reason until it ties with the first;
/// - emergency diagnoses: emergency visits of the most common diagnosis are recoded to a less common
///   one until it ties with the tenth, choosing one whose code and description orders disagree;
/// - providers: in the department with the most finished 2024 visits, visits of a third provider are
///   reassigned to the second until the top two tie.
///
/// One more edit is not a tie but needs the whole load the same way: a withdrawn latest HbA1c (see
/// `withdrawnLatestHbA1c`).
///
/// docs/ehr.md lists them with the other planted problems.
enum PlantedTies {
    static func plant(on connection: BulkConnection) throws {
        try denials(connection)
        try emergencyDiagnoses(connection)
        try providers(connection)
        try withdrawnLatestHbA1c(connection)
    }

    /// For three diabetic patients whose next-to-last HbA1c result of the second half of 2024 is over
    /// 9, the last is withdrawn (no value), as a haemolysed sample would be. Their latest result with a
    /// value is then over 9, and a query that picks the latest row before dropping the rows without a
    /// value loses them.
    static func withdrawnLatestHbA1c(_ db: BulkConnection) throws {
        try db.execute(
            """
            UPDATE observations SET value = NULL WHERE id IN (
              WITH ranked AS (
                SELECT id, patient_id, value,
                       ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY observed_at DESC, id DESC) AS position
                FROM observations
                WHERE loinc_code = '4548-4' AND value IS NOT NULL AND observed_at >= '2024-07-01'
                  AND patient_id IN (SELECT patient_id FROM conditions WHERE icd10_code IN ('E11.9', 'E11.65')))
              SELECT last.id FROM ranked last
              JOIN ranked before ON before.patient_id = last.patient_id AND before.position = 2
              WHERE last.position = 1 AND before.value > 9
              ORDER BY last.id LIMIT 3)
            """)
    }

    static func denials(_ db: BulkConnection) throws {
        guard
            let payer = try db.rows(
                "SELECT payer_id FROM claims WHERE status = 'denied' GROUP BY payer_id ORDER BY COUNT(*) DESC LIMIT 1"
            ).first?.first
        else { return }
        let reasons = try db.rows(
            "SELECT denial_reason, COUNT(*) FROM claims WHERE status = 'denied' AND payer_id = \(payer) GROUP BY denial_reason ORDER BY COUNT(*) DESC, denial_reason LIMIT 2"
        )
        guard reasons.count == 2, let first = Int(reasons[0][1]), let second = Int(reasons[1][1]), first > second
        else { return }
        let reason = reasons[1][0].replacingOccurrences(of: "'", with: "''")
        try db.execute(
            """
            UPDATE claims SET status = 'denied', allowed = 0, paid = 0, denial_reason = '\(reason)'
            WHERE id IN (SELECT id FROM claims WHERE payer_id = \(payer) AND status = 'paid' ORDER BY id LIMIT \(first - second))
            """)
    }

    static func emergencyDiagnoses(_ db: BulkConnection) throws {
        let ranked = try db.rows(
            """
            SELECT e.primary_diagnosis, d.description, COUNT(*) FROM encounters e
            JOIN diagnosis_codes d ON d.code = e.primary_diagnosis
            WHERE e.type = 'emergency' GROUP BY e.primary_diagnosis, d.description
            ORDER BY COUNT(*) DESC, e.primary_diagnosis
            """)
        guard ranked.count >= 11 else { return }
        // The tenth and a later diagnosis whose order by code differs from their order by description;
        // the visits come from the most common diagnosis, which stays first.
        let tenth = ranked[9]
        let donor = ranked[0]
        guard
            let later = ranked[10...].first(where: { ($0[0] < tenth[0]) != ($0[1] < tenth[1]) }),
            let target = Int(tenth[2]), let count = Int(later[2]), target > count,
            let spare = Int(donor[2]), let runnerUp = Int(ranked[1][2]), spare - (target - count) > runnerUp
        else { return }
        let ids =
            "SELECT id FROM encounters WHERE type = 'emergency' AND primary_diagnosis = '\(donor[0])' ORDER BY id LIMIT \(target - count)"
        try db.execute(
            "UPDATE conditions SET icd10_code = '\(later[0])' WHERE icd10_code = '\(donor[0])' AND encounter_id IN (\(ids))"
        )
        try db.execute("UPDATE encounters SET primary_diagnosis = '\(later[0])' WHERE id IN (\(ids))")
    }

    static func providers(_ db: BulkConnection) throws {
        let finished2024 =
            "status = 'finished' AND provider_id IS NOT NULL AND admit_time >= '2024-01-01' AND admit_time < '2025-01-01'"
        guard
            let department = try db.rows(
                "SELECT department_id FROM encounters WHERE \(finished2024) GROUP BY department_id ORDER BY COUNT(*) DESC LIMIT 1"
            ).first?.first
        else { return }
        let counts = try db.rows(
            "SELECT provider_id, COUNT(*) FROM encounters WHERE \(finished2024) AND department_id = \(department) GROUP BY provider_id ORDER BY COUNT(*) DESC, provider_id LIMIT 3"
        )
        guard counts.count == 3, let top = Int(counts[0][1]), let second = Int(counts[1][1]),
            let third = Int(counts[2][1]), top > second, third >= top - second
        else { return }
        try db.execute(
            """
            UPDATE encounters SET provider_id = \(counts[1][0])
            WHERE id IN (SELECT id FROM encounters WHERE \(finished2024) AND department_id = \(department)
                         AND provider_id = \(counts[2][0]) ORDER BY id LIMIT \(top - second))
            """)
    }
}

extension BulkConnection {
    /// Every row of a query, each value as text.
    func rows(_ sql: String) throws -> [[String]] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        var rows: [[String]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
                })
        }
        return rows
    }
}
