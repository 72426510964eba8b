import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The register's writes: 登记 or 备案 an organization, edit it, change its status, record an annual report.
/// Each is one transaction with its audit entry; a duplicate 统一社会信用代码 is 409 at `credit_code`.
extension OrganizationsQueries {
    /// The division an organization serves, in the caller's area: a community, or a street for a registered one.
    func division(_ raw: String?, kind: OrganizationKind?, scope: RegistryScope) async throws -> DivisionRecord {
        guard let code = raw?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw RegistryError.invalid([FieldError("division_code", "请选择组织所在（服务）的村/社区或镇/街道")])
        }
        guard let d = try await DivisionQueries(db).find(code: code), d.level == .community || d.level == .street, scope.contains(code: code) else {
            throw RegistryError.invalid([FieldError("division_code", "本辖区没有这个村/社区或镇/街道")])
        }
        if kind == .community && d.level != .community {
            throw RegistryError.invalid([FieldError("division_code", "社区社会组织在所在村/社区备案，请选择村/社区")])
        }
        return d
    }

    func checked(_ input: OrganizationInput, by actor: OrganizationsActor) throws -> (code: String?, phone: String) {
        let errors = OrganizationRules.check(input, today: today)
        guard errors.isEmpty, let kind = input.kind else { throw RegistryError.invalid(errors) }
        if kind.registration == .registered && !actor.mayRegister {
            throw RegistryError.forbidden("登记的社会组织由镇（街道）或区民政部门录入；社区可备案社区社会组织")
        }
        let code = input.creditCode.map(CreditCode.normalized).flatMap { $0.isEmpty ? nil : $0 }
        return (code, input.phone!.filter { $0 != " " })
    }

    func refuseDuplicate(_ code: String?, except id: UUID?, sql: any SQLDatabase) async throws {
        guard let code else { return }
        var q = sql.select().column("name").from("organizations").where("credit_code", .equal, SQLBind(code))
        if let id { q = q.where("id", .notEqual, SQLBind(id)) }
        if let row = try await q.first() {
            throw RegistryError.conflict(FieldError("credit_code", "统一社会信用代码\(code)已由“\(try row.decode(column: "name", as: String.self))”使用"))
        }
    }

    public func create(division raw: String?, _ input: OrganizationInput, by actor: OrganizationsActor) async throws -> OrganizationRecord {
        guard actor.mayWrite || actor.mayRegister else { throw RegistryError.forbidden("您没有登记或备案社会组织的权限") }
        let (code, phone) = try checked(input, by: actor)
        let d = try await division(raw, kind: input.kind, scope: actor.scope)
        let sealed = try cipher.seal(phone), name = input.name!.trimmed
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite && code != nil { try await sql.raw("LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE").run() }
            try await refuseDuplicate(code, except: nil, sql: sql)
            try await sql.insert(into: "organizations")
                .columns("id", "name", "name_initials", "registration", "kind", "field", "credit_code", "legal_person", "phone_cipher", "phone_masked",
                         "founded_on", "registered_on", "division_code", "street_code", "status", "status_on", "incubating", "version", "created_by",
                         "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(name), SQLBind(Pinyin.reading(ofName: name).initials), SQLBind(input.kind!.registration.rawValue),
                        SQLBind(input.kind!.rawValue), SQLBind(input.field!.rawValue), SQLBind(code), SQLBind(input.legalPerson!.trimmed), SQLBind(sealed),
                        SQLBind(Masking.phone(phone)), SQLBind(input.foundedOn!.description), SQLBind(input.registeredOn!.description), SQLBind(d.code),
                        SQLBind(String(d.code.prefix(9))), SQLBind(OrganizationStatus.active.rawValue), SQLBind(String?.none), SQLBind(false),
                        SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(OrganizationsAudit.create, target: .organization(id),
                                                  detail: ["kind": input.kind!.rawValue, "division": d.code])], by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// Edits an entry at the version the caller read; the kind may change between the registered ones only.
    public func update(_ id: UUID, division raw: String?, _ input: OrganizationInput, version: Int, by actor: OrganizationsActor) async throws -> OrganizationRecord {
        guard actor.mayWrite || actor.mayRegister else { throw RegistryError.forbidden("您没有修改社会组织的权限") }
        let o = try await require(id, in: actor.scope)
        guard actor.scope.contains(code: o.divisionCode) else { throw RegistryError.forbidden("只能修改本辖区登记或备案的社会组织") }
        if o.registration == .registered && !actor.mayRegister { throw RegistryError.forbidden("登记的社会组织由镇（街道）或区民政部门修改") }
        let (code, phone) = try checked(input, by: actor)
        let d = try await division(raw, kind: input.kind, scope: actor.scope)
        let sealed = try cipher.seal(phone), name = input.name!.trimmed, at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite && code != nil { try await sql.raw("LOCK TABLE organizations IN SHARE ROW EXCLUSIVE MODE").run() }
            try await refuseDuplicate(code, except: id, sql: sql)
            let changed = try await sql.update("organizations")
                .set("name", to: SQLBind(name)).set("name_initials", to: SQLBind(Pinyin.reading(ofName: name).initials))
                .set("registration", to: SQLBind(input.kind!.registration.rawValue)).set("kind", to: SQLBind(input.kind!.rawValue))
                .set("field", to: SQLBind(input.field!.rawValue)).set("credit_code", to: SQLBind(code))
                .set("legal_person", to: SQLBind(input.legalPerson!.trimmed)).set("phone_cipher", to: SQLBind(sealed))
                .set("phone_masked", to: SQLBind(Masking.phone(phone))).set("founded_on", to: SQLBind(input.foundedOn!.description))
                .set("registered_on", to: SQLBind(input.registeredOn!.description)).set("division_code", to: SQLBind(d.code))
                .set("street_code", to: SQLBind(String(d.code.prefix(9))))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: o.version) }
            try await AuditLog.append([AuditEvent(OrganizationsAudit.update, target: .organization(id))], by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// 休眠, 恢复活动, 注销 as the status table allows, on a date not in the future.
    public func changeStatus(_ id: UUID, _ action: OrganizationAction, on date: CivilDate?, version: Int, by actor: OrganizationsActor) async throws -> OrganizationRecord {
        guard actor.mayWrite || actor.mayRegister else { throw RegistryError.forbidden("您没有变更社会组织状态的权限") }
        let o = try await require(id, in: actor.scope)
        guard actor.scope.contains(code: o.divisionCode) else { throw RegistryError.forbidden("只能变更本辖区社会组织的状态") }
        guard let next = OrganizationWorkflow.next(from: o.status, by: action) else {
            throw RegistryError.conflictingState("“\(o.status.label)”的组织不能\(action.label)")
        }
        guard let date else { throw RegistryError.invalid([FieldError("date", "请填写日期")]) }
        if date > today { throw RegistryError.invalid([FieldError("date", "日期不能晚于今天")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("organizations")
                .set("status", to: SQLBind(next.rawValue)).set("status_on", to: SQLBind(date.description))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).where("status", .equal, SQLBind(o.status.rawValue))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: o.version) }
            try await AuditLog.append([AuditEvent(OrganizationsAudit.status, target: .organization(id),
                                                  detail: ["from": o.status.rawValue, "to": next.rawValue])], by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// The annual report (年度报告) of a year received: once per year, the year not after this one.
    public func recordReport(_ id: UUID, year: Int?, receivedOn: CivilDate?, by actor: OrganizationsActor) async throws -> [OrganizationReportRecord] {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记年度报告的权限") }
        let o = try await require(id, in: actor.scope)
        guard actor.scope.contains(code: o.divisionCode) else { throw RegistryError.forbidden("只能为本辖区的社会组织登记年度报告") }
        guard o.status != .deregistered else { throw RegistryError.conflictingState("“\(o.name)”已注销，不再登记年度报告") }
        var errors: [FieldError] = []
        let founded = CivilDate(o.foundedOn)?.year ?? 1900
        if let year { if year < founded || year > today.year { errors.append(FieldError("year", "年度应在\(founded)到\(today.year)之间")) }
        } else { errors.append(FieldError("year", "请填写报告年度")) }
        if let r = receivedOn { if r > today { errors.append(FieldError("received_on", "收到日期不能晚于今天")) }
        } else { errors.append(FieldError("received_on", "请填写收到日期")) }
        guard errors.isEmpty, let year, let receivedOn else { throw RegistryError.invalid(errors) }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let inserted = try await sql.raw("""
                INSERT INTO organization_reports (organization_id, year, received_on, recorded_by)
                VALUES (\(bind: id), \(bind: year), \(bind: receivedOn.description), \(bind: actor.audit.username))
                ON CONFLICT (organization_id, year) DO NOTHING RETURNING year
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("year", "\(year)年度报告已登记")) }
            try await AuditLog.append([AuditEvent(OrganizationsAudit.report, target: .organization(id), detail: ["year": String(year)])], by: actor.audit, on: db)
        }
        return try await reports(of: id)
    }
}
