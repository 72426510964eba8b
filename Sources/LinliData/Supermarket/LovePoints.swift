import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 爱心积分: the points ledger of each person. Every change goes through here, inside the caller's write
/// transaction: the person's balance row is changed by one statement (a debit only `WHERE balance >= n`), which
/// also takes the ledger's next sequence number, then the entry is written with the balance after it. Two
/// writers for one person queue on the balance row (a row lock on PostgreSQL, the write lock on SQLite).
public enum LovePoints {
    /// What a change of the ledger wrote.
    public struct Posted: Sendable, Equatable {
        public var entryID: UUID
        public var balance: Int
        /// A negative correction larger than the balance: the part not taken back.
        public var shortfall: Int
    }

    /// Points for verified volunteer hours, at the district's rate on `day`, to the person's ledger, within the
    /// caller's transaction (`db` is the transaction's). `hours` may be negative: a correction of hours already
    /// credited. A correction never takes the balance below zero: the balance stops at zero and the entry keeps
    /// the points that could not be taken back as its `shortfall` (points already spent at the counter stay
    /// spent). `reference` names the volunteer record (kept on the entry). Throws `RegistryError.invalid` at
    /// `hours` for zero or absurd hours, `notFound` for an unknown person, `conflictingState` when no rate is
    /// configured for the day.
    @discardableResult
    public static func creditHours(residentID: UUID, hours: Double, on day: CivilDate, reference: UUID, in db: any Database,
                                   recordedBy: String = "volunteers", now: Int64 = Int64(Date().timeIntervalSince1970)) async throws -> Posted {
        guard hours.isFinite, hours != 0, abs(hours) <= 24 * 366 else { throw RegistryError.invalid([FieldError("hours", "志愿服务时长应为非零的小时数")]) }
        let sql = SQLHelpers.sql(db)
        guard try await rate(LovePointRateKind.volunteerHour, on: day.description, sql: sql) != nil else {
            throw RegistryError.conflictingState("尚未配置志愿服务积分标准（\(day)）")
        }
        // The same path as the volunteers' verification, so what is tested here is what they run.
        guard let posted = try await creditVerifiedMinutes(residentID: residentID, minutes: Int((hours * 60).rounded()), servedOn: day,
                                                           reference: reference, recordedBy: recordedBy, now: now, sql: sql) else {
            throw RegistryError.invalid([FieldError("hours", "志愿服务时长应为非零的小时数")])
        }
        return posted
    }

    /// The volunteers' verification and correction call this inside their write transaction: `minutes` of verified
    /// service (negative for a correction) earn points at the rate of the day served. Hours served before any rate
    /// was in force earn none (nil, nothing written), so a verification never waits on the supermarket's settings.
    @discardableResult
    public static func creditVerifiedMinutes(residentID: UUID, minutes: Int, servedOn day: CivilDate, reference: UUID, recordedBy: String,
                                             now: Int64, sql: any SQLDatabase) async throws -> Posted? {
        guard minutes != 0, let rate = try await rate(LovePointRateKind.volunteerHour, on: day.description, sql: sql) else { return nil }
        let hours = Double(minutes) / 60
        return try await post(residentID: residentID, points: SupermarketRules.points(hours: hours, rate: rate), kind: .volunteerHours,
                              on: day.description, reference: reference.uuidString, note: String(format: "%g 小时 × %d 分/小时", hours, rate),
                              recordedBy: recordedBy, now: now, sql: sql)
    }

    /// The rate of `kind` in force on `day` (the row with the latest `effective_from` not after it).
    public static func rate(_ kind: String, on day: String, sql: any SQLDatabase) async throws -> Int? {
        let rates = try await sql.select().columns("effective_from", "points").from("love_point_rates").where("kind", .equal, SQLBind(kind)).all()
            .map { (from: try $0.decode(column: "effective_from", as: String.self), points: try $0.decode(column: "points", as: Int.self)) }
        return SupermarketRules.rate(on: day, among: rates)
    }

    /// Credits (points > 0) or corrects (points < 0, clamped at zero with the shortfall recorded). A zero
    /// change writes an entry too (a correction of nothing is still on the record).
    static func post(residentID: UUID, points: Int, kind: LovePointKind, on day: String, reference: String?, note: String?,
                     recordedBy: String, now: Int64, sql: any SQLDatabase) async throws -> Posted {
        guard let person = try await sql.select().column("grid_code").from("residents").where("id", .equal, SQLBind(residentID)).first() else {
            throw RegistryError.notFound("居民")
        }
        let grid = try person.decode(column: "grid_code", as: String.self)
        // Takes the row (and its lock) first: the balance read here is the one the change applies to.
        let row = try await sql.raw("""
            INSERT INTO love_point_balances (resident_id, grid_code, balance, earned, spent, entries, updated_at)
            VALUES (\(bind: residentID), \(bind: grid), 0, 0, 0, 1, \(bind: now))
            ON CONFLICT (resident_id) DO UPDATE SET entries = love_point_balances.entries + 1, grid_code = excluded.grid_code,
                updated_at = excluded.updated_at
            RETURNING balance, entries
            """).first()
        guard let row else { throw RegistryError.notFound("积分账户") }
        let before = try row.decode(column: "balance", as: Int.self), seq = try row.decode(column: "entries", as: Int.self)
        let change = points >= 0 ? points : -min(before, -points)
        let shortfall = points >= 0 ? 0 : -points - min(before, -points)
        if change != 0 {
            try await sql.raw("""
                UPDATE love_point_balances SET balance = balance + \(bind: change),
                    earned = earned + \(bind: max(change, 0)), spent = spent + \(bind: kind == .redemption ? -change : 0)
                WHERE resident_id = \(bind: residentID)
                """).run()
        }
        if change > 0 && SupermarketTally.earns(kind) { try await SupermarketTally.add(grid: grid, day: day, earned: change, sql: sql) }
        let id = UUID()
        try await insertEntry(id, residentID, seq: seq, grid: grid, kind: kind, points: change, balance: before + change, shortfall: shortfall,
                              day: day, reference: reference, note: note, recordedBy: recordedBy, now: now, sql: sql)
        return Posted(entryID: id, balance: before + change, shortfall: shortfall)
    }

    /// Takes `points` (> 0) off the balance if it holds them, in one statement; nil (nothing written) when it does not.
    static func debit(residentID: UUID, grid: String, points: Int, kind: LovePointKind, on day: String, reference: String?, note: String?,
                      recordedBy: String, now: Int64, sql: any SQLDatabase) async throws -> Posted? {
        guard let row = try await sql.raw("""
            UPDATE love_point_balances SET balance = balance - \(bind: points), spent = spent + \(bind: kind == .redemption ? points : 0), entries = entries + 1,
                grid_code = \(bind: grid), updated_at = \(bind: now)
            WHERE resident_id = \(bind: residentID) AND balance >= \(bind: points)
            RETURNING balance, entries
            """).first() else { return nil }
        let balance = try row.decode(column: "balance", as: Int.self), seq = try row.decode(column: "entries", as: Int.self)
        let id = UUID()
        try await insertEntry(id, residentID, seq: seq, grid: grid, kind: kind, points: -points, balance: balance, shortfall: 0,
                              day: day, reference: reference, note: note, recordedBy: recordedBy, now: now, sql: sql)
        return Posted(entryID: id, balance: balance, shortfall: 0)
    }

    /// Gives back points taken by a redemption (its void): not earned again, so `spent` goes down.
    static func giveBack(residentID: UUID, points: Int, on day: String, reference: String, recordedBy: String, now: Int64,
                         sql: any SQLDatabase) async throws -> Posted {
        guard let row = try await sql.raw("""
            UPDATE love_point_balances SET balance = balance + \(bind: points), spent = spent - \(bind: points), entries = entries + 1,
                updated_at = \(bind: now)
            WHERE resident_id = \(bind: residentID)
            RETURNING balance, entries, grid_code
            """).first() else { throw RegistryError.notFound("积分账户") }
        let balance = try row.decode(column: "balance", as: Int.self), seq = try row.decode(column: "entries", as: Int.self)
        let id = UUID()
        try await insertEntry(id, residentID, seq: seq, grid: try row.decode(column: "grid_code", as: String.self), kind: .voided, points: points,
                              balance: balance, shortfall: 0, day: day, reference: reference, note: nil, recordedBy: recordedBy, now: now, sql: sql)
        return Posted(entryID: id, balance: balance, shortfall: 0)
    }

    static func insertEntry(_ id: UUID, _ residentID: UUID, seq: Int, grid: String, kind: LovePointKind, points: Int, balance: Int, shortfall: Int,
                            day: String, reference: String?, note: String?, recordedBy: String, now: Int64, sql: any SQLDatabase) async throws {
        try await sql.insert(into: "love_point_entries")
            .columns("id", "resident_id", "seq", "grid_code", "kind", "points", "balance", "shortfall", "on_date", "reference", "note",
                     "recorded_by", "created_at")
            .values(SQLBind(id), SQLBind(residentID), SQLBind(seq), SQLBind(grid), SQLBind(kind.rawValue), SQLBind(points), SQLBind(balance),
                    SQLBind(shortfall), SQLBind(day), SQLBind(reference), SQLBind(note), SQLBind(recordedBy), SQLBind(now))
            .run()
    }
}
