import Foundation
import GRDBSQLite

/// Writes a synthetic EHR into a new SQLite file, streaming patient by patient so memory stays flat
/// however many rows are asked for. The same options give a byte-identical file.
///
/// The data covers 2023-01-01 to 2024-12-31; "today" is 2025-01-01. What is realistic and what is
/// planted for the data-quality labs is listed in docs/ehr.md.
public struct EHRGenerator: Sendable {
    public struct Options: Sendable {
        /// Stop after this many patients (their visits follow) …
        public var patients: Int?
        /// … or after this many visit rows (patients are added until there are that many).
        public var visits: Int?
        public var seed: UInt64
        /// Hidden variants: ids are a permutation (not creation order), so rows come back in another
        /// implicit order and hard-coded ids mean nothing.
        public var shuffledIDs: Bool
        /// Build the foreign-key indexes after the load.
        public var indexes: Bool
        /// Write only these tables (and the small reference tables); nil for all.
        public var tables: Set<String>?

        public init(
            patients: Int? = nil, visits: Int? = nil, seed: UInt64 = 1, shuffledIDs: Bool = false, indexes: Bool = true,
            tables: Set<String>? = nil
        ) {
            self.tables = tables
            self.patients = patients
            self.visits = visits
            self.seed = seed
            self.shuffledIDs = shuffledIDs
            self.indexes = indexes
        }
    }

    public struct Progress: Sendable {
        public let rows: Int
        public let visits: Int
        public let patients: Int
        /// Done so far, 0–1, when the target is known.
        public let fraction: Double
        public let phase: String
    }

    public struct Summary: Sendable, Codable {
        public let path: String
        public let seed: UInt64
        public let patients: Int
        public let visits: Int
        public let rows: Int
        public let rowsByTable: [String: Int]
        /// Seconds spent writing rows, and then building indexes.
        public let loadSeconds: Double
        public let indexSeconds: Double
        public var seconds: Double { loadSeconds + indexSeconds }
    }

    /// The first and last day of the data, and "today" for questions about recent data.
    public static let firstDay = CivilTime.day(year: 2023, month: 1, day: 1)
    public static let lastDay = CivilTime.day(year: 2024, month: 12, day: 31)
    public static let today = "2025-01-01"

    public let options: Options

    public init(_ options: Options) { self.options = options }

    /// Writes the database to `path` (replacing it), through a temporary file renamed at the end.
    @discardableResult
    public func generate(to path: String, progress: (@Sendable (Progress) -> Void)? = nil) throws -> Summary {
        if options.patients == nil && options.visits == nil {
            throw EHRError("say how big: --patients N or --visits N.")
        }
        if let patients = options.patients, !(1...50_000_000).contains(patients) {
            throw EHRError("--patients must be between 1 and 50,000,000; it was \(patients).")
        }
        if let visits = options.visits, !(1...200_000_000).contains(visits) {
            throw EHRError("--visits must be between 1 and 200,000,000; it was \(visits).")
        }
        // The process id keeps two processes that build the same file apart; the last rename wins,
        // and both wrote the same bytes.
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: temporary)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EHRError("cannot create the folder \(folder.path): \(error.localizedDescription)")
        }
        let started = Date()
        var rowsByTable: [String: Int] = [:]
        var patients = 0
        var visits = 0
        var indexSeconds = 0.0
        do {
            let connection = try BulkConnection(path: temporary)
            try connection.execute(
                """
                PRAGMA page_size = 4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;
                """)
            for table in EHRSchema.tables { try connection.execute(table.createSQL) }
            try connection.execute("BEGIN")
            let writer = BatchWriter(connection: connection)
            defer { writer.stop() }
            var run = try Run(options: options, writer: writer, progress: progress)
            try run.writeAll()
            try writer.drain()
            // The ties need every table; the tuning database (a subset) has no tie-breaking labs.
            if options.tables == nil { try PlantedTies.plant(on: connection) }
            try connection.execute("COMMIT")
            rowsByTable = run.rowCounts
            patients = run.patientCount
            visits = run.visitCount
            let loaded = Date()
            if options.indexes {
                progress?(Progress(rows: run.rows, visits: visits, patients: patients, fraction: 1, phase: "indexing"))
                // Index builds sort through temporary files, not memory: at 10 million visits the in-memory
                // sorter held 575 MB and was slower (1 million visits: 3.9–4.5 s against 5.9–6.7 s).
                try connection.execute("PRAGMA temp_store = FILE")
                for table in EHRSchema.tables where options.tables?.contains(table.name) ?? true {
                    for sql in table.indexSQL { try connection.execute(sql) }
                }
            }
            // Statistics for the query planner, as a maintained database would have.
            try connection.execute("ANALYZE")
            // Give up the exclusive lock now (it goes at the next read), whenever the handle is freed.
            try connection.execute("PRAGMA locking_mode = NORMAL; SELECT count(*) FROM sqlite_master")
            indexSeconds = Date().timeIntervalSince(loaded)
        }
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        let total = Date().timeIntervalSince(started)
        return Summary(
            path: path, seed: options.seed, patients: patients, visits: visits,
            rows: rowsByTable.values.reduce(0, +), rowsByTable: rowsByTable, loadSeconds: total - indexSeconds,
            indexSeconds: indexSeconds)
    }
}

// MARK: - The run

/// One generation: the random stream, the prepared inserts, and the counters.
private struct Run {
    let options: EHRGenerator.Options
    let writer: BatchWriter
    let progress: (@Sendable (EHRGenerator.Progress) -> Void)?
    var random: SeededRandom

    let patients, coverage, encounters, conditions, observations, medications, procedures, claims, claimLines,
        bedDays: Inserter
    var next = Counters()
    var visitCount = 0
    var patientCount = 0
    /// Inpatients in a bed at each midnight, by ward and day, to size the wards afterwards.
    var census: [[Int32]]
    let expectedPatients: Int

    struct Counters {
        var patient = 0
        var coverage = 0
        var encounter = 0
        var condition = 0
        var observation = 0
        var medication = 0
        var procedure = 0
        var claim = 0
        var claimLine = 0
        var bedDay = 0
    }

    init(
        options: EHRGenerator.Options, writer: BatchWriter,
        progress: (@Sendable (EHRGenerator.Progress) -> Void)?
    ) throws {
        self.options = options
        self.writer = writer
        self.progress = progress
        random = SeededRandom(seed: options.seed)
        patients = try Inserter(EHRSchema.patients, on: writer, enabled: options.tables?.contains("patients") ?? true)
        coverage = try Inserter(EHRSchema.coverage, on: writer, enabled: options.tables?.contains("coverage") ?? true)
        encounters = try Inserter(
            EHRSchema.encounters, on: writer, enabled: options.tables?.contains("encounters") ?? true)
        conditions = try Inserter(
            EHRSchema.conditions, on: writer, enabled: options.tables?.contains("conditions") ?? true)
        observations = try Inserter(
            EHRSchema.observations, on: writer, enabled: options.tables?.contains("observations") ?? true)
        medications = try Inserter(
            EHRSchema.medications, on: writer, enabled: options.tables?.contains("medications") ?? true)
        procedures = try Inserter(
            EHRSchema.procedures, on: writer, enabled: options.tables?.contains("procedures") ?? true)
        claims = try Inserter(EHRSchema.claims, on: writer, enabled: options.tables?.contains("claims") ?? true)
        claimLines = try Inserter(
            EHRSchema.claimLines, on: writer, enabled: options.tables?.contains("claim_lines") ?? true)
        bedDays = try Inserter(EHRSchema.bedDays, on: writer, enabled: options.tables?.contains("bed_days") ?? true)
        census = Array(repeating: Array(repeating: 0, count: Catalog.days), count: Catalog.wards.count)
        expectedPatients = options.patients ?? max(1, (options.visits ?? 0) * 10 / 34)
        providers = Catalog.makeProviders(count: max(40, expectedPatients / 250))
        var lists = Array(repeating: [Int](), count: Catalog.departments.count + 1)
        for (index, provider) in providers.enumerated() { lists[provider.department].append(index + 1) }
        providersByDepartment = lists
    }

    var rowCounts: [String: Int] {
        [
            "patients": patients.rows, "coverage": coverage.rows, "encounters": encounters.rows,
            "conditions": conditions.rows, "observations": observations.rows, "medications": medications.rows,
            "procedures": procedures.rows, "claims": claims.rows, "claim_lines": claimLines.rows,
            "bed_days": bedDays.rows, "organizations": Catalog.organizations.count,
            "departments": Catalog.departments.count, "providers": providerCount, "payers": Catalog.payers.count,
            "diagnosis_codes": Codes.diagnoses.count, "lab_tests": Codes.labTests.count,
            "medication_codes": Codes.medications.count, "procedure_codes": Codes.procedures.count,
        ]
    }

    var rows: Int { rowCounts.values.reduce(0, +) }

    /// A table's id for the n-th row: n itself, or for hidden variants a permutation of it
    /// (multiplication by a primitive root modulo the prime 2^31 − 1, so no two rows share an id).
    @inline(__always) func id(_ n: Int) -> Int64 {
        options.shuffledIDs ? Self.scrambled(n) : Int64(n)
    }

    /// A bijection on 31-bit numbers that scatters consecutive ones (odd multiplications and
    /// xor-shifts, each invertible), so a hidden database's ids follow neither creation nor time order.
    static func scrambled(_ n: Int) -> Int64 {
        let mask: UInt32 = 0x7fff_ffff
        var x = UInt32(truncatingIfNeeded: n) & mask
        x = (x &* 0x2c1b_3c6d) & mask
        x ^= x >> 12
        x = (x &* 0x297a_2d39) & mask
        x ^= x >> 15
        x = (x &* 0x4c8f_1a53) & mask
        x ^= x >> 13
        return Int64(x)
    }

    var providerCount: Int { providers.count }
    let providers: [Catalog.Provider]
    /// Provider ids by department id.
    let providersByDepartment: [[Int]]

    mutating func writeAll() throws {
        try writeReferenceTables()
        let target = options.visits
        var lastReport = 0
        while true {
            if let limit = options.patients, patientCount >= limit { break }
            if let target, visitCount >= target { break }
            try writePatient(duplicateOf: nil)
            if visitCount - lastReport >= 50_000 || (options.patients != nil && patientCount % 20_000 == 0) {
                lastReport = visitCount
                let fraction =
                    target.map { Double(visitCount) / Double($0) }
                    ?? Double(patientCount) / Double(options.patients ?? 1)
                progress?(
                    .init(
                        rows: rows, visits: visitCount, patients: patientCount, fraction: min(1, fraction),
                        phase: "writing"))
            }
        }
        try writeDepartments()
        for inserter in [
            patients, coverage, encounters, conditions, observations, medications, procedures, claims,
            claimLines, bedDays,
        ] { try inserter.finish() }
    }

    // MARK: Reference tables

    mutating func writeReferenceTables() throws {
        try writeRows(EHRSchema.organizations, Catalog.organizations) { row, index, org in
            row.int(1, index + 1)
            row.text(2, StaticText(org.name))
            row.text(3, StaticText(org.kind))
            row.text(4, StaticText(org.city))
            row.text(5, StaticText("IL"))
        }
        try writeRows(EHRSchema.payers, Catalog.payers) { row, index, payer in
            row.int(1, index + 1)
            row.text(2, StaticText(payer.name))
            row.text(3, StaticText(payer.kind))
        }
        try writeRows(EHRSchema.providers, providers) { row, index, provider in
            row.int(1, index + 1)
            row.text(2, StaticText(provider.npi))
            row.text(3, StaticText(provider.name))
            row.text(4, StaticText(Catalog.departments[provider.department - 1].specialty))
            row.int(5, provider.department)
        }
        try writeRows(EHRSchema.diagnosisCodes, Codes.diagnoses) { row, _, code in
            row.text(1, StaticText(code.code))
            row.text(2, StaticText(code.description))
            row.int(3, code.chronic ? 1 : 0)
        }
        try writeRows(EHRSchema.labTests, Codes.labTests) { row, _, test in
            row.text(1, StaticText(test.loinc))
            row.text(2, StaticText(test.name))
            row.text(3, StaticText(test.unit))
            if let low = test.low { row.real(4, low) } else { row.null(4) }
            if let high = test.high { row.real(5, high) } else { row.null(5) }
        }
        try writeRows(EHRSchema.medicationCodes, Codes.medications) { row, _, med in
            row.text(1, StaticText(med.rxcui))
            row.text(2, StaticText(med.name))
        }
        try writeRows(EHRSchema.procedureCodes, Codes.procedures) { row, _, proc in
            row.text(1, StaticText(proc.code))
            row.text(2, StaticText(proc.system))
            row.text(3, StaticText(proc.description))
        }
    }

    /// One row per item of a small, fixed table; `bind` gets the item's position.
    func writeRows<Item>(_ table: EHRSchema.Table, _ items: [Item], bind: (Inserter, Int, Item) -> Void) throws {
        let rows = try Inserter(table, on: writer)
        for (index, item) in items.enumerated() {
            bind(rows, index, item)
            try rows.step()
        }
        try rows.finish()
    }

    /// Wards get beds for their busiest nights: the 90th-percentile census at 92% occupancy.
    mutating func writeDepartments() throws {
        let departments = try Inserter(EHRSchema.departments, on: writer)
        for (index, department) in Catalog.departments.enumerated() {
            var beds = 0
            if let ward = Catalog.wards.firstIndex(of: index + 1) {
                let sorted = census[ward].sorted()
                let p90 = Double(sorted[Int(Double(sorted.count - 1) * 0.9)])
                beds = max(4, Int((p90 / 0.92).rounded(.up)))
            }
            departments.int(1, index + 1)
            departments.int(2, department.organization)
            departments.text(3, StaticText(department.name))
            departments.int(4, beds)
            try departments.step()
        }
        try departments.finish()
    }

    // MARK: Patients

    mutating func writePatient(duplicateOf original: Person?) throws {
        next.patient += 1
        patientCount += 1
        let patientID = id(next.patient)
        var person: Person
        if let original {
            person = original.duplicate(using: &random)
        } else {
            person = Person.random(using: &random)
        }
        person.id = patientID

        patients.int(1, patientID)
        patients.formatted(2) { slot in
            slot[0] = 77  // M
            return 1 + CivilTime.writeDigits(Int(patientID), width: 10, to: slot + 1)
        }
        patients.text(3, person.firstName)
        patients.text(4, person.lastName)
        patients.text(5, person.sex == .female ? Catalog.female : Catalog.male)
        patients.date(6, day: person.birthDay)
        // Race is missing at random: more often for older patients (the age is known).
        if random.chance(person.age >= 65 ? 0.15 : 0.04) {
            patients.null(7)
        } else {
            patients.text(7, Catalog.races.pick(&random))
        }
        // ZIP and phone are missing completely at random.
        if random.chance(0.02) { patients.null(8) } else { patients.text(8, Catalog.zips[person.zip]) }
        if random.chance(0.08) {
            patients.null(9)
        } else {
            let number = person.phone
            let style = original == nil ? 0 : 1 + random.below(2)
            patients.formatted(9) { Catalog.writePhone(number, style: style, to: $0) }
        }
        if let death = person.deathDay { patients.date(10, day: death) } else { patients.null(10) }
        try patients.step()

        let payers = try writeCoverage(for: person)
        try writeVisits(for: person, payers: payers)

        // A few people are registered twice, with their name or phone written differently.
        if original == nil, random.chance(0.004) { try writePatient(duplicateOf: person) }
    }

    /// Coverage periods; returns the payer for each day range (the second starts where the first ends).
    mutating func writeCoverage(for person: Person) throws -> [(payer: Int, from: Int)] {
        var periods: [(payer: Int, from: Int)] = []
        let first = Catalog.payer(for: person, using: &random)
        periods.append((first, Int.min))
        if first != Catalog.selfPay, random.chance(0.1) {
            let change = EHRGenerator.firstDay + 60 + random.below(600)
            var second = Catalog.payer(for: person, using: &random)
            if second == first { second = Catalog.commercial[random.below(Catalog.commercial.count)] }
            periods.append((second, change))
        }
        for (index, period) in periods.enumerated() where period.payer != Catalog.selfPay {
            next.coverage += 1
            coverage.int(1, id(next.coverage))
            coverage.int(2, person.id)
            coverage.int(3, period.payer)
            let member = random.below(900_000_000) + 100_000_000
            coverage.formatted(4) { slot in
                slot[0] = 87  // W
                return 1 + CivilTime.writeDigits(member, width: 9, to: slot + 1)
            }
            let start = max(index == 0 ? EHRGenerator.firstDay - 30 - random.below(2000) : period.from, person.birthDay)
            var end = index + 1 < periods.count ? periods[index + 1].from - 1 : nil
            // One switch in 20 leaves a gap: the old plan ends a month before the new one starts (a
            // lapse between jobs), so continuous-enrolment questions have something to find. Chosen by
            // id, not by a random draw, so the rest of the data stays as it was.
            if let last = end, person.id % 20 == 7 { end = last - 31 }
            // A period that ended before the person was born covers nobody (a newborn switched plans
            // before birth): the row is left out, but its random draws are spent as before.
            if let last = end, last < start { continue }
            coverage.date(5, day: start)
            if let end { coverage.date(6, day: end) } else { coverage.null(6) }
            try coverage.step()
        }
        return periods
    }

    // MARK: Visits

    mutating func writeVisits(for person: Person, payers: [(payer: Int, from: Int)]) throws {
        var plans = VisitPlan.plans(for: person, using: &random)
        if let target = options.visits { plans = Array(plans.prefix(target - visitCount)) }
        visitCount += plans.count

        // Chronic conditions: most began before the data starts; the rest at the first finished visit.
        var firstFinished: (id: Int64, day: Int)?
        var encounterIDs: [Int64] = []
        encounterIDs.reserveCapacity(plans.count)
        for plan in plans {
            next.encounter += 1
            let encounterID = id(next.encounter)
            encounterIDs.append(encounterID)
            let payer = payers.last { $0.from <= plan.start / 86_400 }?.payer ?? payers[0].payer
            try writeEncounter(plan, id: encounterID, person: person, payer: payer)
            if plan.status == .finished, firstFinished == nil { firstFinished = (encounterID, plan.start / 86_400) }
        }
        for code in person.chronic {
            // Planted: now and then a chronic diagnosis is entered twice (re-keyed at a later visit),
            // so a count of condition rows is not a count of patients.
            for copy in 0..<(random.chance(0.03) ? 2 : 1) {
                next.condition += 1
                conditions.int(1, id(next.condition))
                conditions.int(2, person.id)
                if let first = firstFinished, copy == 1 || random.chance(0.3) {
                    conditions.int(3, first.id)
                    conditions.date(5, day: first.day)
                } else {
                    conditions.null(3)
                    conditions.date(
                        5, day: max(person.birthDay + 365, EHRGenerator.firstDay - 30 - random.below(3000)))
                }
                conditions.text(4, Catalog.diagnosisText[code])
                conditions.null(6)
                try conditions.step()
            }
        }
    }

    mutating func writeEncounter(_ plan: VisitPlan, id encounterID: Int64, person: Person, payer: Int) throws {
        let department = plan.department
        encounters.int(1, encounterID)
        encounters.int(2, person.id)
        // The attending is missing at random: far more often for emergency visits.
        // Some visits are covered by a provider from another department (a hospitalist, a locum).
        let covering = random.chance(0.03)
        let providers = providersByDepartment[
            covering ? random.below(providersByDepartment.count) : department]
        if providers.isEmpty || random.chance(plan.type == .emergency ? 0.15 : 0.01) {
            encounters.null(3)
        } else {
            encounters.int(3, providers[random.below(providers.count)])
        }
        encounters.int(4, department)
        encounters.int(5, payer)
        encounters.text(6, Catalog.typeText[VisitPlan.Kind.allCases.firstIndex(of: plan.type)!])
        encounters.text(7, Catalog.statusText[VisitPlan.Status.allCases.firstIndex(of: plan.status)!])
        encounters.time(8, seconds: plan.start)
        if plan.status == .finished {
            // Planted: a few discharges were keyed before the admission.
            if random.chance(0.001) {
                encounters.time(9, seconds: plan.start - (plan.end - plan.start))
            } else if random.chance(0.0005) {
                // Planted: a discharge keyed with the admission's own time, a stay of zero length.
                encounters.time(9, seconds: plan.start)
            } else {
                encounters.time(9, seconds: plan.end)
            }
        } else {
            encounters.null(9)
        }
        if let seen = plan.seen { encounters.time(10, seconds: seen) } else { encounters.null(10) }
        encounters.text(11, Catalog.diagnosisText[plan.diagnosis])
        try encounters.step()
        guard plan.status == .finished else { return }

        let diagnosis = Codes.diagnoses[plan.diagnosis]
        if !diagnosis.chronic && diagnosis.code != "Z00.00" {
            next.condition += 1
            conditions.int(1, id(next.condition))
            conditions.int(2, person.id)
            conditions.int(3, encounterID)
            conditions.text(4, Catalog.diagnosisText[plan.diagnosis])
            conditions.date(5, day: plan.start / 86_400)
            conditions.date(6, day: plan.end / 86_400 + 7 + random.below(24))
            try conditions.step()
        }
        try writeLabs(plan, encounterID: encounterID, person: person)
        try writeMedications(plan, encounterID: encounterID, person: person)
        let billedProcedures = try writeProcedures(plan, encounterID: encounterID, person: person)
        try writeClaim(plan, encounterID: encounterID, person: person, payer: payer, lines: billedProcedures)
        if plan.type == .inpatient { try writeBedDays(plan, encounterID: encounterID) }
    }

    mutating func writeLabs(_ plan: VisitPlan, encounterID: Int64, person: Person) throws {
        var tests: [Int] = []
        let acute = plan.type == .emergency || plan.type == .inpatient
        if acute {
            if plan.type == .inpatient || random.chance(0.7) {
                tests += [Catalog.glucose, Catalog.creatinine, Catalog.potassium]
            }
            if plan.type == .inpatient || random.chance(0.5) { tests += [Catalog.hemoglobin, Catalog.leukocytes] }
            if person.has(Catalog.heartFailure) && random.chance(0.7) { tests.append(Catalog.bnp) }
        } else if plan.type == .outpatient {
            if person.isDiabetic ? random.chance(0.55) : (person.age >= 18 && random.chance(0.05)) {
                tests.append(Catalog.hba1c)
            }
            if person.age >= 40 && random.chance(0.12) { tests += [Catalog.cholesterol, Catalog.ldl] }
            if person.has(Catalog.ckd) && random.chance(0.3) { tests += [Catalog.creatinine, Catalog.potassium] }
        }
        guard !tests.isEmpty else { return }
        let drawn = plan.start + (acute ? 1800 + random.below(5400) : 600 + random.below(1800))
        for test in tests {
            next.observation += 1
            observations.int(1, id(next.observation))
            observations.int(2, person.id)
            observations.int(3, encounterID)
            observations.text(4, Catalog.loincText[test])
            var (value, unit) = Catalog.labValue(test, person: person, plan: plan, using: &random)
            // Planted: a slipped decimal point now and then, in both directions (odd ids ten times too
            // small), so that a z-score lab has a low tail. The direction costs no random draw.
            if random.chance(0.0005) { value = next.observation % 2 == 0 ? value * 10 : value / 10 }
            if random.chance(0.005) { observations.null(5) } else { observations.real(5, value) }
            observations.text(6, unit)
            observations.time(7, seconds: drawn)
            try observations.step()
        }
    }

    mutating func writeMedications(_ plan: VisitPlan, encounterID: Int64, person: Person) throws {
        var orders: [(med: Int, days: Int?)] = []
        let diagnosis = Codes.diagnoses[plan.diagnosis]
        if diagnosis.chronic, plan.type != .emergency, random.chance(0.3),
            let meds = Catalog.chronicMedications[diagnosis.code]
        {
            orders.append((meds[random.below(meds.count)], random.chance(0.8) ? nil : 90 + random.below(270)))
        }
        if let meds = Catalog.acuteMedications[diagnosis.code], random.chance(0.75) {
            orders.append((meds[random.below(meds.count)], 5 + random.below(6)))
        }
        for order in orders {
            next.medication += 1
            medications.int(1, id(next.medication))
            medications.int(2, person.id)
            medications.int(3, encounterID)
            medications.text(4, Catalog.medicationText[order.med])
            let start = plan.end / 86_400
            medications.date(5, day: start)
            if let days = order.days { medications.date(6, day: start + days) } else { medications.null(6) }
            try medications.step()
        }
    }

    /// Inpatient procedures (ICD-10-PCS); returns every code to bill, with the drugs and services given.
    mutating func writeProcedures(_ plan: VisitPlan, encounterID: Int64, person: Person) throws -> [Int] {
        let code = Codes.diagnoses[plan.diagnosis].code
        var billed: [Int] = []
        if plan.type == .inpatient {
            var done: [Int] = []
            switch code {
            case "O80": done.append(Catalog.procedure("10E0XZZ"))
            case "I21.4": if random.chance(0.6) { done.append(Catalog.procedure("02703ZZ")) }
            case "A41.9":
                if random.chance(0.12) { done.append(Catalog.procedure("5A1955Z")) }
                if random.chance(0.15) { done.append(Catalog.procedure("30233N1")) }
            case "S72.001A": if random.chance(0.3) { done.append(Catalog.procedure("30233N1")) }
            default: break
            }
            for procedure in done {
                next.procedure += 1
                procedures.int(1, id(next.procedure))
                procedures.int(2, person.id)
                procedures.int(3, encounterID)
                procedures.text(4, Catalog.procedureText[procedure])
                procedures.time(5, seconds: plan.start + 3600 * (2 + random.below(40)))
                try procedures.step()
            }
            billed = done
        }
        switch plan.type {
        case .outpatient:
            billed.append(
                code == "Z00.00" && person.age >= 65 ? Catalog.procedure("G0439") : Catalog.procedure("G0463"))
            let month = CivilTime.civil(plan.start / 86_400).month
            if month >= 10 && random.chance(0.25) { billed.append(Catalog.procedure("G0008")) }
        case .telehealth:
            billed.append(Catalog.procedure("Q3014"))
        case .emergency:
            billed.append(Catalog.procedure(random.chance(0.6) ? "G0383" : "G0384"))
            if random.chance(person.age >= 65 ? 0.3 : 0.1) { billed.append(Catalog.procedure("A0427")) }
            if let drug = Catalog.drugFor[code], random.chance(0.5) { billed.append(drug) }
        case .inpatient:
            if let drug = Catalog.drugFor[code] { billed.append(drug) }
            if billed.isEmpty { billed.append(Catalog.procedure("J1885")) }
        }
        return billed
    }

    mutating func writeClaim(_ plan: VisitPlan, encounterID: Int64, person: Person, payer: Int, lines: [Int]) throws {
        next.claim += 1
        let claimID = id(next.claim)
        let submitted = plan.end / 86_400 + 1 + random.below(10)
        let billed: Double
        switch plan.type {
        case .outpatient: billed = random.logNormal(median: 180, sigma: 0.35)
        case .telehealth: billed = random.logNormal(median: 95, sigma: 0.3)
        case .emergency: billed = random.logNormal(median: 1600, sigma: 0.6)
        case .inpatient:
            let days = max(1, Double(plan.end - plan.start) / 86_400)
            billed = random.logNormal(median: 3200, sigma: 0.35) * days + Double(lines.count) * 900
        }
        let total = (billed * 100).rounded() / 100
        claims.int(1, claimID)
        claims.int(2, encounterID)
        claims.int(3, person.id)
        claims.int(4, payer)
        claims.date(5, day: submitted)
        let kind = Catalog.payers[payer - 1]
        if submitted > EHRGenerator.lastDay - 20 && random.chance(0.6) {
            claims.text(6, Catalog.pending)
            claims.real(7, total)
            claims.null(8)
            claims.null(9)
            claims.null(10)
        } else if kind.denialRate > 0, random.chance(kind.denialRate * (plan.type == .inpatient ? 1.4 : 1)) {
            claims.text(6, Catalog.denied)
            claims.real(7, total)
            claims.real(8, 0)
            claims.real(9, 0)
            claims.text(10, Catalog.denialText[random.below(Catalog.denialText.count)])
        } else {
            let allowed = (total * kind.allowedShare * (0.9 + 0.2 * random.unit()) * 100).rounded() / 100
            let paid = (allowed * (kind.kind == "self-pay" ? 1 : 0.75 + 0.25 * random.unit()) * 100).rounded() / 100
            claims.text(6, Catalog.paid)
            claims.real(7, total)
            claims.real(8, allowed)
            claims.real(9, paid)
            claims.null(10)
        }
        try claims.step()

        // Lines share the total; the last takes the rounding remainder so they add up to the cent.
        var remaining = total
        for (index, code) in lines.enumerated() {
            next.claimLine += 1
            claimLines.int(1, id(next.claimLine))
            claimLines.int(2, claimID)
            claimLines.int(3, index + 1)
            claimLines.text(4, Catalog.procedureText[code])
            claimLines.int(5, Catalog.unitsFor(code, using: &random))
            let share: Double
            if index == lines.count - 1 {
                share = remaining
            } else {
                share = ((total / Double(lines.count) * (index == 0 ? 1.3 : 0.7)) * 100).rounded() / 100
            }
            remaining = ((remaining - share) * 100).rounded() / 100
            claimLines.real(6, share)
            try claimLines.step()
        }
    }

    mutating func writeBedDays(_ plan: VisitPlan, encounterID: Int64) throws {
        let ward = Catalog.wards.firstIndex(of: plan.department)
        var midnight = plan.start / 86_400 + 1
        while midnight * 86_400 <= plan.end && midnight <= EHRGenerator.lastDay {
            next.bedDay += 1
            bedDays.int(1, id(next.bedDay))
            bedDays.int(2, encounterID)
            bedDays.int(3, plan.department)
            bedDays.date(4, day: midnight)
            try bedDays.step()
            if let ward { census[ward][midnight - EHRGenerator.firstDay] += 1 }
            midnight += 1
        }
    }
}
