import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Two publications of the same quarter at once make one statement; two reversals of one entry at once make
/// one reversing entry. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("四个公开: concurrent writes", .serialized)
struct DisclosureConcurrencyTests {
    @Test("six publications of one community's quarter at once: one statement and one 财务 notice, five refused at the quarter")
    func oneStatement() async throws {
        try await withFileTestApp(residents: 300) { app in
            for i in 0..<3 {
                let e = try await app.ledgerEntry(on: "2026-0\(i + 1)-05", amountFen: Int64(100 * (i + 1)), voucher: "C\(i)")
                try await app.approveEntry(e)
            }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<6 { group.addTask { try await app.publishStatement("2026-Q1") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            var refused: [APIResponse] = []
            for a in answers where a.status.code == 409 { refused.append(a) }
            #expect(refused.count == 5 && refused.allSatisfy { $0.json.errorFields == ["quarter"] }, "\(answers.map(\.status)) \(refused.map(\.json.errorFields))")
            #expect(try await app.rowCount("disclosure_statements") == 1)
            #expect(try await app.rowCount("disclosure_notices WHERE statement_id IS NOT NULL") == 1)
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE status = 'published'") == 3)
            #expect(try await app.rowCount("audit_log WHERE action = 'disclosure.statement'") == 1)
        }
    }

    @Test("four reversals of one entry at once: one reversing entry, three refused")
    func oneReversal() async throws {
        try await withFileTestApp(residents: 300) { app in
            let e = try await app.ledgerEntry(on: "2026-05-05", voucher: "R1")
            try await app.approveEntry(e)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<4 {
                    group.addTask { try await app.call(.POST, "/api/v1/disclosure/ledger/\(e)/reverse", json: ["voucher_no": "冲R1-\(i)"], as: .worker) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.text))")
            #expect(answers.filter { $0.status == .conflict }.count == 3)
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE reverses_id IS NOT NULL") == 1)
        }
    }
}
