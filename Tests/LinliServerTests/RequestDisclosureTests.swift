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
            #expect(try await app.call(.GET, "/api/v1/requests/\(sent.json["id"].string!)", as: .grid).status == .notFound)
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
