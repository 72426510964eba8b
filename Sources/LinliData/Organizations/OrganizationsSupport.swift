import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社会组织孵化基地 and the support ledger (培育+补贴+奖励): entries and graduations (出壳), and what each
/// organization is given — 场地, 培训, 资金, 补贴, 奖励 — with totals per organization and year.
extension OrganizationsQueries {
    public func incubations(of id: UUID) async throws -> [IncubationRecord] {
        try await sql.select().columns("id", "organization_id", "entered_on", "graduated_on", "note").from("organization_incubations")
            .where("organization_id", .equal, SQLBind(id)).orderBy("entered_on", .descending).all().map { try $0.decodeRecord(IncubationRecord.self) }
    }

    func supportable(_ id: UUID, by actor: OrganizationsActor) async throws -> OrganizationRecord {
        guard actor.maySupport else { throw RegistryError.forbidden("您没有登记孵化和扶持的权限") }
        let o = try await require(id, in: actor.scope)
        guard actor.scope.contains(code: o.divisionCode) else { throw RegistryError.forbidden("只能扶持本辖区的社会组织") }
        return o
    }

    /// Into the incubation base: one stay at a time, an organization on the books.
    public func enterIncubation(_ id: UUID, on date: CivilDate?, note: String?, by actor: OrganizationsActor) async throws -> [IncubationRecord] {
        let o = try await supportable(id, by: actor)
        guard o.status == .active else { throw RegistryError.conflictingState("只有正常活动的组织可以入驻孵化基地") }
        guard let date else { throw RegistryError.invalid([FieldError("entered_on", "请填写入驻日期")]) }
        if date > today { throw RegistryError.invalid([FieldError("entered_on", "入驻日期不能晚于今天")]) }
        if let f = CivilDate(o.foundedOn), date < f { throw RegistryError.invalid([FieldError("entered_on", "入驻日期不能早于成立日期")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("organizations").set("incubating", to: SQLBind(true)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("incubating", .equal, SQLBind(false)).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("“\(o.name)”已在孵化基地") }
            try await sql.insert(into: "organization_incubations").columns("id", "organization_id", "entered_on", "graduated_on", "note", "recorded_by", "created_at")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind(date.description), SQLBind(String?.none), SQLBind(note?.trimmedOrNil),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.incubationEnter, target: .organization(id))], by: actor.audit, on: db)
        }
        return try await incubations(of: id)
    }

    /// Graduation (出壳) of the current stay: after entry, not in the future.
    public func graduate(_ id: UUID, on date: CivilDate?, by actor: OrganizationsActor) async throws -> [IncubationRecord] {
        _ = try await supportable(id, by: actor)
        guard let stay = try await incubations(of: id).first(where: { $0.graduatedOn == nil }) else {
            throw RegistryError.conflictingState("该组织目前不在孵化基地")
        }
        let errors = OrganizationRules.checkGraduation(date, enteredOn: CivilDate(stay.enteredOn) ?? today, today: today)
        guard errors.isEmpty, let date else { throw RegistryError.invalid(errors) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("organization_incubations").set("graduated_on", to: SQLBind(date.description))
                .where("id", .equal, SQLBind(stay.id)).where("graduated_on", .is, SQLLiteral.null).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该组织已出壳") }
            try await sql.update("organizations").set("incubating", to: SQLBind(false)).set("updated_at", to: SQLBind(at)).where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.incubationGraduate, target: .organization(id))], by: actor.audit, on: db)
        }
        return try await incubations(of: id)
    }

    public func support(of id: UUID) async throws -> [SupportRecord] {
        try await sql.select().columns("id", "organization_id", "kind", "amount_fen", "on_date", "giver", "document_no", "note", "recorded_by")
            .from("organization_support").where("organization_id", .equal, SQLBind(id))
            .orderBy("on_date", .descending).orderBy("created_at", .descending).all().map { try $0.decodeRecord(SupportRecord.self) }
    }

    /// Money given and entries per year, newest year first (summed from the organization's own entries).
    public static func totals(_ entries: [SupportRecord]) -> [SupportYearTotal] {
        var by: [Int: SupportYearTotal] = [:]
        for e in entries {
            let y = Int(e.onDate.prefix(4)) ?? 0
            by[y, default: SupportYearTotal(year: y, amountFen: 0, entries: 0)].amountFen += e.amountFen ?? 0
            by[y]!.entries += 1
        }
        return by.values.sorted { $0.year > $1.year }
    }

    public func addSupport(_ id: UUID, _ input: SupportInput, by actor: OrganizationsActor) async throws -> SupportRecord {
        let o = try await supportable(id, by: actor)
        let errors = OrganizationRules.check(input, today: today)
        guard errors.isEmpty, let kind = input.kind, let date = input.onDate else { throw RegistryError.invalid(errors) }
        let entry = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "organization_support")
                .columns("id", "organization_id", "division_code", "kind", "amount_fen", "on_date", "giver", "document_no", "note", "recorded_by", "created_at")
                .values(SQLBind(entry), SQLBind(id), SQLBind(o.divisionCode), SQLBind(kind.rawValue), SQLBind(input.amountFen), SQLBind(date.description),
                        SQLBind(input.giver!.trimmed), SQLBind(input.documentNo?.trimmedOrNil), SQLBind(input.note?.trimmedOrNil),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.support, target: .organization(id),
                                                  detail: ["kind": kind.rawValue, "amount_fen": input.amountFen.map(String.init) ?? ""])], by: actor.audit, on: db)
        }
        guard let r = try await support(of: id).first(where: { $0.id == entry }) else { throw RegistryError.notFound("扶持记录") }
        return r
    }
}
