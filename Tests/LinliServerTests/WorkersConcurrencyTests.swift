import Foundation
import LinliData
@testable import LinliServer
import Testing
import Vapor

/// One appraisal per worker and year, and one open entry per reserve list, when officers submit at once. On SQLite a
/// file (several connections), on PostgreSQL a database of the test's own.
@Suite("社工队伍: concurrent appraisals and reserve entries", .serialized)
struct WorkersConcurrencyTests {
    @Test("six appraisals of the same worker and year at once: one recorded, five 409 at year; three listings at once: one")
    func appraisals() async throws {
        try await withFileTestApp(residents: 400) { app in
            let id = try await app.addedWorker()
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<6 {
                    group.addTask { try await app.call(.POST, "/api/v1/workers/\(id)/appraisals", json: ["year": 2025, "scores": [80 + i, 82]], as: .street) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == .conflict }
            #expect(refused.count == 5 && refused.allSatisfy { $0.json.errorFields == ["year"] }, "\(answers.map(\.text))")
            #expect(try await app.rowCount("worker_appraisals") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'workers.appraisal'") == 1)

            let listings = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<3 {
                    group.addTask { try await app.call(.POST, "/api/v1/workers/\(id)/reserves", json: ["level": "street", "reason": "成绩突出"], as: .street) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(listings.filter { $0.status == .created }.count == 1 && listings.filter { $0.status == .conflict }.count == 2, "\(listings.map(\.status))")
            #expect(try await app.rowCount("worker_reserves") == 1)
        }
    }
}
