import Foundation
import GRDBSQLite

/// One generation: the random stream, the prepared inserts, and the counters.
struct Run {
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
        census = Array(repeating: Array(repeating: 0, count: EHRCatalog.days), count: EHRCatalog.wards.count)
        expectedPatients = options.patients ?? max(1, (options.visits ?? 0) * 10 / 34)
        providers = EHRCatalog.makeProviders(count: max(40, expectedPatients / 250))
        var lists = Array(repeating: [Int](), count: EHRCatalog.departments.count + 1)
        for (index, provider) in providers.enumerated() { lists[provider.department].append(index + 1) }
        providersByDepartment = lists
    }

    var rowCounts: [String: Int] {
        [
            "patients": patients.rows, "coverage": coverage.rows, "encounters": encounters.rows,
            "conditions": conditions.rows, "observations": observations.rows, "medications": medications.rows,
            "procedures": procedures.rows, "claims": claims.rows, "claim_lines": claimLines.rows,
            "bed_days": bedDays.rows, "organizations": EHRCatalog.organizations.count,
            "departments": EHRCatalog.departments.count, "providers": providerCount, "payers": EHRCatalog.payers.count,
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
    let providers: [EHRCatalog.Provider]
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
}
