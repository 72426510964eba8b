import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// The street officer's community (寺巷街道) and one of another street.
let facilitiesCommunity = "321271002001"
let facilitiesElsewhere = "321271003001"

extension Application {
    /// The point of a building of `community` (the first by grid and name).
    func facilitiesBuildingPoint(_ community: String = facilitiesCommunity) async throws -> (Double, Double) {
        let row = try #require(try await sql().select().columns("latitude", "longitude").from("buildings")
            .where("grid_code", .greaterThanOrEqual, SQLBind(community)).where("grid_code", .lessThan, SQLBind(community + "~"))
            .orderBy("grid_code").orderBy("name").limit(1).first())
        return (try row.decode(column: "latitude", as: Double.self), try row.decode(column: "longitude", as: Double.self))
    }

    /// A facility registered through the API at a building's point; returns its id.
    @discardableResult
    func facility(_ kind: String = "market", community: String = facilitiesCommunity, at point: (Double, Double)? = nil,
                  as user: TestUser = .street) async throws -> String {
        let p: (Double, Double)
        if let point { p = point } else { p = try await facilitiesBuildingPoint(community) }
        let r = try await call(.POST, "/api/v1/facilities", json: ["name": "测试\(kind)", "kind": kind, "community_code": community, "address": "测试路1号",
                                                                  "latitude": p.0, "longitude": p.1, "opening_hours": "每天 06:00-18:00",
                                                                  "operator_name": "测试运营单位"], as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string, "\(r.text)")
    }
}

@Suite("设施与服务圈: the API", .serialized)
struct FacilitiesTests {
    @Test("the register: bad input refused at its field with nothing written; scope, permissions, versions")
    func register() async throws {
        try await withTestApp(residents: 400) { app in
            let base: [String: Any] = ["name": "寺巷菜市场", "kind": "market", "community_code": facilitiesCommunity, "address": "寺巷路8号",
                                       "latitude": 32.40, "longitude": 119.95, "opening_hours": "每天 06:00-18:00", "operator_name": "菜篮子公司"]
            var outside = base
            outside["latitude"] = 31.2
            outside["longitude"] = 121.5
            let r1 = try await app.call(.POST, "/api/v1/facilities", json: outside, as: .street)
            #expect(r1.status == .unprocessableEntity && r1.isProblem && r1.json.errorFields == ["latitude", "longitude"], "\(r1.text)")
            var huge = base
            huge["latitude"] = 1e300
            #expect(try await app.call(.POST, "/api/v1/facilities", json: huge, as: .street).json.errorFields == ["latitude"])
            var kind = base
            kind["kind"] = "supermarket"
            #expect(try await app.call(.POST, "/api/v1/facilities", json: kind, as: .street).json.errorFields == ["kind"])
            var hours = base
            hours["opening_hours"] = "周一 18:00-08:00"
            #expect(try await app.call(.POST, "/api/v1/facilities", json: hours, as: .street).json.errorFields == ["opening_hours"])
            var elsewhere = base
            elsewhere["community_code"] = facilitiesElsewhere
            #expect(try await app.call(.POST, "/api/v1/facilities", json: elsewhere, as: .street).json.errorFields == ["community_code"])
            #expect(try await app.call(.POST, "/api/v1/facilities", rawBody: "x", contentType: "text/plain", as: .street).status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/facilities", json: base, as: .worker).status == .forbidden)
            #expect(try await app.rowCount("facilities") == 0)

            let made = try await app.call(.POST, "/api/v1/facilities", json: base, as: .street)
            #expect(made.status == .created && made.json["version"].int == 1 && made.json["circle"].int == 10, "\(made.text)")
            let id = try #require(made.json["id"].string)
            #expect(try await app.call(.GET, "/api/v1/facilities/\(id)", as: .grid).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/facilities/\(id)", as: .otherWorker).status == .notFound)
            let list = try await app.call(.GET, "/api/v1/facilities?community=\(facilitiesCommunity)&kind=菜市场", as: .worker)
            #expect(list.status == .ok && list.json["total"].int == 1, "\(list.text)")
            #expect(try await app.call(.GET, "/api/v1/facilities?kind=nothing", as: .worker).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/facilities?community=\(facilitiesElsewhere)", as: .worker).status == .notFound)

            #expect(try await app.call(.PATCH, "/api/v1/facilities/\(id)", json: ["name": "新名"], as: .street).json.errorFields == ["version"])
            var edit = base
            edit["name"] = "寺巷农贸市场"
            edit["version"] = 1
            let changed = try await app.call(.PATCH, "/api/v1/facilities/\(id)", json: edit, as: .district)
            #expect(changed.status == .ok && changed.json["version"].int == 2 && changed.json["name"].string == "寺巷农贸市场", "\(changed.text)")
            let stale = try await app.call(.PATCH, "/api/v1/facilities/\(id)", json: edit, as: .street)
            #expect(stale.status == .conflict, "\(stale.text)")
            #expect(try await app.call(.GET, "/api/v1/facilities/\(id)", as: .street).json["name"].string == "寺巷农贸市场")
            #expect(try await app.call(.DELETE, "/api/v1/facilities/kinds", as: .street).status == .methodNotAllowed)
            let pub = try await app.call(.GET, "/api/v1/facilities/public?community=\(facilitiesCommunity)", as: .anonymous)
            #expect(pub.status == .ok && pub.json["items"].array.count == 1 && pub.json["items"][0]["version"].int == 0, "\(pub.text)")
        }
    }

    @Test("coverage: a facility covers the buildings within radius ÷ detour; the snapshot, the buildings out of reach, the gap and the settings")
    func coverage() async throws {
        try await withTestApp(residents: 600) { app in
            let path = "/api/v1/facilities/coverage?division=321271002000&kind=market"
            let none = try await app.call(.GET, path, as: .street)
            #expect(none.status == .ok && none.json.array.isEmpty, "no snapshot before the first facility: \(none.text)")
            // 1 km south of the community's first building: no building of the district is that far south, so none is covered.
            let (lat, lon) = try await app.facilitiesBuildingPoint()
            try await app.facility("market", at: (lat - 0.009, lon))
            let first = try await app.call(.GET, path, as: .street)
            let row = try #require(first.json.array.first { $0["code"].string == facilitiesCommunity }, "\(first.text)")
            let buildings = try #require(row["buildings"].int)
            #expect(buildings >= 1 && row["buildings_covered"].int == 0 && (row["residents"].int ?? 0) > 0, "\(row)")
            let out = try await app.call(.GET, "/api/v1/facilities/uncovered?community=\(facilitiesCommunity)&kind=market", as: .worker)
            #expect(out.status == .ok && out.json.array.count == buildings, "\(out.text)")
            #expect(out.json.array.contains { abs(($0["nearest_metres"].int ?? 0) - 1001) <= 2 }, "the first building is 1 km away: \(out.text)")
            let gap = try await app.call(.GET, "/api/v1/facilities/gap?community=\(facilitiesCommunity)&kind=market", as: .worker)
            #expect(gap.status == .ok && (gap.json["residents_gained"].int ?? 0) > 0 && gap.json["before_percent"].double == 0, "\(gap.text)")
            #expect((gap.json["after_percent"].double ?? 0) > 0, "\(gap.text)")
            #expect(try await app.call(.GET, "/api/v1/facilities/gap?community=\(facilitiesCommunity)", as: .worker).status == .badRequest)

            // The district's settings: bounded, versioned, and a wider radius recomputes the snapshot.
            let s = try await app.call(.GET, "/api/v1/facilities/settings", as: .worker)
            #expect(s.status == .ok && s.json["detour"].double == 1.3 && s.json["version"].int == 1, "\(s.text)")
            #expect(try await app.call(.PUT, "/api/v1/facilities/settings", json: ["detour": 0.5, "version": 1], as: .district).json.errorFields == ["detour"])
            #expect(try await app.call(.PUT, "/api/v1/facilities/settings", json: ["radii": ["market": 50], "version": 1], as: .district)
                .json.errorFields == ["radii.market"])
            #expect(try await app.call(.PUT, "/api/v1/facilities/settings", json: ["radii": ["mall": 500], "version": 1], as: .district)
                .json.errorFields == ["radii.mall"])
            #expect(try await app.call(.PUT, "/api/v1/facilities/settings", json: ["detour": 1.0, "version": 1], as: .street).status == .forbidden)
            let wide = try await app.call(.PUT, "/api/v1/facilities/settings", json: ["detour": 1.0, "radii": ["market": 3000], "version": 1], as: .district)
            #expect(wide.status == .ok && wide.json["version"].int == 2, "\(wide.text)")
            #expect(try await app.call(.PUT, "/api/v1/facilities/settings", json: ["detour": 1.2, "version": 1], as: .district).status == .conflict)
            let all = try await app.call(.GET, path, as: .street)
            let after = try #require(all.json.array.first { $0["code"].string == facilitiesCommunity })
            #expect((after["buildings_covered"].int ?? 0) >= 1, "3 km × 1.0 reaches the building 1 km away: \(after)")
            try await app.facility("market")
            let whole = try await app.call(.GET, path, as: .street).json.array.first { $0["code"].string == facilitiesCommunity }
            #expect(whole?["buildings_covered"].int == buildings, "a market inside the community reaches every building within 3 km: \(String(describing: whole))")
            let none2 = try await app.call(.GET, "/api/v1/facilities/gap?community=\(facilitiesCommunity)&kind=market", as: .worker)
            #expect(none2.status == .ok && none2.json["site"].isNull, "\(none2.text)")
            let street = try await app.call(.GET, "/api/v1/facilities/coverage?kind=circle10&by=street", as: .district)
            #expect(street.status == .ok && street.json.array.contains { $0["code"].string == "321271002000" && $0["residents_covered"].int == 0 },
                    "no school, police room or post station: nobody has the whole 10-minute circle: \(street.text)")
        }
    }

    @Test("care's facilities are rows of the register: same id, a point, kind and community kept by care")
    func care() async throws {
        try await withTestApp(residents: 300) { app in
            let created = try await app.call(.POST, "/api/v1/care/facilities", json: [
                "name": "寺巷居家养老服务站", "kind": "home_care_station", "community_code": facilitiesCommunity, "floor_area": 200, "beds": 4, "nursing_beds": 2,
            ], as: .street)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"].string)
            let row = try await app.call(.GET, "/api/v1/facilities/\(id)", as: .street)
            #expect(row.status == .ok && row.json["source"].string == "care" && row.json["kind"].string == "elderly_station", "\(row.text)")
            #expect(row.json["latitude"].double != nil)
            let (lat, lon) = try await app.facilitiesBuildingPoint()
            #expect(row.json["latitude"].double == lat && row.json["longitude"].double == lon, "at the community's first building")
            var edit: [String: Any] = ["name": "寺巷养老服务站", "kind": "day_care", "address": "寺巷路2号", "latitude": lat, "longitude": lon,
                                       "opening_hours": "周一至周五 08:00-17:00", "operator_name": "寺巷社区居委会", "version": 1]
            #expect(try await app.call(.PATCH, "/api/v1/facilities/\(id)", json: edit, as: .street).json.errorFields == ["kind"])
            edit["kind"] = "elderly_station"
            let ok = try await app.call(.PATCH, "/api/v1/facilities/\(id)", json: edit, as: .street)
            #expect(ok.status == .ok, "\(ok.text)")
            let care = try await app.call(.GET, "/api/v1/care/facilities?community=\(facilitiesCommunity)", as: .street)
            #expect(care.json.array.first?["name"].string == "寺巷养老服务站", "the name is the register's: \(care.text)")
            let renamed = try await app.call(.PATCH, "/api/v1/care/facilities/\(id)", json: ["name": "寺巷居家养老中心", "version": 2], as: .street)
            #expect(renamed.status == .ok, "\(renamed.text)")
            #expect(try await app.call(.GET, "/api/v1/facilities/\(id)", as: .street).json["name"].string == "寺巷居家养老中心")
            let cov = try await app.call(.GET, "/api/v1/facilities/coverage?division=321271002000&kind=elderly_station", as: .street)
            #expect(cov.json.array.contains { $0["code"].string == facilitiesCommunity && ($0["buildings_covered"].int ?? 0) > 0 }, "\(cov.text)")
        }
    }

    @Test("refreshes at once (as writes of two officers): each succeeds and the snapshot is one whole refresh, on both databases")
    func concurrentRefresh() async throws {
        try await withTestApp(residents: 300) { app in
            try await app.facility("market")
            let db = app.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await FacilitiesCoverage(db).refresh() } }
                try await group.waitForAll()
            }
            let communities = try #require(try await app.sql().raw("SELECT COUNT(DISTINCT substr(grid_code, 1, 12)) AS n FROM buildings").first())
                .decode(column: "n", as: Int.self)
            #expect(try await app.rowCount("facility_coverage") == communities * (FacilityKind.allCases.count + ServiceCircle.allCases.count))
        }
    }

    @Test("a refresh asked for on the API: the district's only, answered with its figures, audited in its own transaction")
    func refreshOnRequest() async throws {
        try await withTestApp(residents: 400) { app in
            try await app.facility("market")
            #expect(try await app.call(.POST, "/api/v1/facilities/coverage/refresh", json: [String: String](), as: .street).status == .forbidden)
            let before = try await app.rowCount("audit_log WHERE action = 'facilities.refresh'")
            let r = try await app.call(.POST, "/api/v1/facilities/coverage/refresh", json: [String: String](), as: .district)
            #expect(r.status == .ok && (r.json["buildings"].int ?? 0) > 0 && r.json["facilities"].int == 1, "\(r.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'facilities.refresh'") == before + 1)
        }
    }

    @Test("measures: facilities per community by kind, and residents within reach from the snapshot")
    func measures() async throws {
        try await withTestApp(residents: 300) { app in
            try await app.facility("market")
            let m = FacilitiesMeasures(), context = MeasureContext(db: app.db, date: testToday, cipher: testCipher)
            let count = try #require(m.definitions.first { $0.id == "facilities.count" })
            let covered = try #require(m.definitions.first { $0.id == "facilities.residents_covered" })
            let communities = [facilitiesCommunity, facilitiesElsewhere]
            #expect(try await m.values(of: count, filters: ["kind": "market"], communities: communities, context: context) == [facilitiesCommunity: 1])
            #expect(try await m.values(of: count, filters: ["kind": "primary_school"], communities: communities, context: context).isEmpty)
            let residents = try await app.call(.GET, "/api/v1/facilities/coverage?division=321271002000&kind=market", as: .street).json.array
                .first { $0["code"].string == facilitiesCommunity }?["residents_covered"].int
            let reached = try await m.values(of: covered, filters: ["kind": "market"], communities: communities, context: context)
            #expect(reached[facilitiesCommunity].map(Int.init) == residents && (residents ?? 0) > 0, "\(reached)")
            #expect(try await m.values(of: covered, filters: [:], communities: communities, context: context).isEmpty, "nobody has the whole 10-minute circle")

            let ind = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(ind.status == .ok, "\(ind.text.prefix(300))")
            func reading(_ code: String) -> JSONValue? { ind.json["indicators"].array.first { $0["indicator"]["code"].string == code } }
            let market = reading("facilities.kind.market")
            #expect(market?["numerator"].double == Double(residents ?? -1) && (market?["denominator"].double ?? 0) > Double(residents ?? 0),
                    "\(String(describing: market))")
            #expect(reading("facilities.circle10")?["numerator"].double == 0)
            #expect(reading("facilities.per_community")?["numerator"].double == 1)
        }
    }
}
