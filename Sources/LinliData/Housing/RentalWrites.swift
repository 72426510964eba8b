import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 出租房屋登记's writes: register a rental of a dwelling, edit or end it, record a safety check, a tenant's 居住证.
/// Each is one transaction with its audit entry. A second rental in force of the same dwelling is 409 (the unique
/// key on `active_dwelling_id` decides between two at once); a tenant not in the registry is 422 at `tenants`.
extension HousingQueries {
    struct Tenant { var id: UUID; var gridCode: String; var floating: Bool }

    /// The tenants as residents on the roll of the caller's area; any other is named, to be registered first.
    func tenants(_ ids: [UUID], scope: RegistryScope, sql: any SQLDatabase) async throws -> [Tenant] {
        guard !ids.isEmpty else { return [] }
        let found = try await sql.select().columns("id", "grid_code", "residence_status").from("residents")
            .where("id", .in, SQLBind.group(ids)).where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all()
            .map { Tenant(id: try $0.decode(column: "id", as: UUID.self), gridCode: try $0.decode(column: "grid_code", as: String.self),
                          floating: try $0.decode(column: "residence_status", as: String.self) == ResidenceStatus.floating.rawValue) }
            .filter { scope.contains(code: $0.gridCode) }
        let known = Set(found.map(\.id))
        let missing = ids.filter { !known.contains($0) }
        guard missing.isEmpty else {
            throw RegistryError.invalid([FieldError("tenants", "承租人（\(missing.count)人）不在本辖区居民信息中，请先登记（流动人口也须先登记）")])
        }
        return found
    }

    /// The landlord's name: a resident's from the registry, else the outside owner's as typed.
    func landlord(_ input: RentalInput, sql: any SQLDatabase) async throws -> (name: String, phone: String?) {
        if let id = input.landlordResidentId {
            guard let row = try await sql.select().column("name").from("residents").where("id", .equal, SQLBind(id))
                .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).first() else {
                throw RegistryError.invalid([FieldError("landlord_resident_id", "房东不在居民信息中，请先登记，或按区外房东填写姓名和电话")])
            }
            return (try row.decode(column: "name", as: String.self), nil)
        }
        return (input.landlordName!.trimmingCharacters(in: .whitespaces), input.landlordPhone!.filter { $0 != " " })
    }

    public func createRental(dwelling: UUID?, _ input: RentalInput, by actor: HousingActor) async throws -> RentalRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记出租房屋的权限") }
        guard let dwelling else { throw RegistryError.invalid([FieldError("dwelling_id", "请选择出租的房屋")]) }
        let errors = HousingRules.check(input)
        let found = try await self.dwelling(dwelling, in: actor.scope)
        guard let d = found else {
            throw RegistryError.invalid([FieldError("dwelling_id", "本辖区没有这套房屋")] + errors)
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let s = try await settings()
        let tenants = try await self.tenants(input.tenantIds, scope: actor.scope, sql: sql)
        let (name, phone) = try await landlord(input, sql: sql)
        let sealed = try phone.map { try cipher.seal($0) }
        let group = HousingRules.isGroupRental(tenants: tenants.count, area: d.area, settings: s)
        let id = UUID(), at = nowSeconds, moved = input.startsOn!.description
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let inserted = try await sql.raw("""
                INSERT INTO rentals (id, dwelling_id, active_dwelling_id, grid_code, landlord_resident_id, landlord_name, landlord_phone_cipher,
                                     landlord_phone_masked, starts_on, ends_on, rent_band, tenant_count, group_rental, version, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: d.id), \(bind: d.id), \(bind: d.gridCode), \(bind: input.landlordResidentId), \(bind: name), \(bind: sealed),
                        \(bind: phone.map(Masking.phone)), \(bind: input.startsOn!.description), \(bind: input.endsOn!.description),
                        \(bind: input.rentBand!.rawValue), \(bind: tenants.count), \(bind: group), 1, \(bind: actor.audit.username), \(bind: at), \(bind: at))
                ON CONFLICT (active_dwelling_id) DO NOTHING RETURNING id
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("dwelling_id", "房屋“\(d.number)”已有在租的出租登记，请先办理退租")) }
            for t in tenants {
                try await sql.insert(into: "rental_tenants").columns("rental_id", "resident_id", "grid_code", "floating", "moved_in_on", "active")
                    .values(SQLBind(id), SQLBind(t.id), SQLBind(d.gridCode), SQLBind(t.floating), SQLBind(moved), SQLBind(true)).run()
            }
            try await sql.update("dwellings").set("use", to: SQLBind(DwellingUse.rented.rawValue)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(d.id)).run()
            try await AuditLog.append([AuditEvent(HousingAudit.rentalCreate, target: .rental(id),
                                                  detail: ["dwelling": d.id.uuidString, "tenants": String(tenants.count), "group": String(group)])],
                                      by: actor.audit, on: db)
        }
        return try await requireRental(id, in: actor.scope)
    }

    /// Edits a rental in force at the version the caller read: landlord, dates, band, tenants (those staying keep
    /// the day they moved in and their 居住证; those gone are kept as former tenants).
    public func updateRental(_ id: UUID, _ input: RentalInput, version: Int, by actor: HousingActor) async throws -> RentalRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有修改出租房屋登记的权限") }
        let r = try await requireRental(id, in: actor.scope)
        guard version == r.version else { throw RegistryError.staleVersion(current: r.version) }
        guard r.inForce else { throw RegistryError.conflictingState("该出租登记已退租，不能再修改") }
        let errors = HousingRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let d = try await requireDwelling(r.dwellingId, in: actor.scope)
        let s = try await settings()
        let tenants = try await self.tenants(input.tenantIds, scope: actor.scope, sql: sql)
        let (name, phone) = try await landlord(input, sql: sql)
        let sealed = try phone.map { try cipher.seal($0) }
        let group = HousingRules.isGroupRental(tenants: tenants.count, area: d.area, settings: s)
        let at = nowSeconds, moved = today.description
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("rentals").set("landlord_resident_id", to: SQLBind(input.landlordResidentId))
                .set("landlord_name", to: SQLBind(name)).set("landlord_phone_cipher", to: SQLBind(sealed))
                .set("landlord_phone_masked", to: SQLBind(phone.map(Masking.phone))).set("starts_on", to: SQLBind(input.startsOn!.description))
                .set("ends_on", to: SQLBind(input.endsOn!.description)).set("rent_band", to: SQLBind(input.rentBand!.rawValue))
                .set("tenant_count", to: SQLBind(tenants.count)).set("group_rental", to: SQLBind(group))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: r.version) }
            let keep = Set(tenants.map(\.id))
            let existing = try await sql.select().column("resident_id").from("rental_tenants").where("rental_id", .equal, SQLBind(id)).all()
                .map { try $0.decode(column: "resident_id", as: UUID.self) }
            for gone in existing where !keep.contains(gone) {
                try await sql.update("rental_tenants").set("active", to: SQLBind(false)).where("rental_id", .equal, SQLBind(id))
                    .where("resident_id", .equal, SQLBind(gone)).run()
            }
            for t in tenants {
                if existing.contains(t.id) {
                    try await sql.update("rental_tenants").set("active", to: SQLBind(true)).where("rental_id", .equal, SQLBind(id))
                        .where("resident_id", .equal, SQLBind(t.id)).run()
                } else {
                    try await sql.insert(into: "rental_tenants").columns("rental_id", "resident_id", "grid_code", "floating", "moved_in_on", "active")
                        .values(SQLBind(id), SQLBind(t.id), SQLBind(d.gridCode), SQLBind(t.floating), SQLBind(moved), SQLBind(true)).run()
                }
            }
            try await AuditLog.append([AuditEvent(HousingAudit.rentalUpdate, target: .rental(id), detail: ["tenants": String(tenants.count)])],
                                      by: actor.audit, on: db)
        }
        return try await requireRental(id, in: actor.scope)
    }

    /// 退租: the rental ends on a day not before it began; the dwelling becomes vacant and free for a new rental.
    public func endRental(_ id: UUID, on day: CivilDate?, version: Int, by actor: HousingActor) async throws -> RentalRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有办理退租的权限") }
        let r = try await requireRental(id, in: actor.scope)
        guard version == r.version else { throw RegistryError.staleVersion(current: r.version) }
        guard r.inForce else { throw RegistryError.conflictingState("该出租登记已退租") }
        let day = day ?? today
        if day > today { throw RegistryError.invalid([FieldError("ended_on", "退租日期不能晚于今天")]) }
        if let s = CivilDate(r.startsOn), day < s { throw RegistryError.invalid([FieldError("ended_on", "退租日期不能早于合同开始日期（\(s)）")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("rentals").set("ended_on", to: SQLBind(day.description)).set("active_dwelling_id", to: SQLLiteral.null)
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: r.version) }
            try await sql.update("rental_tenants").set("active", to: SQLBind(false)).where("rental_id", .equal, SQLBind(id)).run()
            try await sql.update("dwellings").set("use", to: SQLBind(DwellingUse.vacant.rawValue)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(r.dwellingId)).where("use", .equal, SQLBind(DwellingUse.rented.rawValue)).run()
            try await AuditLog.append([AuditEvent(HousingAudit.rentalEnd, target: .rental(id), detail: ["ended_on": day.description])], by: actor.audit, on: db)
        }
        return try await requireRental(id, in: actor.scope)
    }

    /// A safety check of a rental in force; the rental's last check of that kind follows in the same transaction.
    public func addCheck(_ id: UUID, kind: SafetyCheckKind?, checkedOn: CivilDate?, passed: Bool, findings: String?, by actor: HousingActor) async throws -> SafetyCheckRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记安全检查的权限") }
        let r = try await requireRental(id, in: actor.scope)
        let errors = HousingRules.checkSafety(kind: kind, checkedOn: checkedOn, findings: findings, startsOn: CivilDate(r.startsOn), today: today)
        guard errors.isEmpty, let kind, let checkedOn else { throw RegistryError.invalid(errors) }
        guard r.inForce else { throw RegistryError.conflictingState("该出租登记已退租") }
        let cid = UUID(), at = nowSeconds, text = findings!.trimmingCharacters(in: .whitespacesAndNewlines)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "rental_checks").columns("id", "rental_id", "kind", "checked_on", "passed", "findings", "recorded_by", "created_at")
                .values(SQLBind(cid), SQLBind(id), SQLBind(kind.rawValue), SQLBind(checkedOn.description), SQLBind(passed), SQLBind(text),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            let column = "last_\(kind.rawValue)_on"
            try await sql.update("rentals").set(column, to: SQLBind(checkedOn.description)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id))
                .where { $0.where(SQLIdentifier(column), .is, SQLLiteral.null).orWhere(SQLIdentifier(column), .lessThan, SQLBind(checkedOn.description)) }
                .run()
            try await AuditLog.append([AuditEvent(HousingAudit.check, target: .rental(id), detail: ["kind": kind.rawValue, "passed": String(passed)])],
                                      by: actor.audit, on: db)
        }
        return SafetyCheckRecord(id: cid, kind: kind, checkedOn: checkedOn.description, passed: passed, findings: text, recordedBy: actor.audit.username)
    }

    /// A tenant's 居住证 issued on a day: they leave the list of those due.
    public func recordPermit(_ id: UUID, resident: UUID, issuedOn: CivilDate?, by actor: HousingActor) async throws {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记居住证的权限") }
        _ = try await requireRental(id, in: actor.scope)
        guard let issuedOn else { throw RegistryError.invalid([FieldError("issued_on", "请填写居住证签发日期")]) }
        if issuedOn > today { throw RegistryError.invalid([FieldError("issued_on", "签发日期不能晚于今天")]) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("rental_tenants").set("permit_on", to: SQLBind(issuedOn.description))
                .where("rental_id", .equal, SQLBind(id)).where("resident_id", .equal, SQLBind(resident)).returning("resident_id").all()
            if changed.isEmpty { throw RegistryError.notFound("承租人") }
            try await AuditLog.append([AuditEvent(HousingAudit.permit, target: .rental(id), detail: ["resident": resident.uuidString])], by: actor.audit, on: db)
        }
    }
}
