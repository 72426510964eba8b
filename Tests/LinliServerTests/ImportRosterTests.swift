import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import FluentKit
import SQLKit
import Testing
import Vapor
import ZIPFoundation

/// A workbook of `Tests/fixtures/rosters` (written by openpyxl, see make.py there) with its grid and
/// building placeholders replaced by the test district's own.
func rosterFixture(_ name: String, to path: String, _ values: [String: String]) throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/rosters/\(name)")
    let input = try Archive(url: source, accessMode: .read)
    let output = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for entry in input {
        var data = Data()
        _ = try input.extract(entry) { data.append($0) }
        if entry.path.hasSuffix(".xml") {
            var text = String(decoding: data, as: UTF8.self)
            for (key, value) in values { text = text.replacingOccurrences(of: key, with: value) }
            data = Data(text.utf8)
        }
        try output.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { p, n in
            data.subdata(in: Int(p)..<Int(p) + n)
        }
    }
}

/// Two grids of the worker's community, each with a building.
struct TwoGrids {
    var values: [String: String]
    var grid1: String { values["{GRID1}"]! }
    var grid2: String { values["{GRID2}"]! }

    /// The community's first two grids, each with a building (one is added where a small demo has none).
    static func load(_ app: Application, community: String = "321271002001") async throws -> TwoGrids {
        let grids = try await Division.query(on: app.db).filter(\.$level == DivisionLevel.grid.rawValue).filter(\.$code >= community + "000")
            .filter(\.$code <= community + "999").sort(\.$code).limit(2).all()
        try #require(grids.count == 2, "two grids in \(community)")
        var values: [String: String] = [:]
        for (i, grid) in grids.enumerated() {
            var building = try await Building.query(on: app.db).filter(\.$gridCode == grid.code).sort(\.$name).first()
            if building == nil {
                let b = Building()
                b.$grid.id = try grid.requireID()
                b.gridCode = grid.code
                b.name = "花名册测试楼"
                b.address = "测试路1号"
                b.latitude = 32.45
                b.longitude = 119.95
                b.version = 1
                try await b.create(on: app.db)
                building = b
            }
            values["{GRID\(i + 1)}"] = grid.name
            values["{BUILDING\(i + 1)}"] = try #require(building).name
        }
        return TwoGrids(values: values)
    }
}

@Suite("Rosters as communities keep them", .serialized)
struct ImportRosterTests {
    func engine(_ app: Application) -> ResidentImport {
        ResidentImport(app.db, cipher: testCipher, today: testToday, scope: RegistryScope(validatedCode: "321271002001"))
    }

    @Test("a messy workbook: header below the title, hidden rows skipped, numbers for text reported, full-width cleaned; idempotent")
    func messyWorkbook() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let grids = try await TwoGrids.load(app)
                try rosterFixture("messy.xlsx", to: dir + "花名册.xlsx", grids.values)
                let before = try await app.rowCount("residents")
                let plan = try await engine(app).validate(file: dir + "花名册.xlsx")
                // The sheets as listed; the roster taken by itself (the notes sheet has no header).
                #expect(plan.sheets.map(\.name) == ["居民花名册", "说明"])
                #expect(plan.taken.count == 1)
                let taken = try #require(plan.taken.first)
                #expect(taken.name == "居民花名册" && taken.headerRow == 4 && taken.hiddenRows == 4)
                #expect(plan.skipped.map(\.row) == [13, 23, 33, 43])
                #expect(plan.notes.contains { $0.contains("表头在第4行") })
                #expect(plan.notes.contains { $0.contains("“性别”列") && $0.contains("隐藏列") })
                // Every row that cannot be right, at the workbook's own row numbers, and nothing else.
                let byRow = Dictionary(grouping: plan.problems, by: \.row)
                #expect(byRow.keys.sorted() == [9, 11, 19, 21, 29, 31, 39, 41, 46], "\(plan.problems)")
                for r in [9, 19, 29, 39] { #expect(byRow[r]?.map(\.message) == [RosterCell.idLostDigits]) }
                for r in [11, 21, 31, 41] { #expect(byRow[r]?.map(\.message) == [RosterCell.phoneLostZero]) }
                #expect(byRow[46]?.first?.column == "户号" && byRow[46]?.first?.message.contains("0012") == true)
                #expect(plan.badRows == 9 && plan.newResidents == 30)
                #expect(try await app.rowCount("residents") == before)

                let result = try await engine(app).commit(plan, by: .system("test"))
                #expect(result.residents == 30)
                #expect(try await app.rowCount("residents") == before + 30)
                let names = try await app.sql().raw("SELECT name FROM residents WHERE name = \(bind: "阿依古丽·买买提") OR name LIKE \(bind: "% %")").all()
                #expect(names.count == 1, "the minority name stored with its dot, no name with a space")
                // 0012 typed as text; 0077 a number shown as 0077 by its format: both as shown.
                let households = try await app.sql().raw("SELECT number FROM households WHERE number IN ('0012', '0077', '12', '77')").all()
                let numbers = try households.map { try $0.decode(column: "number", as: String.self) }.sorted()
                #expect(numbers == ["0012", "0077"], "\(numbers)")
                // Again: nothing new, the same rows reported.
                let again = try await engine(app).validate(file: dir + "花名册.xlsx")
                #expect(again.newResidents == 0 && again.unchanged == 30 && again.badRows == 9)
                // 户号 12 stored as a number in a later file, where the registry has 0012: the zeros were lost.
                let id = CitizenID.make(region: "321286", birth: try #require(CivilDate(year: 1975, month: 3, day: 4)), sequence: 321)
                let cells = ["测试户", id, "", "", "", "", "1室", "户主", grids.values["{BUILDING1}"]!, grids.grid1]
                var row = inlineRow(2, cells)
                row = row.replacingOccurrences(of: "</row>", with: "<c r=\"F2\" t=\"n\"><v>12</v></c></row>")
                try writeRawXLSX(sheet: "<worksheet><sheetData>" + inlineRow(1, Fixture.header.filter { $0 != "标签" && $0 != "户籍类型" })
                                 + row + "</sheetData></worksheet>", to: dir + "later.xlsx")
                let later = try await engine(app).validate(file: dir + "later.xlsx")
                #expect(later.problems.map(\.column) == ["户号"] && later.problems.first?.message.contains("登记中为“0012”") == true,
                        "\(later.problems)")
                // The report lists the problems, then the hidden rows left out.
                try RegistryExport.writeReport(plan, to: dir + "report.xlsx")
                var reported: [SheetRow] = []
                try SheetFile.read(dir + "report.xlsx") { reported.append($0) }
                #expect(reported.count == 1 + plan.problems.count + 4)
                #expect(reported.last?.cells.last == "隐藏行，已跳过，未导入")
            }
        }
    }

    @Test("a large sheet whose merged cells are listed past the first inflated chunk is read (a title merged over the header)")
    func mergesPastTheFirstChunk() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                // 1,500 rows of inline strings: several 64 KiB chunks before <mergeCells>.
                let rows = try (0..<1_500).map { try inlineRow($0 + 3, f.row($0)) }
                let sheet = "<worksheet><sheetData>" + inlineRow(1, ["居民花名册"]) + inlineRow(2, Fixture.header) + rows.joined()
                    + "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:L1\"/></mergeCells></worksheet>"
                try writeRawXLSX(sheet: sheet, to: dir + "large.xlsx")
                let plan = try await engine(app).validate(file: dir + "large.xlsx")
                #expect(plan.taken.first?.headerRow == 2 && plan.rows == 1_500 && plan.badRows == 0, "\(plan.problems.prefix(3))")
            }
        }
    }

    @Test("several sheets: refused with their names unless one is chosen or one sheet per grid; a hidden sheet only by name")
    func severalSheets() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let grids = try await TwoGrids.load(app)
                let path = dir + "分网格.xlsx"
                try rosterFixture("several.xlsx", to: path, grids.values)
                await #expect(throws: SheetError.severalSheets([grids.grid1, grids.grid2])) {
                    _ = try await engine(app).validate(file: path)
                }
                await #expect(throws: SheetError.noSuchSheet("没有这张表", [grids.grid1, grids.grid2, "旧名单", "说明"])) {
                    _ = try await engine(app).validate(file: path, choice: SheetChoice(sheet: "没有这张表"))
                }
                let one = try await engine(app).validate(file: path, choice: SheetChoice(sheet: " \(grids.grid1) "))
                #expect(one.taken.map(\.name) == [grids.grid1] && one.taken.first?.headerRow == 2)
                #expect(one.rows == 3 && one.newResidents == 3 && one.badRows == 0)
                #expect(one.problems.allSatisfy { $0.sheet == nil })
                let hidden = try await engine(app).validate(file: path, choice: SheetChoice(sheet: "旧名单"))
                #expect(hidden.taken.first?.headerRow == 1 && hidden.newResidents == 1)
                // One sheet per grid: the second sheet's rows, their 网格 empty, go to the grid the sheet is named after.
                let perGrid = try await engine(app).validate(file: path, choice: SheetChoice(perGrid: true))
                #expect(perGrid.taken.map(\.name) == [grids.grid1, grids.grid2])
                #expect(perGrid.rows == 6 && perGrid.newResidents == 6 && perGrid.badRows == 0, "\(perGrid.problems)")
                #expect(perGrid.notes.contains { $0.contains("归入网格“\(grids.grid2)”") })
                let before = try await app.rowCount("residents")
                _ = try await engine(app).commit(perGrid, by: .system("test"))
                #expect(try await app.rowCount("residents") == before + 6)
                let inGrid2 = try await app.sql().raw("""
                    SELECT COUNT(*) AS n FROM households h JOIN divisions d ON d.code = h.grid_code WHERE h.number LIKE 'S1-%' AND d.name = \(bind: grids.grid2)
                    """).first()?.decode(column: "n", as: Int.self)
                #expect(inGrid2 == 2)
            }
        }
    }

    @Test("the API: several sheets a 422 naming the field and the sheets; per grid accepted; the sheets and header rows in the job")
    func api() async throws {
        try await withTestApp(residents: 300) { app in
            let grids = try await TwoGrids.load(app)
            let path = NSTemporaryDirectory() + "linli-several-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try rosterFixture("several.xlsx", to: path, grids.values)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let refused = try await upload(app, data: data, fields: [:])
            #expect(refused.status == .unprocessableEntity && refused.isProblem && refused.json.errorFields == ["sheet"])
            #expect(refused.json["detail"].string?.contains(grids.grid1) == true && refused.json["detail"].string?.contains(grids.grid2) == true)
            let missing = try await upload(app, data: data, fields: ["sheet": "没有这张表"])
            #expect(missing.status == .unprocessableEntity && missing.json.errorFields == ["sheet"])
            let accepted = try await upload(app, data: data, fields: ["per_grid": "true"])
            #expect(accepted.status == .accepted)
            let id = try #require(accepted.json["id"].string)
            var status = accepted.json
            for _ in 0..<300 where status["status"].string == "checking" {
                try await Task.sleep(for: .milliseconds(20))
                status = try await app.call(.GET, "/api/v1/imports/\(id)").json
            }
            #expect(status["status"].string == "checked" && status["new_residents"].int == 6)
            let sheets = status["sheets"].array
            #expect(sheets.count == 4)
            #expect(sheets.first?["name"].string == grids.grid1 && sheets.first?["header_row"].int == 2)
            #expect(sheets.first { $0["name"].string == "旧名单" }?["hidden"].raw as? Bool == true)
            #expect(sheets.first { $0["name"].string == "说明" }?["header_row"].int == nil)
        }
    }

    @Test("the page: several sheets offer a select; the preview shows the sheets and the header row taken")
    func page() async throws {
        try await withTestApp(residents: 300) { app in
            let grids = try await TwoGrids.load(app)
            let path = NSTemporaryDirectory() + "linli-several-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try rosterFixture("several.xlsx", to: path, grids.values)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let token = try app.token(.worker)
            let form = try await web(app, .GET, "/console/import", token: token)
            #expect(form.status == .ok && form.text.contains("name=\"per_grid\""))
            let csrf = try #require(form.text.range(of: #"name="csrf" value=""#).map { String(form.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let choose = try await web(app, .POST, "/console/import", token: token, multipart: data, fields: ["csrf": csrf])
            #expect(choose.status == .unprocessableEntity)
            #expect(choose.text.contains("<select name=\"sheet\"") && choose.text.contains("<option value=\"\(grids.grid2)\">"))
            let posted = try await web(app, .POST, "/console/import", token: token, multipart: data, fields: ["csrf": csrf, "sheet": grids.grid2])
            let location = try #require(posted.headers.first(name: .location))
            var page = try await web(app, .GET, location, token: token)
            for _ in 0..<300 where !page.text.contains("读取情况") {
                try await Task.sleep(for: .milliseconds(20))
                page = try await web(app, .GET, location, token: token)
            }
            #expect(page.text.contains("<td>\(grids.grid2)</td><td>已读取</td><td>第2行</td>"))
            #expect(page.text.contains("<td>旧名单</td><td>隐藏，未读取</td>"))
            #expect(!page.text.contains("<script"))
        }
    }

    func body(_ data: Data, fields: [String: String], boundary: String) -> Data {
        var body = Data()
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"分网格.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += data
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return body
    }

    func upload(_ app: Application, data: Data, fields: [String: String]) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .authorization, value: "Bearer \(try app.token(.worker))")
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=linli-b")
        let r = try await app.testing().sendRequest(.POST, "/api/v1/imports/residents", headers: headers,
                                                     body: ByteBuffer(data: body(data, fields: fields, boundary: "linli-b")))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    func web(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, multipart: Data? = nil,
             fields: [String: String] = [:]) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
        var payload: ByteBuffer?
        if let multipart {
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=linli-b")
            payload = ByteBuffer(data: body(multipart, fields: fields, boundary: "linli-b"))
        }
        let r = try await app.testing().sendRequest(method, path, headers: headers, body: payload)
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }
}
