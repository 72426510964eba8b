import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The district's rates and the monthly allowance run. A rate is a row effective from a day: a new rate is a
/// new row, so the points already credited keep the rate of their day. The allowance credits each household
/// with a monthly assistance case in payment that month once (`love_point_allowances` is unique per household
/// and month: a second run, even at the same time, credits nothing twice), to the case's applicant.
extension SupermarketQueries {
    /// What a rate may be set for: an hour of volunteer service, or a month on one of the monthly kinds.
    public static var rateKinds: [(kind: String, label: String)] {
        [(LovePointRateKind.volunteerHour, "志愿服务每小时")]
            + AssistanceKind.allCases.filter(\.isMonthly).map { (LovePointRateKind.allowance($0.rawValue), "\($0.shortLabel)家庭每月") }
    }

    /// Sets a rate from a day on (today or later: what is already credited stays as it was). The same kind and
    /// day again replaces that row.
    public func setRate(kind: String?, points: Int?, effectiveFrom: CivilDate?, by actor: SupermarketActor) async throws -> LovePointRateRecord {
        guard actor.mayConfigure else { throw RegistryError.forbidden("您没有配置爱心积分标准的权限") }
        var errors = SupermarketRules.checkRate(points, from: effectiveFrom)
        guard let kind, Self.rateKinds.contains(where: { $0.kind == kind }) else {
            throw RegistryError.invalid(errors + [FieldError("kind", "积分项目可选：\(Self.rateKinds.map(\.kind).joined(separator: "、"))")])
        }
        if let from = effectiveFrom, from < today { errors.append(FieldError("effective_from", "生效日期不能早于今天（已记入的积分不随标准改变）")) }
        guard errors.isEmpty, let points, let from = effectiveFrom?.description else { throw RegistryError.invalid(errors) }
        let at = nowSeconds, who = actor.audit.username
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.raw("""
                INSERT INTO love_point_rates (id, kind, points, effective_from, set_by, set_at)
                VALUES (\(bind: UUID()), \(bind: kind), \(bind: points), \(bind: from), \(bind: who), \(bind: at))
                ON CONFLICT (kind, effective_from) DO UPDATE SET points = excluded.points, set_by = excluded.set_by, set_at = excluded.set_at
                """).run()
            try await AuditLog.append([AuditEvent(SupermarketAudit.rate, target: .table("love_point_rates"),
                                                  detail: ["kind": kind, "points": String(points), "from": from])], by: actor.audit, on: db)
        }
        return LovePointRateRecord(kind: kind, points: points, effectiveFrom: from, setBy: who)
    }

    /// The monthly allowance of `month` ('YYYY-MM', not in the future) to the households of the caller's area.
    public func runAllowance(month: String?, by actor: SupermarketActor) async throws -> AllowanceRunSummary {
        guard actor.mayConfigure else { throw RegistryError.forbidden("您没有发放救助家庭月度爱心积分的权限") }
        let errors = SupermarketRules.checkMonth(month, today: today)
        guard errors.isEmpty, let month else { throw RegistryError.invalid(errors) }
        let first = month + "-01"
        var rates: [String: Int] = [:]
        for k in AssistanceKind.allCases where k.isMonthly {
            if let r = try await LovePoints.rate(LovePointRateKind.allowance(k.rawValue), on: first, sql: sql), r > 0 { rates[k.rawValue] = r }
        }
        if rates.isEmpty { return AllowanceRunSummary(month: month) }
        // The cases paid that month (as the payroll reads them): approved from `first_month`, or ended during it.
        let rows = try await sql.select().columns("id", "household_id", "applicant_id", "kind").from("assistance_cases")
            .where("kind", .in, SQLBind.group(Array(rates.keys))).where("first_month", .lessThanOrEqual, SQLBind(month))
            .where { s in
                s.where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)).orWhere { e in
                    e.where("stage", .equal, SQLBind(AssistanceStage.ended.rawValue)).where("ended_on", .greaterThanOrEqual, SQLBind(first))
                }
            }
            .wherePrefix("grid_code", actor.scope.prefix, sqlite: sqlite).orderBy("household_id").orderBy("kind").all()
        // One credit a household: the case with the largest allowance.
        var best: [UUID: (caseID: UUID, applicant: UUID, kind: String, points: Int)] = [:]
        for r in rows {
            let h = try r.decode(column: "household_id", as: UUID.self), kind = try r.decode(column: "kind", as: String.self)
            let points = rates[kind] ?? 0
            if let b = best[h], b.points >= points { continue }
            best[h] = (try r.decode(column: "id", as: UUID.self), try r.decode(column: "applicant_id", as: UUID.self), kind, points)
        }
        let applicants = Array(Set(best.values.map(\.applicant)))
        var active = Set<UUID>()
        for chunk in stride(from: 0, to: applicants.count, by: 500).map({ Array(applicants[$0..<min($0 + 500, applicants.count)]) }) {
            for r in try await sql.select().column("id").from(Resident.schema).where("id", .in, SQLBind.group(chunk))
                .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all() { active.insert(try r.decode(column: "id", as: UUID.self)) }
        }
        let plan = best.sorted { $0.key.uuidString < $1.key.uuidString }
        let at = nowSeconds, who = actor.audit.username
        return try await db.writeTransaction { [active] db in
            let sql = SQLHelpers.sql(db)
            var s = AllowanceRunSummary(month: month)
            for (household, c) in plan {
                guard active.contains(c.applicant) else { s.skipped += 1; continue }
                let claimed = try await sql.raw("""
                    INSERT INTO love_point_allowances (household_id, month, resident_id, case_id, kind, points, created_at)
                    VALUES (\(bind: household), \(bind: month), \(bind: c.applicant), \(bind: c.caseID), \(bind: c.kind), \(bind: c.points), \(bind: at))
                    ON CONFLICT (household_id, month) DO NOTHING RETURNING household_id
                    """).first()
                guard claimed != nil else { s.already += 1; continue }
                let label = AssistanceKind(rawValue: c.kind)?.shortLabel ?? c.kind
                _ = try await LovePoints.post(residentID: c.applicant, points: c.points, kind: .allowance, on: first, reference: c.caseID.uuidString,
                                              note: "\(month) \(label)家庭月度爱心积分", recordedBy: who, now: at, sql: sql)
                s.credited += 1; s.points += c.points
            }
            try await AuditLog.append([AuditEvent(SupermarketAudit.allowance, target: .table("love_point_allowances"),
                                                  detail: ["month": month, "credited": String(s.credited), "already": String(s.already),
                                                           "points": String(s.points)])], by: actor.audit, on: db)
            return s
        }
    }
}
