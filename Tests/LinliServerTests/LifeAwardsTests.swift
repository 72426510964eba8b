import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("社区生活: awards")
struct LifeAwardsTests {
    @Test("a street's 文明家庭 campaign: nominations by the worker of their households only, a notice of at least five days shown masked on the portal, objections in it, the result after it")
    func campaign() async throws {
        try await withTestApp(residents: 400) { app in
            let year = LifeTime.local(Int64(Date().timeIntervalSince1970)).day.year
            #expect(try await app.call(.POST, "/api/v1/life/awards", json: ["year": year, "kind": "civilized_family"]).status == .forbidden)
            let made = try await app.call(.POST, "/api/v1/life/awards", json: ["year": year, "kind": "civilized_family"], as: .street)
            #expect(made.status == .created && made.json["stage"].string == "nominating", "\(made.text)")
            let again = try await app.call(.POST, "/api/v1/life/awards", json: ["year": year, "kind": "civilized_family"], as: .street)
            #expect(again.status == .conflict, "\(again.text)")
            let badYear = try await app.call(.POST, "/api/v1/life/awards", json: ["year": Int64.max, "kind": "learning_person"], as: .street)
            #expect(badYear.status == .unprocessableEntity || badYear.status == .badRequest, "\(badYear.text)")
            let id = try #require(made.json["id"].string)

            let mine = try await app.disabilityResident()
            let theirs = try await app.disabilityResident(grid: "321271003001")
            let nominated = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["household_id": mine.household.uuidString, "reason": "孝老爱亲，邻里和睦"])
            #expect(nominated.status == .created && nominated.json["nominee"].string?.hasSuffix("家庭") == true, "\(nominated.text)")
            let outside = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["household_id": theirs.household.uuidString, "reason": "热心公益"])
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["household_id"], "\(outside.text)")
            let twice = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["household_id": mine.household.uuidString, "reason": "再推荐"])
            #expect(twice.status == .conflict, "\(twice.text)")
            let wrongKind = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["resident_id": mine.id.uuidString, "reason": "好人"])
            #expect(wrongKind.status == .unprocessableEntity && wrongKind.json.errorFields == ["household_id"], "\(wrongKind.text)")
            let noReason = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["household_id": mine.household.uuidString])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields.contains("reason"), "\(noReason.text)")

            let today = LifeTime.local(Int64(Date().timeIntervalSince1970)).day
            let short = try await app.call(.POST, "/api/v1/life/awards/\(id)/notice", json: ["notice_from": today.description, "notice_to": today.adding(days: 3).description, "version": 1], as: .street)
            #expect(short.status == .unprocessableEntity && short.json.errorFields == ["notice_to"], "\(short.text)")
            let notice = try await app.call(.POST, "/api/v1/life/awards/\(id)/notice", json: ["notice_from": today.description, "notice_to": today.adding(days: 4).description, "version": 1], as: .street)
            #expect(notice.status == .ok && notice.json["stage"].string == "notice", "\(notice.text)")
            let late = try await app.call(.POST, "/api/v1/life/awards/\(id)/nominations", json: ["household_id": mine.household.uuidString, "reason": "x"])
            #expect(late.status == .conflict, "\(late.text)")
            let early = try await app.call(.POST, "/api/v1/life/awards/\(id)/decision", json: ["awarded": [], "version": 2], as: .street)
            #expect(early.status == .conflict, "\(early.text)")

            // The notice on the portal: the head's name masked, never in full.
            let head = try #require(try await app.sql().raw("SELECT nominee_name FROM life_award_nominations").first()).decode(column: "nominee_name", as: String.self)
            let portal = try await app.page("/notices/awards/\(id)", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains(Masking.name(head) + "家庭") && portal.text.contains("提出异议"), "\(portal.status)")
            #expect(!portal.text.contains(">" + head + "家庭"))
            #expect(try await app.page("/notices/awards", as: .anonymous).text.contains("文明家庭评选"))

            let nomination = try lifeUUID(nominated.json["id"].string)
            let q = LifeQueries(app.db, today: testToday)
            try await q.object(try #require(UUID(uuidString: id)), nomination: nomination, name: "邻居", body: "情况不实", by: .system("test"))
            await #expect(throws: RegistryError.self) { try await q.object(try #require(UUID(uuidString: id)), nomination: nomination, name: "", body: "", by: .system("test")) }
            let file = try await app.call(.GET, "/api/v1/life/awards/\(id)", as: .street)
            #expect(file.status == .ok && file.json["nominations"][0]["objections"].int == 1, "\(file.text)")

            // The notice is over: the street records the result.
            try await app.sql().raw("UPDATE life_award_campaigns SET notice_from = \(bind: today.adding(days: -7).description), notice_to = \(bind: today.adding(days: -1).description)").run()
            #expect(try await app.call(.POST, "/api/v1/life/awards/\(id)/decision", json: ["awarded": [nomination.uuidString], "version": 2]).status == .forbidden)
            let decided = try await app.call(.POST, "/api/v1/life/awards/\(id)/decision", json: ["awarded": [nomination.uuidString], "version": 2], as: .street)
            #expect(decided.status == .ok && decided.json["stage"].string == "decided", "\(decided.text)")
            #expect(try await app.rowCount("life_award_nominations WHERE result = 'awarded'") == 1)
            let stale = try await app.call(.POST, "/api/v1/life/awards/\(id)/decision", json: ["awarded": [], "version": 2], as: .street)
            #expect(stale.status == .conflict)
        }
    }

    @Test("the console's awards pages: the street opens a campaign, the worker nominates by household number, the list shows it")
    func pages() async throws {
        try await withTestApp(residents: 400) { app in
            let year = String(LifeTime.local(Int64(Date().timeIntervalSince1970)).day.year)
            let made = try await app.submit("/console/life/awards", [("year", year), ("kind", "learning_family")], as: .street)
            #expect(made.status == .seeOther, "\(made.status) \(made.visibleText.prefix(500))")
            let path = try #require(made.location)
            let household = try await app.anyHousehold()
            let hid = try lifeUUID(household.id)
            let number = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: hid)").first()).decode(column: "number", as: String.self)
            let bad = try await app.submit(path + "/nominations", [("household_number", "no-such"), ("reason", "好")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("没有这个户号"))
            let ok = try await app.submit(path + "/nominations", [("household_number", number), ("reason", "全家爱读书")])
            #expect(ok.status == .seeOther, "\(ok.status) \(ok.visibleText.prefix(500))")
            let page = try await app.page(path)
            #expect(page.status == .ok && page.text.contains("全家爱读书"))
            let list = try await app.page("/console/life/awards", as: .street)
            #expect(list.status == .ok && list.text.contains("学习型家庭评选"))
        }
    }
}
