import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 设施与服务圈: the facility register and the district's settings. Reads take the caller's `RegistryScope`
/// (a grid worker sees their community's); every write is one transaction with its audit entry and is followed by
/// a refresh of the coverage snapshot (a facility covers buildings across community borders).
public struct FacilitiesQueries: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public init(_ db: any Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    static let columns = ["id", "kind", "name", "community_code", "address", "latitude", "longitude", "opening_hours", "operator_name", "source", "version"]
    public static let area = (latitude: DistrictArea.latitude, longitude: DistrictArea.longitude)

    static func communityPrefix(_ scope: RegistryScope) -> String { scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix }

    var select: SQLSelectBuilder {
        var q = sql.select()
        for c in Self.columns { q = q.column(SQLColumn(c, table: "f")) }
        return q.column(SQLColumn("name", table: "d"), as: "community_name")
            .from(SQLAlias(SQLIdentifier("facilities"), as: SQLIdentifier("f")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), method: SQLJoinMethod.left,
                  on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: "f"))
    }

    /// A community the caller may see (a grid worker: their own), or 404.
    public func community(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !text.isEmpty else { throw RegistryError.invalid([FieldError("community_code", "请选择村/社区")]) }
        guard let code = try? DivisionCode(text), code.level == .community, let d = try await DivisionQueries(db).find(code: text),
              d.level == .community, d.code.hasPrefix(Self.communityPrefix(scope)) else { throw RegistryError.notFound("村/社区") }
        return d
    }

    public func communities(in scope: RegistryScope) async throws -> [DivisionRecord] {
        let p = Self.communityPrefix(scope)
        return try await DivisionQueries(db).all(level: .community).filter { $0.code.hasPrefix(p) }
    }

    public func list(in scope: RegistryScope, community: String? = nil, kind: FacilityKind? = nil, page: PageRequest) async throws -> ResultPage<FacilityRecord> {
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("f.community_code", Self.communityPrefix(scope), sqlite: sqlite)
            if let community { q = q.where(SQLColumn("community_code", table: "f"), .equal, SQLBind(community)) }
            if let kind { q = q.where(SQLColumn("kind", table: "f"), .equal, SQLBind(kind.rawValue)) }
            return q
        }
        let items = try await narrowed(select).orderBy(SQLColumn("community_code", table: "f")).orderBy(SQLColumn("kind", table: "f"))
            .orderBy(SQLColumn("name", table: "f")).orderBy(SQLColumn("id", table: "f"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(FacilityRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("facilities"), as: SQLIdentifier("f")))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func facility(_ id: UUID, in scope: RegistryScope) async throws -> FacilityRecord {
        guard let f = try await select.where(SQLColumn("id", table: "f"), .equal, SQLBind(id)).first()?.decodeRecord(FacilityRecord.self),
              f.communityCode.hasPrefix(Self.communityPrefix(scope)) else { throw RegistryError.notFound("设施") }
        return f
    }

    /// Adds a facility to a community of the scope.
    public func create(_ input: FacilityInput, in scope: RegistryScope, by actor: AuditActor) async throws -> FacilityRecord {
        let fields = try checked(input)
        let c = try await writableCommunity(input.communityCode, in: scope)
        let id = UUID()
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "facilities").columns(Self.columns + ["updated_at"])
                .values(SQLBind(id), SQLBind(fields.kind.rawValue), SQLBind(fields.name), SQLBind(c.code), SQLBind(fields.address),
                        SQLBind(fields.point?.latitude), SQLBind(fields.point?.longitude), SQLBind(fields.openingHours), SQLBind(fields.operatorName),
                        SQLBind("register"), SQLBind(1), SQLBind(nowSeconds)).run()
            try await AuditLog.append([AuditEvent(FacilitiesAudit.create, target: .facility(id), detail: ["community": c.code, "kind": fields.kind.rawValue])],
                                      by: actor, on: db)
        }
        _ = try await FacilitiesCoverage(db, now: now).refresh()
        return try await facility(id, in: scope)
    }

    /// Changes a facility at its `version`; a stale version changes nothing (409).
    public func update(_ id: UUID, _ input: FacilityInput, version: Int, in scope: RegistryScope, by actor: AuditActor) async throws -> FacilityRecord {
        let current = try await facility(id, in: scope)
        var merged = input
        merged.communityCode = input.communityCode ?? current.communityCode
        let fields = try checked(merged)
        let c = try await writableCommunity(merged.communityCode, in: scope)
        if current.source == "care" {
            // Its kind and community are care's (the floor-area standard counts them); the rest is the register's.
            var errors = FieldErrors()
            if fields.kind != current.kind { errors.add("kind", "养老服务设施的类型请在“居家养老 · 设施”中修改") }
            if c.code != current.communityCode { errors.add("community_code", "养老服务设施的所属社区请在“居家养老 · 设施”中修改") }
            guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        }
        guard version == current.version else { throw RegistryError.staleVersion(current: current.version) }
        try await db.writeTransaction { db in
            if current.source == "care" {
                try await SQLHelpers.sql(db).update("care_facilities").set("name", to: SQLBind(fields.name)).set("address", to: SQLBind(fields.address))
                    .set("version", to: SQLRaw("version + 1")).where("id", .equal, SQLBind(id)).run()
            }
            let changed = try await SQLHelpers.sql(db).update("facilities").set("kind", to: SQLBind(fields.kind.rawValue)).set("name", to: SQLBind(fields.name))
                .set("community_code", to: SQLBind(c.code)).set("address", to: SQLBind(fields.address))
                .set("latitude", to: SQLBind(fields.point?.latitude)).set("longitude", to: SQLBind(fields.point?.longitude))
                .set("opening_hours", to: SQLBind(fields.openingHours)).set("operator_name", to: SQLBind(fields.operatorName))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(nowSeconds))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: version + 1) }
            try await AuditLog.append([AuditEvent(FacilitiesAudit.update, target: .facility(id), detail: ["community": c.code, "kind": fields.kind.rawValue])],
                                      by: actor, on: db)
        }
        _ = try await FacilitiesCoverage(db, now: now).refresh()
        return try await facility(id, in: scope)
    }

    func checked(_ input: FacilityInput) throws -> FacilityFields {
        switch FacilityRules.check(input, area: Self.area) {
        case .success(let f): return f
        case .failure(let e): throw RegistryError.invalid(e.errors)
        }
    }

    func writableCommunity(_ raw: String?, in scope: RegistryScope) async throws -> DivisionRecord {
        let text = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let code = try? DivisionCode(text), code.level == .community, scope.contains(code: text),
              let d = try await DivisionQueries(db).find(code: text, in: scope), d.level == .community
        else { throw RegistryError.invalid([FieldError("community_code", "村/社区不存在或不在您的管辖范围内")]) }
        return d
    }

    // MARK: Settings

    public func settings() async throws -> FacilitySettings {
        try await Self.settings(on: db)
    }

    static func settings(on db: any Database) async throws -> FacilitySettings {
        guard let row = try await SQLHelpers.sql(db).select().columns("detour", "radii", "version").from("facility_settings").where("id", .equal, SQLBind(1)).first()
        else { return FacilitySettings() }
        let radii = (try? JSONDecoder().decode([String: Int].self, from: Data(try row.decode(column: "radii", as: String.self).utf8))) ?? [:]
        return FacilitySettings(detour: try row.decode(column: "detour", as: Double.self), radii: radii, version: try row.decode(column: "version", as: Int.self))
    }

    /// Sets the detour factor and radii (a radius left out keeps its value), then recomputes the coverage.
    public func saveSettings(detour: Double?, radii: [String: Int], version: Int, by actor: AuditActor) async throws -> FacilitySettings {
        let errors = FacilitySettings.check(detour: detour, radii: radii)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let current = try await settings()
        guard version == current.version else { throw RegistryError.staleVersion(current: current.version) }
        var next = current
        if let detour { next.detour = detour }
        for (k, v) in radii { next.radii[k] = v }
        next.version += 1
        let json = String(decoding: try JSONEncoder.sorted.encode(next.radii), as: UTF8.self)
        try await db.writeTransaction { [next] db in
            let changed = try await SQLHelpers.sql(db).update("facility_settings").set("detour", to: SQLBind(next.detour)).set("radii", to: SQLBind(json))
                .set("version", to: SQLBind(next.version)).set("updated_by", to: SQLBind(actor.username)).set("updated_at", to: SQLBind(nowSeconds))
                .where("id", .equal, SQLBind(1)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: version + 1) }
            try await AuditLog.append([AuditEvent(FacilitiesAudit.settings, target: .facilitySettings,
                                                  detail: ["detour": String(next.detour), "radii": json])], by: actor, on: db)
        }
        _ = try await FacilitiesCoverage(db, now: now).refresh()
        return next
    }
}
