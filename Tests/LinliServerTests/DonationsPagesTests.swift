import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("捐赠物资接收点: the console's pages", .serialized)
struct DonationsPagesTests {
    @Test("register a point, receive, hand out with the household's assistance case in view; refusals at their fields, nothing written")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            #expect(try await app.applyDibao(household, wages: 100).status == .created)
            let number = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: household.id)").first()?
                .decode(column: "number", as: String.self))

            let before = try await app.page("/console", as: .district)
            let communities = try await app.rowCount("divisions WHERE level = 'community'")
            #expect(before.status == .ok && before.text.contains("<b>0 / \(communities)</b>") && before.text.contains("href=\"/console/donations\""))
            let empty = try await app.page("/console/donations", as: .district)
            #expect(empty.status == .ok && empty.text.contains("尚未登记接收点的村/社区") && empty.text.contains("寺巷社区"), "\(empty.status)")
            let form = try await app.page("/console/donations/new")
            #expect(form.status == .ok && form.text.contains("name=\"keeper_phone\"") && form.text.contains("value=\"321271002001\""))
            #expect(try await app.page("/console/donations/new", as: .district).status == .forbidden)
            let fields = [("community_code", "321271002001"), ("name", "寺巷社区捐赠物资接收点"), ("address", "党群服务中心一楼"),
                          ("opening_hours", "周一至周五 8:30-17:00"), ("keeper_name", "王建国"), ("needs", "冬季棉衣\n大米"), ("open", "true")]
            let bad = try await app.submit("/console/donations/new", fields + [("keeper_phone", "12345"), ("latitude", "北纬")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("联系电话应为11位手机号") && bad.text.contains("应为数字"), "\(bad.status)")
            #expect(try await app.rowCount("donation_points") == 0)
            #expect(try await app.submit("/console/donations/new", fields + [("keeper_phone", "13912345678")], csrf: false).status == .forbidden)
            let created = try await app.submit("/console/donations/new", fields + [("keeper_phone", "13912345678"), ("latitude", "32.45"), ("longitude", "119.92")])
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.headers.first(name: .location))

            let zero = try await app.submit("\(location)/donations", [("goods", "大米"), ("category", "grain_oil"), ("quantity", "0"), ("unit", "袋"),
                                                                      ("donor", ""), ("date", "2026-06-30")])
            #expect(zero.status == .unprocessableEntity && zero.text.contains("数量应为正整数") && zero.text.contains("aria-invalid"), "\(zero.status)")
            let future = try await app.submit("\(location)/donations", [("goods", "大米"), ("category", "grain_oil"), ("quantity", "5"), ("unit", "袋"),
                                                                        ("donor", ""), ("date", "2026-07-02")])
            #expect(future.status == .unprocessableEntity && future.text.contains("接收日期不能晚于今天"))
            #expect(try await app.rowCount("donation_movements") == 0)
            let received = try await app.submit("\(location)/donations", [("goods", "大米"), ("category", "grain_oil"), ("quantity", "5"), ("unit", "袋"),
                                                                          ("donor", ""), ("date", "2026-06-30")])
            #expect(received.status == .seeOther)

            // The household by its number: its 低保 application is shown before anything is handed out.
            let choose = try await app.page("\(location)?household=\(number)")
            #expect(choose.status == .ok && choose.text.contains("低保（已受理）") && choose.text.contains("大米（现有5袋）"), "\(choose.status)")
            let item = "大米｜袋"
            let tooMany = try await app.submit("\(location)/handouts", [("household_id", household.id.uuidString), ("item", item), ("give_quantity", "6"),
                                                                         ("give_date", "2026-06-30"), ("note", "")])
            #expect(tooMany.status == .unprocessableEntity && tooMany.text.contains("库存不足：大米现有5袋") && tooMany.text.contains("id=\"f-give_quantity-err\""), "\(tooMany.status)")
            let elsewhere = try await app.household(in: "321271002002")
            let outside = try await app.submit("\(location)/handouts", [("household_id", elsewhere.uuidString), ("item", item), ("give_quantity", "1"),
                                                                         ("give_date", "2026-06-30"), ("note", "")])
            #expect(outside.status == .unprocessableEntity && outside.text.contains("不在本接收点所在的村/社区"))
            #expect(try await app.rowCount("donation_movements") == 1)
            let given = try await app.submit("\(location)/handouts", [("household_id", household.id.uuidString), ("item", item), ("give_quantity", "2"),
                                                                       ("give_date", "2026-06-30"), ("note", "春节慰问")])
            #expect(given.status == .seeOther)
            let page = try await app.page(location, as: .district)
            #expect(page.status == .ok && page.text.contains("<td>3</td>") && page.text.contains("户号 \(number)") && page.text.contains("低保（已受理）"))
            #expect(page.text.contains("139****5678") && !page.text.contains("13912345678") && !page.text.contains("登记入库"))
            let worker = try await app.page(location)
            #expect(worker.text.contains("13912345678") && worker.text.contains("登记入库") && worker.text.contains("查找家庭"))
            let export = try await app.page("\(location)/ledger.xlsx", as: .district)
            #expect(export.status == .ok && export.body.prefix(2) == Data("PK".utf8))
            #expect(try await app.rowCount("audit_log WHERE action = 'donations.export'") == 1)
            let home = try await app.page("/console")
            #expect(home.status == .ok && home.text.contains("<b>1 / 1</b>"), "\(home.status)")
            let list = try await app.page("/console/donations", as: .street)
            #expect(list.status == .ok && list.text.contains("在运行"))
            #expect(try await app.page(location, as: .otherWorker).status == .notFound)
        }
    }
}
