import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("助残康复: the console's pages")
struct DisabilityPagesTests {
    @Test("register through the form (the holder found from the number), refused forms keep their input, the card page and its forms, the home todo")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let p = try await app.disabilityResident()
            let form = try await app.page("/console/disability/new")
            #expect(form.status == .ok && form.text.contains("残疾人证号") && form.text.contains("4 肢体残疾"), "\(form.status)")
            // A grade that does not match the number: the message at the field, the input kept, nothing written.
            let wrong = try await app.submit("/console/disability/new", [("resident", ""), ("card_number", p.idNumber + "43"), ("category", "physical"),
                                                                         ("grade", "2"), ("issued_on", "2026-06-01"), ("valid_until", "")])
            #expect(wrong.status == .unprocessableEntity, "\(wrong.text.prefix(500))")
            #expect(wrong.text.contains("与所填残疾等级（二级）不符") && wrong.text.contains("value=\"\(p.idNumber)43\""))
            #expect(try await app.rowCount("disability_cards") == 0)
            let noCSRF = try await app.submit("/console/disability/new", [("card_number", p.idNumber + "43")], csrf: false)
            #expect(noCSRF.status == .forbidden)
            let done = try await app.submit("/console/disability/new", [("resident", ""), ("card_number", p.idNumber + "43"), ("category", "physical"),
                                                                        ("grade", "3"), ("issued_on", "2026-06-01"), ("valid_until", "")])
            #expect(done.status == .seeOther, "\(done.text.prefix(500))")
            let location = try #require(done.headers.first(name: .location))
            let card = try await app.page(location)
            #expect(card.status == .ok)
            #expect(card.text.contains(p.idNumber + "43") && card.text.contains("肢体残疾三级") && card.text.contains("尚未做需求评估"))
            #expect(try await app.rowCount("audit_log WHERE action = 'disability.card.view'") == 1)
            // The list masks the number.
            let list = try await app.page("/console/disability")
            #expect(list.status == .ok && list.text.contains("持证残疾人"))
            #expect(!list.text.contains(p.idNumber) && list.text.contains(String(p.idNumber.prefix(6)) + "**********"))

            // A service that ends before it starts comes back with its message; a good one is listed.
            let bad = try await app.submit("\(location)/service", [("setting", "community"), ("provider", "社区康复站"), ("started_on", "2026-06-10"),
                                                                   ("ended_on", "2026-06-01"), ("sessions", "8"), ("hours", ""), ("outcome", "")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("结束日期不能早于开始日期") && bad.text.contains("value=\"社区康复站\""))
            #expect(try await app.rowCount("disability_services") == 0)
            let good = try await app.submit("\(location)/service", [("setting", "community"), ("provider", "社区康复站"), ("started_on", "2026-06-10"),
                                                                    ("ended_on", ""), ("sessions", "8"), ("hours", ""), ("outcome", "")])
            #expect(good.status == .seeOther, "\(good.text.prefix(500))")
            let assessed = try await app.submit("\(location)/assess", [("assessed_on", "2026-06-29"), ("assessor", "王芳"), ("needs[]", "rehab_training"),
                                                                       ("needs[]", "care"), ("result", "services"), ("note", "")])
            #expect(assessed.status == .seeOther, "\(assessed.text.prefix(500))")
            let after = try await app.page(location)
            #expect(after.text.contains("社区康复站") && after.text.contains("康复训练、护理照料"))

            // The home page's todo counts the overdue: none now; one once a card is 31 days old and unassessed.
            let other = try await app.disabilityResident(skip: 1)
            #expect(try await app.registerCard(other.id, number: other.idNumber + "62", category: "mental", grade: 2).status == .created)
            var home = try await app.page("/console")
            #expect(home.status == .ok && home.text.contains("逾期未做需求评估的新持证人"))
            #expect(home.text.contains("href=\"/console/disability?overdue=true\"><span>逾期未做需求评估的新持证人</span><b>0</b>"))
            try await app.sql().raw("UPDATE disability_cards SET registered_on = '2026-05-01' WHERE last_assessed_on IS NULL").run()
            home = try await app.page("/console")
            #expect(home.text.contains("<span>逾期未做需求评估的新持证人</span><b>1</b>"))
            let overdue = try await app.page("/console/disability?overdue=true")
            #expect(overdue.status == .ok && overdue.text.contains("逾期未评估") && overdue.text.contains("共 1 条"))
            // The subsidy hint of a grade 二级 holder.
            let otherCard = try #require(try await app.sql().raw("SELECT id FROM disability_cards WHERE resident_id = \(bind: other.id)").first())
                .decode(column: "id", as: UUID.self)
            let hinted = try await app.page("/console/disability/\(otherCard)")
            #expect(hinted.status == .ok && hinted.text.contains("可申请重度残疾人护理补贴") && hinted.text.contains("/console/assistance/new?household="))
            // Street officers read but have no forms; residents are refused.
            let street = try await app.page(location, as: .street)
            #expect(street.status == .ok && !street.text.contains("记录需求评估"))
            #expect(try await app.page("/console/disability", as: .resident).status == .forbidden)
        }
    }
}
