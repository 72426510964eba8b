import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("社会组织: the console's pages", .serialized)
struct OrganizationsPagesTests {
    @Test("file an organization, refusals at their fields; its page, support, a project with payments and the activities section left empty")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let home = try await app.page("/console", as: .district)
            #expect(home.status == .ok && home.text.contains("href=\"/console/organizations\""))
            let empty = try await app.page("/console/organizations", as: .district)
            #expect(empty.status == .ok && empty.text.contains("没有符合条件的社会组织") && empty.text.contains("450家以上"), "\(empty.status)")
            #expect(try await app.page("/console/organizations", as: .grid).status == .forbidden)
            let form = try await app.page("/console/organizations/new")
            #expect(form.status == .ok && form.text.contains("name=\"credit_code\"") && form.text.contains("value=\"321271002001\""))
            // A community worker is offered 备案 only.
            #expect(!form.text.contains("value=\"social_group\""))
            let fields = [("name", "寺巷社区邻里调解会"), ("kind", "community"), ("field", "mediation"), ("legal_person", "王建国"), ("phone", "13912345678"),
                          ("founded_on", "2021-03-01"), ("registered_on", "2021-03-15"), ("division_code", "321271002001")]
            let bad = try await app.submit("/console/organizations/new", fields + [("credit_code", "5132129153MEA76YF9")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("备案的社区社会组织没有统一社会信用代码") && bad.text.contains("aria-invalid"), "\(bad.status)")
            #expect(try await app.rowCount("organizations") == 0)
            #expect(try await app.submit("/console/organizations/new", fields, csrf: false).status == .forbidden)
            let created = try await app.submit("/console/organizations/new", fields)
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.location)

            let page = try await app.page(location, as: .street)
            #expect(page.status == .ok && page.text.contains("寺巷社区邻里调解会") && page.text.contains("139****5678") && !page.text.contains("13912345678"), "\(page.status)")
            #expect(page.text.contains("登记扶持") && page.text.contains("入驻孵化基地"))
            let full = try await app.page("\(location)/phone", as: .street)
            #expect(full.status == .ok && full.text.contains("13912345678"))
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.view'") == 1)

            let noAmount = try await app.submit("\(location)/support", [("kind", "award"), ("amount", ""), ("on_date", "2026-06-01"), ("giver", "区民政局")], as: .street)
            #expect(noAmount.status == .unprocessableEntity && noAmount.text.contains("奖励请填写金额"), "\(noAmount.status)")
            let award = try await app.submit("\(location)/support", [("kind", "award"), ("amount", "5000"), ("on_date", "2026-06-01"), ("giver", "区民政局"),
                                                                     ("document_no", "泰高民〔2026〕8号")], as: .street)
            #expect(award.status == .seeOther, "\(award.text)")
            let after = try await app.page(location, as: .worker)
            #expect(after.status == .ok && after.visibleText.contains("5000元") && after.text.contains("泰高民〔2026〕8号"))

            // Annual report, status and the incubation base through their forms; refusals at their fields.
            let futureReport = try await app.submit("\(location)/reports", [("year", "2025"), ("received_on", "2026-07-01")])
            #expect(futureReport.status == .unprocessableEntity && futureReport.text.contains("收到日期不能晚于今天") && futureReport.text.contains("f-received_on-err"))
            #expect(try await app.submit("\(location)/reports", [("year", "2025"), ("received_on", "2026-03-01")]).status == .seeOther)
            let early = try await app.submit("\(location)/incubation", [("entered_on", "2026-01-10")], as: .street)
            #expect(early.status == .seeOther, "\(early.text)")
            let sameDay = try await app.submit("\(location)/incubation", [("graduated_on", "2026-01-10")], as: .street)
            #expect(sameDay.status == .unprocessableEntity && sameDay.text.contains("出壳日期应晚于入驻日期"), "\(sameDay.status)")
            let incubated = try await app.page(location, as: .street)
            #expect(incubated.text.contains("在孵") && incubated.text.contains("2025年度（2026-03-01收到）") && incubated.text.contains("登记出壳"))
            let dormant = try await app.submit("\(location)/status", [("action", "mark_dormant"), ("date", "2026-06-01"), ("version", "1")])
            #expect(dormant.status == .seeOther, "\(dormant.text)")
            #expect(try await app.page(location).text.contains("休眠"))
            let revived = try await app.submit("\(location)/status", [("action", "revive"), ("date", "2026-06-02"), ("version", "2")])
            #expect(revived.status == .seeOther, "\(revived.text)")
            // A form sent at an old version: the page again with the message, at the version it shows now.
            let stale = try await app.submit("\(location)/status", [("action", "mark_dormant"), ("date", "2026-06-03"), ("version", "1")])
            #expect(stale.status == .conflict && stale.text.contains("该记录已被他人修改") && stale.text.contains("value=\"3\""), "\(stale.status)")

            // The edit form comes filled (the full phone read for it is audited); a refused edit names its field.
            let edit = try await app.page("\(location)/edit")
            #expect(edit.status == .ok && edit.text.contains("value=\"寺巷社区邻里调解会\"") && edit.text.contains("name=\"version\""), "\(edit.status)")
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.view'") == 2)
            let version = try #require(edit.text.firstMatch(of: /name="version" value="(\d+)"/).map { String($0.1) })
            let badEdit = try await app.submit("\(location)/edit", fields.filter { $0.0 != "registered_on" } + [("version", version), ("registered_on", "2030-01-01")])
            #expect(badEdit.status == .unprocessableEntity && badEdit.text.contains("备案日期不能晚于今天"), "\(badEdit.status)")
            let renamed = try await app.submit("\(location)/edit", fields.filter { $0.0 != "name" } + [("name", "寺巷社区邻里和谐调解会"), ("version", version)])
            #expect(renamed.status == .seeOther, "\(renamed.text)")
            let staleEdit = try await app.submit("\(location)/edit", fields.filter { $0.0 != "name" } + [("name", "又一个名字"), ("version", version)])
            #expect(staleEdit.status == .conflict && staleEdit.text.contains("请重新打开编辑页后再改") && staleEdit.text.contains("value=\"又一个名字\""), "\(staleEdit.status)")
            #expect(try await app.page(location).text.contains("寺巷社区邻里和谐调解会"))

            let id = String(location.split(separator: "/").last ?? "")
            let projectForm = try await app.page("/console/organizations/projects/new?organization_id=\(id)", as: .district)
            #expect(projectForm.status == .ok && projectForm.text.contains("寺巷社区邻里和谐调解会"))
            let project = try await app.submit("/console/organizations/projects/new", [
                ("organization_id", id), ("title", "社区矛盾纠纷调解"), ("mode", "outsourcing"), ("buyer", "区司法局"), ("contract", "1000"),
                ("signed_on", "2026-01-05"), ("starts_on", "2026-02-01"), ("ends_on", "2026-12-31"), ("deliverables", "全年调解纠纷")], as: .district)
            #expect(project.status == .seeOther, "\(project.text)")
            let projectPage = try #require(project.location)
            let over = try await app.submit("\(projectPage)/milestones", [("description", "第一季度"), ("on_date", "2026-05-01"), ("payment", "1000.01"),
                                                                          ("beneficiaries", "30")], as: .district)
            #expect(over.status == .unprocessableEntity && over.text.contains("将超过合同金额1000元"), "\(over.status)")
            #expect(try await app.submit("\(projectPage)/milestones", [("description", "第一季度"), ("on_date", "2026-05-01"), ("payment", "400"),
                                                                       ("beneficiaries", "30")], as: .district).status == .seeOther)
            let shown = try await app.page(projectPage, as: .worker)
            #expect(shown.status == .ok && shown.visibleText.contains("已拨付：400元") && shown.visibleText.contains("累计服务人次：30"), "\(shown.status)")
            // No volunteer activity was done under the project yet.
            #expect(shown.text.contains("id=\"project-activities\"") && shown.text.contains("本项目下尚无志愿服务活动"))
            #expect(shown.text.contains("期满后可进行结项评估") == false)   // a worker has no evaluation form
            let list = try await app.page("/console/organizations/projects", as: .district)
            #expect(list.status == .ok && list.text.contains("社区矛盾纠纷调解"))
            let search = try await app.page("/console/organizations?q=sxsq", as: .district)
            #expect(search.status == .ok && search.text.contains("寺巷社区邻里和谐调解会"))
            let xlsx = try await app.page("/console/organizations/export.xlsx", as: .district)
            #expect(xlsx.status == .ok && xlsx.body.prefix(2) == Data("PK".utf8))
        }
    }
}
