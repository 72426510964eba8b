import Foundation
import LinliCore
@testable import LinliServer
@testable import LinliData
import SQLKit
import Testing
import Vapor

extension Application {
    /// `n` buildings whose grid starts with `prefix` (in name order), as ids; the demo district's own first, then new ones
    /// registered in the first grid under `prefix` beside its first building.
    func propertyBuildings(_ n: Int, under prefix: String) async throws -> [String] {
        let rows = try await sql().raw("""
            SELECT id, grid_code, latitude, longitude FROM buildings WHERE grid_code LIKE \(bind: prefix + "%") ORDER BY grid_code, name, id LIMIT \(unsafeRaw: String(n))
            """).all()
        var ids = try rows.map { try $0.decode(column: "id", as: UUID.self).uuidString }
        let first = try #require(rows.first)
        let grid = try first.decode(column: "grid_code", as: String.self)
        let lat = try first.decode(column: "latitude", as: Double.self), lon = try first.decode(column: "longitude", as: Double.self)
        while ids.count < n {
            let added = try await call(.POST, "/api/v1/buildings", json: ["grid_code": grid, "name": "物业测试楼\(ids.count + 1)幢", "address": "测试路\(ids.count + 1)号",
                                                                          "latitude": lat, "longitude": lon, "floors": 6], as: .worker)
            #expect(added.status == .created, "\(added.text)")
            ids.append(try #require(added.json["id"].string))
        }
        return ids
    }

    func addedCompound(_ buildings: [String], name: String = "幸福里", as user: TestUser = .worker) async throws -> String {
        let r = try await call(.POST, "/api/v1/property/compounds", json: ["name": name, "year_built": 1996, "old": true, "buildings": buildings], as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }

    func addedCompany(_ code: String = PropertyTests.code, name: String = "恒泰物业服务有限公司") async throws -> JSONValue {
        let r = try await call(.POST, "/api/v1/property/companies", json: ["name": name, "credit_code": code, "contact_name": "王建华"], as: .street)
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }
}

@Suite("物业管理: the API", .serialized)
struct PropertyTests {
    static let code = CreditCode.complete("91321271PM0001000")!
    static let community = "321271002001"

    @Test("compounds: buildings of the area in one community; another street's building 422 at buildings and nothing written; a building in two compounds 409; unmanaged listed; edits by version")
    func compounds() async throws {
        try await withTestApp() { app in
            let mine = try await app.propertyBuildings(4, under: Self.community)
            let id = try await app.addedCompound(Array(mine.prefix(3)))
            let far = try await app.propertyBuildings(1, under: "321271003")
            let outside = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "锦绣苑", "buildings": [mine[3]] + far], as: .worker)
            #expect(outside.status == .unprocessableEntity && outside.isProblem && outside.json.errorFields == ["buildings"], "\(outside.text)")
            let byStreet = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "锦绣苑", "buildings": [mine[3]] + far], as: .street)
            #expect(byStreet.status == .unprocessableEntity && byStreet.json.errorFields == ["buildings"], "\(byStreet.text)")
            let neighbour = try await app.propertyBuildings(1, under: "321271002002")
            let twoCommunities = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "锦绣苑", "buildings": [mine[3]] + neighbour], as: .street)
            #expect(twoCommunities.status == .unprocessableEntity && twoCommunities.json.errorFields == ["buildings"] && twoCommunities.text.contains("同一个社区"),
                    "\(twoCommunities.text)")
            let taken = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "锦绣苑", "buildings": [mine[0], mine[3]]], as: .worker)
            #expect(taken.status == .conflict && taken.json.errorFields == ["buildings"] && taken.text.contains("已属于小区“幸福里”"), "\(taken.text)")
            let same = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "幸福里", "buildings": [mine[3]]], as: .worker)
            #expect(same.status == .conflict && same.json.errorFields == ["name"], "\(same.text)")
            let bad = try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "", "year_built": 3000, "buildings": []], as: .worker)
            #expect(bad.status == .unprocessableEntity && Set(bad.json.errorFields) == ["name", "year_built", "buildings"], "\(bad.text)")
            #expect(try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "x", "buildings": [mine[3]]], as: .grid).status == .forbidden)
            #expect(try await app.rowCount("property_compounds") == 1)
            #expect(try await app.rowCount("property_compound_buildings") == 3)

            // Nobody manages it yet: the list and the street's home page show it.
            let shown = try await app.call(.GET, "/api/v1/property/compounds/\(id)", as: .worker)
            #expect(shown.status == .ok && shown.json["compound"]["mode"].string == "none" && shown.json["buildings"].array.count == 3
                    && (shown.json["compound"]["households"].int ?? 0) > 0, "\(shown.text)")
            #expect(try await app.call(.GET, "/api/v1/property/compounds?mode=none", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/property/compounds", as: .grid).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/property/compounds/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/property/compounds", as: .otherWorker).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/property/compounds", as: .resident).status == .forbidden)
            let home = try await app.page("/console", as: .street)
            #expect(home.status == .ok && home.text.contains("无人管理的小区"))

            // 准物业管理 by the community, at the version read; a stale edit 409 and nothing changed.
            let edit: [String: Any] = ["name": "幸福里", "year_built": 1996, "old": true, "quasi_services": ["cleaning", "security"], "buildings": mine, "version": 1]
            let edited = try await app.call(.PATCH, "/api/v1/property/compounds/\(id)", json: edit, as: .worker)
            #expect(edited.status == .ok && edited.json["mode"].string == "quasi" && edited.json["buildings"].int == 4 && edited.json["version"].int == 2, "\(edited.text)")
            var stale = edit
            stale["quasi_services"] = [String]()
            #expect(try await app.call(.PATCH, "/api/v1/property/compounds/\(id)", json: stale, as: .worker).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/property/compounds?mode=none", as: .street).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/property/compounds?mode=quasi", as: .district).json["total"].int == 1)
        }
    }

    @Test("a company: a wrong check character 422 at credit_code and nothing written; made with its department account; a duplicate 409; contracts: an end before the start 422 at ends_on, overlapping 409; a request dispatched to it reaches its account")
    func companies() async throws {
        try await withTestApp() { app in
            let departments = try await app.rowCount("departments")
            let good = Self.code.last!
            let wrong = String(Self.code.dropLast()) + String(CreditCode.alphabet.first { $0 != good }!)
            let refused = try await app.call(.POST, "/api/v1/property/companies", json: ["name": "恒泰物业服务有限公司", "credit_code": wrong], as: .street)
            #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.json.errorFields == ["credit_code"] && refused.text.contains("校验码不符"),
                    "\(refused.text)")
            #expect(try await app.rowCount("property_companies") == 0)
            #expect(try await app.rowCount("departments") == departments)
            #expect(try await app.call(.POST, "/api/v1/property/companies", json: ["name": "x", "credit_code": Self.code], as: .district).status == .forbidden)

            let company = try await app.addedCompany()
            let companyId = try #require(company["id"].string), department = "WY" + Self.code
            #expect(company["department_code"].string == department && company["username"].string == "wy." + Self.code.lowercased())
            let account = try #require(try await app.sql().raw("SELECT role, department_code, disabled FROM accounts WHERE username = \(bind: "wy." + Self.code.lowercased())").first())
            let role = try account.decode(column: "role", as: String.self), accountDepartment = try account.decode(column: "department_code", as: String.self)
            #expect(role == "department" && accountDepartment == department)
            #expect(try account.decode(column: "disabled", as: Bool.self))
            let dup = try await app.call(.POST, "/api/v1/property/companies", json: ["name": "另一家物业", "credit_code": Self.code.lowercased()], as: .worker)
            #expect(dup.status == .conflict && dup.json.errorFields == ["credit_code"], "\(dup.text)")
            #expect(try await app.rowCount("property_companies") == 1)
            let listed = try await app.call(.GET, "/api/v1/departments", as: .worker)
            #expect(listed.json.array.contains { $0["code"].string == department && $0["name"].string == "恒泰物业服务有限公司" }, "\(listed.text)")

            // A contract of the worker's compound.
            let mine = try await app.propertyBuildings(3, under: Self.community)
            let compound = try await app.addedCompound(mine)
            func contract(_ starts: String, _ ends: String) -> [String: Any] {
                ["company_id": companyId, "starts_on": starts, "ends_on": ends, "fee": 1.2, "services": ["cleaning", "security", "repair"], "staff": 6, "room_area": 45]
            }
            let backwards = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts", json: contract("2026-01-01", "2025-12-31"), as: .worker)
            #expect(backwards.status == .unprocessableEntity && backwards.json.errorFields == ["ends_on"], "\(backwards.text)")
            let noCompany = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts",
                                               json: ["company_id": UUID().uuidString, "starts_on": "2026-01-01", "ends_on": "2028-12-31", "fee": 1, "services": ["cleaning"]], as: .worker)
            #expect(noCompany.status == .unprocessableEntity && noCompany.json.errorFields == ["company_id"], "\(noCompany.text)")
            #expect(try await app.rowCount("property_contracts") == 0)
            let made = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts", json: contract("2026-01-01", "2028-12-31"), as: .worker)
            #expect(made.status == .created && made.json["services"].strings == ["cleaning", "security", "repair"], "\(made.text)")
            let overlap = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts", json: contract("2028-06-01", "2030-05-31"), as: .worker)
            #expect(overlap.status == .conflict && overlap.text.contains("重叠"), "\(overlap.text)")
            let shown = try await app.call(.GET, "/api/v1/property/compounds/\(compound)", as: .worker)
            #expect(shown.json["compound"]["mode"].string == "company" && shown.json["compound"]["company_name"].string == "恒泰物业服务有限公司", "\(shown.text)")
            #expect(try await app.call(.GET, "/api/v1/property/companies/\(companyId)", as: .worker).json["company"]["compounds"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/property/companies/\(companyId)", as: .otherWorker).json["contracts"].array.isEmpty)

            // A request about a building of the compound is dispatched to the company; its department account sees it.
            let reported = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0101", "description": "楼道口垃圾三天无人清运",
                                                                                "building_id": mine[0], "phone": "13912345678"], as: .anonymous)
            #expect(reported.status == .created, "\(reported.text)")
            let request = try #require(reported.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/requests/\(request)/actions", json: ["action": "accept", "version": 1], as: .worker).status == .ok)
            let sent = try await app.call(.POST, "/api/v1/requests/\(request)/actions",
                                          json: ["action": "dispatch", "version": 2, "handler": "dept:" + department, "note": "请物业清运"], as: .worker)
            #expect(sent.status == .ok && sent.json["handler_name"].string == "恒泰物业服务有限公司", "\(sent.text)")
            #expect(try await app.call(.GET, "/api/v1/requests/\(request)", as: .dept).status == .notFound)
            try await app.sql().raw("UPDATE accounts SET department_code = \(bind: department) WHERE username = 'dept'").run()
            app.linli.sessionCache.removeAll()
            let seen = try await app.call(.GET, "/api/v1/requests/\(request)", as: .dept)
            #expect(seen.status == .ok && seen.json["actions"].strings.contains("start"), "\(seen.text)")
        }
    }

    @Test("the demo step: every building of the district in one compound, a dozen companies each with its account, old compounds under 准物业管理, a few unmanaged; the indicator counts them")
    func demo() async throws {
        try await withTestApp(residents: 600) { app in
            let s = try await DemoProperty.load(on: app.db, seed: 42, today: testToday, now: 0)
            let placed = try await app.rowCount("property_compound_buildings"), buildings = try await app.rowCount("buildings")
            #expect(placed == buildings)
            #expect(s.companies == 12 && s.contracts > 0 && s.quasi > 0 && s.compounds == s.contracts + s.quasi + s.unmanaged)
            let accounts = try await app.rowCount("accounts WHERE username LIKE 'wy.%' AND disabled = \(app.db.isSQLite ? "1" : "true")")
            #expect(accounts == 12)
            let none = try await app.call(.GET, "/api/v1/property/compounds?mode=none&per_page=1", as: .district).json["total"].int
            #expect(none == s.unmanaged)
            // With a size of one household every compound is large: about four in five get a committee of five living there.
            try await app.sql().raw("DELETE FROM property_committee_members").run()
            try await app.sql().raw("DELETE FROM property_committees").run()
            try await app.sql().raw("UPDATE property_settings SET large_households = 1").run()
            let made = try await DemoCommittees.load(on: app.db, seed: 42, today: testToday, now: 0)
            let committees = try await app.rowCount("property_committees"), members = try await app.rowCount("property_committee_members")
            #expect(made > 0 && committees == made && members == 5 * made)
            let strangers = try await app.sql().raw("""
                SELECT COUNT(*) AS n FROM property_committee_members cm JOIN property_committees m ON m.id = cm.committee_id
                JOIN residents r ON r.id = cm.resident_id JOIN households h ON h.id = r.household_id
                WHERE NOT EXISTS (SELECT 1 FROM property_compound_buildings pb WHERE pb.compound_id = m.compound_id AND pb.building_id = h.building_id)
                """).first()!.decode(column: "n", as: Int.self)
            #expect(strangers == 0)
            let figures = try await app.call(.GET, "/api/v1/indicators?division=321271000000", as: .district)
            #expect(figures.status == .ok, "\(figures.text)")
            let share = JSONValue(figures.json["indicators"].array.first { $0["indicator"]["code"].string == "property.managed_share" }?.raw)
            #expect(share["numerator"].double == Double(s.contracts + s.quasi) && share["denominator"].double == Double(s.compounds), "\(share.raw ?? "none")")
        }
    }
}
