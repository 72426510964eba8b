import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Property writes at once: a building belongs to one compound, a compound has one contract and one owners' committee at
/// a time. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("物业管理: concurrent writes", .serialized)
struct PropertyConcurrencyTests {
    func race(_ n: Int = 6, _ make: @escaping @Sendable (Int) async throws -> APIResponse) async throws -> [APIResponse] {
        try await withThrowingTaskGroup(of: APIResponse.self) { group in
            for i in 0..<n { group.addTask { try await make(i) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("six compounds claiming the same buildings at once: one 201, five 409; six overlapping contracts and six overlapping committees of one compound: one each")
    func races() async throws {
        try await withFileTestApp(residents: 600) { app in
            // The community's most lived-in buildings, enough for a committee of five.
            var buildings: [String] = [], living = 0
            for row in try await app.sql().raw("""
                SELECT h.building_id, COUNT(*) AS n FROM residents r JOIN households h ON h.id = r.household_id
                WHERE r.grid_code LIKE \(bind: PropertyTests.community + "%") AND r.life_status = 'active' GROUP BY h.building_id ORDER BY n DESC, h.building_id
                """).all() where living < 5 {
                buildings.append(try row.decode(column: "building_id", as: UUID.self).uuidString)
                living += try row.decode(column: "n", as: Int.self)
            }
            #expect(living >= 5)
            let claimed = buildings
            let claims = try await race { i in
                try await app.call(.POST, "/api/v1/property/compounds", json: ["name": "同楼小区\(i)", "buildings": claimed], as: .worker)
            }
            #expect(claims.filter { $0.status == .created }.count == 1, "\(claims.map(\.status))")
            #expect(claims.filter { $0.status == .conflict }.count == 5, "\(claims.map(\.status))")
            #expect(try await app.rowCount("property_compounds") == 1)
            #expect(try await app.rowCount("property_compound_buildings") == buildings.count)
            let compound = try #require(claims.first { $0.status == .created }?.json["id"].string)

            let company = try #require(try await app.addedCompany()["id"].string)
            let contracts = try await race { i in
                try await app.call(.POST, "/api/v1/property/compounds/\(compound)/contracts",
                                   json: ["company_id": company, "starts_on": "2026-0\(i + 1)-01", "ends_on": "2028-12-31", "fee": 1.0, "services": ["cleaning"]], as: .worker)
            }
            #expect(contracts.filter { $0.status == .created }.count == 1, "\(contracts.map(\.status))")
            #expect(contracts.filter { $0.status == .conflict }.count == 5, "\(contracts.map(\.status))")
            #expect(try await app.rowCount("property_contracts") == 1)

            let people = try await PropertyCommitteeTests().residents(5, in: buildings, app)
            let committees = try await race { i in
                try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees",
                                   json: PropertyCommitteeTests().body(people, starts: "2025-0\(i + 1)-01", ends: "2028-12-31", filed: nil), as: .worker)
            }
            #expect(committees.filter { $0.status == .created }.count == 1, "\(committees.map(\.status))")
            #expect(committees.filter { $0.status == .conflict }.count == 5, "\(committees.map(\.status))")
            #expect(try await app.rowCount("property_committees") == 1)
            #expect(try await app.rowCount("property_committee_members") == 5)
            #expect(try await app.rowCount("audit_log WHERE action = 'property.committee.create'") == 1)
        }
    }
}
