import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The coverage snapshot: computed in memory for every building of the district and every kind (a bucket index of
/// each kind's facilities), written per community × kind and per community × circle, with the buildings out of
/// reach. Pages read the snapshot; a write to the register or the settings, the demo and `linli facilities
/// coverage` refresh it. The open donation points with a point count as 捐赠物资接收点 (that register stays the
/// donation capability's).
public struct FacilitiesCoverage: Sendable {
    let db: any Database
    let now: @Sendable () -> Date

    public init(_ db: any Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }

    public struct Summary: Sendable {
        public var buildings = 0, facilities = 0, communities = 0
        public var seconds = 0.0
    }

    struct District {
        var ids: [UUID] = []
        var communities: [String] = []
        var buildings: [CoverageBuilding] = []
    }

    /// Buildings with their points, communities and living residents (one grouped read of the residents).
    func district() async throws -> District {
        var residents: [UUID: Int] = [:]
        for row in try await sql.select().column(SQLColumn("building_id", table: "h")).column(SQLRaw("CAST(COUNT(*) AS BIGINT)"), as: "n")
            .from(SQLAlias(SQLIdentifier("residents"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("households"), as: SQLIdentifier("h")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "h"), .equal, SQLColumn("household_id", table: "r"))
            .where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .groupBy(SQLColumn("building_id", table: "h")).all() {
            residents[try row.decode(column: "building_id", as: UUID.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        var d = District()
        for row in try await sql.select().columns("id", "grid_code", "latitude", "longitude").from("buildings").orderBy("grid_code").orderBy("id").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            d.ids.append(id)
            d.communities.append(String(try row.decode(column: "grid_code", as: String.self).prefix(12)))
            d.buildings.append(CoverageBuilding(point: GeoPoint(latitude: try row.decode(column: "latitude", as: Double.self),
                                                                longitude: try row.decode(column: "longitude", as: Double.self)),
                                                residents: residents[id] ?? 0))
        }
        return d
    }

    /// Every facility with a point, by kind (the register's and the open donation points).
    func facilityPoints() async throws -> [FacilityKind: [GeoPoint]] {
        var points: [FacilityKind: [GeoPoint]] = [:]
        for row in try await sql.select().columns("kind", "latitude", "longitude").from("facilities")
            .where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null).all() {
            guard let kind = FacilityKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
            points[kind, default: []].append(GeoPoint(latitude: try row.decode(column: "latitude", as: Double.self),
                                                      longitude: try row.decode(column: "longitude", as: Double.self)))
        }
        for row in try await sql.select().columns("latitude", "longitude").from("donation_points").where("open", .equal, SQLBind(true))
            .where("latitude", .isNot, SQLLiteral.null).where("longitude", .isNot, SQLLiteral.null).all() {
            points[.donationPoint, default: []].append(GeoPoint(latitude: try row.decode(column: "latitude", as: Double.self),
                                                                longitude: try row.decode(column: "longitude", as: Double.self)))
        }
        return points
    }

    /// Recomputes the whole snapshot in one transaction.
    @discardableResult
    /// `audit`: who asked for it, when the refresh itself is the action (the entry goes in the same transaction).
    public func refresh(audit: AuditActor? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        let started = Date()
        let settings = try await FacilitiesQueries.settings(on: db)
        let d = try await district()
        let points = try await facilityPoints()
        progress?(1, 3)
        let c = CoverageComputation.compute(buildings: d.buildings, facilities: points, settings: settings)
        progress?(2, 3)
        let at = Int64(now().timeIntervalSince1970)
        var shares: [String: [String: CoverageShare]] = [:]
        var uncovered = BulkInsert("facility_uncovered", ["community_code", "kind", "building_id", "residents", "nearest_m"])
        var batches: [BulkInsert.Batch] = []
        for b in d.buildings.indices {
            let community = d.communities[b], residents = d.buildings[b].residents
            for (k, kind) in c.kinds.enumerated() {
                let covered = c.covered[k][b]
                shares[community, default: [:]][kind.rawValue, default: CoverageShare()].add(residents: residents, covered: covered)
                if !covered {
                    uncovered.add([community, kind.rawValue, d.ids[b], residents, c.nearest[k][b].map { Int($0.rounded()) } as Int?])
                    if uncovered.isFull, let x = uncovered.take() { batches.append(x) }
                }
            }
            for circle in ServiceCircle.allCases {
                shares[community, default: [:]][CoverageRow.circleKey(circle), default: CoverageShare()]
                    .add(residents: residents, covered: c.coversCircle(circle, building: b))
            }
        }
        if let x = uncovered.take() { batches.append(x) }
        var rows = BulkInsert("facility_coverage", ["community_code", "kind", "buildings", "buildings_covered", "residents", "residents_covered", "computed_at"])
        for (community, kinds) in shares.sorted(by: { $0.key < $1.key }) {
            for (kind, s) in kinds.sorted(by: { $0.key < $1.key }) {
                rows.add([community, kind, s.buildings, s.buildingsCovered, s.residents, s.residentsCovered, at])
                if rows.isFull, let x = rows.take() { batches.append(x) }
            }
        }
        if let x = rows.take() { batches.append(x) }
        let sqlite = self.sqlite
        try await db.writeTransaction { [batches] db in
            let sql = SQLHelpers.sql(db)
            // Two refreshes at once take turns on the settings row (SQLite's IMMEDIATE transaction already does), so the
            // second's delete sees the first's rows instead of colliding with them on the unique key.
            if !sqlite { try await sql.raw("SELECT id FROM facility_settings WHERE id = 1 FOR UPDATE").run() }
            try await sql.delete(from: "facility_uncovered").run()
            try await sql.delete(from: "facility_coverage").run()
            for batch in batches { try await batch.run(on: db) }
            if let audit { try await AuditLog.append([AuditEvent(FacilitiesAudit.refresh, target: .facilitySettings)], by: audit, on: db) }
        }
        progress?(3, 3)
        return Summary(buildings: d.buildings.count, facilities: points.values.reduce(0) { $0 + $1.count }, communities: shares.count,
                       seconds: Date().timeIntervalSince(started))
    }

    // MARK: Reads of the snapshot

    /// The snapshot rows of the communities under `prefix` for one kind or circle key.
    public func rows(prefix: String, kind: String? = nil) async throws -> [CoverageRow] {
        var q = sql.select().columns("community_code", "kind", "buildings", "buildings_covered", "residents", "residents_covered").from("facility_coverage")
            .wherePrefix("community_code", prefix, sqlite: sqlite)
        if let kind { q = q.where("kind", .equal, SQLBind(kind)) }
        return try await q.orderBy("community_code").orderBy("kind").all().map { row in
            CoverageRow(code: try row.decode(column: "community_code", as: String.self), name: "", kind: try row.decode(column: "kind", as: String.self),
                        share: CoverageShare(buildings: try row.decode(column: "buildings", as: Int.self),
                                             buildingsCovered: try row.decode(column: "buildings_covered", as: Int.self),
                                             residents: try row.decode(column: "residents", as: Int.self),
                                             residentsCovered: try row.decode(column: "residents_covered", as: Int.self)))
        }
    }

    /// When the snapshot was computed (nil: never).
    public func computedAt() async throws -> Int64? {
        try await sql.select().column(SQLFunction("MAX", args: SQLColumn("computed_at")), as: "t").from("facility_coverage").first()?
            .decode(column: "t", as: Int64?.self)
    }

    /// A community's buildings out of reach of a kind, most residents first.
    public func uncovered(community: String, kind: FacilityKind, limit: Int = 500) async throws -> [UncoveredBuilding] {
        try await sql.select().column(SQLColumn("building_id", table: "u")).column(SQLColumn("residents", table: "u")).column(SQLColumn("nearest_m", table: "u"))
            .column(SQLColumn("name", table: "b")).column(SQLColumn("address", table: "b"))
            .from(SQLAlias(SQLIdentifier("facility_uncovered"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("buildings"), as: SQLIdentifier("b")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "b"), .equal, SQLColumn("building_id", table: "u"))
            .where(SQLColumn("community_code", table: "u"), .equal, SQLBind(community)).where(SQLColumn("kind", table: "u"), .equal, SQLBind(kind.rawValue))
            .orderBy(SQLOrderBy(expression: SQLColumn("residents", table: "u"), direction: SQLDirection.descending)).orderBy(SQLColumn("name", table: "b"))
            .limit(limit).all().map { row in
                UncoveredBuilding(buildingID: try row.decode(column: "building_id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                  address: try row.decode(column: "address", as: String.self), residents: try row.decode(column: "residents", as: Int.self),
                                  nearest: try row.decode(column: "nearest_m", as: Int?.self))
            }
    }

    /// What a community's map shows: its grids, its buildings coloured by `kind`, the facilities in its box.
    public func map(of community: DivisionRecord, kind: FacilityKind?) async throws -> CommunityMapData {
        var grids: [(name: String, ring: [GeoPoint])] = []
        for row in try await sql.select().columns("name", "boundary").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).wherePrefix("code", community.code, sqlite: sqlite).orderBy("code").all() {
            guard let text = try row.decode(column: "boundary", as: String?.self), let ring = Self.ring(text) else { continue }
            grids.append((name: try row.decode(column: "name", as: String.self), ring: ring))
        }
        var residents: [UUID: Int] = [:]
        for row in try await sql.select().column(SQLColumn("building_id", table: "h")).column(SQLRaw("CAST(COUNT(*) AS BIGINT)"), as: "n")
            .from(SQLAlias(SQLIdentifier("residents"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("households"), as: SQLIdentifier("h")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "h"), .equal, SQLColumn("household_id", table: "r"))
            .where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", community.code, sqlite: sqlite).groupBy(SQLColumn("building_id", table: "h")).all() {
            residents[try row.decode(column: "building_id", as: UUID.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        var out: Set<UUID> = []
        if let kind {
            for row in try await sql.select().column("building_id").from("facility_uncovered").where("community_code", .equal, SQLBind(community.code))
                .where("kind", .equal, SQLBind(kind.rawValue)).all() { out.insert(try row.decode(column: "building_id", as: UUID.self)) }
        }
        let buildings = try await sql.select().columns("id", "name", "latitude", "longitude").from("buildings")
            .wherePrefix("grid_code", community.code, sqlite: sqlite).orderBy("grid_code").orderBy("name").all().map { row -> CommunityMapData.Building in
                let id = try row.decode(column: "id", as: UUID.self)
                return CommunityMapData.Building(id: id, name: try row.decode(column: "name", as: String.self),
                                                 point: GeoPoint(latitude: try row.decode(column: "latitude", as: Double.self),
                                                                 longitude: try row.decode(column: "longitude", as: Double.self)),
                                                 residents: residents[id] ?? 0, covered: !out.contains(id))
            }
        let facilities = try await FacilitiesQueries(db).list(in: .everything, community: community.code, page: PageRequest(page: 1, perPage: 100)).items
        return CommunityMapData(community: community, grids: grids, buildings: buildings, facilities: facilities)
    }

    /// The outer ring of a GeoJSON Polygon (`{"type":"Polygon","coordinates":[[[lon,lat],…]]}`).
    static func ring(_ text: String) -> [GeoPoint]? {
        struct Polygon: Decodable { var coordinates: [[[Double]]] }
        guard let p = try? JSONDecoder().decode(Polygon.self, from: Data(text.utf8)), let outer = p.coordinates.first else { return nil }
        let ring = outer.compactMap { $0.count >= 2 ? GeoPoint(latitude: $0[1], longitude: $0[0]) : nil }
        return ring.count >= 3 ? ring : nil
    }

    /// The best site for one more facility of `kind`, from a community's map drawn for that kind.
    public func gap(_ data: CommunityMapData, kind: FacilityKind) async throws -> (choice: GapChoice, name: String, point: GeoPoint)? {
        let settings = try await FacilitiesQueries.settings(on: db)
        let buildings = data.buildings.map { CoverageBuilding(point: $0.point, residents: $0.residents) }
        guard let choice = GapAnalysis.best(buildings: buildings, covered: data.buildings.map(\.covered), reach: settings.reach(kind)) else { return nil }
        return (choice, data.buildings[choice.building].name, data.buildings[choice.building].point)
    }

    /// The best site for one more facility of `kind` in the community (greedy, among its buildings' points).
    public func gap(community: String, kind: FacilityKind) async throws -> (choice: GapChoice, site: UncoveredBuilding, point: GeoPoint)? {
        let settings = try await FacilitiesQueries.settings(on: db)
        let out = try await uncovered(community: community, kind: kind, limit: 100_000)
        let outIDs = Set(out.map(\.buildingID))
        var ids: [UUID] = [], names: [(String, String)] = [], buildings: [CoverageBuilding] = [], covered: [Bool] = []
        let data = try await map(of: DivisionRecord(id: UUID(), code: community, name: "", level: .community, kind: nil, parentCode: nil, boundary: nil, version: 0),
                                 kind: nil)
        for b in data.buildings {
            ids.append(b.id); names.append((b.name, ""))
            buildings.append(CoverageBuilding(point: b.point, residents: b.residents))
            covered.append(!outIDs.contains(b.id))
        }
        guard let choice = GapAnalysis.best(buildings: buildings, covered: covered, reach: settings.reach(kind)) else { return nil }
        let site = out.first { $0.buildingID == ids[choice.building] }
            ?? UncoveredBuilding(buildingID: ids[choice.building], name: names[choice.building].0, address: "", residents: buildings[choice.building].residents, nearest: nil)
        return (choice, site, buildings[choice.building].point)
    }
}
