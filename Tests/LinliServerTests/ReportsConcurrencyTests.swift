import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Submits of one return at once: one is taken, the others are 409 and write nothing. On SQLite a file (several
/// connections), on PostgreSQL a database of the test's own.
@Suite("一表通: concurrent writes", .serialized)
struct ReportsConcurrencyTests {
    @Test("six submits of one community's return at once, on a fresh return and on a draft: one submitted, five refused at the status")
    func oneSubmit() async throws {
        try await withFileTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            for community in [reportsCommunity, reportsOtherCommunity] {
                let user: TestUser = community == reportsCommunity ? .worker : .otherWorker
                let path = "/api/v1/reports/forms/\(id)/returns/\(community)"
                if community == reportsOtherCommunity {
                    #expect(try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), 1]], as: user).status == .ok)
                }
                let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                    for i in 0..<6 { group.addTask { try await app.call(.POST, path + "/submit", json: ["values": [NSNull(), NSNull(), NSNull(), i]], as: user) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.filter { $0.status == .ok }.count == 1, "\(answers.map(\.status))")
                #expect(answers.filter { $0.status == .conflict }.count == 5, "\(answers.map(\.text))")
            }
            #expect(try await app.rowCount("report_returns WHERE status = 'submitted'") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'reports.submit'") == 2)
        }
    }
}
