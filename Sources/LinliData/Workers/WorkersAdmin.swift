import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The reserve lists (后备干部), the district's pay scale and the figures per community.
extension WorkersQueries {
    /// Puts a worker on the street's or the district's reserve list: once at a time per list (409 at `level`);
    /// the district's list needs the district.
    public func addReserve(_ id: UUID, level: ReserveLevel?, reason: String?, on date: CivilDate?, by actor: WorkersActor) async throws -> ReserveRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有管理后备干部名单的权限") }
        _ = try await require(id, in: actor.scope)
        var e: [FieldError] = []
        if level == nil { e.append(FieldError("level", "请选择名单（街道或区后备干部）")) }
        WorkerRules.text(reason, "reason", "列入理由", max: 300, required: true, into: &e)
        WorkerRules.past(date, "listed_on", "列入日期", today: today, into: &e)
        guard e.isEmpty, let level, let date else { throw RegistryError.invalid(e) }
        if level == .district && !actor.mayGrades { throw RegistryError.forbidden("区后备干部名单由区民政部门确定") }
        let rid = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("SELECT id FROM workers WHERE id = \(bind: id) FOR UPDATE").run() }
            if try await sql.select().column("id").from("worker_reserves").where("worker_id", .equal, SQLBind(id)).where("level", .equal, SQLBind(level.rawValue))
                .where("removed_on", .is, SQLLiteral.null).first() != nil {
                throw RegistryError.conflict(FieldError("level", "该工作者已在\(level.label)名单上"))
            }
            try await sql.insert(into: "worker_reserves").columns("id", "worker_id", "level", "listed_on", "listed_by", "reason", "created_at")
                .values(SQLBind(rid), SQLBind(id), SQLBind(level.rawValue), SQLBind(date.description), SQLBind(actor.audit.username),
                        SQLBind(reason!.trimmed), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(WorkersAudit.reserveAdd, target: .worker(id), detail: ["level": level.rawValue])], by: actor.audit, on: db)
        }
        guard let r = try await reserveSelect.where(SQLColumn("id", table: "r"), .equal, SQLBind(rid)).first() else { throw RegistryError.notFound("后备干部记录") }
        return try r.decodeRecord(ReserveRecord.self)
    }

    /// Takes a worker off a reserve list, with the reason; the entry stays, marked removed.
    public func removeReserve(_ reserveId: UUID, reason: String?, by actor: WorkersActor) async throws {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有管理后备干部名单的权限") }
        guard let row = try await scoped(reserveSelect, actor.scope).where(SQLColumn("id", table: "r"), .equal, SQLBind(reserveId)).first() else {
            throw RegistryError.notFound("后备干部记录")
        }
        let r = try row.decodeRecord(ReserveRecord.self)
        if r.level == .district && !actor.mayGrades { throw RegistryError.forbidden("区后备干部名单由区民政部门调整") }
        var e: [FieldError] = []
        WorkerRules.text(reason, "reason", "移出理由", max: 300, required: true, into: &e)
        guard e.isEmpty else { throw RegistryError.invalid(e) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("worker_reserves").set("removed_on", to: SQLBind(today.description))
                .set("removed_by", to: SQLBind(actor.audit.username)).set("removal_reason", to: SQLBind(reason!.trimmed))
                .where("id", .equal, SQLBind(reserveId)).where("removed_on", .is, SQLLiteral.null).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该工作者已移出名单") }
            try await AuditLog.append([AuditEvent(WorkersAudit.reserveRemove, target: .worker(r.workerId), detail: ["level": r.level.rawValue])],
                                      by: actor.audit, on: db)
        }
    }

    /// Replaces the district's pay scale: each class's monthly amounts (grade 1 first) and the steps, checked first.
    public func setPayScale(_ scale: PayScale, by actor: WorkersActor) async throws -> PayScale {
        guard actor.mayGrades else { throw RegistryError.forbidden("岗位等级薪酬体系由区民政部门设置") }
        var e: [FieldError] = []
        for c in PostClass.allCases { e += PayScale.checkGrades(scale.grades[c] ?? [], field: "grades.\(c.rawValue)") }
        for r in GradeStepReason.allCases { e += PayScale.checkStep(scale.steps[r], reason: r) }
        guard e.isEmpty else { throw RegistryError.invalid(e) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.delete(from: "worker_pay_grades").run()
            try await sql.delete(from: "worker_grade_steps").run()
            for c in PostClass.allCases {
                for (i, fen) in (scale.grades[c] ?? []).enumerated() {
                    try await sql.insert(into: "worker_pay_grades").columns("post_class", "grade", "monthly_fen")
                        .values(SQLBind(c.rawValue), SQLBind(i + 1), SQLBind(Int64(fen))).run()
                }
            }
            for r in GradeStepReason.allCases {
                try await sql.insert(into: "worker_grade_steps").columns("reason", "steps").values(SQLBind(r.rawValue), SQLBind(scale.steps[r]!)).run()
            }
            try await AuditLog.append([AuditEvent(WorkersAudit.grades, target: .table("worker_pay_grades"))], by: actor.audit, on: db)
        }
        return try await payScale()
    }

    /// Residents per community: the latest monthly indicator snapshot's count where there is one (no scan of the
    /// residents table per page), else one grouped pass over the residents' structure index.
    func residents(in scope: RegistryScope) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        let latest = try await sql.select().column(SQLFunction("max", args: SQLIdentifier("period")), as: "p").from("indicator_snapshots")
            .where("indicator_code", .equal, SQLBind("population.age_60_plus")).first()
        if let period = try latest?.decode(column: "p", as: String?.self) {
            for row in try await sql.select().columns("division_code", "denominator").from("indicator_snapshots")
                .where("indicator_code", .equal, SQLBind("population.age_60_plus")).where("period", .equal, SQLBind(period))
                .wherePrefix("division_code", scope.prefix, sqlite: sqlite).all() {
                let code = try row.decode(column: "division_code", as: String.self)
                if code.count == 12 { out[code] = Int(try row.decode(column: "denominator", as: Double?.self) ?? 0) }
            }
            if !out.isEmpty { return out }
        }
        for row in try await sql.select().column(SQLFunction("substr", args: SQLIdentifier("grid_code"), SQLLiteral.numeric("1"), SQLLiteral.numeric("12")), as: "c")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).wherePrefix("grid_code", scope.prefix, sqlite: sqlite)
            .groupBy(SQLFunction("substr", args: SQLIdentifier("grid_code"), SQLLiteral.numeric("1"), SQLLiteral.numeric("12"))).all() {
            out[try row.decode(column: "c", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return out
    }

    /// The figures of the scope, one row per division workers serve (communities, and streets' and the district's
    /// own staff), for `year`'s training and appraisals. Grouped queries over the register (hundreds of rows).
    public func figures(in scope: RegistryScope, year: Int) async throws -> [WorkerFiguresRow] {
        let divisions = try await DivisionQueries(db).all(in: scope)
        var rows: [String: WorkerFiguresRow] = [:]
        for d in divisions where d.level == .community { rows[d.code] = WorkerFiguresRow(code: d.code, name: d.name) }
        let names = Dictionary(uniqueKeysWithValues: divisions.map { ($0.code, $0.name) })
        func row(_ code: String) -> WorkerFiguresRow { rows[code] ?? WorkerFiguresRow(code: code, name: names[code] ?? code) }
        func when(_ c: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(c) THEN 1 ELSE 0 END) AS BIGINT)") }
        let f = sqlite ? "0" : "false"
        for r in try await scoped(sql.select().column(SQLColumn("division_code", table: "w")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("w.qualification IS NOT NULL"), as: "q").column(when("w.titled <> \(f)"), as: "t")
            .from(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w"))), scope).groupBy(SQLColumn("division_code", table: "w")).all() {
            let code = try r.decode(column: "division_code", as: String.self)
            var x = row(code)
            x.workers = Int(try r.decode(column: "n", as: Int64.self)); x.qualified = Int(try r.decode(column: "q", as: Int64?.self) ?? 0)
            x.titled = Int(try r.decode(column: "t", as: Int64?.self) ?? 0)
            rows[code] = x
        }
        let joined = { (table: String, alias: String) -> SQLSelectBuilder in
            self.sql.select().column(SQLColumn("division_code", table: "w"))
                .from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier(alias)))
                .join(SQLAlias(SQLIdentifier("workers"), as: SQLIdentifier("w")), method: SQLJoinMethod.inner,
                      on: SQLColumn("id", table: "w"), .equal, SQLColumn("worker_id", table: alias))
                .where(SQLColumn("year", table: alias), .equal, SQLBind(year))
        }
        for r in try await scoped(joined("worker_training", "t").column(SQLRaw("CAST(sum(t.hours) AS BIGINT)"), as: "h")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), scope).groupBy(SQLColumn("division_code", table: "w")).all() {
            let code = try r.decode(column: "division_code", as: String.self)
            var x = row(code)
            x.trainingHours = Int(try r.decode(column: "h", as: Int64?.self) ?? 0); x.trained = Int(try r.decode(column: "n", as: Int64.self))
            rows[code] = x
        }
        for r in try await scoped(joined("worker_appraisals", "a").column(SQLColumn("result", table: "a"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"), scope)
            .groupBy(SQLColumn("division_code", table: "w")).groupBy(SQLColumn("result", table: "a")).all() {
            let code = try r.decode(column: "division_code", as: String.self)
            guard let result = AppraisalResult(rawValue: try r.decode(column: "result", as: String.self)),
                  let i = AppraisalResult.allCases.firstIndex(of: result) else { continue }
            var x = row(code)
            x.results[i] += Int(try r.decode(column: "n", as: Int64.self))
            rows[code] = x
        }
        for (code, n) in try await residents(in: scope) where rows[code] != nil { rows[code]!.residents = n }
        return rows.values.sorted { $0.code < $1.code }
    }
}
