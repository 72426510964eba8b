import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing

@Suite("居民依法自治达标率", .serialized)
struct SelfGovernmentTests {
    @Test("a community meets the standard only when its election, its deliberation and its disclosures all do; the dashboard counts it by division")
    func standard() async throws {
        try await withTestApp(residents: 3000) { app in
            let now: Int64 = 1_782_777_600
            _ = try await DemoElections.load(on: app.db, seed: 42, today: testToday, now: now)
            let context = DemoContext(db: app.db, cipher: testCipher, seed: 42, residents: 3000, requests: nil, today: testToday, now: now,
                                      progress: { _, _ in DemoProgress(update: { _, _ in }, finish: {}) })
            _ = try await DeliberationDemo().load(context)
            _ = try await DemoDisclosure.load(on: app.db, seed: 42, today: testToday, now: now)

            // Every demo committee is in its term; one whose term has ended (an election overdue) falls out of the standard.
            let before = try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday)
                .intersection(try await DisclosureStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday))
            let overdue = try #require(before.sorted().first)
            try await app.sql().raw("UPDATE elections SET term_end = '2026-06-01' WHERE community_code = \(bind: overdue)").run()
            let elected = try await ElectionsStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday)
            let deliberating = try await DeliberationStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday)
            let disclosing = try await DisclosureStanding.communitiesMeetingStandard(on: app.db, prefix: "321271", today: testToday)
            let met = elected.intersection(deliberating).intersection(disclosing)
            // The demo leaves some communities short of each part, and not the same ones: every part narrows the count.
            #expect(!met.isEmpty && !met.contains(overdue))
            #expect(met.count < deliberating.intersection(disclosing).count)
            #expect(met.count < elected.intersection(disclosing).count)
            #expect(met.count < elected.intersection(deliberating).count)

            let communities = try #require(try await app.sql().raw("SELECT count(*) AS n FROM divisions WHERE level = 'community'").first()?
                .decode(column: "n", as: Int.self))
            func reading(_ division: String?) async throws -> JSONValue {
                let response = try await app.call(.GET, "/api/v1/indicators" + (division.map { "?division=\($0)" } ?? ""), as: .district)
                #expect(response.status == .ok)
                return JSONValue(response.json["indicators"].array.first { $0["indicator"]["code"].string == "plan.self_government" }?.raw)
            }
            let district = try await reading(nil)
            #expect(district["indicator"]["measured"].raw as? Bool == true)
            #expect(district["numerator"].int == met.count)
            #expect(district["denominator"].int == communities)
            let street = try #require(met.sorted().first.map { String($0.prefix(9)) + "000" })
            let streetReading = try await reading(street)
            #expect(streetReading["numerator"].int == met.filter { $0.hasPrefix(String(street.prefix(9))) }.count)
        }
    }
}
