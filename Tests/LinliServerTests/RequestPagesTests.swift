import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// A browser for the web pages: the session of a test user as its cookie, forms posted with it.
final class WebClient {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application, as user: TestUser?) {
        self.app = app
        if let user, let token = app.test.tokens[user] { cookies[WebSession.cookieName] = token }
    }

    /// The console's CSRF token of this session.
    var csrf: String {
        WebSession.csrfToken(sessionTokenHash: Sessions.hash(cookies[WebSession.cookieName] ?? ""), key: app.linli.csrfKey)
    }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    func keepCookies(_ r: APIResponse) {
        for line in r.headers[.setCookie] {
            let pair = line.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
    }

    func get(_ path: String) async throws -> APIResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let r = try await app.testing().sendRequest(.GET, path, headers: headers)
        let response = APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
        keepCookies(response)
        return response
    }

    func post(_ path: String, form: [(String, String)]) async throws -> APIResponse {
        let body = try formBody(form)
        return try await send(path, body: Data(body.utf8), type: "application/x-www-form-urlencoded")
    }

    func send(_ path: String, body: Data, type: String) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: type)
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
        let r = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }
}

/// The `value` of the hidden field or input named `name` in a page (the first one).
func inputValue(_ html: String, _ name: String) -> String? {
    guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

/// Where a request reported by address alone was placed.
fileprivate struct PlacedRequest: Decodable {
    var buildingId: String?
    var areaCode: String
    var holderCode: String
    var level: String
}

@Suite("Web pages for requests and the residents' portal", .serialized)
struct RequestPagesTests {
    /// The actions offered on a request's page (its forms' hidden `action` fields).
    func offered(_ html: String) -> [String] {
        html.components(separatedBy: "name=\"action\" value=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    func status(_ app: Application, _ id: String) async throws -> JSONValue {
        try await app.call(.GET, "/api/v1/requests/\(id)", as: .district).json
    }

    @Test("the queue is scoped as the API and honours its filters; descriptions are escaped")
    func queue() async throws {
        try await withTestApp(residents: 300) { app in
            let mine = try await app.submitRequest(description: "<script>alert('x')</script>门口垃圾")
            let theirsBuilding = try #require(try await app.call(.GET, "/api/v1/buildings?per_page=1", as: .otherWorker).json["items"][0]["id"].string)
            let theirs = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0302", "description": "楼道灯坏了",
                                                                               "building_id": theirsBuilding], as: .anonymous).json
            let web = WebClient(app, as: .worker)
            let page = try await web.get("/console/requests")
            #expect(page.status == .ok)
            let link = "/console/requests/\(try #require(mine["id"].string).lowercased())"
            let theirsID = try #require(theirs["id"].string, "\(theirs.raw ?? "no answer")").lowercased()
            #expect(page.text.contains(link))
            // The status tabs are links, not the debug form of an SQL fragment.
            #expect(page.text.contains(#"<a href="/console/requests?status=reported">待受理</a>"#), "\(page.text.prefix(3000))")
            #expect(!page.text.contains("SQLRaw") && !page.text.contains("fragments:"))
            #expect(!page.text.contains(theirsID))
            #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") && !page.text.contains("<script>alert"))
            #expect(try await web.get("/console/requests?status=reported").text.contains(link))
            #expect(try await web.get("/console/requests?status=closed").text.contains(link) == false)
            #expect(try await web.get("/console/requests?category=SJ01").text.contains(link))
            #expect(try await web.get("/console/requests?category=BJ01").text.contains(link) == false)
            #expect(try await web.get("/console/requests?card=red").text.contains(link) == false)
            #expect(try await web.get("/console/requests?level=street").text.contains(link) == false)
            #expect(try await web.get("/console/requests?status=nonsense").status == .badRequest)
            let other = WebClient(app, as: .otherWorker)
            let otherPage = try await other.get("/console/requests")
            #expect(otherPage.text.contains(theirsID) && !otherPage.text.contains(link))
            // Filters stay in the pager's and tabs' links.
            #expect(try await web.get("/console/requests?card=yellow").text.contains("status=reported&amp;card=yellow"))
            // Not signed in: the sign-in page.
            let anonymous = WebClient(app, as: nil)
            #expect(try await anonymous.get("/console/requests").status == .seeOther)
        }
    }

    @Test("the request's page offers only the actions the user may take; another community gets a 404 page")
    func actionsByParty() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try #require(try await app.submitRequest()["id"].string)
            let path = "/console/requests/\(id.lowercased())"
            let worker = WebClient(app, as: .worker)
            let page = try await worker.get(path)
            #expect(page.status == .ok)
            #expect(offered(page.text) == ["accept", "refuse", "dispatch", "escalate"])
            #expect(page.text.contains(">受理</button>") && page.text.contains(">派遣</button>") && !page.text.contains(">办结</button>"))
            #expect(page.text.contains("查看联系方式") && page.text.contains("139****5678") && !page.text.contains("13912345678"))
            let street = WebClient(app, as: .street)
            let streetPage = try await street.get(path)
            #expect(streetPage.status == .ok && offered(streetPage.text).isEmpty)
            let other = WebClient(app, as: .otherWorker)
            let hidden = try await other.get(path)
            #expect(hidden.status == .notFound && hidden.text.contains("未找到") && !hidden.text.contains("垃圾"))
            let dept = WebClient(app, as: .dept)
            #expect(try await dept.get(path).status == .notFound)

            // The full contact: a POST, audited.
            let contact = try await worker.post(path + "/contact", form: [("csrf", worker.csrf)])
            #expect(contact.status == .ok && contact.text.contains("13912345678"))
            let audit = try await app.call(.GET, "/api/v1/audit?action=request.contact_view&per_page=10", as: .auditor).json["items"].array
            #expect(!audit.isEmpty)
            #expect(try await worker.post(path + "/contact", form: []).status == .forbidden)
        }
    }

    @Test("acting through the forms moves the request to the end; stale version 409, missing reason 422, missing CSRF 403")
    func actThroughForms() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try #require(try await app.submitRequest()["id"].string)
            let path = "/console/requests/\(id.lowercased())"
            let worker = WebClient(app, as: .worker)
            _ = try await worker.get(path)

            let noCSRF = try await worker.post(path + "/actions", form: [("action", "accept"), ("version", "1")])
            #expect(noCSRF.status == .forbidden && noCSRF.text.contains("CSRF"))
            #expect(try await status(app, id)["status"].string == "reported")

            let accepted = try await worker.post(path + "/actions", form: [("csrf", worker.csrf), ("action", "accept"), ("version", "1")])
            #expect(accepted.status == .seeOther, "\(accepted.text)")
            #expect(accepted.headers.first(name: .location) == path + "?done=accept")
            #expect(try await status(app, id)["status"].string == "accepted")
            #expect(try await worker.get(path + "?done=accept").text.contains("已完成：受理"))

            let stale = try await worker.post(path + "/actions", form: [("csrf", worker.csrf), ("action", "dispatch"), ("version", "1"),
                                                                        ("handler", "dept:CG")])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("该记录已被他人修改") && stale.text.contains("name=\"version\" value=\"2\""))
            let noReason = try await worker.post(path + "/actions", form: [("csrf", worker.csrf), ("action", "refuse"), ("version", "2"),
                                                                           ("note", "  ")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("id=\"f-refuse-note-err\" class=\"field-error\">请填写不予受理的理由"))
            #expect(try await status(app, id)["status"].string == "accepted")

            let dispatched = try await worker.post(path + "/actions", form: [("csrf", worker.csrf), ("action", "dispatch"), ("version", "2"),
                                                                             ("handler", "dept:CG"), ("note", "<b>请清运</b>")])
            #expect(dispatched.status == .seeOther)
            #expect(try await status(app, id)["handler"].string == "dept:CG")
            let shown = try await worker.get(path).text
            #expect(shown.contains("&lt;b&gt;请清运&lt;/b&gt;") && shown.contains("区城市管理局"))
            #expect(offered(shown) == ["escalate"])   // the holder may still hand it up

            let dept = WebClient(app, as: .dept)
            #expect(offered(try await dept.get(path).text) == ["start", "resolve", "return"])
            let start = try await dept.post(path + "/actions", form: [("csrf", dept.csrf), ("action", "start"), ("version", "3")])
            #expect(start.status == .seeOther)
            // A file that is not an image is refused next to the photo field, and nothing moves.
            let (fake, fakeType) = multipart([("csrf", dept.csrf), ("action", "resolve"), ("version", "4")],
                                             files: [("photos[]", "note.png", "image/png", Array("not an image".utf8))])
            let refused = try await dept.send(path + "/actions", body: fake, type: fakeType)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("id=\"f-resolve-photos-err\""))
            #expect(try await status(app, id)["status"].string == "in_progress")
            // Resolve with a photo, as the browser sends it (multipart, an empty second file input part included).
            let (body, type) = multipart([("csrf", dept.csrf), ("action", "resolve"), ("version", "4"), ("note", "已清运完毕")],
                                         files: [("photos[]", "after.png", "image/png", pngBytes), ("photos[]", "", "application/octet-stream", [])])
            let resolved = try await dept.send(path + "/actions", body: body, type: type)
            #expect(resolved.status == .seeOther, "\(resolved.text)")
            let page = try await worker.get(path).text
            let photo = page.components(separatedBy: "<img src=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) }
            #expect(photo?.hasPrefix(path + "/photos/") == true)
            let image = try await worker.get(photo ?? "")
            #expect(image.status == .ok && Array(image.body) == pngBytes)
            let other = WebClient(app, as: .otherWorker)
            #expect(try await other.get(photo ?? "").status == .notFound)

            let grid = WebClient(app, as: .grid)
            #expect(offered(try await grid.get(path).text) == ["verify"])
            #expect(try await grid.post(path + "/actions", form: [("csrf", grid.csrf), ("action", "verify"), ("version", "5")]).status == .seeOther)
            #expect(offered(try await worker.get(path).text) == ["close"])
            #expect(try await worker.post(path + "/actions", form: [("csrf", worker.csrf), ("action", "close"), ("version", "6")]).status == .seeOther)
            let closed = try await status(app, id)
            #expect(closed["status"].string == "closed")
            #expect(closed["steps"].array.map { $0["action"].string } == ["report", "accept", "dispatch", "start", "resolve", "verify", "close"])
        }
    }

    @Test("the supervision board: street officers see it, grid workers get a 403 page")
    func board() async throws {
        try await withTestApp(residents: 300, adjust: RequestsAPITests.longSessions) { app in
            let id = try #require(try await app.submitRequest(category: "SJ0301")["id"].string)   // 12 hours
            app.test.clock.advance(13 * 3600)
            let street = WebClient(app, as: .street)
            let page = try await street.get("/console/requests/board")
            #expect(page.status == .ok)
            #expect(page.text.contains("督办") && page.text.contains("/console/requests/\(id.lowercased())") && page.text.contains("badge red"))
            #expect(page.text.contains("<span>红牌（已超时）</span><b>1</b>"))
            let grid = WebClient(app, as: .grid)
            let refused = try await grid.get("/console/requests/board")
            #expect(refused.status == .forbidden && refused.text.contains("无权"))
        }
    }

    @Test("the portal: report, see the number and code, track with the code only, rate after closing")
    func portal() async throws {
        try await withTestApp(residents: 300) { app in
            let visitor = WebClient(app, as: nil)
            let home = try await visitor.get("/")
            #expect(home.status == .ok && home.text.contains("反映问题") && home.text.contains("查询办理进度"))
            let csrf = try #require(inputValue(home.text, "csrf"))
            // The cookie holds the nonce the token is made from, never the token itself.
            let nonce = try #require(visitor.cookies[PortalPages.csrfCookie])
            #expect(nonce != csrf && PreSessionCSRF.token(nonce: nonce, purpose: "portal", key: app.linli.csrfKey) == csrf)
            let building = try #require(try await app.buildingInWorkersGrid()["id"].string)
            let community = "321271002001"
            let listed = try await visitor.get("/?community=\(community)")
            #expect(listed.text.contains("value=\"\(building.lowercased())\""))

            let before = try await app.rowCount("requests")
            let forged = try await visitor.post("/report", form: [("category_code", "SJ0101"), ("description", "无令牌"), ("building_id", building)])
            #expect(forged.status == .forbidden)
            #expect(try await app.rowCount("requests") == before)
            let invalid = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", ""), ("description", "<i>楼下</i>")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.text.contains("id=\"f-category_code-err\"") && invalid.text.contains("&lt;i&gt;楼下&lt;/i&gt;"))

            // A category that asks for more: the field is on the form, and its message comes back next to it.
            #expect(home.text.contains("name=\"attribute[noise_time]\""))
            let noise = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", "SJ0104"), ("description", "夜里施工"),
                                                                 ("building_id", building)])
            #expect(noise.status == .unprocessableEntity && noise.text.contains("id=\"f-attribute[noise_time]-err\""))
            let noisy = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", "SJ0104"), ("description", "夜里施工"),
                                                                 ("building_id", building), ("attribute[noise_time]", "night"), ("attribute[parties]", "")])
            #expect(noisy.status == .created, "\(noisy.text)")
            #expect(try await app.call(.GET, "/api/v1/requests?per_page=1").json["items"][0]["attributes"]["noise_time"].string == "night")
            let sent = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", "SJ0101"), ("description", "<script>x</script>垃圾"),
                                                                ("building_id", building), ("name", "张三"), ("phone", "13912345678")])
            #expect(sent.status == .created, "\(sent.text)")
            #expect(sent.text.contains("请记下编号和查询码"))
            let number = try #require(sent.text.components(separatedBy: "id=\"request-number\">").dropFirst().first?.prefix { $0 != "<" })
            let code = try #require(sent.text.components(separatedBy: "id=\"access-code\">").dropFirst().first?.prefix { $0 != "<" })
            #expect(code.count == 8)

            let wrong = try await visitor.post("/track", form: [("csrf", csrf), ("number", String(number)), ("access_code", "WRONGCOD")])
            #expect(wrong.status == .notFound && wrong.text.contains("请核对编号和查询码") && !wrong.text.contains("垃圾"))
            let tracked = try await visitor.post("/track", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code))])
            #expect(tracked.status == .ok && tracked.text.contains("已上报") && !tracked.text.contains("提交评价"))
            #expect(!tracked.text.contains("张三") && !tracked.text.contains("139"))

            // Handled to the end by the staff (the API), then rated on the portal.
            let id = try #require(try await app.call(.GET, "/api/v1/requests?per_page=1&category=SJ0101").json["items"][0]["id"].string)
            for (action, user, extra) in [("accept", TestUser.worker, [String: Any]()), ("dispatch", .worker, ["handler": "321271002001"]),
                                          ("resolve", .worker, ["reply": "已处理"]), ("verify", .grid, [:]), ("close", .worker, [:])] {
                let v = try #require(try await status(app, id)["version"].int)
                #expect(try await app.act(id, action, version: v, as: user, extra: extra).status == .ok)
            }
            let done = try await visitor.post("/track", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code))])
            #expect(done.text.contains("已结案") && done.text.contains("提交评价") && done.text.contains("重新办理"))
            // Who handled it stays unsaid; the page's own part (the header links to the workers' list) is what is read.
            let trackedMain = try #require(done.text.components(separatedBy: "<main").dropFirst().first)
            #expect(done.status == .ok && trackedMain.contains("已处理") && !trackedMain.contains("社区工作者") && !trackedMain.contains("worker"))
            let noRating = try await visitor.post("/track/rating", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code))])
            #expect(noRating.status == .unprocessableEntity && noRating.text.contains("请选择1至5分"))
            let badCode = try await visitor.post("/track/rating", form: [("csrf", csrf), ("number", String(number)), ("access_code", "AAAAAAAA"),
                                                                         ("rating", "1")])
            #expect(badCode.status == .notFound)
            let rated = try await visitor.post("/track/rating", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code)),
                                                                       ("rating", "5"), ("comment", "很快")])
            #expect(rated.status == .ok && rated.text.contains("感谢您的评价") && !rated.text.contains("提交评价"))
            #expect(try await status(app, id)["rating"].int == 5)
            let again = try await visitor.post("/track/rating", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code)),
                                                                       ("rating", "1")])
            #expect(again.status == .conflict && again.text.contains("该事项已评价"))

            // Reopening needs a reason, then goes back to the community.
            let noReason = try await visitor.post("/track/reopen", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code))])
            #expect(noReason.status == .unprocessableEntity)
            let reopened = try await visitor.post("/track/reopen", form: [("csrf", csrf), ("number", String(number)), ("access_code", String(code)),
                                                                          ("note", "垃圾又堆起来了")])
            #expect(reopened.status == .ok && reopened.text.contains("已重新提交办理"))
            #expect(try await status(app, id)["status"].string == "accepted")
        }
    }

    @Test("the portal by typed address, no building chosen: placed in the building it names as the API does, or held by the district")
    func portalAddress() async throws {
        try await withTestApp(residents: 300) { app in
            let visitor = WebClient(app, as: nil)
            let csrf = try #require(inputValue(try await visitor.get("/").text, "csrf"))
            let b = try await app.buildingInWorkersGrid()
            let before = try await app.rowCount("requests")
            // Neither a building nor an address: refused, nothing written.
            let nowhere = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", "BJ0101"), ("description", "路面塌陷"),
                                                                   ("building_id", ""), ("address", "")])
            #expect(nowhere.status == .unprocessableEntity)
            #expect(try await app.rowCount("requests") == before)
            func reported(_ address: String, _ description: String) async throws -> JSONValue {
                let sent = try await visitor.post("/report", form: [("csrf", csrf), ("category_code", "BJ0101"), ("description", description),
                                                                    ("building_id", ""), ("address", address)])
                #expect(sent.status == .created && sent.text.contains("请记下编号和查询码"), "\(sent.text)")
                let number = try #require(sent.text.components(separatedBy: "id=\"request-number\">").dropFirst().first?.prefix { $0 != "<" })
                return try #require(try await app.call(.GET, "/api/v1/requests?per_page=100", as: .district).json["items"].array
                    .first { $0["number"].string == String(number) })
            }
            // The address names a building: the request is that building's, with the street as the API places it.
            let name = try #require(b["name"].string)
            let matched = try await reported("泰州市\(name)东侧", "路面塌陷，请尽快处理")
            #expect(matched["building_id"].string == b["id"].string && matched["level"].string == "street")
            #expect(matched["address"].string == "泰州市\(name)东侧")
            // An address that names nothing known: held by the district, as the API holds it.
            let held = try await reported("不知道在哪里", "路灯不亮").decode(PlacedRequest.self)
            #expect(held.buildingId == nil && held.areaCode == "321271000000" && held.holderCode == "321271000000")
            #expect(held.level == "district")
            #expect(try await app.rowCount("requests") == before + 2)
        }
    }

    @Test("a signed-in resident reports without a code and finds it under 我的诉求")
    func residentPortal() async throws {
        try await withTestApp(residents: 300) { app in
            let resident = WebClient(app, as: .resident)
            let home = try await resident.get("/")
            #expect(home.text.contains("我的诉求") && home.text.contains("action=\"/logout\""))
            // The report form's token goes with the portal's cookie (the first token on the page is the sign-out form's).
            let csrf = PreSessionCSRF.token(nonce: try #require(resident.cookies[PortalPages.csrfCookie]), purpose: "portal", key: app.linli.csrfKey)
            #expect(home.text.contains("name=\"csrf\" value=\"\(csrf)\""))
            let sent = try await resident.post("/report", form: [("csrf", csrf), ("category_code", "SJ0503"), ("description", "咨询养老补贴"),
                                                                 ("building_id", try #require(try await app.buildingInWorkersGrid()["id"].string))])
            #expect(sent.status == .created, "\(sent.text)")
            #expect(!sent.text.contains("access-code"))
            let number = try #require(sent.text.components(separatedBy: "id=\"request-number\">").dropFirst().first?.prefix { $0 != "<" })
            #expect(try await resident.get("/").text.contains("/track?number=\(number)"))
            let own = try await resident.get("/track?number=\(number)")
            #expect(own.status == .ok && own.text.contains("事项 \(number) 的办理进度"))
            // In the console the resident reads their own request, with no forms to act (the API would refuse them).
            let id = try #require(try await app.call(.GET, "/api/v1/requests", as: .resident).json["items"][0]["id"].string)
            for (action, extra) in [("accept", [String: Any]()), ("dispatch", ["handler": "321271002001"]), ("resolve", [:])] {
                let v = try #require(try await status(app, id)["version"].int)
                #expect(try await app.act(id, action, version: v, as: .worker, extra: extra).status == .ok)
            }
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .resident).json["actions"].strings == ["verify", "reopen"])
            let console = try await resident.get("/console/requests/\(id.lowercased())")
            #expect(console.status == .ok && console.text.contains("咨询养老补贴") && offered(console.text).isEmpty)
            // Without the resident's sign-in the number alone opens nothing.
            let visitor = WebClient(app, as: nil)
            let notMine = try await visitor.get("/track?number=\(number)")
            #expect(notMine.text.contains("name=\"access_code\"") && !notMine.text.contains("事项 \(number) 的办理进度"))
        }
    }
}
