import FluentKit
import Foundation
import SQLKit

/// Re-encrypts every value sealed with `PersonalDataCipher` under the current master key and rebuilds
/// the blind index, batch by batch, while the server serves (decision 0010). The cipher holds the new key
/// as current and the old one as previous: rows are read with either, written with the new one.
///
/// Each batch commits its rows together with the table's progress, so a killed run loses at most the
/// batch in flight and the next run goes on from the last committed one. A row is rewritten only if it
/// still holds the bytes that were read (compare-and-set), so an edit made by the server meanwhile —
/// already sealed with the new key — is never overwritten with the older value.
public struct KeyRotation: Sendable {
    /// Every table with sealed columns; `indexed` names the blind index kept beside a sealed column.
    /// A new sealed column must be added here (`KeyRotationTests.everySealedColumnIsRotated` checks).
    public struct Table: Sendable {
        public var name: String
        public var columns: [String]
        public var indexed: [String: String] = [:]
    }

    public static let tables: [Table] = [
        Table(name: "residents", columns: ["id_cipher", "phone_cipher"], indexed: ["id_cipher": "id_index"]),
        Table(name: "accounts", columns: ["totp_cipher"]),
        Table(name: "care_assessments", columns: ["scores_cipher"]),
        Table(name: "requests", columns: ["contact_cipher"]),
        Table(name: "assistance_cases", columns: ["facts_cipher"]),
        Table(name: "assistance_objections", columns: ["contact_cipher"]),
        Table(name: "disability_cards", columns: ["number_cipher"], indexed: ["number_cipher": "number_index"]),
        Table(name: "donation_points", columns: ["keeper_phone_cipher"]),
        Table(name: "organizations", columns: ["phone_cipher"]),
        Table(name: "election_objections", columns: ["contact_cipher"]),
        Table(name: "workers", columns: ["phone_cipher"]),
        Table(name: "rentals", columns: ["landlord_phone_cipher"]),
        Table(name: "units", columns: ["contact_phone_cipher"]),
    ]

    public enum Failure: Error, CustomStringConvertible {
        case noPreviousKey
        case unreadable(table: String, column: String, id: UUID)
        case changing(table: String, id: UUID)
        public var description: String {
            switch self {
            case .noPreviousKey:
                return "没有配置旧密钥：轮换时当前密钥（LINLI_DATA_KEY 或 data.key）应为新密钥，旧密钥放在 LINLI_DATA_KEY_PREVIOUS 或 data.key.previous（见 docs/operations.md）"
            case .unreadable(let t, let c, let id):
                return "\(t).\(c)（id \(id)）既不能用新密钥也不能用旧密钥解密：密钥配置有误，未继续"
            case .changing(let t, let id):
                return "\(t)（id \(id)）在重新加密时一再被修改：请重新运行 linli keys rotate（从上次提交处继续）"
            }
        }
    }

    public struct Summary: Sendable {
        public var rows = 0
        public var rotated = 0
        public var resumed = false
    }

    let db: any Database
    let cipher: PersonalDataCipher
    let batchSize: Int

    public init(_ db: any Database, cipher: PersonalDataCipher, batchSize: Int = 500) {
        self.db = db
        self.cipher = cipher
        self.batchSize = max(1, batchSize)
    }

    /// Rows with sealed values, table by table (what the progress bar counts).
    public func totals() async throws -> [String: Int] {
        let sql = SQLHelpers.sql(db)
        var out: [String: Int] = [:]
        for t in Self.tables {
            out[t.name] = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(t.name))
        }
        return out
    }

    /// Runs (or resumes) the rotation to the cipher's current key. `progress` gets rows done and the total.
    public func rotate(by actor: AuditActor, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        guard let fromKey = cipher.previousKeyID else { throw Failure.noPreviousKey }
        let toKey = cipher.keyID
        let sql = SQLHelpers.sql(db)
        let existing = try await sql.select().column("finished_at").from("key_rotations").where("to_key", .equal, SQLBind(toKey)).first()
        // An unfinished rotation resumes; a finished one is run again as a fresh pass (rows already
        // sealed with the new key are only read).
        let isNew = existing == nil
        let resumed = try existing.map { try $0.decodeNil(column: "finished_at") } ?? false
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if isNew {
                try await sql.insert(into: "key_rotations").columns("to_key", "from_key", "started_at", "finished_at")
                    .values(SQLBind(toKey), SQLBind(fromKey), SQLBind(Date()), SQLLiteral.null).run()
            } else if !resumed {
                try await sql.update("key_rotations").set("from_key", to: SQLBind(fromKey)).set("started_at", to: SQLBind(Date()))
                    .set("finished_at", to: SQLLiteral.null).where("to_key", .equal, SQLBind(toKey)).run()
                try await sql.delete(from: "key_rotation_progress").where("to_key", .equal, SQLBind(toKey)).run()
            }
            try await AuditLog.append([AuditEvent(PlatformAudit.dataKeyRotateStart, target: .dataKey(toKey),
                                                  detail: ["from_key": fromKey, "to_key": toKey, "resumed": resumed ? "true" : "false",
                                                           "batch": String(batchSize)])], by: actor, on: db)
        }

        let totals = try await totals()
        let total = totals.values.reduce(0, +)
        var summary = Summary(resumed: resumed)
        var before = 0
        for table in Self.tables {
            var state = try await loadProgress(table.name, toKey: toKey)
            summary.rows += state.done
            progress(before + state.done, total)
            while !state.finished {
                let batch = try await rotateBatch(table, after: state.lastID)
                state.lastID = batch.lastID ?? state.lastID
                state.done += batch.rows
                state.finished = batch.rows < batchSize
                summary.rows += batch.rows
                summary.rotated += batch.rotated
                try await commit(table, batch: batch, state: state, toKey: toKey)
                progress(min(before + state.done, total), total)
            }
            before += totals[table.name] ?? 0
        }
        let done = summary
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.update("key_rotations").set("finished_at", to: SQLBind(Date())).where("to_key", .equal, SQLBind(toKey)).run()
            try await AuditLog.append([AuditEvent(PlatformAudit.dataKeyRotateFinish, target: .dataKey(toKey),
                                                  detail: ["from_key": fromKey, "to_key": toKey, "rows": String(done.rows),
                                                           "rotated_this_run": String(done.rotated)])], by: actor, on: db)
        }
        return summary
    }

    /// Whether the rotation to the current key has been carried to its end (nil: never started).
    public func isFinished() async throws -> Bool? {
        guard let row = try await SQLHelpers.sql(db).select().column("finished_at").from("key_rotations")
            .where("to_key", .equal, SQLBind(cipher.keyID)).first() else { return nil }
        return try !row.decodeNil(column: "finished_at")
    }

    /// Why the server should not start with this cipher, if it should not: the previous key removed
    /// before the rotation to the current one finished, or a key that opens neither the first nor the
    /// last resident's ID number (a regenerated `data.key`, a mistyped `LINLI_DATA_KEY`).
    public func startupProblem() async throws -> String? {
        if !cipher.hasPreviousKey, try await isFinished() == false {
            return "到当前数据密钥（\(cipher.keyID)）的轮换尚未完成，旧密钥却已不在配置中：请恢复 LINLI_DATA_KEY_PREVIOUS（或 data.key.previous），运行 linli keys rotate 与 linli keys verify 后再删除"
        }
        let sql = SQLHelpers.sql(db)
        for direction in [SQLDirection.ascending, .descending] {
            guard let row = try await sql.select().column("id_cipher").from("residents").orderBy("id", direction).limit(1).first() else { break }
            guard (try? cipher.open(try row.decode(column: "id_cipher", as: Data.self))) != nil else {
                return "数据密钥（\(cipher.keyID)）打不开数据库中的身份证号：LINLI_DATA_KEY 或 data.key 不是这份数据的密钥（轮换期间旧密钥应在 LINLI_DATA_KEY_PREVIOUS 或 data.key.previous）"
            }
        }
        return nil
    }

    struct Progress: Sendable { var lastID: UUID?; var done: Int; var finished: Bool }

    func loadProgress(_ table: String, toKey: String) async throws -> Progress {
        let sql = SQLHelpers.sql(db)
        if let row = try await sql.select().columns("last_id", "rows_done", "done").from("key_rotation_progress")
            .where("to_key", .equal, SQLBind(toKey)).where("table_name", .equal, SQLBind(table)).first() {
            return Progress(lastID: try row.decode(column: "last_id", as: UUID?.self), done: try row.decode(column: "rows_done", as: Int.self),
                            finished: try row.decode(column: "done", as: Bool.self))
        }
        try await sql.insert(into: "key_rotation_progress").columns("to_key", "table_name", "last_id", "rows_done", "rows_rotated", "done")
            .values(SQLBind(toKey), SQLBind(table), SQLLiteral.null, SQLBind(0), SQLBind(0), SQLBind(false)).run()
        return Progress(lastID: nil, done: 0, finished: false)
    }

    struct Change: Sendable { var id: UUID; var old: [(String, Data)]; var new: [(String, any Encodable & Sendable)] }
    struct Batch: Sendable { var rows: Int; var rotated: Int; var lastID: UUID?; var changes: [Change] }

    /// Reads the next batch (outside any transaction: the crypto runs while others write) and works out
    /// the new values of the rows still sealed with the previous key.
    func rotateBatch(_ table: Table, after last: UUID?) async throws -> Batch {
        let sql = SQLHelpers.sql(db)
        var query = sql.select().column("id").columns(table.columns).from(table.name)
        if let last { query = query.where("id", .greaterThan, SQLBind(last)) }
        let rows = try await query.orderBy("id").limit(batchSize).all()
        var batch = Batch(rows: rows.count, rotated: 0, lastID: nil, changes: [])
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            batch.lastID = id
            if let change = try change(of: row, id: id, in: table) { batch.changes.append(change) }
        }
        batch.rotated = batch.changes.count
        return batch
    }

    /// The new values of a row's columns still sealed with the previous key (nil if none is).
    private func change(of row: any SQLRow, id: UUID, in table: Table) throws -> Change? {
        var change = Change(id: id, old: [], new: [])
        for column in table.columns {
            guard let sealed = try row.decode(column: column, as: Data?.self) else { continue }
            let isCurrent: Bool
            do { isCurrent = try cipher.openIfCurrent(sealed) != nil } catch {
                throw Failure.unreadable(table: table.name, column: column, id: id)
            }
            if isCurrent { continue }
            let clear = try cipher.open(sealed)
            change.old.append((column, sealed))
            change.new.append((column, try cipher.seal(clear)))
            if let index = table.indexed[column] { change.new.append((index, cipher.blindIndex(clear))) }
        }
        return change.old.isEmpty ? nil : change
    }

    /// Writes a batch's rows and the table's progress in one transaction.
    func commit(_ table: Table, batch: Batch, state: Progress, toKey: String) async throws {
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            func compareAndSet(_ change: Change) async throws -> Bool {
                var update = sql.update(table.name)
                for (column, value) in change.new { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
                update = update.where("id", .equal, SQLBind(change.id))
                for (column, old) in change.old { update = update.where(SQLIdentifier(column), .equal, SQLBind(old)) }
                return try await !update.returning("id").all().isEmpty
            }
            for change in batch.changes where try await !compareAndSet(change) {
                // The server rewrote the row after it was read: read it again, now locked (SQLite's write
                // transaction holds the database; PostgreSQL locks the row), and rotate what is still old.
                var reread = sql.select().column("id").columns(table.columns).from(table.name).where("id", .equal, SQLBind(change.id))
                if !db.isSQLite { reread = reread.for(.update) }
                if let row = try await reread.first(), let fresh = try self.change(of: row, id: change.id, in: table) {
                    guard try await compareAndSet(fresh) else { throw Failure.changing(table: table.name, id: change.id) }
                }
            }
            try await sql.update("key_rotation_progress")
                .set("last_id", to: SQLBind(state.lastID)).set("rows_done", to: SQLBind(state.done))
                .set("rows_rotated", to: SQLBinaryExpression(SQLIdentifier("rows_rotated"), .add, SQLLiteral.numeric(String(batch.rotated)))).set("done", to: SQLBind(state.finished))
                .where("to_key", .equal, SQLBind(toKey)).where("table_name", .equal, SQLBind(table.name)).run()
        }
    }

    // MARK: Verification

    public struct Problem: Sendable, CustomStringConvertible {
        public var table: String
        public var column: String
        public var id: UUID
        public var what: String
        public var description: String { "\(table).\(column) id \(id)：\(what)" }
    }

    public struct Verification: Sendable {
        public var values = 0
        public var problems: [Problem] = []
        /// Problems found, also those not listed (at most 100 are kept).
        public var problemCount = 0
    }

    /// Checks that every sealed value opens with the current key alone and that every blind index is the
    /// current key's index of its value.
    public func verify() async throws -> Verification {
        let strict = cipher.currentKeyOnly, sql = SQLHelpers.sql(db)
        var out = Verification()
        func problem(_ t: String, _ c: String, _ id: UUID, _ what: String) {
            out.problemCount += 1
            if out.problems.count < 100 { out.problems.append(Problem(table: t, column: c, id: id, what: what)) }
        }
        for table in Self.tables {
            let indexColumns = table.columns.compactMap { table.indexed[$0] }
            var last: UUID?
            while true {
                var query = sql.select().column("id").columns(table.columns + indexColumns).from(table.name)
                if let last { query = query.where("id", .greaterThan, SQLBind(last)) }
                let rows = try await query.orderBy("id").limit(batchSize).all()
                for row in rows {
                    let id = try row.decode(column: "id", as: UUID.self)
                    last = id
                    for column in table.columns {
                        guard let sealed = try row.decode(column: column, as: Data?.self) else { continue }
                        out.values += 1
                        guard let clear = try? strict.open(sealed) else {
                            problem(table.name, column, id, "不能用当前密钥解密")
                            continue
                        }
                        if let index = table.indexed[column], try row.decode(column: index, as: String.self) != strict.blindIndex(clear) {
                            problem(table.name, index, id, "盲索引不是当前密钥计算的值")
                        }
                    }
                }
                if rows.count < batchSize { break }
            }
        }
        return out
    }
}
