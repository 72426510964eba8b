import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A building of 寺巷社区 (the community worker's), or with `outside`, one elsewhere.
    func housingBuilding(outside: Bool = false) async throws -> String {
        let row = try #require(try await sql().raw("""
            SELECT id FROM buildings WHERE grid_code \(unsafeRaw: outside ? "NOT LIKE" : "LIKE") '321271002001%' ORDER BY name LIMIT 1
            """).first())
        return try row.decode(column: "id", as: UUID.self).uuidString
    }

    /// Residents on the roll of 寺巷社区 (or, with `outside`, elsewhere), the first `floating` of them made 流动人口.
    func housingResidents(_ n: Int, outside: Bool = false, floating: Int = 0) async throws -> [String] {
        let rows = try await sql().raw("""
            SELECT id FROM residents WHERE grid_code \(unsafeRaw: outside ? "NOT LIKE" : "LIKE") '321271002001%' AND life_status = 'active'
            ORDER BY id LIMIT \(unsafeRaw: String(n))
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        #expect(ids.count == n)
        for (i, id) in ids.enumerated() {
            try await sql().raw("UPDATE residents SET residence_status = \(bind: i < floating ? "floating" : "registered") WHERE id = \(bind: id)").run()
        }
        return ids.map(\.uuidString)
    }

    func addedDwelling(_ building: String, number: String = "3-502", area: Double = 60, as user: TestUser = .worker) async throws -> String {
        let r = try await call(.POST, "/api/v1/housing/dwellings", json: ["building_id": building, "number": number, "floor": 5, "area": area, "rooms": 2, "use": "own"], as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }

    func rentalBody(_ dwelling: String, tenants: [String], starts: String = "2026-01-01", ends: String = "2026-12-31") -> [String: Any] {
        ["dwelling_id": dwelling, "landlord_name": "王建华", "landlord_phone": "13812345678", "starts_on": starts, "ends_on": ends, "rent_band": "1000_2000",
         "tenants": tenants]
    }
}

@Suite("房屋和单位: the API", .serialized)
struct HousingTests {
    @Test("dwellings: added in the grid, a duplicate number 409, bad input at its field, another area's building 422, households placed, occupancy")
    func dwellings() async throws {
        try await withTestApp() { app in
            let building = try await app.housingBuilding()
            let id = try await app.addedDwelling(building)
            let dup = try await app.call(.POST, "/api/v1/housing/dwellings", json: ["building_id": building, "number": "3-502", "use": "own"], as: .worker)
            #expect(dup.status == .conflict && dup.json.errorFields == ["number"], "\(dup.text)")
            let bad = try await app.call(.POST, "/api/v1/housing/dwellings", json: ["building_id": building, "number": "", "area": -3, "use": "shop"], as: .worker)
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["use"], "\(bad.text)")
            let bad2 = try await app.call(.POST, "/api/v1/housing/dwellings", json: ["building_id": building, "number": "", "area": -3], as: .worker)
            #expect(bad2.status == .unprocessableEntity && Set(bad2.json.errorFields) == ["number", "area", "use"], "\(bad2.text)")
            let far = try await app.housingBuilding(outside: true)
            let outside = try await app.call(.POST, "/api/v1/housing/dwellings", json: ["building_id": far, "number": "1-101", "use": "own"], as: .worker)
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["building_id"], "\(outside.text)")
            #expect(try await app.call(.POST, "/api/v1/housing/dwellings", json: ["building_id": building, "number": "1", "use": "own"], as: .resident).status == .forbidden)
            #expect(try await app.rowCount("dwellings") == 1)

            // Edit at the version read; stale 409; another street's officer does not find it.
            let edit: [String: Any] = ["number": "3-502", "floor": 5, "area": 75.5, "rooms": 3, "use": "vacant", "version": 1]
            let edited = try await app.call(.PATCH, "/api/v1/housing/dwellings/\(id)", json: edit, as: .worker)
            #expect(edited.status == .ok && edited.json["use"].string == "vacant" && edited.json["version"].int == 2, "\(edited.text)")
            #expect(try await app.call(.PATCH, "/api/v1/housing/dwellings/\(id)", json: edit, as: .worker).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/housing/dwellings/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/housing/dwellings?building=\(building)", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/dwellings?division=321271003000", as: .district).json["total"].int == 0)

            // A household of the building lives there; one of another building is refused at household_id.
            let row = try #require(try await app.sql().raw("SELECT id FROM households WHERE building_id = \(bind: UUID(uuidString: building)!) LIMIT 1").first())
            let household = try row.decode(column: "id", as: UUID.self).uuidString
            let placed = try await app.call(.POST, "/api/v1/housing/dwellings/\(id)/households", json: ["household_id": household], as: .worker)
            #expect(placed.status == .noContent, "\(placed.text)")
            let otherRow = try #require(try await app.sql().raw("SELECT id FROM households WHERE building_id <> \(bind: UUID(uuidString: building)!) AND grid_code LIKE '321271002%' LIMIT 1").first())
            let other = try otherRow.decode(column: "id", as: UUID.self).uuidString
            let wrong = try await app.call(.POST, "/api/v1/housing/dwellings/\(id)/households", json: ["household_id": other], as: .street)
            #expect(wrong.status == .unprocessableEntity && wrong.json.errorFields == ["household_id"], "\(wrong.text)")
            let file = try await app.call(.GET, "/api/v1/housing/dwellings/\(id)", as: .worker)
            #expect(file.status == .ok && file.json["households"].array.count == 1, "\(file.text)")
            let occupancy = try await app.call(.GET, "/api/v1/housing/buildings/\(building)/occupancy", as: .worker)
            #expect(occupancy.status == .ok && occupancy.json["dwellings"].int == 1 && occupancy.json["by_use"]["vacant"].int == 1
                    && occupancy.json["placed_households"].int == 1 && (occupancy.json["residents"].int ?? 0) > 0, "\(occupancy.text)")
            #expect(try await app.call(.GET, "/api/v1/housing/buildings/\(far)/occupancy", as: .worker).status == .notFound)
        }
    }

    @Test("a rental: a tenant not in the registry 422 请先登记 at tenants, a contract ending before it starts 422 at ends_on, nothing written; 群租 by the rule; one in force per dwelling")
    func rentals() async throws {
        try await withTestApp() { app in
            let building = try await app.housingBuilding()
            let dwelling = try await app.addedDwelling(building, area: 18)
            let people = try await app.housingResidents(4, floating: 2)

            let stranger = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: [people[0], UUID().uuidString]), as: .worker)
            #expect(stranger.status == .unprocessableEntity && stranger.isProblem && stranger.json.errorFields == ["tenants"], "\(stranger.text)")
            #expect(stranger.text.contains("请先登记"))
            let garbage = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: ["张三"]), as: .worker)
            #expect(garbage.status == .unprocessableEntity && garbage.json.errorFields == ["tenants"] && garbage.text.contains("请先登记"), "\(garbage.text)")
            let backwards = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: [people[0]], starts: "2026-05-01", ends: "2026-04-30"), as: .worker)
            #expect(backwards.status == .unprocessableEntity && backwards.json.errorFields == ["ends_on"], "\(backwards.text)")
            let elsewhere = try await app.housingResidents(1, outside: true)
            let outside = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: elsewhere), as: .worker)
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["tenants"], "\(outside.text)")
            #expect(try await app.rowCount("rentals") == 0)
            #expect(try await app.rowCount("rental_tenants") == 0)

            let created = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: people), as: .worker)
            #expect(created.status == .created && (created.json["group_rental"].raw as? Bool) == true && created.json["tenant_count"].int == 4
                    && created.json["landlord_phone"].string == "138****5678", "\(created.text)")
            let id = try #require(created.json["id"].string), uuid = try #require(UUID(uuidString: id))
            let stored = try #require(try await app.sql().raw("SELECT landlord_phone_cipher FROM rentals WHERE id = \(bind: uuid)").first())
            #expect(try stored.decode(column: "landlord_phone_cipher", as: Data.self).range(of: Data("13812345678".utf8)) == nil)
            let second = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: [people[0]]), as: .worker)
            #expect(second.status == .conflict && second.json.errorFields == ["dwelling_id"], "\(second.text)")
            let d = try await app.call(.GET, "/api/v1/housing/dwellings/\(dwelling)", as: .worker)
            #expect(d.json["dwelling"]["use"].string == "rented" && d.json["rental"]["id"].string == id, "\(d.text)")

            // The file is a full view, audited; tenants named; every check due (none done since 2026-01-01) → overdue.
            let before = try await app.rowCount("audit_log WHERE action = 'housing.view'")
            let file = try await app.call(.GET, "/api/v1/housing/rentals/\(id)", as: .worker)
            #expect(file.status == .ok && file.json["tenants"].array.count == 4 && file.json["due"]["fire"].string == "2026-04-01", "\(file.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'housing.view'") == before + 1)
            #expect(try await app.call(.GET, "/api/v1/housing/rentals?state=overdue", as: .worker).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/rentals?state=group", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/rentals?state=expired", as: .worker).json["total"].int == 0)
            // Floating tenants moved in 2026-01-01: 180 days on 2026-06-30 (the tests' today) → due for a 居住证.
            let permits = try await app.call(.GET, "/api/v1/housing/permits", as: .worker)
            #expect(permits.status == .ok && permits.json.array.count == 2, "\(permits.text)")

            // Checks: each kind brings its due day forward; the rental leaves the overdue list once all three are done.
            for kind in ["fire", "gas", "ebike"] {
                let c = try await app.call(.POST, "/api/v1/housing/rentals/\(id)/checks", json: ["kind": kind, "checked_on": "2026-06-20", "findings": "完好"], as: .worker)
                #expect(c.status == .created, "\(c.text)")
            }
            let future = try await app.call(.POST, "/api/v1/housing/rentals/\(id)/checks", json: ["kind": "gas", "checked_on": "2026-07-20", "findings": "完好"], as: .worker)
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["checked_on"], "\(future.text)")
            #expect(try await app.call(.GET, "/api/v1/housing/rentals?state=overdue", as: .worker).json["total"].int == 0)
            let permit = try await app.call(.POST, "/api/v1/housing/rentals/\(id)/tenants/\(people[0])/permit", json: ["issued_on": "2026-06-29"], as: .worker)
            #expect(permit.status == .noContent, "\(permit.text)")
            #expect(try await app.call(.GET, "/api/v1/housing/permits", as: .worker).json.array.count == 1)

            // The landlord's phone: a full view, audited; export audited.
            let phone = try await app.call(.GET, "/api/v1/housing/rentals/\(id)/landlord-phone", as: .worker)
            #expect(phone.status == .ok && phone.json["phone"].string == "13812345678")
            let export = try await app.call(.GET, "/api/v1/housing/rentals/export.xlsx", as: .street)
            #expect(export.status == .ok && export.body.count > 100)
            #expect(try await app.rowCount("audit_log WHERE action = 'housing.export'") == 1)

            // Edit (stale 409), end (the dwelling vacant, free for a new rental).
            let edit = app.rentalBody(dwelling, tenants: Array(people.prefix(2))).merging(["version": 1]) { $1 }
            let edited = try await app.call(.PATCH, "/api/v1/housing/rentals/\(id)", json: edit, as: .worker)
            #expect(edited.status == .ok && edited.json["tenant_count"].int == 2 && (edited.json["group_rental"].raw as? Bool) == false, "\(edited.text)")
            #expect(try await app.call(.PATCH, "/api/v1/housing/rentals/\(id)", json: edit, as: .worker).status == .conflict)
            let early = try await app.call(.POST, "/api/v1/housing/rentals/\(id)/end", json: ["ended_on": "2025-12-01", "version": 2], as: .worker)
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["ended_on"], "\(early.text)")
            let ended = try await app.call(.POST, "/api/v1/housing/rentals/\(id)/end", json: ["ended_on": "2026-06-30", "version": 2], as: .worker)
            #expect(ended.status == .ok && ended.json["ended_on"].string == "2026-06-30", "\(ended.text)")
            #expect(try await app.call(.GET, "/api/v1/housing/permits", as: .worker).json.array.count == 0)
            let again = try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: [people[3]], starts: "2026-07-01", ends: "2027-06-30"), as: .worker)
            #expect(again.status == .created, "\(again.text)")
        }
    }

    @Test("units: the credit code checked and unique, phone sealed and masked, pinyin search, scope, export audited; settings by the district only")
    func units() async throws {
        try await withTestApp() { app in
            let building = try await app.housingBuilding()
            let body17 = "91321271MA1000001"
            let code = body17 + String(try #require(CreditCode.checkCharacter(body17)))
            let unit: [String: Any] = ["name": "恒通商贸有限公司", "credit_code": code.lowercased(), "kind": "enterprise", "building_id": building,
                                       "contact_name": "李国强", "contact_phone": "13912345678", "employees": 12, "opens_facilities": true, "safety_person": "李国强"]
            let created = try await app.call(.POST, "/api/v1/housing/units", json: unit, as: .worker)
            #expect(created.status == .created && created.json["credit_code"].string == code && created.json["contact_phone"].string == "139****5678", "\(created.text)")
            let id = try #require(created.json["id"].string)
            let twice = try await app.call(.POST, "/api/v1/housing/units", json: unit, as: .worker)
            #expect(twice.status == .conflict && twice.json.errorFields == ["credit_code"], "\(twice.text)")
            var wrong = unit
            wrong["credit_code"] = body17 + (code.last == "0" ? "1" : "0")
            let bad = try await app.call(.POST, "/api/v1/housing/units", json: wrong, as: .worker)
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["credit_code"] && bad.text.contains("校验码"), "\(bad.text)")
            #expect(try await app.rowCount("units") == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/units?q=htsm", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/units?q=\(code)", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/housing/units/\(id)", as: .otherWorker).status == .notFound)
            let phone = try await app.call(.GET, "/api/v1/housing/units/\(id)/phone", as: .worker)
            #expect(phone.status == .ok && phone.json["phone"].string == "13912345678")
            var edit = unit
            edit["version"] = 1; edit["employees"] = 20
            let edited = try await app.call(.PATCH, "/api/v1/housing/units/\(id)", json: edit, as: .worker)
            #expect(edited.status == .ok && edited.json["employees"].int == 20, "\(edited.text)")
            #expect(try await app.call(.PATCH, "/api/v1/housing/units/\(id)", json: edit, as: .worker).status == .conflict)
            let export = try await app.call(.GET, "/api/v1/housing/units/export.xlsx", as: .street)
            #expect(export.status == .ok && export.body.count > 100)

            #expect(try await app.call(.PUT, "/api/v1/housing/settings", json: ["min_area_per_tenant": 8], as: .street).status == .forbidden)
            let badSettings = try await app.call(.PUT, "/api/v1/housing/settings", json: ["check_every": ["fire": 1]], as: .district)
            #expect(badSettings.status == .unprocessableEntity && badSettings.json.errorFields == ["check_every"], "\(badSettings.text)")
            let set = try await app.call(.PUT, "/api/v1/housing/settings", json: ["min_area_per_tenant": 8, "check_every": ["gas": 365]], as: .district)
            #expect(set.status == .ok && set.json["min_area_per_tenant"].double == 8 && set.json["check_every"]["gas"].int == 365, "\(set.text)")
            #expect(try await app.call(.GET, "/api/v1/housing/settings", as: .worker).json["check_every"]["fire"].int == 90)

            // The indicators count units (and rentals) grid by grid, summed up the tree.
            let ind = try await app.call(.GET, "/api/v1/indicators?division=321271002000", as: .district)
            #expect(ind.status == .ok, "\(ind.text.prefix(300))")
            let units = JSONValue(ind.json["indicators"].array.first { $0["indicator"]["code"].string == "housing.units" }?.raw)
            #expect(units["value"].int == 1, "\(units.raw ?? "none")")
            let open = JSONValue(ind.json["indicators"].array.first { $0["indicator"]["code"].string == "housing.units_open_share" }?.raw)
            #expect(open["value"].double == 100, "\(open.raw ?? "none")")
        }
    }
}
