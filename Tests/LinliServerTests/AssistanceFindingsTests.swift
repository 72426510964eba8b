import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

private let community = "321271002001"

extension Application {
    /// Registers a person in the `household`-th household the worker sees; returns their id and household.
    func findingPerson(born: String, sequence: Int, tags: [String], household offset: Int) async throws -> (id: String, household: String) {
        try await findingPerson(born: born, sequence: sequence, tags: tags, in: try await anyHousehold(offset: offset).id)
    }

    func findingPerson(born: String, sequence: Int, tags: [String], in household: String) async throws -> (id: String, household: String) {
        (try await registerPerson("线索测试", idNumber: newID(born, sequence: sequence), household: household, tags: tags), household)
    }

    /// `n` households of the worker's community, each moved to a building of its own (the demo puts many in one).
    func householdsInDistinctBuildings(_ n: Int) async throws -> [String] {
        let sql = try sql()
        var out: [String] = []
        for offset in 1...n {
            let hid = try #require(UUID(uuidString: try await anyHousehold(offset: offset).id))
            let h = try #require(try await sql.select().column("building_id").from("households").where("id", .equal, SQLBind(hid)).first())
            let old = try h.decode(column: "building_id", as: UUID.self)
            let b = try #require(try await sql.select().columns("grid_id", "grid_code").from("buildings").where("id", .equal, SQLBind(old)).first())
            let building = UUID()
            try await sql.insert(into: "buildings").columns("id", "grid_id", "grid_code", "name", "address", "latitude", "longitude", "version")
                .values(SQLBind(building), SQLBind(try b.decode(column: "grid_id", as: UUID.self)), SQLBind(try b.decode(column: "grid_code", as: String.self)),
                        SQLBind("测试楼\(offset)"), SQLBind("测试路\(offset)号"), SQLBind(32.4), SQLBind(119.9), SQLBind(1)).run()
            try await sql.update("households").set("building_id", to: SQLBind(building)).where("id", .equal, SQLBind(hid)).run()
            out.append(hid.uuidString.lowercased())
        }
        return out
    }

    /// A care state as an assessment leaves it.
    func setCare(_ resident: String, level: CareLevel, on day: String) async throws {
        let id = try #require(UUID(uuidString: resident))
        let sql = try sql()
        try await sql.delete(from: "care_status").where("resident_id", .equal, SQLBind(id)).run()
        try await sql.insert(into: "care_status").columns("resident_id", "grid_code", "level", "total", "assessed_on", "next_due", "has_plan")
            .values(SQLBind(id), SQLBind(community + "001"), SQLBind(level.rawValue), SQLBind(20), SQLBind(day), SQLBind("2027-01-01"), SQLBind(false))
            .run()
    }

    /// A case written directly (the application form is another part's): returns its number.
    @discardableResult
    func insertCase(household: String, applicant: String, kind: AssistanceKind, stage: AssistanceStage, endedOn: String? = nil,
                    members: [String] = []) async throws -> String {
        let sql = try sql()
        let id = UUID(), number = "JZ2026" + String(Int.random(in: 100_000...999_999))
        let hid = try #require(UUID(uuidString: household)), aid = try #require(UUID(uuidString: applicant))
        let row = try await sql.select().column("grid_code").from("households").where("id", .equal, SQLBind(hid)).first()
        let grid = try #require(try row?.decode(column: "grid_code", as: String.self))
        try await sql.insert(into: "assistance_cases")
            .columns("id", "number", "kind", "stage", "household_id", "applicant_id", "grid_code", "community_code", "street_code", "area", "members",
                     "facts_cipher", "amount", "accepted_on", "due_on", "approval_level", "granted_first", "ended_on", "accepted_by", "version",
                     "created_at", "updated_at")
            .values(SQLBind(id), SQLBind(number), SQLBind(kind.rawValue), SQLBind(stage.rawValue), SQLBind(hid),
                    SQLBind(aid), SQLBind(grid), SQLBind(String(grid.prefix(12))), SQLBind(String(grid.prefix(9))),
                    SQLBind("urban"), SQLBind(1), SQLBind(Data([1])), SQLBind(500), SQLBind("2025-10-01"), SQLBind("2025-10-31"), SQLBind("district"),
                    SQLBind(false), SQLBind(endedOn), SQLBind("worker"), SQLBind(1), SQLBind(0), SQLBind(0))
            .run()
        for m in members {
            try await sql.insert(into: "assistance_members").columns("case_id", "resident_id", "relation")
                .values(SQLBind(id), SQLBind(try #require(UUID(uuidString: m))), SQLBind("self")).run()
        }
        return number
    }

    /// A request from the household's building, reported on `day`; `alone` first detaches the demo's requests
    /// from that building, so that only the test's own count.
    func insertRequest(household: String, category: String, description: String, day: String, seq: Int64, alone: Bool = true) async throws {
        let sql = try sql()
        let hid = try #require(UUID(uuidString: household))
        let row = try await sql.select().column("building_id").from("households").where("id", .equal, SQLBind(hid)).first()
        let building = try #require(try row?.decode(column: "building_id", as: UUID.self))
        if alone { try await sql.update("requests").set("building_id", to: SQLLiteral.null).where("building_id", .equal, SQLBind(building)).run() }
        let at = Int64(try #require(CivilDate(day)).dayNumber) * 86400
        try await sql.insert(into: "requests")
            .columns("id", "seq", "category_code", "status", "level", "area_code", "holder_code", "channel", "description", "building_id",
                     "reported_at", "due_at", "escalations", "reopened", "version", "updated_at")
            .values(SQLBind(UUID()), SQLBind(seq), SQLBind(category), SQLBind("closed"), SQLBind("community"), SQLBind(community),
                    SQLBind(community), SQLBind("phone"), SQLBind(description), SQLBind(building), SQLBind(at), SQLBind(at + 86400),
                    SQLBind(0), SQLBind(0), SQLBind(1), SQLBind(at))
            .run()
    }

    /// The hits of one rule in a scope, as the data layer finds them.
    func findings(_ rule: String, scope: String = community) async throws -> [FindingHit] {
        try await AssistanceFindings(db, today: testToday).hits(in: RegistryScope(validatedCode: scope), rules: [try #require(FindingRules.rule(rule))])
    }

    func fires(_ rule: String, _ resident: String, scope: String = community) async throws -> Bool {
        try await findings(rule, scope: scope).contains { $0.residentId.uuidString.lowercased() == resident.lowercased() }
    }
}

@Suite("社会救助: 主动发现", .serialized)
struct AssistanceFindingsTests {
    @Test("an elder 80+ living alone assessed 失能 with no case; not at 79, not 半失能, not with an open case")
    func elderAloneDependent() async throws {
        try await withTestApp() { app in
            let rule = "elder_alone_dependent"
            let hit = try await app.findingPerson(born: "1944-03-01", sequence: 801, tags: ["living_alone"], household: 1)
            try await app.setCare(hit.id, level: .dependent, on: "2026-03-01")
            let young = try await app.findingPerson(born: "1946-09-01", sequence: 802, tags: ["living_alone"], household: 2)
            try await app.setCare(young.id, level: .dependent, on: "2026-03-01")
            let partly = try await app.findingPerson(born: "1944-03-01", sequence: 803, tags: ["living_alone"], household: 3)
            try await app.setCare(partly.id, level: .partlyDependent, on: "2026-03-01")
            let helped = try await app.findingPerson(born: "1944-03-01", sequence: 804, tags: ["living_alone"], household: 4)
            try await app.setCare(helped.id, level: .dependent, on: "2026-03-01")
            try await app.insertCase(household: helped.household, applicant: helped.id, kind: .medical, stage: .accepted)
            let notAlone = try await app.findingPerson(born: "1944-03-01", sequence: 805, tags: [], household: 5)
            try await app.setCare(notAlone.id, level: .dependent, on: "2026-03-01")

            let hits = try await app.findings(rule)
            let found = try #require(hits.first { $0.residentId.uuidString.lowercased() == hit.id.lowercased() })
            #expect(found.why == "82岁，独居，2026-03-01评估为失能，无救助案件")
            #expect(found.maskedName != "线索测试" && found.idMasked.contains("*"))
            for miss in [young, partly, helped, notAlone] { #expect(try await !app.fires(rule, miss.id)) }
            // A case that has ended does not count as help.
            try await app.insertCase(household: hit.household, applicant: hit.id, kind: .tekun, stage: .ended, endedOn: "2026-01-10")
            #expect(try await app.fires(rule, hit.id))
        }
    }

    @Test("a disabled person who is unemployed with no case; not one who is only disabled")
    func disabledUnemployed() async throws {
        try await withTestApp() { app in
            let hit = try await app.findingPerson(born: "1980-05-01", sequence: 811, tags: ["disabled", "unemployed"], household: 1)
            let only = try await app.findingPerson(born: "1980-05-01", sequence: 812, tags: ["disabled"], household: 2)
            let helped = try await app.findingPerson(born: "1980-05-01", sequence: 813, tags: ["disabled", "unemployed"], household: 3)
            try await app.insertCase(household: helped.household, applicant: helped.id, kind: .dibao, stage: .approved)
            #expect(try await app.fires("disabled_unemployed", hit.id))
            #expect(try await !app.fires("disabled_unemployed", only.id))
            #expect(try await !app.fires("disabled_unemployed", helped.id))
        }
    }

    @Test("a case ended within six months and a hardship request from the building; not an older end, not another request")
    func endedHardship() async throws {
        try await withTestApp() { app in
            let rule = "ended_hardship_request"
            let houses = try await app.householdsInDistinctBuildings(3)
            let hit = try await app.findingPerson(born: "1970-01-01", sequence: 821, tags: [], in: houses[0])
            let number = try await app.insertCase(household: hit.household, applicant: hit.id, kind: .dibao, stage: .ended, endedOn: "2026-04-01")
            try await app.insertRequest(household: hit.household, category: "SJ0501", description: "家里生活困难", day: "2026-06-01", seq: 990_001)
            let old = try await app.findingPerson(born: "1970-01-01", sequence: 822, tags: [], in: houses[1])
            try await app.insertCase(household: old.household, applicant: old.id, kind: .dibao, stage: .ended, endedOn: "2025-11-30")
            try await app.insertRequest(household: old.household, category: "SJ0501", description: "求助", day: "2026-06-01", seq: 990_002)
            let other = try await app.findingPerson(born: "1970-01-01", sequence: 823, tags: [], in: houses[2])
            try await app.insertCase(household: other.household, applicant: other.id, kind: .dibao, stage: .ended, endedOn: "2026-04-01")
            try await app.insertRequest(household: other.household, category: "SJ0102", description: "乱搭乱建", day: "2026-06-01", seq: 990_003)

            let found = try #require(try await app.findings(rule).first { $0.residentId.uuidString.lowercased() == hit.id.lowercased() })
            #expect(found.why.contains(number) && found.why.contains("2026-04-01") && found.why.contains("990001"), "\(found.why)")
            #expect(try await !app.fires(rule, old.id))
            #expect(try await !app.fires(rule, other.id))
            // A newer request is new facts: a new fingerprint.
            try await app.insertRequest(household: hit.household, category: "SJ0501", description: "又有困难", day: "2026-06-20", seq: 990_004,
                                     alone: false)
            let again = try #require(try await app.findings(rule).first { $0.residentId.uuidString.lowercased() == hit.id.lowercased() })
            #expect(again.fingerprint != found.fingerprint && again.why.contains("990004"))
        }
    }

    @Test("a 低保 household member registered as disabled without the subsidy; not with it, not a member who is not disabled")
    func dibaoMemberDisabled() async throws {
        try await withTestApp() { app in
            let rule = "dibao_member_disabled"
            let hit = try await app.findingPerson(born: "1990-01-01", sequence: 831, tags: ["disabled"], household: 1)
            try await app.insertCase(household: hit.household, applicant: hit.id, kind: .dibao, stage: .approved, members: [hit.id])
            let subsidised = try await app.findingPerson(born: "1990-01-01", sequence: 832, tags: ["disabled"], household: 2)
            try await app.insertCase(household: subsidised.household, applicant: subsidised.id, kind: .dibao, stage: .approved, members: [subsidised.id])
            try await app.insertCase(household: subsidised.household, applicant: subsidised.id, kind: .disabilityLiving, stage: .approved)
            let able = try await app.findingPerson(born: "1990-01-01", sequence: 833, tags: [], household: 3)
            try await app.insertCase(household: able.household, applicant: able.id, kind: .dibao, stage: .approved, members: [able.id])
            let refused = try await app.findingPerson(born: "1990-01-01", sequence: 834, tags: ["disabled"], household: 4)
            try await app.insertCase(household: refused.household, applicant: refused.id, kind: .dibao, stage: .refused, members: [refused.id])
            #expect(try await app.fires(rule, hit.id))
            for miss in [subsidised, able, refused] { #expect(try await !app.fires(rule, miss.id)) }
        }
    }

    @Test("a handled hit does not come back; it does when the facts change; the mark is audited")
    func handledStaysHandled() async throws {
        try await withTestApp() { app in
            let rule = "elder_alone_dependent"
            let p = try await app.findingPerson(born: "1944-03-01", sequence: 841, tags: ["living_alone"], household: 1)
            try await app.setCare(p.id, level: .dependent, on: "2026-03-01")
            let listed = try await app.call(.GET, "/api/v1/assistance/findings?rule=\(rule)&per_page=100")
            #expect(listed.status == .ok, "\(listed.text)")
            let items = listed.json["items"].array
            let item = try #require(items.first { $0["resident_id"].string?.lowercased() == p.id.lowercased() }, "\(listed.text)")
            #expect(item["first_seen_on"].string == testToday.description && item["why"].string?.contains("82岁") == true)
            #expect(item["name"].string != "线索测试")

            let marked = try await app.call(.POST, "/api/v1/assistance/findings/marks",
                                            json: ["rule": rule, "resident_id": p.id, "outcome": "contacted"])
            #expect(marked.status == .created, "\(marked.text)")
            #expect(try await !app.fires(rule, p.id))
            let after = try await app.call(.GET, "/api/v1/assistance/findings?rule=\(rule)&per_page=100")
            #expect(after.status == .ok)
            #expect(after.json["total"].int == (listed.json["total"].int ?? 0) - 1)
            #expect(!after.json["items"].array.contains { $0["resident_id"].string?.lowercased() == p.id.lowercased() })
            let twice = try await app.call(.POST, "/api/v1/assistance/findings/marks", json: ["rule": rule, "resident_id": p.id, "outcome": "applied"])
            #expect(twice.status == .conflict, "\(twice.text)")
            let audit = try #require(try await app.sql().raw("SELECT count(*) AS n FROM audit_log WHERE action = 'assistance.finding.mark'").first())
            #expect(try audit.decode(column: "n", as: Int.self) == 1)

            // A new assessment is new facts: the hit is back, seen anew.
            try await app.setCare(p.id, level: .dependent, on: "2026-06-15")
            #expect(try await app.fires(rule, p.id))
            let notEligible = try await app.call(.POST, "/api/v1/assistance/findings/marks",
                                                 json: ["rule": rule, "resident_id": p.id, "outcome": "not_eligible"])
            #expect(notEligible.status == .unprocessableEntity, "\(notEligible.text)")
            #expect(notEligible.text.contains("reason"))
            let withReason = try await app.call(.POST, "/api/v1/assistance/findings/marks",
                                                json: ["rule": rule, "resident_id": p.id, "outcome": "not_eligible", "reason": "子女每月赡养，收入超标"])
            #expect(withReason.status == .created, "\(withReason.text)")
            #expect(try await !app.fires(rule, p.id))
            // A person the rule no longer points at cannot be marked.
            let gone = try await app.call(.POST, "/api/v1/assistance/findings/marks",
                                          json: ["rule": "disabled_unemployed", "resident_id": p.id, "outcome": "contacted"])
            #expect(gone.status == .conflict, "\(gone.text)")
        }
    }

    @Test("scope: another community's worker neither sees nor marks the hit; marking needs assistance.write")
    func scopeAndPermission() async throws {
        try await withTestApp() { app in
            let rule = "disabled_unemployed"
            let p = try await app.findingPerson(born: "1980-05-01", sequence: 851, tags: ["disabled", "unemployed"], household: 1)
            #expect(try await app.fires(rule, p.id))
            #expect(try await !app.fires(rule, p.id, scope: "321271003001"))
            let other = try await app.call(.GET, "/api/v1/assistance/findings?rule=\(rule)&per_page=100", as: .otherWorker)
            #expect(other.status == .ok, "\(other.text)")
            #expect(!other.json["items"].array.contains { $0["resident_id"].string?.lowercased() == p.id.lowercased() })
            #expect(other.json["items"].array.allSatisfy { $0["grid_code"].string?.hasPrefix("321271003001") == true })
            let body: [String: Any] = ["rule": rule, "resident_id": p.id, "outcome": "contacted"]
            let outside = try await app.call(.POST, "/api/v1/assistance/findings/marks", json: body, as: .otherWorker)
            #expect(outside.status == .notFound, "\(outside.text)")
            for user in [TestUser.grid, .resident, .district] {
                let r = try await app.call(.POST, "/api/v1/assistance/findings/marks", json: body, as: user)
                #expect(r.status == .forbidden, "\(user): \(r.status) \(r.text)")
            }
            #expect(try await app.call(.GET, "/api/v1/assistance/findings", as: .resident).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/assistance/findings?rule=nope").status == .badRequest)
            #expect(try await app.rowCount("assistance_finding_marks") == 0)
            #expect(try await app.fires(rule, p.id))
        }
    }

    @Test("the 30-day indicator: handled in time over those handled or 30 days old")
    func indicator() async throws {
        try await withTestApp() { app in
            let a = try await app.findingPerson(born: "1980-05-01", sequence: 861, tags: ["disabled", "unemployed"], household: 1)
            let b = try await app.findingPerson(born: "1980-05-01", sequence: 862, tags: ["disabled", "unemployed"], household: 2)
            _ = try await AssistanceFindings(app.db, today: testToday).hits(in: RegistryScope(validatedCode: community), record: true)
            let sql = try app.sql()
            // Everything else seen today (not yet due); b seen 40 days ago and still open: late.
            try await sql.update("assistance_finding_marks").set("first_seen_on", to: SQLBind(testToday.adding(days: -40).description))
                .where("resident_id", .equal, SQLBind(try #require(UUID(uuidString: b.id)))).run()
            let marked = try await app.call(.POST, "/api/v1/assistance/findings/marks",
                                            json: ["rule": "disabled_unemployed", "resident_id": a.id, "outcome": "applied"])
            #expect(marked.status == .created, "\(marked.text)")
            let ind = try await app.call(.GET, "/api/v1/indicators")
            #expect(ind.status == .ok)
            let reading = JSONValue(ind.json["indicators"].array.first { $0["indicator"]["code"].string == "assistance.findings_handled_30" }?.raw)
            #expect(reading["value"].double == 50, "\(reading.raw ?? "none")")
        }
    }

    @Test("the console page lists hits with why and records an outcome (CSRF)")
    func consolePage() async throws {
        try await withTestApp() { app in
            let p = try await app.findingPerson(born: "1980-05-01", sequence: 871, tags: ["disabled", "unemployed"], household: 1)
            let page = try await app.page("/console/assistance/findings?rule=disabled_unemployed")
            #expect(page.status == .ok)
            #expect(page.text.contains("失业残疾人") && page.text.contains(p.id.lowercased()))
            #expect(page.text.contains("/console/assistance/new?household="))
            let form = [("rule", "disabled_unemployed"), ("resident_id", p.id), ("outcome", "contacted")]
            let noCSRF = try await app.submit("/console/assistance/findings/marks", form, csrf: false)
            #expect(noCSRF.status == .forbidden, "\(noCSRF.status)")
            #expect(try await app.fires("disabled_unemployed", p.id))
            let done = try await app.submit("/console/assistance/findings/marks", form)
            #expect(done.status == .seeOther, "\(done.status)")
            #expect(try await !app.fires("disabled_unemployed", p.id))
        }
    }
}
