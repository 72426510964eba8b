import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting
import ZIPFoundation

/// People on the roll, read row by row and counted in Swift: the independent count the indicators are checked against.
private func roll(_ app: Application, prefix: String) async throws -> (total: Int, aged60: Int, aged80: Int, floating: Int) {
    let rows = try await app.sql().raw("SELECT birth_date, residence_status, grid_code FROM residents WHERE life_status = 'active'").all()
    var total = 0, aged60 = 0, aged80 = 0, floating = 0
    for r in rows where try r.decode(column: "grid_code", as: String.self).hasPrefix(prefix) {
        let age = try #require(CivilDate(try r.decode(column: "birth_date", as: String.self))).age(on: testToday)
        total += 1
        if age >= 60 { aged60 += 1 }
        if age >= 80 { aged80 += 1 }
        if try r.decode(column: "residence_status", as: String.self) == "floating" { floating += 1 }
    }
    return (total, aged60, aged80, floating)
}

/// One indicator's reading: no numbers at all when it is not measured.
fileprivate struct Reading: Decodable {
    var numerator: Double?
    var denominator: Double?
    var value: Double?
    var status: String
}

private func indicator(_ body: JSONValue, _ code: String) -> JSONValue {
    JSONValue(body["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw)
}

@Suite("Indicators: the plan's targets, live")
struct IndicatorsTests {
    @Test("district values equal an independent count of the roll; not-measured targets carry no number")
    func districtValues() async throws {
        try await withTestApp(residents: 1500) { app in
            let r = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(r.status == .ok)
            let body = r.json
            #expect(body["division"]["code"].string == DemoDistrict.districtCode)
            let expected = try await roll(app, prefix: "321271")
            #expect(expected.total > 1000)
            #expect(indicator(body, "population.residents")["value"].int == expected.total)
            let sixty = try indicator(body, "population.age_60_plus").decode(Reading.self)
            #expect(sixty.numerator == Double(expected.aged60))
            #expect(sixty.denominator == Double(expected.total))
            let share = try #require(sixty.value)
            #expect(abs(share - Double(expected.aged60) / Double(expected.total) * 100) < 1e-9)
            #expect(indicator(body, "population.age_80_plus")["numerator"].int == expected.aged80)
            #expect(indicator(body, "population.floating")["numerator"].int == expected.floating)
            #expect(indicator(body, "population.households")["value"].int == (try await app.rowCount("households")))
            // The age bands add up to everyone.
            #expect(body["age_bands"].array.compactMap { $0["count"].int }.reduce(0, +) == expected.total)
            // Request figures are those of the tallies' own figures endpoint.
            let figures = try await app.call(.GET, "/api/v1/requests/figures", as: .district).json
            #expect(indicator(body, "requests.volume")["value"].int == figures["total"].int)
            // Targets the platform has no data for: listed, with what they need, and no number at all.
            let wireless = indicator(body, "plan.wireless")
            #expect(wireless["indicator"]["measured"].raw as? Bool == false)
            let wirelessReading = try wireless.decode(Reading.self)
            #expect(wirelessReading.value == nil && wirelessReading.numerator == nil && wirelessReading.status == "not_measured")
            #expect(wireless["indicator"]["needs"].string?.contains("无线网络") == true)
            // Care is measured: no one assessed yet in a bare district, so coverage is 0 of every elder.
            let care = indicator(body, "plan.care_coverage")
            #expect(care["indicator"]["measured"].raw as? Bool == true)
            let careReading = try care.decode(Reading.self)
            #expect(careReading.numerator == 0 && careReading.denominator == Double(expected.aged60) && careReading.status == "behind")
            // The volunteers' rate is measured: no one registered in a bare district, 0 of every resident.
            let volunteers = try indicator(body, "plan.volunteer_rate").decode(Reading.self)
            #expect(volunteers.numerator == 0 && volunteers.denominator == Double(expected.total) && volunteers.status == "behind")
            #expect(indicator(body, "plan.volunteer_rate")["indicator"]["target"].double == 15)
            // Five streets below the district, ranked on the page.
            #expect(body["children"].array.count == 5)
        }
    }

    @Test("residents per community worker: only where workers are recorded; platform coverage counts those communities")
    func residentsPerWorker() async throws {
        try await withTestApp(residents: 1500) { app in
            let mine = try await roll(app, prefix: "321271002001")
            let worker = try await app.call(.GET, "/api/v1/indicators").json
            let perWorker = indicator(worker, "workforce.residents_per_worker")
            #expect(perWorker["value"].int == mine.total && perWorker["denominator"].int == 1)
            let other = try await app.call(.GET, "/api/v1/indicators?division=321271002002", as: .street).json
            #expect(indicator(other, "workforce.residents_per_worker")["value"].isNull)
            #expect(indicator(other, "workforce.residents_per_worker")["status"].string == "no_data")
            // Two test communities of 60 have a community worker account.
            let district = try await app.call(.GET, "/api/v1/indicators", as: .district).json
            let platform = try indicator(district, "informatization.platform").decode(Reading.self)
            #expect(platform.numerator == 2 && platform.denominator == 60)
            #expect(platform.status == "behind")
        }
    }

    @Test("scope: another community's indicators do not exist for a worker; a street drills into its communities")
    func scoping() async throws {
        try await withTestApp(residents: 600) { app in
            let own = try await app.call(.GET, "/api/v1/indicators")
            #expect(own.json["division"]["code"].string == "321271002001" && own.json["children"].array.count > 0)
            for path in ["/api/v1/indicators?division=321271003001", "/api/v1/indicators?division=321271000000",
                         "/api/v1/indicators/population.residents/series?division=321271003001",
                         "/api/v1/indicators/export?division=321271003001"] {
                let r = try await app.call(.GET, path)
                #expect(r.status == .notFound && r.isProblem, "\(path) → \(r.status.code)")
            }
            #expect(try await app.call(.GET, "/api/v1/indicators?division=321271002001", as: .street).status == .ok)
            #expect(try await app.call(.GET, "/api/v1/indicators?division=321271003001", as: .street).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/indicators?division=12", as: .street).status == .badRequest)
            #expect(try await app.call(.GET, "/api/v1/indicators", as: .dept).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/indicators", as: .anonymous).status == .unauthorized)
            // A grid worker sees the grid's population, and no request figures (kept per community).
            let grid = try await app.call(.GET, "/api/v1/indicators", as: .grid).json
            #expect(grid["division"]["level"].string == "grid")
            #expect(indicator(grid, "population.residents")["value"].int == (try await roll(app, prefix: "321271002001001")).total)
            #expect(indicator(grid, "requests.volume")["value"].isNull)
        }
    }

    @Test("snapshots make a series, oldest first; re-taking a period replaces it")
    func snapshotsAndSeries() async throws {
        try await withTestApp(residents: 600) { app in
            let q = IndicatorQueries(app.db)
            try await q.snapshot(period: "2026-05", today: testToday, now: Date(), by: .system("test"))
            let first = try await app.rowCount("indicator_snapshots")
            try await q.snapshot(period: "2026-06", today: testToday, now: Date(), by: .system("test"))
            try await q.snapshot(period: "2026-06", today: testToday, now: Date(), by: .system("test"))
            #expect(try await app.rowCount("indicator_snapshots") == 2 * first)
            let live = indicator(try await app.call(.GET, "/api/v1/indicators").json, "population.age_60_plus")
            let s = try await app.call(.GET, "/api/v1/indicators/population.age_60_plus/series")
            #expect(s.status == .ok)
            #expect(s.json["points"].array.map { $0["period"].string ?? "" } == ["2026-05", "2026-06"])
            #expect(s.json["points"][1]["value"].double == live["value"].double)
            #expect(s.json["division"]["code"].string == "321271002001")
            #expect(try await app.call(.GET, "/api/v1/indicators/no.such/series").status == .notFound)
            await #expect(throws: RegistryError.self) { try await q.snapshot(period: "2026-13", today: testToday, now: Date(), by: .system()) }
            // Not-measured targets are never stored.
            let stored = try #require(try await app.sql().raw("SELECT count(*) AS n FROM indicator_snapshots WHERE indicator_code IN ('plan.harmonious', 'plan.wireless')").first())
            #expect(try stored.decode(column: "n", as: Int.self) == 0)
        }
    }

    @Test("export: a real .xlsx with Chinese headers and numbers as numbers, a CSV with a BOM, each audited")
    func export() async throws {
        try await withTestApp(residents: 600) { app in
            let before = try await app.rowCount("audit_log")
            let x = try await app.call(.GET, "/api/v1/indicators/export?format=xlsx", as: .street)
            #expect(x.status == .ok)
            #expect(x.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            let path = NSTemporaryDirectory() + "ind-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try x.body.write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try XLSXReader(path: path).rows { rows.append($0.cells) }
            #expect(rows.first == IndicatorExport.header)
            // The street, its communities and their grids, every indicator each.
            let divisions = Set(rows.dropFirst().map { $0[0] })
            #expect(divisions.contains("321271002000") && divisions.contains("321271002001") && divisions.allSatisfy { $0.hasPrefix("321271002") })
            let residents = try #require(rows.first { $0[0] == "321271002000" && $0[3] == "population.residents" })
            let streetName = try await IndicatorQueries(app.db).division("321271002000")?.name
            #expect(residents[1] == streetName && residents[2] == "镇/街道" && residents[5] == "人")
            #expect(Int(residents[6]) == (try await roll(app, prefix: "321271002")).total)
            // Numbers are numeric cells, text is text.
            let archive = try #require(try? Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(archive.count > 1000)
            let sheet = try unzipSheet(path)
            #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
            #expect(sheet.contains("<c r=\"G2\"><v>") && sheet.contains("在册居民数"))
            let c = try await app.call(.GET, "/api/v1/indicators/export?format=csv", as: .street)
            #expect(Array(c.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(c.text.contains("区划代码,区划名称") && c.text.contains("60岁以上老年人口占比"))
            #expect(try await app.call(.GET, "/api/v1/indicators/export?format=pdf", as: .street).status == .badRequest)
            let audit = try #require(try await app.sql().raw("SELECT count(*) AS n FROM audit_log WHERE action = 'indicators.export'").first())
            #expect(try audit.decode(column: "n", as: Int.self) == 2)
            #expect(try await app.rowCount("audit_log") == before + 2)
        }
    }

    @Test("the dashboard: scoped, charts drawn on the server with Chinese labels, print CSS, exports audited")
    func dashboard() async throws {
        try await withTestApp(residents: 600) { app in
            func web(_ path: String, _ user: TestUser) async throws -> APIResponse {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .cookie, value: "\(WebSession.cookieName)=\(try app.token(user))")
                let r = try await app.testing().sendRequest(.GET, path, headers: headers)
                return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
            }
            try await IndicatorQueries(app.db).snapshot(period: "2026-05", today: testToday, now: Date(), by: .system("test"))
            try await IndicatorQueries(app.db).snapshot(period: "2026-06", today: testToday, now: Date(), by: .system("test"))
            let page = try await web("/console/indicators?rank=requests.volume", .street)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("name=\"viewport\"") && html.contains("/assets/console.css") && !html.contains("<script"))
            #expect(HTML.css.contains("@media print") && HTML.css.contains(".chip.st-behind"))
            #expect(html.contains("村/社区排名：受理事项数") && html.contains("年龄结构") && html.contains("80岁以上"))
            #expect(html.components(separatedBy: "<svg").count >= 5)
            #expect(html.contains("尚未测量的规划目标") && html.contains("社区无线网络覆盖率"))
            #expect(html.contains("/console/indicators.xlsx?division=321271002000"))
            #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
            #expect(try await web("/console/indicators?division=321271003000", .street).status == .notFound)
            let drill = try await web("/console/indicators?division=321271002001", .street)
            #expect(drill.status == .ok && drill.text.contains("<a href=\"/console/indicators?division=321271002000\">"))
            let anonymous = try await app.testing().sendRequest(.GET, "/console/indicators")
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
            let xlsx = try await web("/console/indicators.xlsx", .worker)
            #expect(xlsx.status == .ok && xlsx.body.prefix(2) == Data("PK".utf8))
            let csv = try await web("/console/indicators.csv", .worker)
            #expect(csv.status == .ok && csv.text.contains("321271002001") && !csv.text.contains("321271003001"))
            let audit = try #require(try await app.sql().raw("SELECT count(*) AS n FROM audit_log WHERE action = 'indicators.export'").first())
            #expect(try audit.decode(column: "n", as: Int.self) == 2)
        }
    }

    @Test("charts escape names and keep Chinese labels")
    func charts() {
        let bar = SVGChart.bar(title: "排名", items: [("<script>alert(1)</script>", 3), ("凤凰社区 & 二", 1)], unit: "%", target: 2).html
        #expect(!bar.contains("<script>") && bar.contains("&lt;script&gt;") && bar.contains("凤凰社区 &amp; 二") && bar.contains("目标 2"))
        #expect(bar.hasPrefix("<svg") && bar.hasSuffix("</svg>"))
        let donut = SVGChart.donut(title: "年龄结构", parts: [("0–17岁", 1), ("60–79岁", 3)]).html
        #expect(donut.contains("60–79岁  3人（75%）") && donut.contains("4人"))
        let line = SVGChart.line(title: "趋势", points: [("2026-05", 10), ("2026-06", 12.5)], unit: "%").html
        #expect(line.contains("2026-05") && line.contains("2026-06") && line.contains("<polyline"))
        #expect(SVGChart.line(title: "趋势", points: [], unit: "%").html.contains("还没有快照"))
    }
}

@Suite("Lists as files: requests and residents, masked and audited")
struct ListExportTests {
    func auditCount(_ app: Application, _ action: String) async throws -> Int {
        let row = try #require(try await app.sql().raw("SELECT count(*) AS n FROM audit_log WHERE action = \(bind: action)").first())
        return try row.decode(column: "n", as: Int.self)
    }

    @Test("the request list with its filters as .xlsx: every row of the list, reporters masked, numbers as numbers")
    func requests() async throws {
        try await withTestApp(residents: 600) { app in
            let building = try #require(try await app.buildingInWorkersGrid()["id"].string)
            for i in 0..<3 {
                let r = try await app.call(.POST, "/api/v1/requests", json: ["category_code": "SJ0101", "description": "楼道堆放杂物 \(i)",
                                                                             "building_id": building, "name": "王小明",
                                                                             "phone": "13812345678"], as: .anonymous)
                #expect(r.status == .created, "\(r.text)")
            }
            let list = try await app.call(.GET, "/api/v1/requests?per_page=100", as: .district).json
            let x = try await app.call(.GET, "/api/v1/exports/requests", as: .district)
            #expect(x.status == .ok)
            let path = NSTemporaryDirectory() + "req-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try x.body.write(to: URL(fileURLWithPath: path))
            var rows: [[String]] = []
            try XLSXReader(path: path).rows { rows.append($0.cells) }
            #expect(rows.first?.prefix(3) == ["编号", "类别", "状态"])
            #expect(rows.count - 1 == list["total"].int && rows.count > 3)
            let mine = rows.filter { $0.count > 9 && $0[9].hasPrefix("楼道堆放杂物") }
            #expect(mine.count == 3 && mine.allSatisfy { $0[7] == "王**" && $0[8] == "138****5678" })
            // Read from the cells (the file itself is compressed): no full name or number anywhere.
            #expect(rows.allSatisfy { row in row.allSatisfy { !$0.contains("王小明") && !$0.contains("13812345678") } })
            #expect(try unzipSheet(path).contains("<c r=\"A2\"><v>"))
            // The list's filters apply: a status nobody is in gives the header alone.
            let none = try await app.call(.GET, "/api/v1/exports/requests?format=csv&status=closed&area=321271002001", as: .worker)
            #expect(none.status == .ok && Array(none.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(try await auditCount(app, "requests.export") == 2)
            #expect(try await app.call(.GET, "/api/v1/exports/requests?format=doc", as: .district).status == .badRequest)
        }
    }

    @Test("the accounts list and the audit log as files, for their administrators only; each export audited")
    func accountsAndAudit() async throws {
        try await withTestApp(residents: 100) { app in
            func sheet(_ r: APIResponse) throws -> [[String]] {
                let path = NSTemporaryDirectory() + "x-\(UUID().uuidString).xlsx"
                defer { try? FileManager.default.removeItem(atPath: path) }
                try r.body.write(to: URL(fileURLWithPath: path))
                var rows: [[String]] = []
                try XLSXReader(path: path).rows { rows.append($0.cells) }
                return rows
            }
            let accounts = try await app.call(.GET, "/api/v1/exports/accounts", as: .secadmin)
            let rows = try sheet(accounts)
            #expect(rows.first?.prefix(3) == ["用户名", "姓名", "角色"])
            #expect(rows.count - 1 == (try await app.rowCount("accounts")))
            #expect(rows.contains { $0.first == "dept" && $0.count > 4 && $0[4] == "CG" })
            #expect(rows.allSatisfy { row in row.allSatisfy { !$0.contains("$2b$") && !$0.contains("$2y$") } }, "no password hash in the file")
            #expect(try await app.call(.GET, "/api/v1/exports/accounts", as: .auditor).status == .forbidden)

            let entries = try await app.rowCount("audit_log")
            let audit = try await app.call(.GET, "/api/v1/exports/audit?format=csv", as: .auditor)
            #expect(audit.status == .ok && Array(audit.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = audit.text.split(whereSeparator: \.isNewline).filter { !$0.isEmpty }
            #expect(lines.count - 1 == entries, "every entry up to the export, one line each")
            let filtered = try sheet(try await app.call(.GET, "/api/v1/exports/audit?action=accounts.export", as: .auditor))
            #expect(filtered.count == 2 && filtered[1][5] == "accounts.export")
            #expect(try await auditCount(app, "audit.export") == 2)
            #expect(try await app.call(.GET, "/api/v1/exports/audit", as: .secadmin).status == .forbidden)
        }
    }

    @Test("the buildings and households lists as files, with the lists' scope and filters, audited")
    func buildingsAndHouseholds() async throws {
        try await withTestApp(residents: 400) { app in
            let total = try #require(try await app.call(.GET, "/api/v1/households?per_page=1").json["total"].int)
            let households = try await app.call(.GET, "/api/v1/exports/households?format=csv")
            let lines = households.text.split(whereSeparator: \.isNewline)
            #expect(households.status == .ok && lines.count - 1 == total && total > 0)
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("321271002001") }, "the worker's community only")
            let grid = "321271002001001"
            let gridTotal = try #require(try await app.call(.GET, "/api/v1/buildings?grid=\(grid)&per_page=1").json["total"].int)
            let buildings = try await app.call(.GET, "/api/v1/exports/buildings?format=csv&grid=\(grid)")
            #expect(buildings.text.split(whereSeparator: \.isNewline).count - 1 == gridTotal && gridTotal > 0)
            #expect(try await app.call(.GET, "/api/v1/exports/households?division=321271003001").status == .notFound)
            #expect(try await auditCount(app, "households.export") == 1)
            #expect(try await auditCount(app, "buildings.export") == 1)
        }
    }

    @Test("the residents of one's area as .csv: everyone in scope, ID numbers masked, another area not found")
    func residents() async throws {
        try await withTestApp(residents: 600) { app in
            let r = try await app.call(.GET, "/api/v1/exports/residents?format=csv")
            #expect(r.status == .ok && Array(r.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = r.text.split(whereSeparator: \.isNewline).dropFirst()
            let inScope = try #require(try await app.sql().raw("SELECT count(*) AS n FROM residents WHERE grid_code LIKE '321271002001%'").first())
            let expected = try inScope.decode(column: "n", as: Int.self)
            #expect(lines.count == expected && lines.count > 0, "\(lines.count) rows, \(expected) residents; \(lines.prefix(2))")
            #expect(lines.allSatisfy { $0.contains("********") && $0.contains(",321271002001") })
            #expect(try await auditCount(app, "registry.export") == 1)
            #expect(try await app.call(.GET, "/api/v1/exports/residents?division=321271003001").status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/exports/residents", as: .dept).status == .forbidden)
        }
    }
}

/// The worksheet's XML from an .xlsx.
private func unzipSheet(_ path: String) throws -> String {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    guard let entry = archive["xl/worksheets/sheet1.xml"] else { return "" }
    var data = Data()
    _ = try archive.extract(entry) { data.append($0) }
    return String(decoding: data, as: UTF8.self)
}
