import Foundation
@testable import LinliServer
import Testing
import Vapor

/// The one place query parameters are read (`RequestInput.swift`): yes/no, paging and narrowing to a division.
@Suite("Query parameters")
struct QueryParameterTests {
    @Test("a yes/no parameter takes true/false and refuses anything else with its name")
    func booleans() async throws {
        try await withTestApp(residents: 20) { app in
            let all = try await app.call(.GET, "/api/v1/request-categories?all=true")
            #expect(all.status == .ok)
            let none = try await app.call(.GET, "/api/v1/request-categories?all=0")
            #expect(none.status == .ok)
            let bad = try await app.call(.GET, "/api/v1/request-categories?all=maybe")
            #expect(bad.status == .badRequest)
            #expect(bad.json.errorFields == ["all"])
        }
    }

    @Test("paging: page and per_page within their bounds, else 400 naming the parameter")
    func paging() async throws {
        try await withTestApp(residents: 50) { app in
            let ok = try await app.call(.GET, "/api/v1/residents?page=2&per_page=5", as: .district)
            #expect(ok.status == .ok)
            #expect(ok.json["items"].array.count == 5)
            for (query, field) in [("page=0", "page"), ("per_page=100000", "per_page"), ("page=x", "page")] {
                let r = try await app.call(.GET, "/api/v1/residents?\(query)")
                #expect(r.status == .badRequest, "\(query)")
                #expect(r.json.errorFields == [field], "\(query)")
            }
        }
    }

    @Test("narrowing to a division: inside one's area it narrows, outside it does not exist, malformed is 400")
    func narrowing() async throws {
        try await withTestApp(residents: 300) { app in
            let grid = try await app.call(.GET, "/api/v1/residents?per_page=100&division=321271002001001")
            #expect(grid.status == .ok)
            let items = grid.json["items"].array
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["grid_code"].string == "321271002001001" })
            #expect(try await app.call(.GET, "/api/v1/residents?division=321271003001").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/elders?division=321271003001").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/buildings?division=321271003001").status == .notFound)
            let bad = try await app.call(.GET, "/api/v1/residents?division=12x")
            #expect(bad.status == .badRequest)
            #expect(bad.json.errorFields == ["division"])
        }
    }
}
