import Foundation
import GRDB
import Testing

@testable import SyntheticEHR

/// The generator: byte-identical output for a seed, the schema it promises, and a realistic shape,
/// each figure within a stated band (measured at 20,000 patients; docs/ehr.md gives the 100,000 figures).
@Suite struct GeneratorTests {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-ehr-tests-\(UUID())")

    static func generate(_ options: EHRGenerator.Options, name: String) throws -> (String, EHRGenerator.Summary) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        return (path, try EHRGenerator(options).generate(to: path))
    }

    /// One 20,000-patient database shared by the shape tests.
    static let shared: Result<(String, EHRGenerator.Summary), any Error> = Result {
        try generate(.init(patients: 20_000, seed: 11), name: "shape.sqlite")
    }

    static func database() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: try shared.get().0, configuration: configuration)
    }

    static func number(_ sql: String) throws -> Double {
        try database().read { try Double.fetchOne($0, sql: sql) } ?? .nan
    }

    static let age = "(julianday('2025-01-01') - julianday(birth_date)) / 365.25"

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        let (a, first) = try Self.generate(.init(patients: 1_500, seed: 42), name: "a.sqlite")
        let (b, _) = try Self.generate(.init(patients: 1_500, seed: 42), name: "b.sqlite")
        let (c, _) = try Self.generate(.init(patients: 1_500, seed: 43), name: "c.sqlite")
        let bytesA = try Data(contentsOf: URL(fileURLWithPath: a))
        #expect(bytesA == (try Data(contentsOf: URL(fileURLWithPath: b))))
        #expect(bytesA != (try Data(contentsOf: URL(fileURLWithPath: c))))
        #expect(first.patients == 1_500)
        #expect(first.rowsByTable["patients"] == 1_500)
        #expect(first.rows == first.rowsByTable.values.reduce(0, +))
        #expect(!FileManager.default.fileExists(atPath: a + ".partial-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test func shuffledIDsHideTheInsertOrderButKeepTheData() throws {
        let (plain, plainSummary) = try Self.generate(.init(patients: 1_000, seed: 5), name: "plain.sqlite")
        let (shuffled, shuffledSummary) = try Self.generate(
            .init(patients: 1_000, seed: 5, shuffledIDs: true), name: "shuffled.sqlite")
        #expect(plainSummary.rowsByTable == shuffledSummary.rowsByTable)
        let ids = try DatabaseQueue(path: shuffled).read { try Int.fetchAll($0, sql: "SELECT id FROM patients") }
        let plainIDs = try DatabaseQueue(path: plain).read { try Int.fetchAll($0, sql: "SELECT id FROM patients") }
        #expect(plainIDs == Array(1...1_000))
        #expect(Set(ids).count == ids.count && ids != Array(1...1_000) && (ids.max() ?? 0) > 1_000)
        let births = "SELECT birth_date FROM patients ORDER BY birth_date, mrn"
        #expect(
            try DatabaseQueue(path: plain).read { try String.fetchAll($0, sql: births) }
                == (try DatabaseQueue(path: shuffled).read { try String.fetchAll($0, sql: births) }))
        // Foreign keys still hold after the renumbering.
        let orphans = try DatabaseQueue(path: shuffled).read {
            try Int.fetchOne(
                $0,
                sql: "SELECT count(*) FROM encounters e LEFT JOIN patients p ON p.id = e.patient_id WHERE p.id IS NULL")
        }
        #expect(orphans == 0)
    }

    @Test func theSchemaIsTheDocumentedOneWithKeysButNotTheTuningIndexes() throws {
        try Self.database().read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
            #expect(tables == EHRSchema.tables.map(\.name).sorted())
            for table in EHRSchema.tables {
                let columns = try db.columns(in: table.name).map(\.name)
                #expect(columns == table.columns.map(\.name), "\(table.name)")
            }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            #expect(foreignKeys.isEmpty, "every reference points at a row")
            let indexes = try String.fetchAll(
                db,
                sql:
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'encounters' AND sql IS NOT NULL"
            )
            #expect(indexes == ["CREATE INDEX encounters_patient_id ON encounters(patient_id)"])
        }
    }

    @Test func agesAndSexesFollowACensusLikeDistribution() throws {
        let female = try Self.number("SELECT avg(sex = 'F') FROM patients")
        #expect((0.48...0.54).contains(female), "\(female)")
        let over65 = try Self.number("SELECT avg(\(Self.age) >= 65) FROM patients")
        #expect((0.15...0.21).contains(over65), "\(over65)")
        let children = try Self.number("SELECT avg(\(Self.age) < 18) FROM patients")
        #expect((0.19...0.26).contains(children), "\(children)")
    }

    @Test func aFewHeavyUsersHaveManyOfTheVisits() throws {
        let topShare = try Self.number(
            """
            WITH per AS (SELECT patient_id, count(*) AS n FROM encounters GROUP BY patient_id),
                 ranked AS (SELECT n, ntile(20) OVER (ORDER BY n DESC) AS band FROM per)
            SELECT 1.0 * sum(CASE WHEN band = 1 THEN n END) / sum(n) FROM ranked
            """)
        #expect(topShare > 0.2, "the top 5% of patients have \(topShare) of the visits")
        let none = try Self.number(
            "SELECT avg(id NOT IN (SELECT patient_id FROM encounters)) FROM patients")
        #expect((0.02...0.35).contains(none), "\(none) without a visit")
    }

    @Test func visitsFollowTheWeekTheClockAndTheSeasons() throws {
        let weekend = try Self.number(
            "SELECT avg(strftime('%w', admit_time) IN ('0', '6')) FROM encounters WHERE type = 'outpatient'")
        #expect(weekend < 0.1, "outpatient clinics are mostly closed at weekends: \(weekend)")
        let nightED = try Self.number(
            "SELECT avg(CAST(strftime('%H', admit_time) AS INTEGER) BETWEEN 0 AND 5) FROM encounters WHERE type = 'emergency'"
        )
        #expect((0.05...0.2).contains(nightED), "\(nightED) of emergency arrivals between midnight and 6")
        let winter = try Self.number(
            """
            SELECT 1.0 * sum(strftime('%m', admit_time) IN ('12', '01', '02'))
                 / sum(strftime('%m', admit_time) IN ('06', '07', '08'))
            FROM encounters WHERE type = 'inpatient'
            """)
        #expect(winter > 1.15, "winter over summer admissions: \(winter)")
    }

    @Test func lengthsOfStayAreSkewedLikeALogNormal() throws {
        let stays = try Self.database().read { db in
            try Double.fetchAll(
                db,
                sql: """
                    SELECT julianday(discharge_time) - julianday(admit_time) FROM encounters
                    WHERE type = 'inpatient' AND status = 'finished' AND discharge_time > admit_time
                    """)
        }.sorted()
        let mean = stays.reduce(0, +) / Double(stays.count)
        let median = stays[stays.count / 2]
        #expect((2.5...6).contains(median), "median stay \(median) days")
        #expect(mean > median * 1.05, "right-skewed: mean \(mean), median \(median)")
        let logs = stays.map { log($0) }
        let logMean = logs.reduce(0, +) / Double(logs.count)
        let logMedian = logs[logs.count / 2]
        #expect(abs(logMean - logMedian) < 0.15, "the logarithm is roughly symmetric: \(logMean) vs \(logMedian)")
    }

    @Test func labValuesDependOnConditions() throws {
        let diabetic = try Self.number(
            """
            SELECT avg(value) FROM observations WHERE loinc_code = '4548-4'
              AND patient_id IN (SELECT patient_id FROM conditions WHERE icd10_code LIKE 'E11%')
            """)
        let others = try Self.number(
            """
            SELECT avg(value) FROM observations WHERE loinc_code = '4548-4'
              AND patient_id NOT IN (SELECT patient_id FROM conditions WHERE icd10_code LIKE 'E11%')
            """)
        #expect(diabetic > others + 1.5, "HbA1c \(diabetic)% with diabetes, \(others)% without")
        #expect((4.8...6.0).contains(others))
    }

    @Test func heartFailureCOPDAndPneumoniaAreReadmittedAtRealisticRates() throws {
        let rate = try Self.number(
            """
            SELECT avg(EXISTS (
                     SELECT 1 FROM encounters r
                     WHERE r.patient_id = e.patient_id AND r.type = 'inpatient' AND r.status = 'finished'
                       AND r.admit_time > e.discharge_time
                       AND julianday(r.admit_time) - julianday(e.discharge_time) <= 30))
            FROM encounters e
            WHERE e.type = 'inpatient' AND e.status = 'finished' AND e.primary_diagnosis IN ('I50.9', 'J44.1', 'J18.9')
              AND e.discharge_time > e.admit_time AND e.discharge_time < '2024-12-02'
            """)
        #expect((0.14...0.21).contains(rate), "30-day readmission \(rate)")
    }

    @Test func aMinorityOfClaimsIsDeniedWithAReason() throws {
        let denied = try Self.number("SELECT avg(status = 'denied') FROM claims")
        #expect((0.04...0.15).contains(denied), "\(denied)")
        #expect(try Self.number("SELECT count(*) FROM claims WHERE status = 'denied' AND denial_reason IS NULL") == 0)
        #expect(try Self.number("SELECT count(*) FROM claims WHERE status = 'paid' AND paid > allowed + 0.005") == 0)
        let spread = try Self.number(
            "SELECT max(r) - min(r) FROM (SELECT avg(status = 'denied') AS r FROM claims GROUP BY payer_id)")
        #expect(spread > 0.03, "payers deny at different rates")
    }

    @Test func theDataQualityProblemsArePlantedAsDocumented() throws {
        // Missing completely at random: phone about 8%, whatever the age.
        let phone = try Self.number("SELECT avg(phone IS NULL) FROM patients")
        #expect((0.06...0.1).contains(phone), "\(phone)")
        let phoneYoung = try Self.number("SELECT avg(phone IS NULL) FROM patients WHERE \(Self.age) < 65")
        let phoneOld = try Self.number("SELECT avg(phone IS NULL) FROM patients WHERE \(Self.age) >= 65")
        #expect(abs(phoneYoung - phoneOld) < 0.03)
        // Missing at random: race is missing more often at 65 and over (about 4% and 15%).
        let raceYoung = try Self.number("SELECT avg(race IS NULL) FROM patients WHERE \(Self.age) < 65")
        let raceOld = try Self.number("SELECT avg(race IS NULL) FROM patients WHERE \(Self.age) >= 65")
        #expect((0.02...0.06).contains(raceYoung) && (0.11...0.19).contains(raceOld), "\(raceYoung) vs \(raceOld)")
        // Missing provider: more often in the emergency department.
        let edProvider = try Self.number("SELECT avg(provider_id IS NULL) FROM encounters WHERE type = 'emergency'")
        #expect((0.1...0.2).contains(edProvider))
        // Impossible values.
        #expect(try Self.number("SELECT count(*) FROM patients WHERE birth_date > '2025-01-01'") >= 1)
        #expect(try Self.number("SELECT count(*) FROM encounters WHERE discharge_time < admit_time") >= 5)
        // Unit mix-ups: glucose in mmol/L, creatinine in umol/L, on the scale of those units.
        let mmol = try Self.number(
            "SELECT avg(value) FROM observations WHERE loinc_code = '2345-7' AND unit = 'mmol/L'")
        #expect((3...15).contains(mmol), "glucose in mmol/L averages \(mmol)")
        #expect(
            try Self.number("SELECT count(*) FROM observations WHERE loinc_code = '2160-0' AND unit = 'umol/L'") >= 10)
        // Duplicate patients: same birth date and sex, a spelling or formatting variant of the name.
        let duplicates = try Self.number(
            """
            SELECT count(*) FROM patients a JOIN patients b
              ON a.birth_date = b.birth_date AND a.sex = b.sex AND a.id < b.id
             AND upper(substr(a.last_name, 1, 3)) = upper(substr(b.last_name, 1, 3))
             AND upper(substr(a.first_name, 1, 1)) = upper(substr(b.first_name, 1, 1))
            """)
        #expect(duplicates >= 40, "\(duplicates) likely duplicate pairs")
        // Decimal slips go both ways: glucose is drawn at 45 mg/dL or more, so anything lower slipped
        // down (the labs' databases hold 11 and 2 such results beyond 2.5 SD; a 4-SD low tail cannot exist).
        let slippedDown = try Self.number(
            "SELECT count(*) FROM observations WHERE loinc_code = '2345-7' AND unit = 'mg/dL' AND value < 45")
        #expect(slippedDown >= 1, "no glucose result slipped ten times too small")
        // Three diabetic patients' latest HbA1c of the second half of 2024 is withdrawn, hiding a high one.
        let withdrawn = try Self.number(
            """
            WITH r AS (
              SELECT patient_id, value, ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY observed_at DESC, id DESC) AS n
              FROM observations WHERE loinc_code = '4548-4' AND observed_at >= '2024-07-01')
            SELECT count(*) FROM r a JOIN r b ON b.patient_id = a.patient_id AND b.n = 2
            WHERE a.n = 1 AND a.value IS NULL AND b.value > 9
            """)
        #expect(withdrawn >= 3, "\(withdrawn) withdrawn latest HbA1c results")
    }
}
