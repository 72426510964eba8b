import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A tiny valid PNG (1×1), and bytes that only claim to be one.
let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
                         8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0, 1, 0, 0, 5,
                         0, 1, 0x0D, 0x0A, 0x2D, 0xB4, 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

/// A multipart/form-data body with text fields and files.
func multipart(_ fields: [(String, String)], files: [(name: String, filename: String, type: String, bytes: [UInt8])]) -> (Data, String) {
    let boundary = "linli-test-\(UUID().uuidString)"
    var body = Data()
    for (k, v) in fields {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
    }
    for f in files {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\"; filename=\"\(f.filename)\"\r\nContent-Type: \(f.type)\r\n\r\n".utf8))
        body.append(Data(f.bytes))
        body.append(Data("\r\n".utf8))
    }
    body.append(Data("--\(boundary)--\r\n".utf8))
    return (body, "multipart/form-data; boundary=\(boundary)")
}

extension Application {
    /// A building in the test worker's first grid.
    func buildingInWorkersGrid() async throws -> JSONValue {
        try await call(.GET, "/api/v1/buildings?grid=321271002001001&per_page=1").json["items"][0]
    }

    /// Submits a request anonymously at that building; returns the response body.
    func submitRequest(category: String = "SJ0101", description: String = "小区门口垃圾堆放三天无人清运") async throws -> JSONValue {
        let b = try await buildingInWorkersGrid()
        let r = try await call(.POST, "/api/v1/requests", json: ["category_code": category, "description": description,
                                                                  "building_id": try #require(b["id"].string), "phone": "13912345678"], as: .anonymous)
        #expect(r.status == .created, "\(r.text)")
        return r.json
    }

    func act(_ id: String, _ action: String, version: Int, as user: TestUser, extra: [String: Any] = [:]) async throws -> APIResponse {
        var body: [String: Any] = ["action": action, "version": version]
        for (k, v) in extra { body[k] = v }
        return try await call(.POST, "/api/v1/requests/\(id)/actions", json: body, as: user)
    }

    var nowSeconds: Int64 { Int64(linli.now().timeIntervalSince1970) }

    func figuresMatchRecount(as user: TestUser = .district) async throws {
        let before = try await call(.GET, "/api/v1/requests/figures", as: user).json
        try await requestQueries.rebuildTallies()
        let after = try await call(.GET, "/api/v1/requests/figures", as: user).json
        let was = try #require(before.raw as? [String: Any]), now = try #require(after.raw as? [String: Any])
        #expect(NSDictionary(dictionary: was).isEqual(to: now), "tallies drifted from the requests")
    }
}

/// A request as the API answers its submission by a caller who left a phone number.
fileprivate struct SubmittedRequest: Decodable {
    var id: String
    var number: String
    var accessCode: String
    var status: String
    var level: String
    var holderCode: String
    var areaCode: String
    var contactMasked: String
}

/// The request figures of a closed and rated request.
fileprivate struct RequestFigures: Decodable {
    var total: Int
    var handled: Int
    var onTimeRate: Double?
    var meanSatisfaction: Double?
}

/// A request after its time limit passed, as far as the escalation test reads it.
fileprivate struct EscalatedRequest: Decodable {
    struct Step: Decodable { var actor: String? }
    var level: String
    var holderCode: String
    var status: String
    var escalations: Int
    var card: String?
    var actions: [String]
    var steps: [Step]
}

@Suite("Requests: the grid workflow end to end")
struct RequestsAPITests {
    /// These tests move the clock by days: sessions must outlive it.
    static let longSessions: @Sendable (inout AppConfig) -> Void = { $0.idleTimeout = 30 * 86400; $0.sessionLifetime = 30 * 86400 }

    @Test("a resident reports, the community dispatches, a department resolves with a photo, the grid verifies, the resident rates")
    func lifecycle() async throws {
        try await withTestApp(residents: 600) { app in
            let submitted = try await app.submitRequest()
            let s = try submitted.decode(SubmittedRequest.self)
            let id = s.id, number = s.number, code = s.accessCode
            #expect(code.count == 8)
            #expect(s.status == "reported" && s.level == "community")
            #expect(s.holderCode == "321271002001" && s.areaCode == "321271002001001")
            #expect(s.contactMasked == "139****5678")
            let answer = try JSONSerialization.data(withJSONObject: try #require(submitted.raw))
            #expect(!String(decoding: answer, as: UTF8.self).contains("13912345678"))

            // The community sees it in its queue with the actions it may take; the other community does not see it.
            let mine = try await app.call(.GET, "/api/v1/requests?status=reported").json
            #expect(mine["items"].array.contains { $0["id"].string == id })
            let shown = try await app.call(.GET, "/api/v1/requests/\(id)").json
            #expect(shown["actions"].strings == ["accept", "refuse", "dispatch", "escalate"])
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .dept).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .street).status == .ok)

            var r = try await app.act(id, "accept", version: 1, as: .worker)
            #expect(r.status == .ok, "\(r.text)")
            r = try await app.act(id, "dispatch", version: 2, as: .worker, extra: ["handler": "dept:CG", "note": "请城管局清运"])
            #expect(r.json["status"].string == "dispatched" && r.json["handler_name"].string == "区城市管理局")
            // Now the department sees it and may start; the community may no longer resolve it.
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)", as: .dept).json["actions"].strings == ["start", "resolve", "return"])
            #expect(try await app.act(id, "resolve", version: 3, as: .worker).status == .forbidden)
            #expect(try await app.act(id, "start", version: 3, as: .dept).status == .ok)

            let (body, type) = multipart([("action", "resolve"), ("version", "4"), ("note", "已清运完毕")],
                                         files: [("photos[]", "after.png", "image/png", pngBytes)])
            r = try await app.call(.POST, "/api/v1/requests/\(id)/actions", data: body, contentType: type, as: .dept)
            #expect(r.status == .ok, "\(r.text)")
            let photoURL = try #require(r.json["steps"].array.last?["photos"].strings.first, "\(r.text)")
            let photo = try await app.call(.GET, photoURL, as: .worker)
            #expect(photo.status == .ok && Array(photo.body) == pngBytes && photo.headers.first(name: .contentType) == "image/png")
            #expect(try await app.call(.GET, photoURL, as: .otherWorker).status == .notFound)

            #expect(try await app.act(id, "verify", version: 5, as: .grid).status == .ok)
            r = try await app.act(id, "close", version: 6, as: .worker)
            #expect(r.json["status"].string == "closed")
            #expect(r.json["steps"].array.map { $0["action"].string } == ["report", "accept", "dispatch", "start", "resolve", "verify", "close"])

            // The resident follows it by number and code, and rates it; a wrong code finds nothing.
            #expect(try await app.call(.GET, "/api/v1/requests/track/\(number)?code=WRONGCOD", as: .anonymous).status == .notFound)
            let tracked = try await app.call(.GET, "/api/v1/requests/track/\(number)?code=\(code.lowercased())", as: .anonymous).json
            #expect(tracked["status"].string == "closed" && tracked["can_rate"].raw as? Bool == true)
            #expect(tracked.keys.isDisjoint(with: ["contact_masked", "reporter_name", "description"]))
            let rated = try await app.call(.POST, "/api/v1/requests/track/\(number)/rating", json: ["code": code, "rating": 5, "comment": "很快"], as: .anonymous)
            #expect(rated.status == .ok && rated.json["rating"].int == 5)
            #expect(try await app.call(.POST, "/api/v1/requests/track/\(number)/rating", json: ["code": code, "rating": 1], as: .anonymous).status == .conflict)

            let figures = try await app.call(.GET, "/api/v1/requests/figures", as: .street).decode(RequestFigures.self)
            #expect(figures.total == 1 && figures.handled == 1 && figures.onTimeRate == 1 && figures.meanSatisfaction == 5)
            #expect(try await app.call(.GET, "/api/v1/requests/figures", as: .otherWorker).json["total"].int == 0)
            try await app.figuresMatchRecount()

            // Every step is in the audit chain, which still verifies; the full contact view is audited too.
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)/contact", as: .dept).json["contact"].string == "13912345678")
            let audit = try await app.call(.GET, "/api/v1/audit?target=request:\(number)&per_page=50", as: .auditor).json["items"].array
            #expect(Set(audit.compactMap { $0["action"].string }).isSuperset(of: ["request.submit", "request.dispatch", "request.close", "request.rate",
                                                                                   "request.contact_view"]))
            #expect(try await app.call(.GET, "/api/v1/audit/verify", as: .auditor).json["intact"].raw as? Bool == true)
        }
    }

    @Test("bad input: unknown category, outside the district, a step not allowed now, a fake image — a clear problem, nothing written")
    func badInput() async throws {
        try await withTestApp(residents: 300) { app in
            let b = try await app.buildingInWorkersGrid()
            var r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "XX9999", "description": "x", "building_id": try #require(b["id"].string)],
                                       as: .anonymous)
            #expect(r.status == .unprocessableEntity && r.isProblem && r.json.errorFields == ["service_code"])
            r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ01", "description": "x", "address": "寺巷"], as: .anonymous)
            #expect(r.json.errorFields == ["service_code"], "a group is not a category one can report")
            r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0101", "description": "x", "latitude": 39.9, "longitude": 116.4],
                                   as: .anonymous)
            #expect(r.status == .unprocessableEntity && r.json.errorFields == ["lat"] && r.json["detail"].string?.contains("不在本区") == true)
            r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0104", "description": "夜里施工", "building_id": try #require(b["id"].string),
                                                                      "attributes": ["noise_time": "noon"]], as: .anonymous)
            #expect(r.json.errorFields == ["attribute[noise_time]"])
            r = try await app.call(.POST, "/api/v1/requests", json: ["description": "", "latitude": 32.4], as: .anonymous)
            #expect(Set(r.json.errorFields) == ["service_code", "description", "lat"])
            #expect(try await app.rowCount("requests") == 0)
            #expect(try await app.rowCount("request_steps") == 0)

            let id = try #require(try await app.submitRequest()["id"].string)
            r = try await app.act(id, "resolve", version: 1, as: .worker)
            #expect(r.status == .conflict && r.isProblem && r.json["detail"].string?.contains("不能办结") == true)
            r = try await app.act(id, "refuse", version: 1, as: .worker)
            #expect(r.status == .unprocessableEntity && r.json.errorFields == ["note"])
            r = try await app.act(id, "fly", version: 1, as: .worker)
            #expect(r.status == .unprocessableEntity && r.json.errorFields == ["action"])
            r = try await app.act(id, "dispatch", version: 1, as: .worker, extra: ["handler": "321271003001"])
            #expect(r.json.errorFields == ["handler"], "a community cannot send work to another community")

            let photoDirectory = try #require(app.linli.photoDirectory)
            func photoFiles() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: photoDirectory).count) ?? 0 }
            let photos = photoFiles()
            let (fake, type) = multipart([("action", "comment"), ("version", "1"), ("note", "附照片")],
                                         files: [("photos[]", "photo.jpg", "image/jpeg", Array("MZ\u{90}\0 not an image".utf8))])
            r = try await app.call(.POST, "/api/v1/requests/\(id)/actions", data: fake, contentType: type)
            #expect(r.status == .unprocessableEntity && r.json.errorFields == ["photos"] && r.json["detail"].string?.contains("不是图片") == true)
            let (big, bigType) = multipart([("action", "comment"), ("version", "1")],
                                           files: [("photos[]", "big.png", "image/png", pngBytes + [UInt8](repeating: 0, count: 5 * 1024 * 1024))])
            r = try await app.call(.POST, "/api/v1/requests/\(id)/actions", data: big, contentType: bigType)
            #expect(r.status == .unprocessableEntity && r.json["detail"].string?.contains("5MB") == true)
            #expect(try await app.rowCount("request_steps") == 1)
            #expect(try await app.rowCount("request_photos") == 0)
            #expect(photoFiles() == photos)
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)").json["version"].int == 1)
        }
    }

    @Test("two handlers acting on one request at once: one wins, the other gets 409, nothing is lost")
    func concurrentHandlers() async throws {
        try await withFileTestApp(residents: 300) { app in
            let id = try #require(try await app.submitRequest()["id"].string)
            async let a = app.act(id, "accept", version: 1, as: .worker)
            async let b = app.act(id, "refuse", version: 1, as: .worker, extra: ["note": "重复上报"])
            let statuses = try await [a.status, b.status]
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
            let now = try await app.call(.GET, "/api/v1/requests/\(id)").json
            #expect(now["version"].int == 2 && now["steps"].array.count == 2)
            try await app.figuresMatchRecount()
        }
    }

    @Test("overdue requests turn red and go up to the street, and the street's board shows them")
    func escalation() async throws {
        try await withTestApp(residents: 300, adjust: RequestsAPITests.longSessions) { app in
            let id = try #require(try await app.submitRequest(category: "SJ0301")["id"].string)  // 消防通道堵塞: 12 hours
            #expect(try await app.act(id, "accept", version: 1, as: .worker).status == .ok)
            app.test.clock.advance(10 * 3600)
            var board = try await app.call(.GET, "/api/v1/requests/supervision", as: .street).json
            #expect(board["yellow"].int == 1 && board["red"].int == 0 && board["items"][0]["card"].string == "yellow", "\(String(describing: board.raw))")
            #expect(try await app.requestQueries.escalateOverdue(now: app.nowSeconds) == 0)
            app.test.clock.advance(2 * 3600 + 1)
            #expect(try await app.requestQueries.escalateOverdue(now: app.nowSeconds) == 1)
            let r = try await app.call(.GET, "/api/v1/requests/\(id)", as: .street).decode(EscalatedRequest.self)
            #expect(r.level == "street" && r.holderCode == "321271002000" && r.status == "reported")
            #expect(r.escalations == 1 && r.card == "red" && r.actions.contains("dispatch"))
            #expect(r.steps.last?.actor == "(escalation)")
            board = try await app.call(.GET, "/api/v1/requests/supervision", as: .street).json
            #expect(board["red"].int == 1 && board["by_community"][0]["community_code"].string == "321271002001")
            #expect(try await app.call(.GET, "/api/v1/requests/supervision").status == .forbidden, "community workers have no board")
            // The community no longer holds it; the street dispatches it back down.
            #expect(try await app.act(id, "dispatch", version: 3, as: .worker, extra: ["handler": "321271002001"]).status == .forbidden)
            #expect(try await app.act(id, "dispatch", version: 3, as: .street, extra: ["handler": "321271002001"]).status == .ok)
            #expect(try await app.act(id, "start", version: 4, as: .worker).status == .ok)
            #expect(try await app.requestQueries.escalateOverdue(now: app.nowSeconds) == 0, "a street's request waits a whole limit more")
            let figures = try await app.call(.GET, "/api/v1/requests/figures", as: .district).json
            #expect(figures["escalation_rate"].double == 1 && figures["by_level"][0]["key"].string == "street")
            try await app.figuresMatchRecount()
        }
    }

    @Test("reopening: within seven days the request goes back to the community with a new time limit; later it cannot")
    func reopen() async throws {
        try await withTestApp(residents: 300, adjust: RequestsAPITests.longSessions) { app in
            let s = try await app.submitRequest()
            let id = try #require(s["id"].string), number = try #require(s["number"].string), code = try #require(s["access_code"].string)
            for (i, step) in [("accept", TestUser.worker), ("dispatch", .worker), ("resolve", .worker)].enumerated() {
                let r = try await app.act(id, step.0, version: i + 1, as: step.1, extra: ["handler": "321271002001"])
                #expect(r.status == .ok, "\(r.text)")
            }
            let path = "/api/v1/requests/track/\(number)/reopen"
            #expect(try await app.call(.POST, path, json: ["code": code], as: .anonymous).json.errorFields == ["note"])
            app.test.clock.advance(3 * 86400)
            let r = try await app.call(.POST, path, json: ["code": code, "note": "垃圾又堆起来了"], as: .anonymous)
            #expect(r.status == .ok && r.json["status"].string == "accepted" && r.json["resolved_at"].isNull)
            let full = try await app.call(.GET, "/api/v1/requests/\(id)").json
            #expect(full["reopened"].int == 1 && full["handler"].isNull)
            for (i, a) in ["dispatch", "resolve"].enumerated() {
                #expect(try await app.act(id, a, version: 5 + i, as: .worker, extra: ["handler": "321271002001"]).status == .ok)
            }
            app.test.clock.advance(8 * 86400)
            let late = try await app.call(.POST, path, json: ["code": code, "note": "还是不行"], as: .anonymous)
            #expect(late.status == .conflict && late.json["detail"].string?.contains("7天") == true)
            try await app.figuresMatchRecount()
        }
    }

    @Test("scopes: a department sees only what is dispatched to it, a resident only their own, admins nothing")
    func scopes() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try #require(try await app.submitRequest()["id"].string)
            #expect(try await app.call(.GET, "/api/v1/requests", as: .dept).json["total"].int == 0)
            _ = try await app.act(id, "dispatch", version: 1, as: .worker, extra: ["handler": "dept:CG"])
            #expect(try await app.call(.GET, "/api/v1/requests", as: .dept).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/requests", as: .district).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/requests", as: .otherWorker).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/requests", as: .sysadmin).status == .forbidden)
            // A signed-in resident reports and then sees exactly that one, without an access code.
            let b = try await app.buildingInWorkersGrid()
            let mine = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0302", "description": "3单元楼道灯坏了",
                                                                            "building_id": try #require(b["id"].string)], as: .resident).json
            #expect(mine["access_code"].isNull && mine["channel"].string == "web")
            let list = try await app.call(.GET, "/api/v1/requests", as: .resident).json
            #expect(list["total"].int == 1 && list["items"][0]["id"].string == mine["id"].string)
            let mineNumber = try #require(mine["number"].string)
            #expect(try await app.call(.GET, "/api/v1/requests/track/\(mineNumber)", as: .resident).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0302", "description": "x", "address": "寺巷"],
                                       as: .auditor).status == .forbidden)
        }
    }

    @Test("an address alone is placed in the building it names, else the community, else held by the district")
    func addresses() async throws {
        try await withTestApp(residents: 300) { app in
            let b = try await app.buildingInWorkersGrid()
            let name = try #require(b["name"].string)
            var r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0101", "description": "路面塌陷",
                                                                         "address": "泰州市 \(name) 东侧"], as: .anonymous).json
            #expect(r["building_id"].string == b["id"].string && r["level"].string == "street")
            // Typed with spaces inside the name, a line break and full-width digits: matched without the spaces,
            // kept as typed with one space for each run and ASCII digits.
            let spaced = String(name.prefix(2)) + " " + String(name.dropFirst(2))
            r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "BJ0101", "description": "路面塌陷",
                                                                     "address": "  泰州市  \(spaced)\n东侧１２号 "], as: .anonymous).json
            #expect(r["building_id"].string == b["id"].string)
            #expect(r["address"].string == "泰州市 \(spaced) 东侧12号", "\(r["address"])")
            r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0503", "description": "咨询", "address": "不知道在哪里"],
                                   as: .anonymous).json
            #expect(r["area_code"].string == "321271000000" && r["level"].string == "district" && r["holder_code"].string == "321271000000")
        }
    }

    @Test("district administrators edit the category tree; stale edits get 409")
    func categories() async throws {
        try await withTestApp(residents: 100) { app in
            let tree = try await app.call(.GET, "/api/v1/request-categories", as: .anonymous).json.array
            // Eight groups of the grid workflow and the community police office's (社区警务室).
            #expect(tree.count == 9 && tree.allSatisfy { !$0["children"].array.isEmpty })
            #expect(try await app.call(.PATCH, "/api/v1/request-categories/SJ0101", json: ["limit_hours": 12, "version": 1]).status == .forbidden)
            let token = try app.token(.district)
            let r = try await app.call(.PATCH, "/api/v1/request-categories/SJ0101", json: ["limit_hours": 12, "version": 1], token: token)
            #expect(r.status == .ok && r.json["limit_hours"].int == 12 && r.json["version"].int == 2)
            #expect(try await app.call(.PATCH, "/api/v1/request-categories/SJ0101", json: ["name": "垃圾", "version": 1], token: token).status == .conflict)
            #expect(try await app.call(.PATCH, "/api/v1/request-categories/SJ0101", json: ["limit_hours": 0, "version": 2], token: token)
                .json.errorFields == ["limit_hours"])
        }
    }
}
