import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Employment writes at once: one open registration per person, and a post's last place goes to one person.
/// On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("就业援助: concurrent writes", .serialized)
struct EmploymentConcurrencyTests {
    @Test("six registrations of one person at once: one 201, five 409")
    func oneOpenRegistration() async throws {
        try await withFileTestApp(residents: 400) { app in
            let person = try await app.employable()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await app.registerUnemployed(person) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 5, "\(answers.map(\.text))")
            #expect(try await app.rowCount("employment_registrations") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'employment.register'") == 1)
        }
    }

    @Test("four designated people placed into the last place at once: one wins, three are told the post is full")
    func lastPlace() async throws {
        try await withFileTestApp(residents: 1200) { app in
            let post = try await app.employmentPost(places: 1)
            var people: [UUID] = []
            for skip in 0..<4 {
                let person = try await app.employable(minAge: 18, maxAge: 59, skip: skip)
                let r = try await app.registerUnemployed(person, categories: ["other"], note: "刑满释放人员")
                #expect(r.status == .created, "\(r.text)")
                people.append(person)
            }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for p in people { group.addTask { try await app.placeInPost(post, p) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict && $0.json["errors"][0]["field"].string == "post_id" }.count == 3, "\(answers.map(\.text))")
            #expect(try await app.rowCount("employment_placements") == 1)
            #expect(try await app.rowCount("employment_registrations WHERE status = 'open'") == 3)
        }
    }
}
