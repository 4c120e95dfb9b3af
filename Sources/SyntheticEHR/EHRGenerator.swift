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
