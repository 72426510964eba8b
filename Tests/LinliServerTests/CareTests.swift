import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

private func careIndicator(_ body: JSONValue, _ code: String) -> JSONValue {
    JSONValue(body["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw)
}

/// Every item at its maximum (100), with the given changes.
private func scores(_ changes: [String: Int] = [:]) -> [String: Int] {
    var s = Dictionary(uniqueKeysWithValues: BarthelItem.allCases.map { ($0.rawValue, $0.maximum) })
    for (k, v) in changes { s[k] = v }
    return s
}

/// A total of 55 (半失能) and of 20 (失能).
private let partly = scores(["transfer": 5, "mobility": 5, "stairs": 0, "bathing": 0, "dressing": 5, "toilet": 5])
private let dependent = scores(["feeding": 0, "bathing": 0, "grooming": 0, "dressing": 0, "bowels": 5, "bladder": 5, "toilet": 0,
                                "transfer": 5, "mobility": 5, "stairs": 0])

extension Application {
    /// Registers a person in the worker's community; returns their id.
    func newPerson(born: String, sequence: Int, tags: [String] = []) async throws -> String {
        let household = try await anyHousehold()
        return try await registerPerson("测试老人", idNumber: newID(born, sequence: sequence), household: household.id, tags: tags)
    }

    func rollTotal(_ query: String = "", as user: TestUser = .worker) async throws -> Int {
        let r = try await call(.GET, "/api/v1/care/elders?per_page=1" + query, as: user)
        return try #require(r.json["total"].int, "\(r.status) \(r.text)")
    }
}

/// A recorded assessment as the API answers it: scores are never sent back.
fileprivate struct AssessmentAnswer: Decodable {
    var total: Int
    var level: String
    var levelLabel: String
    var nextDue: String
    var scores: [String: Int]?
}

/// One community's care space and beds, from the care figures.
fileprivate struct CommunityCare: Decodable {
    var homeCareArea: Double
    var minimumArea: Double
    var meetsStandard: Bool
    var beds: Int
    var nursingBeds: Int
}

/// The emergency-call part of the care figures.
fileprivate struct CallFigures: Decodable {
    var calls: Int
    var callsResponded: Int
    var openCalls: Int
    var meanResponseMinutes: Double?
}

/// The district's care figures, as far as the demo data test reads them.
fileprivate struct CareFigures: Decodable {
    struct Levels: Decodable { var independent: Int; var partlyDependent: Int; var dependent: Int }
    var elders: Int
    var assessed: Int
    var byLevel: Levels
    var missedVisits: Int
    var livingAlone: Int
    var assessmentsDue: Int
    var calls: Int
}

@Suite("居家养老: roll, assessments, plans, records, calls, facilities", .serialized)
struct CareTests {
    @Test("the roll is derived: 60 today joins, 59 does not, death and move-out leave")
    func rollMembership() async throws {
        try await withTestApp(residents: 600) { app in
            let before = try await app.rollTotal()
            #expect(before > 0)
            // Independently counted: active residents of the community aged 60+ on the test day.
            let rows = try await app.sql().raw("SELECT birth_date, grid_code FROM residents WHERE life_status = 'active'").all()
            let counted = try rows.filter {
                try $0.decode(column: "grid_code", as: String.self).hasPrefix("321271002001")
                    && (try #require(CivilDate(try $0.decode(column: "birth_date", as: String.self)))).age(on: testToday) >= 60
            }.count
            #expect(before == counted)
            let sixty = try await app.newPerson(born: "1966-06-30", sequence: 611)
            let young = try await app.newPerson(born: "1966-07-01", sequence: 612)
            let other = try await app.newPerson(born: "1950-01-01", sequence: 613)
            #expect(try await app.rollTotal() == before + 2)
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(sixty)").status == .ok)
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(young)").status == .notFound)
            let refused = try await app.call(.POST, "/api/v1/care/elders/\(young)/assessments", json: ["scores": scores()])
            #expect(refused.status == .unprocessableEntity && refused.json.errorFields == ["resident_id"] && refused.isProblem)
            // Death and move-out take them off the roll.
            #expect(try await app.call(.POST, "/api/v1/residents/\(sixty)/events", json: ["kind": "death", "version": 1]).status == .created)
            #expect(try await app.call(.POST, "/api/v1/residents/\(other)/events", json: ["kind": "move_out", "version": 1]).status == .created)
            #expect(try await app.rollTotal() == before)
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(sixty)").status == .notFound)
            let late = try await app.call(.POST, "/api/v1/care/elders/\(other)/assessments", json: ["scores": scores()])
            #expect(late.status == .unprocessableEntity && late.json.errorFields == ["resident_id"])
            // Filters: 80+ are a subset; a bad filter is a 400 naming it.
            #expect(try await app.rollTotal("&flag=oldest_old") < before)
            let bad = try await app.call(.GET, "/api/v1/care/elders?level=frail")
            #expect(bad.status == .badRequest && bad.json.errorFields == ["level"])
            #expect(try await app.call(.GET, "/api/v1/care/elders?due=maybe").json.errorFields == ["due"])
        }
    }

    @Test("an assessment classifies, is encrypted at rest, masked in lists, and its full view is audited")
    func assessment() async throws {
        try await withTestApp(residents: 600) { app in
            let elder = try await app.call(.GET, "/api/v1/care/elders?per_page=1").json["items"][0]
            let id = try #require(elder["id"].string)
            #expect(elder["level"].isNull && elder["assessment_due"].raw as? Bool == true)
            let r = try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": partly, "assessed_on": "2026-06-30"])
            #expect(r.status == .created, "\(r.text)")
            let created = try r.decode(AssessmentAnswer.self)
            #expect(created.total == 55 && created.level == "partly_dependent" && created.levelLabel == "半失能")
            #expect(created.nextDue == "2026-12-30" && created.scores == nil)
            let aid = try #require(r.json["id"].string)
            // The roll and the file show level and score, never the items.
            let listed = try await app.call(.GET, "/api/v1/care/elders?level=partly_dependent&per_page=100")
            #expect(listed.json["items"].array.map { $0["id"].string } == [id])
            #expect(listed.json["items"][0]["score"].int == 55 && listed.json["items"][0]["assessment_due"].raw as? Bool == false)
            let file = try await app.call(.GET, "/api/v1/care/elders/\(id)")
            #expect(file.status == .ok && file.json["assessments"][0]["total"].int == 55)
            #expect(!file.text.contains("\"scores\"") && !listed.text.contains("\"scores\""))
            // At rest: ciphertext that the key opens, not the scores.
            let row = try #require(try await app.sql().raw("SELECT scores_cipher FROM care_assessments").first())
            let sealed = try row.decode(column: "scores_cipher", as: Data.self)
            let clear = "10,0,5,5,10,10,5,5,5,0"
            #expect(try testCipher.open(sealed) == clear)
            #expect(sealed.range(of: Data(clear.utf8)) == nil)
            // Full view: the items, and an audit entry each time; outside the scope nothing.
            let auditBefore = try #require(try await app.call(.GET, "/api/v1/audit?action=care.view_assessment", as: .auditor).json["total"].int)
            let full = try await app.call(.GET, "/api/v1/care/assessments/\(aid)")
            #expect(full.status == .ok && full.json["scores"]["bathing"].int == 0 && full.json["scores"]["feeding"].int == 10)
            #expect(try await app.call(.GET, "/api/v1/care/assessments/\(aid)", as: .street).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/care/assessments/\(aid)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/assessments/\(aid)", as: .dept).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/audit?action=care.view_assessment", as: .auditor).json["total"].int == auditBefore + 2)
            #expect(try await app.call(.GET, "/api/v1/audit?action=care.assess", as: .auditor).json["total"].int == 1)
            // Bad forms: every item named; wrong types 400; nothing written.
            let bad = try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments",
                                         json: ["scores": scores(["bathing": 10, "stairs": 7]), "assessed_on": "2026-07-01"])
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.json.errorFields) == ["scores.bathing", "scores.stairs", "assessed_on"])
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": "all fine"]).status == .badRequest)
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: [:]).json.errorFields == ["scores"])
            #expect(try await app.rowCount("care_assessments") == 1)
            // A later assessment of 失能 moves the level; the due date follows it.
            _ = try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": dependent])
            let now = try await app.call(.GET, "/api/v1/care/elders/\(id)").json
            #expect(now["elder"]["level"].string == "dependent" && now["elder"]["score"].int == 20 && now["assessments"].array.count == 2)
        }
    }

    @Test("plans: created, replaced at their version (stale 409), living alone needs weekly visits")
    func plans() async throws {
        try await withTestApp(residents: 600) { app in
            let alone = try await app.newPerson(born: "1948-02-02", sequence: 621, tags: ["living_alone"])
            let path = "/api/v1/care/elders/\(alone)/plan"
            let meals: [String: Any] = ["service": "meals", "frequency": "daily", "provider_kind": "facility", "provider_name": "社区助餐点"]
            let visit: [String: Any] = ["service": "visit", "frequency": "weekly", "provider_kind": "worker", "provider_name": "网格员"]
            let noVisit = try await app.call(.PUT, path, json: ["services": [meals], "starts_on": "2026-06-01"])
            #expect(noVisit.status == .unprocessableEntity && noVisit.json.errorFields == ["services"])
            let created = try await app.call(.PUT, path, json: ["services": [meals, visit], "starts_on": "2026-06-01"])
            #expect(created.status == .created && created.json["version"].int == 1, "\(created.text)")
            #expect(created.json["services"][1]["service_label"].string == "关爱巡访")
            let noVersion = try await app.call(.PUT, path, json: ["services": [visit], "starts_on": "2026-06-01"])
            #expect(noVersion.status == .unprocessableEntity && noVersion.json.errorFields == ["version"])
            let changed = try await app.call(.PUT, path, json: ["services": [visit], "starts_on": "2026-06-01", "version": 1])
            #expect(changed.status == .ok && changed.json["version"].int == 2 && changed.json["services"].array.count == 1)
            let stale = try await app.call(.PUT, path, json: ["services": [meals, visit], "starts_on": "2026-06-01", "version": 1])
            #expect(stale.status == .conflict && stale.json["current_version"].int == 2)
            let bad = try await app.call(.PUT, path, json: ["services": [["service": "massage", "frequency": "hourly", "provider_kind": "x", "provider_name": ""]],
                                                             "starts_on": "2026-06-31", "ends_on": "2026-01-01", "version": 2])
            #expect(Set(bad.json.errorFields).isSuperset(of: ["services[0].service", "services[0].frequency", "services[0].provider_kind",
                                                              "services[0].provider_name", "starts_on"]))
            #expect(try await app.call(.GET, "/api/v1/care/elders?per_page=100&flag=living_alone").json["items"].array
                .first { $0["id"].string == alone }?["has_plan"].raw as? Bool == true)
            #expect(try await app.call(.GET, "/api/v1/audit?action=care.plan.update", as: .auditor).json["total"].int == 1)
        }
    }

    @Test("living alone: missed without a visit in 7 days, on time after one; records keep the elder's feedback")
    func visits() async throws {
        try await withTestApp(residents: 600) { app in
            let alone = try await app.newPerson(born: "1945-03-03", sequence: 631, tags: ["living_alone"])
            let missed: () async throws -> [String] = { try await app.call(.GET, "/api/v1/care/elders?missed_visit=true&per_page=100").json["items"].array.compactMap { $0["id"].string } }
            #expect(try await missed().contains(alone))
            let missedBefore = try #require(try await app.call(.GET, "/api/v1/care/figures").json["missed_visits"].int)
            func visit(_ at: String) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/care/elders/\(alone)/records", json: [
                    "service": "visit", "provided_at": at, "duration_minutes": 30, "provider_kind": "worker", "provider_name": "网格员",
                    "feedback": "老人身体好，希望多聊聊", "satisfaction": 5,
                ])
            }
            // Eight days ago (China time) is too long ago.
            let old = try await visit("2026-06-22T10:00:00+08:00")
            #expect(old.status == .created && old.json["provided_on"].string == "2026-06-22", "\(old.text)")
            #expect(try await missed().contains(alone))
            // 23:30 UTC on the 22nd is the 23rd in China: exactly 7 days, on time.
            #expect(try await visit("2026-06-22T23:30:00Z").json["provided_on"].string == "2026-06-23")
            #expect(!(try await missed().contains(alone)))
            #expect(try await app.call(.GET, "/api/v1/care/figures").json["missed_visits"].int == missedBefore - 1)
            let file = try await app.call(.GET, "/api/v1/care/elders/\(alone)").json
            #expect(file["elder"]["last_visit_on"].string == "2026-06-23" && file["elder"]["visit_missed"].raw as? Bool == false)
            #expect(file["records"][0]["feedback"].string == "老人身体好，希望多聊聊")
            let bad = try await app.call(.POST, "/api/v1/care/elders/\(alone)/records", json: [
                "service": "massage", "provided_at": "2099-01-01T00:00:00Z", "duration_minutes": 0, "provider_kind": "worker", "provider_name": "x",
                "satisfaction": 9,
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.json.errorFields) == ["service", "provided_at", "duration_minutes", "satisfaction"])
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(alone)/records", json: ["provided_at": "yesterday"]).status == .badRequest)
            // A visit dated in the future, everything else right: refused on its time, nothing written, last visit kept.
            let future = try await app.call(.POST, "/api/v1/care/elders/\(alone)/records", json: [
                "service": "visit", "provided_at": "2099-07-02T09:00:00+08:00", "duration_minutes": 30, "provider_kind": "worker", "provider_name": "网格员",
            ])
            #expect(future.status == .unprocessableEntity && future.isProblem && future.json.errorFields == ["provided_at"])
            #expect(future.json["detail"].string?.contains("服务时间不能晚于现在") == true)
            #expect(try await app.rowCount("care_records") == 2)
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(alone)").json["elder"]["last_visit_on"].string == "2026-06-23")
        }
    }

    @Test("one provider cannot give two services at once: an overlapping record is 422 on provided_at, nothing written; adjacent is fine")
    func overlappingRecords() async throws {
        try await withTestApp(residents: 600) { app in
            let first = try await app.newPerson(born: "1944-04-04", sequence: 651)
            let second = try await app.newPerson(born: "1946-05-05", sequence: 652)
            func record(_ elder: String, _ at: String, _ minutes: Int, _ provider: String) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/care/elders/\(elder)/records", json: [
                    "service": "meals", "provided_at": at, "duration_minutes": minutes, "provider_kind": "facility", "provider_name": provider,
                ])
            }
            let given = try await record(first, "2026-06-29T09:00:00+08:00", 30, "送餐员李梅")
            #expect(given.status == .created, "\(given.text)")
            // Another elder, 15 minutes later, the same provider (spaces around the name do not make another one).
            let clash = try await record(second, "2026-06-29T09:15:00+08:00", 30, "  送餐员李梅 ")
            #expect(clash.status == .unprocessableEntity && clash.isProblem && clash.json.errorFields == ["provided_at"])
            let message = clash.json["errors"][0]["message"].string ?? ""
            #expect(message.contains("送餐员李梅") && message.contains("2026-06-29 09:00–09:30") && message.contains("不能重叠"), "\(message)")
            // Starting before and running into it is refused too; the same elder is no exception.
            #expect(try await record(first, "2026-06-29T08:45:00+08:00", 20, "送餐员李梅").json.errorFields == ["provided_at"])
            #expect(try await app.rowCount("care_records") == 1)
            #expect(try await app.call(.GET, "/api/v1/audit?action=care.record", as: .auditor).json["total"].int == 1)
            // Adjacent on both sides, and another provider at the same time: written.
            #expect(try await record(second, "2026-06-29T09:30:00+08:00", 30, "送餐员李梅").status == .created)
            #expect(try await record(second, "2026-06-29T08:40:00+08:00", 20, "送餐员李梅").status == .created)
            #expect(try await record(second, "2026-06-29T09:15:00+08:00", 30, "送餐员王芳").status == .created)
            #expect(try await app.rowCount("care_records") == 4)
            // The console's record form shows the same message on the file, with the form's values (422).
            let page = try await app.submit("/console/care/\(first)/records", [
                ("service", "meals"), ("provided_at", "2026-06-29T09:40"), ("duration_minutes", "10"), ("provider_kind", "facility"),
                ("provider_name", "送餐员李梅"), ("feedback", ""), ("satisfaction", ""),
            ])
            #expect(page.status == .unprocessableEntity && page.text.contains("同一提供方的服务时间不能重叠"))
            #expect(try await app.rowCount("care_records") == 4)
        }
    }

    @Test("under 60: a plan without the recorded reason is 422 on under_60_reason; with it the resident is in care")
    func under60() async throws {
        try await withTestApp(residents: 600) { app in
            let young = try await app.newPerson(born: "1980-08-08", sequence: 661, tags: ["disabled"])
            let rollBefore = try await app.rollTotal()
            let path = "/api/v1/care/elders/\(young)/plan"
            let meals: [String: Any] = ["service": "meals", "frequency": "daily", "provider_kind": "facility", "provider_name": "社区助餐点"]
            for body: [String: Any] in [["services": [meals], "starts_on": "2026-06-01"],
                                        ["services": [meals], "starts_on": "2026-06-01", "under_60_reason": "   "]] {
                let refused = try await app.call(.PUT, path, json: body)
                #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.json.errorFields == ["under_60_reason"], "\(refused.text)")
                #expect(refused.json["errors"][0]["message"].string?.contains("未满60周岁纳入原因") == true)
            }
            #expect(try await app.rowCount("care_plans") == 0)
            // Before the plan: no assessment, no file.
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(young)/assessments", json: ["scores": dependent]).json.errorFields == ["resident_id"])
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(young)").status == .notFound)
            let saved = try await app.call(.PUT, path, json: ["services": [meals], "starts_on": "2026-06-01", "under_60_reason": " 残疾（肢体二级） "])
            #expect(saved.status == .created && saved.json["under_60_reason"].string == "残疾（肢体二级）", "\(saved.text)")
            // In care now: assessed, served, on file with the reason; not on the roll of 60+.
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(young)/assessments", json: ["scores": dependent]).status == .created)
            let file = try await app.call(.GET, "/api/v1/care/elders/\(young)")
            #expect(file.status == .ok && file.json["plan"]["under_60_reason"].string == "残疾（肢体二级）" && file.json["elder"]["level"].string == "dependent")
            #expect(try await app.rollTotal() == rollBefore)
            let audit = try await app.call(.GET, "/api/v1/audit?action=care.plan.create", as: .auditor)
            #expect(audit.json["total"].int == 1 && audit.text.contains("残疾（肢体二级）"))
            // A change that drops the reason is refused; at 60 or more the reason is not kept.
            let dropped = try await app.call(.PUT, path, json: ["services": [meals], "starts_on": "2026-06-01", "version": 1])
            #expect(dropped.json.errorFields == ["under_60_reason"])
            let elder = try await app.newPerson(born: "1950-01-01", sequence: 662)
            let older = try await app.call(.PUT, "/api/v1/care/elders/\(elder)/plan", json: ["services": [meals], "starts_on": "2026-06-01", "under_60_reason": "失能"])
            #expect(older.status == .created && older.json["under_60_reason"].isNull)
        }
    }

    @Test("emergency calls: logged, assigned, responded, closed, with the response time; wrong steps 409")
    func calls() async throws {
        try await withTestApp(residents: 600) { app in
            let elder = try #require(try await app.call(.GET, "/api/v1/care/elders?per_page=1").json["items"][0]["id"].string)
            let logged = try await app.call(.POST, "/api/v1/care/calls", json: ["resident_id": elder, "note": "老人摔倒"])
            #expect(logged.status == .created && logged.json["status"].string == "received", "\(logged.text)")
            let path = "/api/v1/care/calls/\(try #require(logged.json["id"].string))"
            let early = try await app.call(.PATCH, path, json: ["action": "close", "version": 1])
            #expect(early.status == .conflict)
            #expect(try await app.call(.PATCH, path, json: ["action": "assign", "version": 1]).json.errorFields == ["assigned_to"])
            #expect(try await app.call(.PATCH, path, json: ["action": "fly", "version": 1]).json.errorFields == ["action"])
            let assigned = try await app.call(.PATCH, path, json: ["action": "assign", "assigned_to": "网格员王芳", "version": 1])
            #expect(assigned.json["status"].string == "assigned" && assigned.json["assigned_to"].string == "网格员王芳")
            app.test.clock.advance(600)
            let responded = try await app.call(.PATCH, path, json: ["action": "respond", "version": 2])
            #expect(responded.json["status"].string == "responded")
            #expect(abs((responded.json["response_minutes"].double ?? 0) - 10) < 0.1)
            #expect(try await app.call(.PATCH, path, json: ["action": "close", "version": 2]).status == .conflict)
            let closed = try await app.call(.PATCH, path, json: ["action": "close", "version": 3])
            #expect(closed.json["status"].string == "closed" && !closed.json["closed_at"].isNull)
            #expect(try await app.call(.PATCH, path, json: ["action": "close", "version": 4]).status == .conflict)
            let figures = try await app.call(.GET, "/api/v1/care/figures").decode(CallFigures.self)
            #expect(figures.calls == 1 && figures.callsResponded == 1 && figures.openCalls == 0)
            #expect(abs((figures.meanResponseMinutes ?? 0) - 10) < 0.1)
            let indicators = try await app.call(.GET, "/api/v1/indicators").json
            #expect(abs((careIndicator(indicators, "care.response_minutes")["value"].double ?? 0) - 10) < 0.1)
            #expect(try await app.call(.GET, "/api/v1/care/calls?open=true").json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/care/calls").json["items"][0]["resident_name"].string != nil)
            // Another community's worker sees no such call.
            #expect(try await app.call(.PATCH, path, json: ["action": "close", "version": 4], as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/calls", as: .otherWorker).json["total"].int == 0)
            #expect(try await app.call(.POST, "/api/v1/care/calls", json: [:]).json.errorFields == ["resident_id"])
        }
    }

    @Test("scope: another community's worker gets 404; officers read but do not write; the grid worker sees the grid")
    func scope() async throws {
        try await withTestApp(residents: 600) { app in
            let items = try await app.call(.GET, "/api/v1/care/elders?per_page=100").json["items"].array
            let id = try #require(items[0]["id"].string)
            let a = try #require(try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": scores()]).json["id"].string)
            for (method, path, body) in [(HTTPMethod.GET, "/api/v1/care/elders/\(id)", nil),
                                         (.POST, "/api/v1/care/elders/\(id)/assessments", ["scores": scores()] as [String: Any]?),
                                         (.PUT, "/api/v1/care/elders/\(id)/plan", ["services": [], "starts_on": "2026-06-01"]),
                                         (.POST, "/api/v1/care/elders/\(id)/records", ["service": "meals"]),
                                         (.POST, "/api/v1/care/calls", ["resident_id": id]),
                                         (.GET, "/api/v1/care/assessments/\(a)", nil)] {
                let r = try await app.call(method, path, json: body, as: .otherWorker)
                #expect(r.status == .notFound, "\(method) \(path) → \(r.status.code)")
            }
            #expect(try await app.call(.GET, "/api/v1/care/elders?division=321271002001", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(id)", as: .street).status == .ok)
            #expect(try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": scores()], as: .street).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/care/elders", as: .sysadmin).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/care/elders", as: .dept).status == .forbidden)
            let grid = try await app.call(.GET, "/api/v1/care/elders?per_page=100", as: .grid).json["items"].array
            #expect(!grid.isEmpty && grid.allSatisfy { $0["grid_code"].string == "321271002001001" })
            let elsewhere = try #require(items.first { $0["grid_code"].string != "321271002001001" }?["id"].string,
                                         "the community's roll has elders outside the grid worker's grid")
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(elsewhere)", as: .grid).status == .notFound)
            #expect(try await app.rollTotal(as: .district) > (try await app.rollTotal()))
            // The history follows the elder: moved to the other community, their assessment and calls are seen
            // there and no longer here (the rows still carry the old grid).
            _ = try await app.call(.POST, "/api/v1/care/calls", json: ["resident_id": id])
            let theirs = try await app.anyHousehold(as: .otherWorker)
            try await app.sql().raw("UPDATE residents SET grid_code = \(bind: theirs.grid) WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(id)").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/assessments/\(a)").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/care/calls").json["total"].int == 0)
            let moved = try await app.call(.GET, "/api/v1/care/elders/\(id)", as: .otherWorker)
            #expect(moved.status == .ok && moved.json["assessments"].array.count == 1 && moved.json["calls"].array.count == 1)
            #expect(try await app.call(.GET, "/api/v1/care/assessments/\(a)", as: .otherWorker).status == .ok)
        }
    }

    @Test("facilities: officers register them; the floor-area standard per community; beds in the indicators")
    func facilities() async throws {
        try await withTestApp(residents: 600) { app in
            func community() async throws -> CommunityCare {
                let all = try await app.call(.GET, "/api/v1/care/figures").json["communities"].array
                return try #require(all.first { $0["code"].string == "321271002001" }).decode(CommunityCare.self)
            }
            let start = try await community()
            let minimum = start.minimumArea
            #expect(!start.meetsStandard && start.homeCareArea == 0)
            let created = try await app.call(.POST, "/api/v1/care/facilities", json: [
                "name": "测试居家养老服务站", "kind": "home_care_station", "community_code": "321271002001", "floor_area": minimum - 20,
                "beds": 10, "nursing_beds": 6,
            ], as: .street)
            #expect(created.status == .created, "\(created.text)")
            #expect(try await community().meetsStandard == false)
            let path = "/api/v1/care/facilities/\(try #require(created.json["id"].string))"
            #expect(try await app.call(.PATCH, path, json: ["floor_area": minimum], as: .street).json.errorFields == ["version"])
            let grown = try await app.call(.PATCH, path, json: ["floor_area": minimum, "version": 1], as: .district)
            #expect(grown.status == .ok && grown.json["version"].int == 2)
            #expect(try await community().meetsStandard == true)
            #expect(try await app.call(.PATCH, path, json: ["floor_area": minimum, "version": 1], as: .street).status == .conflict)
            // An institution's area does not count towards the home-care space, its beds do.
            _ = try await app.call(.POST, "/api/v1/care/facilities", json: [
                "name": "测试颐养院", "kind": "institution", "community_code": "321271002001", "floor_area": 5000, "beds": 90, "nursing_beds": 44,
            ], as: .street)
            let c = try await community()
            #expect(c.homeCareArea == minimum && c.beds == 100 && c.nursingBeds == 50)
            // Indicators of the community: beds per 1,000 elders and the nursing share, area compliance.
            let elders = try await app.rollTotal()
            let ind = try await app.call(.GET, "/api/v1/indicators").json
            #expect(careIndicator(ind, "plan.nursing_beds")["value"].double == 50)
            let beds = try #require(careIndicator(ind, "plan.care_beds")["value"].double)
            #expect(abs(beds - 100.0 / Double(elders) * 1000) < 1e-6)
            #expect(careIndicator(ind, "plan.care_area")["value"].double == 100)
            // Refusals: workers may not register; another street's community is out of reach; beds checked.
            #expect(try await app.call(.POST, "/api/v1/care/facilities", json: ["name": "x"]).status == .forbidden)
            let bad = try await app.call(.POST, "/api/v1/care/facilities", json: [
                "name": "", "kind": "palace", "community_code": "321271003001", "floor_area": -1, "beds": 5, "nursing_beds": 6,
            ], as: .street)
            #expect(Set(bad.json.errorFields) == ["name", "kind", "community_code", "floor_area", "nursing_beds"])
            #expect(try await app.call(.GET, "/api/v1/care/facilities").json.array.count == 2)
            #expect(try await app.call(.GET, "/api/v1/care/facilities", as: .otherWorker).json.array.isEmpty)
        }
    }

    @Test("indicators on a known roll: coverage, levels, plans and visits of the community")
    func indicators() async throws {
        try await withTestApp(residents: 600) { app in
            let items = try await app.call(.GET, "/api/v1/care/elders?per_page=100").json["items"].array
            let elders = try await app.rollTotal()
            #expect(items.count >= 2)
            let (first, second) = (try #require(items[0]["id"].string), try #require(items[1]["id"].string))
            _ = try await app.call(.POST, "/api/v1/care/elders/\(first)/assessments", json: ["scores": scores()])
            _ = try await app.call(.POST, "/api/v1/care/elders/\(second)/assessments", json: ["scores": dependent])
            let alone = try await app.newPerson(born: "1940-01-01", sequence: 641, tags: ["living_alone"])
            let visit: [String: Any] = ["service": "visit", "frequency": "weekly", "provider_kind": "worker", "provider_name": "网格员"]
            #expect(try await app.call(.PUT, "/api/v1/care/elders/\(alone)/plan", json: ["services": [visit], "starts_on": "2026-06-01"]).status == .created)
            let ind = try await app.call(.GET, "/api/v1/indicators").json
            let coverage = careIndicator(ind, "plan.care_coverage")
            #expect(coverage["numerator"].int == 2 && coverage["denominator"].int == elders + 1)
            #expect(careIndicator(ind, "care.level_dependent")["value"].double == 50)
            #expect(careIndicator(ind, "care.level_independent")["value"].double == 50)
            #expect(careIndicator(ind, "care.plan_share")["numerator"].int == 1)
            let aloneCount = try await app.rollTotal("&flag=living_alone")
            let visits = careIndicator(ind, "care.visit_compliance")
            #expect(visits["denominator"].int == aloneCount && visits["numerator"].int == 0)
            _ = try await app.call(.POST, "/api/v1/care/elders/\(alone)/records", json: [
                "service": "visit", "provided_at": "2026-06-29T09:00:00+08:00", "duration_minutes": 20, "provider_kind": "worker", "provider_name": "网格员",
            ])
            let after = careIndicator(try await app.call(.GET, "/api/v1/indicators").json, "care.visit_compliance")
            #expect(after["numerator"].int == 1)
            // The district sees the same numbers summed (nothing assessed elsewhere).
            let district = try await app.call(.GET, "/api/v1/indicators", as: .district).json
            #expect(careIndicator(district, "plan.care_coverage")["numerator"].int == 2)
        }
    }

    @Test("the demo care data: most elders assessed, realistic levels, visits and calls, deterministic")
    func demo() async throws {
        var first: [String] = []
        for round in 0..<2 {
            try await withTestApp(residents: 1500) { app in
                let summary = try await DemoCare.load(on: app.db, cipher: testCipher, seed: 7, today: testToday,
                                                      now: Int64(testToday.dayNumber) * 86400 + 12 * 3600)
                let answer = try await app.call(.GET, "/api/v1/care/figures", as: .district)
                let f = try answer.decode(CareFigures.self)
                let elders = f.elders
                #expect(summary.elders == elders)
                #expect(Double(f.assessed) > Double(elders) * 0.85)
                let independent = Double(f.byLevel.independent) / Double(f.assessed)
                #expect(independent > 0.75 && independent < 0.93, "\(independent)")
                #expect(f.byLevel.dependent > 0 && f.byLevel.partlyDependent > 0)
                #expect(f.missedVisits > 0 && f.missedVisits < f.livingAlone / 3)
                #expect(f.assessmentsDue > 0 && f.calls > 0)
                let areas = answer.json["communities"].array
                #expect(areas.contains { $0["meets_standard"].raw as? Bool == true } && areas.contains { $0["meets_standard"].raw as? Bool == false })
                // No provider in two places at once, with providers per grid (not one name for the district).
                let slots = try await app.sql().raw("SELECT provider_name, provided_at, duration_minutes FROM care_records").all().map {
                    CareServiceSlot(provider: try $0.decode(column: "provider_name", as: String.self), start: try $0.decode(column: "provided_at", as: Int64.self),
                                    durationMinutes: try $0.decode(column: "duration_minutes", as: Int.self))
                }
                #expect(slots.count > 100 && summary.records == slots.count)
                #expect(CareServiceSlot.overlappingPairs(slots).isEmpty)
                #expect(Set(slots.map(\.provider)).count > 10 && slots.contains { $0.provider.hasPrefix("网格员（") })
                let rows = try await app.sql().raw("SELECT resident_id, total FROM care_assessments ORDER BY resident_id").all()
                let text = try rows.prefix(50).map { "\(try $0.decode(column: "resident_id", as: UUID.self))|\(try $0.decode(column: "total", as: Int.self))" }
                if round == 0 { first = text } else { #expect(text == first) }
            }
        }
    }

}
