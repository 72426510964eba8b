import FluentKit
import Foundation
import Crypto
import LinliCore
import PostgresNIO
import SQLiteKit

/// A column value of a bulk insert, kept in the form each database is sent it, so that a batch of
/// thousands of values is bound without an `Encodable` round trip per value. Values are stored as
/// Fluent stores them: on SQLite UUIDs as text and dates as seconds since 1970.
enum BulkValue: Sendable {
    case text(String)
    case integer(Int)
    case real(Double)
    case bool(Bool)
    case blob(Data)
    case uuid(UUID)
    case date(Date)
    case null
    /// Anything else, sent through the database's own encoder.
    case encodable(any Encodable & Sendable)

    init(_ value: any Encodable & Sendable) {
        // Other types (enums, arrays …) go to the encoder.
        switch value {
        case let v as String: self = .text(v)
        case let v as UUID: self = .uuid(v)
        case let v as Int: self = .integer(v)
        case let v as Date: self = .date(v)
        case let v as Double: self = .real(v)
        case let v as Data: self = .blob(v)
        case let v as Bool: self = .bool(v)
        case let v as Int64: self = .integer(Int(v))
        case let v as any NilCheckable where v.isNil: self = .null
        default: self = .encodable(value)
        }
    }

    static func text(_ s: String?) -> BulkValue { s.map(BulkValue.text) ?? .null }
    static func blob(_ d: Data?) -> BulkValue { d.map(BulkValue.blob) ?? .null }

    func sqliteData() throws -> SQLiteData {
        switch self {
        case .text(let s): return .text(s)
        case .integer(let i): return .integer(i)
        case .real(let d): return .float(d)
        case .bool(let b): return .integer(b ? 1 : 0)
        case .blob(let d): return .blob(ByteBuffer(bytes: d))
        case .uuid(let u): return .text(u.uuidString)
        case .date(let d): return .float(d.timeIntervalSince1970)
        case .null: return .null
        case .encodable(let v): return try SQLiteDataEncoder().encode(v)
        }
    }

    /// The value as COPY's text format reads it; nil for `.encodable`.
    var copyText: String? {
        switch self {
        case .text(let s): return Self.copyEscaped(s)
        case .integer(let i): return String(i)
        case .real(let d): return d.isFinite ? String(d) : (d.isNaN ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"))
        case .bool(let b): return b ? "t" : "f"
        // bytea's hex form; the backslash itself escaped for COPY.
        case .blob(let d): return Self.hex(d)
        case .uuid(let u): return u.uuidString.lowercased()
        case .date(let d): return Self.timestamp(d)
        case .null: return "\\N"
        case .encodable: return nil
        }
    }

    /// bytea's hex form (`\\x…`, its backslash escaped for COPY).
    static func hex(_ d: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [0x5C, 0x5C, 0x78]
        bytes.reserveCapacity(3 + d.count * 2)
        for b in d { bytes.append(digits[Int(b >> 4)]); bytes.append(digits[Int(b & 0x0F)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Backslash, tab, newline and carriage return are the characters COPY's text format gives a meaning.
    static func copyEscaped(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A timestamptz in UTC to the microsecond, the precision PostgreSQL keeps.
    static func timestamp(_ d: Date) -> String {
        let micros = Int64((d.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000)
        var (s, us) = seconds
        if us < 0 { s -= 1; us += 1_000_000 }
        let day = s.quotientAndRemainder(dividingBy: 86_400)
        var (days, secs) = day
        if secs < 0 { days -= 1; secs += 86_400 }
        let civil = CivilDate(dayNumber: Int(days))
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", civil.year, civil.month, civil.day,
                      Int(secs / 3600), Int(secs % 3600 / 60), Int(secs % 60), Int(us))
    }

    var sqlExpression: any SQLExpression {
        switch self {
        case .text(let s): return SQLBind(s)
        case .integer(let i): return SQLBind(i)
        case .real(let d): return SQLBind(d)
        case .bool(let b): return SQLBind(b)
        case .blob(let d): return SQLBind(d)
        case .uuid(let u): return SQLBind(u)
        case .date(let d): return SQLBind(d)
        case .null: return SQLLiteral.null
        case .encodable(let v): return SQLBind(v)
        }
    }
}

/// An optional seen through `any Encodable`: nil is NULL on every database.
private protocol NilCheckable { var isNil: Bool { get } }
extension Optional: NilCheckable {
    fileprivate var isNil: Bool { if case .none = self { true } else { false } }
}

/// Multi-row INSERTs of plain values: one statement per batch instead of one per row, which is what
/// makes loading a district take seconds rather than minutes.
struct BulkInsert {
    let table: String
    let columns: [String]
    private(set) var rows: [[BulkValue]] = []
    /// SQLite allows 32,766 bound values in one statement; stay well under.
    var maxRows: Int { max(1, 16_000 / columns.count) }

    init(_ table: String, _ columns: [String]) {
        self.table = table
        self.columns = columns
    }

    mutating func add(_ row: [any Encodable & Sendable]) {
        rows.append(row.map(BulkValue.init))
    }

    mutating func add(values row: [BulkValue]) {
        assert(row.count == columns.count)
        rows.append(row)
    }

    var isFull: Bool { rows.count >= maxRows }

    mutating func flush(on db: any Database) async throws {
        try await take()?.run(on: db)
    }

    /// The rows gathered so far, as a statement to run; the buffer starts again empty.
    mutating func take() -> Batch? {
        guard !rows.isEmpty else { return nil }
        defer { rows = [] }
        return Batch(table: table, columns: columns, rows: rows)
    }

    struct Batch: Sendable {
        let table: String
        let columns: [String]
        let rows: [[BulkValue]]

        func run(on db: any Database) async throws {
            if let sqlite = db as? any SQLiteDatabase {
                // Straight to SQLite: the values are bound as they are. OR FAIL: a failing batch fails the
                // whole load's transaction anyway, so SQLite need not undo the statement on its own.
                var binds: [SQLiteData] = []
                binds.reserveCapacity(rows.count * columns.count)
                for row in rows { for v in row { binds.append(try v.sqliteData()) } }
                let one = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
                let sql = "INSERT OR FAIL INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
                    + Array(repeating: one, count: rows.count).joined(separator: ",")
                try await sqlite.query(sql, binds, logger: db.logger) { _ in }.get()
                return
            }
            if let pg = db as? any PostgresDatabase, let data = copyText() {
                // PostgreSQL reads COPY's rows as a stream, without parsing or planning a statement per batch.
                try await pg.withConnection { conn in
                    conn.eventLoop.makeFutureWithTask {
                        try await conn.copyFrom(table: table, columns: columns, logger: db.logger) { try await $0.write(data) }
                    }
                }.get()
                return
            }
            var insert = SQLHelpers.sql(db).insert(into: table).columns(columns)
            for row in rows { insert = insert.values(row.map(\.sqlExpression)) }
            try await insert.run()
        }

        /// The rows in COPY's text format (tab between values, a row a line, `\N` for NULL); nil when a value is
        /// of a type only the database's own encoder knows, which then goes as an INSERT.
        func copyText() -> ByteBuffer? {
            var out = ByteBuffer()
            out.reserveCapacity(rows.count * columns.count * 16)
            for row in rows {
                for (i, v) in row.enumerated() {
                    if i > 0 { out.writeInteger(UInt8(ascii: "\t")) }
                    guard let text = v.copyText else { return nil }
                    out.writeString(text)
                }
                out.writeInteger(UInt8(ascii: "\n"))
            }
            return out
        }
    }
}

/// The registry's tables as the bulk loaders (the demo district, the import) write them.
extension BulkInsert {
    static func households() -> BulkInsert {
        BulkInsert(Household.schema, ["id", "number", "building_id", "grid_code", "room", "version", "created_at", "updated_at"])
    }

    static func residents() -> BulkInsert {
        BulkInsert(Resident.schema, ["id", "name", "name_pinyin", "name_initials", "id_cipher", "id_index", "id_masked",
                                     "birth_date", "sex", "phone_cipher", "phone_masked", "household_id", "relation",
                                     "residence_status", "life_status", "grid_code", "tags", "version", "created_at", "updated_at"])
    }

    static func residentTags() -> BulkInsert { BulkInsert(ResidentTagRow.schema, ["id", "resident_id", "tag"]) }

    static func residentEvents() -> BulkInsert {
        BulkInsert(ResidentEvent.schema, ["id", "resident_id", "kind", "occurred_on", "from_household_id", "to_household_id",
                                          "changes", "note", "recorded_at"])
    }
}

/// Double buffering for bulk loads: one batch of statements runs on the database while the caller
/// draws the next rows, so generating and encrypting use one core and SQLite the other. Batches run
/// strictly one after another, in order, on the caller's connection.
struct InsertPipeline {
    private var running: Task<Void, any Error>?

    /// Waits for the batch before (at most one is in flight), then starts these without waiting.
    mutating func submit(_ batches: [BulkInsert.Batch], on db: any Database) async throws {
        try await drain()
        guard !batches.isEmpty else { return }
        running = Task { for b in batches { try await b.run(on: db) } }
    }

    /// Waits until everything submitted has been written (before any statement of the caller's own).
    mutating func drain() async throws {
        let r = running
        running = nil
        try await r?.value
    }
}

/// Random bytes for rows written in bulk — identifiers and the encryption's nonces — from a keystream
/// (AES-256-GCM over zeros, under a fresh key from the system's secure generator, 4 KiB at a time):
/// Foundation's `UUID()` opens and reads /dev/urandom once per identifier, which for a district's worth
/// of rows costs more system time than writing them.
struct RandomPool {
    private let key = SymmetricKey(size: .bits256)
    private var counter: UInt64 = 0
    private var pool: [UInt8] = []
    private var next = 0
    /// Milliseconds and sequence of the last time-ordered identifier.
    private var lastMillis: UInt64 = 0
    private var sequence: UInt16 = 0

    /// A time-ordered identifier (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, a 12-bit
    /// sequence within the millisecond, 62 random bits. Rows loaded together get increasing keys, so
    /// SQLite appends to its primary-key index instead of inserting at random places in it.
    mutating func uuid() -> UUID {
        var u: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &u) { fill($0) }
        var millis = UInt64(Date().timeIntervalSince1970 * 1000)
        if millis <= lastMillis {
            millis = lastMillis
            if sequence == 0x0FFF { millis += 1; sequence = 0 } else { sequence += 1 }
        } else {
            sequence = 0
        }
        lastMillis = millis
        u.0 = UInt8(truncatingIfNeeded: millis >> 40); u.1 = UInt8(truncatingIfNeeded: millis >> 32)
        u.2 = UInt8(truncatingIfNeeded: millis >> 24); u.3 = UInt8(truncatingIfNeeded: millis >> 16)
        u.4 = UInt8(truncatingIfNeeded: millis >> 8); u.5 = UInt8(truncatingIfNeeded: millis)
        u.6 = 0x70 | UInt8(sequence >> 8)  // version 7
        u.7 = UInt8(truncatingIfNeeded: sequence)
        u.8 = (u.8 & 0x3F) | 0x80  // RFC 9562 variant
        return UUID(uuid: u)
    }

    /// `count` fresh random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { fill($0) }
        return out
    }

    private mutating func fill(_ out: UnsafeMutableRawBufferPointer) {
        if next + out.count > pool.count {
            counter += 1
            var nonce = [UInt8](repeating: 0, count: 12)
            withUnsafeBytes(of: counter.littleEndian) { nonce.replaceSubrange(0..<8, with: $0) }
            // Never the same nonce twice under one key: the counter.
            pool = [UInt8](try! AES.GCM.seal([UInt8](repeating: 0, count: 4096), using: key, nonce: AES.GCM.Nonce(data: nonce)).ciphertext)
            next = 0
        }
        pool.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[next..<next + out.count])) }
        next += out.count
    }
}

