import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Workers at once on the same election: one box entry taken per version, never four proxies to one holder.
/// On SQLite a file (several connections), on PostgreSQL a database of the test's own.
@Suite("换届选举: concurrent writes", .serialized)
struct ElectionsConcurrencyTests {
    let day = testToday.adding(days: 30)

    /// An election of the worker's community with its roll, five candidates and its list published, through the data layer.
    func prepared(_ app: Application) async throws -> (ElectionsQueries, ElectionRecord, [UUID]) {
        let q = ElectionsQueries(app.db, cipher: testCipher, today: testToday)
        let actor = ElectionsActor(audit: .system("test"), scope: .everything, mayWrite: true, mayCount: true)
        let e = try await q.create(ElectionInput(communityCode: TestUser.worker.scope, method: .direct, seats: 5, viceChairs: 1, committee: ["王建国", "李红", "张伟"],
                                                 rollPublishedOn: day.adding(days: -20), rollFrozenOn: day.adding(days: -5),
                                                 candidatesPublishedOn: day.adding(days: -5), electionDay: day), by: actor)
        _ = try await q.publishRoll(e.id, version: 1, by: actor)
        let roll = try await q.voters(e.id, page: 1, per: 20).rows.map(\.residentId)
        for c in roll.prefix(5) { _ = try await q.nominate(e.id, resident: c, post: .member, by: actor) }
        let listed = try await q.publishCandidates(e.id, version: 2, by: actor)
        return (q, listed, roll)
    }

    func counter(_ name: String) -> ElectionsActor {
        ElectionsActor(audit: AuditActor(id: nil, username: name, role: Role.communityWorker.rawValue, ip: "127.0.0.1"), scope: .everything, mayWrite: true, mayCount: true)
    }

    @Test("two workers entering the same box at the same version: one entry taken, the other 409")
    func sameBox() async throws {
        try await withFileTestApp(residents: 3000) { app in
            let (q, e, roll) = try await prepared(app)
            let box = try await q.addBox(e.id, kind: .central, label: "中心会场", by: counter("a"))
            let votes = Dictionary(uniqueKeysWithValues: roll.prefix(5).map { ($0, 9) })
            let count = BoxCount(issued: 10, returned: 10, valid: 10, invalid: 0, votes: votes)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for name in ["a", "b", "c", "d"] {
                    group.addTask {
                        do { _ = try await q.enterCount(e.id, box: box.id, count, version: 1, by: counter(name)); return true } catch RegistryError.staleVersion {
                            return false
                        } catch { Issue.record("\(error)"); return false }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1, "\(outcomes)")
            let stored = try #require(try await q.boxes(e.id).first)
            #expect(stored.version == 2 && stored.first != nil && stored.second == nil && !stored.confirmed)
        }
    }

    @Test("six proxies to one holder at once: three recorded, three refused at the holder")
    func proxies() async throws {
        try await withFileTestApp(residents: 3000) { app in
            let (q, e, roll) = try await prepared(app)
            #expect(roll.count >= 8)
            let holder = roll[0]
            let answers = await withTaskGroup(of: String?.self) { group in
                for g in roll[1...6] {
                    group.addTask {
                        do { try await q.addProxy(e.id, grantor: g, holder: holder, by: counter("a")); return nil } catch RegistryError.invalid(let errors) {
                            return errors.first?.field
                        } catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == nil }.count == 3, "\(answers)")
            #expect(answers.filter { $0 == "holder_id" }.count == 3, "\(answers)")
            #expect(try await app.rowCount("election_proxies") == 3)
        }
    }
}
