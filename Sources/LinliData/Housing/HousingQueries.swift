import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 房屋和单位: dwellings of buildings, the households living in them, rentals with tenants and safety checks, units.
/// Reads take the caller's `RegistryScope` on the grid code each row carries (its building's); a row outside the
/// scope is not found (404), for reads and writes alike.
public struct HousingQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }
    var countAll: SQLFunction { SQLFunction("COUNT", args: SQLLiteral.all) }

    static func alias(_ table: String, _ a: String) -> SQLAlias { SQLAlias(SQLIdentifier(table), as: SQLIdentifier(a)) }

    // MARK: settings

    /// The district's settings; the defaults where none are stored.
    public func settings() async throws -> HousingSettings { try await Self.settings(on: db) }

    public static func settings(on db: any Database) async throws -> HousingSettings {
        var s = HousingSettings()
        for row in try await SQLHelpers.sql(db).select().columns("setting", "value").from("housing_settings").all() {
            let key = try row.decode(column: "setting", as: String.self), value = try row.decode(column: "value", as: String.self)
            if key == "min_area_per_tenant", let v = Double(value) { s.minAreaPerTenant = v }
            if let k = SafetyCheckKind(rawValue: key), let v = Int(value) { s.checkEvery[k] = v }
        }
        return s
    }

    public func setSettings(minAreaPerTenant: Double?, checkEvery: [SafetyCheckKind: Int], by actor: HousingActor) async throws -> HousingSettings {
        guard actor.maySettings else { throw RegistryError.forbidden("您没有设置出租房屋管理标准的权限") }
        let errors = HousingSettings.check(minAreaPerTenant: minAreaPerTenant, checkEvery: checkEvery)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        var pairs = checkEvery.map { ($0.key.rawValue, String($0.value)) }
        if let a = minAreaPerTenant { pairs.append(("min_area_per_tenant", String(a))) }
        let settled = pairs
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            for (k, v) in settled {
                try await sql.raw("""
                    INSERT INTO housing_settings (setting, value) VALUES (\(bind: k), \(bind: v))
                    ON CONFLICT (setting) DO UPDATE SET value = excluded.value
                    """).run()
            }
            try await AuditLog.append([AuditEvent(HousingAudit.settings, target: .table("housing_settings"),
                                                  detail: Dictionary(uniqueKeysWithValues: settled))], by: actor.audit, on: db)
        }
        return try await settings()
    }

    // MARK: dwellings

    var dwellingSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "building_id", "grid_code", "number", "floor", "area", "rooms", "use", "version"] { q = q.column(SQLColumn(c, table: "w")) }
        return q.column(SQLColumn("name", table: "b"), as: "building_name").from(Self.alias("dwellings", "w"))
            .join(Self.alias("buildings", "b"), method: SQLJoinMethod.left, on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "w"))
    }

    public func dwellings(in scope: RegistryScope, building: UUID?, use: DwellingUse?, number: String?, page: PageRequest) async throws -> ResultPage<DwellingRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("w.grid_code", scope.prefix, sqlite: sqlite)
            if let building { q = q.where(SQLColumn("building_id", table: "w"), .equal, SQLBind(building)) }
            if let use { q = q.where(SQLColumn("use", table: "w"), .equal, SQLBind(use.rawValue)) }
            if let n = number?.trimmedOrNil { q = q.where(SQLColumn("number", table: "w"), .like, SQLBind(SQLHelpers.likePrefix(n))) }
            return q
        }
        let items = try await filtered(dwellingSelect).orderBy(SQLColumn("grid_code", table: "w")).orderBy(SQLColumn("building_id", table: "w"))
            .orderBy(SQLColumn("number", table: "w")).limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(DwellingRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(countAll, as: "n").from(Self.alias("dwellings", "w"))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func dwelling(_ id: UUID, in scope: RegistryScope) async throws -> DwellingRecord? {
        guard let d = try await dwellingSelect.where(SQLColumn("id", table: "w"), .equal, SQLBind(id)).first()?.decodeRecord(DwellingRecord.self),
              scope.contains(code: d.gridCode) else { return nil }
        return d
    }

    func requireDwelling(_ id: UUID, in scope: RegistryScope) async throws -> DwellingRecord {
        guard let d = try await dwelling(id, in: scope) else { throw RegistryError.notFound("房屋") }
        return d
    }

    func checked(_ input: DwellingInput) throws -> DwellingInput {
        let errors = HousingRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        var i = input
        i.number = input.number!.trimmed
        return i
    }

    public func createDwelling(building: UUID?, _ input: DwellingInput, by actor: HousingActor) async throws -> DwellingRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记房屋的权限") }
        guard let building else { throw RegistryError.invalid([FieldError("building_id", "请选择楼栋")]) }
        let i = try checked(input)
        guard let b = try await BuildingQueries(db).find(id: building, in: actor.scope) else {
            throw RegistryError.invalid([FieldError("building_id", "本辖区没有这个楼栋")])
        }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let inserted = try await SQLHelpers.sql(db).raw("""
                INSERT INTO dwellings (id, building_id, grid_code, number, floor, area, rooms, use, version, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: b.id), \(bind: b.gridCode), \(bind: i.number!), \(bind: i.floor), \(bind: i.area), \(bind: i.rooms),
                        \(bind: i.use!.rawValue), 1, \(bind: actor.audit.username), \(bind: at), \(bind: at))
                ON CONFLICT (building_id, number) DO NOTHING RETURNING id
                """).all()
            if inserted.isEmpty { throw RegistryError.conflict(FieldError("number", "\(b.name)已登记房号“\(i.number!)”")) }
            try await AuditLog.append([AuditEvent(HousingAudit.dwellingCreate, target: .dwelling(id), detail: ["building": b.id.uuidString])],
                                      by: actor.audit, on: db)
        }
        return try await requireDwelling(id, in: actor.scope)
    }

    public func updateDwelling(_ id: UUID, _ input: DwellingInput, version: Int, by actor: HousingActor) async throws -> DwellingRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有修改房屋的权限") }
        let d = try await requireDwelling(id, in: actor.scope)
        guard version == d.version else { throw RegistryError.staleVersion(current: d.version) }
        let i = try checked(input), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if i.number != d.number, try await sql.select().column("id").from("dwellings").where("building_id", .equal, SQLBind(d.buildingId))
                .where("number", .equal, SQLBind(i.number!)).first() != nil {
                throw RegistryError.conflict(FieldError("number", "该楼栋已登记房号“\(i.number!)”"))
            }
            let changed = try await sql.update("dwellings").set("number", to: SQLBind(i.number!)).set("floor", to: SQLBind(i.floor))
                .set("area", to: SQLBind(i.area)).set("rooms", to: SQLBind(i.rooms)).set("use", to: SQLBind(i.use!.rawValue))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: d.version) }
            try await AuditLog.append([AuditEvent(HousingAudit.dwellingUpdate, target: .dwelling(id))], by: actor.audit, on: db)
        }
        return try await requireDwelling(id, in: actor.scope)
    }

    /// The households living in a dwelling.
    public func households(of dwelling: UUID) async throws -> [HouseholdRecord] {
        try await sql.select().column(SQLColumn("id", table: "h")).column(SQLColumn("number", table: "h")).column(SQLColumn("building_id", table: "h"))
            .column(SQLColumn("name", table: "b"), as: "building_name").column(SQLColumn("grid_code", table: "h")).column(SQLColumn("room", table: "h"))
            .column(SQLColumn("version", table: "h"))
            .from(Self.alias("households", "h"))
            .join(Self.alias("buildings", "b"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "h"))
            .where(SQLColumn("dwelling_id", table: "h"), .equal, SQLBind(dwelling)).orderBy(SQLColumn("number", table: "h")).limit(100).all()
            .map { try $0.decodeRecord(HouseholdRecord.self) }
    }

    /// The dwelling a household lives in (nil: not yet placed).
    public func dwelling(ofHousehold household: UUID, in scope: RegistryScope) async throws -> DwellingRecord? {
        guard let row = try await sql.select().column("dwelling_id").from("households").where("id", .equal, SQLBind(household)).first(),
              let id = try row.decode(column: "dwelling_id", as: UUID?.self) else { return nil }
        return try await dwelling(id, in: scope)
    }

    /// Places a household of the caller's area in a dwelling of its own building (or, with nil, takes it out of any).
    public func place(household: UUID?, in dwelling: UUID?, by actor: HousingActor) async throws {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记房屋的权限") }
        guard let household, let h = try await HouseholdQueries(db).find(id: household, in: actor.scope) else {
            throw RegistryError.invalid([FieldError("household_id", "本辖区没有这一户")])
        }
        if let dwelling {
            let d = try await requireDwelling(dwelling, in: actor.scope)
            guard d.buildingId == h.buildingId else {
                throw RegistryError.invalid([FieldError("household_id", "户“\(h.number)”登记在\(h.buildingName)，不能住进其他楼栋的房屋")])
            }
        }
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).update("households").set("dwelling_id", to: SQLBind(dwelling)).where("id", .equal, SQLBind(household)).run()
            try await AuditLog.append([AuditEvent(HousingAudit.householdPlace, target: AuditTarget("household", household.uuidString),
                                                  detail: ["dwelling": dwelling?.uuidString ?? ""])], by: actor.audit, on: db)
        }
    }

    /// A building's occupancy: grouped counts on the building's indexes (dwellings, households, residents), no district scan.
    public func occupancy(building id: UUID, in scope: RegistryScope) async throws -> BuildingOccupancy {
        guard try await BuildingQueries(db).find(id: id, in: scope) != nil else { throw RegistryError.notFound("楼栋") }
        var byUse = Array(repeating: 0, count: DwellingUse.allCases.count)
        for row in try await sql.select().column("use").column(countAll, as: "n").from("dwellings").where("building_id", .equal, SQLBind(id))
            .groupBy("use").all() {
            if let u = DwellingUse(rawValue: try row.decode(column: "use", as: String.self)), let i = DwellingUse.allCases.firstIndex(of: u) {
                byUse[i] = try row.decode(column: "n", as: Int.self)
            }
        }
        let households = try await SQLHelpers.count(sql.select().column(countAll, as: "n").from("households").where("building_id", .equal, SQLBind(id)))
        let placed = try await SQLHelpers.count(sql.select().column(countAll, as: "n").from("households").where("building_id", .equal, SQLBind(id))
            .where("dwelling_id", .isNot, SQLLiteral.null))
        let residents = try await SQLHelpers.count(sql.select().column(countAll, as: "n").from(Self.alias("residents", "r"))
            .join(Self.alias("households", "h"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "h"), .equal, SQLColumn("household_id", table: "r"))
            .where(SQLColumn("building_id", table: "h"), .equal, SQLBind(id)).where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue)))
        let rentals = try await SQLHelpers.count(sql.select().column(countAll, as: "n").from(Self.alias("rentals", "t"))
            .join(Self.alias("dwellings", "w"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "w"), .equal, SQLColumn("dwelling_id", table: "t"))
            .where(SQLColumn("building_id", table: "w"), .equal, SQLBind(id)).where(SQLColumn("ended_on", table: "t"), .is, SQLLiteral.null))
        return BuildingOccupancy(buildingId: id, byUse: byUse, households: households, placedHouseholds: placed, residents: residents, rentals: rentals)
    }
}
