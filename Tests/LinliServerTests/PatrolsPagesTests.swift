import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("网格巡查: the console pages", .serialized)
struct PatrolsPagesTests {
    static let grid = PatrolsTests.grid

    @Test("my round on the console: start, a visit, a point outside the grid refused at its field, a finding reported, end; the board and the detail")
    func round() async throws {
        try await withTestApp(residents: 400) { app in
            let start = try await app.page("/console/patrols/round", as: .grid)
            #expect(start.status == .ok && start.text.contains("开始巡查") && start.text.contains("推进社区网格化管理"))
            #expect(try await app.submit("/console/patrols/round/start", [], as: .grid, csrf: false).status == .forbidden)
            let started = try await app.submit("/console/patrols/round/start", [], as: .grid)
            #expect(started.status == .seeOther || started.status == .found, "\(started.text)")
            let open = try await app.page("/console/patrols/round", as: .grid)
            #expect(open.status == .ok && open.text.contains("记录巡查点") && open.text.contains("结束本轮巡查"))
            let id = try #require(try await app.sql().raw("SELECT id FROM patrol_rounds").first()?.decode(column: "id", as: UUID.self))
            let twice = try await app.submit("/console/patrols/round/start", [], as: .grid)
            #expect(twice.status == .conflict && twice.text.contains("尚未结束"))

            let building = try await app.building(in: Self.grid)
            let visited = try await app.submit("/console/patrols/round/\(id)/visit", [("building_id", building), ("finding", "none")], as: .grid)
            #expect(visited.status == .seeOther || visited.status == .found, "\(visited.text)")
            let outside = try await app.middle(of: PatrolsTests.neighbour)
            let far = try await app.submit("/console/patrols/round/\(id)/visit", [("building_id", ""), ("latitude", String(outside.lat)),
                                                                               ("longitude", String(outside.lon)), ("finding", "none")], as: .grid)
            #expect(far.status == .unprocessableEntity && far.text.contains("巡查点不在") && far.text.contains("aria-invalid=\"true\""), "\(far.text)")
            let typo = try await app.submit("/console/patrols/round/\(id)/visit", [("latitude", "三十二"), ("longitude", "119.9"), ("finding", "none")], as: .grid)
            #expect(typo.status == .unprocessableEntity && typo.text.contains("请填写数字"))
            let found = try await app.submit("/console/patrols/round/\(id)/visit", [("building_id", building), ("finding", "event"), ("category_code", "SJ0101"),
                                                                                 ("description", "单元门口堆放装修垃圾")], as: .grid)
            #expect(found.status == .seeOther || found.status == .found, "\(found.text)")
            #expect(try await app.rowCount("patrol_visits") == 2)
            #expect(try await app.rowCount("patrol_visits WHERE request_id IS NOT NULL") == 1)
            let ended = try await app.submit("/console/patrols/round/\(id)/end", [], as: .grid)
            #expect(ended.status == .seeOther || ended.status == .found, "\(ended.text)")

            let detail = try await app.page("/console/patrols/rounds/\(id)", as: .street)
            #expect(detail.status == .ok && detail.text.contains("网格事件") && detail.text.contains("发现问题，已上报网格事件"))
            #expect(try await app.page("/console/patrols/rounds/\(id)", as: .otherWorker).status == .notFound)
            let board = try await app.page("/console/patrols?all=true", as: .street)
            #expect(board.status == .ok && board.text.contains("上周巡查次数") && board.text.contains("差4次"), "\(board.text)")
            let list = try await app.page("/console/patrols/rounds?grid=\(Self.grid)", as: .street)
            #expect(list.status == .ok && list.text.contains("已结束"))
            // Homes: the street's tiles, the grid worker's week.
            let streetHome = try await app.page("/console", as: .street)
            #expect(streetHome.status == .ok && streetHome.text.contains("上周巡查未达标的网格"))
            let gridHome = try await app.page("/console", as: .grid)
            #expect(gridHome.status == .ok && gridHome.text.contains("本周巡查（规定5次）"))
            // The norm's form: the district only; its message at the field.
            #expect(try await app.page("/console/patrols/settings", as: .street).status == .forbidden)
            let form = try await app.page("/console/patrols/settings", as: .district)
            #expect(form.status == .ok && form.text.contains("每个网格每周巡查次数"))
            let bad = try await app.submit("/console/patrols/settings", [("weekly_norm", "30"), ("version", "1")], as: .district)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("每周巡查次数应为1至21次"))
        }
    }
}
