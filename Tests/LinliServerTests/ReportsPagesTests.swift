import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("一表通: the console pages", .serialized)
struct ReportsPagesTests {
    @Test("the forms with their automatic share; a return filled, refused at its field, submitted; the department's table and sending back")
    func pages() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            let list = try await app.page("/console/reports", as: .worker)
            #expect(list.status == .ok && list.text.contains("市容环境月报") && list.visibleText.contains("3/4栏 · 75.0%"), "\(list.visibleText)")
            #expect(list.visibleText.contains("区城市管理局"), "the department by its name")
            let home = try await app.page("/console", as: .worker)
            #expect(home.status == .ok && home.text.contains("待填报的报表"))
            // The admitted task's page lists the form published under it, for the district and the department that owns it.
            let formID = try #require(UUID(uuidString: id))
            let task = try #require(try await app.sql().raw("SELECT task_id FROM report_forms WHERE id = \(bind: formID)").first()?
                .decode(column: "task_id", as: UUID.self))
            for user in [TestUser.district, .dept] {
                let taskPage = try await app.page("/console/admission/tasks/\(task)", as: user)
                #expect(taskPage.status == .ok && taskPage.text.contains("本事项下的报表") && taskPage.text.contains("href=\"/console/reports/\(id)\""), "\(user)")
            }

            let path = "/console/reports/\(id)/returns/\(reportsCommunity)"
            let open = try await app.page(path, as: .worker)
            let residents = try await app.activeResidents(reportsCommunity)
            #expect(open.status == .ok && open.text.contains("name=\"v3\"") && open.visibleText.contains(String(residents)),
                    "\(open.visibleText)")
            #expect(try await app.submit(path, [("action", "submit"), ("v3", "12")], as: .worker, csrf: false).status == .forbidden)
            let bad = try await app.submit(path, [("action", "submit"), ("v3", "十二")], as: .worker)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("应为整数"), "\(bad.visibleText)")
            #expect(try await app.rowCount("report_returns") == 0)
            let ok = try await app.submit(path, [("action", "submit"), ("v3", "12")], as: .worker)
            #expect(ok.status == .seeOther && ok.location == path, "\(ok.status)")
            let after = try await app.page(path, as: .worker)
            #expect(after.status == .ok && after.visibleText.contains("已报送") && !after.text.contains("name=\"v3\""))

            let table = try await app.page("/console/reports/\(id)", as: .dept)
            #expect(table.status == .ok && table.visibleText.contains("已报送 1/2") && table.text.contains("returns.xlsx"), "\(table.visibleText)")
            let xlsx = try await app.page("/console/reports/\(id)/returns.xlsx", as: .dept)
            #expect(xlsx.status == .ok && xlsx.body.starts(with: Data("PK".utf8)))
            let review = try await app.page(path, as: .dept)
            #expect(review.status == .ok && review.text.contains("退回更正"))
            let empty = try await app.submit(path + "/send-back", [("comment", "")], as: .dept)
            #expect(empty.status == .unprocessableEntity && empty.text.contains("请写明退回的原因"))
            let back = try await app.submit(path + "/send-back", [("comment", "请核对巡查台账")], as: .dept)
            #expect(back.status == .seeOther)
            let corrected = try await app.page(path, as: .worker)
            #expect(corrected.status == .ok && corrected.visibleText.contains("部门退回意见：请核对巡查台账") && corrected.text.contains("name=\"v3\""))
            #expect(try await app.page(path, as: .otherWorker).status == .notFound)
            #expect(try await app.page("/console/reports", as: .grid).status == .forbidden)
        }
    }
}
