import Foundation
import LinliCore
@testable import LinliServer
@testable import LinliData
import SQLKit
import Testing
import Vapor

extension Application {
    /// The building of a resident's household.
    func buildingOf(household id: UUID) async throws -> String {
        try #require(try await sql().raw("SELECT building_id FROM households WHERE id = \(bind: id)").first()).decode(column: "building_id", as: UUID.self).uuidString
    }

    /// A compound of the linked resident's building, under a contract of a new company in force on the test day; returns (compound, company).
    func ratedCompound(of person: ResidentRecord) async throws -> (String, String) {
        let compound = try await addedCompound([try await buildingOf(household: person.householdId)])
        let company = try #require(try await addedCompany()["id"].string)
        let k = try await call(.POST, "/api/v1/property/compounds/\(compound)/contracts",
                               json: ["company_id": company, "starts_on": "2026-01-01", "ends_on": "2028-12-31", "fee": 1.2, "services": ["cleaning", "security"]],
                               as: .worker)
        #expect(k.status == .created, "\(k.text)")
        return (compound, company)
    }

    func ratingFigures(_ where: SQLQueryString = "1 = 1") async throws -> (n: Int, sum: Int, satisfied: Int) {
        var q: SQLQueryString = """
            SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(score), 0) AS BIGINT) AS s,
                   CAST(COALESCE(SUM(CASE WHEN score >= 4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS ok FROM property_ratings WHERE
            """
        q.appendLiteral(" ")
        let row = try #require(try await sql().raw(q + `where`).first())
        return (Int(try row.decode(column: "n", as: Int64.self)), Int(try row.decode(column: "s", as: Int64.self)), Int(try row.decode(column: "ok", as: Int64.self)))
    }

    func indicator(_ code: String, division: String) async throws -> JSONValue {
        let figures = try await call(.GET, "/api/v1/indicators?division=\(division)", as: .district)
        #expect(figures.status == .ok, "\(figures.text)")
        return JSONValue(try #require(figures.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw, "\(code) not shown"))
    }
}

@Suite("物业服务评价: the API and the pages", .serialized)
struct PropertyRatingTests {
    @Test("a resident rates once a year: not linked 422 at account; building in no compound 422 at household; rated with the company under contract; a second rating 409 at household and nothing written; the summary matches the rows; 物业服务满意度 from them")
    func rate() async throws {
        try await withTestApp(residents: 600) { app in
            let unlinked = try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 5], as: .resident)
            #expect(unlinked.status == .unprocessableEntity && unlinked.json.errorFields == ["account"], "\(unlinked.text)")
            let person = try await app.linkResidentAccount()
            let outside = try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 5], as: .resident)
            #expect(outside.status == .unprocessableEntity && outside.isProblem && outside.json.errorFields == ["household"], "\(outside.text)")
            #expect(outside.text.contains("尚未归入小区"))
            #expect(try await app.rowCount("property_ratings") == 0)

            let (compound, company) = try await app.ratedCompound(of: person)
            let bad = try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 7, "comment": String(repeating: "差", count: 201), "year": 2025], as: .resident)
            #expect(bad.status == .unprocessableEntity && Set(bad.json.errorFields) == ["score", "comment", "year"], "\(bad.text)")
            #expect(try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 5], as: .worker).status == .forbidden)
            #expect(try await app.rowCount("property_ratings") == 0)

            let rated = try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 5, "comment": "保洁及时"], as: .resident)
            #expect(rated.status == .created, "\(rated.text)")
            #expect(rated.json["compound_id"].string == compound && rated.json["company_id"].string == company && rated.json["year"].int == 2026
                    && rated.json["score_label"].string == "非常满意", "\(rated.text)")
            let again = try await app.call(.POST, "/api/v1/property/ratings", json: ["score": 1], as: .resident)
            #expect(again.status == .conflict && again.isProblem && again.json.errorFields == ["household"], "\(again.text)")
            #expect(again.text.contains("每户每年评价一次"))
            #expect(try await app.rowCount("property_ratings") == 1)
            let stored = try #require(try await app.sql().raw("SELECT score, household_id FROM property_ratings").first())
            #expect(try stored.decode(column: "score", as: Int.self) == 5 && (try stored.decode(column: "household_id", as: UUID.self)) == person.householdId)

            // Three more households of the compound, as the rows would be: the summary and the indicator count them all.
            for score in [2, 4, 3] {
                try await app.sql().raw("""
                    INSERT INTO property_ratings (id, compound_id, company_id, community_code, household_id, year, score, comment, resident_id, created_at)
                    VALUES (\(bind: UUID()), \(bind: UUID(uuidString: compound)!), \(bind: UUID(uuidString: company)!), '321271002001', \(bind: UUID()), 2026,
                            \(bind: score), NULL, \(bind: UUID()), 0)
                    """).run()
            }
            let f = try await app.ratingFigures()
            #expect(f.n == 4 && f.sum == 14 && f.satisfied == 2)
            let summary = try await app.call(.GET, "/api/v1/property/ratings", as: .worker)
            #expect(summary.status == .ok && summary.json["year"].int == 2026, "\(summary.text)")
            let row = JSONValue(try #require(summary.json["items"].array.first?.raw))
            #expect(summary.json["items"].array.count == 1 && row["compound_id"].string == compound && row["company_id"].string == company)
            #expect(row["ratings"].int == f.n && row["satisfied"].int == f.satisfied && row["average"].double == Double(f.sum) / Double(f.n)
                    && row["satisfied_percent"].double == 50, "\(summary.text)")
            #expect(try await app.call(.GET, "/api/v1/property/ratings", as: .otherWorker).json["items"].array.isEmpty)
            #expect(try await app.call(.GET, "/api/v1/property/ratings", as: .resident).status == .forbidden)
            let share = try await app.indicator("property.satisfaction", division: "321271002001")
            #expect(share["numerator"].double == Double(f.satisfied) && share["denominator"].double == Double(f.n) && share["value"].double == 50,
                    "\(share.raw ?? "none")")
        }
    }

    @Test("two ratings of one household at once: exactly one row, the other 409 at household")
    func concurrent() async throws {
        try await withFileTestApp(residents: 400) { app in
            let person = try await app.linkResidentAccount()
            _ = try await app.ratedCompound(of: person)
            async let a = app.call(.POST, "/api/v1/property/ratings", json: ["score": 4], as: .resident)
            async let b = app.call(.POST, "/api/v1/property/ratings", json: ["score": 2], as: .resident)
            let (ra, rb) = try await (a, b)
            #expect([ra.status.code, rb.status.code].sorted() == [201, 409], "\(ra.text) \(rb.text)")
            let refused = ra.status == .conflict ? ra : rb
            #expect(refused.json.errorFields == ["household"], "\(refused.text)")
            #expect(try await app.rowCount("property_ratings") == 1)
        }
    }

    @Test("the compound's property requests this year: received, closed, on time, hours to close; 物业诉求按时办结率 from them")
    func requests() async throws {
        try await withTestApp(residents: 400) { app in
            let first = try #require(try await app.sql().raw("""
                SELECT grid_code, latitude, longitude FROM buildings WHERE grid_code LIKE '321271002001%' ORDER BY grid_code, name LIMIT 1
                """).first())
            let added = try await app.call(.POST, "/api/v1/buildings", json: ["grid_code": try first.decode(column: "grid_code", as: String.self), "name": "评价测试楼1幢",
                                                                              "address": "测试路1号", "latitude": try first.decode(column: "latitude", as: Double.self),
                                                                              "longitude": try first.decode(column: "longitude", as: Double.self), "floors": 6], as: .worker)
            #expect(added.status == .created, "\(added.text)")
            let building = try #require(added.json["id"].string)
            let compound = try await app.addedCompound([building], name: "评价测试苑")
            let from = PropertyRatingRules.yearSeconds(2026).from, h: Int64 = 3600
            // (category, reported, closed, due): on time 10 h; late 50 h; open; not a property category; reported last year, closed this year late (110 h).
            let rows: [(String, Int64, Int64?, Int64)] = [("SJ0202", from + 10 * h, from + 20 * h, from + 30 * h), ("BJ0301", from + 100 * h, from + 150 * h, from + 120 * h),
                                                          ("SJ0202", from + 200 * h, nil, from + 300 * h), ("SJ0101", from + 10 * h, from + 12 * h, from + 30 * h),
                                                          ("BJ0302", from - 100 * h, from + 10 * h, from - 50 * h)]
            for (i, r) in rows.enumerated() {
                try await app.sql().raw("""
                    INSERT INTO requests (id, seq, category_code, status, level, area_code, community_code, holder_code, channel, description, building_id,
                                          reported_at, due_at, closed_at, escalations, reopened, version, updated_at)
                    VALUES (\(bind: UUID()), \(bind: Int64(990_000 + i)), \(bind: r.0), \(bind: r.2 == nil ? "accepted" : "closed"), 'community', '321271002001',
                            '321271002001', '321271002001', 'web', '测试', \(bind: UUID(uuidString: building)!), \(bind: r.1), \(bind: r.3), \(bind: r.2), 0, 0, 1, 0)
                    """).run()
            }
            let stats = try await PropertyQueries(app.db, today: testToday).propertyRequests(compound: try #require(UUID(uuidString: compound)), year: 2026)
            #expect(stats == PropertyRequestStats(received: 3, closed: 3, onTime: 1, medianHours: 50, averageHours: 170.0 / 3), "\(stats)")
            let page = try await app.page("/console/property/\(compound)", as: .grid)
            #expect(page.status == .ok && page.text.contains("物业服务评价（2026年）") && page.text.contains("2026年尚无居民评价"), "\(page.text.prefix(300))")
            #expect(page.text.contains("<dt>2026年受理</dt><dd>3</dd><dt>2026年办结</dt><dd>3</dd><dt>按时办结率</dt><dd>33.3%</dd>"))
            #expect(page.text.contains("<dt>办结用时（中位数）</dt><dd>50.0 小时</dd>"))
            let onTime = try await app.indicator("property.requests_on_time", division: "321271002001")
            #expect(onTime["numerator"].double == 1 && onTime["denominator"].double == 3, "\(onTime.raw ?? "none")")
        }
    }

    @Test("the portal at work at its forms; the console shows the score on the compound, in the list and on the company")
    func pages() async throws {
        try await withTestApp(residents: 600) { app in
            let anonymous = try await app.page("/property/rating", as: .anonymous)
            #expect(anonymous.status == .ok && anonymous.text.contains("href=\"/login\""))
            let unlinked = try await app.page("/property/rating", as: .resident)
            #expect(unlinked.status == .ok && unlinked.text.contains("实名核验") && !unlinked.text.contains("action=\"/property/rating\""))
            let person = try await app.linkResidentAccount()
            let none = try await app.page("/property/rating", as: .resident)
            #expect(none.status == .ok && none.text.contains("尚未归入小区") && !none.text.contains("action=\"/property/rating\""))
            let (compound, company) = try await app.ratedCompound(of: person)
            let form = try await app.page("/property/rating", as: .resident)
            #expect(form.status == .ok && form.text.contains("action=\"/property/rating\"") && form.text.contains("幸福里") && form.text.contains("恒泰物业服务有限公司"))
            let forged = try await app.submit("/property/rating", [("score", "4")], as: .resident, csrf: false)
            #expect(forged.status == .forbidden, "\(forged.status)")
            let empty = try await app.submit("/property/rating", [("comment", "还行")], as: .resident)
            #expect(empty.status == .unprocessableEntity && empty.text.contains("请选择满意度") && empty.text.contains("还行"))
            #expect(try await app.rowCount("property_ratings") == 0)
            let rated = try await app.submit("/property/rating", [("score", "4"), ("comment", "门岗负责")], as: .resident)
            #expect(rated.status == .ok && rated.text.contains("感谢您的评价") && rated.text.contains("4分（满意）") && rated.text.contains("门岗负责"))
            let twice = try await app.submit("/property/rating", [("score", "1")], as: .resident)
            #expect(twice.status == .conflict && twice.text.contains("每户每年评价一次"))
            #expect(try await app.rowCount("property_ratings") == 1)

            let page = try await app.page("/console/property/\(compound)", as: .worker)
            #expect(page.status == .ok && page.text.contains("4.0分（满意 100%，1户评价）"), "\(page.text.prefix(300))")
            let list = try await app.page("/console/property", as: .street)
            #expect(list.status == .ok && list.text.contains("居民评价（今年）") && list.text.contains("4.0分（满意 100%，1户评价）"))
            let co = try await app.page("/console/property/companies/\(company)", as: .worker)
            #expect(co.status == .ok && co.text.contains("居民评价（2026年）") && co.text.contains("href=\"/console/property/\(compound)\"") && co.text.contains("4.00"))
            // An earlier year: this household rated 2026 only, so 2025 reads empty, with a way back to 2026.
            let earlier = try await app.page("/console/property/\(compound)?year=2025", as: .worker)
            #expect(earlier.status == .ok && earlier.text.contains("物业服务评价（2025年）") && earlier.text.contains("2025年尚无居民评价")
                    && earlier.text.contains("href=\"?year=2026#ratings\""), "\(earlier.text.prefix(300))")
            #expect(!earlier.text.contains("4.0分（满意 100%，1户评价）"))
            let coEarlier = try await app.page("/console/property/companies/\(company)?year=2025", as: .worker)
            #expect(coEarlier.status == .ok && coEarlier.text.contains("居民评价（2025年）") && coEarlier.text.contains("2025年本辖区尚无对该企业的评价"))
            let future = try await app.page("/console/property/\(compound)?year=2027", as: .worker)
            #expect(future.status == .badRequest, "\(future.status)")
            // The first year it takes links forward only: no 上一年 to a year it refuses.
            let first = try await app.page("/console/property/\(compound)?year=2000", as: .worker)
            #expect(first.status == .ok && first.text.contains("href=\"?year=2001#ratings\""), "\(first.status)")
            #expect(!first.text.contains("?year=1999"))
        }
    }

    @Test("the demo: about four households in ten of the compounds rate this year and a third last year, each in its own compound; compounds under a company score higher than unmanaged ones; the indicator counts the rows")
    func demo() async throws {
        try await withTestApp(residents: 1200) { app in
            let now = Int64(testToday.dayNumber) * 86_400
            let s = try await DemoProperty.load(on: app.db, seed: 42, today: testToday, now: now)
            let households = try await app.scalar("""
                SELECT COUNT(*) AS n FROM households h JOIN property_compound_buildings pb ON pb.building_id = h.building_id
                """)
            let f = try await app.ratingFigures("year = 2026"), last = try await app.ratingFigures("year = 2025")
            #expect(s.ratings == f.n && s.ratingsLastYear == last.n && households > 0)
            let share = Double(f.n) / Double(households), lastShare = Double(last.n) / Double(households)
            #expect(share >= 0.3 && share <= 0.5, "\(f.n) of \(households)")
            #expect(lastShare >= 0.25 && lastShare <= 0.45, "\(last.n) of \(households) last year")
            #expect(try await app.scalar("""
                SELECT COUNT(*) AS n FROM property_ratings r JOIN households h ON h.id = r.household_id
                JOIN property_compound_buildings pb ON pb.building_id = h.building_id WHERE pb.compound_id <> r.compound_id
                """) == 0)
            let (from2025, _) = PropertyRatingRules.yearSeconds(2025), (from2026, _) = PropertyRatingRules.yearSeconds(2026)
            #expect(try await app.scalar("""
                SELECT COUNT(*) AS n FROM property_ratings WHERE year NOT IN (2025, 2026) OR score < 1 OR score > 5 OR created_at > \(now)
                    OR (year = 2025 AND (created_at < \(from2025) OR created_at >= \(from2026))) OR (year = 2026 AND created_at < \(from2026))
                """) == 0)
            let company = try await app.ratingFigures("year = 2026 AND company_id IS NOT NULL")
            let unmanaged = try await app.ratingFigures("year = 2026 AND company_id IS NULL AND compound_id IN (SELECT id FROM property_compounds WHERE quasi_services = '')")
            #expect(company.n > 0 && unmanaged.n > 0)
            #expect(Double(company.sum) / Double(company.n) > 4 && Double(unmanaged.sum) / Double(unmanaged.n) < 3, "\(company) \(unmanaged)")
            let satisfaction = try await app.indicator("property.satisfaction", division: "321271000000")
            #expect(satisfaction["numerator"].double == Double(f.satisfied) && satisfaction["denominator"].double == Double(f.n), "\(satisfaction.raw ?? "none")")
        }
    }
}
