import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// A page of the residents list, as far as the determinism test reads it.
fileprivate struct ResidentPage: Decodable {
    struct Item: Decodable { var id: String; var name: String; var birthDate: String; var idNumberMasked: String }
    var items: [Item]
}

/// The district's head counts.
fileprivate struct DistrictStats: Decodable {
    var residents: Int
    var streets: Int
    var communities: Int
    var households: Int
    var residentsAged60Plus: Int
}

@Suite("Health, contract and the demo district", .serialized)
struct SystemTests {
    @Test("healthz answers ok with the database reachable")
    func health() async throws {
        try await withTestApp(residents: 0) { app in
            let r = try await app.call(.GET, "/healthz", as: .anonymous)
            #expect(r.status == .ok)
            #expect(r.json["database"].string == "ok")
        }
    }

    @Test("metrics are labelled by route pattern, not by path, and count what happened")
    func metrics() async throws {
        try await withTestApp(residents: 100) { app in
            let ids = try await app.call(.GET, "/api/v1/residents?per_page=3", as: .district).json["items"].array.compactMap { $0["id"].string }
            #expect(ids.count == 3)
            for id in ids { _ = try await app.call(.GET, "/api/v1/residents/\(id)", as: .district) }
            _ = try await app.call(.GET, "/api/v1/residents/\(UUID())")
            let text = try await app.call(.GET, "/metrics", as: .anonymous).text
            #expect(text.contains("linli_http_requests_total{method=\"GET\",route=\"/api/v1/residents/:id\",status=\"200\"} 3"))
            #expect(text.contains("linli_http_requests_total{method=\"GET\",route=\"/api/v1/residents/:id\",status=\"404\"} 1"))
            #expect(!ids.contains { text.contains($0) })
            #expect(text.contains("linli_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/residents/:id\"} 4"))
            #expect(text.contains("linli_registry_total{kind=\"residents\"} 100"))
            #expect(text.contains("linli_cache_lookups_total{cache=\"resident\",result=\"hit\"}"))
        }
    }

    @Test("the OpenAPI contract is served and documents every route the server has")
    func contract() async throws {
        try await withTestApp(residents: 0) { app in
            let r = try await app.call(.GET, "/api/openapi.yaml")
            #expect(r.status == .ok)
            let yaml = r.text
            #expect(yaml.hasPrefix("openapi: 3.1"))
            // The contract is the API's: web pages and their assets are not in it.
            for route in app.routes.all where ["api", "healthz", "livez", "metrics"].contains(route.path.first.map { "\($0)" } ?? "") {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let c): return c
                    case .parameter(let p): return "{\(p)}"
                    default: return "*"
                    }
                }.joined(separator: "/")
                let method = route.method.rawValue.lowercased()
                // The path must be a key of `paths`, and the method an operation under it.
                guard let start = yaml.range(of: "\n  \(path):\n") else {
                    Issue.record("\(path) is not in the contract")
                    continue
                }
                let rest = yaml[start.upperBound...]
                let block = rest.prefix { _ in true }.split(separator: "\n", omittingEmptySubsequences: false)
                    .prefix { $0.hasPrefix("   ") || $0.isEmpty }
                #expect(block.contains { $0 == "    \(method):" }, "\(method.uppercased()) \(path) is not in the contract")
            }
        }
    }

    @Test("same seed, same district; another seed, other people")
    func demoIsDeterministic() async throws {
        func snapshot(seed: UInt64) async throws -> [String] {
            var rows: [String] = []
            try await withTestApp(residents: 400, seed: seed) { app in
                let page = try await app.call(.GET, "/api/v1/residents?per_page=100", as: .district).decode(ResidentPage.self)
                rows = page.items.map { "\($0.name)|\($0.birthDate)|\($0.idNumberMasked)|\($0.id)" }
            }
            return rows
        }
        let a = try await snapshot(seed: 1), b = try await snapshot(seed: 1), c = try await snapshot(seed: 2)
        #expect(a.count == 100)
        #expect(a == b)
        #expect(a != c)
    }

    @Test("the demo district has a realistic age structure and household size")
    func demoShape() async throws {
        try await withTestApp(residents: 6000) { app in
            let stats = try await app.call(.GET, "/api/v1/stats", as: .district).decode(DistrictStats.self)
            #expect(stats.residents == 6000)
            #expect(stats.streets == 5)
            #expect(stats.communities == 60)
            let share = Double(stats.residentsAged60Plus) / 6000
            #expect((0.165...0.21).contains(share), "60+ share \(share)")
            let size = 6000 / Double(stats.households)
            #expect((2.3...2.9).contains(size), "household size \(size)")
            let floating = try #require(try await app.call(.GET, "/api/v1/residents?residence_status=floating&per_page=1", as: .district).json["total"].int)
            #expect(floating > 100 && floating < 1500)
        }
    }
}
