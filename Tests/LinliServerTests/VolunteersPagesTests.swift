import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("志愿者: the console's and the portal's pages", .serialized)
struct VolunteersPagesTests {
    @Test("the worker registers by ID number, confirms, publishes an activity and adds a volunteer; refusals at their fields, nothing written")
    func console() async throws {
        try await withTestApp(residents: 600) { app in
            let residents = try await app.volunteerResidents(2)
            let person = try await app.resident(residents[0])
            let list = try await app.page("/console/volunteers", as: .district)
            #expect(list.status == .ok && list.text.contains("没有符合条件的志愿者") && !list.text.contains("登记志愿者</a>"), "\(list.status)")
            let form = try await app.page("/console/volunteers/new")
            #expect(form.status == .ok && form.text.contains("name=\"skills[]\"") && form.text.contains("name=\"guardian_name\""))
            #expect(try await app.page("/console/volunteers/new", as: .district).status == .forbidden)
            let fields = [("id_number", person.idNumber), ("skills[]", "eldercare"), ("skills[]", "it"), ("service_areas[]", "elderly"),
                          ("availability[]", "weekend"), ("registered_on", "2026-06-01")]
            let noArea = try await app.submit("/console/volunteers/new", fields.filter { $0.0 != "service_areas[]" })
            #expect(noArea.status == .unprocessableEntity && noArea.text.contains("请选择至少一个服务类别") && noArea.text.contains("aria-invalid"), "\(noArea.status)")
            let stranger = try await app.submit("/console/volunteers/new", [("id_number", "110101199003074518")] + fields.dropFirst())
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("本辖区没有登记这个公民身份号码的居民"))
            #expect(try await app.submit("/console/volunteers/new", fields, csrf: false).status == .forbidden)
            #expect(try await app.rowCount("volunteers") == 0)
            let created = try await app.submit("/console/volunteers/new", fields)
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.location)
            let again = try await app.submit("/console/volunteers/new", fields)
            #expect(again.status == .conflict && again.text.contains("已登记为志愿者"))
            let file = try await app.page(location)
            #expect(file.status == .ok && file.text.contains("社区确认") && file.text.contains(Masking.name(person.name)) && !file.text.contains(person.idNumber))
            for (step, version) in [("confirm", "1"), ("sign", "2")] {
                #expect(try await app.submit("\(location)/step", [("step", step), ("version", version)]).status == .seeOther)
            }
            let signed = try await app.page(location)
            #expect(signed.text.contains("已签约") && signed.text.contains("纸质签署"))
            let home = try await app.page("/console", as: .street)
            #expect(home.status == .ok && home.text.contains("<span>注册志愿者</span><b>1</b>"), "\(home.status)")

            let bad = try await app.submit("/console/volunteers/activities", [("title", "社区环境清洁日"), ("place", "小区广场"), ("starts_at", "2026-07-01T09:00"),
                                                                            ("ends_at", "2026-07-01T08:00"), ("places", "0")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("结束时间应晚于开始时间") && bad.text.contains("名额应为1至10000"), "\(bad.status)")
            #expect(try await app.rowCount("volunteer_activities") == 0)
            let start = VolunteerActivityPages.time(app.nowSeconds + 86_400).replacingOccurrences(of: " ", with: "T")
            let end = VolunteerActivityPages.time(app.nowSeconds + 86_400 + 7200).replacingOccurrences(of: " ", with: "T")
            let published = try await app.submit("/console/volunteers/activities", [("title", "社区环境清洁日"), ("place", "小区广场"), ("starts_at", start),
                                                                                  ("ends_at", end), ("places", "1"), ("skills[]", "environment")])
            #expect(published.status == .seeOther, "\(published.text)")
            let activity = try #require(published.location)
            let page = try await app.page(activity)
            #expect(page.status == .ok && page.text.contains("id=\"activity-code\"") && page.text.contains("尚无人报名"))
            #expect(try await app.page(activity, as: .street).text.contains("activity-code") == false)
            let added = try await app.submit("\(activity)/add", [("id_number", person.idNumber)])
            #expect(added.status == .seeOther, "\(added.text)")
            let other = try await app.resident(residents[1])
            let notVolunteer = try await app.submit("\(activity)/add", [("id_number", other.idNumber)])
            #expect(notVolunteer.status == .unprocessableEntity && notVolunteer.text.contains("没有登记这个公民身份号码的志愿者"))
            let roster = try await app.page(activity)
            #expect(roster.text.contains("组织者添加") && roster.text.contains(Masking.name(person.name)))
            let performance = try await app.page("/console/volunteers/performance", as: .district)
            #expect(performance.status == .ok && performance.text.contains("<svg") && performance.text.contains("寺巷社区"), "\(performance.status)")
            let export = try await app.page("/console/volunteers/roll.xlsx")
            #expect(export.status == .ok && export.body.prefix(2) == Data("PK".utf8))
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.export'") == 1)
            #expect(try await app.page(location, as: .otherWorker).status == .notFound)
        }
    }

    @Test("teams: formed with a signed leader by ID number, a skill team needs its skill, names unique in the community, members added once")
    func teams() async throws {
        try await withTestApp(residents: 800) { app in
            let residents = try await app.volunteerResidents(3)
            for r in residents.prefix(2) { _ = try await app.signedVolunteer(r) }
            _ = try await app.registerVolunteer(residents[2])
            let leader = try await app.resident(residents[0]), member = try await app.resident(residents[1]), applied = try await app.resident(residents[2])
            let noSkill = try await app.submit("/console/volunteers/teams", [("name", "医疗护理志愿服务队"), ("kind", "skill"), ("skill", ""), ("leader_id_number", "")])
            #expect(noSkill.status == .unprocessableEntity && noSkill.text.contains("专业技能服务队请选择技能"), "\(noSkill.status)")
            let notSigned = try await app.submit("/console/volunteers/teams", [("name", "寺巷社区志愿服务队"), ("kind", "community"), ("skill", ""),
                                                                             ("leader_id_number", applied.idNumber)])
            #expect(notSigned.status == .unprocessableEntity && notSigned.text.contains("队长应为本社区已签约的志愿者"), "\(notSigned.status)")
            #expect(try await app.rowCount("volunteer_teams") == 0)
            #expect(try await app.submit("/console/volunteers/teams", [("name", "x"), ("kind", "community")], as: .street).status == .forbidden)
            let formed = try await app.submit("/console/volunteers/teams", [("name", "寺巷社区志愿服务队"), ("kind", "community"), ("skill", ""),
                                                                          ("leader_id_number", leader.idNumber)])
            #expect(formed.status == .seeOther, "\(formed.text)")
            let again = try await app.submit("/console/volunteers/teams", [("name", "寺巷社区志愿服务队"), ("kind", "community"), ("skill", ""), ("leader_id_number", "")])
            #expect(again.status == .conflict && again.text.contains("本社区已有同名的服务队"))
            let team = try #require(try await app.call(.GET, "/api/v1/volunteers/teams").json["items"][0]["id"].string)
            let added = try await app.submit("/console/volunteers/teams/\(team)/members", [("id_number", member.idNumber)])
            #expect(added.status == .seeOther, "\(added.text)")
            let twice = try await app.submit("/console/volunteers/teams/\(team)/members", [("id_number", member.idNumber)])
            #expect(twice.status == .conflict && twice.text.contains("已是本队队员"))
            let stranger = try await app.submit("/console/volunteers/teams/\(team)/members", [("id_number", "110101199003074518")])
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("aria-invalid"))
            let list = try await app.call(.GET, "/api/v1/volunteers/teams", as: .street)
            #expect(list.status == .ok && list.json["items"][0]["members"].int == 2 && list.json["total"].int == 1, "\(list.text)")
            #expect(try await app.rowCount("volunteer_team_members") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.team.member'") == 1)
            let page = try await app.page("/console/volunteers/teams", as: .district)
            #expect(page.status == .ok && page.text.contains("寺巷社区志愿服务队") && !page.text.contains("组建服务队"))
        }
    }

    @Test("the portal: a resident links, registers (a minor needs the guardian), signs; anyone checks a certificate's code")
    func portal() async throws {
        try await withTestApp(residents: 600) { app in
            let residentID = try #require(try await app.volunteerResidents(1).first)
            let person = try await app.resident(residentID)
            let first = try await app.page("/volunteer", as: .resident)
            #expect(first.status == .ok && first.text.contains("实名核验") && first.text.contains("action=\"/volunteer/link\""), "\(first.status)")
            #expect(try await app.page("/volunteer", as: .anonymous).status == .seeOther)
            let wrong = try await app.submit("/volunteer/link", [("name", "某某"), ("id_number", person.idNumber)], as: .resident)
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("姓名与公民身份号码不一致"))
            #expect(try await app.rowCount("account_residents") == 0)
            let linked = try await app.submit("/volunteer/link", [("name", person.name), ("id_number", person.idNumber)], as: .resident)
            #expect(linked.status == .ok && linked.text.contains("实名核验通过") && linked.text.contains("申请注册志愿者"), "\(linked.status)")
            let none = try await app.submit("/volunteer/register", [("availability[]", "weekend")], as: .resident)
            #expect(none.status == .unprocessableEntity && none.text.contains("请选择至少一项技能"))
            let registered = try await app.submit("/volunteer/register", [("skills[]", "it"), ("service_areas[]", "culture"), ("availability[]", "weekend")], as: .resident)
            #expect(registered.status == .ok && registered.text.contains("等待社区确认"), "\(registered.status)")
            let id = try #require(try await app.sql().raw("SELECT id FROM volunteers").first()?.decode(column: "id", as: UUID.self))
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "confirm", "version": 1]).status == .ok)
            let toSign = try await app.page("/volunteer", as: .resident)
            #expect(toSign.text.contains("同意并签订协议"))
            let signed = try await app.submit("/volunteer/sign", [("version", "2")], as: .resident)
            #expect(signed.status == .ok && signed.text.contains("可以报名参加志愿活动") && signed.text.contains("现场签到码"), "\(signed.status)")
            let badCode = try await app.submit("/volunteer/check", [("code", "QQQQQQ")], as: .resident)
            #expect(badCode.status == .unprocessableEntity && badCode.text.contains("签到码不正确"))

            let cert = try await app.call(.POST, "/api/v1/volunteers/\(id)/certificates", json: [:] as [String: Any])
            let code = try #require(cert.json["code"].string)
            let valid = try await app.page("/volunteer/certificate?code=\(code)", as: .anonymous)
            #expect(valid.status == .ok && valid.text.contains("证明有效") && valid.text.contains(Masking.name(person.name)) && !valid.text.contains(person.name + "（"))
            let invalid = try await app.page("/volunteer/certificate?code=WRONG", as: .anonymous)
            #expect(invalid.status == .notFound && invalid.text.contains("没有这个验证码的证明"))
            let printable = try await app.page("/console/volunteers/certificates/\(code)")
            #expect(printable.status == .ok && printable.text.contains("志愿服务记录证明") && printable.text.contains(person.name) && printable.text.contains(code))
            // The resident leaves on the portal: the page says so and offers no 退出 any more.
            let left = try await app.submit("/volunteer/withdraw", [("version", "3")], as: .resident)
            #expect(left.status == .ok && left.text.contains("您已退出志愿者队伍") && !left.text.contains("action=\"/volunteer/withdraw\""), "\(left.status)")
            #expect(try await app.sql().raw("SELECT state FROM volunteers").first()?.decode(column: "state", as: String.self) == "withdrawn")
        }
    }
}
