import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The facility register of the demo district: every kind placed community by community where it covers most
/// (the gap analysis's greedy choice among the buildings' points) until the community is nearly covered — except
/// that in 寺巷街道 and 凤凰街道 every other community has no 菜市场 and no 卫生服务站 of its own, the gaps the
/// coverage pages show. Care's facilities get the point of a building of their community. The coverage snapshot
/// is computed at the end. Deterministic.
public struct FacilitiesDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let placed = try await DemoFacilities.load(on: demo.db, seed: demo.seed, now: demo.now)
        let s = try await FacilitiesCoverage(demo.db).refresh()
        return String(format: "设施与服务圈：设施 %d 处，覆盖计算 %d 幢楼，用时 %.1f 秒。", placed, s.buildings, Date().timeIntervalSince(started))
    }
}

public enum DemoFacilities {
    /// Streets (by their place in the district) with gaps: every other community lacks these kinds.
    static let gapStreets = [2, 4]
    static let gapKinds: Set<FacilityKind> = [.market, .healthStation]

    static func hours(_ kind: FacilityKind) -> String {
        switch kind {
        case .publicToilet, .policeRoom: return "24小时"
        case .market: return "每天 06:00-18:30"
        case .convenience: return "每天 07:00-21:00"
        case .healthStation, .healthCentre: return "周一至周五 08:00-17:30；周六至周日 08:00-12:00"
        case .kindergarten, .primarySchool: return "周一至周五 07:30-17:30"
        case .sportsGround: return "每天 06:00-21:30"
        case .careHome: return "24小时"
        case .dayCare, .elderlyStation: return "周一至周六 08:00-17:00"
        default: return "周一至周五 08:30-11:30,14:00-17:30；周六 09:00-12:00"
        }
    }

    static func runner(_ kind: FacilityKind, community: String) -> String {
        switch kind {
        case .market: return "区菜篮子市场管理有限公司"
        case .healthStation, .healthCentre: return "区人民医院"
        case .kindergarten, .primarySchool: return "区教育局"
        case .policeRoom: return "区公安分局"
        case .postStation: return "区邮政分公司"
        case .publicToilet: return "区城市管理局"
        case .convenience: return "便民服务合作社"
        default: return community + "居民委员会"
        }
    }

    public static func load(on db: any Database, seed: UInt64, now: Int64) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0xFAC1_1171)
        let communities = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.community.rawValue)).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
        let settings = try await FacilitiesQueries.settings(on: db)
        var rows = BulkInsert("facilities", FacilitiesQueries.columns + ["updated_at"])
        var placed = 0
        var streetIndex: [String: Int] = [:]
        var memberIndex: [String: Int] = [:]
        for c in communities {
            let street = String(c.code.prefix(9))
            if streetIndex[street] == nil { streetIndex[street] = streetIndex.count + 1 }
            let member = memberIndex[street, default: 0]
            memberIndex[street] = member + 1
            let gap = gapStreets.contains(streetIndex[street]!) && member % 2 == 1
            let rowsOfBuildings = try await sql.select().columns("name", "address", "latitude", "longitude").from("buildings")
                .wherePrefix("grid_code", c.code, sqlite: db.isSQLite).orderBy("grid_code").orderBy("name").all()
            let buildings = try rowsOfBuildings.map {
                CoverageBuilding(point: GeoPoint(latitude: try $0.decode(column: "latitude", as: Double.self), longitude: try $0.decode(column: "longitude", as: Double.self)),
                                 residents: 1)
            }
            let addresses = try rowsOfBuildings.map { try $0.decode(column: "address", as: String.self) }
            guard !buildings.isEmpty else { continue }
            for kind in FacilityKind.allCases where kind != .donationPoint {
                if gap && gapKinds.contains(kind) { continue }
                let (count, target): (Int, Double) = switch kind.circle {
                case .five: (6, 90)
                case .ten: (3, 90)
                case .fifteen: (1, 100)
                }
                let sites = GapAnalysis.greedy(buildings: buildings, covered: Array(repeating: false, count: buildings.count), reach: settings.reach(kind),
                                               count: count, target: target)
                for (n, site) in sites.enumerated() {
                    let p = buildings[site.building].point
                    // A little off the building's point: beside it, not in it.
                    let lat = p.latitude + Double(rng.int(-20...20)) / 1_000_000, lon = p.longitude + Double(rng.int(-20...20)) / 1_000_000
                    let stem = c.name.replacingOccurrences(of: "社区", with: "").replacingOccurrences(of: "村", with: "")
                    rows.add([rng.uuid(), kind.rawValue, stem + kind.label + (sites.count > 1 ? "\(n + 1)" : ""), c.code, addresses[site.building],
                              lat, lon, hours(kind), runner(kind, community: c.name), "register", 1, now])
                    placed += 1
                    if rows.isFull { try await rows.flush(on: db) }
                }
            }
        }
        try await rows.flush(on: db)
        return placed + (try await FacilitiesCareLink.copyMissing(on: db, now: now, placeAt: .randomBuilding(seed)))
    }
}

/// The care capability's facilities as rows of the register.
public enum FacilitiesCareLink {
    public enum Placement: Sendable { case firstBuilding, randomBuilding(UInt64) }

    /// Copies the care facilities the register does not have yet (same id), each at a building's point of its community.
    public static func copyMissing(on db: any Database, now: Int64, placeAt placement: Placement = .firstBuilding) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        let known = Set(try await sql.select().column("id").from("facilities").where("source", .equal, SQLBind("care")).all()
            .map { try $0.decode(column: "id", as: UUID.self) })
        var rng = SeededRandom(seed: { if case .randomBuilding(let s) = placement { return s ^ 0xCA4E } else { return 1 } }())
        var copied = 0
        for row in try await sql.select().columns("id", "name", "kind", "community_code", "address").from("care_facilities").orderBy("community_code").orderBy("id").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            guard !known.contains(id) else { continue }
            let community = try row.decode(column: "community_code", as: String.self)
            let points = try await sql.select().columns("latitude", "longitude").from("buildings").wherePrefix("grid_code", community, sqlite: db.isSQLite)
                .orderBy("grid_code").orderBy("name").limit(200).all()
            var point: (Double, Double)?
            if !points.isEmpty {
                let pick: Int
                if case .randomBuilding = placement { pick = rng.int(0...(points.count - 1)) } else { pick = 0 }
                point = (try points[pick].decode(column: "latitude", as: Double.self), try points[pick].decode(column: "longitude", as: Double.self))
            }
            try await sql.insert(into: "facilities").columns(FacilitiesQueries.columns + ["updated_at"])
                .values(SQLBind(id), SQLBind(FacilityKind.ofCare(try row.decode(column: "kind", as: String.self)).rawValue),
                        SQLBind(try row.decode(column: "name", as: String.self)), SQLBind(community),
                        SQLBind(try row.decode(column: "address", as: String?.self) ?? ""), SQLBind(point?.0), SQLBind(point?.1),
                        SQLBind("周一至周六 08:00-17:00"), SQLBind(String?.none), SQLBind("care"), SQLBind(1), SQLBind(now)).run()
            copied += 1
        }
        return copied
    }
}

extension FacilitiesCareLink {
    /// Care's save writes the register's row in its own transaction: a new one with `point`, or the name, kind,
    /// community and address of the one it has (its point, hours and runner are the register's).
    static func write(_ r: CareFacilityRecord, isNew: Bool, point: (Double, Double)?, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db)
        let kind = FacilityKind.ofCare(r.kind.rawValue).rawValue, now = Int64(Date().timeIntervalSince1970)
        let exists = try await sql.select().column("id").from("facilities").where("id", .equal, SQLBind(r.id)).first() != nil
        if isNew || !exists {
            try await sql.insert(into: "facilities").columns(FacilitiesQueries.columns + ["updated_at"])
                .values(SQLBind(r.id), SQLBind(kind), SQLBind(r.name), SQLBind(r.communityCode), SQLBind(r.address ?? ""), SQLBind(point?.0), SQLBind(point?.1),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind("care"), SQLBind(1), SQLBind(now)).run()
        } else {
            try await sql.update("facilities").set("kind", to: SQLBind(kind)).set("name", to: SQLBind(r.name)).set("community_code", to: SQLBind(r.communityCode))
                .set("address", to: SQLBind(r.address ?? "")).set("version", to: SQLRaw("version + 1")).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(r.id)).run()
        }
    }
}
