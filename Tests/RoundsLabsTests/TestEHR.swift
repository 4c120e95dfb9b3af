import Foundation
import RoundsLabs

/// Lab databases for tests, shared by every test in the process and kept between runs (the
/// file names carry the size and the generator's version, so a changed generator gets new files).
/// The same size as the labs' own databases (100,000 patients, 20,000 in the hidden variant), so that
/// the rare planted rows that expose each lab's listed mistakes are there as they are for the lint.
enum TestEHR {
    static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-test-ehr").path
    static let patients = 100_000
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
