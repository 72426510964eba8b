import Foundation
import LinliCore
@testable import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// The tally equals a recount of the roll, row by row (and is not empty).
    func partyTallyMatches(_ when: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let stored = try await PartyTally.stored(on: db), recounted = try await PartyTally.recounted(on: db)
        #expect(!recounted.isEmpty, "\(when): the roll is empty", sourceLocation: sourceLocation)
        #expect(stored == recounted, "\(when): tally \(stored) ≠ recount \(recounted)", sourceLocation: sourceLocation)
    }

    /// The roll's total as the API gives it (read from the tally) and as the rows count it, for a user's area.
    func partyRollTotals(as user: TestUser, reported: Bool?) async throws -> (api: Int, rows: Int) {
        let r = try await call(.GET, "/api/v1/party/members?per_page=5" + (reported.map { "&reported=\($0)" } ?? ""), as: user)
        try #require(r.status == .ok, "\(r.text)")
        let scope = RegistryScope(validatedCode: user.scope)
        let q = PartyQueries(db, today: testToday)
        let w = q.memberWhere(scope, PartyMemberFilter(reported: reported))
        let rows = try #require(try await sql().raw("""
            SELECT COUNT(*) AS n FROM party_members m JOIN residents r ON r.id = m.resident_id LEFT JOIN party_orgs o ON o.id = m.org_id
            """ + w).first()).decode(column: "n", as: Int.self)
        return (try #require(r.json["total"].int, "\(r.text)"), rows)
    }

    func partyTotalsMatch(_ when: String, users: [TestUser] = [.district, .street, .worker], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for user in users {
            for reported in [nil, true, false] as [Bool?] {
                let t = try await partyRollTotals(as: user, reported: reported)
                #expect(t.api == t.rows, "\(when): \(user) reported=\(String(describing: reported))", sourceLocation: sourceLocation)
            }
        }
    }
}

@Suite("社区党建: the tally of members per community, kept by every write")
struct PartyTallyTests {
    @Test("after the demo load the tally is a recount; the roll's totals and the figures read from it agree with the rows")
    func demo() async throws {
        try await withTestApp { app in
            let s = try await DemoParty.load(on: app.db, seed: 7, today: testToday, now: 1_782_777_600)
            try #require(s.members > 0 && s.expected > 0)
            try await app.partyTallyMatches("demo")
            try await app.partyTotalsMatch("demo")
            let f = try await app.call(.GET, "/api/v1/party/figures", as: .district)
            try #require(f.status == .ok, "\(f.text)")
            let byGrid = try await PartyQueries(app.db, today: testToday).rollByGrid(prefix: "")
            #expect(f.json["members"].int == byGrid.values.map(\.members).reduce(0, +), "\(f.text)")
            #expect(f.json["expected_to_report"].int == byGrid.values.map(\.expected).reduce(0, +), "\(f.text)")
            #expect(f.json["reported"].int == byGrid.values.map(\.reported).reduce(0, +), "\(f.text)")
            #expect(f.json["members"].int == s.members)
        }
    }

    @Test("registering, 接转, 报到 and its removal, a move of home to another community, and 转出 each move the tally in their transaction")
    func writes() async throws {
        try await withTestApp { app in
            let tree = try await app.partyTree()
            let person = try await app.partyResident()
            let add = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"])
            try #require(add.status == .created, "\(add.text)")
            let id = try #require(add.json["id"].string)
            try await app.partyTallyMatches("add")
            #expect(try await PartyTally.stored(on: app.db) == ["321271002001|321271002001|1|0"])

            let outside = try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["outside_org": "泰州市教育局机关党支部", "reported_on": "2026-03-01", "version": 1])
            try #require(outside.status == .ok, "\(outside.text)")
            try await app.partyTallyMatches("接转 and 报到")
            #expect(try await PartyTally.stored(on: app.db) == ["321271002001||1|1"])
            try await app.partyTotalsMatch("报到")

            let unreported = try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["outside_org": "泰州市教育局机关党支部", "version": 2])
            try #require(unreported.status == .ok && unreported.json["reported_on"].string == nil, "\(unreported.text)")
            try await app.partyTallyMatches("报到 cleared")
            #expect(try await PartyTally.stored(on: app.db) == ["321271002001||1|0"])
            try await app.partyTotalsMatch("报到 cleared")

            let back = try await app.call(.PATCH, "/api/v1/party/members/\(id)", json: ["org_id": tree.branch, "version": 3])
            try #require(back.status == .ok, "\(back.text)")
            // A move of home to another community of the street (the registry's write, as the data layer takes it: a worker
            // reaches only their own community): the member now lives away from their branch (在职党员).
            let household = try #require(try await app.sql().raw("SELECT id FROM households WHERE grid_code LIKE '321271002002%' ORDER BY id LIMIT 1").first())
                .decode(column: "id", as: UUID.self)
            let version = try #require(try await app.sql().raw("SELECT version FROM residents WHERE id = \(bind: person)").first()).decode(column: "version", as: Int.self)
            let moved = try await ResidentQueries(app.db, cipher: testCipher, today: testToday, cache: app.linli.residentCache)
                .record(ResidentChange(kind: .move, occurredOn: nil, toHouseholdID: household, relation: "other", version: version), for: person,
                        in: .everything, by: .system("test"))
            #expect(moved.gridCode.hasPrefix("321271002002"))
            try await app.partyTallyMatches("move of home")
            #expect(try await PartyTally.stored(on: app.db) == ["321271002002|321271002001|1|0"])
            try await app.partyTotalsMatch("move of home")

            let gone = try await app.call(.POST, "/api/v1/party/members/\(id)/remove", json: ["reason": "组织关系转出", "version": 4], as: .street)
            try #require(gone.status == .noContent, "\(gone.text)")
            #expect(try await PartyTally.stored(on: app.db).isEmpty)
            #expect(try await PartyTally.recounted(on: app.db).isEmpty)
            // A stale write changes nothing, the tally included.
            let again = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": person.uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"],
                                           as: .street)
            try #require(again.status == .created, "\(again.text)")
            let stale = try await app.call(.PATCH, "/api/v1/party/members/\(try #require(again.json["id"].string))", json: ["outside_org": "某单位", "version": 9], as: .street)
            #expect(stale.status == .conflict, "\(stale.text)")
            #expect(try await PartyTally.stored(on: app.db) == ["321271002002|321271002001|1|0"])
        }
    }

    @Test("a merge of two communities: members and their branch move to the successor, the tally with them, in the boundary change's transaction")
    func merge() async throws {
        try await withTestApp { app in
            _ = try await DemoParty.load(on: app.db, seed: 7, today: testToday, now: 1_782_777_600)
            let tree = try await app.partyTree()
            // One member living in the neighbouring community with the branch: 在职党员 before, not after the merge.
            let neighbour = try #require(try await app.sql().raw("""
                SELECT id FROM residents WHERE grid_code LIKE '321271002002%' AND life_status = 'active' AND birth_date < '1990-01-01'
                AND id NOT IN (SELECT resident_id FROM party_members) ORDER BY id LIMIT 1
                """).first()).decode(column: "id", as: UUID.self)
            let add = try await app.call(.POST, "/api/v1/party/members", json: ["resident_id": neighbour.uuidString, "org_id": tree.branch, "joined_on": "2010-07-01"],
                                         as: .street)
            try #require(add.status == .created, "\(add.text)")
            try await app.partyTallyMatches("before the merge")
            let before = try await app.call(.GET, "/api/v1/party/figures", as: .street)
            try #require(before.status == .ok, "\(before.text)")

            let (id, version) = try await app.approvedOrder(mergeBody)
            let applied = try await app.call(.POST, "/api/v1/boundary/orders/\(id)/application", json: ["version": version], as: .district)
            try #require(applied.status == .ok && applied.json["state"].string == "applied", "\(applied.text)")
            try await app.partyTallyMatches("after the merge")
            let stored = try await PartyTally.stored(on: app.db)
            #expect(!stored.contains { $0.hasPrefix("321271002001|") || $0.hasPrefix("321271002002|") }, "\(stored)")
            #expect(stored.contains { $0.hasPrefix("321271002014|321271002014|") }, "\(stored)")
            let after = try await app.call(.GET, "/api/v1/party/figures", as: .street)
            #expect(after.json["members"].int == before.json["members"].int, "\(after.text)")
            #expect((after.json["expected_to_report"].int ?? 0) < (before.json["expected_to_report"].int ?? 0), "\(before.text) → \(after.text)")
            // (The worker's account moved to the successor: the district's and the street's totals are compared.)
            try await app.partyTotalsMatch("after the merge", users: [.district, .street])
        }
    }
}
