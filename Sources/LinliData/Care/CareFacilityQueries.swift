import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Care facilities (养老服务设施): floor area and beds, community by community.
extension CareQueries {
    // MARK: Facilities

    static let facilityColumns = ["id", "name", "kind", "community_code", "address", "floor_area", "beds", "nursing_beds", "setting", "version"]

    public func facilities(in scope: RegistryScope, community: String? = nil) async throws -> [CareFacilityRecord] {
        // A grid worker sees the facilities of their community.
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        var q = sql.select().columns(CareQueries.facilityColumns).from("care_facilities").wherePrefix("community_code", prefix, sqlite: sqlite)
        if let community { q = q.where("community_code", .equal, SQLBind(community)) }
        return try await q.orderBy("community_code").orderBy("name").orderBy("id").all().map { try $0.decodeRecord(CareFacilityRecord.self) }
    }

    public func facility(_ id: UUID, in scope: RegistryScope) async throws -> CareFacilityRecord? {
        guard let f = try await sql.select().columns(CareQueries.facilityColumns).from("care_facilities").where("id", .equal, SQLBind(id)).first()?
            .decodeRecord(CareFacilityRecord.self) else { return nil }
        let prefix = scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix
        return f.communityCode.hasPrefix(prefix) ? f : nil
    }

    /// Creates a facility (no `id`) or changes one at its `version`.
    public func saveFacility(_ id: UUID?, _ d: CareFacilityDraft, in scope: RegistryScope, by actor: AuditActor) async throws -> CareFacilityRecord {
        let current: CareFacilityRecord?
        if let id {
            guard let f = try await facility(id, in: scope) else { throw RegistryError.notFound("养老服务设施") }
            current = f
        } else { current = nil }
        var errors = FieldErrors()
        let name = (d.name ?? current?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 50 { errors.add("name", "请填写设施名称（1至50个字）") }
        let kind = d.kind.map { CareFacilityKind(rawValue: $0) } ?? current?.kind
        if kind == nil { errors.add("kind", "设施类型应为 \(CareFacilityKind.allCases.map(\.rawValue).joined(separator: "、")) 之一") }
        var communityKind: CommunityKind?
        let code = d.communityCode ?? current?.communityCode ?? ""
        if let c = try? DivisionCode(code), c.level == .community {
            if let row = try await sql.select().column("kind").from(Division.schema).where("code", .equal, SQLBind(code)).first(),
               scope.contains(code: code) {
                communityKind = try row.decode(column: "kind", as: String?.self).flatMap(CommunityKind.init(rawValue:))
            } else { errors.add("community_code", "村/社区不存在或不在您的管辖范围内") }
        } else { errors.add("community_code", "请填写12位村/社区代码") }
        let area = d.floorArea ?? current?.floorArea
        if area == nil || !(area!.isFinite) || area! <= 0 || area! > 100_000 { errors.add("floor_area", "建筑面积应为大于0、不超过100000的平方米数") }
        let beds = d.beds ?? current?.beds ?? 0
        let nursing = d.nursingBeds ?? current?.nursingBeds ?? 0
        if !(0...10_000).contains(beds) { errors.add("beds", "床位数应为0至10000") }
        if !(0...10_000).contains(nursing) { errors.add("nursing_beds", "护理型床位数应为0至10000") } else if nursing > beds {
            errors.add("nursing_beds", "护理型床位数不能多于床位数")
        }
        var setting = CareSetting.of(communityKind)
        if let s = d.setting {
            if let v = CareSetting(rawValue: s) { setting = v } else { errors.add("setting", "城乡类型应为 urban（城市）或 rural（农村）") }
        } else if d.communityCode == nil, let s = current?.setting { setting = s }
        let address = d.address ?? current?.address
        if let a = address, a.count > 100 { errors.add("address", "地址不能超过100个字") }
        if current != nil && d.version == nil { errors.add("version", "请提供记录的版本号 version（读取记录时返回）") }
        guard errors.isEmpty, let kind, let area else { throw RegistryError.invalid(errors.errors) }
        if let current, d.version != current.version { throw RegistryError.staleVersion(current: current.version) }
        let record = CareFacilityRecord(id: current?.id ?? UUID(), name: name, kind: kind, communityCode: code, address: address,
                                        floorArea: area, beds: beds, nursingBeds: nursing, setting: setting, version: (current?.version ?? 0) + 1)
        // A new facility enters the register at its community's first building until its point is set there.
        var firstPoint: (Double, Double)?
        if current == nil, let b = try await sql.select().columns("latitude", "longitude").from("buildings").wherePrefix("grid_code", code, sqlite: sqlite)
            .orderBy("grid_code").orderBy("name").limit(1).first() {
            firstPoint = (try b.decode(column: "latitude", as: Double.self), try b.decode(column: "longitude", as: Double.self))
        }
        try await db.writeTransaction { [current, firstPoint] db in
            let sql = SQLHelpers.sql(db)
            try await FacilitiesCareLink.write(record, isNew: current == nil, point: firstPoint, on: db)
            if let current {
                let changed = try await sql.update("care_facilities").set("name", to: SQLBind(name)).set("kind", to: SQLBind(record.kind.rawValue))
                    .set("community_code", to: SQLBind(code)).set("address", to: SQLBind(address)).set("floor_area", to: SQLBind(area))
                    .set("beds", to: SQLBind(beds)).set("nursing_beds", to: SQLBind(nursing)).set("setting", to: SQLBind(record.setting.rawValue))
                    .set("version", to: SQLBind(record.version))
                    .where("id", .equal, SQLBind(current.id)).where("version", .equal, SQLBind(current.version)).returning("id").all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: current.version + 1) }
            } else {
                try await sql.insert(into: "care_facilities").columns(CareQueries.facilityColumns)
                    .values(SQLBind(record.id), SQLBind(name), SQLBind(record.kind.rawValue), SQLBind(code), SQLBind(address), SQLBind(area), SQLBind(beds),
                            SQLBind(nursing), SQLBind(record.setting.rawValue), SQLBind(record.version)).run()
            }
            try await AuditLog.append([AuditEvent(current == nil ? CareAudit.facilityCreate : CareAudit.facilityUpdate, target: .careFacility(record.id),
                                                  detail: ["community": code])], by: actor, on: db)
        }
        try await FacilitiesCoverage(db).refresh()
        return record
    }
}
