import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A correction of a person's points by the street (调整), with its reason, audited. A negative one takes the
/// points only if the balance holds them (refused at `points` otherwise): unlike a correction of volunteer hours,
/// a worker's correction can wait until it is right.
extension SupermarketQueries {
    public func adjust(_ residentID: UUID, points: Int?, reason: String?, by actor: SupermarketActor) async throws -> LovePointEntryRecord {
        guard actor.mayKeepGoods else { throw RegistryError.forbidden("您没有调整爱心积分的权限") }
        guard let row = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(residentID)).first(),
              actor.scope.contains(code: try row.decode(column: "grid_code", as: String.self)) else { throw RegistryError.notFound("居民") }
        let grid = try row.decode(column: "grid_code", as: String.self)
        let errors = SupermarketRules.checkAdjustment(points: points, reason: reason)
        guard errors.isEmpty, let points, let why = reason?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        let at = nowSeconds, day = today.description, who = actor.audit.username
        let id = try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let posted: LovePoints.Posted
            if points > 0 {
                posted = try await LovePoints.post(residentID: residentID, points: points, kind: .adjustment, on: day, reference: nil, note: why,
                                                   recordedBy: who, now: at, sql: sql)
            } else {
                guard let p = try await LovePoints.debit(residentID: residentID, grid: grid, points: -points, kind: .adjustment, on: day, reference: nil,
                                                         note: why, recordedBy: who, now: at, sql: sql) else {
                    let have = try await sql.select().column("balance").from("love_point_balances").where("resident_id", .equal, SQLBind(residentID)).first()
                    throw RegistryError.invalid([FieldError("points", "积分不足：现有\(try have?.decode(column: "balance", as: Int.self) ?? 0)分，不能减少\(-points)分")])
                }
                posted = p
            }
            try await AuditLog.append([AuditEvent(SupermarketAudit.adjust, target: .lovePoints(residentID), detail: ["points": String(points)])],
                                      by: actor.audit, on: db)
            return posted.entryID
        }
        guard let entry = try await sql.select().columns("id", "resident_id", "seq", "kind", "points", "balance", "shortfall", "on_date", "reference", "note",
                                                         "recorded_by", "created_at")
            .from("love_point_entries").where("id", .equal, SQLBind(id)).first() else { throw RegistryError.notFound("积分记录") }
        return try entry.decodeRecord(LovePointEntryRecord.self)
    }
}
