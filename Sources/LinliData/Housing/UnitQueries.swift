import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 单位（驻区单位）: the units of the buildings of an area — name (searched by its pinyin initials too), unified social
/// credit code (checked with `CreditCode`, unique), kind, contact (phone sealed), employees, whether it opens its
/// facilities to residents (共建共享), the person responsible for safety.
extension HousingQueries {
    static let unitColumns = ["id", "name", "credit_code", "kind", "building_id", "grid_code", "contact_name", "contact_phone_masked", "employees",
                              "opens_facilities", "safety_person", "version"]

    var unitSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.unitColumns { q = q.column(SQLColumn(c, table: "u")) }
        return q.column(SQLColumn("name", table: "b"), as: "building_name").from(Self.alias("units", "u"))
            .join(Self.alias("buildings", "b"), method: SQLJoinMethod.left, on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "u"))
    }

    func unitFilter(_ q: SQLSelectBuilder, text: String?, kind: UnitKind?, opens: Bool?) -> SQLSelectBuilder {
        var q = q
        if let kind { q = q.where(SQLColumn("kind", table: "u"), .equal, SQLBind(kind.rawValue)) }
        if let opens { q = q.where(SQLColumn("opens_facilities", table: "u"), .equal, SQLBind(opens)) }
        if let t = text?.trimmedOrNil {
            let initials = Pinyin.normalizeQuery(t)
            let like = "%" + t.filter { $0 != "%" && $0 != "_" && $0 != "\\" } + "%"
            if !initials.isEmpty && initials.count == t.count {
                q = q.where { $0.where(SQLColumn("name_initials", table: "u"), .like, SQLBind(initials + "%"))
                    .orWhere(SQLColumn("name", table: "u"), .like, SQLBind(like)) }
            } else {
                q = q.where { $0.where(SQLColumn("name", table: "u"), .like, SQLBind(like))
                    .orWhere(SQLColumn("credit_code", table: "u"), .equal, SQLBind(CreditCode.normalized(t))) }
            }
        }
        return q
    }

    public func units(in scope: RegistryScope, text: String? = nil, kind: UnitKind? = nil, opens: Bool? = nil, page: PageRequest) async throws -> ResultPage<UnitRecord> {
        let items = try await unitFilter(unitSelect.wherePrefix("u.grid_code", scope.prefix, sqlite: sqlite), text: text, kind: kind, opens: opens)
            .orderBy(SQLColumn("grid_code", table: "u")).orderBy(SQLColumn("name", table: "u")).orderBy(SQLColumn("id", table: "u"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(UnitRecord.self) }
        let total = try await SQLHelpers.count(unitFilter(sql.select().column(countAll, as: "n").from(Self.alias("units", "u"))
            .wherePrefix("u.grid_code", scope.prefix, sqlite: sqlite), text: text, kind: kind, opens: opens))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func unit(_ id: UUID, in scope: RegistryScope) async throws -> UnitRecord? {
        guard let u = try await unitSelect.where(SQLColumn("id", table: "u"), .equal, SQLBind(id)).first()?.decodeRecord(UnitRecord.self),
              scope.contains(code: u.gridCode) else { return nil }
        return u
    }

    func requireUnit(_ id: UUID, in scope: RegistryScope) async throws -> UnitRecord {
        guard let u = try await unit(id, in: scope) else { throw RegistryError.notFound("单位") }
        return u
    }

    /// The units of a building (its page).
    public func units(ofBuilding id: UUID) async throws -> [UnitRecord] {
        try await unitSelect.where(SQLColumn("building_id", table: "u"), .equal, SQLBind(id)).orderBy(SQLColumn("name", table: "u")).limit(200).all()
            .map { try $0.decodeRecord(UnitRecord.self) }
    }

    struct CheckedUnit { var name: String; var code: String; var phone: String?; var building: BuildingRecord }

    func checkedUnit(building: UUID?, _ input: UnitInput, scope: RegistryScope) async throws -> CheckedUnit {
        var errors = HousingRules.check(input)
        var b: BuildingRecord?
        if let building { b = try await BuildingQueries(db).find(id: building, in: scope) }
        if b == nil { errors.append(FieldError("building_id", building == nil ? "请选择所在楼栋" : "本辖区没有这个楼栋")) }
        guard errors.isEmpty, let b else { throw RegistryError.invalid(errors) }
        let phone = input.contactPhone.map { $0.filter { $0 != " " } }.flatMap { $0.isEmpty ? nil : $0 }
        return CheckedUnit(name: input.name!.trimmingCharacters(in: .whitespaces), code: CreditCode.normalized(input.creditCode!), phone: phone, building: b)
    }

    func refuseCode(_ code: String, except id: UUID?, sql: any SQLDatabase) async throws {
        var q = sql.select().column("name").from("units").where("credit_code", .equal, SQLBind(code))
        if let id { q = q.where("id", .notEqual, SQLBind(id)) }
        if let row = try await q.first() {
            throw RegistryError.conflict(FieldError("credit_code", "统一社会信用代码\(code)已登记为“\(try row.decode(column: "name", as: String.self))”"))
        }
    }

    public func createUnit(building: UUID?, _ input: UnitInput, by actor: HousingActor) async throws -> UnitRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记单位的权限") }
        let c = try await checkedUnit(building: building, input, scope: actor.scope)
        let sealed = try c.phone.map { try cipher.seal($0) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseCode(c.code, except: nil, sql: sql)
            let inserted = try await sql.raw("""
                INSERT INTO units (id, name, name_initials, credit_code, kind, building_id, grid_code, contact_name, contact_phone_cipher, contact_phone_masked,
                                   employees, opens_facilities, safety_person, version, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: c.name), \(bind: Pinyin.reading(ofName: c.name).initials), \(bind: c.code), \(bind: input.kind!.rawValue),
                        \(bind: c.building.id), \(bind: c.building.gridCode), \(bind: input.contactName?.trimmedOrNil), \(bind: sealed),
                        \(bind: c.phone.map(Masking.phone)), \(bind: input.employees), \(bind: input.opensFacilities), \(bind: input.safetyPerson?.trimmedOrNil),
                        1, \(bind: actor.audit.username), \(bind: at), \(bind: at))
                ON CONFLICT (credit_code) DO NOTHING RETURNING id
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("credit_code", "统一社会信用代码\(c.code)已登记")) }
            try await AuditLog.append([AuditEvent(HousingAudit.unitCreate, target: .unit(id), detail: ["building": c.building.id.uuidString])],
                                      by: actor.audit, on: db)
        }
        return try await requireUnit(id, in: actor.scope)
    }

    public func updateUnit(_ id: UUID, building: UUID?, _ input: UnitInput, version: Int, by actor: HousingActor) async throws -> UnitRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有修改单位的权限") }
        let u = try await requireUnit(id, in: actor.scope)
        guard version == u.version else { throw RegistryError.staleVersion(current: u.version) }
        let c = try await checkedUnit(building: building, input, scope: actor.scope)
        let sealed = try c.phone.map { try cipher.seal($0) }, at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await refuseCode(c.code, except: id, sql: sql)
            let changed = try await sql.update("units").set("name", to: SQLBind(c.name)).set("name_initials", to: SQLBind(Pinyin.reading(ofName: c.name).initials))
                .set("credit_code", to: SQLBind(c.code)).set("kind", to: SQLBind(input.kind!.rawValue)).set("building_id", to: SQLBind(c.building.id))
                .set("grid_code", to: SQLBind(c.building.gridCode)).set("contact_name", to: SQLBind(input.contactName?.trimmedOrNil))
                .set("contact_phone_cipher", to: SQLBind(sealed)).set("contact_phone_masked", to: SQLBind(c.phone.map(Masking.phone)))
                .set("employees", to: SQLBind(input.employees)).set("opens_facilities", to: SQLBind(input.opensFacilities))
                .set("safety_person", to: SQLBind(input.safetyPerson?.trimmedOrNil)).set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: u.version) }
            try await AuditLog.append([AuditEvent(HousingAudit.unitUpdate, target: .unit(id))], by: actor.audit, on: db)
        }
        return try await requireUnit(id, in: actor.scope)
    }

    /// The contact's full phone: a full view, audited.
    public func unitPhone(of id: UUID, by actor: HousingActor) async throws -> String? {
        _ = try await requireUnit(id, in: actor.scope)
        guard let row = try await sql.select().column("contact_phone_cipher").from("units").where("id", .equal, SQLBind(id)).first(),
              let sealed = try row.decode(column: "contact_phone_cipher", as: Data?.self) else { return nil }
        let phone = try cipher.open(sealed)
        try await AuditLog.record(AuditEvent(HousingAudit.view, target: .unit(id), detail: ["field": "contact_phone"]), by: actor.audit, on: db, now: now())
        return phone
    }

    /// The units of the scope as .xlsx at `path` (phones masked). Audited.
    @discardableResult
    public func exportUnits(text: String?, kind: UnitKind?, to path: String, by actor: HousingActor) async throws -> Int {
        let rows = try await unitFilter(unitSelect.wherePrefix("u.grid_code", actor.scope.prefix, sqlite: sqlite), text: text, kind: kind, opens: nil)
            .orderBy(SQLColumn("grid_code", table: "u")).orderBy(SQLColumn("name", table: "u")).all().map { try $0.decodeRecord(UnitRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "单位", columnWidths: [24, 22, 12, 18, 18, 10, 14, 8, 10, 10])
        try w.header(["单位名称", "统一社会信用代码", "单位类别", "所在楼栋", "网格", "联系人", "联系电话", "从业人数", "开放设施", "安全责任人"])
        for u in rows {
            try w.row([.text(u.name), .text(u.creditCode), .text(u.kind.label), .text(u.buildingName ?? ""), .text(u.gridCode), .text(u.contactName ?? ""),
                       .text(u.contactPhoneMasked ?? ""), .text(u.employees.map(String.init) ?? ""), .text(u.opensFacilities ? "是" : "否"), .text(u.safetyPerson ?? "")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(HousingAudit.export, target: .table("units"),
                                             detail: ["rows": String(rows.count), "format": "xlsx", "scope": actor.scope.prefix]), by: actor.audit, on: db, now: now())
        return rows.count
    }

    /// The rentals of the scope as .xlsx at `path` (phones masked, no tenants' names). Audited.
    @discardableResult
    public func exportRentals(state: RentalState, to path: String, by actor: HousingActor) async throws -> Int {
        let s = try await settings()
        let rows = try await rentalFilter(rentalSelect.wherePrefix("t.grid_code", actor.scope.prefix, sqlite: sqlite), state, settings: s, text: nil)
            .orderBy(SQLColumn("grid_code", table: "t")).orderBy(SQLColumn("ends_on", table: "t")).all().map { try $0.decodeRecord(RentalRecord.self) }
        let w = try XLSXWriter(path: path, sheetName: "出租房屋", columnWidths: [18, 10, 18, 12, 14, 12, 12, 14, 8, 6, 12, 12, 12])
        try w.header(["楼栋", "房号", "网格", "房东", "房东电话", "合同开始", "合同结束", "月租金", "承租人数", "群租", "消防检查", "燃气检查", "电动车检查"])
        for r in rows {
            try w.row([.text(r.buildingName ?? ""), .text(r.dwellingNumber ?? ""), .text(r.gridCode), .text(r.landlordName ?? ""), .text(r.landlordPhoneMasked ?? ""),
                       .text(r.startsOn), .text(r.endsOn), .text(r.rentBand.label), .text(String(r.tenantCount)), .text(r.groupRental ? "是" : "否"),
                       .text(r.lastFireOn ?? ""), .text(r.lastGasOn ?? ""), .text(r.lastEbikeOn ?? "")])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(HousingAudit.export, target: .table("rentals"),
                                             detail: ["rows": String(rows.count), "format": "xlsx", "scope": actor.scope.prefix]), by: actor.audit, on: db, now: now())
        return rows.count
    }
}
