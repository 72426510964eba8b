import Foundation
import LinliCore
@testable import LinliServer
import Testing
import Vapor

@Suite("Resident search and lists", .serialized)
struct SearchAndListTests {
    @Test("search by name, pinyin initials, full pinyin and exact ID number")
    func search() async throws {
        try await withTestApp { app in
            let h = try await app.anyHousehold()
            let id = newID("1985-07-07", sequence: 321)
            let created = try await app.call(.POST, "/api/v1/residents", json: [
                "name": "张三丰", "id_number": id, "household_id": h.id, "relation": "other",
            ]).json
            let me = try #require(created["id"].string)
            func ids(_ q: String) async throws -> [String] {
                let encoded = try urlEncoded(q)
                let r = try await app.call(.GET, "/api/v1/residents?per_page=100&q=\(encoded)")
                #expect(r.status == .ok)
                return r.json["items"].array.compactMap { $0["id"].string }
            }
            #expect(try await ids("张三").contains(me))
            #expect(try await ids("zsf").contains(me))
            #expect(try await ids("ZSF").contains(me))
            #expect(try await ids("zhangsanf").contains(me))
            #expect(try await ids(id) == [me])
            #expect(try await ids(id.lowercased()) == [me])
            #expect(try await ids("lsf").contains(me) == false)
            // Every initials match really has those initials.
            let r = try await app.call(.GET, "/api/v1/residents?per_page=100&q=zs").json["items"].array
            #expect(!r.isEmpty)
            for item in r {
                let reading = Pinyin.reading(ofName: try #require(item["name"].string))
                #expect(reading.initials.hasPrefix("zs") || reading.full.hasPrefix("zs"))
            }
        }
    }

    @Test("initials matches come first, then full-pinyin matches, and paging walks both without repeats")
    func searchPaging() async throws {
        try await withTestApp(residents: 1500) { app in
            let all = try await app.call(.GET, "/api/v1/residents?per_page=100&q=c", as: .district).json
            let total = try #require(all["total"].int)
            #expect(total > 20)
            var seen: [String] = []
            var page = 1
            while seen.count < total && page < 100 {
                let r = try await app.call(.GET, "/api/v1/residents?per_page=7&page=\(page)&q=c", as: .district).json
                #expect(r["total"].int == total)
                seen += r["items"].array.compactMap { $0["id"].string }
                page += 1
            }
            #expect(seen.count == total)
            #expect(Set(seen).count == total)
        }
    }

    @Test("unsearchable text is a 400 naming q")
    func badQuery() async throws {
        try await withTestApp(residents: 20) { app in
            let r = try await app.call(.GET, "/api/v1/residents?q=12345")
            #expect(r.status == .badRequest)
            #expect(r.json.errorFields == ["q"])
        }
    }

    @Test("filters by tag, age range, grid and paging agree with the records")
    func filters() async throws {
        try await withTestApp(residents: 800) { app in
            let elderly = try await app.call(.GET, "/api/v1/residents?tag=elderly&per_page=100", as: .district).json
            #expect(try #require(elderly["total"].int) > 50)
            #expect(elderly["items"].array.allSatisfy { ($0["age"].int ?? 0) >= 60 && $0["tags"].strings.contains("elderly") })

            let band = try await app.call(.GET, "/api/v1/residents?age_min=30&age_max=39&per_page=100", as: .district).json
            #expect(band["items"].array.allSatisfy { $0["age"].int.map { (30...39).contains($0) } == true })

            let veterans = try await app.call(.GET, "/api/v1/residents?tag=veteran&per_page=100", as: .district).json
            #expect(try #require(veterans["total"].int) > 0)
            #expect(veterans["items"].array.allSatisfy { $0["tags"].strings.contains("veteran") })

            let grid = try await app.anyHousehold(as: .district).grid
            let inGrid = try await app.call(.GET, "/api/v1/residents?grid=\(grid)&per_page=100", as: .district).json
            #expect(inGrid["items"].array.allSatisfy { $0["grid_code"].string == grid })

            let community = String(grid.prefix(12))
            let inCommunity = try await app.call(.GET, "/api/v1/residents?division=\(community)&per_page=1", as: .district).json
            let communityTotal = try #require(inCommunity["total"].int), gridTotal = try #require(inGrid["total"].int)
            #expect(communityTotal >= gridTotal)

            let everyone = try #require(try await app.call(.GET, "/api/v1/residents?per_page=1", as: .district).json["total"].int)
            let stats = try await app.call(.GET, "/api/v1/stats", as: .district).json
            #expect(stats["residents"].int == everyone)
            #expect(everyone == 800)
            let sixty = try await app.call(.GET, "/api/v1/residents?age_min=60&per_page=1", as: .district).json["total"].int
            #expect(stats["residents_aged_60_plus"].int == sixty)

            #expect(try await app.call(.GET, "/api/v1/residents?per_page=101").status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/residents?tag=rich").json.errorFields == ["tag"])
            #expect(try await app.call(.GET, "/api/v1/residents?age_min=70&age_max=60").status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/residents?division=123").json.errorFields == ["division"])
        }
    }
}
