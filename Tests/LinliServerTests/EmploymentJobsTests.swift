import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A post of 寺巷社区 created by the street officer.
    func employmentPost(places: Int = 2, allowance: Int = 1850) async throws -> UUID {
        let r = try await call(.POST, "/api/v1/employment/posts", json: [
            "title": "社区保洁员", "employer": "寺巷社区居委会", "community_code": "321271002001", "hours_per_week": 40,
            "monthly_allowance": allowance, "places": places,
        ], as: .street)
        #expect(r.status == .created, "\(r.text)")
        return try #require(UUID(uuidString: r.json["id"].string ?? ""), "\(r.text)")
    }

    /// Someone registered and designated 就业困难人员 (其他, with the reason) by the worker; `skip` 0 is left for a plain registration.
    func designatedPerson(skip: Int = 0) async throws -> UUID {
        let person = try await employable(minAge: 18, maxAge: 39, skip: skip + 1)
        let r = try await registerUnemployed(person, on: "2026-03-01", categories: ["other"], note: "刑满释放人员")
        #expect(r.status == .created, "\(r.text)")
        return person
    }

    func placeInPost(_ post: UUID, _ person: UUID, start: String = "2026-06-16", end: String = "2029-06-15") async throws -> APIResponse {
        try await call(.POST, "/api/v1/employment/posts/\(post)/placements",
                       json: ["resident_id": person.uuidString, "start_on": start, "end_on": end], as: .street)
    }
}

@Suite("就业援助: public-welfare posts, placements, the allowance roll and the indicators", .serialized)
struct EmploymentJobsTests {
    @Test("a designated person placed: the registration ends, the tag goes; places and the term are kept; the roll pro-rates a part month")
    func placements() async throws {
        try await withTestApp { app in
            let post = try await app.employmentPost(places: 2)
            let person = try await app.designatedPerson()
            let placed = try await app.placeInPost(post, person)
            #expect(placed.status == .created, "\(placed.text)")
            #expect(try await app.rowCount("employment_registrations WHERE status = 'exited' AND exit_reason = 'public_welfare'") == 1)
            #expect(!(try await app.residentTags(person).contains("unemployed")))

            // Held already: registered again, designated, and placed a second time is refused at the person.
            let again = try await app.registerUnemployed(person, on: "2026-06-20", categories: ["other"], note: "刑满释放人员")
            #expect(again.status == .created, "\(again.text)")
            let twice = try await app.placeInPost(post, person, start: "2026-06-25", end: "2027-06-24")
            #expect(twice.status == .conflict && twice.json["errors"][0]["field"].string == "resident_id", "\(twice.text)")

            // Past the term (36 months): refused at the end date.
            let second = try await app.designatedPerson(skip: 1)
            let long = try await app.placeInPost(post, second, start: "2026-06-01", end: "2029-06-02")
            #expect(long.status == .unprocessableEntity && long.json["errors"][0]["field"].string == "end_on", "\(long.text)")
            // The district shortens the term to 12 months: a two-year placement is now too long.
            let term = try await app.call(.PUT, "/api/v1/employment/settings", json: ["placement_term_months": 12, "version": 1], as: .district)
            #expect(term.status == .ok, "\(term.text)")
            let twoYears = try await app.placeInPost(post, second, start: "2026-06-01", end: "2028-05-31")
            #expect(twoYears.status == .unprocessableEntity && twoYears.text.contains("12个月"), "\(twoYears.text)")
            let future = try await app.placeInPost(post, second, start: "2026-07-01", end: "2027-06-30")
            #expect(future.status == .unprocessableEntity && future.json["errors"][0]["field"].string == "start_on", "\(future.text)")
            let ok = try await app.placeInPost(post, second, start: "2026-06-01", end: "2027-05-31")
            #expect(ok.status == .created, "\(ok.text)")

            // Both places held: a third designated person finds the post full.
            let third = try await app.designatedPerson(skip: 2)
            let full = try await app.placeInPost(post, third, start: "2026-06-16", end: "2027-06-15")
            #expect(full.status == .conflict && full.json["errors"][0]["field"].string == "post_id", "\(full.text)")
            // Not designated: refused at the person.
            let plain = try await app.employable(minAge: 18, maxAge: 39)
            _ = try await app.registerUnemployed(plain)
            let other = try await app.employmentPost(places: 1)
            let notDesignated = try await app.placeInPost(other, plain)
            #expect(notDesignated.status == .unprocessableEntity && notDesignated.text.contains("就业困难人员"), "\(notDesignated.text)")
            #expect(try await app.rowCount("employment_placements") == 2)

            // June's roll: the first from the 16th (15 of 30 days: 925), the second the whole month (1850).
            let roll = try await app.call(.GET, "/api/v1/employment/allowances?street=321271002000&month=2026-06", as: .street)
            #expect(roll.status == .ok, "\(roll.text)")
            #expect(roll.json["lines"].array.map { $0["amount"].int ?? -1 }.sorted() == [925, 1850], "\(roll.text)")
            #expect(roll.json["total"].int == 2775)
            let xlsx = try await app.page("/console/employment/allowances.xlsx?street=321271002000&month=2026-06", as: .street)
            #expect(xlsx.status == .ok)
            #expect(xlsx.body.starts(with: Data("PK".utf8)))
            #expect(try await app.rowCount("audit_log WHERE action = 'employment.roll'") == 2)
            // Another street's roll is not the officer's.
            let elsewhere = try await app.call(.GET, "/api/v1/employment/allowances?street=321271003000&month=2026-06", as: .street)
            #expect(elsewhere.status == .notFound, "\(elsewhere.text)")

            // The indicators: two in posts, both designated, so 100 %.
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(indicators.status == .ok)
            func reading(_ code: String) -> JSONValue { JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("employment.placed")["value"].double == 2, "\(reading("employment.placed"))")
            // Still registered: the first person's second spell and the third (both designated), and the plain one.
            #expect(reading("employment.registered")["value"].double == 3)
            #expect(reading("employment.placed_share")["numerator"].int == 2 && reading("employment.placed_share")["denominator"].int == 4)
        }
    }

    @Test("a post needs places and an allowance not negative; only the street's officers make posts")
    func badPosts() async throws {
        try await withTestApp { app in
            let zero = try await app.call(.POST, "/api/v1/employment/posts", json: [
                "title": "保洁", "employer": "居委会", "community_code": "321271002001", "hours_per_week": 40, "monthly_allowance": -5, "places": 0,
            ], as: .street)
            #expect(zero.status == .unprocessableEntity, "\(zero.text)")
            #expect(Set(zero.json["errors"].array.compactMap { $0["field"].string }) == ["monthly_allowance", "places"])
            let outside = try await app.call(.POST, "/api/v1/employment/posts", json: [
                "title": "保洁", "employer": "居委会", "community_code": "321271003001", "hours_per_week": 40, "monthly_allowance": 1500, "places": 1,
            ], as: .street)
            #expect(outside.status == .unprocessableEntity && outside.json["errors"][0]["field"].string == "community_code", "\(outside.text)")
            let worker = try await app.call(.POST, "/api/v1/employment/posts", json: ["title": "保洁"], as: .worker)
            #expect(worker.status == .forbidden)
            #expect(try await app.rowCount("employment_posts") == 0)
        }
    }

    @Test("the employed-within-six-months share counts the cohort of 6 to 18 months ago")
    func cohort() async throws {
        try await withTestApp { app in
            let a = try await app.employable(skip: 0), b = try await app.employable(skip: 1)
            let ra = try await app.registerUnemployed(a, on: "2025-09-01").decode(RegistrationAnswer.self)
            _ = try await app.registerUnemployed(b, on: "2025-10-01")
            let exit = try await app.call(.POST, "/api/v1/employment/registrations/\(ra.id)/exit",
                                          json: ["exit_reason": "employed", "exit_on": "2025-12-01", "exit_employer": "某公司", "version": ra.version])
            #expect(exit.status == .ok, "\(exit.text)")
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            let share = JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == "employment.employed_within_6m" }?.raw)
            #expect(share["numerator"].int == 1 && share["denominator"].int == 2, "\(share)")
        }
    }
}
