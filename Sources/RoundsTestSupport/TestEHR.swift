import Foundation
import RoundsLabs

/// Lab databases for tests, shared by every test in the process and kept between runs in one folder
/// (the file names carry the size and the generator's version, so a changed generator gets new files).
public enum TestEHR {
    public static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rounds-test-ehr")
        .path
    /// The labs' own size (100,000 patients, 20,000 in the hidden variant), so that the rare planted rows
    /// that expose each lab's listed mistakes are there as they are for the lint.
    public static let patients = 100_000
    public static let tuningVisits = 300_000
    /// The web and command-line tests' size: they check pages and commands, not every lab's mistakes.
    public static let webPatients = 10_000

    /// The labs' databases at full size, built on first use.
    public static func databases() throws -> LabDatabases {
        let databases = LabDatabases(directory: directory, patients: patients, tuningVisits: tuningVisits)
        try databases.prepareStandard()
        return databases
    }

    /// The databases with the tuning lab's too.
    public static func tuningDatabases() throws -> LabDatabases {
        let databases = try databases()
        try databases.prepareTuning()
        return databases
    }
}
