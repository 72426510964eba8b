import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// The point of the worker's community (寺巷社区), registered through the API.
    func donationPoint(phone: String = "13912345678", as user: TestUser = .worker) async throws -> (id: String, version: Int) {
        let r = try await call(.POST, "/api/v1/donations/points", json: [
            "community_code": "321271002001", "name": "寺巷社区捐赠物资接收点", "address": "寺巷社区党群服务中心一楼", "opening_hours": "周一至周五 8:30-17:00",
            "keeper_name": "王建国", "keeper_phone": phone, "latitude": 32.4521, "longitude": 119.9213, "needs": ["冬季棉衣", "大米"],
        ], as: user)
        #expect(r.status == .created, "\(r.text)")
        return (try #require(r.json["id"].string), try #require(r.json["version"].int))
    }

    func receive(_ point: String, goods: String = "大米", quantity: Any = 10, unit: String = "袋", date: String = "2026-06-30",
                 category: String = "grain_oil", as user: TestUser = .worker) async throws -> APIResponse {
        try await call(.POST, "/api/v1/donations/points/\(point)/donations", json: [
            "goods": goods, "category": category, "quantity": quantity, "unit": unit, "donor": "区慈善总会", "date": date,
        ], as: user)
    }

    func handOut(_ point: String, household: String, goods: String = "大米", quantity: Int, unit: String = "袋", date: String = "2026-06-30",
                 as user: TestUser = .worker) async throws -> APIResponse {
        try await call(.POST, "/api/v1/donations/points/\(point)/handouts", json: [
            "household_id": household, "goods": goods, "unit": unit, "quantity": quantity, "date": date,
        ], as: user)
    }

    /// A household whose grid code starts with `prefix`.
    func household(in prefix: String) async throws -> UUID {
        let row = try #require(try await sql().raw("SELECT id FROM households WHERE grid_code LIKE \(bind: prefix + "%") ORDER BY id LIMIT 1").first())
        return try row.decode(column: "id", as: UUID.self)
    }
}

@Suite("捐赠物资接收点: the API", .serialized)
struct DonationsTests {
    @Test("a point per community: registered once, a second is 409; bad input, scope and permissions refused, nothing written")
    func points() async throws {
        try await withTestApp(residents: 600) { app in
            let missing = try await app.call(.POST, "/api/v1/donations/points", json: ["community_code": "321271002001", "keeper_phone": "123"])
            #expect(missing.status == .unprocessableEntity && missing.isProblem)
            #expect(Set(missing.json.errorFields).isSuperset(of: ["name", "address", "opening_hours", "keeper_name", "keeper_phone"]), "\(missing.text)")
            let outside = try await app.call(.POST, "/api/v1/donations/points", json: ["community_code": "321271003001", "name": "x"])
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["community_code"], "\(outside.text)")
            let plain = try await app.call(.POST, "/api/v1/donations/points", rawBody: "x", contentType: "text/plain")
            #expect(plain.status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/donations/points", json: ["community_code": "321271002001"], as: .district).status == .forbidden)
            #expect(try await app.rowCount("donation_points") == 0)

            let point = try await app.donationPoint()
            let again = try await app.call(.POST, "/api/v1/donations/points", json: [
                "community_code": "321271002001", "name": "第二个", "address": "别处", "opening_hours": "全天", "keeper_name": "李四", "keeper_phone": "13800000000",
            ], as: .street)
            #expect(again.status == .conflict && again.json.errorFields == ["community_code"], "\(again.text)")
            #expect(try await app.rowCount("donation_points") == 1)

            // Seen by the grid worker of the community, the street and the district; not by another community.
            for user in [TestUser.worker, .grid, .street, .district] {
                let r = try await app.call(.GET, "/api/v1/donations/points/\(point.id)", as: user)
                #expect(r.status == .ok && r.json["point"]["keeper_phone"].string == "139****5678", "\(user) \(r.status)")
            }
            #expect(try await app.call(.GET, "/api/v1/donations/points/\(point.id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/donations/points/\(UUID())").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/donations/points/nope").status == .badRequest)
            let list = try await app.call(.GET, "/api/v1/donations/points", as: .district)
            #expect(list.status == .ok && list.json["total"].int == 1 && list.json["items"][0]["working"].raw as? Bool == false)
            #expect(try await app.call(.GET, "/api/v1/donations/points", as: .otherWorker).json["total"].int == 0)

            // Edits carry the version; a stale one is 409.
            var body: [String: Any] = ["name": "寺巷社区捐赠物资接收点", "address": "寺巷社区党群服务中心二楼", "opening_hours": "每天 9:00-17:00",
                                       "keeper_name": "王建国", "keeper_phone": "13912345678", "needs": ["棉被"], "open": false, "version": point.version]
            let edited = try await app.call(.PATCH, "/api/v1/donations/points/\(point.id)", json: body)
            #expect(edited.status == .ok && edited.json["open"].raw as? Bool == false && edited.json["needs"].strings == ["棉被"], "\(edited.text)")
            let stale = try await app.call(.PATCH, "/api/v1/donations/points/\(point.id)", json: body)
            #expect(stale.status == .conflict)
            // A closed point takes nothing.
            #expect(try await app.receive(point.id).status == .conflict)
            body["open"] = true
            body["version"] = point.version + 1
            #expect(try await app.call(.PATCH, "/api/v1/donations/points/\(point.id)", json: body).status == .ok)
            #expect(try await app.rowCount("audit_log WHERE action LIKE 'donations.point.%'") == 3)
        }
    }

    @Test("donations and hand-outs: the stock never below zero, the field at fault named, the assistance case on the record, the ledger exported")
    func ledger() async throws {
        try await withTestApp(residents: 600) { app in
            try await app.configureAssistanceStandards()
            let household = try await app.assistanceHousehold(members: 2)
            #expect(try await app.applyDibao(household, wages: 100).status == .created)
            let point = try await app.donationPoint()

            let received = try await app.receive(point.id)
            #expect(received.status == .created && received.json["balance"].int == 10 && received.json["donor"].string == "区慈善总会", "\(received.text)")
            for (quantity, field) in [(0, "quantity"), (-3, "quantity")] as [(Any, String)] {
                let r = try await app.receive(point.id, quantity: quantity)
                #expect(r.status == .unprocessableEntity && r.isProblem && r.json.errorFields == [field], "\(r.text)")
            }
            let future = try await app.receive(point.id, date: "2026-07-01")
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["date"])
            let category = try await app.receive(point.id, category: "gold")
            #expect(category.status == .unprocessableEntity && category.json.errorFields == ["category"])
            #expect(try await app.receive(point.id, quantity: "ten").status == .badRequest)
            for path in ["donations", "handouts"] {
                let plain = try await app.call(.POST, "/api/v1/donations/points/\(point.id)/\(path)", rawBody: "goods=x", contentType: "text/plain")
                #expect(plain.status == .unsupportedMediaType, "\(path)")
            }
            #expect(try await app.rowCount("donation_movements") == 1)

            let given = try await app.handOut(point.id, household: household.id.uuidString, quantity: 4)
            #expect(given.status == .created && given.json["balance"].int == 6, "\(given.text)")
            #expect(given.json["assistance_kind"].string == "dibao" && given.json["assistance_stage"].string == "accepted")
            let tooMany = try await app.handOut(point.id, household: household.id.uuidString, quantity: 7)
            #expect(tooMany.status == .unprocessableEntity && tooMany.json.errorFields == ["quantity"], "\(tooMany.text)")
            #expect(tooMany.json["errors"][0]["message"].string == "库存不足：大米现有6袋")
            let none = try await app.handOut(point.id, household: household.id.uuidString, goods: "食用油", quantity: 1, unit: "桶")
            #expect(none.status == .unprocessableEntity && none.json.errorFields == ["quantity"])
            let elsewhere = try await app.household(in: "321271002002")
            let outside = try await app.handOut(point.id, household: elsewhere.uuidString, quantity: 1)
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["household_id"], "\(outside.text)")
            let unknown = try await app.handOut(point.id, household: UUID().uuidString, quantity: 1)
            #expect(unknown.status == .unprocessableEntity && unknown.json.errorFields == ["household_id"])
            let future2 = try await app.handOut(point.id, household: household.id.uuidString, quantity: 1, date: "2026-07-01")
            #expect(future2.status == .unprocessableEntity && future2.json.errorFields == ["date"])
            // Another community's worker and the street may not keep this point's ledger.
            #expect(try await app.handOut(point.id, household: household.id.uuidString, quantity: 1, as: .otherWorker).status == .notFound)
            #expect(try await app.handOut(point.id, household: household.id.uuidString, quantity: 1, as: .street).status == .forbidden)
            #expect(try await app.handOut(UUID().uuidString, household: household.id.uuidString, quantity: 1).status == .notFound)

            let file = try await app.call(.GET, "/api/v1/donations/points/\(point.id)")
            #expect(file.json["stock"][0]["quantity"].int == 6 && file.json["point"]["working"].raw as? Bool == true, "\(file.text)")
            let ledger = try await app.call(.GET, "/api/v1/donations/points/\(point.id)/ledger", as: .district)
            #expect(ledger.status == .ok && ledger.json["total"].int == 2)
            #expect(ledger.json["items"][0]["kind"].string == "handed_out" && ledger.json["items"][0]["assistance_label"].string == "低保（已受理）")
            let handed = try await app.call(.GET, "/api/v1/donations/points/\(point.id)/ledger?kind=handed_out")
            #expect(handed.json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/donations/points/\(point.id)/ledger?kind=x").status == .badRequest)
            let number = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: household.id)").first()?
                .decode(column: "number", as: String.self))
            let found = try await app.call(.GET, "/api/v1/donations/points/\(point.id)/households?number=\(number)")
            #expect(found.status == .ok && found.json["assistance_label"].string == "低保（已受理）" && found.json["members"].int == household.members.count, "\(found.text)")

            // A household of another community is not found from this point.
            let otherNumber = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: elsewhere)").first()?
                .decode(column: "number", as: String.self))
            #expect(try await app.call(.GET, "/api/v1/donations/points/\(point.id)/households?number=\(otherNumber)").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/donations/points/\(point.id)/households").status == .badRequest)
            let export = try await app.call(.GET, "/api/v1/donations/points/\(point.id)/ledger.xlsx", as: .street)
            #expect(export.status == .ok && export.body.prefix(2) == Data("PK".utf8))
            #expect(export.headers.contentType?.subType.contains("spreadsheetml") == true)
            #expect(try await app.rowCount("audit_log WHERE action = 'donations.export'") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'donations.hand_out'") == 1)
            #expect(try await app.rowCount("audit_log WHERE action = 'donations.receive'") == 1)
        }
    }

    @Test("indicators: coverage of communities by working points, the year's donations and hand-outs")
    func indicators() async throws {
        try await withTestApp(residents: 600) { app in
            func reading(_ division: String, _ code: String) async throws -> JSONValue {
                let r = try await app.call(.GET, "/api/v1/indicators?division=\(division)", as: .district)
                #expect(r.status == .ok)
                return JSONValue(r.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw)
            }
            let communities = try await app.rowCount("divisions WHERE level = 'community'")
            #expect(try await reading(DemoDistrict.districtCode, "plan.donation_points")["numerator"].int == 0)
            let point = try await app.donationPoint()
            // Registered but idle: not working yet.
            #expect(try await reading(DemoDistrict.districtCode, "plan.donation_points")["numerator"].int == 0)
            #expect(try await app.receive(point.id, date: "2026-01-05").status == .created)
            #expect(try await app.receive(point.id, date: "2025-12-30").status == .created)
            let h = try await app.household(in: "321271002001")
            #expect(try await app.handOut(point.id, household: h.uuidString, quantity: 2, date: "2026-03-01").status == .created)
            let district = try await reading(DemoDistrict.districtCode, "plan.donation_points")
            #expect(district["numerator"].int == 1 && district["denominator"].int == communities && district["status"].string == "behind", "\(district.raw ?? "")")
            let community = try await reading("321271002001", "plan.donation_points")
            #expect(community["value"].double == 100 && community["status"].string == "met")
            #expect(try await reading("321271002002", "plan.donation_points")["value"].double == 0)
            #expect(try await reading(DemoDistrict.districtCode, "donations.received_year")["value"].int == 1)
            #expect(try await reading(DemoDistrict.districtCode, "donations.handed_out_year")["value"].int == 1)
        }
    }

    @Test("the portal: every point without signing in, the keeper's phone masked, nothing about recipients")
    func portal() async throws {
        try await withTestApp(residents: 600) { app in
            let point = try await app.donationPoint()
            #expect(try await app.receive(point.id).status == .created)
            let h = try await app.household(in: "321271002001")
            #expect(try await app.handOut(point.id, household: h.uuidString, quantity: 1).status == .created)
            let number = try #require(try await app.sql().raw("SELECT number FROM households WHERE id = \(bind: h)").first()?.decode(column: "number", as: String.self))
            let home = try await app.page("/", as: .anonymous)
            #expect(home.status == .ok && home.text.contains("href=\"/notices/donations\""))
            let list = try await app.page("/notices/donations", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("/notices/donations/321271002001") && list.text.contains("冬季棉衣"))
            let page = try await app.page("/notices/donations/321271002001", as: .anonymous)
            #expect(page.status == .ok && page.text.contains("139****5678") && page.text.contains("寺巷社区党群服务中心一楼"), "\(page.status)")
            #expect(!page.text.contains("13912345678") && !page.text.contains(number) && !page.text.contains("王建国"))
            #expect(try await app.page("/notices/donations/321271002002", as: .anonymous).status == .notFound)
            let api = try await app.call(.GET, "/api/v1/donations/public", as: .anonymous)
            #expect(api.status == .ok && api.json[0]["keeper_phone"].string == "139****5678" && !api.text.contains("13912345678"))
            #expect(!api.text.contains(number) && !api.text.contains(h.uuidString.lowercased()) && !api.text.contains(h.uuidString))
        }
    }
    @Test("the demo: most communities have a point, some none; the stock is the last balance of each item and never negative")
    func demo() async throws {
        try await withTestApp(residents: 600) { app in
            let s = try await DemoDonations.load(on: app.db, cipher: testCipher, seed: 42, today: testToday, now: 1_782_000_000)
            #expect(s.points < s.communities && s.points > s.communities / 2 && s.working <= s.points && s.received > 0 && s.handedOut > 0, "\(s)")
            #expect(try await app.rowCount("donation_points") == s.points)
            #expect(try await app.rowCount("donation_points WHERE community_code = '321271002001' AND open = \(app.db.isSQLite ? "1" : "true")") == 1)
            #expect(try await app.rowCount("donation_movements WHERE balance < 0 OR quantity <= 0") == 0)
            #expect(try await app.rowCount("donation_movements WHERE on_date > '2026-06-30'") == 0)
            // Each item's stock is the balance after its last movement.
            let mismatched = try await app.sql().raw("""
                SELECT COUNT(*) AS n FROM donation_stock s WHERE s.quantity <> (SELECT m.balance FROM donation_movements m
                WHERE m.point_id = s.point_id AND m.goods = s.goods AND m.unit = s.unit ORDER BY m.on_date DESC, m.seq DESC LIMIT 1)
                """).first()?.decode(column: "n", as: Int.self)
            #expect(mismatched == 0)
            let coverage = try await app.call(.GET, "/api/v1/indicators", as: .district)
            let reading = JSONValue(coverage.json["indicators"].array.first { $0["indicator"]["code"].string == "plan.donation_points" }?.raw)
            #expect(reading["numerator"].int == s.working && reading["status"].string != "met", "\(reading.raw ?? "")")
        }
    }
}
