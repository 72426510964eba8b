import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// A node of the division tree, as the API answers it.
fileprivate struct DivisionNode: Decodable {
    var code: String
    var name: String
    var level: String
    var kind: String?
    var parks: [String]?
    var children: [DivisionNode]?
}

@Suite("Divisions, grids, buildings and households API", .serialized)
struct DivisionsAPITests {
    @Test("the public tree has the plan's five 镇街 and 60 村/社区, one of them a village")
    func tree() async throws {
        try await withTestApp(residents: 300) { app in
            let r = try await app.call(.GET, "/api/v1/divisions", as: .anonymous)
            #expect(r.status == .ok)
            let root = try r.decode(DivisionNode.self)
            #expect(root.code == "321271000000")
            #expect(root.level == "district")
            let streets = root.children ?? []
            #expect(streets.map(\.name) == ["野徐镇", "寺巷街道", "明珠街道", "凤凰街道", "沿江街道"])
            let communities = streets.flatMap { $0.children ?? [] }
            #expect(communities.count == 60)
            #expect(communities.filter { $0.kind == "村" }.count == 1)
            #expect(communities.allSatisfy { $0.level == "community" && $0.code.count == 12 })
            let grids = communities.flatMap { $0.children ?? [] }
            #expect(!grids.isEmpty && grids.allSatisfy { $0.code.count == 15 && $0.level == "grid" })
            #expect(Set(r.json.keys).isDisjoint(with: ["id_number_masked", "phone_masked"]))
            // Parks are an overlay on divisions.
            #expect(communities.contains { !($0.parks ?? []).isEmpty })
            let shallow = try await app.call(.GET, "/api/v1/divisions?depth=2").json
            #expect(shallow["children"][0]["children"].isNull)
            #expect(try await app.call(.GET, "/api/v1/parks").json.array.count == 7)
        }
    }

    @Test("a grid is created under its community, renamed with its version, and refused when stale")
    func grids() async throws {
        try await withTestApp(residents: 300) { app in
            let boundary: [String: Any] = ["type": "Polygon", "coordinates": [[[119.95, 32.40], [119.96, 32.40], [119.96, 32.41], [119.95, 32.40]]]]
            let created = try await app.call(.POST, "/api/v1/grids", json: ["code": "321271002001099", "name": "试点网格", "boundary": boundary], as: .district)
            #expect(created.status == .created)
            #expect(created.json["parent_code"].string == "321271002001")
            #expect(created.json["boundary"]["type"].string == "Polygon")
            let dup = try await app.call(.POST, "/api/v1/grids", json: ["code": "321271002001099", "name": "重复"], as: .district)
            #expect(dup.status == .conflict)
            let orphan = try await app.call(.POST, "/api/v1/grids", json: ["code": "321271002099001", "name": "无主"], as: .district)
            #expect(orphan.status == .unprocessableEntity)
            #expect(orphan.json.errorFields == ["code"])
            let outside: [String: Any] = ["type": "Polygon", "coordinates": [[[116.4, 39.9], [116.5, 39.9], [116.5, 40.0], [116.4, 39.9]]]]
            let far = try await app.call(.POST, "/api/v1/grids", json: ["code": "321271002001098", "name": "远处", "boundary": outside], as: .district)
            #expect(far.json.errorFields == ["boundary"])

            let renamed = try await app.call(.PATCH, "/api/v1/grids/321271002001099", json: ["name": "新名称", "version": 1], as: .district)
            #expect(renamed.json["name"].string == "新名称")
            #expect(renamed.json["version"].int == 2)
            #expect(try await app.call(.PATCH, "/api/v1/grids/321271002001099", json: ["name": "旧", "version": 1], as: .district).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/grids/321271002001").status == .notFound)
            let list = try await app.call(.GET, "/api/v1/grids?division=321271002001&per_page=100", as: .anonymous).json
            #expect(list["items"].array.contains { $0["code"].string == "321271002001099" })
            #expect(list["items"].array.allSatisfy { $0["code"].string?.hasPrefix("321271002001") == true })
        }
    }

    @Test("a community needs its kind; a street is created under the district")
    func communities() async throws {
        try await withTestApp(residents: 20) { app in
            // Only the district and the system administrator may change the tree.
            #expect(try await app.call(.POST, "/api/v1/divisions", json: ["code": "321271006000", "name": "新街道"], as: .worker).status == .forbidden)
            let street = try await app.call(.POST, "/api/v1/divisions", json: ["code": "321271006000", "name": "新街道"], as: .district)
            #expect(street.status == .created)
            #expect(street.json["level"].string == "street")
            let noKind = try await app.call(.POST, "/api/v1/divisions", json: ["code": "321271006001", "name": "新社区"], as: .district)
            #expect(noKind.json.errorFields == ["kind"])
            let village = try await app.call(.POST, "/api/v1/divisions", json: ["code": "321271006201", "name": "新村", "kind": "村", "parks": ["中国医药城"]], as: .district)
            #expect(village.status == .created)
            #expect(village.json["parks"].strings == ["中国医药城"])
            #expect(try await app.call(.GET, "/api/v1/divisions/321271006201").json["kind"].string == "村")
            #expect(try await app.call(.POST, "/api/v1/divisions", json: ["code": "abc", "name": "x"], as: .district).json.errorFields == ["code"])
        }
    }

    @Test("buildings and households: create, read, edit with version, and their rules")
    func buildingsAndHouseholds() async throws {
        try await withTestApp(residents: 300) { app in
            let grid = try await app.anyHousehold().grid
            let b = try await app.call(.POST, "/api/v1/buildings", json: [
                "grid_code": grid, "name": "康泰花园1幢", "address": "药城大道1号", "latitude": 32.41, "longitude": 119.95, "floors": 18,
            ])
            #expect(b.status == .created)
            let bid = try #require(b.json["id"].string)
            let far = try await app.call(.POST, "/api/v1/buildings", json: [
                "grid_code": grid, "name": "北京", "address": "长安街", "latitude": 39.9, "longitude": 116.4,
            ])
            #expect(far.json.errorFields == ["latitude"])
            let noGrid = try await app.call(.POST, "/api/v1/buildings", json: [
                "grid_code": "321271002001777", "name": "x", "address": "y", "latitude": 32.41, "longitude": 119.95,
            ])
            #expect(noGrid.json.errorFields == ["grid_code"])
            #expect(try await app.call(.PATCH, "/api/v1/buildings/\(bid)", json: ["floors": 20, "version": 1]).json["floors"].int == 20)

            let h = try await app.call(.POST, "/api/v1/households", json: ["number": "T-0001", "building_id": bid, "room": "1单元101室"])
            #expect(h.status == .created)
            #expect(h.json["grid_code"].string == grid)
            let dup = try await app.call(.POST, "/api/v1/households", json: ["number": "T-0001", "building_id": bid, "room": "1单元102室"])
            #expect(dup.status == .conflict)
            let hid = try #require(h.json["id"].string)
            let edited = try await app.call(.PATCH, "/api/v1/households/\(hid)", json: ["room": "1单元201室", "version": 1])
            #expect(edited.json["room"].string == "1单元201室")
            #expect(try await app.call(.PATCH, "/api/v1/households/\(hid)", json: ["room": "x", "version": 1]).status == .conflict)
            let list = try await app.call(.GET, "/api/v1/households?building=\(bid)").json
            #expect(list["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/buildings/\(UUID())").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/buildings/not-a-uuid").status == .badRequest)
        }
    }
}
