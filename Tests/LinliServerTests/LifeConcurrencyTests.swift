import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Overlapping bookings of one venue at once: exactly one is made. Sign-ups for the last places at once: the
/// capacity holds. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("社区生活: concurrent writes", .serialized)
struct LifeConcurrencyTests {
    @Test("eight bookings of overlapping slots at once: one made, seven refused at the start with 409, one booked row")
    func bookings() async throws {
        try await withFileTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            // Every slot holds 10:00–10:30, so any two overlap.
            let slots = [("10:00", "12:00"), ("09:30", "10:30"), ("10:00", "11:00"), ("09:00", "13:00"), ("10:00", "10:30"), ("09:00", "11:00"), ("08:30", "10:30"), ("10:00", "12:00")]
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for (s, e) in slots { group.addTask { try await app.lifeBook(venue, s, e) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .conflict }
            #expect(refused.count == 7 && refused.allSatisfy { $0.json.errorFields == ["start"] }, "\(answers.map(\.text))")
            #expect(try await app.rowCount("life_bookings WHERE status = 'booked'") == 1)
            let made = try #require(answers.first { $0.status == .created })
            let end = try #require(made.json["end"].string), start = try #require(made.json["start"].string)
            let minutes = (LifeTime.minute(end) ?? 0) - (LifeTime.minute(start) ?? 0)
            #expect(try await app.lifeMinutes(venue) == minutes)
        }
    }

    @Test("three places, eight residents signing up at once: three signed up, five told it is full")
    func signUps() async throws {
        try await withFileTestApp(residents: 400) { app in
            let id = try await app.lifeActivity(capacity: 3)
            var people: [UUID] = []
            for i in 0..<8 { people.append(try await app.disabilityResident(skip: i, grid: "321271").id) }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for p in people { group.addTask { try await app.call(.POST, "/api/v1/life/activities/\(id)/signups", json: ["resident_id": p.uuidString]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 3, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 5, "\(answers.map(\.text))")
            #expect(try await app.rowCount("life_signups") == 3)
            let row = try #require(try await app.sql().raw("SELECT signed_up FROM life_activities").first())
            #expect(try row.decode(column: "signed_up", as: Int.self) == 3)
        }
    }
}
