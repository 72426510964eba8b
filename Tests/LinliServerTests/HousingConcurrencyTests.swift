import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// One rental in force per dwelling when workers register at once. On SQLite a file (several connections), on
/// PostgreSQL a database of the test's own.
@Suite("房屋和单位: concurrent registrations", .serialized)
struct HousingConcurrencyTests {
    @Test("four registrations of the same dwelling's rental at once: one 201, three 409 at dwelling_id; one rental, one audit entry")
    func rentals() async throws {
        try await withFileTestApp(residents: 1200) { app in
            let building = try await app.housingBuilding()
            let dwelling = try await app.addedDwelling(building)
            let people = try await app.housingResidents(4)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<4 {
                    group.addTask { try await app.call(.POST, "/api/v1/housing/rentals", json: app.rentalBody(dwelling, tenants: [people[i]]), as: i % 2 == 0 ? .worker : .street) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .conflict }
            #expect(refused.count == 3 && refused.allSatisfy { $0.json.errorFields == ["dwelling_id"] }, "\(answers.map(\.text))")
            #expect(try await app.rowCount("rentals") == 1)
            #expect(try await app.rowCount("rental_tenants") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'housing.rental.create'") == 1)
        }
    }

    @Test("three units with the same credit code at once: one 201, two 409 at credit_code")
    func units() async throws {
        try await withFileTestApp(residents: 1200) { app in
            let building = try await app.housingBuilding()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<3 {
                    group.addTask {
                        try await app.call(.POST, "/api/v1/housing/units", json: ["name": "单位\(i)", "credit_code": DemoHousing.creditCode(7, district: "321271", kind: .enterprise),
                                                                                  "kind": "enterprise", "building_id": building], as: .worker)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1 && answers.filter { $0.status == .conflict }.count == 2, "\(answers.map(\.text))")
            #expect(try await app.rowCount("units") == 1)
        }
    }
}
