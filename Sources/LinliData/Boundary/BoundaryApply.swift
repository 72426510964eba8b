import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Applies an approved, due order in ONE write transaction: the new divisions, the retired ones (kept as rows with
/// their successor), buildings, households, residents and every declared division column (`DivisionColumn`), the
/// request and party tallies, the division history of each moved record, the flags of accounts left without a single
/// successor, and the audit entry. Any failure (a killed process included) leaves the district as it was.
extension BoundaryQueries {
    /// Called after each step with the step's name (the table changed); a test throws from it to abort mid-way.
    public typealias Fault = @Sendable (String) throws -> Void

    public func apply(_ id: UUID, version: Int?, columns: [DivisionColumn], in scope: RegistryScope, by actor: AuditActor,
                      fault: Fault? = nil) async throws -> BoundaryOrderRecord {
        let o = try await find(id, in: scope)
        if let e = BoundaryRules.checkApply(state: o.state, effectiveOn: o.effectiveOn, today: today) {
            if e.field == "state" { throw RegistryError.conflictingState(e.message) }
            throw RegistryError.invalid([e])
        }
        let at = nowSeconds, day = o.effectiveOn.description
        let ordered = Self.order(columns)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Claim the order first: a second apply (here or on another connection) finds it applied and changes nothing.
            var claim = sql.update("boundary_orders").set("state", to: SQLBind(BoundaryState.applied.rawValue)).set("applied_at", to: SQLBind(at))
                .set("version", to: SQLRaw("version + 1"))
                .where("id", .equal, SQLBind(id)).where("state", .equal, SQLBind(BoundaryState.approved.rawValue))
            if let version { claim = claim.where("version", .equal, SQLBind(version)) }
            guard try await claim.returning("id").all().isEmpty == false else { throw RegistryError.staleVersion(current: o.version) }

            let plan = try await plan(o, on: db)
            let mover = BoundaryMover(db: db, sql: sql, plan: plan, orderId: id, day: day, fault: fault)
            let gridIds = try await mover.divisions(at: now())
            try await mover.flagAccounts(at: at)
            let requests = try await mover.openRequests()
            let before = try await mover.requestContributions(requests)
            try await mover.buildings(gridIds)
            for c in ordered { try await mover.move(c) }
            for c in ordered { try await mover.street(c) }
            try await mover.retally(before: before, requests: requests)
            // 社区党建's tally follows the residents and organizations just moved: recounted from the roll (a few
            // thousand members), which is simpler than following each member through the plan.
            try await PartyTally.rebuild(on: db)
            try fault?("party_tallies")

            let e = JSONEncoder()
            e.outputFormatting = .sortedKeys
            try await sql.update("boundary_orders").set("plan", to: SQLBind(String(decoding: try e.encode(plan), as: UTF8.self)))
                .where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(BoundaryAudit.apply, target: .boundaryOrder(id),
                                                  detail: ["document_no": o.documentNo, "retired": plan.codes.keys.sorted().joined(separator: ","),
                                                           "created": plan.created.map(\.code).joined(separator: ",")])],
                                      by: actor, on: db)
            try fault?("audit")
        }
        return try await find(id, in: scope)
    }

    /// The registry's tables first (a household takes its building's grid, a resident their household's), then the rest.
    static func order(_ columns: [DivisionColumn]) -> [DivisionColumn] {
        let first = ["buildings": 0, "households": 1, "residents": 2]
        return columns.enumerated().sorted { a, b in
            let x = first[a.element.table] ?? 3, y = first[b.element.table] ?? 3
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}

/// One application's writes, on the transaction's connection.
struct BoundaryMover: Sendable {
    let db: any Database
    let sql: any SQLDatabase
    let plan: BoundaryPlan
    let orderId: UUID
    let day: String
    let fault: BoundaryQueries.Fault?

    var sqlite: Bool { db.isSQLite }
    /// A bound text value usable anywhere in an expression (PostgreSQL cannot type a bare parameter in a SELECT list).
    func text(_ s: String) -> SQLQueryString { "CAST(\(bind: s) AS TEXT)" }
    func uuid(_ u: UUID) -> SQLQueryString { sqlite ? "\(bind: u)" : "CAST(\(bind: u) AS UUID)" }
    func list(_ values: [String]) -> SQLQueryString { "(\(SQLList(values.map { SQLBind($0) })))" }
    func list(_ values: [UUID]) -> SQLQueryString { "(\(SQLList(values.map { SQLBind($0) })))" }

    /// `CASE column WHEN old THEN new … ELSE column END` over the plan's retired codes.
    func mapped(_ column: String) -> SQLQueryString {
        var q: SQLQueryString = "CASE \(ident: column)"
        for (old, new) in plan.codes.sorted(by: { $0.key < $1.key }) { q = "\(q) WHEN \(bind: old) THEN \(text(new))" }
        return "\(q) ELSE \(ident: column) END"
    }

    var movedBuildings: [UUID] { plan.buildingGrids.keys.sorted { $0.uuidString < $1.uuidString } }

    // MARK: Divisions

    /// Adds the new divisions and retires the old; answers the ids of the grids buildings may now point at.
    func divisions(at now: Date) async throws -> [String: UUID] {
        var ids: [String: UUID] = [:]
        let known = Set(plan.created.map(\.parentCode)).union(plan.buildingGrids.values)
        guard !known.isEmpty || !plan.codes.isEmpty else { return ids }
        for r in try await sql.select().columns("id", "code").from(Division.schema).where("code", .in, SQLBind.group(Array(known).sorted())).all() {
            ids[try r.decode(column: "code", as: String.self)] = try r.decode(column: "id", as: UUID.self)
        }
        var predecessorIds: [String: UUID] = [:]
        let preds = plan.created.flatMap(\.predecessors)
        if !preds.isEmpty {
            for r in try await sql.select().columns("id", "code").from(Division.schema).where("code", .in, SQLBind.group(preds)).all() {
                predecessorIds[try r.decode(column: "code", as: String.self)] = try r.decode(column: "id", as: UUID.self)
            }
        }
        for d in plan.created {
            let id = UUID()
            ids[d.code] = id
            try await sql.insert(into: Division.schema)
                .columns("id", "code", "name", "level", "kind", "parent_id", "boundary", "version", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(d.code), SQLBind(d.name), SQLBind(d.level.rawValue), SQLBind(d.kind?.rawValue), SQLBind(ids[d.parentCode]),
                        SQLBind(d.boundary), SQLBind(1), SQLBind(now), SQLBind(now))
                .run()
            // A new division lies in the functional parks its predecessors lay in.
            let from = d.predecessors.compactMap { predecessorIds[$0] }
            if !from.isEmpty {
                let parks = Set(try await sql.select().column("park_id").from(DivisionPark.schema).where("division_id", .in, SQLBind.group(from)).all()
                    .map { try $0.decode(column: "park_id", as: UUID.self) })
                for p in parks.sorted(by: { $0.uuidString < $1.uuidString }) {
                    try await sql.insert(into: DivisionPark.schema).columns("id", "division_id", "park_id").values(SQLBind(UUID()), SQLBind(id), SQLBind(p)).run()
                }
            }
        }
        if !plan.codes.isEmpty {
            try await sql.raw("""
                UPDATE \(ident: Division.schema) SET retired_on = \(bind: day), retired_by = \(bind: orderId), successor_code = \(mapped("code")),
                    version = version + 1
                WHERE code IN \(list(Array(plan.codes.keys.sorted()))) AND retired_on IS NULL
                """).run()
        }
        try fault?("divisions")
        return ids
    }

    // MARK: Accounts

    /// Accounts of a division retired with more than one successor go to its first and are flagged for review.
    func flagAccounts(at: Int64) async throws {
        guard !plan.divided.isEmpty else { return }
        let rows = try await sql.select().columns("id", "username", "division_code").from("accounts").where("division_code", .in, SQLBind.group(plan.divided)).all()
        for r in rows {
            let old = try r.decode(column: "division_code", as: String.self)
            try await sql.insert(into: "boundary_account_flags")
                .columns("id", "account_id", "username", "old_code", "new_code", "order_id", "created_at")
                .values(SQLBind(UUID()), SQLBind(try r.decode(column: "id", as: UUID.self)), SQLBind(try r.decode(column: "username", as: String.self)),
                        SQLBind(old), SQLBind(plan.codes[old] ?? old), SQLBind(orderId), SQLBind(at))
                .run()
        }
        try fault?("accounts")
    }

    // MARK: Records

    /// Buildings: a merge's by their grid, a split's or move's one by one (each to its assigned grid).
    func buildings(_ gridIds: [String: UUID]) async throws {
        if plan.buildingGrids.isEmpty {
            let grids = plan.codes.filter { $0.key.count == 15 }
            guard !grids.isEmpty else { return }
            var ids: SQLQueryString = "CASE grid_code"
            for (old, new) in grids.sorted(by: { $0.key < $1.key }) { ids = "\(ids) WHEN \(bind: old) THEN \(uuid(try gridId(new, gridIds)))" }
            let expr = mapped("grid_code"), cond: SQLQueryString = "grid_code IN \(list(grids.keys.sorted()))"
            try await history("building", table: Building.schema, column: "grid_code", expr: expr, where: cond)
            try await sql.raw("UPDATE \(ident: Building.schema) SET grid_code = \(expr), grid_id = \(ids) ELSE grid_id END WHERE \(cond)").run()
        } else {
            for chunk in stride(from: 0, to: movedBuildings.count, by: 400).map({ Array(movedBuildings[$0..<min($0 + 400, movedBuildings.count)]) }) {
                var codes: SQLQueryString = "CASE id", ids: SQLQueryString = "CASE id"
                for b in chunk {
                    let g = plan.buildingGrids[b]!
                    codes = "\(codes) WHEN \(bind: b) THEN \(text(g))"
                    ids = "\(ids) WHEN \(bind: b) THEN \(uuid(try gridId(g, gridIds)))"
                }
                let expr: SQLQueryString = "\(codes) ELSE grid_code END", cond: SQLQueryString = "id IN \(list(chunk))"
                try await history("building", table: Building.schema, column: "grid_code", expr: expr, where: cond)
                try await sql.raw("UPDATE \(ident: Building.schema) SET grid_code = \(expr), grid_id = \(ids) ELSE grid_id END WHERE \(cond)").run()
            }
        }
        try fault?("buildings")
    }

    func gridId(_ code: String, _ gridIds: [String: UUID]) throws -> UUID {
        if let id = gridIds[code] { return id }
        throw RegistryError.conflictingState("网格 \(code) 不存在")
    }

    /// One declared column: rows linked to a moved building, household or resident take its new code (cut to the
    /// column's length: a community column takes the community of the new grid); the rest map retired codes to their
    /// successors. Registry tables are read in order, so each link reads a row already moved.
    func move(_ c: DivisionColumn) async throws {
        guard case .follows = c.use, c.table != Building.schema else { return }
        let only: SQLQueryString = c.only.map { (o: String) -> SQLQueryString in " AND (\(unsafeRaw: o))" } ?? ""
        if let link = c.link, !plan.buildingGrids.isEmpty {
            let (source, key): (String, String) = switch link {
            case .building(let k): (Building.schema, k)
            case .household(let k): (Household.schema, k)
            case .resident(let k): (Resident.schema, k)
            case .dwelling(let k): ("dwellings", k)
            case .rental(let k): ("rentals", k)
            }
            let moved: SQLQueryString = switch link {
            case .building: list(movedBuildings)
            case .household: "(SELECT id FROM \(ident: Household.schema) WHERE building_id IN \(list(movedBuildings)))"
            case .resident: "(SELECT r.id FROM \(ident: Resident.schema) r JOIN \(ident: Household.schema) h ON h.id = r.household_id WHERE h.building_id IN \(list(movedBuildings)))"
            case .dwelling: "(SELECT id FROM dwellings WHERE building_id IN \(list(movedBuildings)))"
            case .rental: "(SELECT l.id FROM rentals l JOIN dwellings d ON d.id = l.dwelling_id WHERE d.building_id IN \(list(movedBuildings)))"
            }
            let expr: SQLQueryString = "SUBSTR((SELECT x.grid_code FROM \(ident: source) x WHERE x.id = \(ident: c.table).\(ident: key)), 1, LENGTH(\(ident: c.column)))"
            // Every row of a moved building, household or person follows it, whatever code it held before (a household
            // may be filed under a neighbouring grid of its building's community).
            let cond: SQLQueryString = "\(ident: key) IN \(moved)\(only)"
            if let kind = c.history { try await history(kind, table: c.table, column: c.column, expr: expr, where: cond) }
            try await sql.raw("UPDATE \(ident: c.table) SET \(ident: c.column) = \(expr) WHERE \(cond)").run()
        }
        if let key = c.unique {
            // One old code at a time, so a key the successor already holds (from an earlier source) is seen and kept there.
            for (old, new) in plan.codes.sorted(by: { $0.key < $1.key }) {
                var taken: SQLQueryString = "SELECT 1 FROM \(ident: c.table) t2 WHERE t2.\(ident: c.column) = \(text(new))"
                for k in key { taken = "\(taken) AND t2.\(ident: k) = \(ident: c.table).\(ident: k)" }
                let cond: SQLQueryString = "\(ident: c.column) = \(bind: old)\(only) AND NOT EXISTS (\(taken))"
                if let kind = c.history { try await history(kind, table: c.table, column: c.column, expr: text(new), where: cond) }
                try await sql.raw("UPDATE \(ident: c.table) SET \(ident: c.column) = \(text(new)) WHERE \(cond)").run()
            }
        } else if !plan.codes.isEmpty {
            let expr = mapped(c.column), cond: SQLQueryString = "\(ident: c.column) IN \(list(plan.codes.keys.sorted()))\(only)"
            if let kind = c.history { try await history(kind, table: c.table, column: c.column, expr: expr, where: cond) }
            try await sql.raw("UPDATE \(ident: c.table) SET \(ident: c.column) = \(expr) WHERE \(cond)").run()
        }
        try fault?(c.table)
    }

    /// A street column beside a moved community or grid column: the street of its new code.
    func street(_ c: DivisionColumn) async throws {
        guard case .street(let of) = c.use, !plan.touchedCommunities.isEmpty else { return }
        let street: SQLQueryString = "SUBSTR(\(ident: of), 1, 9) || '000'"
        try await sql.raw("""
            UPDATE \(ident: c.table) SET \(ident: c.column) = \(street)
            WHERE SUBSTR(\(ident: of), 1, 12) IN \(list(plan.touchedCommunities)) AND \(ident: c.column) <> \(street)
            """).run()
        try fault?(c.table + "." + c.column)
    }

    /// The division history (区划沿革): one row per record whose code `expr` changes.
    func history(_ kind: String, table: String, column: String, expr: SQLQueryString, where cond: SQLQueryString) async throws {
        try await sql.raw("""
            INSERT INTO division_history (record_kind, record_id, old_code, new_code, order_id, effective_on)
            SELECT \(literal: kind), id, \(ident: column), \(expr), \(uuid(orderId)), \(text(day)) FROM \(ident: table)
            WHERE \(cond) AND \(ident: column) <> \(expr)
            """).run()
    }

    // MARK: Request tallies

    func openRequests() async throws -> [UUID] {
        guard !plan.olds.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT id FROM requests WHERE (area_code IN \(list(plan.olds)) OR community_code IN \(list(plan.olds)))
            AND \(unsafeRaw: BoundaryMover.openRequest)
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    static let openRequest = "status NOT IN ('refused', 'closed')"

    struct Contribution: Hashable, Sendable { var key: [String]; var values: [Int64] }
    static let tallyValues = ["n", "escalated", "handled", "on_time", "handling_seconds", "rated", "rating_sum"]

    /// What the requests add to `request_tallies`, grouped as the tallies are.
    func requestContributions(_ ids: [UUID]) async throws -> [Contribution] {
        guard !ids.isEmpty else { return [] }
        var out: [Contribution] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try await sql.raw("""
                SELECT COALESCE(community_code, '') AS c, category_code AS k, status AS s, level AS l,
                  CAST(COUNT(*) AS BIGINT) AS n,
                  CAST(SUM(CASE WHEN escalations > 0 THEN 1 ELSE 0 END) AS BIGINT) AS escalated,
                  CAST(SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS handled,
                  CAST(SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= due_at THEN 1 ELSE 0 END) AS BIGINT) AS on_time,
                  CAST(SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at > reported_at THEN resolved_at - reported_at ELSE 0 END) AS BIGINT) AS handling_seconds,
                  CAST(SUM(CASE WHEN rating IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS rated,
                  CAST(SUM(COALESCE(rating, 0)) AS BIGINT) AS rating_sum
                FROM requests WHERE id IN \(list(chunk))
                GROUP BY COALESCE(community_code, ''), category_code, status, level
                """).all()
            for r in rows {
                out.append(Contribution(key: try ["c", "k", "s", "l"].map { try r.decode(column: $0, as: String.self) },
                                        values: try Self.tallyValues.map { try r.decode(column: $0, as: Int64.self) }))
            }
        }
        return out
    }

    /// Moves the requests' part of the tallies from their old communities to their new ones (as each request write does).
    func retally(before: [Contribution], requests: [UUID]) async throws {
        let after = try await requestContributions(requests)
        guard before != after else { return }
        for (sign, set) in [(Int64(-1), before), (1, after)] {
            for c in set {
                let t = "request_tallies"
                let v = c.values.map { $0 * sign }
                try await sql.raw("""
                    INSERT INTO \(ident: t) (community_code, category_code, status, level, n, escalated, handled, on_time, handling_seconds, rated, rating_sum)
                    VALUES (\(bind: c.key[0]), \(bind: c.key[1]), \(bind: c.key[2]), \(bind: c.key[3]), \(bind: v[0]), \(bind: v[1]), \(bind: v[2]),
                            \(bind: v[3]), \(bind: v[4]), \(bind: v[5]), \(bind: v[6]))
                    ON CONFLICT (community_code, category_code, status, level) DO UPDATE SET
                        n = \(ident: t).n + excluded.n, escalated = \(ident: t).escalated + excluded.escalated,
                        handled = \(ident: t).handled + excluded.handled, on_time = \(ident: t).on_time + excluded.on_time,
                        handling_seconds = \(ident: t).handling_seconds + excluded.handling_seconds,
                        rated = \(ident: t).rated + excluded.rated, rating_sum = \(ident: t).rating_sum + excluded.rating_sum
                    """).run()
            }
        }
        try fault?("request_tallies")
    }
}
