import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("居家养老: the console's pages", .serialized)
struct CarePagesTests {
    @Test("the console: an under-60 resident's care file is reached from the profile and offers the plan with the reason")
    func under60Pages() async throws {
        try await withTestApp(residents: 600) { app in
            let young = try await app.newPerson(born: "1985-03-03", sequence: 671)
            #expect(try await app.page("/console/residents/\(young)").text.contains("href=\"/console/care/\(young)\""))
            let file = try await app.page("/console/care/\(young)")
            #expect(file.status == .ok && file.text.contains("未满60周岁") && file.text.contains("name=\"under_60_reason\""))
            #expect(!file.text.contains("action=\"/console/care/\(young)/assessments\"") && !file.text.contains("action=\"/console/care/\(young)/calls\""))
            let form: [(String, String)] = [("svc_meals", "on"), ("freq_meals", "daily"), ("kind_meals", "facility"), ("name_meals", "社区助餐点"),
                                            ("starts_on", "2026-06-01"), ("ends_on", "")]
            let refused = try await app.submit("/console/care/\(young)/plan", form + [("under_60_reason", "")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("纳入居家养老须填写未满60周岁纳入原因"))
            #expect(try await app.rowCount("care_plans") == 0)
            let saved = try await app.submit("/console/care/\(young)/plan", form + [("under_60_reason", "特殊困难：独自照料重病家属")])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let after = try await app.page("/console/care/\(young)")
            #expect(after.text.contains("未满60周岁纳入原因：特殊困难：独自照料重病家属") && after.text.contains("action=\"/console/care/\(young)/assessments\""))
            #expect(!after.text.contains(" style=\"") && !after.text.contains("<script"))
            // Someone outside the area is still not found.
            #expect(try await app.page("/console/care/\(young)", as: .otherWorker).status == .notFound)
        }
    }

    @Test("the console pages: roll, file with the assessment form (CSRF), calls, facilities; the home page's care tiles")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let web = WebSessionTests()
            let login = try await web.get(app, "/login")
            let pre = try #require(web.setCookies(login)[WebSession.preLoginCSRFCookie]).value
            let ok = try await web.post(app, "/login", form: ["username": "worker", "password": TestUser.password,
                                                              "csrf": try #require(inputValue(login.text, "csrf"))],
                                        cookies: [WebSession.preLoginCSRFCookie: pre])
            let cookies = [WebSession.cookieName: try #require(web.setCookies(ok)[WebSession.cookieName]).value]
            let home = try await web.get(app, "/console", cookies: cookies)
            #expect(home.text.contains("漏访的独居老人") && home.text.contains("/console/care"))
            let roll = try await web.get(app, "/console/care?level=unassessed", cookies: cookies)
            #expect(roll.status == .ok && roll.text.contains("居家养老名册") && !roll.text.contains("<script"))
            let elder = try await app.call(.GET, "/api/v1/care/elders?per_page=1").json["items"][0]
            let id = try #require(elder["id"].string)
            let name = try #require(elder["name"].string)
            #expect(roll.text.contains(HTML.escape(name)))
            let file = try await web.get(app, "/console/care/\(id)", cookies: cookies)
            #expect(file.status == .ok && file.text.contains("登记评估") && file.text.contains("name=\"s_transfer\""))
            let csrf = try #require(file.text.firstMatch(of: #/name="csrf" value="([^"]+)"/#)).output.1
            var form = Dictionary(uniqueKeysWithValues: BarthelItem.allCases.map { ("s_" + $0.rawValue, String($0.maximum)) })
            form["assessed_on"] = "2026-06-30"
            // Without the token nothing is written.
            #expect(try await web.post(app, "/console/care/\(id)/assessments", form: form, cookies: cookies).status == .forbidden)
            #expect(try await app.rowCount("care_assessments") == 0)
            form["csrf"] = String(csrf)
            let saved = try await web.post(app, "/console/care/\(id)/assessments", form: form, cookies: cookies)
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/console/care/\(id)")
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(id)").json["elder"]["score"].int == 100)
            form["s_bathing"] = "10"
            let refused = try await web.post(app, "/console/care/\(id)/assessments", form: form, cookies: cookies)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("洗澡"))
            let call = try await web.post(app, "/console/care/\(id)/calls", form: ["csrf": String(csrf), "note": "按了呼叫器"], cookies: cookies)
            #expect(call.status == .seeOther)
            let calls = try await web.get(app, "/console/care/calls", cookies: cookies)
            #expect(calls.status == .ok && calls.text.contains("已接警") && calls.text.contains("派单"))
            let callID = try #require(try await app.call(.GET, "/api/v1/care/calls").json["items"][0]["id"].string)
            let assign = try await web.post(app, "/console/care/calls/\(callID)", form: [
                "csrf": String(csrf), "action": "assign", "assigned_to": "网格员李梅", "version": "1", "back": "/console/care/calls",
            ], cookies: cookies)
            #expect(assign.status == .seeOther && assign.headers.first(name: .location) == "/console/care/calls")
            #expect(try await app.call(.GET, "/api/v1/care/calls").json["items"][0]["assigned_to"].string == "网格员李梅")
            // The plan form: the services ticked, with frequency and provider; then a visit from the record form.
            let plan = try await web.post(app, "/console/care/\(id)/plan", form: [
                "csrf": String(csrf), "svc_meals": "on", "freq_meals": "daily", "kind_meals": "facility", "name_meals": "社区助餐点",
                "svc_visit": "on", "freq_visit": "weekly", "kind_visit": "worker", "name_visit": "网格员李梅", "svc_bathing": "",
                "freq_bathing": "weekly", "kind_bathing": "facility", "name_bathing": "", "starts_on": "2026-06-01", "ends_on": "",
            ], cookies: cookies)
            #expect(plan.status == .seeOther, "\(plan.text)")
            let planned = try await app.call(.GET, "/api/v1/care/elders/\(id)").json["plan"]
            #expect(planned["services"].array.map { $0["service"].string } == ["meals", "visit"] && planned["version"].int == 1)
            let stale = try await web.post(app, "/console/care/\(id)/plan", form: [
                "csrf": String(csrf), "svc_meals": "on", "freq_meals": "weekly", "kind_meals": "facility", "name_meals": "社区助餐点",
                "svc_visit": "on", "freq_visit": "daily", "kind_visit": "worker", "name_visit": "网格员李梅", "starts_on": "2026-06-01", "version": "7",
            ], cookies: cookies)
            #expect(stale.status == .conflict && stale.text.contains("操作冲突"))
            let record = try await web.post(app, "/console/care/\(id)/records", form: [
                "csrf": String(csrf), "service": "visit", "provided_at": "2026-06-29T09:30", "duration_minutes": "25",
                "provider_kind": "worker", "provider_name": "网格员李梅", "feedback": "一切都好", "satisfaction": "5",
            ], cookies: cookies)
            #expect(record.status == .seeOther, "\(record.text)")
            let visited = try await app.call(.GET, "/api/v1/care/elders/\(id)").json
            #expect(visited["elder"]["last_visit_on"].string == "2026-06-29" && visited["records"][0]["feedback"].string == "一切都好")
            let badRecord = try await web.post(app, "/console/care/\(id)/records", form: [
                "csrf": String(csrf), "service": "visit", "provided_at": "", "duration_minutes": "0", "provider_kind": "worker", "provider_name": "x",
            ], cookies: cookies)
            #expect(badRecord.status == .unprocessableEntity && badRecord.text.contains("服务时长应为1至1440分钟"))
            let facilities = try await web.get(app, "/console/care/facilities", cookies: cookies)
            #expect(facilities.status == .ok && facilities.text.contains("未达标") && !facilities.text.contains("method=\"post\" action=\"/console/care/facilities\""))
            let aid = try #require(try await app.call(.GET, "/api/v1/care/elders/\(id)").json["assessments"][0]["id"].string)
            let full = try await web.get(app, "/console/care/assessments/\(aid)", cookies: cookies)
            #expect(full.status == .ok && full.text.contains("床椅转移"))
            #expect(try await app.call(.GET, "/api/v1/audit?action=care.view_assessment", as: .auditor).json["total"].int == 1)
            #expect(try await web.get(app, "/console/care/\(UUID())", cookies: cookies).status == .notFound)
        }
    }

    @Test("care pages keep to the console's policy: no inline style or script, the navigation shows 居家养老 to those who may read it")
    func pagePolicy() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try #require(try await app.call(.GET, "/api/v1/care/elders?per_page=1").json["items"][0]["id"].string)
            for path in ["/console/care", "/console/care?flag=living_alone&due=true", "/console/care/\(id)", "/console/care/calls", "/console/care/facilities"] {
                let r = try await app.page(path)
                #expect(r.status == .ok, "\(path)")
                #expect(!r.text.contains("<style") && !r.text.contains(" style=\"") && !r.text.contains("<script"), "\(path)")
                #expect(r.text.contains("href=\"/console/care\""), "\(path)")
            }
            #expect(try await app.page("/console/care", as: .dept).status == .forbidden)
            let deptHome = try await app.page("/console", as: .dept)
            #expect(deptHome.status == .ok && !deptHome.text.contains("href=\"/console/care\""))
            #expect(try await app.page("/console/care/facilities", as: .street).text.contains("登记设施"))
            // Officers narrow the roll to a community of their area; another street's is not found.
            let street = try await app.page("/console/care?division=321271002001", as: .street)
            #expect(street.status == .ok && street.text.contains("name=\"division\""))
            let total = try await app.rollTotal()
            #expect(street.visibleText.contains("共 \(total) 条"))
            #expect(try await app.page("/console/care?division=321271003001", as: .street).status == .notFound)
        }
    }
}
