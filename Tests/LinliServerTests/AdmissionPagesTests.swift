import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("事项准入: the console pages", .serialized)
struct AdmissionPagesTests {
    @Test("a department applies through the form (a negative amount refused at its field), submits; 民政 sees it waiting; the menu has it")
    func apply() async throws {
        try await withTestApp(residents: 300) { app in
            let fields: [(String, String)] = [("title", "垃圾分类督导员管理"), ("kind", "service"), ("content", "每日督导"), ("basis", "《生活垃圾管理条例》"),
                                              ("reach", "district"), ("street_code", ""), ("communities", ""), ("frequency", "monthly"),
                                              ("valid_from", "2026-07-01"), ("valid_to", "2027-06-30"), ("staff", "督导员2名"), ("power", "")]
            let form = try await app.page("/console/admission/tasks/new", as: .dept)
            #expect(form.status == .ok && form.text.contains("费随事转"), "\(form.status)")
            let negative = try await app.submit("/console/admission/tasks/new", fields + [("funds_yuan", "-5")], as: .dept)
            #expect(negative.status == .unprocessableEntity && negative.text.contains("经费应为不超过两位小数的金额") && negative.text.contains("aria-invalid"),
                    "\(negative.status)")
            let silly = try await app.submit("/console/admission/tasks/new", fields + [("funds_yuan", "1e300")], as: .dept)
            #expect(silly.status == .unprocessableEntity, "\(silly.status)")
            #expect(try await app.submit("/console/admission/tasks/new", fields + [("funds_yuan", "120")], as: .dept, csrf: false).status == .forbidden)
            #expect(try await app.rowCount("admission_tasks") == 0)
            let made = try await app.submit("/console/admission/tasks/new", fields + [("funds_yuan", "120.50")], as: .dept)
            #expect(made.status == .seeOther, "\(made.text)")
            let location = try #require(made.location)
            #expect(try await app.rowCount("admission_tasks WHERE funds_fen = 12050") == 1)
            let view = try await app.page(location, as: .dept)
            #expect(view.status == .ok && view.text.contains("提交申请") && view.text.contains("修改申请"), "\(view.status)")
            let submitted = try await app.submit("\(location)/act", [("decision", "submit"), ("version", "1")], as: .dept)
            #expect(submitted.status == .seeOther, "\(submitted.text)")
            let overview = try await app.page("/console/admission", as: .district)
            #expect(overview.status == .ok && overview.text.contains("待初审") && overview.text.contains("垃圾分类督导员管理"), "\(overview.status)")
            let refuse = try await app.submit("\(location)/act", [("decision", "refuse"), ("note", ""), ("version", "2")], as: .district)
            #expect(refuse.status == .unprocessableEntity && refuse.text.contains("不予准入须说明理由"), "\(refuse.status)")
            let menu = try await app.page("/console", as: .district)
            #expect(menu.status == .ok && menu.text.contains("href=\"/console/admission\""))
            // The district's home page: the application waits for its 初审; nothing waits for 审定 yet; the department has no tile.
            #expect(menu.text.contains("待初审的准入申请</span><b>1</b>") && menu.text.contains("待审定的准入申请</span><b>0</b>"))
            let deptHome = try await app.page("/console", as: .dept)
            #expect(deptHome.status == .ok && !deptHome.text.contains("待初审的准入申请"))
            #expect(try await app.page("/console/admission/tasks/new", as: .worker).status == .forbidden)
        }
    }

    @Test("a community's page: its tasks and checks, the refusal form (a future date refused), funds; the portal lists admitted tasks")
    func community() async throws {
        try await withTestApp(residents: 300) { app in
            let leader = try await app.admissionLeader()
            _ = try await app.admittedTask(leader: leader)
            let path = "/console/admission/community?community=321271002001"
            let page = try await app.page(path)
            #expect(page.status == .ok && page.text.contains("就业失业登记月报") && page.text.contains("登记拒绝的未准入事项"), "\(page.status)")
            let push: [(String, String)] = [("community", "321271002001"), ("department_code", "WM"), ("title", "迎检材料"), ("channel", "chat"), ("note", "")]
            let future = try await app.submit("/console/admission/community/pushes", push + [("pushed_on", "2026-07-02")])
            #expect(future.status == .unprocessableEntity && future.text.contains("日期不能晚于今天"), "\(future.status)")
            #expect(try await app.rowCount("admission_pushes") == 0)
            #expect(try await app.submit("/console/admission/community/pushes", push + [("pushed_on", "2026-06-02")]).status == .seeOther)
            #expect(try await app.page(path).text.contains("迎检材料"))
            #expect(try await app.page("/console/admission/community?community=321271003001").status == .notFound)
            let portal = try await app.page("/notices/admission", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("就业失业登记月报") && portal.text.contains("href=\"/notices/admission\""), "\(portal.status)")
        }
    }
}
