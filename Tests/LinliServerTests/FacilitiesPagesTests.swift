import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("设施与服务圈: the pages", .serialized)
struct FacilitiesPagesTests {
    @Test("the register: the form refuses a point outside the district at its field (CSRF checked), adds, edits at its version")
    func register() async throws {
        try await withTestApp(residents: 300) { app in
            let (lat, lon) = try await app.facilitiesBuildingPoint()
            let fields = [("community", facilitiesCommunity), ("kind", "health_station"), ("name", "寺巷卫生服务站"), ("address", "寺巷路3号"),
                          ("latitude", "31.0"), ("longitude", String(lon)), ("opening_hours", "周一至周五 08:00-17:30"), ("operator_name", "区人民医院")]
            #expect(try await app.submit("/console/facilities/new", fields, as: .street, csrf: false).status == .forbidden)
            let bad = try await app.submit("/console/facilities/new", fields, as: .street)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("id=\"f-latitude-err\"") && bad.text.contains("位置不在本区范围内"), "\(bad.text)")
            #expect(try await app.rowCount("facilities") == 0)
            let notNumber = try await app.submit("/console/facilities/new", fields.map { $0.0 == "latitude" ? ("latitude", "北纬") : $0 }, as: .street)
            #expect(notNumber.status == .unprocessableEntity && notNumber.text.contains("应为数字"))
            let ok = try await app.submit("/console/facilities/new", fields.map { $0.0 == "latitude" ? ("latitude", String(lat)) : $0 }, as: .street)
            #expect(ok.status == .seeOther || ok.status == .found, "\(ok.text)")
            let at = try #require(ok.location)
            let shown = try await app.page(at, as: .street)
            #expect(shown.status == .ok && shown.text.contains("寺巷卫生服务站") && shown.text.contains("name=\"version\" value=\"1\""))
            let stale = try await app.submit(at, fields.map { $0.0 == "latitude" ? ("latitude", String(lat)) : $0 } + [("version", "7")], as: .street)
            #expect(stale.status == .conflict, "\(stale.status)")
            #expect(try await app.submit(at, fields, as: .worker).status == .forbidden)

            let list = try await app.page("/console/facilities?kind=health_station", as: .worker)
            #expect(list.status == .ok && list.text.contains("寺巷卫生服务站") && !list.text.contains("登记设施</a>"), "a worker reads, the street adds")
            #expect(try await app.page("/console/facilities", as: .street).text.contains("href=\"/console/facilities/new\""))
            #expect(try await app.page("/console/facilities", as: .resident).status != .ok)
        }
    }

    @Test("coverage pages, the community's map (SVG, legend, no script) and the portal's 身边的服务设施 without residents' counts")
    func coverageAndMap() async throws {
        try await withTestApp(residents: 300) { app in
            try await app.facility("market")
            let overview = try await app.page("/console/facilities/coverage", as: .district)
            #expect(overview.status == .ok && overview.text.contains("寺巷街道") && overview.text.contains("10分钟生活圈"), "\(overview.visibleText)")
            let street = try await app.page("/console/facilities/coverage", as: .street)
            #expect(street.status == .ok && street.text.contains("/console/facilities/community/\(facilitiesCommunity)"))
            let page = try await app.page("/console/facilities/community/\(facilitiesCommunity)?kind=market", as: .worker)
            #expect(page.status == .ok, "\(page.visibleText)")
            #expect(page.text.contains("<svg") && page.text.contains("viewBox=") && page.text.contains("width=\"100%\"") && !page.text.contains("<script"))
            #expect(page.text.contains("fill=\"#2f855a\"") && page.text.contains("在菜市场服务半径内的楼栋") && page.text.contains(">菜</text>"))
            #expect(page.text.contains("补点建议") && page.text.contains("，居民"), "the console's map gives residents per building")
            #expect(try await app.page("/console/facilities/community/\(facilitiesElsewhere)", as: .worker).status == .notFound)

            let portal = try await app.page("/nearby/\(facilitiesCommunity)", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("<svg") && portal.text.contains("测试market"), "\(portal.visibleText)")
            #expect(!portal.text.contains("，居民") && !portal.text.contains("<script"))
            #expect(portal.text.contains("开放时间：每天 06:00-18:00"))
            let index = try await app.page("/nearby", as: .anonymous)
            #expect(index.status == .ok && index.text.contains("href=\"/nearby/\(facilitiesCommunity)\"") && index.text.contains("href=\"/nearby\">身边设施</a>"))
            #expect(try await app.page("/nearby/321271099001", as: .anonymous).status == .notFound)
        }
    }

    @Test("settings page: bounded fields refused at their field; the district saves and the snapshot follows")
    func settings() async throws {
        try await withTestApp(residents: 300) { app in
            #expect(try await app.page("/console/facilities/settings", as: .street).status == .forbidden)
            let form = try await app.page("/console/facilities/settings", as: .district)
            #expect(form.status == .ok && form.text.contains("name=\"radius_market\"") && form.text.contains("value=\"500\""))
            let bad = try await app.submit("/console/facilities/settings", [("version", "1"), ("detour", "9"), ("radius_market", "20")], as: .district)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("id=\"f-detour-err\"") && bad.text.contains("id=\"f-radius_market-err\"")
                    && bad.text.contains("菜市场的服务半径应为100至3000米"), "\(bad.visibleText)")
            let ok = try await app.submit("/console/facilities/settings", [("version", "1"), ("detour", "1.5"), ("radius_market", "700")], as: .district)
            #expect(ok.status == .seeOther || ok.status == .found, "\(ok.visibleText)")
            #expect(try await app.call(.GET, "/api/v1/facilities/settings", as: .district).json["radii"]["market"].int == 700)
        }
    }
}
