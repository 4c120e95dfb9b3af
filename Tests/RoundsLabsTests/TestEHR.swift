import Foundation
import RoundsLabs

/// Small lab databases for tests, shared by every test in the process and kept between runs (the
/// file names carry the size and the generator's version, so a changed generator gets new files).
/// At 10,000 patients (2,000 in the hidden variant) every bundled lab still returns rows on both.
enum TestEHR {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-test-ehr").path
    static let patients = 10_000
    static let tuningVisits = 300_000

    static func databases() throws -> LabDatabases {
        let databases = LabDatabases(directory: directory, patients: patients, tuningVisits: tuningVisits)
        try databases.prepareStandard()
        return databases
    }

    static func tuningDatabases() throws -> LabDatabases {
        let databases = try databases()
        try databases.prepareTuning()
        return databases
    }
}
