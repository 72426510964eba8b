import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The district's bounding box with a margin: a building outside it is a typing error.
public enum DistrictArea {
    public static let latitude = 32.25...32.65
    public static let longitude = 119.75...120.15
}

public struct BuildingDraft: Sendable {
    public var gridCode: String
    public var name: String
    public var address: String
    public var latitude: Double
    public var longitude: Double
    public var floors: Int?
    public init(gridCode: String, name: String, address: String, latitude: Double, longitude: Double, floors: Int?) {
        self.gridCode = gridCode; self.name = name; self.address = address
        self.latitude = latitude; self.longitude = longitude; self.floors = floors
    }
}

public struct BuildingQueries: Sendable {
    let db: any Database
    public init(_ db: any Database) { self.db = db }

    private var select: SQLSelectBuilder {
        SQLHelpers.sql(db).select()
            .columns("id", "grid_code", "name", "address", "latitude", "longitude", "floors", "version")
            .from(Building.schema)
    }

    public func find(id: UUID, in scope: RegistryScope) async throws -> BuildingRecord? {
        guard let b = try await select.where("id", .equal, SQLBind(id)).first()?.decodeRecord(BuildingRecord.self),
              scope.contains(code: b.gridCode) else { return nil }
        return b
    }

    public func list(in scope: RegistryScope, gridCode: String?, page: PageRequest) async throws -> ResultPage<BuildingRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("grid_code", scope.prefix, sqlite: db.isSQLite)
            if let gridCode { q = q.where("grid_code", .equal, SQLBind(gridCode)) }
            return q
        }
        let items = try await filtered(select).orderBy("grid_code").orderBy("name").orderBy("id")
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(BuildingRecord.self) }
        let total = try await SQLHelpers.count(filtered(SQLHelpers.sql(db).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Building.schema)))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    static func check(_ draft: BuildingDraft, errors: inout FieldErrors) {
        if draft.name.isEmpty || draft.name.count > 60 { errors.add("name", "楼栋名称应为1至60个字") }
        if draft.address.isEmpty || draft.address.count > 120 { errors.add("address", "地址应为1至120个字") }
        if !DistrictArea.latitude.contains(draft.latitude) || !DistrictArea.longitude.contains(draft.longitude) {
            errors.add("latitude", "位置不在本区范围内（纬度32.25–32.65，经度119.75–120.15）")
        }
        if let f = draft.floors, !(1...120).contains(f) { errors.add("floors", "楼层数应在1至120之间") }
    }

    public func create(_ draft: BuildingDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> BuildingRecord {
        var errors = FieldErrors()
        BuildingQueries.check(draft, errors: &errors)
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        guard scope.contains(code: draft.gridCode),
              let grid = try await Division.query(on: db).filter(\.$code == draft.gridCode).filter(\.$level == DivisionLevel.grid.rawValue).first()
        else { throw RegistryError.invalid([FieldError("grid_code", "网格 \(draft.gridCode) 不存在或不在您的管辖范围内")]) }
        let b = Building()
        b.id = UUID()
        b.$grid.id = grid.id!
        b.gridCode = draft.gridCode
        b.name = draft.name
        b.address = draft.address
        b.latitude = draft.latitude
        b.longitude = draft.longitude
        b.floors = draft.floors
        b.version = 1
        try await db.writeTransaction { [b] db in
            try await b.create(on: db)
            try await AuditLog.append([AuditEvent(RegistryAudit.buildingCreate, target: .building(b.id!), detail: ["grid": draft.gridCode])],
                                      by: actor, on: db)
        }
        return try await find(id: b.id!, in: scope)!
    }

    public func update(id: UUID, name: String?, address: String?, latitude: Double?, longitude: Double?, floors: Int?,
                       version: Int, in scope: RegistryScope, by actor: AuditActor) async throws -> BuildingRecord {
        guard let current = try await find(id: id, in: scope) else { throw RegistryError.notFound("楼栋") }
        let draft = BuildingDraft(gridCode: current.gridCode, name: name ?? current.name, address: address ?? current.address,
                                  latitude: latitude ?? current.latitude, longitude: longitude ?? current.longitude,
                                  floors: floors ?? current.floors)
        var errors = FieldErrors()
        BuildingQueries.check(draft, errors: &errors)
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update(Building.schema)
                .set("name", to: SQLBind(draft.name)).set("address", to: SQLBind(draft.address))
                .set("latitude", to: SQLBind(draft.latitude)).set("longitude", to: SQLBind(draft.longitude))
                .set("floors", to: SQLBind(draft.floors))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            try await AuditLog.append([AuditEvent(RegistryAudit.buildingUpdate, target: .building(id))], by: actor, on: db)
        }
        return try await find(id: id, in: scope)!
    }
}

public struct HouseholdQueries: Sendable {
    let db: any Database
    public init(_ db: any Database) { self.db = db }

    private var select: SQLSelectBuilder {
        SQLHelpers.sql(db).select()
            .column(SQLColumn("id", table: "h")).column(SQLColumn("number", table: "h"))
            .column(SQLColumn("building_id", table: "h")).column(SQLColumn("name", table: "b"), as: "building_name")
            .column(SQLColumn("grid_code", table: "h")).column(SQLColumn("room", table: "h"))
            .column(SQLColumn("version", table: "h"))
            .from(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")))
            .join(SQLAlias(SQLIdentifier(Building.schema), as: SQLIdentifier("b")), on: SQLColumn("building_id", table: "h"), .equal, SQLColumn("id", table: "b"))
    }

    public func find(id: UUID, in scope: RegistryScope) async throws -> HouseholdRecord? {
        guard let h = try await select.where(SQLColumn("id", table: "h"), .equal, SQLBind(id)).first()?.decodeRecord(HouseholdRecord.self),
              scope.contains(code: h.gridCode) else { return nil }
        return h
    }

    /// The household with this 户号 (numbers are unique in the district).
    public func find(number: String, in scope: RegistryScope) async throws -> HouseholdRecord? {
        guard let h = try await select.where(SQLColumn("number", table: "h"), .equal, SQLBind(number)).first()?.decodeRecord(HouseholdRecord.self),
              scope.contains(code: h.gridCode) else { return nil }
        return h
    }

    public func list(in scope: RegistryScope, buildingID: UUID?, gridCode: String?, page: PageRequest) async throws -> ResultPage<HouseholdRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("h.grid_code", scope.prefix, sqlite: db.isSQLite)
            if let buildingID { q = q.where(SQLColumn("building_id", table: "h"), .equal, SQLBind(buildingID)) }
            if let gridCode { q = q.where(SQLColumn("grid_code", table: "h"), .equal, SQLBind(gridCode)) }
            return q
        }
        let items = try await filtered(select).orderBy(SQLColumn("grid_code", table: "h")).orderBy(SQLColumn("number", table: "h"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(HouseholdRecord.self) }
        let total = try await SQLHelpers.count(filtered(SQLHelpers.sql(db).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    static func checkRoom(_ room: String, errors: inout FieldErrors) {
        if room.isEmpty || room.count > 40 { errors.add("room", "门牌/室号应为1至40个字") }
    }

    public func create(number: String, buildingID: UUID, room: String, in scope: RegistryScope,
                       by actor: AuditActor) async throws -> HouseholdRecord {
        var errors = FieldErrors()
        if number.isEmpty || number.count > 30 || !number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            errors.add("number", "户号应为1至30位字母、数字或“-”")
        }
        HouseholdQueries.checkRoom(room, errors: &errors)
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        guard let building = try await BuildingQueries(db).find(id: buildingID, in: scope) else {
            throw RegistryError.invalid([FieldError("building_id", "楼栋不存在或不在您的管辖范围内")])
        }
        return try await db.writeTransaction { db in
            if try await Household.query(on: db).filter(\.$number == number).count() > 0 {
                throw RegistryError.conflict(FieldError("number", "户号 \(number) 已存在"))
            }
            let h = Household()
            h.id = UUID()
            h.number = number
            h.$building.id = buildingID
            h.gridCode = building.gridCode
            h.room = room
            h.version = 1
            try await h.create(on: db)
            try await AuditLog.append([AuditEvent(RegistryAudit.householdCreate, target: .household(h.id!), detail: ["number": number])],
                                      by: actor, on: db)
            return HouseholdRecord(id: h.id!, number: number, buildingId: buildingID, buildingName: building.name,
                                   gridCode: building.gridCode, room: room, version: 1)
        }
    }

    public func update(id: UUID, room: String, version: Int, in scope: RegistryScope, by actor: AuditActor) async throws -> HouseholdRecord {
        guard let current = try await find(id: id, in: scope) else { throw RegistryError.notFound("户") }
        var errors = FieldErrors()
        HouseholdQueries.checkRoom(room, errors: &errors)
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update(Household.schema)
                .set("room", to: SQLBind(room)).set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            try await AuditLog.append([AuditEvent(RegistryAudit.householdUpdate, target: .household(id))], by: actor, on: db)
        }
        return try await find(id: id, in: scope)!
    }
}
