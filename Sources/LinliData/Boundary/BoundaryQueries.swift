import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 区划调整: change orders, their preview and their application. Orders are the district's; a street reads those that
/// touch its area (an order is in a scope when one of its divisions is). Every write is one transaction with its audit
/// entry; an order changed since it was read is 409.
public struct BoundaryQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }

    // MARK: Reads

    static let orderColumns = ["id", "kind", "state", "sources", "new_names", "receiving_street", "target", "buildings", "effective_on",
                               "document_no", "document_title", "plan", "created_by", "created_at", "approved_by", "applied_at", "version"]

    static func record(_ row: any SQLRow) throws -> BoundaryOrderRecord {
        func json<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        let buildings = try json("buildings", [String: Int].self)
        let plan = try row.decode(column: "plan", as: String?.self).flatMap { try JSONDecoder().decode(BoundaryPlan.self, from: Data($0.utf8)) }
        return BoundaryOrderRecord(
            id: try row.decode(column: "id", as: UUID.self),
            kind: BoundaryKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .merge,
            state: BoundaryState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            sources: try json("sources", [String].self), newNames: try json("new_names", [String].self),
            receivingStreet: try row.decode(column: "receiving_street", as: String?.self), target: try row.decode(column: "target", as: String?.self),
            buildings: Dictionary(uniqueKeysWithValues: buildings.compactMap { k, v in UUID(uuidString: k).map { ($0, v) } }),
            effectiveOn: CivilDate(try row.decode(column: "effective_on", as: String.self)) ?? CivilDate(year: 1970, month: 1, day: 1)!,
            documentNo: try row.decode(column: "document_no", as: String.self), documentTitle: try row.decode(column: "document_title", as: String.self),
            plan: plan, createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try row.decode(column: "created_at", as: Int64.self),
            approvedBy: try row.decode(column: "approved_by", as: String?.self), appliedAt: try row.decode(column: "applied_at", as: Int64?.self),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// True when one of the order's divisions (or its receiving street or target) lies in `scope`.
    static func inScope(_ o: BoundaryOrderRecord, _ scope: RegistryScope) -> Bool {
        (o.sources + [o.target].compactMap { $0 }).contains { scope.contains(code: $0) || $0.hasPrefix(scope.prefix) }
            || (scope.prefix.count <= 9 && o.receivingStreet.map { $0.hasPrefix(scope.prefix) } == true)
    }

    /// The orders in `scope`, the newest effective date first.
    public func list(in scope: RegistryScope, state: BoundaryState? = nil) async throws -> [BoundaryOrderRecord] {
        var q = sql.select().columns(Self.orderColumns).from("boundary_orders")
        if let state { q = q.where("state", .equal, SQLBind(state.rawValue)) }
        return try await q.orderBy("effective_on", .descending).orderBy("created_at", .descending).all()
            .map(Self.record).filter { Self.inScope($0, scope) }
    }

    public func find(_ id: UUID, in scope: RegistryScope) async throws -> BoundaryOrderRecord {
        guard let row = try await sql.select().columns(Self.orderColumns).from("boundary_orders")
            .where("id", .equal, SQLBind(id)).first() else { throw RegistryError.notFound("区划调整令") }
        let o = try Self.record(row)
        guard Self.inScope(o, scope) else { throw RegistryError.notFound("区划调整令") }
        return o
    }

    /// Approved orders whose effective date has come, oldest first (what `linli boundary apply-due` applies).
    public func due() async throws -> [BoundaryOrderRecord] {
        try await sql.select().columns(Self.orderColumns).from("boundary_orders")
            .where("state", .equal, SQLBind(BoundaryState.approved.rawValue))
            .where("effective_on", .lessThanOrEqual, SQLBind(today.description))
            .orderBy("effective_on").orderBy("created_at").all().map(Self.record)
    }

    /// Live (not retired) divisions by code, for the codes asked.
    func live(_ codes: [String], on db: any Database) async throws -> [String: (id: UUID, name: String, level: DivisionLevel, kind: String?)] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await SQLHelpers.sql(db).select().columns("id", "code", "name", "level", "kind").from(Division.schema)
            .where("code", .in, SQLBind.group(codes)).where("retired_on", .is, SQLLiteral.null).all()
        var out: [String: (id: UUID, name: String, level: DivisionLevel, kind: String?)] = [:]
        for r in rows {
            out[try r.decode(column: "code", as: String.self)] = (try r.decode(column: "id", as: UUID.self), try r.decode(column: "name", as: String.self),
                                                                 DivisionLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .grid,
                                                                 try r.decode(column: "kind", as: String?.self))
        }
        return out
    }

    /// Names of the live divisions directly under `parent` (a street's communities, a community's grids).
    func names(under parent: String, level: DivisionLevel, except: [String], on db: any Database) async throws -> Set<String> {
        let prefix = level == .community ? String(parent.prefix(9)) : String(parent.prefix(12))
        let rows = try await SQLHelpers.sql(db).select().columns("name", "code").from(Division.schema)
            .wherePrefix("code", prefix, sqlite: db.isSQLite).where("level", .equal, SQLBind(level.rawValue))
            .where("retired_on", .is, SQLLiteral.null).all()
        return Set(try rows.filter { !except.contains(try $0.decode(column: "code", as: String.self)) }.map { try $0.decode(column: "name", as: String.self) })
    }

    /// Buildings of a community or grid.
    func buildings(of code: String, on db: any Database) async throws -> [(id: UUID, grid: String)] {
        try await SQLHelpers.sql(db).select().columns("id", "grid_code").from(Building.schema)
            .wherePrefix("grid_code", code, sqlite: db.isSQLite).orderBy("grid_code").orderBy("name").all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "grid_code", as: String.self)) }
    }

    /// The facts the rules need, read in `scope` (a source or target outside it does not exist for the caller).
    func facts(_ input: BoundaryInput, scope: RegistryScope, on db: any Database) async throws -> BoundaryFacts {
        let sources = input.sources.map { $0.trimmingCharacters(in: .whitespaces) }
        let found = try await live(sources + [input.target].compactMap { $0 }, on: db)
        var facts = BoundaryFacts(levels: [:])
        for s in sources where scope.contains(code: s) { if let d = found[s] { facts.levels[s] = d.level } }
        if let t = input.target, scope.contains(code: t) { facts.targetLevel = found[t]?.level }
        if let first = sources.first, let level = facts.levels[first] {
            switch (input.kind, level) {
            case (.merge?, .community):
                let street = input.receivingStreet.flatMap { $0.isEmpty ? nil : $0 } ?? BoundaryRules.street(of: first)
                facts.namesInUse = try await names(under: street, level: .community, except: sources, on: db)
            case (.merge?, .grid):
                facts.namesInUse = try await names(under: first, level: .grid, except: sources, on: db)
            case (.split?, _):
                facts.namesInUse = try await names(under: first, level: .community, except: sources, on: db)
                facts.sourceBuildings = Set(try await buildings(of: first, on: db).map(\.id))
            case (.move?, _):
                facts.sourceBuildings = Set(try await buildings(of: first, on: db).map(\.id))
            default: break
            }
        }
        return facts
    }

    // MARK: Writes

    /// Drafts an order. Refused (422, nothing written) when a rule fails.
    public func create(_ input: BoundaryInput, in scope: RegistryScope, by actor: AuditActor) async throws -> BoundaryOrderRecord {
        var input = input
        input.sources = input.sources.map { $0.trimmingCharacters(in: .whitespaces) }
        input.newNames = input.newNames.map { $0.trimmingCharacters(in: .whitespaces) }
        input.receivingStreet = input.receivingStreet?.trimmedOrNil
        input.target = input.target?.trimmedOrNil
        let errors = BoundaryRules.check(input, facts: try await facts(input, scope: scope, on: db), today: today)
        guard errors.isEmpty, let kind = input.kind, let effective = input.effectiveOn else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        let buildings = Dictionary(uniqueKeysWithValues: input.buildings.map { ($0.key.uuidString, $0.value) })
        func text<T: Encodable>(_ v: T) throws -> String {
            let e = JSONEncoder()
            e.outputFormatting = .sortedKeys
            return String(decoding: try e.encode(v), as: UTF8.self)
        }
        let sourcesText = try text(input.sources), namesText = try text(input.newNames), buildingsText = try text(buildings)
        let given = input
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "boundary_orders")
                .columns("id", "kind", "state", "sources", "new_names", "receiving_street", "target", "buildings", "effective_on", "document_no",
                         "document_title", "created_by", "created_at", "version")
                .values(SQLBind(id), SQLBind(kind.rawValue), SQLBind(BoundaryState.draft.rawValue), SQLBind(sourcesText), SQLBind(namesText),
                        SQLBind(given.receivingStreet), SQLBind(given.target), SQLBind(buildingsText), SQLBind(effective.description),
                        SQLBind(given.documentNo!.trimmingCharacters(in: .whitespaces)), SQLBind(given.documentTitle!.trimmingCharacters(in: .whitespaces)),
                        SQLBind(actor.username), SQLBind(at), SQLBind(1))
                .run()
            try await AuditLog.append([AuditEvent(BoundaryAudit.create, target: .boundaryOrder(id),
                                                  detail: ["kind": kind.rawValue, "sources": given.sources.joined(separator: ","), "effective_on": effective.description])],
                                      by: actor, on: db)
        }
        return try await find(id, in: scope)
    }

    /// Moves a draft to approved (the effective date must not have passed), or any open order to cancelled.
    public func decide(_ id: UUID, approve: Bool, version: Int, in scope: RegistryScope, by actor: AuditActor) async throws -> BoundaryOrderRecord {
        let o = try await find(id, in: scope)
        if approve {
            guard o.state == .draft else { throw RegistryError.conflictingState("只有草拟的调整令可以批准（现为“\(o.state.label)”）") }
            let e = BoundaryRules.checkApproval(effectiveOn: o.effectiveOn, today: today)
            guard e.isEmpty else { throw RegistryError.invalid(e) }
        } else {
            guard o.state == .draft || o.state == .approved else { throw RegistryError.conflictingState("调整令已“\(o.state.label)”，不能撤销") }
        }
        let at = nowSeconds
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update("boundary_orders")
                .set("state", to: SQLBind((approve ? BoundaryState.approved : .cancelled).rawValue)).set("version", to: SQLBind(version + 1))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .where("state", .equal, SQLBind(o.state.rawValue))
            u = approve ? u.set("approved_by", to: SQLBind(actor.username)).set("approved_at", to: SQLBind(at)) : u.set("cancelled_at", to: SQLBind(at))
            guard try await u.returning("id").all().isEmpty == false else { throw RegistryError.staleVersion(current: o.version) }
            try await AuditLog.append([AuditEvent(approve ? BoundaryAudit.approve : .cancel, target: .boundaryOrder(id), detail: ["document_no": o.documentNo])],
                                      by: actor, on: db)
        }
        return try await find(id, in: scope)
    }
}
