import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Sign-ups for one activity at once never take more than its places. On SQLite a file (several connections),
/// on PostgreSQL a database of the test's own.
@Suite("志愿者: concurrent sign-ups", .serialized)
struct VolunteersConcurrencyTests {
    @Test("four places, ten sign-ups at once: four taken, six refused at the places, round after round")
    func signUps() async throws {
        try await withFileTestApp(residents: 1500) { app in
            var volunteers: [String] = []
            for r in try await app.volunteerResidents(10) { volunteers.append(try await app.signedVolunteer(r)) }
            #expect(volunteers.count == 10)
            for _ in 0..<2 {
                let a = try await app.volunteerActivity(start: 3600, hours: 2, places: 4)
                let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                    for v in volunteers {
                        group.addTask { try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": v]) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.filter { $0.status == .created }.count == 4, "\(answers.map(\.status))")
                let refused = answers.filter { $0.status == .unprocessableEntity }
                #expect(refused.count == 6 && refused.allSatisfy { $0.json.errorFields == ["places"] }, "\(answers.map(\.text))")
                let taken = try #require(try await app.sql().raw("SELECT taken FROM volunteer_activities WHERE id = \(bind: UUID(uuidString: a.id)!)").first()?
                    .decode(column: "taken", as: Int.self))
                #expect(taken == 4)
            }
            #expect(try await app.rowCount("volunteer_signups") == 8)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.sign_up'") == 8)
            #expect(try await app.rowCount("volunteer_activities WHERE taken > places") == 0)
        }
    }
}
