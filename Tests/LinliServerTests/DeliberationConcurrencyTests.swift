import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Many residents supporting one proposal at once: each counted once, the count on the proposal's row equal to the
/// supports stored. On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("民主协商与网上议事: concurrent supports", .serialized)
struct DeliberationConcurrencyTests {
    @Test("twelve residents support at once, each twice: twelve supports, the row's count 12, 12 refused as 409")
    func supports() async throws {
        try await withFileTestApp(residents: 1500) { app in
            let q = app.deliberationQueries
            let p = try await q.propose(community: "321271002001", ProposalInput(title: "增设充电桩", what: "车棚增设充电桩", why: "消除隐患", cost: nil,
                                                                                 deadline: testToday.adding(days: 10)), by: app.deliberationDistrictActor)
            let residents = ResidentQueries(app.db, cipher: testCipher, today: testToday)
            var people: [ResidentRecord] = []
            for i in 0..<12 {
                let r = try await app.disabilityResident(skip: i)
                people.append(try #require(try await residents.find(id: r.id, in: .everything)))
            }
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                // Twice each, not more: every attempt waits for the one writer, and a loaded machine must not time the queue out.
                for person in people + people {
                    group.addTask {
                        do {
                            _ = try await q.support(p.id, resident: person, by: .system("test"))
                            return "ok"
                        } catch RegistryError.conflict(let e) {
                            return e.field
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 12, "\(outcomes)")
            #expect(outcomes.filter { $0 == "support" }.count == 12)
            #expect(try await app.rowCount("consultation_supports") == 12)
            #expect(try await q.proposal(p.id, in: .everything).supports == 12)
            #expect(try await app.rowCount("audit_log WHERE action = 'deliberation.support'") == 12)
        }
    }

    @Test("comments at once: the count on the row equals the comments stored")
    func comments() async throws {
        try await withFileTestApp(residents: 600) { app in
            let q = app.deliberationQueries
            let p = try await q.propose(community: "321271002001", ProposalInput(title: "开设四点半课堂", what: "周末开设", why: "无人照看", cost: 8000,
                                                                                 deadline: testToday.adding(days: 10)), by: app.deliberationDistrictActor)
            let person = try #require(try await ResidentQueries(app.db, cipher: testCipher, today: testToday)
                .find(id: try await app.disabilityResident(skip: 0).id, in: .everything))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<10 { group.addTask { _ = try await q.comment(p.id, body: "意见\(i)", resident: person, by: .system("test")) } }
                try await group.waitForAll()
            }
            #expect(try await q.proposal(p.id, in: .everything).comments == 10)
            #expect(try await app.rowCount("consultation_comments") == 10)
        }
    }
}
