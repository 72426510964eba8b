import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("物业管理: the console pages", .serialized)
struct PropertyPagesTests {
    @Test("a compound and a company through the console: CSRF required, messages at their fields, the contract's dates checked, the list marks unmanaged ones")
    func pages() async throws {
        try await withTestApp() { app in
            let mine = try await app.propertyBuildings(2, under: PropertyTests.community)
            let form = try await app.page("/console/property/new")
            #expect(form.status == .ok && form.text.contains("登记小区") && form.text.contains("name=\"buildings[]\"") && form.text.contains(mine[0]))
            let fields = [("name", "阳光花园"), ("year_built", "1992"), ("old", "true"), ("buildings[]", mine[0]), ("buildings[]", mine[1])]
            #expect(try await app.submit("/console/property/new", fields, csrf: false).status == .forbidden)
            let empty = try await app.submit("/console/property/new", [("name", "阳光花园"), ("year_built", "一九九二")])
            #expect(empty.status == .unprocessableEntity && empty.text.contains("建成年份应为四位数字"), "\(empty.text)")
            let noBuildings = try await app.submit("/console/property/new", [("name", "阳光花园")])
            #expect(noBuildings.status == .unprocessableEntity && noBuildings.text.contains("请至少选择一个楼栋") && noBuildings.text.contains("aria-invalid=\"true\""))
            let made = try await app.submit("/console/property/new", fields)
            #expect(made.status == .seeOther || made.status == .found, "\(made.text)")
            let id = try #require(made.location?.split(separator: "/").last.map(String.init))
            let list = try await app.page("/console/property", as: .street)
            #expect(list.status == .ok && list.text.contains("阳光花园") && list.text.contains("无人管理") && list.text.contains("四位一体"))

            let company = try await app.submit("/console/property/companies/new", [("name", "嘉和物业管理有限公司"), ("credit_code", String(PropertyTests.code.dropLast()) + "?")], as: .street)
            #expect(company.status == .unprocessableEntity && company.text.contains("统一社会信用代码"), "\(company.text)")
            let madeCompany = try await app.submit("/console/property/companies/new", [("name", "嘉和物业管理有限公司"), ("credit_code", PropertyTests.code)], as: .street)
            #expect(madeCompany.status == .seeOther || madeCompany.status == .found, "\(madeCompany.text)")
            let companyId = try #require(madeCompany.location?.split(separator: "/").last.map(String.init))
            let companyPage = try await app.page("/console/property/companies/\(companyId)", as: .worker)
            #expect(companyPage.status == .ok && companyPage.text.contains("wy." + PropertyTests.code.lowercased()))

            let contract = [("company_id", companyId), ("starts_on", "2026-03-01"), ("ends_on", "2026-02-01"), ("fee", "0.8"), ("services[]", "cleaning")]
            let backwards = try await app.submit("/console/property/\(id)/contracts", contract)
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("合同结束日期应晚于开始日期"), "\(backwards.text)")
            var good = contract
            good[2] = ("ends_on", "2029-02-28")
            let added = try await app.submit("/console/property/\(id)/contracts", good)
            #expect(added.status == .seeOther || added.status == .found, "\(added.text)")
            let shown = try await app.page("/console/property/\(id)")
            #expect(shown.status == .ok && shown.text.contains("嘉和物业管理有限公司（合同至 2029-02-28）"), "\(shown.text)")
            #expect(try await app.page("/console/property/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.page("/console/property/new", as: .grid).status == .forbidden)
        }
    }
}
