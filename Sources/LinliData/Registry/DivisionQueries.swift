import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Reads and writes of the division tree and the functional parks.
public struct DivisionQueries: Sendable {
    let db: any Database
    public init(_ db: any Database) { self.db = db }

    private var select: SQLSelectBuilder {
        SQLHelpers.sql(db).select()
            .column(SQLColumn("id", table: "d")).column(SQLColumn("code", table: "d"))
            .column(SQLColumn("name", table: "d")).column(SQLColumn("level", table: "d"))
            .column(SQLColumn("kind", table: "d")).column(SQLColumn("boundary", table: "d"))
            .column(SQLColumn("version", table: "d"))
            .column(SQLColumn("code", table: "p"), as: "parent_code")
            .from(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                  on: SQLColumn("parent_id", table: "d"), .equal, SQLColumn("id", table: "p"))
    }

    /// Every live division in `scope`, ordered by code (so a parent comes before its children). Divisions a boundary
    /// change retired stay as rows, kept out of the tree (`BoundaryQueries.retired` lists them).
    public func all(in scope: RegistryScope = .everything, level: DivisionLevel? = nil) async throws -> [DivisionRecord] {
        var q = select.wherePrefix("d.code", scope.prefix, sqlite: db.isSQLite).where(SQLColumn("retired_on", table: "d"), .is, SQLLiteral.null)
            .orderBy(SQLColumn("code", table: "d"))
        if let level { q = q.where(SQLColumn("level", table: "d"), .equal, SQLBind(level.rawValue)) }
        return try await q.all().map { try $0.decodeRecord(DivisionRecord.self) }
    }

    public func find(code: String, in scope: RegistryScope = .everything) async throws -> DivisionRecord? {
        guard scope.contains(code: code) else { return nil }
        return try await select.where(SQLColumn("code", table: "d"), .equal, SQLBind(code)).where(SQLColumn("retired_on", table: "d"), .is, SQLLiteral.null).first()?
            .decodeRecord(DivisionRecord.self)
    }

    /// Park names by division code.
    public func parkNames() async throws -> [String: [String]] {
        let rows = try await SQLHelpers.sql(db).select()
            .column(SQLColumn("code", table: "d")).column(SQLColumn("name", table: "p"))
            .from(SQLAlias(SQLIdentifier(DivisionPark.schema), as: SQLIdentifier("dp")))
            .join(SQLAlias(SQLIdentifier(Division.schema), as: SQLIdentifier("d")), on: SQLColumn("division_id", table: "dp"), .equal, SQLColumn("id", table: "d"))
            .join(SQLAlias(SQLIdentifier(Park.schema), as: SQLIdentifier("p")), on: SQLColumn("park_id", table: "dp"), .equal, SQLColumn("id", table: "p"))
            .orderBy(SQLColumn("code", table: "p"))
            .all()
        var result: [String: [String]] = [:]
        for r in rows { result[try r.decode(column: "code", as: String.self), default: []].append(try r.decode(column: "name", as: String.self)) }
        return result
    }

    public func parks() async throws -> [(code: String, name: String)] {
        try await Park.query(on: db).sort(\.$code).all().map { ($0.code, $0.name) }
    }

    /// Adds a street, community or grid under an existing parent in `scope`.
    public func create(code: DivisionCode, name: String, kind: CommunityKind?, boundary: String?, parks: [String],
                       in scope: RegistryScope, by actor: AuditActor) async throws -> DivisionRecord {
        var errors = FieldErrors()
        if code.level == .district { errors.add("code", "区级区划不能新建") }
        if code.level == .community && kind == nil { errors.add("kind", "村/社区须注明类别：村 或 社区") }
        if code.level != .community && kind != nil { errors.add("kind", "只有村/社区层级有类别") }
        if code.level != .grid && boundary != nil { errors.add("boundary", "只有网格可以设置边界") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        guard let parentCode = code.parent, scope.contains(code: code.value) else {
            throw RegistryError.invalid([FieldError("code", "区划代码不在您的管辖范围内")])
        }
        return try await db.writeTransaction { db in
            guard let parent = try await Division.query(on: db).filter(\.$code == parentCode.value).first() else {
                throw RegistryError.invalid([FieldError("code", "上级区划 \(parentCode.value) 不存在")])
            }
            if try await Division.query(on: db).filter(\.$code == code.value).count() > 0 {
                throw RegistryError.conflict(FieldError("code", "区划代码 \(code.value) 已存在"))
            }
            let d = Division()
            d.id = UUID()
            d.code = code.value
            d.name = name
            d.level = code.level.rawValue
            d.kind = kind?.rawValue
            d.$parent.id = parent.id
            d.boundary = boundary
            d.version = 1
            try await d.create(on: db)
            for parkName in parks {
                guard let park = try await Park.query(on: db).group(.or, { $0.filter(\.$name == parkName).filter(\.$code == parkName) }).first() else {
                    throw RegistryError.invalid([FieldError("parks", "功能园区“\(parkName)”不存在")])
                }
                let link = DivisionPark()
                link.$division.id = d.id!
                link.$park.id = park.id!
                try await link.create(on: db)
            }
            try await AuditLog.append([AuditEvent(RegistryAudit.divisionCreate, target: .division(code.value), detail: ["name": name])], by: actor, on: db)
            return DivisionRecord(id: d.id!, code: d.code, name: d.name, level: code.level, kind: kind,
                                  parentCode: parentCode.value, boundary: boundary, version: 1)
        }
    }

    /// Renames a division or changes a grid's boundary, if `version` is still current.
    public func update(code: String, name: String?, boundary: String??, version: Int, in scope: RegistryScope,
                       by actor: AuditActor) async throws -> DivisionRecord {
        guard let current = try await find(code: code, in: scope) else { throw RegistryError.notFound("区划") }
        if boundary != nil && current.level != .grid {
            throw RegistryError.invalid([FieldError("boundary", "只有网格可以设置边界")])
        }
        try await db.writeTransaction { db in
            var update = SQLHelpers.sql(db).update(Division.schema)
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("code", .equal, SQLBind(code)).where("version", .equal, SQLBind(version))
            if let name { update = update.set("name", to: SQLBind(name)) }
            if let boundary { update = update.set("boundary", to: SQLBind(boundary)) }
            let changed = try await update.returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            var detail: [String: String] = [:]
            if let name, name != current.name { detail["name"] = "\(current.name) → \(name)" }
            if boundary != nil { detail["boundary"] = "changed" }
            try await AuditLog.append([AuditEvent(RegistryAudit.divisionUpdate, target: .division(code), detail: detail)], by: actor, on: db)
        }
        return try await find(code: code, in: scope)!
    }
}
