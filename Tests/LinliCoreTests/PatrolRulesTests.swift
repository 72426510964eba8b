import Foundation
import LinliCore
import Testing

@Suite("Grid patrols: rules")
struct PatrolRulesTests {
    func fields(_ e: [FieldError]) -> [String] { e.map(\.field) }

    @Test("ISO weeks: Monday to Sunday, the year of the Thursday, 52 or 53 weeks, China Standard Time")
    func weeks() throws {
        // 2026-12-07 is a Monday in week 50; 2026-12-13 the Sunday of the same week.
        let monday = try #require(CivilDate("2026-12-07"))
        #expect(PatrolWeek(containing: monday).description == "2026-W50")
        #expect(PatrolWeek(containing: monday.adding(days: 6)).code == 202650)
        #expect(PatrolWeek(containing: monday.adding(days: 7)).code == 202651)
        #expect(PatrolWeek.weekday(monday) == 0)
        // 2021-01-01 (a Friday) is in 2020's 53rd week; 2024-12-30 (a Monday) in 2025's first.
        #expect(PatrolWeek(containing: try #require(CivilDate("2021-01-01"))).description == "2020-W53")
        #expect(PatrolWeek(containing: try #require(CivilDate("2024-12-30"))).description == "2025-W01")
        #expect(PatrolWeek.weeks(in: 2020) == 53 && PatrolWeek.weeks(in: 2026) == 53 && PatrolWeek.weeks(in: 2025) == 52)
        #expect(PatrolWeek(year: 2025, week: 53) == nil && PatrolWeek(year: 2026, week: 0) == nil)
        let w = try #require(PatrolWeek(code: 202650))
        #expect(w.monday == monday && w.sunday.description == "2026-12-13")
        #expect(w.previous.description == "2026-W49" && w.next.description == "2026-W51")
        #expect(PatrolWeek(code: 202101)?.previous.description == "2020-W53")
        // Sunday 23:30 in Beijing is 15:30 UTC the same day; 00:30 Monday in Beijing is still Sunday in UTC.
        let mondayStart = Int64(monday.dayNumber) * 86_400 - 8 * 3600
        #expect(PatrolWeek(seconds: mondayStart).code == 202650)
        #expect(PatrolWeek(seconds: mondayStart - 1).code == 202649)
        #expect(w.bounds.start == mondayStart && w.bounds.end == mondayStart + 7 * 86_400)
        #expect(PatrolWeek.completed(4, before: monday.adding(days: 3)).map(\.code) == [202646, 202647, 202648, 202649])
        #expect(w.label == "2026年第50周（12月7日至12月13日）")
    }

    @Test("a visit: a building or a point, not both; the point in pairs and in range; a finding needs a category and a description")
    func visit() {
        let b = UUID()
        #expect(PatrolRules.check(VisitInput(buildingID: b, finding: .nothing)).isEmpty)
        #expect(PatrolRules.check(VisitInput(latitude: 32.4, longitude: 119.9, finding: .nothing)).isEmpty)
        #expect(fields(PatrolRules.check(VisitInput(finding: .nothing))) == ["building_id"])
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b, latitude: 32.4, longitude: 119.9, finding: .nothing))) == ["latitude"])
        #expect(fields(PatrolRules.check(VisitInput(latitude: 32.4, finding: .nothing))) == ["longitude"])
        #expect(fields(PatrolRules.check(VisitInput(latitude: 91, longitude: 200, finding: .nothing))) == ["latitude", "longitude"])
        #expect(fields(PatrolRules.check(VisitInput(latitude: .nan, longitude: 119.9, finding: .nothing))) == ["latitude"])
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b))) == ["finding"])
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b, finding: .event))) == ["category_code", "description"])
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b, finding: .event, categoryCode: "SJ0101", description: "  "))) == ["description"])
        #expect(PatrolRules.check(VisitInput(buildingID: b, finding: .event, categoryCode: "SJ0101", description: "楼道堆物")).isEmpty)
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b, finding: .nothing, categoryCode: "SJ0101"))) == ["category_code"])
        #expect(fields(PatrolRules.check(VisitInput(buildingID: b, finding: .nothing, note: String(repeating: "字", count: 201)))) == ["note"])
    }

    @Test("a point in the grid: inside its boundary; without one, inside its buildings' box widened by about 150 m; neither: nowhere")
    func inside() {
        // A square grid 119.90–119.91 E, 32.40–32.41 N.
        let ring: [[Double]] = [[119.90, 32.40], [119.91, 32.40], [119.91, 32.41], [119.90, 32.41], [119.90, 32.40]]
        let grid = GridExtent(ring: ring, buildingPoints: [])
        #expect(PatrolRules.contains(grid, latitude: 32.405, longitude: 119.905))
        #expect(!PatrolRules.contains(grid, latitude: 32.415, longitude: 119.905))
        #expect(!PatrolRules.contains(grid, latitude: 32.405, longitude: 119.899))
        let points = GridExtent(ring: nil, buildingPoints: [GeoPoint(latitude: 32.40, longitude: 119.90), GeoPoint(latitude: 32.402, longitude: 119.903)])
        #expect(PatrolRules.contains(points, latitude: 32.401, longitude: 119.901))
        #expect(PatrolRules.contains(points, latitude: 32.4031, longitude: 119.9041))
        #expect(!PatrolRules.contains(points, latitude: 32.404, longitude: 119.901))
        #expect(!PatrolRules.contains(GridExtent(ring: nil, buildingPoints: []), latitude: 32.4, longitude: 119.9))
        #expect(PatrolRules.outside(gridName: "寺巷第1网格").field == "latitude")
    }

    @Test("the norm: 1 to 21 rounds a week; met at the norm, short below it; a round counts with a visit")
    func norm() {
        #expect(PatrolRules.checkNorm(5).isEmpty && PatrolRules.checkNorm(21).isEmpty)
        #expect(fields(PatrolRules.checkNorm(0)) == ["weekly_norm"] && fields(PatrolRules.checkNorm(22)) == ["weekly_norm"])
        #expect(fields(PatrolRules.checkNorm(nil)) == ["weekly_norm"] && fields(PatrolRules.checkNorm(Int.min)) == ["weekly_norm"])
        #expect(PatrolRules.met(rounds: 5, norm: 5) && !PatrolRules.met(rounds: 4, norm: 5))
        #expect(PatrolRules.shortfall(rounds: 2, norm: 5) == 3 && PatrolRules.shortfall(rounds: 7, norm: 5) == 0)
        #expect(!PatrolRules.counts(visits: 0) && PatrolRules.counts(visits: 1))
    }

    @Test("the police office: a group of four leaves with their own limits, routed to its department on filing; other categories wait")
    func policeOffice() {
        let leaves = PoliceOffice.categories.filter { $0.parent != nil }
        #expect(leaves.map(\.name) == ["纠纷调解", "法律与治安咨询", "投诉举报", "代办户证"])
        #expect(leaves.allSatisfy { $0.parent == PoliceOffice.groupCode && $0.department == "JW" && RequestCategoryDefinition.isValidCode($0.code) })
        #expect(Set(leaves.map(\.limitHours)).count == 4)
        #expect(PoliceOffice.categories.first?.parent == nil && PoliceOffice.categories.first?.name == "社区警务室")
        // No code collides with the default tree.
        #expect(Set(DefaultRequestCategories.all.map(\.code)).isDisjoint(with: PoliceOffice.categories.map(\.code)))
        #expect(RequestRouting.dispatchedOnFiling(category: "JW0101", parent: "JW01", department: "JW") == "dept:JW")
        #expect(RequestRouting.dispatchedOnFiling(category: "SJ0401", parent: "SJ04", department: "GA") == nil)
        #expect(RequestRouting.dispatchedOnFiling(category: "JW0101", parent: "JW01", department: nil) == nil)
    }
}
