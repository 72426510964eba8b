import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("社会救助: the console's and the portal's pages", .serialized)
struct AssistancePagesTests {
    @Test("the console: apply through the form, take the steps, the notice on the portal, an objection from the portal, approval")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let number = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: household.id)").first()?
                .decode(column: "number", as: String.self))
            let form = try await app.page("/console/assistance/new?household=\(number)&kind=dibao")
            #expect(form.status == .ok && form.text.contains("name=\"m1_id\"") && form.text.contains("家庭月收入合计"), "\(form.text.prefix(300))")
            var fields: [(String, String)] = [("household", household.id.uuidString), ("kind", "dibao"), ("applicant_id", household.members[0].uuidString),
                                              ("deposits", "2000"), ("vehicles", "0"), ("dwellings", "1")]
            for (i, m) in household.members.enumerated() {
                fields += [("m\(i)_id", m.uuidString), ("m\(i)_capacity", "full"), ("m\(i)_grade", ""), ("m\(i)_wages", i == 0 ? "600" : "")]
            }
            // The total does not match the members' incomes: the form comes back with the message at the field.
            let wrong = try await app.submit("/console/assistance/new", fields + [("monthly_income", "900")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("与各成员收入之和") && wrong.text.contains("value=\"600\""), "\(wrong.status)")
            #expect(try await app.rowCount("assistance_cases") == 0)
            let applied = try await app.submit("/console/assistance/new", fields + [("monthly_income", "600")])
            #expect(applied.status == .seeOther, "\(applied.text)")
            let location = try #require(applied.headers.first(name: .location))
            let file = try await app.page(location)
            #expect(file.status == .ok && file.text.contains("家庭经济状况核对") && file.text.contains("查看家庭收入、财产和健康情况"))
            #expect(!file.text.contains("600元/月") && !file.text.contains("SQLQueryString"))
            let id = String(location.split(separator: "/").last ?? "")
            let version = { () async throws -> String in
                String(try #require(try await app.sql().raw("SELECT version FROM assistance_cases").first()?.decode(column: "version", as: Int.self)))
            }
            let checked = try await app.submit("\(location)/steps", [("action", "check"), ("version", try await version()), ("check_source", "核对平台"),
                                                                      ("check_date", "2026-06-29"), ("check_result", "正常")])
            #expect(checked.status == .seeOther, "\(checked.text)")
            let oneWorker = try await app.submit("\(location)/steps", [("action", "investigate"), ("version", try await version()), ("investigator1", "王芳"),
                                                                        ("investigator2", ""), ("visit_date", "2026-06-29"), ("note", "困难属实")])
            #expect(oneWorker.status == .unprocessableEntity && oneWorker.text.contains("两名工作人员"))
            _ = try await app.submit("\(location)/steps", [("action", "investigate"), ("version", try await version()), ("investigator1", "王芳"),
                                                            ("investigator2", "李强"), ("visit_date", "2026-06-29"), ("note", "困难属实")])
            // The street reviews and publishes; the worker's page offers neither.
            #expect(!(try await app.page(location)).text.contains("value=\"review\""))
            _ = try await app.submit("\(location)/steps", [("action", "review"), ("version", try await version()), ("note", "同意")], as: .street)
            let published = try await app.submit("\(location)/steps", [("action", "publish"), ("version", try await version()), ("notice_from", "2026-06-30"),
                                                                        ("notice_to", "2026-07-06")], as: .street)
            #expect(published.status == .seeOther, "\(published.text)")

            // The portal, without signing in.
            let list = try await app.page("/notices", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("/notices/321271002001"))
            let notice = try await app.page("/notices/321271002001", as: .anonymous)
            #expect(notice.status == .ok && notice.text.contains("最低生活保障") && notice.text.contains("提出异议"))
            let name = try #require(try await app.sql().raw("SELECT name FROM residents WHERE id = \(bind: household.members[0])").first()?
                .decode(column: "name", as: String.self))
            #expect(notice.text.contains(Masking.name(name)) && !notice.text.contains(name))
            #expect(try await app.page("/notices/321271003001", as: .anonymous).text.contains("目前没有公示中的救助申请"))

            // The facts page is audited.
            let facts = try await app.page("\(location)/facts", as: .street)
            #expect(facts.status == .ok && facts.text.contains("工资性收入 600元/月"))
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.view_facts'") == 1)
            #expect(try await app.page("\(location)/facts", as: .grid).status == .forbidden)

            // Standards: the district edits; a street officer reads.
            let standards = try await app.page("/console/assistance/standards", as: .street)
            #expect(standards.status == .ok && standards.text.contains("900") && !standards.text.contains("action=\"/console/assistance/standards\""))
            let bad = try await app.submit("/console/assistance/standards", [("year", "2026"), ("area", "urban"), ("dibao", "900"), ("tekun", "800"),
                                                                              ("disability_living", "100"), ("disability_care", "120"), ("floor", "50"),
                                                                              ("temporary_cap", "5000"), ("medical_percent", "70")], as: .district)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("特困供养标准不应低于低保标准"))
            #expect(try await app.page("/console/assistance", as: .otherWorker).text.contains("没有符合条件的救助案件"))
            #expect(try await app.page("/console/assistance/\(id)", as: .otherWorker).status == .notFound)
            let home = try await app.page("/console", as: .street)
            #expect(home.text.contains("公示中") && home.text.contains("/console/assistance?stage=noticed"))
        }
    }

    @Test("我家的救助: a resident's account linked by the community sees the household's case, and nothing before")
    func mine() async throws {
        try await withTestApp(residents: 600) { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let c = try (try await app.applyDibao(household, wages: 100)).decode(AssistanceCaseAnswer.self)
            let before = try await app.page("/my/assistance", as: .resident)
            #expect(before.status == .ok && before.text.contains("尚未与人口登记关联") && !before.text.contains(c.number))
            let unknown = try await app.submit("/console/assistance/\(c.id)/link", [("resident_id", household.members[1].uuidString), ("username", "worker")])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("没有这个居民账号"))
            let linked = try await app.submit("/console/assistance/\(c.id)/link", [("resident_id", household.members[1].uuidString), ("username", "resident")])
            #expect(linked.status == .seeOther, "\(linked.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.link_account'") == 1)
            let after = try await app.page("/my/assistance", as: .resident)
            #expect(after.status == .ok && after.text.contains(c.number) && after.text.contains("办理中"))
            let api = try await app.call(.GET, "/api/v1/assistance/mine", as: .resident)
            #expect(api.status == .ok)
            #expect(try api.decode([AssistanceCaseAnswer].self).map(\.id) == [c.id])
            // The worker of another community cannot link to this case.
            let outside = try await app.submit("/console/assistance/\(c.id)/link", [("resident_id", household.members[1].uuidString), ("username", "resident")],
                                               as: .otherWorker)
            #expect(outside.status == .notFound)
        }
    }
}
