import Foundation
import GRDBSQLite

/// What went wrong writing the database, with SQLite's own message.
public struct EHRError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A connection opened for one bulk load: no journal, no fsync, exclusive lock. A crash mid-load
/// leaves a broken file, which is fine: the generator writes to a temporary name and renames at the end.
final class BulkConnection {
    let handle: OpaquePointer

    init(path: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(rc)"
            sqlite3_close(db)
            throw EHRError("cannot create \(path): \(message)")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &error) != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw EHRError("\(message) in: \(sql.prefix(120))")
        }
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else { throw EHRError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql)") }
        return statement
    }
}

/// Text that lives as long as the process (codes, names), bound without copying.
struct StaticText: @unchecked Sendable {
    let pointer: UnsafePointer<CChar>
    let count: Int32

    init(_ string: String) {
        let copy = strdup(string)!
        pointer = UnsafePointer(copy)
        count = Int32(strlen(copy))
    }
}

/// One table's rows, inserted 64 at a time by one multi-row INSERT: SQLite's cost per statement
/// (opening the cursor, the transaction check, halting) then falls on 64 rows instead of one. Values
/// wait in `pending` until the batch is full; formatted text (dates, numbers) waits in a slot of its
/// own per row and column, so nothing is copied. Full batches go to the `BatchWriter`'s thread, so
/// drawing the next rows and SQLite's writing of the last ones run on two cores at once.
final class Inserter: @unchecked Sendable {
    enum Value {
        case int(Int64)
        case real(Double)
        case null
        case text(UnsafePointer<CChar>, Int32)
    }

    static let batch = 64
    static let slotSize = 32
    let writer: BatchWriter
    let table: EHRSchema.Table
    let columns: Int
    /// Used on the writer's thread only.
    let statement: OpaquePointer
    var slots: UnsafeMutablePointer<UInt8>
    var pending: [Value]
    var rowInBatch = 0
    private(set) var rows = 0
    /// False for a table left out of this database: its rows are drawn (so the rest stays the same) but not written.
    let enabled: Bool

    init(_ table: EHRSchema.Table, on writer: BatchWriter, enabled: Bool = true) throws {
        self.enabled = enabled
        self.writer = writer
        self.table = table
        columns = table.columns.count
        statement = try writer.connection.prepare(Self.insertSQL(table, rows: Self.batch))
        slots = .allocate(capacity: Self.batch * columns * Self.slotSize)
        pending = Array(repeating: .null, count: Self.batch * columns)
    }

    deinit {
        sqlite3_finalize(statement)
        slots.deallocate()
    }

    static func insertSQL(_ table: EHRSchema.Table, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(table.name) VALUES " + Array(repeating: row, count: rows).joined(separator: ",")
    }

    @inline(__always) private func set(_ column: Int32, _ value: Value) {
        pending[rowInBatch * columns + Int(column) - 1] = value
    }

    @inline(__always) func int(_ column: Int32, _ value: Int64) { set(column, .int(value)) }
    @inline(__always) func int(_ column: Int32, _ value: Int) { set(column, .int(Int64(value))) }
    @inline(__always) func real(_ column: Int32, _ value: Double) { set(column, .real(value)) }
    @inline(__always) func null(_ column: Int32) { set(column, .null) }
    @inline(__always) func text(_ column: Int32, _ value: StaticText) { set(column, .text(value.pointer, value.count)) }

    /// Text written into the row's and column's slot by `write`, which returns the length.
    @inline(__always) func formatted(_ column: Int32, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        let slot = slots + (rowInBatch * columns + Int(column) - 1) * Self.slotSize
        let count = write(slot)
        slot.withMemoryRebound(to: CChar.self, capacity: count) { set(column, .text(UnsafePointer($0), Int32(count))) }
    }

    @inline(__always) func date(_ column: Int32, day: Int) { formatted(column) { CivilTime.writeDate(day, to: $0) } }
    @inline(__always) func time(_ column: Int32, seconds: Int) {
        formatted(column) { CivilTime.writeTimestamp(seconds, to: $0) }
    }

    /// Ends the row; a full batch is handed to the writer.
    func step() throws {
        guard enabled else { return }
        rowInBatch += 1
        rows += 1
        if rowInBatch == Self.batch { try handOver() }
    }

    /// Hands over the rows of a batch that is not full. Call once, after the last row.
    func finish() throws {
        if rowInBatch > 0 { try handOver() }
    }

    private func handOver() throws {
        try writer.submit(.init(inserter: self, values: pending, slots: slots, rows: rowInBatch))
        slots = .allocate(capacity: Self.batch * columns * Self.slotSize)
        rowInBatch = 0
    }

    /// On the writer's thread.
    func write(_ batch: BatchWriter.Batch) throws {
        var statement = self.statement
        if batch.rows < Self.batch {
            statement = try writer.connection.prepare(Self.insertSQL(table, rows: batch.rows))
        }
        defer { if batch.rows < Self.batch { sqlite3_finalize(statement) } }
        for index in 0..<(batch.rows * columns) {
            let position = Int32(index + 1)
            switch batch.values[index] {
            case .int(let value): sqlite3_bind_int64(statement, position, value)
            case .real(let value): sqlite3_bind_double(statement, position, value)
            case .null: sqlite3_bind_null(statement, position)
            case .text(let pointer, let count): sqlite3_bind_text(statement, position, pointer, count, nil)
            }
        }
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard rc == SQLITE_DONE else {
            throw EHRError("\(String(cString: sqlite3_errmsg(writer.connection.handle))) writing \(table.name)")
        }
    }
}

/// Runs SQLite's side of the load on a thread of its own, batch after batch in the order they were
/// handed over (so the file is the same every time). At most `capacity` batches wait, which keeps
/// memory flat when drawing is faster than writing.
final class BatchWriter: @unchecked Sendable {
    struct Batch {
        let inserter: Inserter
        let values: [Inserter.Value]
        let slots: UnsafeMutablePointer<UInt8>
        let rows: Int
    }

    let connection: BulkConnection
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var head = 0
    private var busy = false
    private var stopped = false
    private var exited = false
    private var failure: EHRError?
    static let capacity = 256

    init(connection: BulkConnection) {
        self.connection = connection
        // The thread keeps the writer alive until `stop` lets it return.
        let thread = Thread { self.run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func submit(_ batch: Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - head >= Self.capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(batch)
        condition.broadcast()
    }

    /// Waits until every batch handed over is written; throws the first error.
    func drain() throws {
        condition.lock()
        defer { condition.unlock() }
        while (queue.count > head || busy) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    /// Ends the thread (after `drain`, or after a failure), and lets go of the batches: they hold the
    /// inserters, which hold this writer, and the cycle would keep the connection (and its lock) open.
    func stop() {
        condition.lock()
        stopped = true
        for batch in queue[head...] { batch.slots.deallocate() }
        queue.removeAll()
        head = 0
        condition.broadcast()
        // Wait for the thread to return, so that the connection closes before `generate` does.
        while !exited { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.count == head && !stopped { condition.wait() }
            if queue.count == head && stopped {
                exited = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = queue[head]
            head += 1
            if head > 1024 {
                queue.removeFirst(head)
                head = 0
            }
            busy = true
            condition.broadcast()
            condition.unlock()
            var error: EHRError?
            do { try batch.inserter.write(batch) } catch let failed as EHRError { error = failed } catch {}
            batch.slots.deallocate()
            condition.lock()
            busy = false
            if let error, failure == nil { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }
}

/// Days and seconds since 1970-01-01 (UTC; the data has no time zones) to ISO 8601 text, fast.
public enum CivilTime {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). `FHIRDate` has the same
    /// eight lines: both are library products that stand alone, and neither should import the other.
    public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day number.
    public static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    @inline(__always) static func two(_ value: Int, _ to: UnsafeMutablePointer<UInt8>) {
        to[0] = UInt8(48 + value / 10)
        to[1] = UInt8(48 + value % 10)
    }

    /// `YYYY-MM-DD`, 10 bytes.
    @inline(__always) static func writeDate(_ days: Int, to: UnsafeMutablePointer<UInt8>) -> Int {
        let (y, m, d) = civil(days)
        two(y / 100, to)
        two(y % 100, to + 2)
        to[4] = 45
        two(m, to + 5)
        to[7] = 45
        two(d, to + 8)
        return 10
    }

    /// `YYYY-MM-DD HH:MM:SS`, 19 bytes.
    @inline(__always) static func writeTimestamp(_ seconds: Int, to: UnsafeMutablePointer<UInt8>) -> Int {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        _ = writeDate(days, to: to)
        to[10] = 32
        two(rest / 3600, to + 11)
        to[13] = 58
        two(rest / 60 % 60, to + 14)
        to[16] = 58
        two(rest % 60, to + 17)
        return 19
    }

    public static func dateString(_ days: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: 10)
        _ = bytes.withUnsafeMutableBufferPointer { writeDate(days, to: $0.baseAddress!) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes a non-negative integer's decimal digits, zero-padded to `width`; returns the length.
    @inline(__always) static func writeDigits(_ value: Int, width: Int, to: UnsafeMutablePointer<UInt8>) -> Int {
        var digits = 0
        var rest = value
        repeat {
            digits += 1
            rest /= 10
        } while rest > 0
        let count = max(width, digits)
        rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            to[index] = UInt8(48 + rest % 10)
            rest /= 10
        }
        return count
    }
}
