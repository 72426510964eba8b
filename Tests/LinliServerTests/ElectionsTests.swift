import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A second community worker of the worker's community (double entry needs two), with a session.
    func secondCounter() async throws -> String {
        let hash = try await password.async.hash(TestUser.password)
        let account = try await AccountQueries(db).create(username: "counter2", displayName: "counter2", role: Role.communityWorker.rawValue,
                                                          divisionCode: TestUser.worker.scope, departmentCode: nil, passwordHash: hash, totpCipher: nil,
                                                          by: .system("test"))
        let token = UUID().uuidString + UUID().uuidString
        _ = try await AccountQueries(db).openSession(account: account, tokenHash: LinliServer.Sessions.hash(token), ip: "127.0.0.1", now: test.clock.now,
                                                     lifetime: 3600, totpStep: nil, by: .system("test"))
        return token
    }

    /// Who may vote in `community` on `day`, counted independently of the draw.
    func expectedRoll(_ community: String, on day: CivilDate) async throws -> Set<UUID> {
        Set(try await sql().raw("""
            SELECT id FROM residents WHERE life_status = 'active' AND residence_status = 'registered' AND grid_code LIKE \(bind: community + "%")
            AND birth_date <= \(bind: day.yearsEarlier(18).description)
            """).all().map { try $0.decode(column: "id", as: UUID.self) })
    }

    func electionPlan(day: CivilDate, seats: Int = 5, community: String = TestUser.worker.scope) -> [String: Any] {
        ["community_code": community, "method": "direct", "seats": seats, "vice_chairs": 1, "committee": ["王建国", "李红", "张伟"],
         "roll_published_on": day.adding(days: -20).description, "roll_frozen_on": day.adding(days: -5).description,
         "candidates_published_on": day.adding(days: -5).description, "election_day": day.description]
    }
}

@Suite("换届选举: the API", .serialized)
struct ElectionsTests {
    let day = testToday.adding(days: 30)

    @Test("an election end to end: plan, roll drawn from the registry, candidates, proxies, double entry, the committee elected; bad input refused")
    func endToEnd() async throws {
        try await withTestApp(residents: 3000) { app in
            // Bad plans: too few seats for a residents' committee, the roll less than 20 days before the vote; nothing written.
            var bad = app.electionPlan(day: day, seats: 4)
            bad["roll_published_on"] = day.adding(days: -19).description
            let refused = try await app.call(.POST, "/api/v1/elections", json: bad)
            #expect(refused.status == .unprocessableEntity && refused.isProblem)
            #expect(Set(refused.json.errorFields) == ["seats", "roll_published_on"], "\(refused.text)")
            #expect(try await app.call(.POST, "/api/v1/elections", rawBody: "x", contentType: "text/plain").status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/elections", json: app.electionPlan(day: day), as: .street).status == .forbidden)
            #expect(try await app.rowCount("elections") == 0)

            let created = try await app.call(.POST, "/api/v1/elections", json: app.electionPlan(day: day))
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"].string)
            #expect(created.json["committee_kind"].string == "residents")
            let second = try await app.call(.POST, "/api/v1/elections", json: app.electionPlan(day: day))
            #expect(second.status == .conflict && second.json.errorFields == ["community_code"])

            // Two registered residents of the community: one turning 18 on election day, one the day after.
            let pair = try await app.sql().raw("""
                SELECT id FROM residents WHERE life_status = 'active' AND residence_status = 'registered' AND grid_code LIKE \(bind: TestUser.worker.scope + "%")
                ORDER BY id LIMIT 2
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            try #require(pair.count == 2)
            let (eighteen, seventeen) = (pair[0], pair[1])
            try await app.sql().raw("UPDATE residents SET birth_date = \(bind: day.yearsEarlier(18).description) WHERE id = \(bind: eighteen)").run()
            try await app.sql().raw("UPDATE residents SET birth_date = \(bind: day.yearsEarlier(18).adding(days: 1).description) WHERE id = \(bind: seventeen)").run()
            // The roll: exactly the registered, living adults of the community on election day.
            let published = try await app.call(.POST, "/api/v1/elections/\(id)/publish-roll", json: ["version": 1])
            #expect(published.status == .ok, "\(published.text)")
            let expected = try await app.expectedRoll(TestUser.worker.scope, on: day)
            #expect(expected.count >= 10)
            #expect(published.json["roll_count"].int == expected.count)
            let drawn = Set(try await app.sql().raw("SELECT resident_id FROM election_voters WHERE election_id = \(bind: UUID(uuidString: id)!)").all()
                .map { try $0.decode(column: "resident_id", as: UUID.self) })
            #expect(drawn == expected)
            #expect(drawn.contains(eighteen) && !drawn.contains(seventeen))
            #expect(try await app.call(.POST, "/api/v1/elections/\(id)/publish-roll", json: ["version": 1]).status == .conflict)

            // A person under 18 on election day cannot be added; nor be a candidate.
            let minor = try #require(try await app.sql().raw("""
                SELECT id FROM residents WHERE life_status = 'active' AND grid_code LIKE \(bind: TestUser.worker.scope + "%") AND birth_date > \(bind: day.yearsEarlier(18).description)
                """).first()?.decode(column: "id", as: UUID.self))
            let young = try await app.call(.POST, "/api/v1/elections/\(id)/voters", json: ["resident_id": minor.uuidString, "decision": "在本社区居住满一年"])
            #expect(young.status == .unprocessableEntity && young.json.errorFields == ["resident_id"], "\(young.text)")
            let notOnRoll = try await app.call(.POST, "/api/v1/elections/\(id)/candidates", json: ["resident_id": minor.uuidString, "post": "member"])
            #expect(notOnRoll.status == .unprocessableEntity && notOnRoll.json.errorFields == ["resident_id"], "\(notOnRoll.text)")
            #expect(try await app.rowCount("election_candidates") == 0)

            let voters = expected.sorted { $0.uuidString < $1.uuidString }
            let candidates = Array(voters.prefix(5))
            for (k, c) in candidates.enumerated() {
                let r = try await app.call(.POST, "/api/v1/elections/\(id)/candidates", json: ["resident_id": c.uuidString, "post": k == 0 ? "chair" : "member"])
                #expect(r.status == .created, "\(r.text)")
            }
            // Proxies: three to one holder, a fourth refused at the field.
            let holder = voters[5]
            for g in voters[6...8] {
                #expect(try await app.call(.POST, "/api/v1/elections/\(id)/proxies", json: ["grantor_id": g.uuidString, "holder_id": holder.uuidString]).status == .created)
            }
            let fourth = try await app.call(.POST, "/api/v1/elections/\(id)/proxies", json: ["grantor_id": voters[0].uuidString, "holder_id": holder.uuidString])
            #expect(fourth.status == .unprocessableEntity && fourth.json.errorFields == ["holder_id"], "\(fourth.text)")
            #expect(try await app.rowCount("election_proxies") == 3)

            let list = try await app.call(.POST, "/api/v1/elections/\(id)/publish-candidates", json: ["version": 2])
            #expect(list.status == .ok, "\(list.text)")

            // Counting: a vote total above the ballots refused; two entries that differ leave the box open, naming the field.
            let box = try await app.call(.POST, "/api/v1/elections/\(id)/boxes", json: ["kind": "central", "label": "中心会场"])
            #expect(box.status == .created, "\(box.text)")
            let boxID = try #require(box.json["id"].string)
            let n = expected.count, cast = n * 9 / 10
            func count(_ first: Int, version: Int) -> [String: Any] {
                ["issued": cast, "returned": cast, "valid": cast, "invalid": 0, "version": version,
                 "votes": candidates.enumerated().map { ["candidate_id": $0.element.uuidString, "votes": $0.offset == 0 ? first : cast] }]
            }
            let over = try await app.call(.POST, "/api/v1/elections/\(id)/boxes/\(boxID)/entries", json: count(cast + 1, version: 1))
            #expect(over.status == .unprocessableEntity && over.json.errorFields == ["votes"], "\(over.text)")
            let huge = try await app.call(.POST, "/api/v1/elections/\(id)/boxes/\(boxID)/entries",
                                          json: ["issued": Int64.max, "returned": Int64.min, "valid": 0, "invalid": 0, "version": 1, "votes": [] as [Any]])
            #expect(huge.status == .unprocessableEntity, "\(huge.text)")
            let first = try await app.call(.POST, "/api/v1/elections/\(id)/boxes/\(boxID)/entries", json: count(cast, version: 1))
            #expect(first.status == .ok && first.json["confirmed"].raw as? Bool == false, "\(first.text)")
            let other = try await app.secondCounter()
            let differs = try await app.call(.POST, "/api/v1/elections/\(id)/boxes/\(boxID)/entries", json: count(cast - 1, version: 2), token: other)
            #expect(differs.status == .ok && differs.json["confirmed"].raw as? Bool == false, "\(differs.text)")
            #expect(differs.json["differences"].array.compactMap(\.string) == ["votes.\(candidates[0].uuidString)"])
            let early = try await app.call(.POST, "/api/v1/elections/\(id)/close-round", json: ["version": 3])
            #expect(early.status == .conflict, "\(early.text)")
            let agrees = try await app.call(.POST, "/api/v1/elections/\(id)/boxes/\(boxID)/entries", json: count(cast, version: 3), token: other)
            #expect(agrees.status == .ok && agrees.json["confirmed"].raw as? Bool == true, "\(agrees.text)")

            let closed = try await app.call(.POST, "/api/v1/elections/\(id)/close-round", json: ["version": 3])
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.json["outcome"].string == "succeeded")
            #expect(closed.json["election"]["first_ballot"].raw as? Bool == true)
            #expect(closed.json["election"]["first_cast"].int == cast)
            #expect(Set(closed.json["elected"].array.compactMap(\.string)) == Set(candidates.map(\.uuidString)))
            let file = try await app.call(.GET, "/api/v1/elections/\(id)", as: .street)
            #expect(file.status == .ok)
            #expect(file.json["members"].array.count == 5)
            #expect(file.json["members"].array.first?["term_end"].string == ElectionRules.termEnd(start: day).description)
            #expect(try await app.call(.GET, "/api/v1/elections/\(id)", as: .otherWorker).status == .notFound)

            // The standard: met from election day until the term ends, not before.
            let community = TestUser.worker.scope
            #expect(try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271002", today: day) == [community])
            #expect(try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271002", today: day.adding(days: -1)).isEmpty)
            #expect(try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271002", today: ElectionRules.termEnd(start: day)).isEmpty)
            #expect(try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271003", today: day).isEmpty)

            // The portal: the roll masked, the committee published.
            let portal = try await app.page("/notices/elections/\(id)", as: .anonymous)
            #expect(portal.status == .ok)
            let someone = try #require(try await app.sql().raw("SELECT name FROM election_voters WHERE election_id = \(bind: UUID(uuidString: id)!) ORDER BY name_initials").first()?
                .decode(column: "name", as: String.self))
            #expect(portal.text.contains(Masking.name(someone)))
            #expect(try await app.page("/notices/elections", as: .anonymous).text.contains("/notices/elections/\(id)"))
            let audit = try await app.sql().raw("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'elections.%'").first()?.decode(column: "n", as: Int.self)
            #expect((audit ?? 0) >= 12)
        }
    }

    @Test("a villagers' committee: more candidates than seats (差额) before the list is published")
    func villageDifferential() async throws {
        try await withTestApp(residents: 3000) { app in
            let village = try #require(try await app.sql().raw("SELECT code FROM divisions WHERE level = 'community' AND kind = '村' ORDER BY code").first()?
                .decode(column: "code", as: String.self))
            let q = ElectionsQueries(app.db, cipher: testCipher, today: testToday)
            let actor = ElectionsActor(audit: .system("test"), scope: .everything, mayWrite: true, mayCount: true)
            let e = try await q.create(ElectionInput(communityCode: village, method: .direct, seats: 3, viceChairs: 0, committee: ["王建国", "李红", "张伟"],
                                                     rollPublishedOn: day.adding(days: -20), rollFrozenOn: day.adding(days: -5),
                                                     candidatesPublishedOn: day.adding(days: -5), electionDay: day), by: actor)
            #expect(e.committeeKind == .villagers)
            let rolled = try await q.publishRoll(e.id, version: 1, by: actor)
            let roll = try await q.voters(e.id, page: 1, per: 10).rows
            #expect(roll.count >= 4)
            for v in roll.prefix(3) { _ = try await q.nominate(e.id, resident: v.residentId, post: .member, by: actor) }
            do {
                _ = try await q.publishCandidates(e.id, version: rolled.version, by: actor)
                Issue.record("three candidates for three seats of a villagers' committee were published")
            } catch RegistryError.invalid(let errors) {
                #expect(errors.map(\.field) == ["candidates"])
            }
            _ = try await q.nominate(e.id, resident: roll[3].residentId, post: .member, by: actor)
            let published = try await q.publishCandidates(e.id, version: rolled.version, by: actor)
            #expect(published.status == .candidatesPublished)
        }
    }

    @Test("the demo's general election: every community and village, turnout 80–95 %, further rounds; the indicators and the standard count it")
    func demoAndIndicators() async throws {
        try await withTestApp(residents: 3000) { app in
            let summary = try await DemoElections.load(on: app.db, seed: 42, today: testToday, now: 0)
            let communities = try await app.sql().raw("SELECT count(*) AS n FROM divisions WHERE level = 'community'").first()?.decode(column: "n", as: Int.self)
            #expect(summary.elections == communities && summary.elections > 0)
            #expect(summary.furtherRounds > 0)
            let rows = try await app.sql().raw("SELECT community_code, status, first_ballot, roll_count, first_cast, committee_kind, seats FROM elections").all()
            var succeeded: Set<String> = [], first = 0, roll = 0, cast = 0
            for r in rows {
                let status = try r.decode(column: "status", as: String.self), code = try r.decode(column: "community_code", as: String.self)
                if status == "succeeded" { succeeded.insert(code) }
                if status == "succeeded", try r.decode(column: "first_ballot", as: Bool?.self) == true { first += 1 }
                let n = try r.decode(column: "roll_count", as: Int.self), c = try r.decode(column: "first_cast", as: Int?.self) ?? 0
                roll += n; cast += c
                #expect(c * 100 >= n * 80 - 100 && c * 100 <= n * 95, "turnout \(c)/\(n)")
            }
            #expect(succeeded.count == rows.count)
            #expect(first < succeeded.count)
            // Every villagers' committee stood more candidates than seats.
            let short = try await app.sql().raw("""
                SELECT count(*) AS n FROM elections e WHERE committee_kind = 'villagers'
                AND (SELECT count(*) FROM election_candidates c WHERE c.election_id = e.id) <= e.seats
                """).first()?.decode(column: "n", as: Int.self)
            #expect(short == 0)

            let body = try await app.call(.GET, "/api/v1/indicators", as: .district).json
            func reading(_ code: String) -> JSONValue { JSONValue(body["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("plan.election_held")["numerator"].int == succeeded.count)
            #expect(reading("plan.election_held")["denominator"].int == communities)
            #expect(reading("plan.election_held")["indicator"]["measured"].raw as? Bool == true)
            #expect(reading("plan.election_first_ballot")["numerator"].int == first)
            #expect(reading("plan.election_first_ballot")["denominator"].int == succeeded.count)
            #expect(reading("elections.turnout")["numerator"].int == cast)
            #expect(reading("elections.turnout")["denominator"].int == roll)
            #expect(try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday) == succeeded)
        }
    }
}
