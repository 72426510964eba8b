import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// What the public side of requests gives away: staff notes, tracking codes, the server's address, figures.
@Suite("Requests: what the public and each role may learn", .serialized)
struct RequestDisclosureTests {
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
