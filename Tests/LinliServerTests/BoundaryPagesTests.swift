import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("区划调整: the console", .serialized)
struct BoundaryPagesTests {
    @Test("the list, a refused form re-rendered at its field, an order's preview, apply now; the history on the resident's and the division's pages and the dashboard")
    func pages() async throws {
        try await withTestApp(residents: 800) { app in
            let list = try await app.page("/console/boundary", as: .district)
            #expect(list.status == .ok && list.visibleText.contains("区划调整令"), "\(list.visibleText.prefix(300))")
            #expect(try await app.page("/console/boundary", as: .street).status == .ok)
            #expect(try await app.page("/console/boundary/new", as: .street).status == .forbidden)

            var form: [(String, String)] = [("kind", "merge"), ("sources", "321271002001, 321271002002"), ("new_names", "寺巷口岸社区"),
                                            ("receiving_street", ""), ("target", ""), ("buildings", ""), ("effective_on", "2026-06-01"),
                                            ("document_no", "泰高新政复〔2026〕8号"), ("document_title", "关于同意调整的批复")]
            let refused = try await app.submit("/console/boundary/new", form, as: .district)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("早于今天") && refused.text.contains("aria-invalid"), "\(refused.visibleText.prefix(400))")
            #expect(try await app.rowCount("boundary_orders") == 0)
            #expect(try await app.submit("/console/boundary/new", form, as: .district, csrf: false).status == .forbidden)
            form[6] = ("effective_on", "2026-06-30")
            let created = try await app.submit("/console/boundary/new", form, as: .district)
            #expect(created.status == .seeOther || created.status == .found, "\(created.visibleText.prefix(400))")
            let path = try #require(created.location)
            let page = try await app.page(path, as: .district)
            #expect(page.status == .ok && page.visibleText.contains("调整前") && page.visibleText.contains("调整后") && page.visibleText.contains("321271002014"),
                    "\(page.visibleText.prefix(600))")
            let id = String(path.split(separator: "/").last ?? "")
            let approved = try await app.submit("\(path)/approve", [("version", "1")], as: .district)
            #expect(approved.status == .seeOther || approved.status == .found)
            let stale = try await app.submit("\(path)/approve", [("version", "1")], as: .district)
            #expect(stale.status == .conflict, "\(stale.visibleText.prefix(200))")
            // Predecessors measured in May: the successor's dashboard continues their trend, marked.
            for (code, n) in [("321271002001", 10.0), ("321271002002", 20.0)] {
                try await app.sql().raw("""
                    INSERT INTO indicator_snapshots (indicator_code, division_code, period, value, numerator, denominator, taken_at)
                    VALUES ('population.residents', \(bind: code), '2026-05', \(bind: n), \(bind: n), NULL, 0)
                    """).run()
            }
            let applied = try await app.submit("\(path)/apply", [("version", "2")], as: .district)
            #expect(applied.status == .seeOther || applied.status == .found, "\(applied.visibleText.prefix(300))")
            let done = try await app.page("/console/boundary/\(id)", as: .district)
            #expect(done.visibleText.contains("已实施") && done.visibleText.contains("实施结果"), "\(done.visibleText.prefix(500))")

            let resident = try #require(try await app.sql().raw("SELECT id FROM residents WHERE grid_code LIKE '321271002014%' LIMIT 1").first())
                .decode(column: "id", as: UUID.self)
            let profile = try await app.page("/console/residents/\(resident)", as: .worker)
            #expect(profile.status == .ok && profile.visibleText.contains("区划沿革") && profile.visibleText.contains("泰高新政复〔2026〕8号"),
                    "\(profile.visibleText.suffix(400))")
            let division = try await app.page("/console/boundary/divisions/321271002014", as: .worker)
            #expect(division.status == .ok && division.visibleText.contains("前身") && division.visibleText.contains("321271002001"), "\(division.visibleText.prefix(500))")
            let retired = try await app.page("/console/boundary/divisions/321271002001", as: .district)
            #expect(retired.status == .ok && retired.visibleText.contains("已于 2026-06-30 撤销"), "\(retired.visibleText.prefix(400))")
            let dashboard = try await app.page("/console/indicators?division=321271002014", as: .district)
            #expect(dashboard.status == .ok && dashboard.visibleText.contains("合并（2026-06-30）"), "\(dashboard.visibleText.prefix(400))")
            let lineage = try #require(try await BoundaryQueries(app.db, today: testToday).lineage(of: "321271002014", own: [:]))
            #expect(lineage.series["population.residents"]?.first?.value == 30 && lineage.series["population.residents"]?.first?.period == "2026-05")
            // The division page links its history; the home page shows the district its pending orders.
            #expect(try await app.page("/console/divisions?code=321271002014", as: .worker).text.contains("/console/boundary/divisions/321271002014"))
        }
    }
}
