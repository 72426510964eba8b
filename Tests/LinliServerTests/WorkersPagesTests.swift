import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("社工队伍: the console pages", .serialized)
struct WorkersPagesTests {
    @Test("the roster, a worker's page (audited), the forms with their messages at the field, figures, scale, reserves, the worker's own page")
    func pages() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.addedWorker(account: "worker")
            let list = try await app.page("/console/workers", as: .street)
            #expect(list.status == .ok && list.text.contains("王丽娟") && list.text.contains("139****5678"))
            #expect(!list.text.contains("13912345678"))
            #expect(try await app.page("/console/workers", as: .worker).status == .forbidden)

            let fields: [(String, String)] = [("name", "李秀英"), ("post", "grid_worker"), ("employment", "contract"), ("division_code", "321271002001"),
                                              ("phone", ""), ("hired_on", "2021-05-01")]
            #expect(try await app.submit("/console/workers/new", fields, as: .street, csrf: false).status == .forbidden)
            let created = try await app.submit("/console/workers/new", fields, as: .street)
            #expect(created.status == .seeOther || created.status == .found, "\(created.text)")
            let bad = try await app.submit("/console/workers/new", [("name", "李"), ("division_code", "321271002001"), ("hired_on", "2030-01-01")], as: .street)
            #expect(bad.status == .unprocessableEntity && bad.text.contains("入职日期不能晚于今天"))

            let before = try await app.rowCount("audit_log WHERE action = 'workers.view'")
            let page = try await app.page("/console/workers/\(id)", as: .street)
            #expect(page.status == .ok && page.text.contains("录入年度考核") && page.text.contains("岗位等级"))
            #expect(try await app.rowCount("audit_log WHERE action = 'workers.view'") == before + 1)

            let score = try await app.submit("/console/workers/\(id)/appraisals", [("year", "2025"), ("scores", "80, 120")], as: .street)
            #expect(score.status == .unprocessableEntity && score.text.contains("每个评分应在0到100之间"))
            let hours = try await app.submit("/console/workers/\(id)/training", [("training_year", "2025"), ("hours", "99999999999")], as: .street)
            #expect(hours.status == .unprocessableEntity && hours.text.contains("应为整数"))
            let ok = try await app.submit("/console/workers/\(id)/appraisals", [("year", "2025"), ("scores", "90，92，95")], as: .street)
            #expect(ok.status == .seeOther || ok.status == .found, "\(ok.text)")
            let dup = try await app.submit("/console/workers/\(id)/appraisals", [("year", "2025"), ("scores", "80")], as: .street)
            #expect(dup.status == .conflict && dup.text.contains("2025年度的考核已录入"))
            let qual = try await app.submit("/console/workers/\(id)/qualifications", [("level", "assistant"), ("certificate_no", "ZS1"), ("obtained_on", "2027-01-01")],
                                            as: .street)
            #expect(qual.status == .unprocessableEntity && qual.text.contains("取得日期不能晚于今天"))

            let figures = try await app.page("/console/workers/figures?year=2025", as: .street)
            #expect(figures.status == .ok && figures.text.contains("寺巷社区") && figures.text.contains("2025年优秀"))
            let district = try await app.page("/console/workers/figures?year=2025", as: .district)
            #expect(district.status == .ok && district.text.contains("寺巷街道"))
            let grades = try await app.page("/console/workers/grades", as: .district)
            #expect(grades.status == .ok && grades.text.contains("修改岗位等级薪酬表"))
            let badGrades = try await app.submit("/console/workers/grades", [("head", "5000 4000"), ("deputy", "4000"), ("staff", "3000")] +
                GradeStepReason.allCases.map { ("step_" + $0.rawValue.replacingOccurrences(of: ".", with: "_"), "0") }, as: .district)
            #expect(badGrades.status == .unprocessableEntity && badGrades.text.contains("等级越高月薪不应越低"))
            #expect(try await app.submit("/console/workers/grades", [("head", "5000")], as: .street).status == .forbidden)
            #expect(try await app.page("/console/workers/reserves", as: .street).status == .ok)

            let own = try await app.page("/console/workers/me", as: .worker)
                        #expect(own.status == .ok && own.text.contains("我的档案") && own.text.contains("王丽娟") && !own.text.contains("录入年度考核"))
            let export = try await app.page("/console/workers/export.xlsx", as: .street)
            #expect(export.status == .ok && export.body.count > 100)
            #expect(try await app.rowCount("audit_log WHERE action = 'workers.export'") == 1)
        }
    }
}
