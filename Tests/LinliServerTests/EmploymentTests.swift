import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

struct RegistrationAnswer: Decodable {
    var id: UUID
    var residentId: UUID
    var status: String
    var designated: Bool
    var categories: [String]
    var lastContactOn: String
    var contactOverdue: Bool
    var exitReason: String?
    var version: Int
}

extension Application {
    /// A resident of the worker's community (寺巷社区) of working age, aged between `minAge` and `maxAge` on the tests' day.
    func employable(minAge: Int = 20, maxAge: Int = 35, sex: String? = nil, skip: Int = 0, area: String = "321271002001") async throws -> UUID {
        let oldest = testToday.yearsEarlier(maxAge + 1).description, youngest = testToday.yearsEarlier(minAge).description
        let row = try #require(try await sql().raw("""
            SELECT id FROM residents WHERE grid_code LIKE \(bind: area + "%") AND life_status = 'active' AND birth_date > \(bind: oldest)
            AND birth_date <= \(bind: youngest) \(unsafeRaw: sex.map { "AND sex = '\($0)'" } ?? "") ORDER BY id LIMIT 1 OFFSET \(unsafeRaw: String(skip))
            """).first(), "no resident aged \(minAge)–\(maxAge)")
        return try row.decode(column: "id", as: UUID.self)
    }

    func registerUnemployed(_ resident: UUID, on day: String = "2026-06-01", categories: [String] = [], note: String? = nil,
                            as user: TestUser = .worker) async throws -> APIResponse {
        var body: [String: Any] = ["resident_id": resident.uuidString, "registered_on": day, "reason": "企业裁员", "last_job": "制药厂包装工",
                                   "skills": "叉车", "wishes": "就近就业", "categories": categories]
        if let note { body["category_note"] = note }
        return try await call(.POST, "/api/v1/employment/registrations", json: body, as: user)
    }

    /// The recorded tags of a resident, from the registry's own API.
    func residentTags(_ id: UUID) async throws -> [String] {
        let r = try await call(.GET, "/api/v1/residents/\(id)", as: .worker)
        #expect(r.status == .ok, "\(r.text)")
        return r.json["tags"].strings
    }
}

@Suite("就业援助: the unemployment register, designation, contacts and exits", .serialized)
struct EmploymentTests {
    @Test("a registration from start to exit: the tag follows, one open registration per person, 30 days without contact is overdue")
    func lifecycle() async throws {
        try await withTestApp { app in
            // In the grid worker's grid, who records a contact below.
            let person = try await app.employable(minAge: 18, maxAge: 59, area: "321271002001001")
            let created = try await app.registerUnemployed(person, on: "2026-05-01")
            #expect(created.status == .created, "\(created.text)")
            var r = try created.decode(RegistrationAnswer.self)
            #expect(r.status == "open" && !r.designated && r.lastContactOn == "2026-05-01")
            // 30 June is 60 days after 1 May: overdue, on the list and on the worker's home page.
            #expect(r.contactOverdue)
            #expect(try await app.residentTags(person).contains("unemployed"))
            let overdue = try await app.call(.GET, "/api/v1/employment/registrations?overdue_contact=true", as: .grid)
            #expect(overdue.status == .ok)
            #expect(overdue.json["items"].array.map { $0["id"].string } == [r.id.uuidString])
            // Names are masked in lists.
            #expect(try #require(overdue.json["items"][0]["name"].string).hasSuffix("*"))
            let home = try await app.page("/console", as: .worker)
            #expect(home.status == .ok)
            #expect(home.visibleText.contains("超过30天未联系的失业人员 1"), "\(home.visibleText)")

            let again = try await app.registerUnemployed(person)
            #expect(again.status == .conflict && again.json["errors"][0]["field"].string == "resident_id", "\(again.text)")
            #expect(try await app.rowCount("employment_registrations") == 1)

            let contact = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/contacts",
                                             json: ["contacted_on": "2026-06-20", "way": "phone", "content": "推送招聘会信息"], as: .grid)
            #expect(contact.status == .created, "\(contact.text)")
            let referral = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/referrals",
                                              json: ["referred_on": "2026-06-25", "employer": "某药业公司", "post": "包装工", "result": "pending"])
            #expect(referral.status == .created, "\(referral.text)")
            let file = try await app.call(.GET, "/api/v1/employment/registrations/\(r.id)", as: .worker)
            #expect(file.status == .ok)
            #expect(file.json["registration"]["last_contact_on"].string == "2026-06-25" && file.json["registration"]["contact_overdue"].raw as? Bool == false)
            #expect(file.json["contacts"].array.count == 1 && file.json["referrals"].array.count == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'employment.view'") == 1)
            let none = try await app.call(.GET, "/api/v1/employment/registrations?overdue_contact=true", as: .grid)
            #expect(none.status == .ok && none.json["total"].int == 0)

            let exited = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                            json: ["exit_reason": "employed", "exit_on": "2026-06-29", "exit_employer": "某药业公司", "version": r.version])
            #expect(exited.status == .ok, "\(exited.text)")
            r = try exited.decode(RegistrationAnswer.self)
            #expect(r.status == "exited" && r.exitReason == "employed")
            #expect(!(try await app.residentTags(person).contains("unemployed")))
            // Exited: registered again as a new spell.
            let second = try await app.registerUnemployed(person, on: "2026-06-30")
            #expect(second.status == .created, "\(second.text)")
        }
    }

    @Test("bad input is refused at its field and writes nothing")
    func badInput() async throws {
        try await withTestApp { app in
            let person = try await app.employable()
            let future = try await app.registerUnemployed(person, on: "2026-07-01")
            #expect(future.status == .unprocessableEntity && future.json["errors"][0]["field"].string == "registered_on", "\(future.text)")
            let unknown = try await app.registerUnemployed(UUID())
            #expect(unknown.status == .unprocessableEntity && unknown.json["errors"][0]["field"].string == "resident_id", "\(unknown.text)")
            // Outside the worker's community: as unknown.
            let elsewhere = try await app.registerUnemployed(person, as: .otherWorker)
            #expect(elsewhere.status == .unprocessableEntity, "\(elsewhere.text)")
            let child = try await app.employable(minAge: 5, maxAge: 12)
            let young = try await app.registerUnemployed(child)
            #expect(young.status == .unprocessableEntity && young.text.contains("劳动年龄"), "\(young.text)")
            let notOlder = try await app.registerUnemployed(person, categories: ["older"])
            #expect(notOlder.status == .unprocessableEntity && notOlder.json["errors"][0]["field"].string == "categories", "\(notOlder.text)")
            let otherNoNote = try await app.registerUnemployed(person, categories: ["other"])
            #expect(otherNoNote.status == .unprocessableEntity && otherNoNote.json["errors"][0]["field"].string == "category_note", "\(otherNoNote.text)")
            let wrongType = try await app.call(.POST, "/api/v1/employment/registrations", rawBody: "resident_id=x", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try await app.rowCount("employment_registrations") == 0)

            let r = try await app.registerUnemployed(person, on: "2026-06-10").decode(RegistrationAnswer.self)
            let before = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                            json: ["exit_reason": "business", "exit_on": "2026-06-09", "version": r.version])
            #expect(before.status == .unprocessableEntity && before.json["errors"][0]["field"].string == "exit_on", "\(before.text)")
            let later = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                           json: ["exit_reason": "business", "exit_on": "2026-07-02", "version": r.version])
            #expect(later.status == .unprocessableEntity && later.json["errors"][0]["field"].string == "exit_on", "\(later.text)")
            let noEmployer = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                                json: ["exit_reason": "employed", "exit_on": "2026-06-20", "version": r.version])
            #expect(noEmployer.status == .unprocessableEntity && noEmployer.json["errors"][0]["field"].string == "exit_employer", "\(noEmployer.text)")
            let byHand = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                            json: ["exit_reason": "public_welfare", "exit_on": "2026-06-20", "version": r.version])
            #expect(byHand.status == .unprocessableEntity && byHand.json["errors"][0]["field"].string == "exit_reason", "\(byHand.text)")
            let futureContact = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/contacts",
                                                   json: ["contacted_on": "2026-07-01", "way": "visit", "content": "走访"])
            #expect(futureContact.status == .unprocessableEntity && futureContact.json["errors"][0]["field"].string == "contacted_on", "\(futureContact.text)")
            let stale = try await app.call(.POST, "/api/v1/employment/registrations/\(r.id)/exit",
                                           json: ["exit_reason": "business", "exit_on": "2026-06-20", "version": r.version + 1])
            #expect(stale.status == .conflict, "\(stale.text)")
            #expect(try await app.rowCount("employment_contacts") == 0)
            #expect(try await app.rowCount("employment_registrations WHERE status = 'open'") == 1)
        }
    }

    @Test("designation: 大龄 by sex and age, 低保家庭 from the household's approved case, shown beside the person")
    func designation() async throws {
        try await withTestApp { app in
            let woman = try await app.employable(minAge: 41, maxAge: 49, sex: "female")
            let older = try await app.registerUnemployed(woman, categories: ["older"])
            #expect(older.status == .created, "\(older.text)")
            #expect(try older.decode(RegistrationAnswer.self).designated)
            let man = try await app.employable(minAge: 41, maxAge: 49, sex: "male")
            let notOlder = try await app.registerUnemployed(man, categories: ["older"])
            #expect(notOlder.status == .unprocessableEntity, "\(notOlder.text)")

            // A household with an approved 低保 case: its working-age member is a 低保家庭成员.
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            var c = try await app.applyDibao(household, wages: 500).decode(AssistanceCaseAnswer.self)
            c = try await app.dibaoToNotice(c)
            try await app.sql().raw("UPDATE assistance_cases SET notice_from = '2026-06-20', notice_to = '2026-06-26' WHERE id = \(bind: c.id)").run()
            let approved = try await app.assistanceStep(c, "approve", as: .district)
            #expect(approved.status == .ok, "\(approved.text)")
            let member = try #require(try await app.sql().raw("""
                SELECT id FROM residents WHERE household_id = \(bind: household.id) AND birth_date <= '2010-06-30' AND birth_date > '1966-06-30'
                AND id NOT IN (SELECT resident_id FROM employment_registrations) ORDER BY id LIMIT 1
                """).first()?.decode(column: "id", as: UUID.self), "no working-age member")
            let plain = try await app.registerUnemployed(member).decode(RegistrationAnswer.self)
            let designated = try await app.call(.POST, "/api/v1/employment/registrations/\(plain.id)/designation",
                                                json: ["categories": ["dibao_family"], "version": plain.version])
            #expect(designated.status == .ok, "\(designated.text)")
            #expect(try designated.decode(RegistrationAnswer.self).categories == ["dibao_family"])
            let file = try await app.call(.GET, "/api/v1/employment/registrations/\(plain.id)")
            #expect(file.status == .ok)
            #expect(file.json["household_assistance"][0]["kind"].string == "dibao" && file.json["household_assistance"][0]["stage"].string == "approved",
                    "\(file.text)")
            let page = try await app.page("/console/employment/\(plain.id)")
            #expect(page.status == .ok)
            #expect(page.visibleText.contains("最低生活保障") && page.visibleText.contains("已批准"), "\(page.visibleText)")
        }
    }

    @Test("零就业家庭: only when every working-age member of the household is registered, the one registering included")
    func zeroEmployment() async throws {
        try await withTestApp { app in
            let household = try #require(try await app.sql().raw("""
                SELECT household_id FROM residents WHERE grid_code LIKE '321271002001%' AND life_status = 'active'
                AND birth_date <= '2010-06-30' AND birth_date > '1966-06-30' GROUP BY household_id HAVING COUNT(*) >= 2 ORDER BY household_id LIMIT 1
                """).first()?.decode(column: "household_id", as: UUID.self), "no household with two members of working age")
            let members = try await app.sql().raw("""
                SELECT id FROM residents WHERE household_id = \(bind: household) AND life_status = 'active'
                AND birth_date <= '2010-06-30' AND birth_date > '1966-06-30' ORDER BY id
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            let early = try await app.registerUnemployed(members[0], categories: ["zero_employment"])
            #expect(early.status == .unprocessableEntity && early.json["errors"][0]["field"].string == "categories", "\(early.text)")
            let first = try await app.registerUnemployed(members[0]).decode(RegistrationAnswer.self)
            for m in members.dropFirst().dropLast() { _ = try await app.registerUnemployed(m) }
            let last = try await app.registerUnemployed(try #require(members.last), categories: ["zero_employment"])
            #expect(last.status == .created, "\(last.text)")
            let designated = try await app.call(.POST, "/api/v1/employment/registrations/\(first.id)/designation",
                                                json: ["categories": ["zero_employment"], "version": first.version])
            #expect(designated.status == .ok, "\(designated.text)")
        }
    }
}
