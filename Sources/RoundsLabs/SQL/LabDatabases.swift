import Foundation
import SyntheticEHR

/// Where the SQL labs' databases live, and how they are built on first use.
///
/// - `standard`: the visible database, 100,000 patients (seed 1), built on first use in seconds.
/// - `hidden`: the hidden variant every answer is also graded on: another seed, a fifth of the size,
///   and ids numbered in a shuffled order, so hard-coded ids, counts and row orders fail.
/// - `tuning`: ten million visits for the tuning lab (the visit, patient and reference tables only,
///   with primary keys but none of the indexes the lab asks for), built on request.
///
/// Sizes can be lowered for tests and small machines with `ROUNDS_EHR_PATIENTS` and
/// `ROUNDS_EHR_TUNING_VISITS`; the file names carry the size, so different sizes never mix.
public struct LabDatabases: Sendable {
    public let directory: String
    public let patients: Int
    public let tuningVisits: Int
    /// Where each tuning attempt's private copy goes while it is graded (`scratch/` in `directory`).
    public let scratchDirectory: String
    /// Bumped when the generator's output changes, so old files are rebuilt.
    static let version = 8

    /// Explicit sizes win over the environment's; sizes below 200 patients or 10,000 visits are raised to those.
    public init(
        directory: String? = nil, patients: Int? = nil, tuningVisits: Int? = nil, scratchDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.directory = directory ?? Self.defaultDirectory(environment: environment)
        self.scratchDirectory = scratchDirectory ?? self.directory + "/scratch"
        self.patients = max(200, patients ?? environment["ROUNDS_EHR_PATIENTS"].flatMap(Int.init) ?? 100_000)
        self.tuningVisits = max(
            10_000, tuningVisits ?? environment["ROUNDS_EHR_TUNING_VISITS"].flatMap(Int.init) ?? 10_000_000)
    }

    /// `ROUNDS_EHR_DIR`, else `ehr/` beside the default history database (`~/.local/share/rounds/ehr`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["ROUNDS_EHR_DIR"], !path.isEmpty { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
            return home + "/Library/Application Support/Rounds/ehr"
        #else
            let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
            return data + "/rounds/ehr"
        #endif
    }

    public var standard: String { "\(directory)/standard-\(patients)-v\(Self.version).sqlite" }
    public var hidden: String { "\(directory)/hidden-\(hiddenPatients)-v\(Self.version).sqlite" }
    public var tuning: String { "\(directory)/tuning-\(tuningVisits)-v\(Self.version).sqlite" }
    var hiddenPatients: Int { max(200, patients / 5) }

    /// The tables the tuning database holds.
    public static let tuningTables: Set<String> = [
        "encounters", "patients", "departments", "payers", "providers", "organizations", "diagnosis_codes",
    ]

    public var standardIsReady: Bool {
        FileManager.default.fileExists(atPath: standard) && FileManager.default.fileExists(atPath: hidden)
    }

    public var tuningIsReady: Bool { FileManager.default.fileExists(atPath: tuning) }

    /// One build at a time in this process; a build writes to a temporary name and renames, so a
    /// half-built file is never used.
    private static let buildLock = NSLock()

    /// Builds the visible and hidden databases unless they exist. Returns what was built.
    @discardableResult
    public func prepareStandard(progress: (@Sendable (EHRGenerator.Progress) -> Void)? = nil) throws
        -> [EHRGenerator.Summary]
    {
        Self.buildLock.lock()
        defer { Self.buildLock.unlock() }
        var built: [EHRGenerator.Summary] = []
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: standard) {
            built.append(try build(EHRGenerator.Options(patients: patients, seed: 1), at: standard, progress: progress))
        }
        if !FileManager.default.fileExists(atPath: hidden) {
            built.append(
                try build(
                    EHRGenerator.Options(patients: hiddenPatients, seed: 2, shuffledIDs: true), at: hidden,
                    progress: progress))
        }
        return built
    }

    /// Builds the tuning database unless it exists.
    @discardableResult
    public func prepareTuning(progress: (@Sendable (EHRGenerator.Progress) -> Void)? = nil) throws
        -> EHRGenerator.Summary?
    {
        Self.buildLock.lock()
        defer { Self.buildLock.unlock() }
        guard !tuningIsReady else { return nil }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try build(
            EHRGenerator.Options(visits: tuningVisits, seed: 3, indexes: false, tables: Self.tuningTables), at: tuning,
            progress: progress)
    }

    private func build(
        _ options: EHRGenerator.Options, at path: String, progress: (@Sendable (EHRGenerator.Progress) -> Void)?
    ) throws -> EHRGenerator.Summary {
        let summary = try EHRGenerator(options).generate(to: path, progress: progress)
        // Read-only from now on: the labs open it immutable.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        removeOlderVersions()
        return summary
    }

    /// Databases an older generator wrote are never opened again; they go when a new one is built.
    func removeOlderVersions() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            guard let match = name.wholeMatch(of: /(standard|hidden|tuning)-\d+-v(\d+)\.sqlite/),
                let version = Int(match.2), version < Self.version
            else { continue }
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    /// A private copy of the tuning database for one attempt, removed by the caller.
    func scratchCopy() throws -> String {
        try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
        let path = scratchDirectory + "/attempt-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: tuning, toPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }
}
