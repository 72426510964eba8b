import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// A UUID the test relies on, from a JSON string.
func lifeUUID(_ text: String?, sourceLocation: SourceLocation = #_sourceLocation) throws -> UUID {
    let t = try #require(text, sourceLocation: sourceLocation)
    return try #require(UUID(uuidString: t), "\(t) is no UUID", sourceLocation: sourceLocation)
}

extension Application {
    /// A day a week ahead, local time: open every day in the test venues' hours, inside the booking window.
    var lifeDay: String { LifeTime.local(Int64(Date().timeIntervalSince1970)).day.adding(days: 7).description }

    func lifeVenueJSON(community: String = "321271002001", owner: String = "community", unit: String? = nil,
                       hours: String = (1...7).map { "\($0) 08:00-21:00" }.joined(separator: "\n")) -> [String: Any] {
        var body: [String: Any] = ["community_code": community, "name": "多功能活动室", "owner": owner, "address": "党群服务中心二楼", "capacity": 40, "hours": hours]
        if let unit { body["unit_name"] = unit }
        return body
    }

    func lifeVenue(as user: TestUser = .worker) async throws -> String {
        let r = try await call(.POST, "/api/v1/life/venues", json: lifeVenueJSON(), as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }

    func lifeBook(_ venue: String, day: String? = nil, _ start: String, _ end: String, resident: UUID? = nil, purpose: String = "activity",
                  as user: TestUser = .worker) async throws -> APIResponse {
        var body: [String: Any] = ["day": day ?? lifeDay, "start": start, "end": end, "purpose": purpose]
        if let resident { body["resident_id"] = resident.uuidString }
        return try await call(.POST, "/api/v1/life/venues/\(venue)/bookings", json: body, as: user)
    }

    func lifeMinutes(_ venue: String) async throws -> Int {
        let row = try await sql().raw("SELECT CAST(COALESCE(SUM(minutes), 0) AS BIGINT) AS m FROM life_venue_months WHERE venue_id = \(bind: try #require(UUID(uuidString: venue)))").first()
        return try #require(row).decode(column: "m", as: Int.self)
    }

    func lifeActivity(capacity: Int = 2, kind: String = "legal") async throws -> String {
        let r = try await call(.POST, "/api/v1/life/activities", json: ["community_code": "321271002001", "kind": kind, "title": "民法典进社区",
                                                                      "day": lifeDay, "start": "14:00", "end": "16:00", "capacity": capacity, "place": "社区活动室"])
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }
}

@Suite("社区生活: venues, bookings and activities")
struct LifeTests {
    @Test("a venue: registered in the worker's community; bad hours, a unit's without its name, another street's community refused; stale version 409")
    func venues() async throws {
        try await withTestApp(residents: 400) { app in
            let id = try await app.lifeVenue()
            let bad = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON(hours: "1 09:00-08:00"))
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["hours"], "\(bad.text)")
            let unit = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON(owner: "unit"))
            #expect(unit.status == .unprocessableEntity && unit.json.errorFields == ["unit_name"], "\(unit.text)")
            let other = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON(community: "321271003001"))
            #expect(other.status == .unprocessableEntity && other.json.errorFields == ["community_code"], "\(other.text)")
            let huge = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON().merging(["capacity": Int64.max]) { $1 })
            #expect(huge.status == .unprocessableEntity || huge.status == .badRequest, "\(huge.text)")
            var edit = app.lifeVenueJSON(owner: "unit", unit: "实验小学")
            edit["version"] = 1
            let ok = try await app.call(.PATCH, "/api/v1/life/venues/\(id)", json: edit)
            #expect(ok.status == .ok && ok.json["unit_name"].string == "实验小学" && ok.json["version"].int == 2, "\(ok.text)")
            let stale = try await app.call(.PATCH, "/api/v1/life/venues/\(id)", json: edit)
            #expect(stale.status == .conflict, "\(stale.text)")
            let list = try await app.call(.GET, "/api/v1/life/venues", as: .grid)
            #expect(list.status == .ok && list.json["total"].int == 1, "\(list.text)")
            #expect(try await app.call(.GET, "/api/v1/life/venues/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON(), as: .grid).status == .forbidden)
            #expect(try await app.rowCount("audit_log WHERE action LIKE 'life.venue.%'") == 2)
        }
    }

    @Test("a venue names a facility of the register in its own community; one elsewhere or unknown is 422 at facility_id")
    func venueInFacility() async throws {
        try await withTestApp(residents: 400) { app in
            let room = try await app.facility("culture_room", community: "321271002001")
            let elsewhere = try await app.facility("culture_room", community: "321271002002")
            let ok = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON().merging(["facility_id": room]) { $1 })
            #expect(ok.status == .created && ok.json["facility_id"].string?.lowercased() == room.lowercased(), "\(ok.text)")
            let venues = try await app.rowCount("life_venues")
            for bad in [elsewhere, UUID().uuidString] {
                let r = try await app.call(.POST, "/api/v1/life/venues", json: app.lifeVenueJSON().merging(["facility_id": bad]) { $1 })
                #expect(r.status == .unprocessableEntity && r.json.errorFields == ["facility_id"], "\(r.text)")
            }
            #expect(try await app.rowCount("life_venues") == venues)
            let id = try #require(ok.json["id"].string)
            let page = try await app.page("/console/life/venues/\(id)", as: .worker)
            #expect(page.status == .ok)
            #expect(page.text.contains("所在设施") && page.text.lowercased().contains("/console/facilities/\(room.lowercased())"))
        }
    }

    @Test("bookings: an overlap is 409, touching ends are fine; outside the hours, in the past, too long refused; a cancellation frees the slot and the tally")
    func bookings() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            let first = try await app.lifeBook(venue, "10:00", "12:00")
            #expect(first.status == .created && first.json["status"].string == "booked", "\(first.text)")
            let overlap = try await app.lifeBook(venue, "11:00", "13:00")
            #expect(overlap.status == .conflict && overlap.json.errorFields == ["start"], "\(overlap.text)")
            let inside = try await app.lifeBook(venue, "10:30", "11:00")
            #expect(inside.status == .conflict, "\(inside.text)")
            #expect(try await app.lifeBook(venue, "12:00", "13:00").status == .created)
            let late = try await app.lifeBook(venue, "20:30", "21:30")
            #expect(late.status == .unprocessableEntity && late.json.errorFields == ["start"], "\(late.text)")
            let yesterday = LifeTime.local(Int64(Date().timeIntervalSince1970)).day.adding(days: -1).description
            let past = try await app.lifeBook(venue, day: yesterday, "10:00", "11:00")
            #expect(past.status == .unprocessableEntity && past.json.errorFields == ["start"], "\(past.text)")
            let long = try await app.lifeBook(venue, "13:00", "17:30")
            #expect(long.status == .unprocessableEntity && long.json.errorFields == ["end"], "\(long.text)")
            let odd = try await app.lifeBook(venue, "13:00", "25:00")
            #expect(odd.status == .unprocessableEntity && odd.json.errorFields == ["end"], "\(odd.text)")
            #expect(try await app.rowCount("life_bookings") == 2)
            #expect(try await app.lifeMinutes(venue) == 180)

            let id = try #require(first.json["id"].string)
            let cancelled = try await app.call(.POST, "/api/v1/life/bookings/\(id)/cancel")
            #expect(cancelled.status == .ok && cancelled.json["status"].string == "cancelled", "\(cancelled.text)")
            #expect(try await app.call(.POST, "/api/v1/life/bookings/\(id)/cancel").status == .conflict)
            #expect(try await app.lifeMinutes(venue) == 60)
            #expect(try await app.lifeBook(venue, "11:00", "12:00").status == .created)
            #expect(try await app.lifeMinutes(venue) == 120)
            let week = try await app.call(.GET, "/api/v1/life/venues/\(venue)/bookings?week=\(app.lifeDay)", as: .grid)
            #expect(week.status == .ok && week.json.array.count == 3, "\(week.text)")
            #expect(try await app.call(.GET, "/api/v1/life/venues/\(venue)/bookings?week=2026-13-01").status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/life/venues/\(venue)/bookings?week=9999-01-01").status == .badRequest)
            #expect(try await app.call(.POST, "/api/v1/life/bookings/\(id)/cancel", as: .otherWorker).status == .notFound)
        }
    }

    @Test("no-shows: marked after the slot began, not before; three in 90 days pause the resident's booking")
    func noShows() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            let person = try await app.disabilityResident()
            let future = try await app.lifeBook(venue, "09:00", "10:00", resident: person.id, purpose: "resident")
            #expect(future.status == .created && future.json["resident"].string?.contains("*") == true, "\(future.text)")
            let id = try #require(future.json["id"].string)
            let early = try await app.call(.POST, "/api/v1/life/bookings/\(id)/no-show")
            #expect(early.status == .conflict, "\(early.text)")
            // The slot has begun: move it an hour back.
            try await app.sql().raw("UPDATE life_bookings SET starts_at = \(bind: Int64(Date().timeIntervalSince1970) - 3600) WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            let marked = try await app.call(.POST, "/api/v1/life/bookings/\(id)/no-show")
            #expect(marked.status == .ok && marked.json["status"].string == "no_show", "\(marked.text)")
            #expect(try await app.call(.POST, "/api/v1/life/bookings/\(id)/cancel").status == .conflict)
            // Two more no-shows this month: the third pauses booking.
            try await app.sql().raw("UPDATE life_bookings SET day = \(bind: LifeTime.local(Int64(Date().timeIntervalSince1970)).day.adding(days: -2).description) WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            for hour in ["10:00", "11:00"] {
                let b = try await app.lifeBook(venue, hour, hour == "10:00" ? "11:00" : "12:00", resident: person.id, purpose: "resident")
                #expect(b.status == .created, "\(b.text)")
                let bid = try lifeUUID(b.json["id"].string)
                try await app.sql().raw("UPDATE life_bookings SET status = 'no_show', day = \(bind: LifeTime.local(Int64(Date().timeIntervalSince1970)).day.adding(days: -1).description) WHERE id = \(bind: bid)").run()
            }
            let paused = try await app.lifeBook(venue, "15:00", "16:00", resident: person.id, purpose: "resident")
            #expect(paused.status == .unprocessableEntity && paused.json.errorFields == ["resident_id"], "\(paused.text)")
            // Another resident may still book.
            let other = try await app.disabilityResident(skip: 1)
            #expect(try await app.lifeBook(venue, "15:00", "16:00", resident: other.id, purpose: "resident").status == .created)
        }
    }

    @Test("a resident books on the API once linked (实名核验), cancels their own, not another's")
    func residents() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            let body: [String: Any] = ["venue_id": venue, "day": app.lifeDay, "start": "09:00", "end": "10:30"]
            let unlinked = try await app.call(.POST, "/api/v1/life/me/bookings", json: body, as: .resident)
            #expect(unlinked.status == .conflict, "\(unlinked.text)")
            try await app.linkResidentAccount()
            let mine = try await app.call(.POST, "/api/v1/life/me/bookings", json: body, as: .resident)
            #expect(mine.status == .created && mine.json["via"].string == "portal", "\(mine.text)")
            let again = try await app.call(.POST, "/api/v1/life/me/bookings", json: body, as: .resident)
            #expect(again.status == .conflict && again.json.errorFields == ["start"], "\(again.text)")
            let list = try await app.call(.GET, "/api/v1/life/me/bookings", as: .resident)
            #expect(list.status == .ok && list.json.array.count == 1, "\(list.text)")
            let workers = try await app.lifeBook(venue, "11:00", "12:00")
            let theirs = try #require(workers.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/life/me/bookings/\(theirs)/cancel", as: .resident).status == .notFound)
            let id = try #require(mine.json["id"].string)
            let cancelled = try await app.call(.POST, "/api/v1/life/me/bookings/\(id)/cancel", as: .resident)
            #expect(cancelled.status == .ok && cancelled.json["status"].string == "cancelled", "\(cancelled.text)")
            #expect(try await app.call(.GET, "/api/v1/life/venues", as: .resident).status == .forbidden)
        }
    }

    @Test("activities: sign-ups stop at the capacity and once per person; attendance only after the start, at the version read")
    func activities() async throws {
        try await withTestApp(residents: 400) { app in
            let id = try await app.lifeActivity(capacity: 2)
            var people: [UUID] = []
            for i in 0..<3 { people.append(try await app.disabilityResident(skip: i).id) }
            for p in people.prefix(2) {
                let r = try await app.call(.POST, "/api/v1/life/activities/\(id)/signups", json: ["resident_id": p.uuidString])
                #expect(r.status == .created, "\(r.text)")
            }
            let full = try await app.call(.POST, "/api/v1/life/activities/\(id)/signups", json: ["resident_id": people[2].uuidString])
            #expect(full.status == .conflict && full.json.errorFields == ["activity"], "\(full.text)")
            let twice = try await app.call(.POST, "/api/v1/life/activities/\(id)/signups", json: ["resident_id": people[0].uuidString])
            #expect(twice.status == .conflict && twice.json.errorFields == ["resident_id"], "\(twice.text)")
            #expect(try await app.rowCount("life_signups") == 2)
            let early = try await app.call(.POST, "/api/v1/life/activities/\(id)/attendance", json: ["attended": [people[0].uuidString], "version": 1])
            #expect(early.status == .conflict, "\(early.text)")
            try await app.sql().raw("UPDATE life_activities SET starts_at = \(bind: Int64(Date().timeIntervalSince1970) - 60) WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            let stranger = try await app.call(.POST, "/api/v1/life/activities/\(id)/attendance", json: ["attended": [people[2].uuidString], "version": 1])
            #expect(stranger.status == .unprocessableEntity && stranger.json.errorFields == ["attended"], "\(stranger.text)")
            let held = try await app.call(.POST, "/api/v1/life/activities/\(id)/attendance",
                                          json: ["attended": [people[0].uuidString], "walk_ins": 5, "report": "到场居民积极提问", "version": 1])
            #expect(held.status == .ok && held.json["status"].string == "held" && held.json["attended"].int == 6, "\(held.text)")
            let stale = try await app.call(.POST, "/api/v1/life/activities/\(id)/attendance", json: ["attended": [], "version": 1])
            #expect(stale.status == .conflict, "\(stale.text)")
            let walk = try await app.call(.POST, "/api/v1/life/activities/\(id)/attendance", json: ["walk_ins": Int64.max, "version": 2])
            #expect(walk.status == .unprocessableEntity || walk.status == .badRequest, "\(walk.text)")
            let file = try await app.call(.GET, "/api/v1/life/activities/\(id)", as: .grid)
            #expect(file.status == .ok && file.json["signups"].array.count == 2, "\(file.text)")
            let summary = try await app.call(.GET, "/api/v1/life/summary", as: .street)
            let mine = summary.json.array.first { $0["community_code"].string == "321271002001" }
            let attendance = try #require(mine)["attendance"].int
            let legal = try #require(mine)["legal_events"].int
            // Held in the week ahead: counted in the year only when that week is still this year.
            let sameYear = app.lifeDay.prefix(4) == String(LifeTime.local(Int64(Date().timeIntervalSince1970)).day.year)
            #expect(summary.status == .ok && attendance == (sameYear ? 6 : 0) && legal == (sameYear ? 1 : 0), "\(summary.text)")
            // An activity at a venue holds the venue's slot.
            let venue = try await app.lifeVenue()
            let at: [String: Any] = ["community_code": "321271002001", "kind": "sports", "title": "乒乓球友谊赛", "day": app.lifeDay, "start": "09:00", "end": "11:00",
                                     "capacity": 20, "venue_id": venue]
            let there = try await app.call(.POST, "/api/v1/life/activities", json: at)
            #expect(there.status == .created && there.json["place"].string == "多功能活动室", "\(there.text)")
            let clash = try await app.lifeBook(venue, "10:00", "10:30")
            #expect(clash.status == .conflict, "\(clash.text)")
            let second = try await app.call(.POST, "/api/v1/life/activities", json: at)
            #expect(second.status == .conflict && second.json.errorFields == ["venue_id"], "\(second.text)")
            #expect(try await app.lifeMinutes(venue) == 120)
            let thereID = try #require(there.json["id"].string)
            let staleCancel = try await app.call(.POST, "/api/v1/life/activities/\(thereID)/cancel", json: ["version": 2])
            #expect(staleCancel.status == .conflict, "\(staleCancel.text)")
            let cancelled = try await app.call(.POST, "/api/v1/life/activities/\(thereID)/cancel", json: ["version": 1])
            #expect(cancelled.status == .ok && cancelled.json["status"].string == "cancelled", "\(cancelled.text)")
            #expect(try await app.lifeMinutes(venue) == 0)
            #expect(try await app.lifeBook(venue, "10:00", "10:30").status == .created)
            #expect(try await app.call(.POST, "/api/v1/life/activities/\(thereID)/cancel", json: ["version": 2]).status == .conflict)
            let past = try await app.call(.POST, "/api/v1/life/activities", json: ["community_code": "321271002001", "kind": "culture", "title": "读书会",
                                                                                  "day": "2020-01-01", "start": "14:00", "end": "16:00", "capacity": 10])
            #expect(past.status == .unprocessableEntity && past.json.errorFields == ["day"], "\(past.text)")
        }
    }
}

@Suite("社区生活: measures")
struct LifeMeasuresTests {
    @Test("report-once measures: open venues, hours booked in the reference date's year, activities held, per community")
    func measures() async throws {
        try await withTestApp(residents: 400) { app in
            let venue = try await app.lifeVenue()
            #expect(try await app.lifeBook(venue, "09:00", "11:00").status == .created)
            #expect(try await app.lifeBook(venue, "14:00", "15:30").status == .created)
            let day = try #require(CivilDate(app.lifeDay))
            let context = MeasureContext(db: app.db, date: day, cipher: testCipher)
            let queries = ["life.venues", "life.hours_booked", "life.activities_held"].map { MeasureQuery(measure: $0) }
            for q in queries { #expect(Capabilities.measures.check(q, field: "f").isEmpty) }
            let values = try await Capabilities.measures.values(queries, communities: ["321271002001", "321271003001"], context: context)
            #expect(values[0] == ["321271002001": 1])
            // Three and a half hours, in whole hours.
            #expect(values[1] == ["321271002001": 3])
            #expect(values[2].isEmpty)
            let lastYear = MeasureContext(db: app.db, date: CivilDate(year: day.year - 1, month: 6, day: 1)!, cipher: testCipher)
            #expect(try await Capabilities.measures.values([queries[1]], communities: ["321271002001"], context: lastYear)[0].isEmpty)
        }
    }
}
