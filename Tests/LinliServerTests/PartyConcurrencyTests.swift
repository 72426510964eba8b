import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Member writes at once: one record per person, one winner per version. On SQLite a file (several connections), on
/// PostgreSQL a database of the test's own.
@Suite("社区党建: concurrent writes", .serialized)
struct PartyConcurrencyTests {
    @Test("six registrations of one person at once: one member, five 409, one tag row; six edits on one version: one 200, five 409")
    func races() async throws {
        try await withFileTestApp(residents: 400) { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2008-07-01"])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 5, "\(answers.map(\.status))")
            #expect(try await app.rowCount("party_members") == 1)
            let tagRows = try #require(try await app.sql().raw("SELECT COUNT(*) AS n FROM resident_tags WHERE tag = 'party_member' AND resident_id = \(bind: person)")
                .first()).decode(column: "n", as: Int.self)
            #expect(tagRows == 1)
            #expect(try await app.call(.GET, "/api/v1/party/orgs/\(tree.branch)").json["org"]["members"].int == 1)
            let m = try #require(answers.first { $0.status == .created })
            let id = try #require(m.json["id"].string)
            let edits = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["org_id": tree.branch, "reported_on": "2026-0\(i + 1)-01", "version": 1])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(edits.filter { $0.status == .ok }.count == 1, "\(edits.map(\.status))")
            #expect(edits.filter { $0.status == .conflict }.count == 5, "\(edits.map(\.status))")
            #expect(try await app.rowCount("audit_log WHERE action = 'party.member.update'") == 1)
        }
    }
}
