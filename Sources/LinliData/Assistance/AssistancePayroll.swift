import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 救助金发放: a street's monthly roll, generated from its approved cases, checked by the street, sent to the
/// bank as .xlsx and marked paid. Regenerating a roll not yet checked replaces its generated lines; a checked
/// or paid roll stands. Once paid, lines never change: a correction is a new line on a later roll, naming the
/// line it corrects. Every write is one transaction with its audit entry.
extension AssistanceQueries {
    static let rollColumns = ["id", "street_code", "month", "status", "lines", "total", "generated_by", "generated_at", "checked_by", "checked_at",
                              "paid_by", "paid_at", "version"]

    /// The cases paid on a street's roll for `month`: the monthly kinds approved and paid from `first_month` on
    /// (and a case ended during the month, for that month), and the one-off kinds decided in the month and
    /// not on another roll already.
    func payableCases(street: String, month: String, roll: UUID, db: any Database) async throws -> [any SQLRow] {
        let sql = SQLHelpers.sql(db)
        let first = month + "-01", last = month + "-31"
        let monthly = AssistanceKind.allCases.filter(\.isMonthly).map(\.rawValue)
        let once = AssistanceKind.allCases.filter { !$0.isMonthly }.map(\.rawValue)
        let paidElsewhere = SQLGroupExpression(sql.select().column("case_id").from("assistance_payments")
            .where("roll_id", .notEqual, SQLBind(roll)).select)
        return try await sql.select().columns("id", "grid_code", "community_code", "kind", "amount").from("assistance_cases")
            .where("street_code", .equal, SQLBind(street))
            .where("amount", .greaterThan, SQLBind(0))
            .where { g in
                g.where { m in
                    m.where("kind", .in, SQLBind.group(monthly)).where("first_month", .lessThanOrEqual, SQLBind(month))
                        .where { s in
                            s.where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue)).orWhere { e in
                                e.where("stage", .equal, SQLBind(AssistanceStage.ended.rawValue)).where("ended_on", .greaterThanOrEqual, SQLBind(first))
                            }
                        }
                }.orWhere { o in
                    o.where("kind", .in, SQLBind.group(once)).where("stage", .equal, SQLBind(AssistanceStage.approved.rawValue))
                        .where("decided_on", .greaterThanOrEqual, SQLBind(first)).where("decided_on", .lessThanOrEqual, SQLBind(last))
                        .where("id", .notIn, paidElsewhere)
                }
            }
            .orderBy("community_code").orderBy("number").all()
    }

    /// The street's division code (12 digits; the 9-digit prefix the cases carry is taken too), in scope.
    func requireStreet(_ street: String?, in scope: RegistryScope) async throws -> String {
        let text = street.map { $0.count == 9 ? $0 + "000" : $0 } ?? ""
        guard let code = try? DivisionCode(text), code.level == .street else {
            throw RegistryError.invalid([FieldError("street_code", "请填写街道（镇）的区划代码（12位）")])
        }
        guard scope.contains(code: code.value),
              try await sql.select().column("code").from(Division.schema).where("code", .equal, SQLBind(code.value)).first() != nil
        else { throw RegistryError.notFound("街道") }
        return code.value
    }

    /// Generates (or regenerates) a street's roll for a month, in one transaction.
    public func generateRoll(street: String?, month: String?, by actor: AssistanceActor) async throws -> AssistanceRollRecord {
        guard actor.mayReview else { throw RegistryError.forbidden("您没有生成救助金发放名册的权限") }
        guard let month = AssistanceMonth.parse(month) else { throw RegistryError.invalid([FieldError("month", "请填写发放月份，格式为 YYYY-MM")]) }
        let street = try await requireStreet(street, in: actor.scope)
        let at = nowSeconds
        let id: UUID = try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE assistance_rolls IN SHARE ROW EXCLUSIVE MODE").run() }
            let existing = try await sql.select().columns("id", "status").from("assistance_rolls")
                .where("street_code", .equal, SQLBind(street)).where("month", .equal, SQLBind(month)).first()
            let rollID: UUID
            if let existing {
                rollID = try existing.decode(column: "id", as: UUID.self)
                let status = try existing.decode(column: "status", as: AssistanceRollStatus.self)
                guard status == .generated else {
                    throw RegistryError.conflictingState("\(month)的发放名册\(status.label)，不能重新生成；发放有误请登记更正")
                }
                // Corrections entered on the roll stay; the generated lines are drawn again.
                try await sql.delete(from: "assistance_payments").where("roll_id", .equal, SQLBind(rollID)).where("correction_of", .is, SQLLiteral.null).run()
            } else {
                rollID = UUID()
                try await sql.insert(into: "assistance_rolls").columns("id", "street_code", "month", "status", "lines", "total", "generated_by", "generated_at", "version")
                    .values(SQLBind(rollID), SQLBind(street), SQLBind(month), SQLBind(AssistanceRollStatus.generated.rawValue), SQLBind(0), SQLBind(0),
                            SQLBind(actor.audit.username), SQLBind(at), SQLBind(0)).run()
            }
            var insert = BulkInsert("assistance_payments", ["id", "roll_id", "case_id", "grid_code", "community_code", "street_code", "kind", "month",
                                                            "amount", "status", "correction_of", "note", "created_at"])
            for row in try await self.payableCases(street: String(street.prefix(9)), month: month, roll: rollID, db: db) {
                insert.add(values: [.uuid(UUID()), .uuid(rollID), .uuid(try row.decode(column: "id", as: UUID.self)),
                                    .text(try row.decode(column: "grid_code", as: String.self)), .text(try row.decode(column: "community_code", as: String.self)),
                                    .text(String(street.prefix(9))), .text(try row.decode(column: "kind", as: String.self)), .text(month),
                                    .integer(try row.decode(column: "amount", as: Int.self)), .text(AssistancePaymentStatus.pending.rawValue), .null, .null,
                                    .integer(Int(at))])
                if insert.isFull { try await insert.flush(on: db) }
            }
            try await insert.flush(on: db)
            let (lines, total) = try await Self.updateTotals(rollID, db: db)
            try await sql.update("assistance_rolls").set("generated_by", to: SQLBind(actor.audit.username)).set("generated_at", to: SQLBind(at))
                .set("version", to: SQLRaw("version + 1")).where("id", .equal, SQLBind(rollID)).run()
            try await AuditLog.append([AuditEvent(AssistanceAudit.payroll(.generate), target: .assistanceRoll(street, month),
                                                  detail: ["lines": String(lines), "total": String(total)])], by: actor.audit, on: db)
            return rollID
        }
        return try await requireRoll(id, in: actor.scope)
    }

    /// Recounts a roll's lines and total from its lines.
    static func updateTotals(_ roll: UUID, db: any Database) async throws -> (Int, Int) {
        let sql = SQLHelpers.sql(db)
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            // PostgreSQL sums a BIGINT as NUMERIC.
            .column(SQLRaw("CAST(COALESCE(SUM(amount), 0) AS BIGINT)"), as: "t")
            .from("assistance_payments").where("roll_id", .equal, SQLBind(roll)).first()
        let lines = try row?.decode(column: "n", as: Int.self) ?? 0, total = try row?.decode(column: "t", as: Int.self) ?? 0
        try await sql.update("assistance_rolls").set("lines", to: SQLBind(lines)).set("total", to: SQLBind(total)).where("id", .equal, SQLBind(roll)).run()
        return (lines, total)
    }

    /// 核对 (generated → checked) or 已发放 (checked → paid, with every line). `version`, if given, must be current.
    public func advanceRoll(_ id: UUID, to target: AssistanceRollStatus, version: Int?, by actor: AssistanceActor) async throws -> AssistanceRollRecord {
        guard actor.mayReview else { throw RegistryError.forbidden("您没有核对或确认发放救助金的权限") }
        let from: AssistanceRollStatus
        switch target {
        case .checked: from = .generated
        case .paid: from = .checked
        case .generated: throw RegistryError.conflictingState("请重新生成名册")
        }
        _ = try await requireRoll(id, in: actor.scope)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE assistance_rolls IN SHARE ROW EXCLUSIVE MODE").run() }
            guard let row = try await sql.select().columns("street_code", "month", "status", "version").from("assistance_rolls").where("id", .equal, SQLBind(id)).first()
            else { throw RegistryError.notFound("发放名册") }
            let status = try row.decode(column: "status", as: AssistanceRollStatus.self), current = try row.decode(column: "version", as: Int.self)
            if let version, version != current { throw RegistryError.staleVersion(current: current) }
            guard status == from else {
                throw RegistryError.conflictingState(target == .checked ? "名册\(status.label)，不能再核对" : "名册\(status.label)，须先核对再确认发放")
            }
            let (byColumn, atColumn) = target == .checked ? ("checked_by", "checked_at") : ("paid_by", "paid_at")
            try await sql.update("assistance_rolls").set("status", to: SQLBind(target.rawValue)).set(byColumn, to: SQLBind(actor.audit.username))
                .set(atColumn, to: SQLBind(at)).set("version", to: SQLRaw("version + 1")).where("id", .equal, SQLBind(id)).run()
            if target == .paid {
                try await sql.update("assistance_payments").set("status", to: SQLBind(AssistancePaymentStatus.paid.rawValue))
                    .where("roll_id", .equal, SQLBind(id)).run()
            }
            let street = try row.decode(column: "street_code", as: String.self), month = try row.decode(column: "month", as: String.self)
            try await AuditLog.append([AuditEvent(AssistanceAudit.payroll(target == .checked ? .check : .paid), target: .assistanceRoll(street, month))],
                                      by: actor.audit, on: db)
        }
        return try await requireRoll(id, in: actor.scope)
    }

    /// 更正: a paid line was wrong. The difference goes as a new line on the street's roll of `month` (this
    /// month by default), which must not be checked yet; a roll that does not exist yet is started with it.
    public func correct(payment: UUID, _ c: AssistanceCorrection, by actor: AssistanceActor) async throws -> AssistancePaymentRecord {
        guard actor.mayReview else { throw RegistryError.forbidden("您没有登记发放更正的权限") }
        guard let line = try await paymentLine(payment), actor.scope.contains(code: line.gridCode) else { throw RegistryError.notFound("发放记录") }
        var errors = FieldErrors()
        if c.amount == nil || c.amount == 0 { errors.add("amount", "请填写更正金额（元，补发为正数，扣回为负数）") }
        if let a = c.amount, abs(a) > 1_000_000 { errors.add("amount", "更正金额过大") }
        let reason = c.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if reason.isEmpty { errors.add("reason", "请填写更正原因") } else if reason.count > 200 { errors.add("reason", "更正原因不超过200字") }
        let month = c.month == nil ? AssistanceMonth.of(today) : AssistanceMonth.parse(c.month)
        if month == nil { errors.add("month", "请填写更正所在名册的月份，格式为 YYYY-MM") }
        guard errors.isEmpty, let amount = c.amount, let month else { throw RegistryError.invalid(errors.errors) }
        guard line.status == .paid, line.correctionOf == nil else {
            throw RegistryError.conflictingState(line.status == .paid ? "更正记录不能再更正，请更正原发放记录" : "该笔尚未发放，请重新生成名册")
        }
        let at = nowSeconds, id = UUID(), street = line.streetCode + "000"
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE assistance_rolls IN SHARE ROW EXCLUSIVE MODE").run() }
            let existing = try await sql.select().columns("id", "status").from("assistance_rolls")
                .where("street_code", .equal, SQLBind(street)).where("month", .equal, SQLBind(month)).first()
            let rollID: UUID
            if let existing {
                rollID = try existing.decode(column: "id", as: UUID.self)
                let status = try existing.decode(column: "status", as: AssistanceRollStatus.self)
                guard status == .generated else { throw RegistryError.conflictingState("\(month)的发放名册\(status.label)，请登记到以后月份的名册") }
            } else {
                rollID = UUID()
                try await sql.insert(into: "assistance_rolls").columns("id", "street_code", "month", "status", "lines", "total", "generated_by", "generated_at", "version")
                    .values(SQLBind(rollID), SQLBind(street), SQLBind(month), SQLBind(AssistanceRollStatus.generated.rawValue), SQLBind(0), SQLBind(0),
                            SQLBind(actor.audit.username), SQLBind(at), SQLBind(1)).run()
            }
            try await sql.insert(into: "assistance_payments")
                .columns("id", "roll_id", "case_id", "grid_code", "community_code", "street_code", "kind", "month", "amount", "status", "correction_of", "note", "created_at")
                .values(SQLBind(id), SQLBind(rollID), SQLBind(line.caseId), SQLBind(line.gridCode), SQLBind(line.communityCode), SQLBind(line.streetCode),
                        SQLBind(line.kind.rawValue), SQLBind(line.month), SQLBind(amount), SQLBind(AssistancePaymentStatus.pending.rawValue), SQLBind(line.id),
                        SQLBind(reason), SQLBind(at)).run()
            _ = try await Self.updateTotals(rollID, db: db)
            try await AuditLog.append([AuditEvent(AssistanceAudit.payroll(.correct), target: .assistanceRoll(street, month),
                                                  detail: ["case": line.caseNumber ?? "", "corrects": line.id.uuidString.lowercased(), "amount": String(amount)])],
                                      by: actor.audit, on: db)
        }
        guard let written = try await paymentLine(id) else { throw RegistryError.notFound("发放记录") }
        return written
    }
}

extension AuditTarget {
    public static func assistanceRoll(_ street: String, _ month: String) -> AuditTarget { AuditTarget("assistance_roll", "\(street)-\(month)") }
}
