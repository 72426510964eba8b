import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Works out the codes an order gives: the new divisions (next free numbers under their parent, retired codes
/// counted, so none is reused), which retired code each record's code becomes, and a split's or move's buildings'
/// new grids. Read inside the applying transaction, so it sees the district as the order finds it.
extension BoundaryQueries {
    struct Grid { let code: String; let name: String; let boundary: String? }

    func grids(of community: String, on db: any Database) async throws -> [Grid] {
        try await SQLHelpers.sql(db).select().columns("code", "name", "boundary").from(Division.schema)
            .wherePrefix("code", community, sqlite: db.isSQLite).where("level", .equal, SQLBind(DivisionLevel.grid.rawValue))
            .where("retired_on", .is, SQLLiteral.null).orderBy("code").all()
            .map { Grid(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                        boundary: try $0.decode(column: "boundary", as: String?.self)) }
    }

    /// Every code ever given under `prefix`, retired ones included.
    func usedCodes(_ prefix: String, on db: any Database) async throws -> Set<String> {
        Set(try await SQLHelpers.sql(db).select().column("code").from(Division.schema).wherePrefix("code", prefix, sqlite: db.isSQLite).all()
            .map { try $0.decode(column: "code", as: String.self) })
    }

    func code(_ text: String) throws -> DivisionCode {
        do { return try DivisionCode(text) } catch { throw RegistryError.conflictingState("区划代码 \(text) 无效") }
    }

    func plan(_ o: BoundaryOrderRecord, on db: any Database) async throws -> BoundaryPlan {
        let found = try await live(o.sources, on: db)
        guard found.count == o.sources.count, let first = o.sources.first, let level = found[first]?.level else {
            throw RegistryError.conflictingState("调整令涉及的区划已不存在或已撤销，请撤销此令后重新拟定")
        }
        var plan = BoundaryPlan()
        func noCode() -> RegistryError { RegistryError.conflictingState("上级区划下已无可用的代码") }
        switch (o.kind, level) {
        case (.merge, .community):
            let street = o.receivingStreet ?? BoundaryRules.street(of: first)
            let kind: CommunityKind = o.sources.allSatisfy { found[$0]?.kind == CommunityKind.village.rawValue } ? .village : .community
            guard let n = BoundaryRules.newCodes(under: try code(street), count: 1, used: try await usedCodes(String(street.prefix(9)), on: db), kind: kind).first
            else { throw noCode() }
            plan.created.append(.init(code: n.value, name: o.newNames.first ?? "", level: .community, kind: kind, parentCode: street, boundary: nil,
                                      predecessors: o.sources))
            var i = 1
            for s in o.sources {
                plan.codes[s] = n.value
                plan.olds.append(s)
                for g in try await grids(of: s, on: db) {
                    guard let ng = n.child(i) else { throw noCode() }
                    i += 1
                    plan.codes[g.code] = ng.value
                    plan.olds.append(g.code)
                    plan.created.append(.init(code: ng.value, name: g.name, level: .grid, kind: nil, parentCode: n.value, boundary: g.boundary,
                                              predecessors: [g.code]))
                }
            }
            plan.touchedCommunities = [n.value]
        case (.merge, _):
            let community = BoundaryRules.community(of: first)
            guard let g = BoundaryRules.newCodes(under: try code(community), count: 1, used: try await usedCodes(community, on: db)).first else { throw noCode() }
            plan.created.append(.init(code: g.value, name: o.newNames.first ?? "", level: .grid, kind: nil, parentCode: community, boundary: nil,
                                      predecessors: o.sources))
            for s in o.sources { plan.codes[s] = g.value }
            plan.olds = o.sources
            plan.touchedCommunities = [community]
        case (.split, _):
            let street = BoundaryRules.street(of: first)
            let kind = CommunityKind(rawValue: found[first]?.kind ?? "") ?? .community
            let news = BoundaryRules.newCodes(under: try code(street), count: o.newNames.count, used: try await usedCodes(String(street.prefix(9)), on: db), kind: kind)
            guard news.count == o.newNames.count else { throw noCode() }
            for (i, n) in news.enumerated() {
                plan.created.append(.init(code: n.value, name: o.newNames[i], level: .community, kind: kind, parentCode: street, boundary: nil, predecessors: [first]))
            }
            let buildings = try await buildings(of: first, on: db)
            var seq = [Int](repeating: 1, count: news.count)
            var gridFor: [String: [Int: String]] = [:]
            plan.olds = [first]
            for g in try await grids(of: first, on: db) {
                plan.olds.append(g.code)
                let taken = Set(buildings.filter { $0.grid == g.code }.compactMap { o.buildings[$0.id] }).sorted()
                let receivers = taken.isEmpty ? [0] : taken
                for i in receivers {
                    guard let ng = news[i].child(seq[i]) else { throw noCode() }
                    seq[i] += 1
                    gridFor[g.code, default: [:]][i] = ng.value
                    plan.created.append(.init(code: ng.value, name: g.name, level: .grid, kind: nil, parentCode: news[i].value,
                                              boundary: receivers.count == 1 ? g.boundary : nil, predecessors: [g.code]))
                }
                plan.codes[g.code] = gridFor[g.code]![receivers[0]]
                if receivers.count > 1 { plan.divided.append(g.code) }
            }
            plan.codes[first] = news[0].value
            plan.divided.append(first)
            for b in buildings {
                guard let i = o.buildings[b.id], let ng = gridFor[b.grid]?[i] else { throw RegistryError.conflictingState("有楼栋未分配，请撤销此令后重新拟定") }
                plan.buildingGrids[b.id] = ng
            }
            plan.touchedCommunities = news.map(\.value)
        case (.move, _):
            guard let target = o.target, try await live([target], on: db)[target]?.level == .grid else {
                throw RegistryError.conflictingState("迁入的网格已不存在")
            }
            let present = Set(try await buildings(of: first, on: db).map(\.id))
            for b in o.buildings.keys where present.contains(b) { plan.buildingGrids[b] = target }
            if level == .grid {
                plan.olds = [first, BoundaryRules.community(of: first)]
            } else {
                let codes = try await grids(of: first, on: db).map(\.code)
                plan.olds = [first] + codes
            }
            plan.touchedCommunities = [BoundaryRules.community(of: target)]
        }
        return plan
    }
}
