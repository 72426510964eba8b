import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Card writes at once: one card per person, one winner per version. On SQLite a file (several connections), on
/// PostgreSQL a database of the test's own.
@Suite("助残康复: concurrent writes", .serialized)
struct DisabilityConcurrencyTests {
    @Test("eight registrations for one person at once: one card, seven 409; eight grade changes on one version: one 200, seven 409")
    func races() async throws {
        try await withFileTestApp(residents: 400) { app in
            let p = try await app.disabilityResident()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await app.registerCard(p.id, number: p.idNumber + "43") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 7, "\(answers.map(\.status))")
            #expect(try await app.rowCount("disability_cards") == 1)
            let tagRows = try #require(try await app.sql().raw("SELECT COUNT(*) AS n FROM resident_tags WHERE tag = 'disabled' AND resident_id = \(bind: p.id)")
                .first()).decode(column: "n", as: Int.self)
            #expect(tagRows == 1)
            let c = try #require(try answers.first { $0.status == .created }?.decode(DisabilityCardAnswer.self))
            let updates = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for g in 0..<8 {
                    group.addTask {
                        try await app.call(.PUT, "/api/v1/disability/cards/\(c.id)", json: [
                            "card_number": p.idNumber + "4\(1 + g % 4)", "category": "physical", "grade": 1 + g % 4, "issued_on": "2026-06-01",
                            "version": c.version,
                        ])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(updates.filter { $0.status == .ok }.count == 1, "\(updates.map(\.status))")
            #expect(updates.filter { $0.status == .conflict }.count == 7)
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.update'") == 1)
        }
    }
}
