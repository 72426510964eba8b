import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The preview: before and after figures of every division an order touches — residents on the roll, households,
/// people aged 60+, open requests, the care roll, buildings and grids. Counted per building over the touched area only
/// (a few grouped queries on indexed code ranges), then added up by where each building is now and where the order puts it.
extension BoundaryQueries {
    func prefixed(_ column: String, _ prefix: String) -> SQLQueryString {
        db.isSQLite ? "\(unsafeRaw: column) >= \(bind: prefix) AND \(unsafeRaw: column) < \(bind: prefix + "\u{10FFFF}")"
            : "\(unsafeRaw: column) LIKE \(bind: SQLHelpers.likePrefix(prefix))"
    }

    public func preview(_ id: UUID, in scope: RegistryScope) async throws -> BoundaryPreview {
        let o = try await find(id, in: scope)
        guard o.state == .draft || o.state == .approved else { throw RegistryError.conflictingState("调整令已“\(o.state.label)”，无需预览") }
        let plan = try await plan(o, on: db)
        let areas = o.sources + [o.target].compactMap { $0 }
        let names = try await live(areas, on: db)
        let cutoff = today.yearsEarlier(60).description

        struct Counts { var residents = 0, elders = 0, households = 0, care = 0, buildings = 0 }
        var perBuilding: [UUID: Counts] = [:], gridOf: [UUID: String] = [:]
        var requests: [(area: String, building: UUID?, n: Int)] = []
        for a in areas {
            for r in try await sql.raw("SELECT id, grid_code FROM buildings WHERE \(prefixed("grid_code", a))").all() {
                let b = try r.decode(column: "id", as: UUID.self)
                gridOf[b] = try r.decode(column: "grid_code", as: String.self)
                perBuilding[b, default: Counts()].buildings = 1
            }
            for r in try await sql.raw("SELECT building_id AS b, COUNT(*) AS n FROM households WHERE \(prefixed("grid_code", a)) GROUP BY building_id").all() {
                perBuilding[try r.decode(column: "b", as: UUID.self), default: Counts()].households = try r.decode(column: "n", as: Int.self)
            }
            for r in try await sql.raw("""
                SELECT h.building_id AS b, COUNT(*) AS n, CAST(SUM(CASE WHEN r.birth_date <= \(bind: cutoff) THEN 1 ELSE 0 END) AS BIGINT) AS e
                FROM residents r JOIN households h ON h.id = r.household_id
                WHERE r.life_status = 'active' AND \(prefixed("r.grid_code", a)) GROUP BY h.building_id
                """).all() {
                let b = try r.decode(column: "b", as: UUID.self)
                perBuilding[b, default: Counts()].residents = try r.decode(column: "n", as: Int.self)
                perBuilding[b, default: Counts()].elders = Int(try r.decode(column: "e", as: Int64.self))
            }
            for r in try await sql.raw("""
                SELECT h.building_id AS b, COUNT(*) AS n FROM care_status c JOIN residents r ON r.id = c.resident_id
                JOIN households h ON h.id = r.household_id
                WHERE r.life_status = 'active' AND \(prefixed("c.grid_code", a)) GROUP BY h.building_id
                """).all() {
                perBuilding[try r.decode(column: "b", as: UUID.self), default: Counts()].care = try r.decode(column: "n", as: Int.self)
            }
            for r in try await sql.raw("""
                SELECT area_code AS a, building_id AS b, COUNT(*) AS n FROM requests
                WHERE \(prefixed("area_code", a)) AND \(unsafeRaw: BoundaryMover.openRequest) GROUP BY area_code, building_id
                """).all() {
                requests.append((try r.decode(column: "a", as: String.self), try r.decode(column: "b", as: UUID?.self), try r.decode(column: "n", as: Int.self)))
            }
        }

        func before(_ code: String) -> String? { areas.first { code.hasPrefix($0) } }
        func after(_ building: UUID?, _ code: String) -> String? {
            switch o.kind {
            case .merge: return plan.created.first?.code
            case .split:
                if let building, let g = plan.buildingGrids[building] { return BoundaryRules.community(of: g) }
                return (plan.codes[code] ?? plan.codes[BoundaryRules.community(of: code)]).map(BoundaryRules.community(of:))
            case .move:
                if let building, plan.buildingGrids[building] != nil { return o.target }
                return before(code)
            }
        }

        var beforeFigures: [String: BoundaryFigures] = [:], afterFigures: [String: BoundaryFigures] = [:]
        for a in areas { beforeFigures[a] = BoundaryFigures(code: a, name: names[a]?.name ?? a) }
        let afterCodes: [(String, String)] = o.kind == .move ? areas.map { ($0, names[$0]?.name ?? $0) }
            : plan.created.filter { $0.predecessors.contains { o.sources.contains($0) } }.map { ($0.code, $0.name) }
        for (c, n) in afterCodes { afterFigures[c] = BoundaryFigures(code: c, name: n) }
        for (b, counts) in perBuilding {
            guard let g = gridOf[b] else { continue }
            var f = BoundaryFigures(code: "", name: "")
            f.residents = counts.residents; f.elders = counts.elders; f.households = counts.households; f.careRoll = counts.care; f.buildings = counts.buildings
            if let x = before(g) { beforeFigures[x]?.add(f) }
            if let y = after(b, g) { afterFigures[y]?.add(f) }
        }
        for r in requests {
            var f = BoundaryFigures(code: "", name: "")
            f.openRequests = r.n
            if let x = before(r.area) { beforeFigures[x]?.add(f) }
            if let y = after(r.building, r.area) { afterFigures[y]?.add(f) }
        }
        for a in areas where names[a]?.level == .community { beforeFigures[a]?.grids = try await grids(of: a, on: db).count }
        for d in plan.created where d.level == .grid { afterFigures[d.parentCode]?.grids += 1 }
        return BoundaryPreview(before: areas.compactMap { beforeFigures[$0] }, after: afterCodes.compactMap { afterFigures[$0.0] }, plan: plan)
    }
}
