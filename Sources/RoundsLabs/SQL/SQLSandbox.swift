import CSQLiteShim
import Foundation
import GRDBSQLite

/// Runs a learner's SQL on a lab database, locked down as ../shared/reference/sql-sandbox.md
/// recommends: an immutable read-only open, DEFENSIVE mode, lowered limits, an authorizer that
/// allows reading the lab's tables and nothing else, a deadline, a memory cap, a row cap and one
/// statement only. Each run opens its own connection, so nothing one learner runs touches another's.
public struct SQLSandbox: Sendable {
    public struct Limits: Sendable {
        /// Processor time the query may use, in seconds of its own thread's CPU time. CPU time, not
        /// wall time, so that a verdict does not depend on what else the machine is doing: the same
        /// query is stopped, or not, whether it runs alone or beside seven others (docs/sql-labs.md).
        /// 5 s: the slowest bundled reference takes 1.07 s alone on the 100,000-patient database, and
        /// on a machine whose two processors share a core a thread's CPU time nearly doubles when both
        /// are busy (it went over 2 s in a loaded CI run), so 2 s refused a right answer.
        public var seconds: Double = 5
        /// Wall-clock time before a query is abandoned however little CPU it got: a backstop for an
        /// overloaded machine, reported as "busy", never as the learner's fault.
        public var wallSeconds: Double = 20
        /// Memory SQLite may allocate for the query beyond what it held before, in bytes, counted on the
        /// query's own thread: concurrent queries are not charged for each other.
        public var memory: Int64 = 64 << 20
        /// Rows read before the result counts as too large.
        public var rows: Int = 10_000
        /// Characters of SQL.
        public var sqlLength: Int = 20_000

        public init() {}
    }

    /// Why a query produced no result, in words a learner can act on.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// SQLite could not compile or run it (its message).
        case error(String)
        /// The sandbox refused it (what and why).
        case refused(String)
        /// It used more processor time than a lab query may.
        case timeLimit(Double)
        /// The machine was too busy to finish it in time (wall clock); not the query's fault.
        case busy(Double)
        /// It needed more memory than a lab query may use.
        case memory
        /// It returned more rows than the cap.
        case tooManyRows(Int)

        public var description: String {
            switch self {
            case .error(let message): "SQLite reported an error: \(message)"
            case .refused(let message): "Refused: \(message)"
            case .timeLimit(let seconds):
                "Stopped after \(Self.format(seconds)) s of processor time, the limit for a lab query (the lab's own answer needs far less). Look for a join without its condition, a correlated subquery run once per row, or a recursive query that never ends."
            case .busy(let seconds):
                "The server was too busy to finish your query within \(Self.format(seconds)) s; this says nothing about your query. Try again in a moment."
            case .memory:
                "Stopped: the query needed more memory than a lab query may use. Look for a join without its condition or a huge string."
            case .tooManyRows(let cap):
                "Stopped after \(cap.formatted()) rows: the answer has far fewer. Check the joins and the filters."
            }
        }

        static func format(_ seconds: Double) -> String { String(format: "%.1f", seconds) }
    }

    public let limits: Limits

    /// Whether each query's memory is counted on its own (the per-thread accounting in CSQLiteShim
    /// is installed); false only if something initialised SQLite before this program could.
    public static var memoryIsPerQuery: Bool { rounds_memory_accounting() != 0 }

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Functions that read or make large or unstable data, or reach outside the database.
    /// `printf` and `format` are here because `printf('%.*c', 2000000000, 'x')` repeats a character
    /// two billion times inside one step, before the length limit is checked and where the deadline
    /// cannot stop it (16 s measured); ROUND() and || do what a lab needs.
    static let deniedFunctions: Set<String> = [
        "load_extension", "randomblob", "zeroblob", "fts3_tokenizer", "sqlite_compileoption_used",
        "sqlite_compileoption_get", "readfile", "writefile", "edit", "sqlite_offset", "printf", "format",
    ]

    /// Runs one read-only statement on `database`, reading only `tables`. The seconds returned are
    /// the processor time it used, which does not grow when the machine is busy.
    /// - Parameter truncate: past the row cap, keep the first rows (true) or fail (false).
    public func run(_ sql: String, on database: String, tables: Set<String>, truncate: Bool = false) throws(Failure)
        -> (table: ResultTable, seconds: Double)
    {
        let text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .refused("there is no SQL to run. Write one SELECT statement.") }
        guard text.utf8.count <= limits.sqlLength else {
            throw .refused(
                "the SQL is \(text.utf8.count.formatted()) bytes long; the limit is \(limits.sqlLength.formatted()).")
        }
        let connection = try Self.open(database)
        defer { sqlite3_close_v2(connection) }
        let guardian = Guardian(tables: tables, limits: limits)
        let context = Unmanaged.passRetained(guardian)
        defer { context.release() }
        Self.install(guardian: context, on: connection)

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let prepared = text.withCString { pointer -> Int32 in
            let rc = sqlite3_prepare_v3(connection, pointer, -1, 0, &statement, &tail)
            if rc == SQLITE_OK, let tail, !Self.onlyTrivia(String(cString: tail)) { return -1 }
            return rc
        }
        defer { sqlite3_finalize(statement) }
        if prepared == -1 {
            throw .refused("only one statement at a time. Remove everything after the first `;`.")
        }
        if let refusal = guardian.refusal { throw .refused(refusal) }
        guard prepared == SQLITE_OK else { throw .error(Self.message(connection)) }
        guard let statement else {
            throw .refused("there is no SQL to run, only comments. Write one SELECT statement.")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else {
            throw .refused("this statement would change the database; a lab query only reads. Write a SELECT.")
        }

        let columnCount = Int(sqlite3_column_count(statement))
        let columns = (0..<columnCount).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var rows: [[SQLValue]] = []
        var truncated = false
        guardian.start()
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                if let reason = guardian.stopReason { throw reason }
                if let refusal = guardian.refusal { throw .refused(refusal) }
                if rc == SQLITE_NOMEM { throw .memory }
                throw .error(Self.message(connection))
            }
            if rows.count == limits.rows {
                if truncate {
                    truncated = true
                    break
                }
                throw .tooManyRows(limits.rows)
            }
            rows.append((0..<Int32(columnCount)).map { Self.value(statement, $0) })
        }
        return (ResultTable(columns: columns, rows: rows, truncated: truncated), guardian.cpuSeconds)
    }

    /// The query plan, one line per step (`SCAN encounters`, `SEARCH e USING INDEX …`).
    public func plan(_ sql: String, on database: String, tables: Set<String>) throws(Failure) -> [String] {
        let explained = "EXPLAIN QUERY PLAN " + sql.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try run(explained, on: database, tables: tables)
        return result.table.rows.compactMap { row in
            if case .text(let detail) = row.last { return detail }
            return nil
        }
    }

    // MARK: Connection

    static func open(_ path: String) throws(Failure) -> OpaquePointer {
        // immutable=1: SQLite trusts the file not to change, takes no locks and ignores journals.
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2("file:\(escaped)?mode=ro&immutable=1", &handle, flags, nil) == SQLITE_OK, let handle
        else {
            sqlite3_close_v2(handle)
            throw .error("cannot open the lab database at \(path). Run `rounds ehr prepare` to build it.")
        }
        guard rounds_sqlite_harden(handle) == SQLITE_OK else {
            sqlite3_close_v2(handle)
            throw .error("cannot lock the lab database down; refusing to run untrusted SQL on it.")
        }
        for (limit, value) in [
            (SQLITE_LIMIT_LENGTH, 1_000_000), (SQLITE_LIMIT_SQL_LENGTH, 20_000), (SQLITE_LIMIT_COLUMN, 100),
            (SQLITE_LIMIT_EXPR_DEPTH, 100), (SQLITE_LIMIT_COMPOUND_SELECT, 20),
            (SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100), (SQLITE_LIMIT_ATTACHED, 0), (SQLITE_LIMIT_FUNCTION_ARG, 16),
            (SQLITE_LIMIT_VARIABLE_NUMBER, 10), (SQLITE_LIMIT_TRIGGER_DEPTH, 1), (SQLITE_LIMIT_WORKER_THREADS, 0),
        ] {
            sqlite3_limit(handle, limit, Int32(value))
        }
        // Sorts and DISTINCT spill to memory, where the memory cap sees them, not to temporary files.
        sqlite3_exec(handle, "PRAGMA query_only = 1; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 0", nil, nil, nil)
        SQLSandbox.capProcessHeap()
        return handle
    }

    /// A backstop for the whole process: SQLite refuses allocations past 1 GiB. The per-query cap is
    /// the progress handler's, which measures what this query added.
    static let heapCapOnce: Void = { _ = sqlite3_hard_heap_limit64(1 << 30) }()
    static func capProcessHeap() { _ = heapCapOnce }

    static func install(guardian context: Unmanaged<Guardian>, on connection: OpaquePointer) {
        let pointer = context.toOpaque()
        sqlite3_set_authorizer(
            connection,
            { context, action, first, second, database, _ in
                let guardian = Unmanaged<Guardian>.fromOpaque(context!).takeUnretainedValue()
                return guardian.authorize(
                    action, first.map { String(cString: $0) }, second.map { String(cString: $0) },
                    database: database.map { String(cString: $0) })
            }, pointer)
        sqlite3_progress_handler(
            connection, 1000,
            { context in
                Unmanaged<Guardian>.fromOpaque(context!).takeUnretainedValue().shouldStop() ? 1 : 0
            }, pointer)
    }

    static func message(_ connection: OpaquePointer) -> String { String(cString: sqlite3_errmsg(connection)) }

    static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// Whether what follows a statement is only blanks, semicolons and comments.
    static func onlyTrivia(_ text: String) -> Bool {
        var rest = Substring(text)
        while let first = rest.first {
            if first.isWhitespace || first == ";" {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return true }
                rest = rest[end.upperBound...]
            } else {
                return false
            }
        }
        return true
    }
}

/// The authorizer's and progress handler's state for one query. SQLite calls it on the thread
/// running the query, one call at a time.
final class Guardian: @unchecked Sendable {
    let tables: Set<String>
    let limits: SQLSandbox.Limits
    /// The first thing refused, in words.
    private(set) var refusal: String?
    private(set) var stopReason: SQLSandbox.Failure?
    private var started: UInt64 = 0
    private var cpuAtStart: Double = 0
    private var memoryAtStart: Int64 = 0
    /// Allows what CREATE INDEX needs (the tuning lab's scratch copy only).
    var allowIndexes = false

    init(tables: Set<String>, limits: SQLSandbox.Limits) {
        self.tables = Set(tables.map { $0.lowercased() })
        self.limits = limits
    }

    func start() {
        started = DispatchTime.now().uptimeNanoseconds
        cpuAtStart = Self.threadCPUTime()
        memoryAtStart = Self.threadMemory()
    }

    /// Processor time the query has used so far, in seconds.
    var cpuSeconds: Double { started == 0 ? 0 : Self.threadCPUTime() - cpuAtStart }

    /// This thread's CPU time in seconds: the query runs start to finish on the calling thread.
    static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// SQLite memory held by this thread's allocations; the process-wide figure where the per-thread
    /// accounting could not be installed (then concurrent queries share one budget).
    static func threadMemory() -> Int64 {
        rounds_memory_accounting() != 0 ? Int64(rounds_thread_memory()) : sqlite3_memory_used()
    }

    func shouldStop() -> Bool {
        if started == 0 { return false }
        if cpuSeconds > limits.seconds {
            stopReason = .timeLimit(limits.seconds)
            return true
        }
        if Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 > limits.wallSeconds {
            stopReason = .busy(limits.wallSeconds)
            return true
        }
        if Self.threadMemory() - memoryAtStart > limits.memory {
            stopReason = .memory
            return true
        }
        return false
    }

    /// - Parameter database: `main` or `temp` for a stored table; nil for a common table expression.
    func authorize(_ action: Int32, _ first: String?, _ second: String?, database: String? = nil) -> Int32 {
        func deny(_ reason: String) -> Int32 {
            if refusal == nil { refusal = reason }
            return SQLITE_DENY
        }
        if [SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE].contains(action),
            ["sqlite_master", "sqlite_schema", "sqlite_temp_master"].contains(first?.lowercased() ?? "")
        {
            // DDL writes the schema table; so does SQLite when it sets up a table-valued function.
            if allowIndexes && action != SQLITE_DELETE && first?.lowercased() != "sqlite_temp_master" {
                return SQLITE_OK
            }
            switch action {
            case SQLITE_INSERT:
                return deny(
                    "creating tables, views, indexes or triggers is not allowed: lab queries only read. Use a WITH clause for a temporary result."
                )
            case SQLITE_DELETE:
                return deny("dropping tables, views, indexes or triggers is not allowed: lab queries only read.")
            default:
                return deny(
                    "table-valued functions (such as json_each or dbstat) and schema changes are not allowed in labs.")
            }
        }
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_READ:
            let table = (first ?? "").lowercased()
            if tables.contains(table) { return SQLITE_OK }
            // A recursive common table expression reads itself; it is no stored table, so it has no database.
            if database == nil && !table.isEmpty { return SQLITE_OK }
            if table.hasPrefix("sqlite_") || table.hasPrefix("pragma_") || table == "dbstat" {
                return deny("reading `\(first ?? "")` is not allowed: the schema is shown with the lab, not queried.")
            }
            if allowIndexes && table.isEmpty { return SQLITE_OK }
            return deny(
                "the table `\(first ?? "")` is not part of this lab. It uses: \(tables.sorted().joined(separator: ", "))."
            )
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            if SQLSandbox.deniedFunctions.contains(name) {
                let instead =
                    ["printf", "format"].contains(name) ? " Use ROUND() for decimals and || to join text." : ""
                return deny("the function `\(name)()` is not allowed in labs.\(instead)")
            }
            return SQLITE_OK
        case SQLITE_CREATE_INDEX where allowIndexes:
            return tables.contains((second ?? "").lowercased())
                ? SQLITE_OK
                : deny("an index may only be created on the lab's tables (\(tables.sorted().joined(separator: ", "))).")
        case SQLITE_INSERT, SQLITE_UPDATE:
            return deny(
                "changing data is not allowed: lab queries only read (\(action == SQLITE_INSERT ? "INSERT" : "UPDATE") on `\(first ?? "")`)."
            )
        case SQLITE_DELETE:
            return deny("changing data is not allowed: lab queries only read (DELETE from `\(first ?? "")`).")
        case SQLITE_PRAGMA:
            return deny("PRAGMA statements are not allowed in labs (`\(first ?? "")`).")
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny("attaching other databases is not allowed in labs.")
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return deny("transactions are not needed: each lab query runs on its own.")
        case SQLITE_ANALYZE, SQLITE_REINDEX:
            // CREATE INDEX asks for these internally; the statements themselves were checked to be CREATE INDEX.
            if allowIndexes { return SQLITE_OK }
            return deny("ANALYZE and REINDEX are not allowed in labs.")
        case SQLITE_CREATE_VTABLE, SQLITE_DROP_VTABLE:
            return deny("virtual tables are not allowed in labs.")
        default:
            return deny(
                allowIndexes
                    ? "only CREATE INDEX statements and one SELECT are allowed here."
                    : "only SELECT statements are allowed: lab queries read the database and change nothing.")
        }
    }
}
