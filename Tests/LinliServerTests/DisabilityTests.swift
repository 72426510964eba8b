import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A card as the API answers it.
struct DisabilityCardAnswer: Decodable {
    var id: UUID
    var residentId: UUID
    var name: String
    var category: String
    var grade: Int
    var numberMasked: String
    var status: String
    var lastAssessedOn: String?
    var assessmentOverdue: Bool
    var inRehab: Bool
    var version: Int
}

extension Application {
    /// An active resident of the worker's community (`skip` picks another) with their ID number.
    func disabilityResident(skip: Int = 0, grid: String = "321271002001") async throws -> (id: UUID, idNumber: String, household: UUID) {
        let row = try #require(try await sql().raw("""
            SELECT id, id_cipher, household_id FROM residents WHERE grid_code LIKE \(bind: grid + "%") AND life_status = 'active'
            ORDER BY id LIMIT 1 OFFSET \(unsafeRaw: String(skip))
            """).first())
        return (try row.decode(column: "id", as: UUID.self), try testCipher.open(try row.decode(column: "id_cipher", as: Data.self)),
                try row.decode(column: "household_id", as: UUID.self))
    }

    func registerCard(_ resident: UUID, number: String, category: String = "physical", grade: Int = 3, issuedOn: String = "2026-06-01",
                      as user: TestUser = .worker) async throws -> APIResponse {
        try await call(.POST, "/api/v1/disability/cards", json: ["resident_id": resident.uuidString, "card_number": number, "category": category,
                                                                 "grade": grade, "issued_on": issuedOn, "valid_until": "2036-06-01"], as: user)
    }

    fileprivate func storedTags(_ id: UUID) async throws -> String {
        try #require(try await sql().raw("SELECT tags FROM residents WHERE id = \(bind: id)").first()).decode(column: "tags", as: String.self)
    }
}

private func fields(_ r: APIResponse) -> [String] { r.json["errors"].array.compactMap { $0["field"].string } }

@Suite("助残康复: cards, assessments, services, devices, subsidies through the API")
struct DisabilityTests {
    @Test("A card is registered for a resident: number sealed and masked, the tag 残疾人 set, audited; one card per person")
    func register() async throws {
        try await withTestApp { app in
            let p = try await app.disabilityResident()
            // Whatever the demo district tagged, the person starts without the tag.
            try await app.sql().raw("UPDATE residents SET tags = '' WHERE id = \(bind: p.id)").run()
            try await app.sql().raw("DELETE FROM resident_tags WHERE resident_id = \(bind: p.id)").run()
            let r = try await app.registerCard(p.id, number: p.idNumber + "43")
            #expect(r.status == .created, "\(r.text)")
            let c = try r.decode(DisabilityCardAnswer.self)
            #expect(c.category == "physical" && c.grade == 3 && c.status == "active")
            #expect(c.numberMasked == String(p.idNumber.prefix(6)) + "**********" + String(p.idNumber.suffix(2)) + "43")
            #expect(!c.name.isEmpty && c.name.contains("*"))
            #expect(try await app.storedTags(p.id) == "disabled")
            #expect(try await app.rowCount("resident_tags WHERE tag = 'disabled'") >= 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.register'") == 1)
            // The full number is nowhere in the clear.
            let stored = try #require(try await app.sql().raw("SELECT number_masked, number_index FROM disability_cards").first())
            #expect(try stored.decode(column: "number_masked", as: String.self) != p.idNumber + "43")
            #expect(try stored.decode(column: "number_index", as: String.self) == testCipher.blindIndex(p.idNumber + "43"))

            let again = try await app.registerCard(p.id, number: p.idNumber + "42", grade: 2)
            #expect(again.status == .conflict)
            #expect(again.isProblem && fields(again) == ["resident_id"])
            #expect(try await app.rowCount("disability_cards") == 1)
        }
    }

    @Test("Bad cards are refused naming the field and write nothing")
    func refused() async throws {
        try await withTestApp { app in
            let p = try await app.disabilityResident(), other = try await app.disabilityResident(skip: 1)
            let tagsBefore = try await app.storedTags(p.id)
            let cases: [(String, String, String)] = [
                ("card_number", other.idNumber + "43", "another person's ID number"),
                ("card_number", p.idNumber + "4", "19 characters"),
                ("card_number", p.idNumber + "13", "category digit 1 for 肢体"),
                ("card_number", p.idNumber + "44", "grade digit 4 for 三级"),
                ("card_number", p.idNumber + "93", "unknown category digit"),
            ]
            for (field, number, why) in cases {
                let r = try await app.registerCard(p.id, number: number)
                #expect(r.status == .unprocessableEntity, "\(why): \(r.text)")
                #expect(r.isProblem && fields(r) == [field], "\(why): \(r.text)")
            }
            var r = try await app.registerCard(p.id, number: p.idNumber + "43", category: "tactile")
            #expect(r.status == .unprocessableEntity && fields(r) == ["category"], "\(r.text)")
            r = try await app.registerCard(p.id, number: p.idNumber + "43", grade: 5)
            #expect(r.status == .unprocessableEntity && fields(r) == ["grade"], "\(r.text)")
            r = try await app.registerCard(p.id, number: p.idNumber + "43", issuedOn: "2026-07-01")
            #expect(r.status == .unprocessableEntity && fields(r) == ["issued_on"], "\(r.text)")
            r = try await app.registerCard(UUID(), number: p.idNumber + "43")
            #expect(r.status == .unprocessableEntity && fields(r) == ["resident_id"], "\(r.text)")
            // Out of the worker's community is as unknown.
            let far = try await app.disabilityResident(grid: "321271003001")
            r = try await app.registerCard(far.id, number: far.idNumber + "43")
            #expect(r.status == .unprocessableEntity && fields(r) == ["resident_id"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards", rawBody: "resident_id=x", contentType: "application/x-www-form-urlencoded")
            #expect(r.status == .unsupportedMediaType)
            #expect(try await app.rowCount("disability_cards") == 0)
            #expect(try await app.storedTags(p.id) == tagsBefore)
        }
    }

    @Test("A change of grade is an update with its version (stale → 409), audited; ending the card clears the tag")
    func updateAndEnd() async throws {
        try await withTestApp { app in
            let p = try await app.disabilityResident()
            let c = try (try await app.registerCard(p.id, number: p.idNumber + "43")).decode(DisabilityCardAnswer.self)
            let body: [String: Any] = ["card_number": p.idNumber + "42", "category": "physical", "grade": 2, "issued_on": "2026-06-20", "version": c.version]
            var r = try await app.call(.PUT, "/api/v1/disability/cards/\(c.id)", json: body)
            #expect(r.status == .ok, "\(r.text)")
            let updated = try r.decode(DisabilityCardAnswer.self)
            #expect(updated.grade == 2 && updated.version == c.version + 1)
            r = try await app.call(.PUT, "/api/v1/disability/cards/\(c.id)", json: body)
            #expect(r.status == .conflict, "\(r.text)")
            var wrong = body
            wrong["version"] = updated.version
            wrong["grade"] = 1
            r = try await app.call(.PUT, "/api/v1/disability/cards/\(c.id)", json: wrong)
            #expect(r.status == .unprocessableEntity && fields(r) == ["card_number"], "\(r.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.update'") == 1)

            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/end", json: ["version": updated.version, "ended_on": "2026-07-02", "reason": "迁出"])
            #expect(r.status == .unprocessableEntity && fields(r) == ["ended_on"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/end", json: ["version": updated.version, "ended_on": "2026-06-29", "reason": "迁出本区"])
            #expect(r.status == .ok, "\(r.text)")
            #expect(try r.decode(DisabilityCardAnswer.self).status == "ended")
            #expect(!(try await app.storedTags(p.id)).contains("disabled"))
            let list = try await app.call(.GET, "/api/v1/disability/cards")
            #expect(list.status == .ok)
            #expect(list.json["total"].int == 0)
            // A holder who died: the card says so until it is ended.
            let q = try await app.disabilityResident(skip: 2)
            let d = try (try await app.registerCard(q.id, number: q.idNumber + "52", category: "intellectual", grade: 2)).decode(DisabilityCardAnswer.self)
            try await app.sql().raw("UPDATE residents SET life_status = 'deceased' WHERE id = \(bind: q.id)").run()
            let gone = try await app.call(.GET, "/api/v1/disability/cards/\(d.id)")
            #expect(gone.status == .ok)
            #expect(gone.json["card"]["holder_active"].raw as? Bool == false)
            let page = try await app.page("/console/disability/\(d.id)")
            #expect(page.status == .ok && page.text.contains("持证人已死亡或迁出，请注销残疾人证"))
        }
    }

    @Test("Assessments, services and devices: rules at their fields; the overdue flag and the rehab flag follow them; the full view is audited")
    func assessmentsServicesDevices() async throws {
        try await withTestApp { app in
            let p = try await app.disabilityResident()
            let c = try (try await app.registerCard(p.id, number: p.idNumber + "11", category: "vision", grade: 1)).decode(DisabilityCardAnswer.self)
            // Registered today: not overdue yet; 31 days on it would be (the rule is in Core, the list filter in SQL).
            #expect(!c.assessmentOverdue && c.lastAssessedOn == nil)
            try await app.sql().raw("UPDATE disability_cards SET registered_on = '2026-05-29' WHERE id = \(bind: c.id)").run()
            var list = try await app.call(.GET, "/api/v1/disability/cards?overdue=true")
            #expect(list.status == .ok)
            #expect(list.json["items"].array.map { $0["id"].string } == [c.id.uuidString])
            #expect(list.json["items"][0]["assessment_overdue"].raw as? Bool == true)

            var r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/assessments",
                                       json: ["assessed_on": "2026-07-01", "assessor": "", "needs": ["flying"], "result": "services"])
            #expect(r.status == .unprocessableEntity && fields(r) == ["needs"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/assessments",
                                   json: ["assessed_on": "2026-07-01", "assessor": "", "needs": [], "result": "services"])
            #expect(r.status == .unprocessableEntity)
            #expect(Set(fields(r)) == ["assessed_on", "assessor", "needs"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/assessments",
                                   json: ["assessed_on": "2026-06-30", "assessor": "王芳", "needs": ["rehab_training", "assistive_device"], "result": "services"])
            #expect(r.status == .created, "\(r.text)")
            list = try await app.call(.GET, "/api/v1/disability/cards?overdue=true")
            #expect(list.json["total"].int == 0)

            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/services",
                                   json: ["setting": "community", "provider": "社区康复站", "started_on": "2026-06-10", "ended_on": "2026-06-01", "sessions": 10])
            #expect(r.status == .unprocessableEntity && fields(r) == ["ended_on"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/services",
                                   json: ["setting": "spa", "provider": "社区康复站", "started_on": "2026-06-10", "sessions": 10])
            #expect(r.status == .unprocessableEntity && fields(r) == ["setting"], "\(r.text)")
            #expect(try await app.rowCount("disability_services") == 0)
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/services",
                                   json: ["setting": "home", "provider": "家庭医生签约团队", "started_on": "2026-06-10", "sessions": 10])
            #expect(r.status == .created, "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/devices", json: ["device": "盲杖", "issued_on": "2026-07-03", "source": "government"])
            #expect(r.status == .unprocessableEntity && fields(r) == ["issued_on"], "\(r.text)")
            r = try await app.call(.POST, "/api/v1/disability/cards/\(c.id)/devices", json: ["device": "盲杖", "issued_on": "2026-06-20", "source": "government"])
            #expect(r.status == .created, "\(r.text)")

            let summary = try await app.call(.GET, "/api/v1/disability/cards/\(c.id)")
            #expect(summary.status == .ok)
            #expect(summary.json["card"]["in_rehab"].raw as? Bool == true)
            #expect(summary.json["card"]["last_assessed_on"].string == "2026-06-30")
            #expect(!summary.text.contains(p.idNumber))
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.view'") == 0)
            let full = try await app.call(.GET, "/api/v1/disability/cards/\(c.id)/full")
            #expect(full.status == .ok)
            #expect(full.json["card_number"].string == p.idNumber + "11")
            #expect(full.json["assessments"][0]["needs"].strings == ["rehab_training", "assistive_device"])
            #expect(full.json["services"][0]["setting"].string == "home")
            #expect(full.json["devices"][0]["device"].string == "盲杖")
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.view'") == 1)
            // Other communities do not see it; a resident may not read the roll.
            #expect(try await app.call(.GET, "/api/v1/disability/cards/\(c.id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/disability/cards", as: .resident).status == .forbidden)
            // The street sees it but does not write.
            #expect(try await app.call(.GET, "/api/v1/disability/cards/\(c.id)", as: .street).status == .ok)
            #expect(try await app.registerCard(p.id, number: p.idNumber + "11", as: .street).status == .forbidden)

            // The indicators: a second holder, unassessed and registered 40 days ago, is overdue and lowers the shares.
            let q = try await app.disabilityResident(skip: 3)
            let second = try (try await app.registerCard(q.id, number: q.idNumber + "34", category: "speech", grade: 4)).decode(DisabilityCardAnswer.self)
            try await app.sql().raw("UPDATE disability_cards SET registered_on = '2026-05-21' WHERE id = \(bind: second.id)").run()
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(indicators.status == .ok)
            func reading(_ code: String) -> JSONValue { JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("disability.holders")["value"].double == 2, "\(reading("disability.holders"))")
            #expect(reading("disability.assessed")["value"].double == 50)
            #expect(reading("disability.in_rehab")["numerator"].int == 1 && reading("disability.in_rehab")["denominator"].int == 2)
            #expect(reading("disability.assessment_overdue")["value"].double == 1)
            try await app.sql().raw("UPDATE disability_cards SET registered_on = '2026-06-30' WHERE id = \(bind: second.id)").run()
            let figures = try await app.call(.GET, "/api/v1/disability/figures", as: .district)
            #expect(figures.status == .ok)
            #expect(figures.json["holders"].int == 2 && figures.json["assessed"].int == 1 && figures.json["in_rehab"].int == 1
                    && figures.json["assessment_overdue"].int == 0)
        }
    }

    @Test("Subsidies: grade 一级 with no case may apply for 护理补贴; in a 低保 household also for 生活补贴; an open case is listed, not hinted")
    func subsidies() async throws {
        try await withTestApp { app in
            let p = try await app.disabilityResident()
            let c = try (try await app.registerCard(p.id, number: p.idNumber + "41", grade: 1)).decode(DisabilityCardAnswer.self)
            var r = try await app.call(.GET, "/api/v1/disability/cards/\(c.id)")
            #expect(r.status == .ok)
            #expect(r.json["subsidies"]["may_apply"].strings == ["disability_care"])
            #expect(r.json["subsidies"]["in_dibao_household"].raw as? Bool == false)
            // A 低保 case approved for the household and a 护理补贴 case being handled for the holder.
            let sql = try app.sql()
            for (kind, stage, applicant) in [("dibao", "approved", p.id), ("disability_care", "accepted", p.id)] {
                try await sql.raw("""
                    INSERT INTO assistance_cases (id, number, kind, stage, household_id, applicant_id, grid_code, community_code, street_code, area, members,
                      facts_cipher, amount, accepted_on, due_on, approval_level, granted_first, accepted_by, version, created_at, updated_at)
                    SELECT \(bind: UUID()), \(bind: "JZ-" + kind), \(bind: kind), \(bind: stage), household_id, \(bind: applicant), grid_code,
                      substr(grid_code, 1, 12), substr(grid_code, 1, 9), 'urban', 1, \(bind: Data([0])), 120, '2026-06-01', '2026-07-01', 'district',
                      \(bind: false), 'test', 1, 0, 0 FROM residents WHERE id = \(bind: p.id)
                    """).run()
            }
            r = try await app.call(.GET, "/api/v1/disability/cards/\(c.id)")
            #expect(r.json["subsidies"]["in_dibao_household"].raw as? Bool == true)
            #expect(r.json["subsidies"]["may_apply"].strings == ["disability_living"])
            #expect(r.json["subsidies"]["cases"].array.map { $0["kind"].string } == ["disability_care"])
            #expect(r.json["subsidies"]["cases"][0]["monthly_amount"].int == 120)
        }
    }
}
