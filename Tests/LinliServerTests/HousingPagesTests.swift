import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("房屋和单位: the console pages and the demo", .serialized)
struct HousingPagesTests {
    @Test("dwellings, a building's occupancy, a rental registered by ID numbers (a stranger's refused at the field), checks, units; CSRF; the home tiles")
    func pages() async throws {
        try await withTestApp() { app in
            let building = try await app.housingBuilding()
            #expect(try await app.page("/console/housing", as: .resident).status == .forbidden)
            #expect(try await app.submit("/console/housing/new", [("building_id", building), ("number", "1-101"), ("use", "own")], as: .grid, csrf: false).status == .forbidden)
            let created = try await app.submit("/console/housing/new", [("building_id", building), ("number", "1-101"), ("floor", "1"), ("area", "16"), ("use", "own")], as: .worker)
            #expect(created.status == .seeOther || created.status == .found, "\(created.text)")
            let dwelling = try #require(created.location?.split(separator: "/").last.map(String.init))
            let bad = try await app.submit("/console/housing/new", [("building_id", building), ("number", "1-102"), ("area", "很大"), ("use", "own")], as: .worker)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("建筑面积应为数字"))
            let list = try await app.page("/console/housing", as: .worker)
            #expect(list.status == .ok && list.text.contains("1-101") && list.text.contains("以房管人管户管单位"))
            let occupancy = try await app.page("/console/housing/buildings/\(building)", as: .worker)
            #expect(occupancy.status == .ok && occupancy.text.contains("入住情况") && occupancy.text.contains("在册居民"))

            // Tenants by their ID numbers: one not in the registry is refused at the field, nothing written.
            let rows = try await app.sql().raw("SELECT id FROM residents WHERE grid_code LIKE '321271002001%' AND life_status = 'active' ORDER BY id LIMIT 4").all()
            let linli = app.linli
            let residents = ResidentQueries(app.db, cipher: linli.cipher, today: linli.today())
            var numbers: [String] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                numbers.append(try #require(try await residents.fullNumbers(of: id, in: .everything, by: .system("test"))?.idNumber))
            }
            let form: [(String, String)] = [("dwelling_id", dwelling), ("landlord_name", "王建华"), ("landlord_phone", "13812345678"), ("starts_on", "2026-01-01"),
                                            ("ends_on", "2026-12-31"), ("rent_band", "under_1000")]
            let stranger = try await app.submit("/console/housing/rentals/new", form + [("tenants", numbers[0] + "\n110101199001011237")], as: .worker)
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("请先登记") && stranger.text.contains("aria-invalid"), "\(stranger.visibleText.prefix(400))")
            let backwards = try await app.submit("/console/housing/rentals/new", [("dwelling_id", dwelling), ("landlord_name", "王建华"), ("landlord_phone", "13812345678"),
                                                                                   ("starts_on", "2026-05-01"), ("ends_on", "2026-01-01"), ("rent_band", "under_1000"),
                                                                                   ("tenants", numbers[0])], as: .worker)
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("合同结束日期应晚于开始日期"))
            #expect(try await app.rowCount("rentals") == 0)
            let rental = try await app.submit("/console/housing/rentals/new", form + [("tenants", numbers.joined(separator: "\n"))], as: .worker)
            #expect(rental.status == .seeOther || rental.status == .found, "\(rental.visibleText.prefix(400))")
            let rid = try #require(rental.location?.split(separator: "/").last.map(String.init))
            let file = try await app.page("/console/housing/rentals/\(rid)", as: .worker)
            #expect(file.status == .ok && file.text.contains("（群租）") && file.text.contains("消防检查已逾期") && !file.text.contains("13812345678"))
            let check = try await app.submit("/console/housing/rentals/\(rid)/checks", [("kind", "fire"), ("checked_on", "2026-06-29"), ("passed", "true"), ("findings", "")], as: .worker)
            #expect(check.status == .unprocessableEntity && check.text.contains("请填写检查情况"))
            let ok = try await app.submit("/console/housing/rentals/\(rid)/checks", [("kind", "fire"), ("checked_on", "2026-06-29"), ("passed", "true"), ("findings", "完好")], as: .worker)
            #expect(ok.status == .seeOther || ok.status == .found)
            let overdue = try await app.page("/console/housing/rentals?state=overdue", as: .street)
            #expect(overdue.status == .ok && overdue.text.contains("共 1 套"))
            let home = try await app.page("/console", as: .worker)
            #expect(home.status == .ok && home.text.contains("安全检查逾期") && home.text.contains("流动人口待办居住证"))
            #expect(try await app.page("/console/housing/permits", as: .worker).status == .ok)
            let export = try await app.page("/console/housing/rentals/export.xlsx", as: .street)
            #expect(export.status == .ok && export.body.count > 100)

            // Units: the credit code at its field; pinyin search.
            let badUnit = try await app.submit("/console/housing/units/new", [("name", "恒通商贸"), ("credit_code", "123"), ("kind", "enterprise"), ("building_id", building)], as: .worker)
            #expect(badUnit.status == .unprocessableEntity && badUnit.text.contains("统一社会信用代码应为18位"))
            let unit = try await app.submit("/console/housing/units/new", [("name", "恒通商贸"), ("credit_code", DemoHousing.creditCode(3, district: "321271", kind: .enterprise)),
                                                                          ("kind", "enterprise"), ("building_id", building), ("employees", "9")], as: .worker)
            #expect(unit.status == .seeOther || unit.status == .found, "\(unit.visibleText.prefix(300))")
            let units = try await app.page("/console/housing/units?q=hts", as: .street)
            #expect(units.status == .ok && units.text.contains("恒通商贸"))
        }
    }

    @Test("the demo step: dwellings for every household, about 15 % rented with tenants, some expired, units with valid codes")
    func demo() async throws {
        try await withTestApp(residents: 2000) { app in
            let linli = app.linli
            let s = try await DemoHousing.load(on: app.db, cipher: linli.cipher, seed: 42, today: linli.today(), now: 1_780_000_000)
            let households = try await app.rowCount("households")
            #expect(try await app.rowCount("households WHERE dwelling_id IS NULL") == 0)
            #expect(s.dwellings >= households)
            let share = Double(s.rentals) / Double(households)
            #expect(share > 0.08 && share < 0.22, "\(s.rentals) of \(households)")
            #expect(try await app.rowCount("rental_tenants") >= s.rentals)
            #expect(s.units >= 10)
            let codes = try await app.sql().raw("SELECT credit_code FROM units").all().map { try $0.decode(column: "credit_code", as: String.self) }
            #expect(codes.allSatisfy { CreditCode.check($0) == nil })
            let expired = try await app.call(.GET, "/api/v1/housing/rentals?state=expired", as: .district)
            #expect(expired.json["total"].int == s.expired)
        }
    }
}
