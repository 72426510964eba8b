import Foundation
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Assistance writes at once: one open case of a kind per household, one winner per step version, case numbers
/// unique. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("社会救助: concurrent writes", .serialized)
struct AssistanceConcurrencyTests {
    @Test("eight applications for one household at once: one case, seven 409; eight steps on one version: one 200, seven 409")
    func races() async throws {
        try await withFileTestApp(residents: 400) { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await app.applyDibao(household, wages: 100) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == .created }.count == 1, "\(answers.map(\.status))")
            #expect(answers.filter { $0.status == .conflict }.count == 7, "\(answers.map(\.status))")
            #expect(try await app.rowCount("assistance_cases") == 1)
            let c = try #require(try answers.first { $0.status == .created }?.decode(AssistanceCaseAnswer.self))
            let steps = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        try await app.assistanceStep(c, "check", ["check_source": "核对平台\(i)", "check_date": "2026-06-29", "check_result": "正常"], as: .worker)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(steps.filter { $0.status == .ok }.count == 1, "\(steps.map(\.status))")
            #expect(steps.filter { $0.status == .conflict }.count == 7)
            #expect(try await app.rowCount("assistance_steps") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.step.check'") == 1)
        }
    }

    @Test("applications for six households at once get six different numbers")
    func numbers() async throws {
        try await withFileTestApp(residents: 2400) { app in
            try await app.configureAssistanceStandards()
            var households: [(id: UUID, members: [UUID])] = []
            for skip in 0..<6 { households.append(try await app.assistanceHousehold(members: 1, skip: skip)) }
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for h in households { group.addTask { try await app.applyDibao(h, wages: 100) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .created }, "\(answers.map(\.text))")
            let numbers = try answers.map { try $0.decode(AssistanceCaseAnswer.self).number }
            #expect(Set(numbers).count == 6)
        }
    }
}
