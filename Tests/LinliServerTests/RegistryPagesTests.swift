import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("Console: home, registry pages, password", .serialized)
struct RegistryPagesTests {
    /// Creates 张三丰 through the API in the worker's first household and returns its id and ID number.
    func zhangSanfeng(_ app: Application) async throws -> (id: String, idNumber: String, household: String) {
        let h = try await app.anyHousehold()
        let id = newID("1962-03-08", sequence: 531)
        let r = try await app.call(.POST, "/api/v1/residents", json: ["name": "张三丰", "id_number": id, "phone": "13912345678",
                                                                      "household_id": h.id, "relation": "other"])
        #expect(r.status == .created)
        return (try #require(r.json["id"].string, "\(r.text)"), id, h.id)
    }

    @Test("signed out, a console page sends to sign-in and back; each role's home shows its own work")
    func homePages() async throws {
        try await withTestApp(residents: 300) { app in
            let out = try await app.page("/console/residents?q=zs", as: .anonymous)
            #expect(out.status == .seeOther)
            #expect(out.location == "/login?next=/console/residents?q%3Dzs")
            let login = try await app.page("/login?next=%2Fconsole%2Fresidents", as: .anonymous)
            #expect(login.text.contains("name=\"next\" value=\"/console/residents\""))
            // Only a path of this site is followed after sign-in.
            #expect(WebPages.safeNext("//evil.example/x") == "/console")
            #expect(WebPages.safeNext("https://evil.example/") == "/console")

            _ = try await app.submitRequest()
            let waiting = try #require(try await app.call(.GET, "/api/v1/requests?status=reported", as: .worker).json["total"].int)
            #expect(waiting > 0)
            let home = try await app.page("/console")
            #expect(home.status == .ok)
            #expect(home.visibleText.contains("今日待办 待受理 \(waiting) "))
            let residents = try #require(try await app.call(.GET, "/api/v1/residents?per_page=1").json["total"].int)
            #expect(home.visibleText.contains("辖区概况 居民 \(residents) "))
            #expect(home.text.contains("href=\"/console/residents/new\""))
            // The street officer has no registry writes: no such link; the board is in the navigation.
            let street = try await app.page("/console", as: .street)
            #expect(!street.text.contains("/console/residents/new") && street.text.contains("href=\"/console/requests/board\""))
            // A department's work starts at dispatch: its own tiles, counted in its own scope.
            let dept = try await app.page("/console", as: .dept)
            let dispatched = try #require(try await app.call(.GET, "/api/v1/requests?status=dispatched", as: .dept).json["total"].int)
            #expect(dept.visibleText.contains("今日待办 待处置 \(dispatched) ") && !dept.text.contains("待受理"))
            // An administrator has no requests or registry: no to-do tiles.
            let admin = try await app.page("/console", as: .sysadmin)
            #expect(admin.status == .ok && !admin.text.contains("今日待办") && !admin.text.contains("/console/residents\""))
            let denied = try await app.page("/console/residents", as: .sysadmin)
            #expect(denied.status == .forbidden && denied.visibleText.contains("无权"))
            #expect(denied.headers.contentType == .html)
        }
    }

    @Test("one search box: pinyin initials, full pinyin, name and ID number find the person; lists are masked")
    func search() async throws {
        try await withTestApp(residents: 300) { app in
            let p = try await zhangSanfeng(app)
            for q in ["zsf", "zhangsanfeng", "张三丰", p.idNumber] {
                let r = try await app.page("/console/residents?q=\(try urlEncoded(q))")
                #expect(r.status == .ok)
                #expect(r.text.contains("href=\"/console/residents/\(p.id.uppercased())\">张三丰</a>") ||
                        r.text.contains("href=\"/console/residents/\(p.id.lowercased())\">张三丰</a>"), "q=\(q)")
                // The full number appears only in the search box where it was typed (not in the title: browser history).
                #expect(r.text.components(separatedBy: p.idNumber).count - 1 == (q == p.idNumber ? 1 : 0), "q=\(q)")
            }
            let bad = try await app.page("/console/residents?q=%3C%3E")
            #expect(bad.status == .ok && !bad.text.contains("张三丰"))
            // Another community's worker does not find the person at all.
            let other = try await app.page("/console/residents?q=zsf", as: .otherWorker)
            #expect(other.status == .ok && !other.text.contains("张三丰"))
            // Paging keeps the filters: the whole district's roll has many pages.
            let list = try await app.page("/console/residents?life_status=all&tag=elderly", as: .district)
            #expect(list.status == .ok)
            #expect(list.text.contains("第 1 / "))
            #expect(list.text.contains("rel=\"next\""))
            #expect(list.text.contains("tag=elderly&amp;life_status=all&amp;page=2") || list.text.contains("life_status=all&amp;tag=elderly&amp;page=2"),
                    "\(list.text.components(separatedBy: "rel=\"next\"").first?.suffix(300) ?? "")")
        }
    }

    @Test("a profile is masked; showing the full numbers takes a POST with the form's token and is audited")
    func profileAndFullView() async throws {
        try await withTestApp(residents: 300) { app in
            let p = try await zhangSanfeng(app)
            let profile = try await app.page("/console/residents/\(p.id)")
            #expect(profile.status == .ok)
            #expect(profile.visibleText.contains("张三丰") && profile.text.contains("显示完整号码"))
            #expect(!profile.text.contains(p.idNumber) && !profile.text.contains("13912345678"))
            #expect(profile.text.contains("<nav class=\"crumbs\""))
            let audited = try await app.rowCount("audit_log")
            let forged = try await app.submit("/console/residents/\(p.id)/full", [], csrf: false)
            #expect(forged.status == .forbidden && !forged.text.contains(p.idNumber))
            let full = try await app.submit("/console/residents/\(p.id)/full", [])
            #expect(full.status == .ok)
            #expect(full.text.contains(p.idNumber) && full.text.contains("13912345678"))
            let entries = try await app.call(.GET, "/api/v1/audit?action=resident.view_full", as: .auditor).json["items"].array
            #expect(entries.contains { $0["target"].string?.lowercased() == "resident:\(p.id.lowercased())" })
            #expect(try await app.rowCount("audit_log") >= audited + 2)   // the refused form and the view
            // Someone else's resident: a page saying so, not a leak.
            let other = try await app.page("/console/residents/\(p.id)", as: .otherWorker)
            #expect(other.status == .notFound && other.visibleText.contains("未找到该居民"))
            let household = try await app.page("/console/households/\(p.household)")
            #expect(household.status == .ok && household.text.contains("张三丰"))
        }
    }

    @Test("creating with a wrong ID number shows the message at the field and writes nothing; a good form creates")
    func createForm() async throws {
        try await withTestApp(residents: 300) { app in
            let h = try await app.call(.GET, "/api/v1/households?per_page=1").json["items"][0]
            let number = try #require(h["number"].string)
            let form = try await app.page("/console/residents/new?household_number=\(number)")
            #expect(form.status == .ok && form.text.contains("value=\"\(number)\""))
            let before = try await app.rowCount("residents")
            let good = newID("1985-07-01", sequence: 402)
            let wrong = String(good.dropLast()) + (good.last == "1" ? "2" : "1")
            let refused = try await app.submit("/console/residents", [("name", "李<b>四"), ("id_number", wrong), ("household_number", number),
                                                                      ("relation", "other")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("公民身份号码校验码错误"))
            #expect(refused.text.contains("id=\"f-id_number\" name=\"id_number\" type=\"text\" value=\"\(wrong)\" required aria-invalid=\"true\""))
            #expect(refused.text.contains("李&lt;b&gt;四") && !refused.text.contains("李<b>四"))
            #expect(try await app.rowCount("residents") == before)
            let noHousehold = try await app.submit("/console/residents", [("name", "李四"), ("id_number", good), ("household_number", "无此户"),
                                                                          ("relation", "other")])
            #expect(noHousehold.status == .unprocessableEntity && noHousehold.text.contains("您的管辖范围内没有户号 无此户"))
            let created = try await app.submit("/console/residents", [("name", "李四"), ("id_number", good), ("household_number", number),
                                                                      ("relation", "other"), ("tags[]", "veteran"), ("tags[]", "living_alone")])
            #expect(created.status == .seeOther)
            #expect(try await app.rowCount("residents") == before + 1)
            let page = try await app.page(try #require(created.location))
            #expect(page.visibleText.contains("李四") && page.visibleText.contains("退役军人") && page.visibleText.contains("独居"))
        }
    }

    @Test("a birth registered through the console form (origin=birth) creates the resident with a birth event; an adult's birth is refused at the field")
    func birthForm() async throws {
        try await withTestApp(residents: 300) { app in
            let number = try #require(try await app.call(.GET, "/api/v1/households?per_page=1").json["items"][0]["number"].string)
            let form = try await app.page("/console/residents/new?household_number=\(number)")
            #expect(form.text.contains("<option value=\"birth\">出生登记</option>"))
            let before = try await app.rowCount("residents"), eventsBefore = try await app.rowCount("resident_events")
            // An adult cannot be born today: the form comes back with the message at 登记方式, nothing written.
            let adult = try await app.submit("/console/residents", [("name", "周九"), ("id_number", newID("1990-01-01", sequence: 403)),
                                                                    ("household_number", number), ("relation", "other"), ("origin", "birth")])
            #expect(adult.status == .unprocessableEntity && adult.text.contains("id=\"f-origin-err\""))
            #expect(try await app.rowCount("residents") == before)
            #expect(try await app.rowCount("resident_events") == eventsBefore)
            let baby = try await app.submit("/console/residents", [("name", "周小九"), ("id_number", newID("2026-03-02", sequence: 404)),
                                                                   ("household_number", number), ("relation", "grandchild"), ("origin", "birth"),
                                                                   ("occurred_on", ""), ("note", "泰州市人民医院出生")])
            #expect(baby.status == .seeOther, "\(baby.text)")
            let id = try #require(baby.location?.split(separator: "/").last.map(String.init))
            #expect(try await app.rowCount("residents") == before + 1)
            let events = try await app.call(.GET, "/api/v1/residents/\(id)/events").json.array
            #expect(events.count == 1 && events[0]["kind"].string == "birth" && events[0]["occurred_on"].string == "2026-03-02")
            let profile = try await app.page("/console/residents/\(id)")
            #expect(profile.visibleText.contains("出生登记 2026-03-02") && profile.visibleText.contains("泰州市人民医院出生"))
            #expect(profile.visibleText.contains("2026-03-02（0 岁）"))
        }
    }

    @Test("editing with a stale version answers 409 on the page; events record a move and a death, notes shown as text")
    func editAndEvents() async throws {
        try await withTestApp(residents: 300) { app in
            let p = try await zhangSanfeng(app)
            let edit = try await app.page("/console/residents/\(p.id)/edit")
            #expect(edit.text.contains("name=\"version\" value=\"1\""))
            let saved = try await app.submit("/console/residents/\(p.id)/edit", [("name", "张三峰"), ("relation", "other"), ("version", "1")])
            #expect(saved.status == .seeOther)
            #expect(try await app.call(.GET, "/api/v1/residents/\(p.id)").json["name"].string == "张三峰")
            let stale = try await app.submit("/console/residents/\(p.id)/edit", [("name", "张三"), ("relation", "other"), ("version", "1")])
            #expect(stale.status == .conflict && stale.text.contains("已被他人修改"))
            #expect(try await app.call(.GET, "/api/v1/residents/\(p.id)").json["name"].string == "张三峰")

            let target = try #require(try await app.call(.GET, "/api/v1/households?per_page=1&page=2").json["items"][0]["number"].string)
            let unknown = try await app.submit("/console/residents/\(p.id)/events", [("kind", "move"), ("occurred_on", "2024-05-01"),
                                                                                     ("household_number", "000"), ("version", "2")])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("您的管辖范围内没有户号 000"))
            let moved = try await app.submit("/console/residents/\(p.id)/events", [("kind", "move"), ("occurred_on", "2024-05-01"),
                                                                                   ("household_number", target), ("relation", "other"),
                                                                                   ("note", "<script>alert(1)</script>"), ("version", "2")])
            #expect(moved.status == .seeOther)
            let after = try await app.page("/console/residents/\(p.id)")
            #expect(after.visibleText.contains("户间迁移 2024-05-01"))
            #expect(after.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !after.text.contains("<script>alert"))
            #expect(after.text.contains(target))
            let died = try await app.submit("/console/residents/\(p.id)/events", [("kind", "death"), ("occurred_on", "2024-06-01"), ("version", "3")])
            #expect(died.status == .seeOther)
            let dead = try await app.page("/console/residents/\(p.id)")
            #expect(dead.visibleText.contains("状态 已死亡") && !dead.text.contains("记录变动</button>"))
        }
    }

    @Test("the division tree goes down to buildings and households inside the user's area only")
    func divisionTree() async throws {
        try await withTestApp(residents: 300) { app in
            let district = try await app.page("/console/divisions", as: .district)
            let streets = try await app.call(.GET, "/api/v1/divisions?depth=2", as: .district).json["children"].array.count
            #expect(district.status == .ok && streets > 0 && district.visibleText.contains("下辖镇/街道（\(streets)）"))
            let community = try await app.page("/console/divisions")
            #expect(community.text.contains("/console/divisions?code=\(TestUser.grid.scope)"))
            let grid = try await app.page("/console/divisions?code=\(TestUser.grid.scope)")
            #expect(grid.status == .ok && grid.text.contains("/console/buildings/"))
            let building = grid.text.components(separatedBy: "href=\"/console/buildings/")[1].prefix(36)
            let b = try await app.page("/console/buildings/\(building)")
            #expect(b.status == .ok && b.text.contains("/console/households/"))
            let foreign = try await app.page("/console/divisions?code=\(TestUser.otherWorker.scope)")
            #expect(foreign.status == .notFound)
            let foreignBuilding = try await app.page("/console/buildings/\(building)", as: .otherWorker)
            #expect(foreignBuilding.status == .notFound)
        }
    }

    @Test("changing the password in the console: the policy's messages at the field; success ends the session")
    func password() async throws {
        try await withTestApp(residents: 50) { app in
            let wrong = try await app.submit("/console/password", [("current_password", "nope"), ("new_password", "Another-Pass-2027")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("当前密码不正确"))
            let weak = try await app.submit("/console/password", [("current_password", TestUser.password), ("new_password", "short")])
            #expect(weak.status == .unprocessableEntity && weak.text.contains("密码至少"))
            let forged = try await app.submit("/console/password", [("current_password", TestUser.password), ("new_password", "Another-Pass-2027")],
                                              csrf: false)
            #expect(forged.status == .forbidden)
            let ok = try await app.submit("/console/password", [("current_password", TestUser.password), ("new_password", "Another-Pass-2027")])
            #expect(ok.status == .ok && ok.text.contains("name=\"username\""))
            let after = try await app.page("/console")
            #expect(after.status == .seeOther)
        }
    }

    @Test("console pages keep to the security policy: no inline style or script, the platform's own assets only, Chinese titles")
    func contentPolicy() async throws {
        try await withTestApp(residents: 300) { app in
            let p = try await zhangSanfeng(app)
            for path in ["/console", "/console/residents", "/console/residents/\(p.id)", "/console/residents/\(p.id)/edit", "/console/residents/new",
                         "/console/divisions", "/console/households/\(p.household)", "/console/indicators", "/console/import", "/console/password",
                         "/console/requests", "/console/care", "/console/care/\(p.id)", "/console/care/calls", "/console/care/facilities", "/"] {
                let r = try await app.page(path)
                #expect(r.status == .ok, "\(path)")
                let html = r.text
                #expect(html.contains("<html lang=\"zh-CN\">") && html.contains("<title>") && html.contains("name=\"viewport\""), "\(path)")
                // CSP allows style and script from the platform only: inline ones would be dropped by the browser.
                #expect(!html.contains("<style") && !html.contains(" style=\"") && !html.contains("<script"), "\(path)")
                #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "\(path)")
                #expect(html.contains("id=\"main\""), "\(path)")
            }
            let board = try await app.page("/console/requests/board", as: .street)
            #expect(board.status == .ok && !board.text.contains(" style=\"") && !board.text.contains("<script"))
            let resident = try await app.page("/console", as: .resident)
            #expect(resident.status == .seeOther && resident.location == "/")
            let css = try await app.page("/assets/console.css", as: .anonymous)
            #expect(css.status == .ok && css.text.contains("@media print") && css.text.contains("@media (max-width: 40rem)"))
        }
    }
}
