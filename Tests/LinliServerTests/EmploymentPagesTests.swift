import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("就业援助: the console's pages", .serialized)
struct EmploymentPagesTests {
    @Test("register through the form, log a contact, refuse an exit before the registration, designate, place, the roll")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let person = try await app.employable(minAge: 41, maxAge: 55, sex: "female")
            let form = try await app.page("/console/employment/new?resident=\(person.uuidString)")
            #expect(form.status == .ok && form.text.contains("name=\"reason\"") && form.text.contains("大龄"), "\(form.visibleText.prefix(300))")
            let fields: [(String, String)] = [("resident_id", person.uuidString), ("registered_on", "2026-05-01"), ("last_job", "营业员"),
                                              ("skills", ""), ("wishes", "就近")]
            // No reason: the form comes back with the message at the field, nothing written.
            let missing = try await app.submit("/console/employment/new", fields + [("reason", "")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("请填写失业原因") && missing.text.contains("value=\"营业员\""), "\(missing.status)")
            #expect(try await app.rowCount("employment_registrations") == 0)
            let saved = try await app.submit("/console/employment/new", fields + [("reason", "合同期满"), ("categories[]", "older")])
            #expect(saved.status == .seeOther, "\(saved.text)")
            let location = try #require(saved.location)
            let again = try await app.submit("/console/employment/new", fields + [("reason", "合同期满")])
            #expect(again.status == .conflict && again.text.contains("已有在册的失业登记"))

            let file = try await app.page(location)
            #expect(file.status == .ok && file.visibleText.contains("就业困难人员") && file.visibleText.contains("超过30天未联系"), "\(file.visibleText.prefix(500))")
            let list = try await app.page("/console/employment?overdue_contact=true", as: .grid)
            #expect(list.status == .ok && list.text.contains(location))
            let contact = try await app.submit("\(location)/contacts", [("contacted_on", "2026-06-29"), ("way", "visit"), ("content", "走访，推荐招聘会")], as: .grid)
            #expect(contact.status == .seeOther, "\(contact.text)")
            let after = try await app.page("/console/employment?overdue_contact=true", as: .grid)
            #expect(after.status == .ok && !after.text.contains(location))
            let version = String(try #require(try await app.sql().raw("SELECT version FROM employment_registrations").first()?.decode(column: "version", as: Int.self)))
            let early = try await app.submit("\(location)/exit", [("version", version), ("exit_reason", "business"), ("exit_on", "2026-04-30")])
            #expect(early.status == .unprocessableEntity && early.text.contains("退出日期不能早于登记日期"), "\(early.status)")
            let noCsrf = try await app.submit("\(location)/exit", [("version", version), ("exit_reason", "business"), ("exit_on", "2026-06-01")], csrf: false)
            #expect(noCsrf.status == .forbidden)
            #expect(try await app.rowCount("employment_registrations WHERE status = 'open'") == 1)

            // The street: a post with one place, the person placed, the roll and its export.
            let post = try await app.submit("/console/employment/posts", [("title", "社区保洁员"), ("employer", "居委会"), ("community_code", "321271002001"),
                                                                          ("hours_per_week", "40"), ("monthly_allowance", "1850"), ("places", "0")], as: .street)
            #expect(post.status == .unprocessableEntity && post.text.contains("岗位数应在1至1000之间"))
            let made = try await app.submit("/console/employment/posts", [("title", "社区保洁员"), ("employer", "居委会"), ("community_code", "321271002001"),
                                                                          ("hours_per_week", "40"), ("monthly_allowance", "1850"), ("places", "1")], as: .street)
            #expect(made.status == .seeOther, "\(made.text)")
            let postPage = try #require(made.location)
            let idNumber = try #require(try await app.sql().raw("SELECT id_masked FROM residents WHERE id = \(bind: person)").first()?.decode(column: "id_masked", as: String.self))
            let placed = try await app.submit("\(postPage)/placements", [("resident", person.uuidString), ("start_on", "2026-06-01"), ("end_on", "2029-06-02")], as: .street)
            #expect(placed.status == .unprocessableEntity && placed.text.contains("安置期限不得超过36个月"), "\(placed.status)")
            let ok = try await app.submit("\(postPage)/placements", [("resident", person.uuidString), ("start_on", "2026-06-01"), ("end_on", "2029-06-01")], as: .street)
            #expect(ok.status == .seeOther, "\(ok.text)")
            let shown = try await app.page(postPage, as: .street)
            #expect(shown.status == .ok && shown.text.contains(idNumber) && shown.visibleText.contains("在岗 1 / 1"))
            let roll = try await app.page("/console/employment/allowances?street=321271002000&month=2026-06", as: .street)
            #expect(roll.status == .ok && roll.visibleText.contains("合计 1850 元"), "\(roll.visibleText.prefix(600))")
            // Ended early on the 15th: the place is free again and June's allowance is 15 of 30 days.
            let placement = try #require(try await app.sql().raw("SELECT id FROM employment_placements").first()?.decode(column: "id", as: UUID.self))
            let postID = String(postPage.split(separator: "/").last ?? "")
            let late = try await app.submit("/console/employment/placements/\(placement)/end", [("version", "1"), ("post", postID), ("ended_on", "2026-07-01"),
                                                                                                ("ended_reason", "本人辞职")], as: .street)
            #expect(late.status == .unprocessableEntity && late.text.contains("离岗日期不能晚于今天"), "\(late.status)")
            let ended = try await app.submit("/console/employment/placements/\(placement)/end", [("version", "1"), ("post", postID), ("ended_on", "2026-06-15"),
                                                                                                 ("ended_reason", "本人辞职")], as: .street)
            #expect(ended.status == .seeOther, "\(ended.text)")
            #expect(try await app.page(postPage, as: .street).visibleText.contains("在岗 0 / 1"))
            let prorated = try await app.page("/console/employment/allowances?street=321271002000&month=2026-06", as: .street)
            #expect(prorated.status == .ok && prorated.visibleText.contains("合计 925 元"), "\(prorated.visibleText.prefix(600))")
            let workerRoll = try await app.page("/console/employment/allowances", as: .worker)
            #expect(workerRoll.status == .forbidden)
            // The district sets the term.
            let settings = try await app.page("/console/employment/settings", as: .district)
            #expect(settings.status == .ok && settings.text.contains("name=\"months\""))
            let bad = try await app.submit("/console/employment/settings", [("months", "0"), ("version", "1")], as: .district)
            #expect(bad.status == .unprocessableEntity)
            let term = try await app.submit("/console/employment/settings", [("months", "24"), ("version", "1")], as: .district)
            #expect(term.status == .seeOther)
            #expect(try await app.page("/console/employment/settings", as: .worker).text.contains("<b>24</b>个月"))
        }
    }

    @Test("the street places a designated person from their own page: the street's posts with a free place, the term at its field")
    func placeFromPerson() async throws {
        try await withTestApp(residents: 600) { app in
            let post = try await app.employmentPost(places: 1)
            let person = try await app.designatedPerson()
            let id = try #require(try await app.sql().raw("SELECT id FROM employment_registrations").first()?.decode(column: "id", as: UUID.self))
            let page = try await app.page("/console/employment/\(id)", as: .street)
            #expect(page.status == .ok && page.text.contains("value=\"\(post.uuidString)\"") && page.visibleText.contains("空余1个"), "\(page.visibleText.suffix(600))")
            // The worker registers and contacts, but places no one: no such form for them.
            #expect(!(try await app.page("/console/employment/\(id)", as: .worker)).text.contains("/placement\""))
            let long = try await app.submit("/console/employment/\(id)/placement", [("post_id", post.uuidString), ("start_on", "2026-06-01"),
                                                                                     ("end_on", "2029-06-02")], as: .street)
            #expect(long.status == .unprocessableEntity && long.text.contains("安置期限不得超过36个月"), "\(long.status)")
            let placed = try await app.submit("/console/employment/\(id)/placement", [("post_id", post.uuidString), ("start_on", "2026-06-01"),
                                                                                       ("end_on", "2029-06-01")], as: .street)
            #expect(placed.status == .seeOther && placed.location == "/console/employment/posts/\(post)", "\(placed.text)")
            #expect(try await app.rowCount("employment_placements") == 1)
            #expect(!(try await app.residentTags(person).contains("unemployed")))
        }
    }
}
