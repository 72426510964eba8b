import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// The supermarket of 寺巷街道 (the street of the worker's community), registered through the API by the street.
    func supermarket() async throws -> String {
        let r = try await call(.POST, "/api/v1/supermarket/markets", json: [
            "street_code": "321271002000", "name": "寺巷街道爱心超市", "address": "寺巷街道便民服务中心一楼", "opening_hours": "周二、四、六 9:00-16:00",
            "keeper_name": "周建华", "keeper_phone": "13912345678",
        ], as: .street)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }

    /// A good of the supermarket with `stock` received.
    func supermarketGoods(_ market: String, name: String = "大米（5公斤）", price: Int = 30, stock: Int = 10) async throws -> String {
        let r = try await call(.POST, "/api/v1/supermarket/markets/\(market)/goods", json: ["name": name, "category": "grain_oil", "unit": "袋", "price": price],
                               as: .street)
        #expect(r.status == .created, "\(r.text)")
        let id = try #require(r.json["id"].string)
        if stock > 0 {
            let s = try await call(.POST, "/api/v1/supermarket/goods/\(id)/stock", json: ["kind": "received", "quantity": stock, "reason": "区慈善总会"], as: .street)
            #expect(s.status == .created, "\(s.text)")
        }
        return id
    }

    /// Verified volunteer hours through the seam the volunteers' verification calls, in a transaction of its own.
    @discardableResult
    func creditHours(_ resident: UUID, _ hours: Double, on day: CivilDate = testToday) async throws -> LovePoints.Posted {
        try await db.writeTransaction { db in try await LovePoints.creditHours(residentID: resident, hours: hours, on: day, reference: UUID(), in: db) }
    }

    func redeem(_ market: String, idNumber: String, _ lines: [(String, Int)], as user: TestUser = .worker) async throws -> APIResponse {
        try await call(.POST, "/api/v1/supermarket/markets/\(market)/redemptions",
                       json: ["id_number": idNumber, "lines": lines.map { ["goods_id": $0.0, "quantity": $0.1] }], as: user)
    }

    func balance(_ resident: UUID) async throws -> Int? {
        try await sql().raw("SELECT balance FROM love_point_balances WHERE resident_id = \(bind: resident)").first()?.decode(column: "balance", as: Int.self)
    }

    func stock(_ goods: String) async throws -> Int {
        let id = try #require(UUID(uuidString: goods))
        return try #require(try await sql().raw("SELECT stock FROM supermarket_goods WHERE id = \(bind: id)").first()?.decode(column: "stock", as: Int.self))
    }
}

@Suite("爱心超市: the API", .serialized)
struct SupermarketTests {
    @Test("a supermarket per street, goods priced in points, stock received and adjusted; bad input, scope and permissions refused")
    func marketsAndGoods() async throws {
        try await withTestApp(residents: 600) { app in
            let missing = try await app.call(.POST, "/api/v1/supermarket/markets", json: ["street_code": "321271002000", "keeper_phone": "123"], as: .street)
            #expect(missing.status == .unprocessableEntity && missing.isProblem)
            #expect(Set(missing.json.errorFields) == ["name", "address", "opening_hours", "keeper_name", "keeper_phone"], "\(missing.text)")
            let outside = try await app.call(.POST, "/api/v1/supermarket/markets", json: ["street_code": "321271003000"], as: .street)
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["street_code"], "\(outside.text)")
            #expect(try await app.call(.POST, "/api/v1/supermarket/markets", rawBody: "x", contentType: "text/plain", as: .street).status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/supermarket/markets", json: ["street_code": "321271002000"], as: .worker).status == .forbidden)
            #expect(try await app.rowCount("supermarkets") == 0)

            let market = try await app.supermarket()
            let again = try await app.call(.POST, "/api/v1/supermarket/markets", json: [
                "street_code": "321271002000", "name": "第二个", "address": "别处", "opening_hours": "全天", "keeper_name": "李四", "keeper_phone": "13800000000",
            ], as: .street)
            #expect(again.status == .conflict && again.json.errorFields == ["street_code"], "\(again.text)")
            #expect(try await app.rowCount("supermarkets") == 1)
            for user in [TestUser.worker, .grid, .street, .district] {
                #expect(try await app.call(.GET, "/api/v1/supermarket/markets/\(market)", as: user).status == .ok, "\(user)")
            }
            #expect(try await app.call(.GET, "/api/v1/supermarket/markets/\(market)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/supermarket/markets", as: .otherWorker).json.array.isEmpty)
            #expect(try await app.call(.GET, "/api/v1/supermarket/markets", as: .district).json.array.count == 1)

            let negative = try await app.call(.POST, "/api/v1/supermarket/markets/\(market)/goods", json: ["name": "食用油", "category": "粮油", "unit": "桶", "price": -5],
                                              as: .street)
            #expect(negative.status == .unprocessableEntity && negative.json.errorFields == ["price"], "\(negative.text)")
            let goods = try await app.supermarketGoods(market, stock: 0)
            let twice = try await app.call(.POST, "/api/v1/supermarket/markets/\(market)/goods", json: ["name": "大米（5公斤）", "category": "grain_oil", "unit": "袋", "price": 9],
                                           as: .street)
            #expect(twice.status == .conflict && twice.json.errorFields == ["name"])
            #expect(try await app.rowCount("supermarket_goods") == 1)

            func move(_ body: [String: Any]) async throws -> APIResponse { try await app.call(.POST, "/api/v1/supermarket/goods/\(goods)/stock", json: body, as: .street) }
            let received = try await move(["kind": "received", "quantity": 10])
            #expect(received.status == .created && received.json["balance"].int == 10, "\(received.text)")
            let below = try await move(["kind": "adjusted", "quantity": -11, "reason": "盘点短少"])
            #expect(below.status == .unprocessableEntity && below.json.errorFields == ["quantity"] && below.text.contains("现有10袋"), "\(below.text)")
            let noReason = try await move(["kind": "adjusted", "quantity": -2])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"])
            let adjusted = try await move(["kind": "adjusted", "quantity": -2, "reason": "过期报损"])
            #expect(adjusted.status == .created && adjusted.json["balance"].int == 8)
            #expect(try await app.stock(goods) == 8)
            #expect(try await app.rowCount("supermarket_stock_moves") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.stock'") == 2)
            #expect(try await app.call(.POST, "/api/v1/supermarket/goods/\(goods)/stock", json: ["kind": "received", "quantity": 1], as: .worker).status == .forbidden)

            let reprice = try await app.call(.PATCH, "/api/v1/supermarket/goods/\(goods)", json: ["price": 35, "version": 1], as: .street)
            #expect(reprice.status == .ok && reprice.json["price"].int == 35, "\(reprice.text)")
            #expect(try await app.call(.PATCH, "/api/v1/supermarket/goods/\(goods)", json: ["price": 40, "version": 1], as: .street).status == .conflict)

            let open = try await app.call(.GET, "/api/v1/supermarket/public", as: .anonymous)
            #expect(open.status == .ok && open.json[0]["goods"][0]["price"].int == 35 && open.json[0]["goods"][0]["in_stock"].raw as? Bool == true, "\(open.text)")
        }
    }

    @Test("the counter: a person by ID number, redemption within points and stock, refusals at their fields with nothing written, void the same day")
    func redemption() async throws {
        try await withTestApp(residents: 600) { app in
            let market = try await app.supermarket()
            let rice = try await app.supermarketGoods(market, price: 30, stock: 3)
            let soap = try await app.supermarketGoods(market, name: "香皂", price: 1, stock: 2)
            let person = try await app.disabilityResident()
            let posted = try await app.creditHours(person.id, 10)
            #expect(posted.balance == 100 && posted.shortfall == 0)

            let holder = try await app.call(.POST, "/api/v1/supermarket/markets/\(market)/holder", json: ["id_number": person.idNumber])
            #expect(holder.status == .ok && holder.json["balance"].int == 100 && holder.json["name"].string?.contains("*") == true, "\(holder.text)")
            #expect(holder.json["id_number_masked"].string?.contains(person.idNumber) == false)

            let zero = try await app.redeem(market, idNumber: person.idNumber, [(rice, 0)])
            #expect(zero.status == .unprocessableEntity && zero.json.errorFields == ["quantity"], "\(zero.text)")
            let tooDear = try await app.redeem(market, idNumber: person.idNumber, [(rice, 4)])
            #expect(tooDear.status == .unprocessableEntity && tooDear.json.errorFields == ["points"] && tooDear.text.contains("现有100分，本次需120分"), "\(tooDear.text)")
            let short = try await app.redeem(market, idNumber: person.idNumber, [(rice, 1), (soap, 3)])
            #expect(short.status == .unprocessableEntity && short.json.errorFields == ["quantity"] && short.text.contains("香皂现有2"), "\(short.text)")
            let nobody = try await app.redeem(market, idNumber: "11010519491231002X", [(rice, 1)])
            #expect(nobody.status == .unprocessableEntity && nobody.json.errorFields == ["id_number"], "\(nobody.text)")
            let elsewhere = try await app.disabilityResident(grid: "321271003001")
            let outside = try await app.redeem(market, idNumber: elsewhere.idNumber, [(rice, 1)])
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["id_number"], "\(outside.text)")
            let dead = try await app.disabilityResident(skip: 1)
            try await app.creditHours(dead.id, 10)
            try await app.sql().raw("UPDATE residents SET life_status = 'deceased' WHERE id = \(bind: dead.id)").run()
            let deceased = try await app.redeem(market, idNumber: dead.idNumber, [(rice, 1)])
            #expect(deceased.status == .unprocessableEntity && deceased.json.errorFields == ["id_number"] && deceased.text.contains("已死亡或迁出"), "\(deceased.text)")
            // Nothing written by any refusal.
            #expect(try await app.balance(person.id) == 100)
            #expect(try await app.stock(rice) == 3)
            #expect(try await app.stock(soap) == 2)
            #expect(try await app.rowCount("supermarket_redemptions") == 0)
            #expect(try await app.rowCount("love_point_entries") == 2)
            #expect(try await app.redeem(market, idNumber: person.idNumber, [(rice, 1)], as: .grid).status == .forbidden)

            let done = try await app.redeem(market, idNumber: person.idNumber, [(rice, 2), (soap, 1)])
            #expect(done.status == .created && done.json["points"].int == 61 && done.json["balance_after"].int == 39, "\(done.text)")
            #expect(try await app.balance(person.id) == 39)
            #expect(try await app.stock(rice) == 1)
            #expect(try await app.stock(soap) == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.redeem'") == 1)

            let ledger = try await app.call(.GET, "/api/v1/supermarket/people/\(person.id)/ledger")
            #expect(ledger.status == .ok && ledger.json["entries"]["items"].array.compactMap { $0["balance"].int } == [39, 100], "\(ledger.text)")
            #expect(ledger.json["entries"]["items"][0]["points"].int == -61)
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.ledger_view'") == 1)
            #expect(try await app.call(.GET, "/api/v1/supermarket/people/\(person.id)/ledger", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/supermarket/people/\(person.id)/ledger", as: .grid).status == .forbidden)

            let id = try #require(done.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/supermarket/redemptions/\(id)/void", json: ["reason": " "]).status == .unprocessableEntity)
            let voided = try await app.call(.POST, "/api/v1/supermarket/redemptions/\(id)/void", json: ["reason": "数量点错"])
            #expect(voided.status == .ok && voided.json["status"].string == "voided", "\(voided.text)")
            #expect(try await app.balance(person.id) == 100)
            #expect(try await app.stock(rice) == 3)
            #expect(try await app.stock(soap) == 2)
            #expect(try await app.call(.POST, "/api/v1/supermarket/redemptions/\(id)/void", json: ["reason": "再来一次"]).status == .conflict)
            #expect(try await app.balance(person.id) == 100)

            let old = try await app.redeem(market, idNumber: person.idNumber, [(rice, 1)])
            let oldID = try #require(old.json["id"].string.flatMap { UUID(uuidString: $0) })
            try await app.sql().raw("UPDATE supermarket_redemptions SET on_date = '2026-06-29' WHERE id = \(bind: oldID)").run()
            #expect(try await app.call(.POST, "/api/v1/supermarket/redemptions/\(oldID)/void", json: ["reason": "迟了"]).status == .conflict)
            #expect(try await app.balance(person.id) == 70)

            let month = try await app.call(.GET, "/api/v1/supermarket/markets/\(market)/redemptions?period=2026-06")
            #expect(month.status == .ok && month.json["total"].int == 2)
            let xlsx = try await app.call(.GET, "/api/v1/supermarket/markets/\(market)/redemptions.xlsx?month=2026-06")
            #expect(xlsx.status == .ok && xlsx.body.starts(with: [0x50, 0x4B]))
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.export'") == 1)
            #expect(try await app.call(.GET, "/api/v1/supermarket/markets/\(market)/redemptions.xlsx?month=2026-07").status == .unprocessableEntity)
        }
    }

    @Test("the volunteers' seam: hours at the rate of their day; a correction stops at zero and keeps the shortfall")
    func creditHours() async throws {
        try await withTestApp(residents: 600) { app in
            let market = try await app.supermarket()
            let rice = try await app.supermarketGoods(market, price: 30, stock: 5)
            let person = try await app.disabilityResident()
            #expect(try await app.creditHours(person.id, 2.5).balance == 25)
            #expect(try await app.creditHours(person.id, 7.5).balance == 100)
            #expect(try await app.redeem(market, idNumber: person.idNumber, [(rice, 2)]).status == .created)
            let correction = try await app.creditHours(person.id, -10)
            #expect(correction.balance == 0 && correction.shortfall == 60)
            #expect(try await app.balance(person.id) == 0)
            let entry = try #require(try await app.sql().raw("SELECT points, shortfall, balance FROM love_point_entries WHERE id = \(bind: correction.entryID)").first())
            #expect(try entry.decode(column: "points", as: Int.self) == -40 && entry.decode(column: "shortfall", as: Int.self) == 60)
            #expect(try await app.rowCount("love_point_balances WHERE balance < 0") == 0)

            // A new rate from tomorrow: today's hours keep today's rate.
            let rate = try await app.call(.POST, "/api/v1/supermarket/rates", json: ["kind": "volunteer_hour", "points": 20, "effective_from": "2026-07-01"], as: .district)
            #expect(rate.status == .created, "\(rate.text)")
            #expect(try await app.creditHours(person.id, 1).balance == 10)
            #expect(try await app.creditHours(person.id, 1, on: try #require(CivilDate("2026-07-01"))).balance == 30)
            let zero = try await app.call(.POST, "/api/v1/supermarket/rates", json: ["kind": "volunteer_hour", "points": 0, "effective_from": "2026-07-01"], as: .district)
            #expect(zero.status == .unprocessableEntity && zero.json.errorFields == ["points"])
            let past = try await app.call(.POST, "/api/v1/supermarket/rates", json: ["kind": "volunteer_hour", "points": 12, "effective_from": "2026-01-01"], as: .district)
            #expect(past.status == .unprocessableEntity && past.json.errorFields == ["effective_from"])
            #expect(try await app.call(.POST, "/api/v1/supermarket/rates", json: ["kind": "volunteer_hour", "points": 12, "effective_from": "2026-07-01"]).status == .forbidden)
            await #expect(throws: RegistryError.self) { try await app.creditHours(person.id, 1, on: try #require(CivilDate("2015-06-01"))) }

            // The street's own corrections: a reason, never below zero, audited.
            func adjust(_ body: [String: Any], as user: TestUser = .street) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/supermarket/people/\(person.id)/adjustments", json: body, as: user)
            }
            #expect(try await app.balance(person.id) == 30)
            let noReason = try await adjust(["points": 5])
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"], "\(noReason.text)")
            let below = try await adjust(["points": -31, "reason": "重复记入"])
            #expect(below.status == .unprocessableEntity && below.json.errorFields == ["points"], "\(below.text)")
            #expect(try await adjust(["points": 0, "reason": "x"]).json.errorFields == ["points"])
            #expect(try await adjust(["points": 5, "reason": "x"], as: .worker).status == .forbidden)
            let down = try await adjust(["points": -30, "reason": "重复记入"])
            #expect(down.status == .created && down.json["balance"].int == 0 && down.json["kind"].string == "adjustment", "\(down.text)")
            let up = try await adjust(["points": 8, "reason": "补记"])
            #expect(up.status == .created && up.json["balance"].int == 8)
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.adjust'") == 2)
            await #expect(throws: RegistryError.self) { try await app.creditHours(UUID(), 1) }
        }
    }

    @Test("the monthly allowance: each household on assistance once a month, to the applicant; twice credits once; no future month")
    func allowance() async throws {
        try await withTestApp(residents: 600) { app in
            func household(_ skip: Int) async throws -> (id: UUID, members: [UUID]) { try await app.assistanceHousehold(members: 1, skip: skip) }
            let a = try await household(0), b = try await household(1), c = try await household(2), d = try await household(3)
            func open(_ h: (id: UUID, members: [UUID]), _ kind: AssistanceKind, _ stage: AssistanceStage, first: String, ended: String? = nil) async throws {
                let number = try await app.insertCase(household: h.id.uuidString, applicant: h.members[0].uuidString, kind: kind, stage: stage, endedOn: ended)
                try await app.sql().raw("UPDATE assistance_cases SET first_month = \(bind: first) WHERE number = \(bind: number)").run()
            }
            try await open(a, .dibao, .approved, first: "2026-01")
            try await open(b, .tekun, .approved, first: "2026-06")
            try await open(c, .dibao, .ended, first: "2025-01", ended: "2026-05-15")
            try await open(d, .dibao, .reviewed, first: "2026-01")

            let june = try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-06"], as: .district)
            #expect(june.status == .ok && june.json["credited"].int == 2 && june.json["points"].int == 250, "\(june.text)")
            let again = try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-06"], as: .district)
            #expect(again.status == .ok && again.json["credited"].int == 0 && again.json["already"].int == 2, "\(again.text)")
            let may = try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-05"], as: .district)
            #expect(may.status == .ok && may.json["credited"].int == 2 && may.json["points"].int == 200, "\(may.text)")
            #expect(try await app.balance(a.members[0]) == 200)
            #expect(try await app.balance(b.members[0]) == 150)
            #expect(try await app.balance(c.members[0]) == 100)
            #expect(try await app.balance(d.members[0]) == nil)

            let future = try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-07"], as: .district)
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["month"])
            #expect(try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-13"], as: .district).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-06"], as: .street).status == .forbidden)
            #expect(try await app.rowCount("love_point_allowances") == 4)
            #expect(try await app.rowCount("audit_log WHERE action = 'supermarket.allowance'") == 3)
        }
    }

    @Test("indicators: streets covered, the year's points earned and redeemed, redemptions, assisted households that redeemed")
    func indicators() async throws {
        try await withTestApp(residents: 600) { app in
            func reading(_ code: String) async throws -> Int? {
                let r = try await app.call(.GET, "/api/v1/indicators?division=\(DemoDistrict.districtCode)", as: .district)
                #expect(r.status == .ok)
                return JSONValue(r.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw)["value"].int
            }
            #expect(try await reading("supermarket.streets") ?? 0 == 0)
            let market = try await app.supermarket()
            let rice = try await app.supermarketGoods(market, price: 30, stock: 5)
            let h = try await app.assistanceHousehold(members: 1)
            let number = try await app.insertCase(household: h.id.uuidString, applicant: h.members[0].uuidString, kind: .dibao, stage: .approved)
            try await app.sql().raw("UPDATE assistance_cases SET first_month = '2026-01' WHERE number = \(bind: number)").run()
            #expect(try await app.call(.POST, "/api/v1/supermarket/allowances", json: ["month": "2026-06"], as: .district).status == .ok)
            let idNumber = try testCipher.open(try #require(try await app.sql().raw("SELECT id_cipher FROM residents WHERE id = \(bind: h.members[0])").first())
                .decode(column: "id_cipher", as: Data.self))
            #expect(try await app.redeem(market, idNumber: idNumber, [(rice, 2)]).status == .created)
            #expect(try await reading("supermarket.streets") == 1)
            #expect(try await reading("supermarket.points_earned_year") == 100)
            #expect(try await reading("supermarket.points_redeemed_year") == 60)
            #expect(try await reading("supermarket.redemptions_year") == 1)
            #expect(try await reading("supermarket.assisted_households_year") == 1)
            // A void takes the redemption off the year's figures (the household stays counted: it came).
            let id = try #require(try await app.sql().raw("SELECT id FROM supermarket_redemptions").first()?.decode(column: "id", as: UUID.self))
            #expect(try await app.call(.POST, "/api/v1/supermarket/redemptions/\(id)/void", json: ["reason": "点错"]).status == .ok)
            #expect(try await reading("supermarket.points_redeemed_year") ?? 0 == 0)
            #expect(try await reading("supermarket.redemptions_year") ?? 0 == 0)
            #expect(try await reading("supermarket.assisted_households_year") == 1)
        }
    }

    @Test("the demo: a supermarket per street, balances and stock as their ledgers sum, tallies as the ledger counts, never below zero")
    func demo() async throws {
        try await withTestApp(residents: 600) { app in
            for skip in 0..<4 {
                let h = try await app.assistanceHousehold(members: 1, skip: skip)
                let number = try await app.insertCase(household: h.id.uuidString, applicant: h.members[0].uuidString, kind: skip % 2 == 0 ? .dibao : .tekun,
                                                      stage: .approved)
                try await app.sql().raw("UPDATE assistance_cases SET first_month = '2025-09' WHERE number = \(bind: number)").run()
            }
            let s = try await DemoSupermarket.load(on: app.db, seed: 42, today: testToday, now: 1_782_777_600)
            let streets = try await app.rowCount("divisions WHERE level = 'street'")
            #expect(s.markets == streets && s.allowances == 4 * 10 && s.redemptions > 0, "\(s)")
            #expect(try await app.rowCount("supermarkets") == streets)
            #expect(try await app.rowCount("supermarket_goods") == streets * 30)
            let sql = try app.sql()
            #expect(try await sql.raw("""
                SELECT b.resident_id FROM love_point_balances b
                WHERE b.balance <> (SELECT CAST(sum(points) AS BIGINT) FROM love_point_entries e WHERE e.resident_id = b.resident_id)
                   OR b.entries <> (SELECT count(*) FROM love_point_entries e WHERE e.resident_id = b.resident_id) OR b.balance < 0
                """).all().isEmpty)
            #expect(try await sql.raw("""
                SELECT g.id FROM supermarket_goods g
                WHERE g.stock <> (SELECT CAST(sum(quantity) AS BIGINT) FROM supermarket_stock_moves m WHERE m.goods_id = g.id) OR g.stock < 0
                """).all().isEmpty)
            let redeemed = try #require(try await sql.raw("SELECT CAST(sum(points) AS BIGINT) AS n FROM supermarket_redemptions WHERE on_date >= '2026-01-01'").first())
                .decode(column: "n", as: Int.self)
            let tallied = try #require(try await sql.raw("SELECT CAST(sum(redeemed) AS BIGINT) AS n FROM love_point_tallies WHERE year = 2026").first())
                .decode(column: "n", as: Int.self)
            #expect(redeemed == tallied && redeemed > 0)
            let earned = try #require(try await sql.raw("SELECT CAST(sum(points) AS BIGINT) AS n FROM love_point_entries WHERE kind = 'allowance' AND on_date >= '2026-01-01'").first())
                .decode(column: "n", as: Int.self)
            #expect(try await sql.raw("SELECT CAST(sum(earned) AS BIGINT) AS n FROM love_point_tallies WHERE year = 2026").first()?.decode(column: "n", as: Int.self) == earned)
        }
    }
}
