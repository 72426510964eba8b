import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("房屋和单位: import", .serialized)
struct HousingImportTests {
    /// A building of 寺巷社区's first grid and its name.
    func building(_ app: Application) async throws -> (grid: String, name: String) {
        let row = try #require(try await app.sql().raw("SELECT grid_code, name FROM buildings WHERE grid_code LIKE '321271002001%' ORDER BY name LIMIT 1").first())
        return (try row.decode(column: "grid_code", as: String.self), try row.decode(column: "name", as: String.self))
    }

    func file(_ text: String, _ ext: String = "csv") throws -> String {
        let path = NSTemporaryDirectory() + "linli-housing-test-\(UUID().uuidString).\(ext)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("dwellings: title rows above the header, every bad row and field reported, nothing written; the corrected file written once, a second import changes nothing")
    func dwellings() async throws {
        try await withTestApp() { app in
            let b = try await building(app)
            let engine = HousingImport(app.db, cipher: app.linli.cipher, scope: RegistryScope(validatedCode: "321271002001"))
            let bad = try file("""
                寺巷社区房屋登记表,,,,,,
                网格编码,楼栋,房号,楼层,建筑面积,房间数,用途
                \(b.grid),\(b.name),1-101,1,60,2,自住
                \(b.grid),\(b.name),1-101,1,60,2,自住
                \(b.grid),没有这栋楼,1-102,1,60,2,自住
                \(b.grid),\(b.name),1-103,一楼,很大,2,仓库
                """)
            defer { try? FileManager.default.removeItem(atPath: bad) }
            let plan = try await engine.validate(file: bad, kind: .dwellings)
            #expect(plan.rows == 4 && !plan.isClean)
            #expect(plan.problems.map { "\($0.row)|\($0.column)" } == ["4|房号", "5|楼栋", "6|建筑面积", "6|楼层", "6|用途"], "\(plan.problems)")
            await #expect(throws: HousingImport.Rejected.self) { try await engine.commit(plan, by: .system("test")) }
            #expect(try await app.rowCount("dwellings") == 0)
            let report = NSTemporaryDirectory() + "linli-housing-report-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: report) }
            try HousingImport.writeReport(plan.problems, to: report)
            var reportRows: [[String]] = []
            try SheetFile.read(report, limits: SheetLimits()) { reportRows.append($0.cells) }
            #expect(reportRows.count == 6 && reportRows[1].suffix(2) == ["房号", "与第3行的楼栋和房号重复"], "\(reportRows)")

            let good = try file("""
                网格编码,楼栋,房号,楼层,建筑面积,房间数,用途
                \(b.grid),\(b.name),1-101,1,60,2,自住
                ,\(b.name),1-102,1,45.5,1,rented
                """)
            defer { try? FileManager.default.removeItem(atPath: good) }
            let clean = try await engine.validate(file: good, kind: .dwellings)
            #expect(clean.isClean && clean.new == 2, "\(clean.problems)")
            #expect(try await engine.commit(clean, by: .system("test")) == 2)
            #expect(try await app.rowCount("dwellings") == 2)
            let again = try await engine.validate(file: good, kind: .dwellings)
            #expect(again.isClean && again.new == 0 && again.unchanged == 2)
            #expect(try await engine.commit(again, by: .system("test")) == 0)
            #expect(try await app.rowCount("dwellings") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'housing.import.dwellings'") == 2)
        }
    }

    @Test("units: the credit code checked, duplicates and another area's building reported; idempotent; the console's template, report and confirmation")
    func units() async throws {
        try await withTestApp() { app in
            let b = try await building(app)
            let code1 = DemoHousing.creditCode(1, district: "321271", kind: .enterprise), code2 = DemoHousing.creditCode(2, district: "321271", kind: .individual)
            let csv = """
                单位名称,统一社会信用代码,单位类别,网格编码,楼栋,联系人,联系电话,从业人数,开放设施,安全责任人
                恒通商贸有限公司,\(code1),企业,\(b.grid),\(b.name),李国强,13912345678,12,否,李国强
                华瑞便利店,\(code2),个体工商户,\(b.grid),\(b.name),,,3,是,
                """
            // The console: template, upload with a bad row (report), then the clean file confirmed.
            let template = try await app.page("/console/housing/import/template?kind=units", as: .worker)
            #expect(template.status == .ok && template.body.count > 100)
            let token = try app.token(.worker), csrf = try app.csrf(.worker)
            func upload(_ text: String) async throws -> APIResponse {
                let boundary = "xyz"
                let body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nunits\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"单位.csv\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n--\(boundary)--\r\n".utf8)
                var headers = app.cookieHeaders(.worker)
                headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                _ = token
                let r = try await app.testing().sendRequest(.POST, "/console/housing/import", headers: headers, body: ByteBuffer(data: body))
                return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
            }
            let refused = try await upload(csv + "\n坏单位,123,企业,\(b.grid),\(b.name),,,1,否,")
            #expect(refused.status == .unprocessableEntity && refused.text.contains("统一社会信用代码应为18位") && refused.text.contains("整个文件不会写入"), "\(refused.visibleText.prefix(500))")
            let reportLink = try #require(refused.text.firstMatch(of: /\/console\/housing\/import\/([0-9A-F-]{36})\/report/).map { String($0.0) })
            let report = try await app.page(reportLink, as: .worker)
            #expect(report.status == .ok && report.body.count > 100)
            #expect(try await app.page(reportLink, as: .otherWorker).status == .notFound)
            #expect(try await app.rowCount("units") == 0)

            let checked = try await upload(csv)
            #expect(checked.status == .ok && checked.text.contains("确认导入 2 个单位"), "\(checked.visibleText.prefix(500))")
            let confirm = try #require(checked.text.firstMatch(of: /\/console\/housing\/import\/[0-9A-F-]{36}\/confirm/).map { String($0.0) })
            let done = try await app.submit(confirm, [], as: .worker)
            #expect(done.status == .ok && done.text.contains("已导入单位 2 个"), "\(done.visibleText.prefix(300))")
            #expect(try await app.rowCount("units") == 2)
            #expect(try await app.submit(confirm, [], as: .worker).status == .notFound)
            let twice = try await upload(csv)
            #expect(twice.status == .ok && twice.text.contains("没有需要写入的行"), "\(twice.visibleText.prefix(300))")
            #expect(try await app.rowCount("units") == 2)

            // Outside the importer's area: a building of another community is not found; a code registered under another name is reported.
            let engine = HousingImport(app.db, cipher: app.linli.cipher, scope: RegistryScope(validatedCode: "321271003001"))
            let other = try file(csv)
            defer { try? FileManager.default.removeItem(atPath: other) }
            let plan = try await engine.validate(file: other, kind: .units)
            #expect(plan.problems.map(\.column) == ["楼栋", "楼栋"], "\(plan.problems)")
        }
    }
}
