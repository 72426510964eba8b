import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("社区生活: console, portal and screen pages")
struct LifePagesTests {
    @Test("the console: the venue form refuses bad hours with the field named, saves good ones; the venue's week books and shows the booker masked")
    func console() async throws {
        try await withTestApp(residents: 400) { app in
            let hours = (1...7).map { "\($0) 08:00-21:00" }.joined(separator: "\n")
            let fields: [(String, String)] = [("community_code", "321271002001"), ("name", "书画室"), ("owner", "community"), ("address", "党群服务中心三楼"),
                                              ("capacity", "20"), ("free", "true"), ("open", "true")]
            let bad = try await app.submit("/console/life/venues/new", fields + [("hours", "1 9点-10点")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("开放时间的格式"), "\(bad.status)")
            let noCsrf = try await app.submit("/console/life/venues/new", fields + [("hours", hours)], csrf: false)
            #expect(noCsrf.status == .forbidden)
            let made = try await app.submit("/console/life/venues/new", fields + [("hours", hours)])
            #expect(made.status == .seeOther, "\(made.status) \(made.text.prefix(400))")
            let path = try #require(made.location)
            let person = try await app.disabilityResident()
            let booked = try await app.submit(path + "/book", [("day", app.lifeDay), ("start", "09:00"), ("end", "10:00"), ("purpose", "resident"), ("id_number", person.idNumber)])
            #expect(booked.status == .seeOther, "\(booked.status) \(booked.visibleText.prefix(600))")
            let clash = try await app.submit(path + "/book", [("day", app.lifeDay), ("start", "09:30"), ("end", "10:30"), ("purpose", "activity")])
            #expect(clash.status == .conflict && clash.text.contains("该时段已被预约"), "\(clash.status)")
            let week = try await app.page(path + "?week=\(app.lifeDay)")
            #expect(week.status == .ok && week.text.contains("09:00–10:00") && week.text.contains("已预约"), "\(week.status)")
            let name = try #require(try await app.sql().raw("SELECT name FROM residents WHERE id = \(bind: person.id)").first()).decode(column: "name", as: String.self)
            #expect(week.text.contains(Masking.name(name)) && !week.text.contains(name))
            let day = try await app.page("/console/life/bookings?day=\(app.lifeDay)")
            #expect(day.status == .ok && day.text.contains("09:00–10:00") && day.text.contains(Masking.name(name)) && day.text.contains("/cancel"), "\(day.status)")
            #expect(try await app.page("/console/life/bookings?day=\(app.lifeDay)", as: .otherWorker).text.contains("这一天没有预约"))
            let overview = try await app.page("/console/life", as: .street)
            #expect(overview.status == .ok && overview.text.contains("书画室") && overview.text.contains("本年预约小时"), "\(overview.status)")
            #expect(try await app.page("/console/life/venues/new", as: .grid).status == .forbidden)
            let home = try await app.page("/console")
            #expect(home.status == .ok && home.text.contains("今日场地预约"))
        }
    }

    @Test("activities on the console: announce, sign a resident up by ID number, the list")
    func activities() async throws {
        try await withTestApp(residents: 400) { app in
            let made = try await app.submit("/console/life/activities/new", [("community_code", "321271002001"), ("kind", "legal"), ("title", "法律咨询日"),
                                                                             ("day", app.lifeDay), ("start", "09:00"), ("end", "11:00"), ("venue_id", ""), ("capacity", "30")])
            #expect(made.status == .seeOther, "\(made.status) \(made.visibleText.prefix(600))")
            let path = try #require(made.location)
            let person = try await app.disabilityResident()
            let signed = try await app.submit(path + "/signups", [("id_number", person.idNumber)])
            #expect(signed.status == .seeOther, "\(signed.status) \(signed.visibleText.prefix(600))")
            let again = try await app.submit(path + "/signups", [("id_number", person.idNumber)])
            #expect(again.status == .conflict && again.text.contains("已经报名"), "\(again.status)")
            let page = try await app.page(path)
            #expect(page.status == .ok && page.text.contains("报名 1 / 名额 30"), "\(page.status)")
            let list = try await app.page("/console/life/activities?upcoming=true")
            #expect(list.status == .ok && list.text.contains("法律咨询日"))
            let cancelled = try await app.submit(path + "/cancel", [("version", "1")])
            #expect(cancelled.status == .seeOther, "\(cancelled.status)")
            #expect(try await app.page(path).text.contains("已取消"))
            let huge = try await app.submit("/console/life/activities/new", [("community_code", "321271002001"), ("kind", "legal"), ("title", "x"),
                                                                             ("day", app.lifeDay), ("start", "09:00"), ("end", "11:00"), ("capacity", "99999999999999999999")])
            #expect(huge.status == .unprocessableEntity, "\(huge.status)")
        }
    }

    @Test("the portal: the community's page open to all; a linked resident books, sees it under 我的预约 and cancels; an unlinked one is sent to link")
    func portal() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            _ = try await app.lifeActivity(capacity: 5)
            let open = try await app.page("/life?community=321271002001", as: .anonymous)
            #expect(open.status == .ok && open.text.contains("多功能活动室") && open.text.contains("民法典进社区") && open.text.contains("/login"), "\(open.status)")
            let unlinked = try await app.page("/life/venues/\(venue)", as: .resident)
            #expect(unlinked.status == .ok && unlinked.text.contains("实名核验") && !unlinked.text.contains("action=\"/life/venues/"), "\(unlinked.status)")
            try await app.linkResidentAccount()
            let booked = try await app.submit("/life/venues/\(venue)/book", [("day", app.lifeDay), ("start", "18:00"), ("end", "19:30"), ("note", "合唱队排练")], as: .resident)
            #expect(booked.status == .seeOther && booked.location == "/life/mine", "\(booked.status) \(booked.visibleText.prefix(600))")
            let mine = try await app.page("/life/mine", as: .resident)
            #expect(mine.status == .ok && mine.text.contains("18:00–19:30") && mine.text.contains("取消"), "\(mine.status)")
            let week = try await app.page("/life/venues/\(venue)?week=\(app.lifeDay)", as: .anonymous)
            #expect(week.status == .ok && week.text.contains("已约") && !week.text.contains("合唱队排练"), "\(week.status)")
            let id = try #require(try await app.sql().raw("SELECT id FROM life_bookings").first()).decode(column: "id", as: UUID.self)
            let cancelled = try await app.submit("/life/mine/\(id)/cancel", [], as: .resident)
            #expect(cancelled.status == .seeOther)
            #expect(try await app.rowCount("life_bookings WHERE status = 'cancelled'") == 1)
            let home = try await app.page("/", as: .anonymous)
            #expect(home.text.contains("<a href=\"/life\">社区活动</a>"))
        }
    }

    @Test("the screen: four panels without script, each refreshing to the next, large type, nothing personal; an unknown community is 404")
    func screen() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            let person = try await app.disabilityResident()
            #expect(try await app.lifeBook(venue, "09:00", "10:00", resident: person.id, purpose: "resident").status == .created)
            _ = try await app.lifeActivity(capacity: 5)
            let name = try #require(try await app.sql().raw("SELECT name FROM residents WHERE id = \(bind: person.id)").first()).decode(column: "name", as: String.self)
            for panel in 0..<4 {
                let r = try await app.page("/screen/321271002001?panel=\(panel)", as: .anonymous)
                #expect(r.status == .ok, "\(panel)")
                #expect(r.text.contains("http-equiv=\"refresh\"") && r.text.contains("/screen/321271002001?panel=\((panel + 1) % 4)"), "\(panel)")
                #expect(!r.text.contains("<script") && !r.text.contains(name) && !r.text.contains(Masking.name(name)), "\(panel)")
            }
            #expect(try await app.page("/screen/321271002001?panel=1", as: .anonymous).text.contains("民法典进社区"))
            #expect(try await app.page("/screen/321271002001?panel=99999999999999999999", as: .anonymous).status == .ok)
            #expect(try await app.page("/screen/999999999999", as: .anonymous).status == .notFound)
            let css = try await app.page("/assets/screen.css", as: .anonymous)
            #expect(css.status == .ok && css.text.contains("orientation: portrait"))
        }
    }
}
