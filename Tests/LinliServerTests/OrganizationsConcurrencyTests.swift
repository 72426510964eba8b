import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Payments to one project at once never take the paid total past the contract amount. On SQLite a file
/// (several connections), on PostgreSQL a database of the test's own.
@Suite("社会组织: concurrent payments", .serialized)
struct OrganizationsConcurrencyTests {
    @Test("a contract of 1000 fen, eight payments of 300 at once: three paid, five refused at payment_fen, 900 paid")
    func payments() async throws {
        try await withFileTestApp(residents: 400) { app in
            let o = try await app.filedOrganization()
            let p = try #require(try await app.orgProject(o.id, fen: 1000).json["id"].string)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await app.payment(p, fen: 300) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 3, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .unprocessableEntity }
            #expect(refused.count == 5 && refused.allSatisfy { $0.json.errorFields == ["payment_fen"] }, "\(answers.map(\.text))")
            #expect(Set(answers.filter { $0.status == .created }.compactMap { $0.json["paid_after_fen"].int }) == [300, 600, 900])
            #expect(Set(answers.filter { $0.status == .created }.compactMap { $0.json["seq"].int }) == [1, 2, 3])
            let paid = try #require(try await app.sql().raw("SELECT paid_fen FROM organization_projects").first()?.decode(column: "paid_fen", as: Int.self))
            #expect(paid == 900)
            #expect(try await app.rowCount("organization_milestones") == 3)
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.project.milestone'") == 3)
        }
    }
}
