import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A case as the API answers it.
struct AssistanceCaseAnswer: Decodable {
    var id: UUID
    var number: String
    var kind: String
    var stage: String
    var amount: Int
    var members: Int
    var dueOn: String
    var actions: [String]
    var version: Int
    var noticeTo: String?
    var nextRecheckOn: String?
    var firstMonth: String?
}

struct AssistanceNoticeAnswer: Decodable {
    var id: UUID
    var name: String
    var members: Int
    var amount: Int
}

extension Application {
    /// The year's urban and rural standards of the tests: 低保 900 a head a month.
    func configureAssistanceStandards(year: Int = testToday.year) async throws {
        for area in ["urban", "rural"] {
            let r = try await call(.PUT, "/api/v1/assistance/standards", json: [
                "year": year, "area": area, "dibao": 900, "tekun": 1170, "disability_living": 100, "disability_care": 120, "floor": 50,
                "temporary_cap": 5000, "medical_percent": 70,
            ], as: .district)
            #expect(r.status == .ok, "\(r.text)")
        }
    }

    /// A household of the worker's community with at least `members` active members: its id and members' ids (oldest first).
    func assistanceHousehold(members: Int = 2, skip: Int = 0) async throws -> (id: UUID, members: [UUID]) {
        let sql = try sql()
        let row = try #require(try await sql.raw("""
            SELECT household_id FROM residents WHERE grid_code LIKE '321271002001%' AND life_status = 'active'
            GROUP BY household_id HAVING COUNT(*) >= \(unsafeRaw: String(members)) ORDER BY household_id LIMIT 1 OFFSET \(unsafeRaw: String(skip))
            """).first())
        let household = try row.decode(column: "household_id", as: UUID.self)
        let people = try await sql.raw("SELECT id FROM residents WHERE household_id = \(bind: household) AND life_status = 'active' ORDER BY birth_date, id")
            .all().map { try $0.decode(column: "id", as: UUID.self) }
        return (household, people)
    }

    /// A 低保 application: the first member earns `wages` a month, the others nothing.
    func applyDibao(_ household: (id: UUID, members: [UUID]), wages: Double, stated: Double? = nil, as user: TestUser = .worker) async throws -> APIResponse {
        try await call(.POST, "/api/v1/assistance/cases", json: [
            "kind": "dibao", "household_id": household.id.uuidString, "applicant_id": household.members[0].uuidString,
            "members": [["resident_id": household.members[0].uuidString, "labour_capacity": "partial",
                         "incomes": [["source": "wages", "period": "month", "amount": wages]]]],
            "monthly_income": stated ?? wages, "assets": ["deposits": 3000, "vehicles": 0, "dwellings": 1],
        ], as: user)
    }

    func assistanceStep(_ c: AssistanceCaseAnswer, _ action: String, _ fields: [String: Any] = [:], as user: TestUser) async throws -> APIResponse {
        var body = fields
        body["action"] = action
        body["version"] = c.version
        return try await call(.POST, "/api/v1/assistance/cases/\(c.id)/steps", json: body, as: user)
    }

    /// Takes the case from 受理 to 公示 with the steps of 低保 (check, investigate, review, publish).
    func dibaoToNotice(_ start: AssistanceCaseAnswer) async throws -> AssistanceCaseAnswer {
        var c = start
        for (action, fields, user) in [
            ("check", ["check_source": "民政经济状况核对平台", "check_date": "2026-06-29", "check_result": "无存款异常，无车辆"], TestUser.worker),
            ("investigate", ["investigators": ["王芳", "李强"], "visit_date": "2026-06-29", "note": "家中确有困难"], .worker),
            ("review", ["note": "同意上报"], .street),
            ("publish", ["notice_to": "2026-07-06"], .street),
        ] as [(String, [String: Any], TestUser)] {
            let r = try await assistanceStep(c, action, fields, as: user)
            #expect(r.status == .ok, "\(action): \(r.text)")
            c = try r.decode(AssistanceCaseAnswer.self)
        }
        return c
    }
}

@Suite("社会救助: applications, steps, notice, objections, approval, re-checks", .serialized)
struct AssistanceTests {
    @Test("a 低保 case from 受理 to approval: steps in order, the 公示 public and masked, the gap paid from next month")
    func lifecycle() async throws {
        try await withTestApp { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let applied = try await app.applyDibao(household, wages: 1000.5)
            #expect(applied.status == .created, "\(applied.text)")
            var c = try applied.decode(AssistanceCaseAnswer.self)
            #expect(c.stage == "accepted" && c.number.hasPrefix("JZ2026"))
            // 30 working days from Tuesday 2026-06-30: six weeks later.
            #expect(c.dueOn == "2026-08-11")
            #expect(c.actions.contains("check") && !c.actions.contains("approve"))
            c = try await app.dibaoToNotice(c)
            #expect(c.stage == "noticed" && c.noticeTo == "2026-07-06")

            // The notice, read without signing in: the given name masked, no ID number, no income.
            let community = "321271002001"
            let notices = try await app.call(.GET, "/api/v1/assistance/notices?community=\(community)", as: .anonymous)
            #expect(notices.status == .ok, "\(notices.text)")
            let listed = try notices.decode([AssistanceNoticeAnswer].self)
            let mine = try #require(listed.first { $0.id == c.id })
            #expect(mine.name.hasSuffix("*") && mine.members == household.members.count)
            #expect(!notices.text.contains("id_number") && !notices.text.contains("income") && !notices.text.contains("1000.5"))

            // Not yet: the notice runs until 2026-07-06.
            let early = try await app.assistanceStep(c, "approve", as: .district)
            #expect(early.status == .conflict, "\(early.text)")
            try await app.sql().raw("UPDATE assistance_cases SET notice_from = '2026-06-20', notice_to = '2026-06-26' WHERE id = \(bind: c.id)").run()
            // 低保 is decided at the district: the street cannot approve it.
            let street = try await app.assistanceStep(c, "approve", as: .street)
            #expect(street.status == .forbidden, "\(street.text)")
            let approved = try await app.assistanceStep(c, "approve", as: .district)
            #expect(approved.status == .ok, "\(approved.text)")
            c = try approved.decode(AssistanceCaseAnswer.self)
            // 补差: 900 × members − 1000.50, rounded half up to the yuan.
            #expect(c.stage == "approved" && c.amount == 900 * household.members.count - 1000)
            #expect(c.firstMonth == "2026-07")
            // A household with someone of working age is re-checked every six months.
            #expect(c.nextRecheckOn == "2026-12-30")

            let file = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)", as: .grid)
            #expect(file.status == .ok)
            #expect(try #require(file.json["steps"].array).count == 6)
            #expect(!file.text.contains("1000.5"))

            // The indicators count the household and the decision (within its time limit).
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(indicators.status == .ok)
            func reading(_ code: String) -> JSONValue { JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("assistance.dibao_households")["value"].double == 1, "\(reading("assistance.dibao_households"))")
            #expect(reading("assistance.decided_in_time")["value"].double == 100)
            #expect(reading("assistance.dibao_share")["numerator"].int == household.members.count)
        }
    }

    @Test("bad input: sums, members, duplicates, order, stale versions, short notices and missing standards are refused, nothing half-written")
    func badInput() async throws {
        try await withTestApp { app in
            let household = try await app.assistanceHousehold(members: 2)
            // No standard for the year yet: a clear message, nothing written.
            let noStandard = try await app.applyDibao(household, wages: 500)
            #expect(noStandard.status == .unprocessableEntity && noStandard.text.contains("救助标准尚未配置"), "\(noStandard.text)")
            #expect(try await app.rowCount("assistance_cases") == 0)
            try await app.configureAssistanceStandards()

            let sums = try await app.applyDibao(household, wages: 500, stated: 800)
            #expect(sums.status == .unprocessableEntity && sums.text.contains("monthly_income"), "\(sums.text)")
            let other = try await app.assistanceHousehold(members: 1, skip: 5)
            let stranger = try await app.call(.POST, "/api/v1/assistance/cases", json: [
                "kind": "dibao", "household_id": household.id.uuidString, "applicant_id": household.members[0].uuidString,
                "members": [["resident_id": other.members[0].uuidString, "incomes": []]], "monthly_income": 0,
            ])
            #expect(stranger.status == .unprocessableEntity && stranger.text.contains("members[0].resident_id"), "\(stranger.text)")
            #expect(try await app.rowCount("assistance_cases") == 0)
            #expect(try await app.rowCount("assistance_members") == 0)

            let first = try await app.applyDibao(household, wages: 500)
            #expect(first.status == .created)
            let again = try await app.applyDibao(household, wages: 500)
            #expect(again.status == .conflict && again.text.contains("在办"), "\(again.text)")
            var c = try first.decode(AssistanceCaseAnswer.self)

            // Out of order: no review before the check and the visit.
            let early = try await app.assistanceStep(c, "review", ["note": "同意"], as: .street)
            #expect(early.status == .conflict, "\(early.text)")
            let checked = try await app.assistanceStep(c, "check", ["check_source": "核对平台", "check_date": "2026-06-29", "check_result": "正常"], as: .worker)
            #expect(checked.status == .ok)
            // A stale version.
            let stale = try await app.assistanceStep(c, "investigate", ["investigators": ["甲", "乙"], "visit_date": "2026-06-29", "note": "x"], as: .worker)
            #expect(stale.status == .conflict)
            c = try checked.decode(AssistanceCaseAnswer.self)
            let oneWorker = try await app.assistanceStep(c, "investigate", ["investigators": ["甲"], "visit_date": "2026-06-29", "note": "x"], as: .worker)
            #expect(oneWorker.status == .unprocessableEntity && oneWorker.text.contains("investigators"))
            c = try (try await app.assistanceStep(c, "investigate", ["investigators": ["甲", "乙"], "visit_date": "2026-06-29", "note": "x"], as: .worker))
                .decode(AssistanceCaseAnswer.self)
            // A community worker does not review; the street does.
            let byWorker = try await app.assistanceStep(c, "review", ["note": "同意"], as: .worker)
            #expect(byWorker.status == .forbidden)
            c = try (try await app.assistanceStep(c, "review", ["note": "同意"], as: .street)).decode(AssistanceCaseAnswer.self)
            let short = try await app.assistanceStep(c, "publish", ["notice_to": "2026-07-05"], as: .street)
            #expect(short.status == .unprocessableEntity && short.text.contains("notice_to") && short.text.contains("不少于7天"), "\(short.text)")
            #expect(try await app.rowCount("assistance_steps") == 4)

            // Outside one's area the case does not exist.
            let outside = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)", as: .otherWorker)
            #expect(outside.status == .notFound)
            let outsideStep = try await app.assistanceStep(c, "comment", ["note": "x"], as: .otherWorker)
            #expect(outsideStep.status == .notFound)
        }
    }

    @Test("an objection during the notice reaches the street; upheld, the case goes back to 入户调查")
    func objection() async throws {
        try await withTestApp { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            var c = try (try await app.applyDibao(household, wages: 300)).decode(AssistanceCaseAnswer.self)
            c = try await app.dibaoToNotice(c)
            let short = try await app.call(.POST, "/api/v1/assistance/notices/\(c.id)/objections", json: ["text": "短"], as: .anonymous)
            #expect(short.status == .unprocessableEntity)
            let lodged = try await app.call(.POST, "/api/v1/assistance/notices/\(c.id)/objections",
                                            json: ["text": "该户有一辆轿车未申报", "contact": "13800000000"], as: .anonymous)
            #expect(lodged.status == .accepted, "\(lodged.text)")
            let open = try await app.call(.GET, "/api/v1/assistance/objections?open=true", as: .street)
            let objection = try #require(open.json.array.first { $0["case_id"].string?.lowercased() == c.id.uuidString.lowercased() })
            let objectionID = try #require(objection["id"].string)
            // With an objection open, no approval.
            try await app.sql().raw("UPDATE assistance_cases SET notice_from = '2026-06-20', notice_to = '2026-06-26' WHERE id = \(bind: c.id)").run()
            let blocked = try await app.assistanceStep(c, "approve", as: .district)
            #expect(blocked.status == .conflict && blocked.text.contains("异议"), "\(blocked.text)")
            let byWorker = try await app.call(.POST, "/api/v1/assistance/objections/\(objectionID)", json: ["upheld": true, "note": "属实"], as: .worker)
            #expect(byWorker.status == .forbidden)
            let handled = try await app.call(.POST, "/api/v1/assistance/objections/\(objectionID)", json: ["upheld": true, "note": "核实属实"], as: .street)
            #expect(handled.status == .noContent, "\(handled.text)")
            let back = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)")
            #expect(back.json["case"]["stage"].string == "checked")
            #expect(back.json["case"]["actions"].array.contains { $0.string == "investigate" })
            let twice = try await app.call(.POST, "/api/v1/assistance/objections/\(objectionID)", json: ["upheld": false, "note": "x"], as: .street)
            #expect(twice.status == .conflict)
            // Off the notice: no more objections.
            let late = try await app.call(.POST, "/api/v1/assistance/notices/\(c.id)/objections", json: ["text": "还有其他问题要反映"], as: .anonymous)
            #expect(late.status == .notFound)
        }
    }

    @Test("the declaration is a full view: only with the permission, and audited; lists carry no income")
    func privacy() async throws {
        try await withTestApp { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let c = try (try await app.applyDibao(household, wages: 777)).decode(AssistanceCaseAnswer.self)
            let list = try await app.call(.GET, "/api/v1/assistance/cases", as: .grid)
            #expect(list.status == .ok && list.text.contains(c.number))
            #expect(!list.text.contains("777") && !list.text.contains("deposits"))
            let byGrid = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)/facts", as: .grid)
            #expect(byGrid.status == .forbidden)
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.view_facts'") == 0)
            let full = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)/facts", as: .street)
            #expect(full.status == .ok, "\(full.text)")
            #expect(full.json["monthly_income"].double == 777)
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.view_facts'") == 1)
            // Stored sealed: the figure is not in the row in the clear.
            let row = try #require(try await app.sql().raw("SELECT facts_cipher FROM assistance_cases WHERE id = \(bind: c.id)").first())
            let sealed = try row.decode(column: "facts_cipher", as: Data.self)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("77700"))
        }
    }

    @Test("re-checks: adjust and end with a reason; an urgent case granted first by the street and documented afterwards")
    func recheckAndGrantFirst() async throws {
        try await withTestApp { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            var c = try await app.dibaoToNotice(try (try await app.applyDibao(household, wages: 200)).decode(AssistanceCaseAnswer.self))
            try await app.sql().raw("UPDATE assistance_cases SET notice_from = '2026-06-20', notice_to = '2026-06-26' WHERE id = \(bind: c.id)").run()
            c = try (try await app.assistanceStep(c, "approve", as: .district)).decode(AssistanceCaseAnswer.self)
            // Not due yet; then a member dies (recorded in the registry): the case is up for review at once.
            let due = try await app.call(.GET, "/api/v1/assistance/cases?recheck_due=true")
            #expect(due.status == .ok && !due.text.contains(c.number))
            let member = household.members[1]
            let version = try #require(try await app.call(.GET, "/api/v1/residents/\(member)").json["version"].int)
            let died = try await app.call(.POST, "/api/v1/residents/\(member)/events", json: ["kind": "death", "occurred_on": "2026-06-29", "version": version])
            #expect(died.status == .created, "\(died.text)")
            let review = try await app.call(.GET, "/api/v1/assistance/cases?recheck_due=true")
            #expect(review.text.contains(c.number), "\(review.text)")
            #expect(try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)").json["review_needed"].raw as? Bool == true)
            let noReason = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/rechecks", json: ["outcome": "adjust", "amount": 500, "version": c.version])
            #expect(noReason.status == .unprocessableEntity && noReason.text.contains("reason"))
            let adjusted = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/rechecks",
                                              json: ["outcome": "adjust", "amount": 500, "reason": "务工收入增加", "version": c.version])
            #expect(adjusted.status == .ok, "\(adjusted.text)")
            c = try adjusted.decode(AssistanceCaseAnswer.self)
            #expect(c.amount == 500 && c.stage == "approved")
            let ended = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/rechecks",
                                           json: ["outcome": "end", "reason": "家庭收入超过标准", "version": c.version])
            #expect(ended.status == .ok)
            #expect(try ended.decode(AssistanceCaseAnswer.self).stage == "ended")
            #expect(try await app.rowCount("assistance_rechecks") == 2)

            // 急难型临时救助: the street grants first, up to the cap, and the community documents it afterwards.
            let other = try await app.assistanceHousehold(members: 1, skip: 3)
            let urgent = try await app.call(.POST, "/api/v1/assistance/cases", json: [
                "kind": "temporary_urgent", "household_id": other.id.uuidString, "applicant_id": other.members[0].uuidString,
                "monthly_income": 0, "emergency": "家中失火", "requested": 3000,
            ])
            #expect(urgent.status == .created, "\(urgent.text)")
            var u = try urgent.decode(AssistanceCaseAnswer.self)
            #expect(u.actions.contains("grant_first"))
            let tooMuch = try await app.assistanceStep(u, "grant_first", ["amount": 6000], as: .street)
            #expect(tooMuch.status == .unprocessableEntity)
            let granted = try await app.assistanceStep(u, "grant_first", ["amount": 3000], as: .street)
            #expect(granted.status == .ok, "\(granted.text)")
            u = try granted.decode(AssistanceCaseAnswer.self)
            #expect(u.stage == "approved" && u.amount == 3000 && u.actions == ["supplement"])
            let documented = try await app.assistanceStep(u, "supplement", ["note": "补充火灾证明"], as: .worker)
            #expect(documented.status == .ok)
            #expect(try documented.decode(AssistanceCaseAnswer.self).actions.isEmpty)
        }
    }

    @Test("the demo: cases of every kind and stage whose declarations fit their kind, some under notice, some re-checks overdue")
    func demo() async throws {
        try await withTestApp(residents: 6000) { app in
            // As `linli demo` runs them: the disability cards (and the 残疾人 tag) first.
            _ = try await DemoDisability.load(on: app.db, cipher: testCipher, seed: 7, today: testToday, now: Int64(testToday.dayNumber) * 86400 + 12 * 3600)
            let s = try await DemoAssistance.load(on: app.db, cipher: testCipher, seed: 7, today: testToday, now: Int64(testToday.dayNumber) * 86400 + 12 * 3600)
            #expect(s.dibao > 10 && s.pending > 0, "\(s)")
            let kinds = try await app.sql().raw("SELECT DISTINCT kind FROM assistance_cases").all().map { try $0.decode(column: "kind", as: String.self) }
            #expect(Set(kinds).isSuperset(of: ["dibao", "temporary_expense", "medical"]), "\(kinds)")
            let stages = try await app.sql().raw("SELECT DISTINCT stage FROM assistance_cases").all().map { try $0.decode(column: "stage", as: String.self) }
            #expect(Set(stages).isSuperset(of: ["accepted", "approved", "ended", "refused"]), "\(stages)")
            // Every approved 低保 case's declaration passes the rules at the demo's standard, and its amount is the gap.
            let sql = try app.sql()
            let rows = try await sql.raw("SELECT id, facts_cipher, amount, area FROM assistance_cases WHERE kind = 'dibao' AND stage = 'approved'").all()
            #expect(rows.count == s.dibao)
            for row in rows.prefix(40) {
                let facts = try JSONDecoder().decode(DeclaredFacts.self, from: Data(try testCipher.open(try row.decode(column: "facts_cipher", as: Data.self)).utf8))
                let std = try #require(DemoAssistance.standards(testToday.year).first { $0.year == testToday.year })
                #expect(AssistanceRules.check(.dibao, facts, EligibilityContext(standard: std, beneficiary: facts.members[0].residentId, householdAssisted: false)).isEmpty)
                #expect(try row.decode(column: "amount", as: Int.self) == AssistanceRules.amount(.dibao, facts, std))
            }
            // The steps of a case are in order: the last one's stage is the case's.
            let mismatched = try await sql.raw("""
                SELECT COUNT(*) AS n FROM assistance_cases c WHERE c.stage <> (SELECT s.to_stage FROM assistance_steps s WHERE s.case_id = c.id
                ORDER BY s.at DESC, s.done_on DESC LIMIT 1)
                """).first()?.decode(column: "n", as: Int.self)
            #expect(mismatched == 0)
            let f = try await app.call(.GET, "/api/v1/assistance/cases?overdue=true&per_page=1", as: .district)
            #expect(f.status == .ok)
            let notices = try await app.call(.GET, "/api/v1/assistance/notices?community=321271002001", as: .anonymous)
            #expect(notices.status == .ok)
        }
    }

    @Test("attachments: a PDF and a PNG by their bytes are kept and served to a full viewer; a text file called .pdf is refused")
    func attachments() async throws {
        try await withTestApp { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            let c = try (try await app.applyDibao(household, wages: 100)).decode(AssistanceCaseAnswer.self)
            func multipart(_ files: [(String, Data)]) -> (Data, String) {
                let boundary = "linli-test-boundary"
                var body = Data()
                for (name, data) in files {
                    body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"attachments[]\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
                    body.append(data)
                    body.append(Data("\r\n".utf8))
                }
                body.append(Data("--\(boundary)--\r\n".utf8))
                return (body, "multipart/form-data; boundary=\(boundary)")
            }
            let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
            // A multipart body with no parts is no upload: 422 at the field, not a server error.
            let (empty, emptyType) = multipart([])
            let nothing = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/attachments", data: empty, contentType: emptyType)
            #expect(nothing.status == .unprocessableEntity && nothing.text.contains("attachments"), "\(nothing.status) \(nothing.text)")
            let (fake, fakeType) = multipart([("income.pdf", Data("just text".utf8))])
            let refused = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/attachments", data: fake, contentType: fakeType)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("不是图片或PDF"), "\(refused.text)")
            #expect(try await app.rowCount("assistance_attachments") == 0)
            let (body, type) = multipart([("收入证明.pdf", pdf)])
            let saved = try await app.call(.POST, "/api/v1/assistance/cases/\(c.id)/attachments", data: body, contentType: type)
            #expect(saved.status == .created, "\(saved.text)")
            let id = try #require(saved.json.array.first?["id"].string)
            #expect(saved.json.array.first?["content_type"].string == "application/pdf")
            let byGrid = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)/attachments/\(id)", as: .grid)
            #expect(byGrid.status == .forbidden)
            let served = try await app.call(.GET, "/api/v1/assistance/cases/\(c.id)/attachments/\(id)", as: .street)
            #expect(served.status == .ok && served.body == pdf)
            #expect(try await app.rowCount("audit_log WHERE action = 'assistance.view_attachment'") == 1)
        }
    }
}
