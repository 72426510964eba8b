import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    var deliberationQueries: DeliberationQueries { DeliberationQueries(db, cipher: testCipher, today: testToday, now: { Date() }) }

    /// A community worker's hand on the data layer, for setting up other communities.
    var deliberationDistrictActor: DeliberationActor {
        DeliberationActor(audit: .system("test"), scope: .everything, mayWrite: true, mayModerate: true)
    }

    /// Links the test resident's account to an active resident of `community` (as 实名核验 would).
    @discardableResult
    func linkResidentAccount(community: String = "321271002001", skip: Int = 0) async throws -> ResidentRecord {
        let person = try await disabilityResident(skip: skip, grid: community)
        let account = try #require(test.accounts[.resident]).id
        try await sql().raw("DELETE FROM account_residents WHERE account_id = \(bind: account)").run()
        try await sql().raw("""
            INSERT INTO account_residents (account_id, resident_id, linked_by, linked_at) VALUES (\(bind: account), \(bind: person.id), 'test', 0)
            """).run()
        return try #require(try await ResidentQueries(db, cipher: testCipher, today: testToday).find(id: person.id, in: .everything))
    }

    func meetingJSON(on day: String = "2026-06-01", kind: String = "kentan", minutes: String? = "会议形成决议一项") -> [String: Any] {
        var body: [String: Any] = ["community_code": "321271002001", "kind": kind, "title": "小区停车难问题恳谈", "agenda": "听取居民对停车位划分的意见",
                                   "held_on": day, "place": "社区议事厅", "units": ["物业服务中心"], "officials": ["街道社区办 王"], "other_residents": 12]
        if let minutes { body["minutes"] = minutes }
        return body
    }

    func proposalJSON(deadline: String = "2026-07-14") -> [String: Any] {
        ["community_code": "321271002001", "title": "小区增设电动自行车充电桩", "what": "在车棚增设40个充电桩", "why": "私拉电线充电有火灾隐患", "cost": 60000,
         "deadline": deadline]
    }
}

@Suite("民主协商与网上议事: the API", .serialized)
struct DeliberationTests {
    @Test("a meeting with participants, minutes, resolutions and follow-up; bad input refused at its field with nothing written")
    func meetings() async throws {
        try await withTestApp(residents: 600) { app in
            let p1 = try await app.disabilityResident(skip: 0), p2 = try await app.disabilityResident(skip: 1)
            var body = app.meetingJSON()
            body["resident_ids"] = [p1.id.uuidString, p2.id.uuidString]
            let created = try await app.call(.POST, "/api/v1/deliberation/meetings", json: body)
            #expect(created.status == .created, "\(created.text)")
            #expect(created.json["residents"].int == 14 && created.json["kind_label"].string == "民情恳谈会")
            let id = try #require(created.json["id"].string)

            // Minutes of a meeting in the future; a participant of another community; an unknown kind.
            let future = try await app.call(.POST, "/api/v1/deliberation/meetings", json: app.meetingJSON(on: "2026-07-01"))
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["held_on"], "\(future.text)")
            let stranger = try await app.disabilityResident(skip: 0, grid: "321271003001")
            var outside = app.meetingJSON()
            outside["resident_ids"] = [stranger.id.uuidString]
            let refused = try await app.call(.POST, "/api/v1/deliberation/meetings", json: outside)
            #expect(refused.status == .unprocessableEntity && refused.json.errorFields == ["resident_ids"], "\(refused.text)")
            var badKind = app.meetingJSON()
            badKind["kind"] = "party"
            #expect(try await app.call(.POST, "/api/v1/deliberation/meetings", json: badKind).json.errorFields == ["kind"])
            var huge = app.meetingJSON()
            huge["other_residents"] = Int.max
            #expect(try await app.call(.POST, "/api/v1/deliberation/meetings", json: huge).json.errorFields == ["other_residents"])
            #expect(try await app.rowCount("deliberation_meetings") == 1)
            #expect(try await app.rowCount("deliberation_participants") == 2)

            // Announced ahead without minutes: recorded; minutes and resolutions wait for the day.
            let ahead = try await app.call(.POST, "/api/v1/deliberation/meetings", json: app.meetingJSON(on: "2026-07-10", minutes: nil))
            #expect(ahead.status == .created)
            let aheadID = try #require(ahead.json["id"].string)
            let early = try await app.call(.POST, "/api/v1/deliberation/meetings/\(aheadID)/minutes", json: ["minutes": "纪要", "version": 1])
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["held_on"])
            let earlyResolution = try await app.call(.POST, "/api/v1/deliberation/meetings/\(aheadID)/resolutions",
                                                     json: ["text": "增设车位", "owner": "物业", "due_on": "2026-08-01"])
            #expect(earlyResolution.status == .unprocessableEntity && earlyResolution.json.errorFields == ["meeting_id"])

            let noOwner = try await app.call(.POST, "/api/v1/deliberation/meetings/\(id)/resolutions", json: ["text": "增设车位"])
            #expect(noOwner.status == .unprocessableEntity && noOwner.json.errorFields == ["owner", "due_on"], "\(noOwner.text)")
            #expect(try await app.rowCount("deliberation_resolutions") == 0)
            let resolution = try await app.call(.POST, "/api/v1/deliberation/meetings/\(id)/resolutions",
                                                json: ["text": "划定临时停车位", "owner": "物业服务中心", "due_on": "2026-06-20"])
            #expect(resolution.status == .created && resolution.json["overdue"].int == 1, "\(resolution.text)")
            let rid = try #require(resolution.json["id"].string)
            let stale = try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/follow-ups", json: ["note": "已完成", "done": true, "version": 9])
            #expect(stale.status == .conflict)
            let done = try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/follow-ups",
                                          json: ["note": "已划定12个车位", "done": true, "on_date": "2026-06-18", "version": 1])
            #expect(done.status == .created && done.json["state"].string == "done" && done.json["done_on"].string == "2026-06-18", "\(done.text)")
            let again = try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/follow-ups", json: ["note": "再次", "version": 2])
            #expect(again.status == .conflict)

            let file = try await app.call(.GET, "/api/v1/deliberation/meetings/\(id)")
            #expect(file.status == .ok && file.json["participants"].array.count == 2 && file.json["resolutions"][0]["follow_ups"].array.count == 1)
            #expect(!file.text.contains(try #require(try await app.resident(p1.id)).name), "participants are masked")
            // Another community's worker does not find it.
            #expect(try await app.call(.GET, "/api/v1/deliberation/meetings/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/deliberation/meetings", json: app.meetingJSON(), as: .street).status == .forbidden)
            let list = try await app.call(.GET, "/api/v1/deliberation/meetings?kind=kentan", as: .district)
            #expect(list.status == .ok && list.json["total"].int == 2)
            #expect(try await app.rowCount("audit_log WHERE action LIKE 'deliberation.%'") == 4)
        }
    }

    @Test("a resolution turned into a request through the requests' own path: numbered, at the community, linked; twice is 409")
    func toRequest() async throws {
        try await withTestApp(residents: 600) { app in
            let m = try await app.call(.POST, "/api/v1/deliberation/meetings", json: app.meetingJSON())
            let id = try #require(m.json["id"].string)
            let r = try await app.call(.POST, "/api/v1/deliberation/meetings/\(id)/resolutions", json: ["text": "清运楼道堆物", "owner": "物业", "due_on": "2026-07-30"])
            let rid = try #require(r.json["id"].string)
            let before = try await app.rowCount("requests")
            let bad = try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/request", json: ["service_code": "XX9999"])
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["service_code"], "\(bad.text)")
            #expect(try await app.rowCount("requests") == before)
            let made = try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/request", json: ["service_code": "SJ0101"])
            #expect(made.status == .created, "\(made.text)")
            let number = try #require(made.json["request_number"].string)
            #expect(try await app.rowCount("requests") == before + 1)
            let row = try #require(try await app.sql().raw("SELECT description, area_code FROM requests WHERE seq = \(bind: Int(number) ?? -1)").first())
            #expect(try row.decode(column: "description", as: String.self).contains("清运楼道堆物"))
            #expect(try row.decode(column: "area_code", as: String.self).hasPrefix("321271002001"))
            #expect(try await app.call(.POST, "/api/v1/deliberation/resolutions/\(rid)/request", json: ["service_code": "SJ0101"]).status == .conflict)
            #expect(try await app.rowCount("audit_log WHERE action = 'deliberation.to_request'") == 1)
        }
    }

    @Test("routing: other methods are 405 with Allow, a malformed id is 400, an unknown one 404, a JSON POST without JSON 415")
    func routing() async throws {
        try await withTestApp(residents: 100) { app in
            let patch = try await app.call(.PATCH, "/api/v1/deliberation/meetings", json: [String: String]())
            #expect(patch.status == .methodNotAllowed && patch.isProblem, "\(patch.status)")
            #expect(try await app.call(.GET, "/api/v1/deliberation/meetings/not-an-id").status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/deliberation/proposals/\(UUID())").status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/deliberation/proposals", rawBody: "x=1", contentType: "application/x-www-form-urlencoded").status == .unsupportedMediaType)
            #expect(try await app.page("/consultations/\(UUID())", as: .anonymous).status == .notFound)
            #expect(try await app.page("/consultations/not-an-id", as: .anonymous).status == .badRequest)
        }
    }

    @Test("a proposal: residents of the community support once and comment; others read; a comment hidden with its reason; closed with a decision")
    func consultation() async throws {
        try await withTestApp(residents: 600) { app in
            let created = try await app.call(.POST, "/api/v1/deliberation/proposals", json: app.proposalJSON())
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created.json["id"].string)
            var bad = app.proposalJSON(deadline: "2026-06-30")
            bad["cost"] = -1
            let refused = try await app.call(.POST, "/api/v1/deliberation/proposals", json: bad)
            #expect(refused.status == .unprocessableEntity && refused.json.errorFields == ["cost", "deadline"])

            // Not linked yet: told to do 实名核验 first.
            let unlinked = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/supports", as: .resident)
            #expect(unlinked.status == .unprocessableEntity && unlinked.json.errorFields == ["account"], "\(unlinked.text)")
            try await app.linkResidentAccount()
            let first = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/supports", as: .resident)
            #expect(first.status == .created && first.json["supports"].int == 1, "\(first.text)")
            let second = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/supports", as: .resident)
            #expect(second.status == .conflict && second.json.errorFields == ["support"])
            let comment = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/comments", json: ["body": "赞成，建议加装雨棚"], as: .resident)
            #expect(comment.status == .created, "\(comment.text)")
            let cid = try #require(comment.json["id"].string)
            let spam = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/comments", json: ["body": "低价出售二手车"], as: .resident)
            let spamID = try #require(spam.json["id"].string)

            // A resident of another community reads, but may not support.
            try await app.linkResidentAccount(community: "321271003001")
            let outsider = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/supports", as: .resident)
            #expect(outsider.status == .unprocessableEntity && outsider.json.errorFields == ["support"] && outsider.text.contains("只有在该社区登记的居民"),
                    "\(outsider.text)")
            let page = try await app.page("/consultations/\(id)", as: .resident)
            #expect(page.status == .ok && page.text.contains("只有在该社区登记的居民") && !page.text.contains("action=\"/consultations/\(id)/support\""))

            // Past the deadline, a resident of the community is refused too.
            try await app.linkResidentAccount(skip: 1)
            try await app.sql().raw("UPDATE consultation_proposals SET deadline = '2026-06-29' WHERE id = \(bind: UUID(uuidString: id)!)").run()
            let late = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/supports", as: .resident)
            #expect(late.status == .unprocessableEntity && late.text.contains("截止"))
            let row = try #require(try await app.sql().raw("SELECT supports, comments FROM consultation_proposals").first())
            #expect(try row.decode(column: "supports", as: Int.self) == 1 && row.decode(column: "comments", as: Int.self) == 2)
            #expect(try await app.rowCount("consultation_supports") == 1)

            let noReason = try await app.call(.POST, "/api/v1/deliberation/comments/\(spamID)/hide", json: ["reason": " "])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"])
            let hidden = try await app.call(.POST, "/api/v1/deliberation/comments/\(spamID)/hide", json: ["reason": "与议题无关的广告"])
            #expect(hidden.status == .ok && hidden.json["body"].isNull && hidden.json["hidden"].int == 1, "\(hidden.text)")
            #expect(try await app.call(.POST, "/api/v1/deliberation/comments/\(spamID)/hide", json: ["reason": "再次"]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/deliberation/comments/\(cid)/hide", json: ["reason": "x"], as: .otherWorker).status == .notFound)
            #expect(try await app.rowCount("audit_log WHERE action = 'deliberation.hide_comment'") == 1)

            let portal = try await app.page("/consultations/\(id)", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("该评论已被隐藏：与议题无关的广告") && !portal.text.contains("低价出售二手车"))
            #expect(portal.text.contains("赞成，建议加装雨棚"))

            let close = try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/close", json: ["decision": "采纳", "response": "雨棚一并加装", "version": 1])
            #expect(close.status == .ok && close.json["state"].string == "closed", "\(close.text)")
            #expect(try await app.call(.POST, "/api/v1/deliberation/proposals/\(id)/close", json: ["decision": "采纳", "response": "x", "version": 2]).status == .conflict)
            let list = try await app.page("/consultations", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("小区增设电动自行车充电桩") && list.text.contains("支持 1 · 评论 2"))
        }
    }

    @Test("the standard: four deliberative meetings in 12 months and no resolution due before today left open")
    func standing() async throws {
        try await withTestApp(residents: 1200) { app in
            let q = app.deliberationQueries, actor = app.deliberationDistrictActor
            func meet(_ community: String, _ kind: MeetingKind, _ day: String) async throws -> MeetingRecord {
                try await q.createMeeting(community: community, MeetingInput(kind: kind, title: "议题", agenda: "议程", heldOn: CivilDate(day), place: "议事厅"), by: actor)
            }
            let a = "321271002001", b = "321271003001", c = "321271002002"
            for (i, kind) in [MeetingKind.hearing, .coordination, .publicHearing, .review].enumerated() {
                let m = try await meet(a, kind, "2026-0\(i + 2)-10")
                let r = try await q.addResolution(m.id, ResolutionInput(text: "决议", owner: "居委会", dueOn: CivilDate("2026-06-01")), by: actor)
                _ = try await q.followUp(r.id, note: "已落实", on: CivilDate("2026-05-30"), done: true, version: 1, by: actor)
                let n = try await meet(b, kind, "2026-0\(i + 2)-12")
                _ = try await q.addResolution(n.id, ResolutionInput(text: "决议", owner: "居委会", dueOn: CivilDate(i == 0 ? "2026-06-29" : "2026-07-30")), by: actor)
            }
            // Three of the forms and two self-government meetings; and a meeting of a year and a day ago.
            for kind in [MeetingKind.hearing, .coordination, .publicHearing, .stairway, .owners] { _ = try await meet(c, kind, "2026-05-01") }
            _ = try await meet(c, .review, "2025-06-30")
            let met = try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday)
            #expect(met == [a], "\(met)")
            // Narrowed by the prefix; and once b's overdue resolution is done, b meets it as well.
            #expect(try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271003", today: testToday).isEmpty)
            try await app.sql().raw("UPDATE deliberation_resolutions SET state = 'done', done_on = '2026-06-30' WHERE community_code = \(bind: b)").run()
            #expect(try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday) == [a, b])
            _ = try await meet(c, .review, "2026-06-30")
            #expect(try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday) == [a, b, c])

            // The year's indicators: meetings by kind, resolutions on time among those past due.
            let ind = try await app.call(.GET, "/api/v1/indicators?division=321271002001", as: .district)
            #expect(ind.status == .ok, "\(ind.status)")
            let items = ind.json["indicators"].array
            let meetings = try #require(items.first { $0["indicator"]["code"].string == "deliberation.meetings_year" })
            #expect(meetings["value"].double == 4, "\(ind.text.prefix(300))")
            let onTime = try #require(items.first { $0["indicator"]["code"].string == "deliberation.resolutions_on_time" })
            #expect(onTime["value"].double == 100 && onTime["denominator"].double == 4)
        }
    }
}
