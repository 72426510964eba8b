import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// What the public side of requests gives away: staff notes, tracking codes, the server's address, figures.
@Suite("Requests: what the public and each role may learn", .serialized)
struct RequestDisclosureTests {
    static let internalNote = "物业经理不配合，内部跟进勿外传"
    static let internalNote2 = "材料费由社区先行垫付"
    static let reply = "已安排电工明天上午维修"
    static let reply2 = "楼道灯已修好，感谢您的反映"

    /// A facility request (its text is public on Open311) taken through accept, dispatch and resolve, each step
    /// with an internal note and some with a reply to the reporter.
    func handled(_ app: Application, as reporter: TestUser = .anonymous) async throws -> (id: String, number: String, code: String?) {
        let b = try await app.buildingInWorkersGrid()
        let sent = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0302", "description": "3单元楼道灯坏了",
                                                                        "building_id": try #require(b["id"].string)], as: reporter)
        try #require(sent.status == .created, "\(sent.text)")
        let id = try #require(sent.json["id"].string), number = try #require(sent.json["number"].string)
        for (i, (action, extra)) in [("accept", ["note": Self.internalNote, "reply": Self.reply]),
                                     ("dispatch", ["handler": "321271002001", "note": "请本社区处理"]),
                                     ("resolve", ["note": Self.internalNote2, "reply": Self.reply2])].enumerated() {
            let r = try await app.act(id, action, version: i + 1, as: .worker, extra: extra)
            try #require(r.status == .ok, "\(r.text)")
        }
        return (id, number, sent.json["access_code"].string)
    }

    @Test("an internal note is never public: the tracking page, the tracking API and Open311 show only the replies")
    func internalNotes() async throws {
        try await withTestApp(residents: 300) { app in
            let (id, number, code) = try await handled(app)
            let accessCode = try #require(code)
            func assertPublic(_ r: APIResponse, _ what: String) {
                #expect(r.status == .ok, "\(what): \(r.status)")
                #expect(r.text.contains(Self.reply2), "\(what) lacks the reply")
                #expect(!r.text.contains(Self.internalNote) && !r.text.contains(Self.internalNote2) && !r.text.contains("请本社区处理"),
                        "\(what) shows an internal note")
            }
            // The residents' portal.
            let visitor = WebClient(app, as: nil)
            let csrf = try #require(inputValue(try await visitor.get("/").text, "csrf"))
            let page = try await visitor.post("/track", form: [("csrf", csrf), ("number", number), ("access_code", accessCode)])
            assertPublic(page, "the tracking page")
            #expect(page.text.contains(Self.reply))
            // The tracking API.
            let tracked = try await app.call(.GET, "/api/v1/requests/track/\(number)?code=\(accessCode)", as: .anonymous)
            assertPublic(tracked, "the tracking API")
            #expect(tracked.json["steps"].array.compactMap { $0["reply"].string } == [Self.reply, Self.reply2])
            // Open311, JSON and XML: the latest reply is the status notes.
            let open311 = try await app.call(.GET, "/open311/v2/requests/\(number).json", as: .anonymous)
            assertPublic(open311, "Open311")
            #expect(open311.json[0]["status_notes"].string == Self.reply2)
            assertPublic(try await app.call(.GET, "/open311/v2/requests.xml", as: .anonymous), "the Open311 list")

            // The staff see both, each named for what it is.
            let staff = try await app.call(.GET, "/api/v1/requests/\(id)", as: .worker).json["steps"].array
            #expect(staff.compactMap { $0["note"].string } == [Self.internalNote, "请本社区处理", Self.internalNote2])
            #expect(staff.compactMap { $0["reply"].string } == [Self.reply, Self.reply2])
            let console = try await WebClient(app, as: .worker).get("/console/requests/\(id.lowercased())")
            #expect(console.status == .ok)
            #expect(console.text.contains("内部备注：</small>\(Self.internalNote)") && console.text.contains("答复群众：</small>\(Self.reply2)"))
            #expect(console.text.contains("内部备注（不公开）") && console.text.contains("答复群众（公开，群众可在查询页看到）"))
        }
    }

    @Test("a signed-in resident reading their own request (API, portal, console) sees the replies, not the staff's notes")
    func residentsOwn() async throws {
        try await withTestApp(residents: 300) { app in
            let (id, number, _) = try await handled(app, as: .resident)
            let api = try await app.call(.GET, "/api/v1/requests/\(id)", as: .resident)
            #expect(api.status == .ok)
            #expect(api.text.contains(Self.reply2) && !api.text.contains(Self.internalNote) && !api.text.contains(Self.internalNote2))
            let resident = WebClient(app, as: .resident)
            for path in ["/track?number=\(number)", "/console/requests/\(id.lowercased())"] {
                let page = try await resident.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains(Self.reply2) && !page.text.contains(Self.internalNote) && !page.text.contains(Self.internalNote2), "\(path)")
            }
        }
    }

    @Test("a reason is a note or a reply; an event's reply stays off the public Open311 list")
    func reasonsAndEvents() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try #require(try await app.submitRequest()["id"].string)   // SJ0101, an event
            let none = try await app.act(id, "refuse", version: 1, as: .worker, extra: ["note": " ", "reply": ""])
            #expect(none.status == .unprocessableEntity && none.json.errorFields == ["note"])
            let long = try await app.act(id, "accept", version: 1, as: .worker, extra: ["reply": String(repeating: "长", count: 1001)])
            #expect(long.status == .unprocessableEntity && long.json.errorFields == ["reply"])
            let refused = try await app.act(id, "refuse", version: 1, as: .worker, extra: ["reply": "请向物业公司反映"])
            #expect(refused.status == .ok, "\(refused.text)")
            let number = try #require(refused.json["number"].string)
            let open311 = try await app.call(.GET, "/open311/v2/requests/\(number).json", as: .anonymous)
            #expect(open311.status == .ok)
            #expect(open311.json[0]["status"].string == "closed" && open311.json[0]["status_notes"].isNull)
            #expect(!open311.text.contains("请向物业公司反映"))
        }
    }

    @Test("guessing access codes: 10 wrong tries per number and 30 per address an hour, then 429 even for the right code")
    func trackingLimit() async throws {
        try await withTestApp(residents: 300) { app in
            let s = try await app.submitRequest()
            let number = try #require(s["number"].string), code = try #require(s["access_code"].string)
            // An unknown number and a wrong code answer alike.
            let unknown = try await app.call(.GET, "/api/v1/requests/track/999999?code=ABCDEFGH", as: .anonymous)
            let wrong = try await app.call(.GET, "/api/v1/requests/track/\(number)?code=ABCDEFGH", as: .anonymous)
            #expect(unknown.status == .notFound && wrong.status == .notFound)
            #expect(unknown.json["detail"].string == wrong.json["detail"].string, "\(unknown.text) / \(wrong.text)")
            for _ in 0..<9 {
                #expect(try await app.call(.GET, "/api/v1/requests/track/\(number)?code=ABCDEFGH", as: .anonymous).status == .notFound)
            }
            // Ten wrong tries at this number: the right code is refused too, on every route that takes it.
            let blocked = try await app.call(.GET, "/api/v1/requests/track/\(number)?code=\(code)", as: .anonymous)
            #expect(blocked.status == .tooManyRequests && blocked.json["detail"].string?.contains("请一小时后再试") == true, "\(blocked.text)")
            #expect(try await app.call(.POST, "/api/v1/requests/track/\(number)/rating", json: ["code": code, "rating": 5],
                                       as: .anonymous).status == .tooManyRequests)
            let visitor = WebClient(app, as: nil)
            let csrf = try #require(inputValue(try await visitor.get("/").text, "csrf"))
            let page = try await visitor.post("/track", form: [("csrf", csrf), ("number", number), ("access_code", code)])
            #expect(page.status == .tooManyRequests && page.text.contains("请一小时后再试") && !page.text.contains("办理进度</h1>"))
            // An hour later the code works again.
            app.test.clock.advance(3601)
            #expect(try await app.call(.GET, "/api/v1/requests/track/\(number)?code=\(code)", as: .anonymous).status == .ok)

            // Per address: 30 wrong tries at any numbers.
            for n in 0..<29 {
                #expect(try await app.call(.GET, "/api/v1/requests/track/\(500_000 + n)?code=ABCDEFGH", as: .anonymous).status == .notFound)
            }
            let portal = try await visitor.post("/track", form: [("csrf", csrf), ("number", "600000"), ("access_code", "ABCDEFGH")])
            #expect(portal.status == .notFound)
            let refused = try await visitor.post("/track", form: [("csrf", csrf), ("number", number), ("access_code", code)])
            #expect(refused.status == .tooManyRequests && refused.text.contains("请一小时后再试"))
            #expect(try await app.call(.GET, "/api/v1/requests/track/\(number)?code=\(code)", as: .anonymous).status == .tooManyRequests)
        }
    }

    @Test("Open311 discovery names the configured address, never the request's Host header")
    func discoveryAddress() async throws {
        func discovery(_ app: Application, _ format: String) async throws -> String {
            let r = try await app.testing().sendRequest(.GET, "/open311/discovery.\(format)", headers: ["Host": "evil.example"])
            #expect(r.status == .ok)
            let text = String(buffer: r.body)
            #expect(!text.contains("evil.example"), "\(text)")
            return text
        }
        try await withTestApp(residents: 20) { app in
            let json = JSONValue(data: Data(try await discovery(app, "json").utf8))
            #expect(json["endpoints"][0]["url"].string == "http://127.0.0.1:8080/open311/v2/")
        }
        try await withTestApp(residents: 20, adjust: { $0.publicURL = "https://linli.example.gov.cn" }) { app in
            let json = JSONValue(data: Data(try await discovery(app, "json").utf8))
            #expect(json["endpoints"][0]["url"].string == "https://linli.example.gov.cn/open311/v2/")
            let xml = try XMLDocument(data: Data(try await discovery(app, "xml").utf8))
            #expect(try xml.nodes(forXPath: "/discovery/endpoints/endpoint/url").first?.stringValue == "https://linli.example.gov.cn/open311/v2/")
        }
        #expect(AppConfig.publicURL("https://linli.example.gov.cn/") == "https://linli.example.gov.cn")
        #expect(AppConfig.publicURL("http://10.0.0.5:8080") == "http://10.0.0.5:8080")
        for bad in ["linli.example.gov.cn", "ftp://x.cn", "https://x.cn/path", "https://x.cn?a=1", "https://"] {
            #expect(AppConfig.publicURL(bad) == nil, "\(bad)")
        }
    }

    @Test("a grid worker's figures count what the grid worker's list holds, not the community's requests")
    func gridFigures() async throws {
        try await withTestApp(residents: 300) { app in
            let own = try await app.submitRequest()   // in the grid worker's grid
            let community = try #require(try await app.call(.GET, "/api/v1/divisions/321271002001", as: .anonymous).json["name"].string)
            let sent = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0101", "description": "社区广场垃圾",
                                                                            "address": community], as: .anonymous)
            try #require(sent.status == .created, "\(sent.text)")
            try #require(sent.json["area_code"].string == "321271002001")
            // The grid worker cannot open the community's own request, and does not list it.
            let id = try #require(sent.json["id"].string)
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .grid).status == .notFound)
            let list = try await app.call(.GET, "/api/v1/requests", as: .grid)
            #expect(list.status == .ok && list.json["total"].int == 1 && list.json["items"][0]["id"].string == own["id"].string)
            let figures = try await app.call(.GET, "/api/v1/requests/figures", as: .grid)
            #expect(figures.status == .ok)
            #expect(figures.json["total"].int == 1 && figures.json["open"].int == 1, "\(figures.text)")
            // The console's home page shows the same.
            let home = try await WebClient(app, as: .grid).get("/console")
            #expect(home.status == .ok && home.text.contains("<span>在办事项</span><b>1</b>"))
            // The community counts both, from its tallies.
            #expect(try await app.call(.GET, "/api/v1/requests/figures", as: .worker).json["total"].int == 2)
            try await app.figuresMatchRecount(as: .grid)
        }
    }
}
