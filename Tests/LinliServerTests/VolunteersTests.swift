import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// Active residents of 寺巷社区 born before `bornBefore` (adults by default), in id order.
    func volunteerResidents(_ n: Int, bornBefore: String = "2006-01-01", bornAfter: String = "1930-01-01") async throws -> [UUID] {
        try await sql().raw("""
            SELECT id FROM residents WHERE grid_code LIKE '321271002001%' AND life_status = 'active'
            AND birth_date < \(bind: bornBefore) AND birth_date > \(bind: bornAfter) ORDER BY id LIMIT \(unsafeRaw: String(n))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    func registerVolunteer(_ resident: UUID, extra: [String: Any] = [:], as user: TestUser = .worker) async throws -> APIResponse {
        var body: [String: Any] = ["resident_id": resident.uuidString, "skills": ["eldercare", "医疗护理"], "service_areas": ["elderly"],
                                   "availability": ["weekend"], "registered_on": "2026-06-01"]
        for (k, v) in extra { body[k] = v }
        return try await call(.POST, "/api/v1/volunteers", json: body, as: user)
    }

    /// A volunteer registered, confirmed and signed (paper) by the worker: their id.
    func signedVolunteer(_ resident: UUID) async throws -> String {
        let r = try await registerVolunteer(resident)
        #expect(r.status == .created, "\(r.text)")
        let id = try #require(r.json["id"].string)
        let c = try await call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "confirm", "version": 1])
        #expect(c.status == .ok, "\(c.text)")
        let s = try await call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "sign", "version": 2])
        #expect(s.status == .ok && s.json["state"].string == "signed", "\(s.text)")
        return id
    }

    /// An activity of 寺巷社区 from `start` to `start + hours`, seconds from now.
    func volunteerActivity(start: Int64 = 600, hours: Int64 = 3, places: Int = 5) async throws -> (id: String, code: String) {
        let begin = nowSeconds + start
        let r = try await call(.POST, "/api/v1/volunteers/activities", json: [
            "title": "关爱空巢老人上门探访", "place": "寺巷社区党群服务中心", "starts_at": begin, "ends_at": begin + hours * 3600, "places": places,
            "skills": ["eldercare"],
        ])
        #expect(r.status == .created, "\(r.text)")
        return (try #require(r.json["id"].string), try #require(r.json["code"].string))
    }

    func resident(_ id: UUID) async throws -> (name: String, idNumber: String) {
        let row = try #require(try await sql().raw("SELECT name, id_cipher FROM residents WHERE id = \(bind: id)").first())
        return (try row.decode(column: "name", as: String.self), try testCipher.open(try row.decode(column: "id_cipher", as: Data.self)))
    }
}

@Suite("志愿者: the API", .serialized)
struct VolunteersTests {
    @Test("registration: bad input, outside the scope, dead or unknown residents, minors without consent refused with nothing written; a second is 409")
    func registration() async throws {
        try await withTestApp(residents: 800) { app in
            let residents = try await app.volunteerResidents(2)
            let missing = try await app.call(.POST, "/api/v1/volunteers", json: ["resident_id": residents[0].uuidString, "registered_on": "2026-06-01"])
            #expect(missing.status == .unprocessableEntity && missing.isProblem)
            #expect(missing.json.errorFields == ["skills", "service_areas", "availability"], "\(missing.text)")
            let future = try await app.registerVolunteer(residents[0], extra: ["registered_on": "2026-07-01"])
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["registered_on"], "\(future.text)")
            let badSkill = try await app.registerVolunteer(residents[0], extra: ["skills": ["飞行"]])
            #expect(badSkill.status == .unprocessableEntity && badSkill.json.errorFields == ["skills"], "\(badSkill.text)")
            let unknown = try await app.registerVolunteer(UUID())
            #expect(unknown.status == .unprocessableEntity && unknown.json.errorFields == ["resident_id"], "\(unknown.text)")
            // The other community's worker does not see 寺巷社区's residents.
            let outside = try await app.registerVolunteer(residents[0], as: .otherWorker)
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["resident_id"], "\(outside.text)")
            #expect(try await app.registerVolunteer(residents[0], as: .street).status == .forbidden)
            // A resident recorded as dead (the registry's death event sets the status).
            let gone = try #require(try await app.volunteerResidents(3).last)
            try await app.sql().raw("UPDATE residents SET life_status = 'deceased' WHERE id = \(bind: gone)").run()
            let dead = try await app.registerVolunteer(gone)
            #expect(dead.status == .unprocessableEntity && dead.json.errorFields == ["resident_id"], "\(dead.text)")
            let minorID = try #require(try await app.volunteerResidents(1, bornBefore: "2014-01-01", bornAfter: "2009-07-01").first)
            let minor = try await app.registerVolunteer(minorID)
            #expect(minor.status == .unprocessableEntity && minor.json.errorFields == ["guardian"], "\(minor.text)")
            #expect(try await app.rowCount("volunteers") == 0)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.register'") == 0)

            let consent = try await app.registerVolunteer(minorID, extra: ["guardian_name": "王芳", "guardian_relation": "母亲", "guardian_consent_on": "2026-05-30"])
            #expect(consent.status == .created && consent.json["minor"].raw as? Bool == true && consent.json["guardian_name"].string == "王*", "\(consent.text)")
            let ok = try await app.registerVolunteer(residents[0])
            #expect(ok.status == .created && ok.json["state"].string == "applied" && ok.json["skills"].strings == ["eldercare", "medical"], "\(ok.text)")
            #expect(ok.json["id_number"].string?.contains("*") == true)
            let again = try await app.registerVolunteer(residents[0])
            #expect(again.status == .conflict && again.json.errorFields == ["resident_id"], "\(again.text)")
            #expect(try await app.rowCount("volunteers") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.register'") == 2)
            #expect(try await app.rowCount("volunteer_monthly WHERE month = '2026-06' AND registrations = 2") == 1)
            #expect(try await app.rowCount("volunteer_monthly WHERE month = '2026-05' AND registrations = 1") == 0)

            // 申请 → 已确认 → 已签约, each at the version read; a step not allowed now or a stale version is 409.
            let id = try #require(ok.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "sign", "version": 1]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "confirm", "version": 1], as: .grid).status == .forbidden)
            let confirmed = try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "confirm", "version": 1])
            #expect(confirmed.status == .ok && confirmed.json["state"].string == "confirmed", "\(confirmed.text)")
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "sign", "version": 1]).status == .conflict)
            let signed = try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "sign", "version": 2])
            #expect(signed.status == .ok && signed.json["signature"].string == "paper" && signed.json["terms_version"].string == VolunteerRules.currentTermsVersion)
            // Withdrawn and back: the same registration applies again (never a second copy), to be confirmed and signed anew.
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "rejoin", "version": 3]).status == .conflict)
            let out = try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "withdraw", "version": 3])
            #expect(out.status == .ok && out.json["state"].string == "withdrawn" && out.json["withdrawn_on"].string == "2026-06-30", "\(out.text)")
            let back = try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "rejoin", "version": 4])
            #expect(back.status == .ok && back.json["state"].string == "applied" && back.json["signed_on"].raw == nil && back.json["withdrawn_on"].raw == nil, "\(back.text)")
            for (step, version) in [("confirm", 5), ("sign", 6)] {
                #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": step, "version": version]).status == .ok)
            }

            // Read by the grid, the street and the district; the list searches by pinyin initials.
            for user in [TestUser.grid, .street, .district] {
                let list = try await app.call(.GET, "/api/v1/volunteers", as: user)
                #expect(list.status == .ok, "\(user)")
            }
            #expect(try await app.call(.GET, "/api/v1/volunteers", as: .otherWorker).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/volunteers", as: .district).json["total"].int == 2)
            let pinyin = try #require(try await app.sql().raw("SELECT name_pinyin FROM residents WHERE id = \(bind: residents[0])").first()?.decode(column: "name_pinyin", as: String.self))
            let found = try await app.call(.GET, "/api/v1/volunteers?q=\(pinyin.prefix(2))")
            #expect(found.status == .ok && found.json["items"].array.contains { $0["id"].string == id }, "\(found.text)")
        }
    }

    @Test("activities: sign-ups up to the places, check-in in the window, hours capped and verified within 7 days, corrections as new entries")
    func activities() async throws {
        try await withTestApp(residents: 800, adjust: RequestsAPITests.longSessions) { app in
            let residents = try await app.volunteerResidents(3)
            var volunteers: [String] = []
            for r in residents { volunteers.append(try await app.signedVolunteer(r)) }
            let applied = try #require(try await app.volunteerResidents(4).last)
            let unsigned = try #require(try await app.registerVolunteer(applied).json["id"].string)

            let bad = try await app.call(.POST, "/api/v1/volunteers/activities", json: ["title": "x", "place": "y", "starts_at": 100, "ends_at": 50, "places": 0])
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["ends_at", "places"], "\(bad.text)")
            let a = try await app.volunteerActivity(start: 3600, hours: 2, places: 2)
            // Added by the organizer; a volunteer not yet signed is refused; the third is over the places.
            let s0 = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": volunteers[0]])
            #expect(s0.status == .created, "\(s0.text)")
            let twice = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": volunteers[0]])
            #expect(twice.status == .conflict && twice.json.errorFields == ["volunteer_id"], "\(twice.text)")
            let notSigned = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": unsigned])
            #expect(notSigned.status == .unprocessableEntity && notSigned.json.errorFields == ["volunteer_id"], "\(notSigned.text)")
            #expect(try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": volunteers[1]]).status == .created)
            let full = try await app.call(.POST, "/api/v1/volunteers/activities/\(a.id)/signups", json: ["volunteer_id": volunteers[2]])
            #expect(full.status == .unprocessableEntity && full.json.errorFields == ["places"], "\(full.text)")
            #expect(try await app.rowCount("volunteer_signups") == 2)

            // An hour before the start is outside the window (30 minutes before).
            let signup = try #require(s0.json["id"].string)
            let early = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/check")
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["time"], "\(early.text)")
            app.test.clock.advance(3600 - 1200)
            let checkIn = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/check")
            #expect(checkIn.status == .ok && checkIn.json["check_in_at"].int != nil, "\(checkIn.status) \(checkIn.text)")
            // Out 15 minutes after the end (the window is 30; the clock runs on while the test does, for minutes on a loaded
            // machine): 2h35 between, capped at the activity's 2 hours.
            app.test.clock.advance(1200 + 2 * 3600 + 900)
            let checkOut = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/check")
            #expect(checkOut.status == .ok && checkOut.json["proposed_hours"].double == 2, "\(checkOut.text)")
            // Checked out, not verified: the organizer's home page counts it.
            let todo = try await app.page("/console")
            #expect(todo.status == .ok && todo.text.contains("<span>待核实的服务时长（活动结束7天内）</span><b>1</b>"), "\(todo.status)")
            let over = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/verify", json: ["hours": 2.5])
            #expect(over.status == .unprocessableEntity && over.json.errorFields == ["hours"], "\(over.text)")
            let verified = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/verify", json: [:] as [String: Any])
            #expect(verified.status == .ok && verified.json["change"].double == 2 && verified.json["signup"]["verified_hours"].double == 2, "\(verified.text)")
            // A second verification within the period records the difference, never an edit of the first entry.
            #expect(try await app.page("/console").text.contains("<span>待核实的服务时长（活动结束7天内）</span><b>0</b>"))
            let lower = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/verify", json: ["hours": 1.5])
            #expect(lower.status == .ok && lower.json["change"].double == -0.5, "\(lower.text)")
            #expect(try await app.rowCount("volunteer_hours WHERE kind = 'verified'") == 2)
            let file = try await app.call(.GET, "/api/v1/volunteers/\(volunteers[0])")
            #expect(file.status == .ok && file.json["volunteer"]["hours"].double == 1.5 && file.json["hours"].array.count == 2, "\(file.text)")

            // Seven days after the end the hours are fixed: a correction is a new entry with its reason.
            app.test.clock.advance(7 * 86_400)
            let late = try await app.call(.POST, "/api/v1/volunteers/signups/\(signup)/verify", json: ["hours": 2])
            #expect(late.status == .conflict && late.json.errorFields == ["hours"], "\(late.text)")
            let noReason = try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/corrections", json: ["hours": 0.5, "served_on": "2026-06-20"])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"], "\(noReason.text)")
            let futureDay = try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/corrections", json: ["hours": 0.5, "reason": "漏记", "served_on": "2026-07-20"])
            #expect(futureDay.status == .unprocessableEntity && futureDay.json.errorFields == ["served_on"], "\(futureDay.text)")
            let negative = try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/corrections", json: ["hours": -2, "reason": "多记", "served_on": "2026-06-20"])
            #expect(negative.status == .unprocessableEntity && negative.json.errorFields == ["hours"], "\(negative.text)")
            let fix = try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/corrections", json: ["hours": 0.5, "reason": "签退漏记半小时", "served_on": "2026-06-20"])
            #expect(fix.status == .created && fix.json["change"].double == 0.5, "\(fix.text)")
            let after = try await app.call(.GET, "/api/v1/volunteers/\(volunteers[0])")
            #expect(after.json["volunteer"]["hours"].double == 2 && after.json["hours"].array.count == 3, "\(after.text)")
            #expect(try await app.rowCount("volunteer_hours WHERE kind = 'correction' AND reason = '签退漏记半小时'") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.correct'") == 1)
            // The kept total is the sum of the entries.
            let sum = try #require(try await app.sql().raw("SELECT CAST(SUM(minutes) AS BIGINT) AS m FROM volunteer_hours WHERE volunteer_id = \(bind: UUID(uuidString: volunteers[0])!)").first()?.decode(column: "m", as: Int.self))
            #expect(sum == 120)
            // 爱心积分: each entry earned points at the district's rate (10 an hour) in its own transaction — 2 h, −0.5 h,
            // +0.5 h — each entry naming the hours entry it came from.
            let points = try await app.sql().raw("""
                SELECT points, balance, reference FROM love_point_entries WHERE resident_id = \(bind: residents[0]) AND kind = 'volunteer_hours' ORDER BY seq
                """).all().map { (try $0.decode(column: "points", as: Int.self), try $0.decode(column: "balance", as: Int.self),
                                  try $0.decode(column: "reference", as: String.self)) }
            let entries = try await app.sql().raw("SELECT id FROM volunteer_hours WHERE volunteer_id = \(bind: try #require(UUID(uuidString: volunteers[0])))")
                .all().map { try $0.decode(column: "id", as: UUID.self).uuidString }
            #expect(Set(points.map(\.2)) == Set(entries) && entries.count == 3, "\(points) \(entries)")
            #expect(points.map(\.0) == [20, -5, 5] && points.last?.1 == 20, "\(points)")

            // The certificate: issued (audited), checked by anyone with its code; a wrong code is 404.
            let cert = try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/certificates", json: [:] as [String: Any])
            #expect(cert.status == .created && cert.json["hours"].double == 2, "\(cert.text)")
            let code = try #require(cert.json["code"].string)
            let checked = try await app.call(.GET, "/api/v1/volunteers/certificates/\(code)", as: .anonymous)
            #expect(checked.status == .ok && checked.json["name"].string?.contains("*") == true && checked.json["hours_by_year"][0]["year"].int == 2026, "\(checked.text)")
            #expect(try await app.call(.GET, "/api/v1/volunteers/certificates/NOPE12345", as: .anonymous).status == .notFound)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.certificate'") == 1)
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(volunteers[0])/certificates", json: [:] as [String: Any], as: .otherWorker).status == .notFound)
        }
    }

    @Test("a resident links their account by name and ID number (a wrong pair tells nothing), registers, signs, signs up and checks in by code")
    func residentOwn() async throws {
        try await withTestApp(residents: 800, adjust: RequestsAPITests.longSessions) { app in
            let residentID = try #require(try await app.volunteerResidents(1).first)
            let person = try await app.resident(residentID)
            let me = try await app.call(.GET, "/api/v1/volunteers/me", as: .resident)
            #expect(me.status == .ok && me.json["linked"].raw as? Bool == false, "\(me.text)")
            let early = try await app.call(.POST, "/api/v1/volunteers/me", json: ["skills": ["it"], "service_areas": ["culture"], "availability": ["weekend"]], as: .resident)
            #expect(early.status == .conflict, "\(early.text)")
            let wrongName = try await app.call(.POST, "/api/v1/volunteers/me/link", json: ["name": person.name + "某", "id_number": person.idNumber], as: .resident)
            let unknownNumber = try await app.call(.POST, "/api/v1/volunteers/me/link", json: ["name": person.name, "id_number": "110101199003074518"], as: .resident)
            #expect(wrongName.status == .unprocessableEntity && wrongName.json.errorFields == ["id_number"], "\(wrongName.text)")
            #expect(unknownNumber.status == .unprocessableEntity && unknownNumber.json["errors"][0]["message"].string == wrongName.json["errors"][0]["message"].string)
            #expect(try await app.rowCount("account_residents") == 0)
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.link_refused'") == 2)
            let linked = try await app.call(.POST, "/api/v1/volunteers/me/link", json: ["name": person.name, "id_number": person.idNumber], as: .resident)
            #expect(linked.status == .ok && linked.json["linked"].raw as? Bool == true, "\(linked.text)")
            #expect(try await app.rowCount("audit_log WHERE action = 'volunteers.link_account'") == 1)
            // Workers have no `me`.
            #expect(try await app.call(.GET, "/api/v1/volunteers/me", as: .worker).status == .forbidden)

            let registered = try await app.call(.POST, "/api/v1/volunteers/me", json: ["skills": ["it"], "service_areas": ["culture"], "availability": ["weekend"]], as: .resident)
            #expect(registered.status == .created && registered.json["state"].string == "applied", "\(registered.text)")
            let id = try #require(registered.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/volunteers/me/sign", json: ["version": 1], as: .resident).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/volunteers/\(id)/steps", json: ["step": "confirm", "version": 1]).status == .ok)
            let signed = try await app.call(.POST, "/api/v1/volunteers/me/sign", json: ["version": 2], as: .resident)
            #expect(signed.status == .ok && signed.json["signature"].string == "portal", "\(signed.text)")

            let a = try await app.volunteerActivity(start: 600, hours: 1, places: 3)
            let joined = try await app.call(.POST, "/api/v1/volunteers/me/signups", json: ["activity_id": a.id], as: .resident)
            #expect(joined.status == .created && joined.json["via"].string == "portal", "\(joined.text)")
            let wrong = try await app.call(.POST, "/api/v1/volunteers/me/check", json: ["code": "ZZZZZZ"], as: .resident)
            #expect(wrong.status == .unprocessableEntity && wrong.json.errorFields == ["code"], "\(wrong.text)")
            // Ten minutes before the start is inside the window; the second use checks out.
            let inCheck = try await app.call(.POST, "/api/v1/volunteers/me/check", json: ["code": a.code.lowercased()], as: .resident)
            #expect(inCheck.status == .ok && inCheck.json["check_in_at"].int != nil && inCheck.json["check_out_at"].raw == nil, "\(inCheck.text)")
            app.test.clock.advance(600 + 3600 + 1801)
            let late = try await app.call(.POST, "/api/v1/volunteers/me/check", json: ["code": a.code], as: .resident)
            #expect(late.status == .unprocessableEntity && late.json.errorFields == ["time"], "\(late.status) \(late.text)")
            #expect(try await app.rowCount("volunteer_signups WHERE check_out_at IS NOT NULL") == 0)
            // The resident withdraws themself: at a stale version 409, then 退出 with the hours kept; a second time 409.
            let stale = try await app.call(.POST, "/api/v1/volunteers/me/withdraw", json: ["version": 1], as: .resident)
            #expect(stale.status == .conflict, "\(stale.text)")
            let current = try #require(try await app.call(.GET, "/api/v1/volunteers/me", as: .resident).json["volunteer"]["version"].int)
            let left = try await app.call(.POST, "/api/v1/volunteers/me/withdraw", json: ["version": current], as: .resident)
            #expect(left.status == .ok && left.json["state"].string == "withdrawn", "\(left.text)")
            #expect(try await app.call(.POST, "/api/v1/volunteers/me/withdraw", json: ["version": current + 1], as: .resident).status == .conflict)
            #expect(try await app.rowCount("volunteer_signups") == 1)
        }
    }
}
