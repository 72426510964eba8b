import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("爱心超市: the console's pages and the portal", .serialized)
struct SupermarketPagesTests {
    @Test("register a supermarket, add goods and stock, redeem at the counter, the ledger audited; refusals at their fields, nothing written")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let empty = try await app.page("/console/supermarket", as: .district)
            #expect(empty.status == .ok && empty.text.contains("尚未设爱心超市的镇/街道") && empty.text.contains("积分标准和月度积分发放"), "\(empty.status)")
            #expect(try await app.page("/console/supermarket/new", as: .worker).status == .forbidden)
            let form = try await app.page("/console/supermarket/new", as: .street)
            #expect(form.status == .ok && form.text.contains("value=\"321271002000\""))
            let fields = [("street_code", "321271002000"), ("name", "寺巷街道爱心超市"), ("address", "便民服务中心一楼"), ("opening_hours", "周二、四、六 9:00-16:00"),
                          ("keeper_name", "周建华"), ("open", "true")]
            let bad = try await app.submit("/console/supermarket/new", fields + [("keeper_phone", "123")], as: .street)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("联系电话应为11位手机号"), "\(bad.status)")
            #expect(try await app.submit("/console/supermarket/new", fields + [("keeper_phone", "13912345678")], as: .street, csrf: false).status == .forbidden)
            #expect(try await app.rowCount("supermarkets") == 0)
            let created = try await app.submit("/console/supermarket/new", fields + [("keeper_phone", "13912345678")], as: .street)
            #expect(created.status == .seeOther, "\(created.text)")
            let location = try #require(created.location)
            let edit = try await app.page("\(location)/edit", as: .street)
            #expect(edit.status == .ok && edit.text.contains("value=\"周建华\"") && edit.text.contains("name=\"version\" value=\"1\""), "\(edit.status)")
            let others = fields.filter { $0.0 != "keeper_name" }
            let renamed = try await app.submit("\(location)/edit", others + [("keeper_name", "吴秀兰"), ("keeper_phone", "13912345678"), ("version", "1")], as: .street)
            #expect(renamed.status == .seeOther, "\(renamed.text)")
            let stale = try await app.submit("\(location)/edit", fields + [("keeper_phone", "13912345678"), ("version", "1")], as: .street)
            #expect(stale.status == .conflict)
            #expect(try await app.page(location).text.contains("吴秀兰"))

            let negative = try await app.submit("\(location)/goods", [("name", "大米"), ("category", "grain_oil"), ("unit", "袋"), ("price", "-3")], as: .street)
            #expect(negative.status == .unprocessableEntity && negative.text.contains("兑换积分应为正整数") && negative.text.contains("aria-invalid"), "\(negative.status)")
            #expect(try await app.rowCount("supermarket_goods") == 0)
            #expect(try await app.submit("\(location)/goods", [("name", "大米"), ("category", "grain_oil"), ("unit", "袋"), ("price", "30")], as: .street).status == .seeOther)
            let goods = try #require(try await app.sql().raw("SELECT id FROM supermarket_goods").first()?.decode(column: "id", as: UUID.self))
            let received = try await app.submit("\(location)/stock", [("goods_id", goods.uuidString), ("kind", "received"), ("stock_quantity", "4"), ("reason", "")],
                                                as: .street)
            #expect(received.status == .seeOther)
            let page = try await app.page(location)
            #expect(page.status == .ok && page.text.contains("柜台兑换") && page.text.contains(">4<") && !page.text.contains("添加物品"), "\(page.status)")
            #expect(try await app.page(location, as: .street).text.contains("添加物品"))
            // The good's stock ledger, linked from the market page; a good of no market here is 404.
            #expect(page.text.contains("href=\"\(location)/goods/\(goods.uuidString)\""))
            let stockLedger = try await app.page("\(location)/goods/\(goods.uuidString)")
            #expect(stockLedger.status == .ok && stockLedger.text.contains("库存台账") && stockLedger.text.contains("入库") && stockLedger.text.contains("+4"),
                    "\(stockLedger.status)")
            #expect(try await app.page("\(location)/goods/\(UUID().uuidString)").status == .notFound)

            let person = try await app.disabilityResident()
            try await app.creditHours(person.id, 10)
            let counter = "\(location)/counter"
            #expect(try await app.page(counter).status == .ok)
            #expect(try await app.page(counter, as: .grid).status == .forbidden)
            let unknown = try await app.submit(counter, [("id_number", "11010519491231002X")])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("本辖区没有这位居民"), "\(unknown.status)")
            let found = try await app.submit(counter, [("id_number", person.idNumber)])
            #expect(found.status == .ok && found.text.contains("id=\"balance\">100<") && !found.text.contains(person.idNumber), "\(found.status)")
            let name = try #require(try await app.sql().raw("SELECT name FROM residents WHERE id = \(bind: person.id)").first()?.decode(column: "name", as: String.self))
            #expect(found.text.contains(Masking.name(name)) && !found.text.contains(">\(name)<"))

            let tooDear = try await app.submit("\(location)/redeem", [("resident_id", person.id.uuidString), ("q_\(goods.uuidString)", "4")])
            #expect(tooDear.status == .unprocessableEntity && tooDear.text.contains("积分不足：现有100分，本次需120分"), "\(tooDear.status)")
            #expect(try await app.rowCount("supermarket_redemptions") == 0)
            let done = try await app.submit("\(location)/redeem", [("resident_id", person.id.uuidString), ("q_\(goods.uuidString)", "3")])
            #expect(done.status == .ok && done.text.contains("共 90 分；余额 10 分"), "\(done.status)")
            #expect(try await app.balance(person.id) == 10)

            let day = try await app.page(location)
            #expect(day.text.contains("作废") && day.text.contains("大米×3袋"))
            let ledger = try await app.page("/console/supermarket/people/\(person.id)")
            #expect(ledger.status == .ok && ledger.text.contains("兑换物品") && ledger.text.contains("-90"), "\(ledger.status)")
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.ledger_view'") == 1)
            #expect(!ledger.text.contains("调整积分"))
            let people = "/console/supermarket/people/\(person.id)"
            let tooMuch = try await app.submit("\(people)/adjust", [("adj_points", "-11"), ("reason", "重复记入")], as: .street)
            #expect(tooMuch.status == .unprocessableEntity && tooMuch.text.contains("积分不足：现有10分") && tooMuch.text.contains("id=\"f-adj_points-err\""), "\(tooMuch.status)")
            #expect(try await app.submit("\(people)/adjust", [("adj_points", "5"), ("reason", "补记")]).status == .forbidden)
            let adjusted = try await app.submit("\(people)/adjust", [("adj_points", "5"), ("reason", "补记")], as: .street)
            #expect(adjusted.status == .seeOther)
            #expect(try await app.balance(person.id) == 15)

            let redemption = try #require(try await app.sql().raw("SELECT id FROM supermarket_redemptions").first()?.decode(column: "id", as: UUID.self))
            let void = try await app.submit("/console/supermarket/redemptions/\(redemption)/void", [("reason", "点错了")])
            #expect(void.status == .seeOther)
            #expect(try await app.balance(person.id) == 105)
        }
    }

    @Test("the district's rates and allowance run: refusals named, a second run credits nothing")
    func config() async throws {
        try await withTestApp(residents: 600) { app in
            #expect(try await app.page("/console/supermarket/config", as: .street).status == .forbidden)
            let page = try await app.page("/console/supermarket/config", as: .district)
            #expect(page.status == .ok && page.text.contains("志愿服务每小时") && page.text.contains("2016-01-01"), "\(page.status)")
            let zero = try await app.submit("/console/supermarket/config/rates", [("kind", "volunteer_hour"), ("points", "0"), ("effective_from", "2026-07-01")],
                                            as: .district)
            #expect(zero.status == .unprocessableEntity && zero.text.contains("积分标准应大于0"))
            let future = try await app.submit("/console/supermarket/config/allowance", [("month", "2026-07")], as: .district)
            #expect(future.status == .unprocessableEntity && future.text.contains("不能发放未来月份"))
            let h = try await app.assistanceHousehold(members: 1)
            let number = try await app.insertCase(household: h.id.uuidString, applicant: h.members[0].uuidString, kind: .tekun, stage: .approved)
            try await app.sql().raw("UPDATE assistance_cases SET first_month = '2026-01' WHERE number = \(bind: number)").run()
            let run = try await app.submit("/console/supermarket/config/allowance", [("month", "2026-06")], as: .district)
            #expect(run.status == .ok && run.visibleText.contains("本次记入 1 户共 150 分"), "\(run.visibleText)")
            let again = try await app.submit("/console/supermarket/config/allowance", [("month", "2026-06")], as: .district)
            #expect(again.status == .ok && again.visibleText.contains("本次记入 0 户共 0 分；此前已记入 1 户"))
        }
    }

    @Test("the portal: each supermarket without signing in, goods with points and whether in stock, nothing personal")
    func portal() async throws {
        try await withTestApp(residents: 600) { app in
            let market = try await app.supermarket()
            let rice = try await app.supermarketGoods(market, price: 30, stock: 1)
            _ = try await app.supermarketGoods(market, name: "香皂", price: 5, stock: 0)
            let person = try await app.disabilityResident()
            try await app.creditHours(person.id, 10)
            #expect(try await app.redeem(market, idNumber: person.idNumber, [(rice, 1)]).status == .created)
            let name = try #require(try await app.sql().raw("SELECT name FROM residents WHERE id = \(bind: person.id)").first()?.decode(column: "name", as: String.self))
            let home = try await app.page("/notices/donations", as: .anonymous)
            #expect(home.status == .ok && home.text.contains("href=\"/notices/supermarkets\""))
            let list = try await app.page("/notices/supermarkets", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("寺巷街道爱心超市") && list.text.contains("/notices/supermarkets/321271002000"))
            let one = try await app.page("/notices/supermarkets/321271002000", as: .anonymous)
            #expect(one.status == .ok && one.text.contains("大米（5公斤）：30 分/袋") && one.text.contains("香皂：5 分/袋 <span class=\"badge red\">暂缺</span>"), "\(one.status)")
            #expect(!one.text.contains(name) && !one.text.contains("13912345678") && one.text.contains("139****5678"))
            #expect(try await app.page("/notices/supermarkets/321271003000", as: .anonymous).status == .notFound)
        }
    }
}
