import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("物业管理: owners' committees", .serialized)
struct PropertyCommitteeTests {
    /// Active residents living in the buildings given, `n` of them.
    func residents(_ n: Int, in buildings: [String], _ app: Application) async throws -> [String] {
        let rows = try await app.sql().raw("""
            SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id
            WHERE h.building_id IN \(SQLBind.group(buildings.map { UUID(uuidString: $0)! })) AND r.life_status = 'active' ORDER BY r.id LIMIT \(unsafeRaw: String(n))
            """).all()
        #expect(rows.count == n)
        return try rows.map { try $0.decode(column: "id", as: UUID.self).uuidString }
    }

    func body(_ people: [String], starts: String = "2024-01-01", ends: String = "2026-09-15", filed: String? = "2024-01-20") -> [String: Any] {
        var b: [String: Any] = ["starts_on": starts, "ends_on": ends,
                                "members": people.enumerated().map { ["resident_id": $0.element, "office": $0.offset == 0 ? "director" : "member"] }]
        if let filed { b["filed_on"] = filed }
        return b
    }

    @Test("a committee: members must live in the compound (anyone else 422 at members, nothing written), an odd 5–11 with one director, filing not before the term; its end within 90 days is a reminder; a large compound without one is a gap")
    func committees() async throws {
        try await withTestApp(residents: 1200) { app in
            let buildings = try await app.propertyBuildings(8, under: PropertyTests.community)
            let compound = try await app.addedCompound(buildings)
            let people = try await residents(5, in: buildings, app)
            let elsewhere = try await app.housingResidents(1, outside: true)

            let stranger = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(Array(people.prefix(4)) + elsewhere), as: .worker)
            #expect(stranger.status == .unprocessableEntity && stranger.isProblem && stranger.json.errorFields == ["members"] && stranger.text.contains("不是本小区"),
                    "\(stranger.text)")
            let unknown = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(Array(people.prefix(4)) + [UUID().uuidString]), as: .worker)
            #expect(unknown.status == .unprocessableEntity && unknown.json.errorFields == ["members"], "\(unknown.text)")
            let even = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(Array(people.prefix(4))), as: .worker)
            #expect(even.status == .unprocessableEntity && even.json.errorFields == ["members"], "\(even.text)")
            let early = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(people, filed: "2023-12-01"), as: .worker)
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["filed_on"], "\(early.text)")
            #expect(try await app.rowCount("property_committees") == 0)
            #expect(try await app.rowCount("property_committee_members") == 0)

            // The district's size of a large compound; the compound is a gap until its committee is in force.
            let set = try await app.call(.PUT, "/api/v1/property/settings", json: ["large_households": 10], as: .district)
            #expect(set.status == .ok && set.json["large_households"].int == 10, "\(set.text)")
            #expect(try await app.call(.PUT, "/api/v1/property/settings", json: ["large_households": 10], as: .street).status == .forbidden)
            #expect(try await app.call(.PUT, "/api/v1/property/settings", json: ["large_households": 3], as: .district).json.errorFields == ["large_households"])
            // The demo's compound is small: a size of one household makes it large.
            try await app.sql().raw("UPDATE property_settings SET large_households = 1").run()
            var due = try await app.call(.GET, "/api/v1/property/committees/due", as: .worker)
            #expect(due.json["without_committee"].array.count == 1 && due.json["ending_soon"].array.isEmpty, "\(due.text)")

            let made = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(people), as: .worker)
            #expect(made.status == .created && made.json["member_count"].int == 5 && made.json["filed_on"].string == "2024-01-20", "\(made.text)")
            #expect(made.json["members"].array.allSatisfy { ($0["name"].string ?? "").contains("*") }, "\(made.text)")
            let overlap = try await app.call(.POST, "/api/v1/property/compounds/\(compound)/committees", json: body(people, starts: "2026-09-01", ends: "2031-08-31", filed: nil), as: .worker)
            #expect(overlap.status == .conflict, "\(overlap.text)")
            // Its term ends on 2026-09-15, within 90 days of 2026-06-30: a reminder on the community's home page.
            due = try await app.call(.GET, "/api/v1/property/committees/due", as: .worker)
            #expect(due.json["without_committee"].array.isEmpty && due.json["ending_soon"].array.count == 1, "\(due.text)")
            let home = try await app.page("/console", as: .worker)
            #expect(home.status == .ok && home.text.contains("业主委员会任期将满（90天内）"), "\(home.text)")
            #expect(try await app.call(.GET, "/api/v1/property/compounds/\(compound)/committees", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/property/compounds/\(compound)/committees", as: .street).json.array.count == 1)
        }
    }
}
