import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor
import ZIPFoundation

/// A scratch folder for the files a test writes, removed afterwards.
func withScratch(_ body: (String) async throws -> Void) async throws {
    let dir = NSTemporaryDirectory() + "linli-import-test-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try await body(dir)
}

/// Valid rows for the test district: people with made-up but valid ID numbers in an existing building.
struct Fixture {
    let gridCode: String
    let gridName: String
    let building: String

    static func load(_ app: Application, scope: String = "321271002001") async throws -> Fixture {
        let sql = try app.sql()
        let found = try await sql.raw("""
            SELECT b.grid_code, b.name, d.name AS grid_name FROM buildings b JOIN divisions d ON d.code = b.grid_code
            WHERE b.grid_code LIKE \(bind: scope + "%") ORDER BY b.grid_code, b.name LIMIT 1
            """).first()
        let row = try #require(found, "no building in \(scope)")
        return Fixture(gridCode: try row.decode(column: "grid_code", as: String.self), gridName: try row.decode(column: "grid_name", as: String.self),
                       building: try row.decode(column: "name", as: String.self))
    }

    static let header = ["姓名", "公民身份号码", "性别", "出生日期", "联系电话", "户号", "房号", "与户主关系", "楼栋", "网格", "户籍类型", "标签"]

    /// Person `i` of household `i / 3`: the first of each household is its head.
    func row(_ i: Int, household: String? = nil) throws -> [String] {
        let birth = try #require(CivilDate(year: 1950 + i % 50, month: 1 + i % 12, day: 1 + i % 28))
        let id = CitizenID.make(region: "321203", birth: birth, sequence: (i * 7) % 1000)
        let sex = try #require(Int(String(Array(id)[16]))) % 2 == 1 ? "男" : "女"
        return ["测试\(["甲", "乙", "丙", "丁"][i % 4])\(["一", "二", "三", "四", "五"][i / 4 % 5])", id, sex, birth.description,
                "1390000\(String(format: "%04d", i % 10000))", household ?? "IMP-\(i / 3)", "\(i / 3 + 1)室", i % 3 == 0 ? "户主" : "子女",
                building, gridName, "户籍", i % 5 == 0 ? "党员" : ""]
    }
}

func writeCSV(_ rows: [[String]], to path: String) throws {
    let w = try CSVWriter(path: path)
    for r in rows { try w.write(r) }
    try w.close()
}

func writeXLSX(_ rows: [[String]], to path: String) throws {
    let w = try XLSXWriter(path: path, sheetName: "Sheet1", columnWidths: [])
    try w.header(rows[0])
    for r in rows.dropFirst() { try w.row(text: r) }
    try w.close()
}

/// An .xlsx made part by part, for the files Excel makes and our writer does not (merges, formulas, shared strings).
func writeRawXLSX(sheet: String, sharedStrings: String? = nil, to path: String, compress: Bool = true) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    var parts: [(String, String)] = [
        ("[Content_Types].xml", #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
        ("xl/workbook.xml", #"<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", #"<Relationships><Relationship Id="rId1" Target="worksheets/data.xml"/></Relationships>"#),
        ("xl/worksheets/data.xml", sheet),
    ]
    if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
    for (name, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: compress ? .deflate : .none) { p, n in
            data.subdata(in: Int(p)..<Int(p) + n)
        }
    }
}

func inlineRow(_ r: Int, _ cells: [String]) -> String {
    "<row r=\"\(r)\">" + cells.enumerated().map { i, v in
        v.isEmpty ? "" : "<c r=\"\(XLSXWriter.columnName(i))\(r)\" t=\"inlineStr\"><is><t>\(v)</t></is></c>"
    }.joined() + "</row>"
}

/// An import's state as the API reports it while it is checked and carried out.
fileprivate struct ImportState: Decodable {
    struct Problem: Decodable { var row: Int; var column: String }
    var status: String
    var newResidents: Int?
    var badRows: Int?
    var imported: Int?
    var problems: [Problem]?
}

@Suite("Import and export of the registry", .serialized)
struct ImportTests {
    func engine(_ app: Application, scope: String = "321271002001") -> ResidentImport {
        ResidentImport(app.db, cipher: testCipher, today: testToday, scope: RegistryScope(validatedCode: scope))
    }

    @Test("a clean CSV goes in on commit, all rows; importing it again changes nothing")
    func cleanAndIdempotent() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                let path = dir + "people.csv"
                try writeCSV([Fixture.header] + (0..<30).map { try f.row($0) }, to: path)
                let before = try await app.rowCount("residents"), audits = try await app.rowCount("audit_log")
                let plan = try await engine(app).validate(file: path)
                #expect(plan.rows == 30 && plan.badRows == 0 && plan.newResidents == 30 && plan.newHouseholds == 10)
                #expect(try await app.rowCount("residents") == before, "validation writes nothing")
                let result = try await engine(app).commit(plan, by: .system("test"))
                #expect(result.residents == 30 && result.households == 10)
                #expect(try await app.rowCount("residents") == before + 30)
                #expect(try await app.rowCount("audit_log") == audits + 1)
                let again = try await engine(app).validate(file: path)
                #expect(again.unchanged == 30 && again.newResidents == 0 && again.badRows == 0)
                _ = try await engine(app).commit(again, by: .system("test"))
                #expect(try await app.rowCount("residents") == before + 30)
                #expect(try await app.rowCount("households") >= 10)
                // The numbers went in encrypted, and read back through the blind index.
                let one = try await ResidentQueries(app.db, cipher: testCipher, today: testToday).find(idNumber: try f.row(4)[1], in: .everything)
                #expect(try one?.name == f.row(4)[0] && one?.householdNumber == "IMP-1" && one?.tags == "")
            }
        }
    }

    @Test("every bad row is reported with its row, column and a Chinese reason; good rows only on commit")
    func badRows() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                var rows = try [Fixture.header] + (0..<6).map { try f.row($0) }
                var badCheck = try f.row(10); badCheck[1] = String(badCheck[1].dropLast()) + (badCheck[1].last == "1" ? "2" : "1")
                var badSex = try f.row(11); badSex[2] = badSex[2] == "男" ? "女" : "男"
                var badBirth = try f.row(12); badBirth[3] = "1901-01-01"
                var badGrid = try f.row(13); badGrid[9] = "不存在的网格"
                var badBuilding = try f.row(14); badBuilding[8] = "没有这栋楼"
                let duplicate = try f.row(2)
                var secondHead = try f.row(15, household: "IMP-0"); secondHead[7] = "户主"; secondHead[6] = "1室"
                rows += [badCheck, badSex, badBirth, badGrid, badBuilding, duplicate, secondHead, [], ["", "", ""]]
                let path = dir + "bad.csv"
                try writeCSV(rows, to: path)
                let before = try await app.rowCount("residents")
                let plan = try await engine(app).validate(file: path)
                #expect(plan.rows == 13, "empty rows are skipped")
                #expect(plan.badRows == 7)
                let byRow = Dictionary(grouping: plan.problems, by: \.row)
                #expect(byRow[8]?.first?.column == "公民身份号码" && byRow[8]?.first?.message.contains("校验码") == true)
                #expect(byRow[9]?.first?.column == "性别")
                #expect(byRow[10]?.first?.column == "出生日期")
                #expect(byRow[11]?.first?.column == "网格")
                #expect(byRow[12]?.first?.column == "楼栋")
                #expect(byRow[13]?.first?.message == "与第4行的公民身份号码重复")
                #expect(byRow[14]?.first?.message.contains("已有户主") == true)
                #expect(try await app.rowCount("residents") == before)
                // The report is a real workbook with the same rows.
                try RegistryExport.writeReport(plan, to: dir + "report.xlsx")
                var reported: [SheetRow] = []
                try SheetFile.read(dir + "report.xlsx") { reported.append($0) }
                #expect(reported.first?.cells == ["行号", "列", "问题"])
                #expect(reported.count == plan.problems.count + 1 && reported[1].cells[0] == "8")
                let result = try await engine(app).commit(plan, by: .system("test"))
                #expect(result.residents == 6)
                #expect(try await app.rowCount("residents") == before + 6)
            }
        }
    }

    @Test("a community worker cannot import into another community")
    func scope() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let other = try await Fixture.load(app, scope: "321271003001")
                let path = dir + "other.csv"
                var row = try other.row(1)
                try writeCSV([Fixture.header + ["网格编码"], row + [other.gridCode]], to: path)
                let plan = try await engine(app, scope: "321271002001").validate(file: path)
                #expect(plan.badRows == 1 && plan.newResidents == 0)
                #expect(plan.problems.first?.message.contains("不在您的管辖范围内") == true)
                row[9] = other.gridName
                try writeCSV([Fixture.header, row], to: path)
                let byName = try await engine(app, scope: "321271002001").validate(file: path)
                #expect(byName.badRows == 1 && byName.problems.first?.column == "网格")
            }
        }
    }

    @Test("GB18030 CSV is read; mixed encodings are reported, not guessed")
    func encodings() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                let text = try ([Fixture.header] + (0..<3).map { try f.row($0) }).map { $0.joined(separator: ",") }.joined(separator: "\r\n")
                let gb = try #require(gb18030(text))
                #expect(gb != Data(text.utf8) && String(data: gb, encoding: .utf8) == nil, "really GB18030 bytes")
                _ = FileManager.default.createFile(atPath: dir + "gb.csv", contents: gb)
                let plan = try await engine(app).validate(file: dir + "gb.csv")
                #expect(plan.badRows == 0 && plan.newResidents == 3, "\(plan.problems.prefix(3))")
                let mixed = try gb + Data("\r\n".utf8) + Data(f.row(3).joined(separator: ",").utf8)
                _ = FileManager.default.createFile(atPath: dir + "mixed.csv", contents: mixed)
                let m = try await engine(app).validate(file: dir + "mixed.csv")
                #expect(m.badRows == 1 && m.problems.first?.row == 5 && m.problems.first?.message.contains("编码") == true, "\(m.problems.prefix(3))")
            }
        }
    }

    @Test("hostile and broken files: a clear refusal, nothing written")
    func hostileFiles() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let before = try await app.rowCount("residents")
                func refusal(_ name: String, _ data: Data? = nil) async -> SheetError? {
                    if let data { _ = FileManager.default.createFile(atPath: dir + name, contents: data) }
                    do { _ = try await engine(app).validate(file: dir + name); return nil } catch { return error as? SheetError }
                }
                // An executable renamed .xlsx.
                let elf = try Data(contentsOf: URL(fileURLWithPath: "/bin/true"))
                #expect(await refusal("program.xlsx", elf) == .executable)
                #expect(await refusal("notes.xlsx", Data("姓名,公民身份号码\n".utf8)) == .mismatch(extension: "xlsx", content: "文本（可能是 CSV）"))
                #expect(await refusal("old.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0])) == .legacyExcel)
                #expect(await refusal("photo.png", Data([0x89, 0x50, 0x4E, 0x47])) == .unsupportedType(".png"))
                #expect(await refusal("empty.csv", Data()) == .empty)
                // A zip bomb: 200 MB of one character in a sheet, a few hundred KB compressed.
                let bomb = dir + "bomb.xlsx"
                let archive = try Archive(url: URL(fileURLWithPath: bomb), accessMode: .create)
                let chunk = Data(repeating: 0x20, count: 1 << 20)
                try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(200 << 20), compressionMethod: .deflate) { (_: Int64, n: Int) in
                    chunk.prefix(n)
                }
                let bombSize = try #require(try FileManager.default.attributesOfItem(atPath: bomb)[.size] as? NSNumber)
                #expect(bombSize.intValue < 2 << 20)
                guard case .zipBomb = await refusal("bomb.xlsx") else { Issue.record("zip bomb not refused"); return }
                // A 2 GB file (sparse: no disk used) is refused by its size before it is read.
                let huge = dir + "huge.csv"
                _ = FileManager.default.createFile(atPath: huge, contents: Data("姓名\n".utf8))
                let h = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
                try h.truncate(atOffset: 2 << 30)
                try h.close()
                guard case .tooLarge = await refusal("huge.csv") else { Issue.record("2 GB file not refused"); return }
                // A workbook without the columns.
                try writeXLSX([["名称", "地址"], ["a", "b"]], to: dir + "nocols.xlsx")
                #expect(await refusal("nocols.xlsx") == .noHeader)
                try writeXLSX([["姓名", "户号"], ["a", "b"]], to: dir + "somecols.xlsx")
                guard case .missingColumns(let missing) = await refusal("somecols.xlsx") else { Issue.record("missing columns"); return }
                #expect(missing.contains("公民身份号码") && missing.contains("楼栋"))
                // A DTD (billion laughs) is refused, not expanded.
                try writeRawXLSX(sheet: #"<!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet><sheetData/></worksheet>"#, to: dir + "dtd.xlsx")
                guard case .corrupt = await refusal("dtd.xlsx") else { Issue.record("DTD not refused"); return }
                #expect(try await app.rowCount("residents") == before)
            }
        }
    }

    @Test("xlsx as Excel writes it: shared strings, merged household cells, formulas, empty rows")
    func excelShapes() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                // Shared strings for the header; 户号 and 楼栋 merged down over a household's three rows.
                let header = Fixture.header
                let shared = "<sst>" + header.map { "<si><t>\($0)</t></si>" }.joined() + "<si><r><t>测试</t></r><r><t>甲一</t></r><rPh><t>ce</t></rPh></si></sst>"
                let headerRow = "<row r=\"1\">" + header.indices.map { "<c r=\"\(XLSXWriter.columnName($0))1\" t=\"s\"><v>\($0)</v></c>" }.joined() + "</row>"
                var rows = [headerRow]
                for i in 0..<3 {
                    var cells = try f.row(i)
                    if i > 0 { cells[5] = ""; cells[8] = "" }
                    if i == 0 { cells[0] = "" }
                    var xml = inlineRow(i + 2, cells)
                    if i == 0 { xml = xml.replacingOccurrences(of: "<row r=\"2\">", with: "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>\(header.count)</v></c>") }
                    rows.append(xml)
                }
                rows.append("<row r=\"7\"></row>")  // an empty row
                var withFormula = try inlineRow(9, f.row(3))
                withFormula = withFormula.replacingOccurrences(of: "<c r=\"E9\" t=\"inlineStr\"><is><t>\(try f.row(3)[4])</t></is></c>",
                                                               with: "<c r=\"E9\"><f>1+1</f><v>2</v></c>")
                rows.append(withFormula)
                let sheet = "<worksheet><sheetData>" + rows.joined() + "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"F2:F4\"/><mergeCell ref=\"I2:I4\"/></mergeCells></worksheet>"
                try writeRawXLSX(sheet: sheet, sharedStrings: shared, to: dir + "excel.xlsx")
                let plan = try await engine(app).validate(file: dir + "excel.xlsx")
                #expect(plan.rows == 4)
                #expect(plan.newResidents == 3 && plan.newHouseholds == 1, "merged 户号 and 楼栋 apply to every row of the range")
                #expect(plan.badRows == 1 && plan.problems.first?.row == 9 && plan.problems.first?.column == "联系电话"
                        && plan.problems.first?.message.contains("公式") == true)
                _ = try await engine(app).commit(plan, by: .system("test"))
                let first = try await ResidentQueries(app.db, cipher: testCipher, today: testToday).find(idNumber: try f.row(0)[1], in: .everything)
                #expect(first?.name == "测试甲一", "rich text runs joined, phonetic run left out")
            }
        }
    }

    @Test("10,000 bad rows: each reported, nothing written, the report downloadable")
    func manyBadRows() async throws {
        try await withTestApp(residents: 300) { app in
            try await withScratch { dir in
                let f = try await Fixture.load(app)
                let rows = try [Fixture.header] + (0..<10_000).map { i -> [String] in var r = try f.row(i); r[1] = "32120319800101\(String(format: "%04d", i))"; r[2] = ""; r[3] = ""; return r }
                try writeXLSX(rows, to: dir + "bad.xlsx")
                let before = try await app.rowCount("residents")
                let plan = try await engine(app).validate(file: dir + "bad.xlsx")
                #expect(plan.rows == 10_000 && plan.badRows >= 9_000)
                #expect(plan.problems.allSatisfy { $0.column == "公民身份号码" })
                _ = try await engine(app).commit(plan, by: .system("test"))
                #expect(try await app.rowCount("residents") == before + plan.newResidents)
                try RegistryExport.writeReport(plan, to: dir + "report.xlsx")
                var n = 0
                try SheetFile.read(dir + "report.xlsx") { _ in n += 1 }
                #expect(n == plan.problems.count + 1)
            }
        }
    }

    @Test("export then import into an empty database gives the same registry and the same export")
    func roundTrip() async throws {
        try await withScratch { dir in
            var firstStats: RegistryStats?
            try await withTestApp(residents: 600) { app in
                let export = RegistryExport(app.db, cipher: testCipher, scope: .everything)
                #expect(try await export.residents(to: dir + "full.csv", full: true, by: .system("test")) > 600)
                _ = try await export.residents(to: dir + "full.xlsx", full: true, by: .system("test"))
                _ = try await export.residents(to: dir + "masked.csv", full: false, by: .system("test"))
                _ = try await AreaTransfer(app.db, scope: .everything).exportDivisions(to: dir + "divisions.geojson", by: .system("test"))
                _ = try await AreaTransfer(app.db, scope: .everything).exportBuildings(to: dir + "buildings.xlsx", by: .system("test"))
                firstStats = try await RegistryStats.compute(on: app.db, today: testToday)
                let masked = try String(contentsOfFile: dir + "masked.csv", encoding: .utf8)
                let fullText = try String(contentsOfFile: dir + "full.csv", encoding: .utf8)
                let someID = String(fullText.split(separator: "\r\n")[1].split(separator: ",")[1])
                #expect(someID.count == 18 && masked.contains("********") && !masked.contains(someID))
                #expect(try await app.rowCount("audit_log") > 0)
            }
            for source in ["full.csv", "full.xlsx"] {
                try await withTestApp(residents: 0) { app in
                    let area = AreaTransfer(app.db, scope: .everything)
                    #expect(try await area.importDivisions(file: dir + "divisions.geojson", by: .system("test")).created > 180)
                    #expect(try await area.importBuildings(file: dir + "buildings.xlsx", by: .system("test")).created > 0)
                    let importer = ResidentImport(app.db, cipher: testCipher, today: testToday, scope: .everything)
                    let plan = try await importer.validate(file: dir + source)
                    #expect(plan.badRows == 0, "\(plan.problems.prefix(3))")
                    _ = try await importer.commit(plan, by: .system("test"))
                    #expect(try await RegistryStats.compute(on: app.db, today: testToday) == firstStats)
                    _ = try await RegistryExport(app.db, cipher: testCipher, scope: .everything).residents(to: dir + "again.csv", full: true, by: .system("test"))
                    #expect(FileManager.default.contents(atPath: dir + "again.csv") == FileManager.default.contents(atPath: dir + "full.csv"))
                    // Areas again: nothing new.
                    #expect(try await area.importDivisions(file: dir + "divisions.geojson", by: .system("test")).created == 0)
                }
            }
        }
    }

    @Test("the written .xlsx is a workbook: header bold and frozen, numbers as numbers")
    func writerShape() async throws {
        try await withScratch { dir in
            let w = try XLSXWriter(path: dir + "t.xlsx", sheetName: "表", columnWidths: [10, 20])
            try w.header(["名称", "数"])
            try w.row([.text("a<&>\"'"), .number(32.5)])
            try w.close()
            let archive = try Archive(url: URL(fileURLWithPath: dir + "t.xlsx"), accessMode: .read)
            var sheet = Data()
            _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
            #expect(xml.contains(#"<c r="B2"><v>32.5</v></c>"#) && xml.contains(#"<c r="A1" s="1" t="inlineStr">"#))
            var rows: [[String]] = []
            try SheetFile.read(dir + "t.xlsx") { rows.append($0.cells) }
            #expect(rows == [["名称", "数"], ["a<&>\"'", "32.5"]])
            #expect(archive["xl/styles.xml"] != nil)
        }
    }

    @Test("upload page and API: multipart upload, check, report, confirm; others cannot see the job")
    func uploadFlow() async throws {
        try await withTestApp(residents: 300) { app in
            let f = try await Fixture.load(app)
            let csv = try ([Fixture.header] + (0..<9).map { try f.row($0) } + [{ var r = try f.row(20); r[2] = "?"; return r }()])
                .map { $0.joined(separator: ",") }.joined(separator: "\n")
            let upload = try await multipart(app, "/api/v1/imports/residents", file: "人员.csv", data: Data(csv.utf8))
            #expect(upload.status == .accepted)
            let id = try #require(upload.json["id"].string)
            var status = upload.json
            for _ in 0..<200 where status["status"].string == "checking" {
                try await Task.sleep(for: .milliseconds(20))
                status = try await app.call(.GET, "/api/v1/imports/\(id)").json
            }
            let checked = try status.decode(ImportState.self)
            #expect(checked.status == "checked" && checked.newResidents == 9 && checked.badRows == 1)
            #expect(checked.problems?.first?.row == 11 && checked.problems?.first?.column == "性别")
            #expect(try await app.call(.GET, "/api/v1/imports/\(id)", as: .otherWorker).status == .notFound)
            let report = try await app.call(.GET, "/api/v1/imports/\(id)/report")
            #expect(report.status == .ok && report.body.starts(with: [0x50, 0x4B]))
            let before = try await app.rowCount("residents")
            #expect(try await app.call(.POST, "/api/v1/imports/\(id)/confirm", json: [String: String]()).status == .accepted)
            for _ in 0..<200 where status["status"].string != "done" {
                try await Task.sleep(for: .milliseconds(20))
                status = try await app.call(.GET, "/api/v1/imports/\(id)").json
            }
            #expect(try status.decode(ImportState.self).imported == 9)
            #expect(try await app.rowCount("residents") == before + 9)
            #expect(try await app.call(.POST, "/api/v1/imports/\(id)/confirm", json: [String: String]()).status == .conflict)
            // Not a spreadsheet: a problem with the field, nothing started.
            let bad = try await multipart(app, "/api/v1/imports/residents", file: "x.xlsx", data: try Data(contentsOf: URL(fileURLWithPath: "/bin/true")))
            #expect(bad.status == .unprocessableEntity && bad.isProblem && bad.json.errorFields == ["file"])
            #expect(bad.json["detail"].string?.contains("可执行程序") == true)
            let json = try await app.call(.POST, "/api/v1/imports/residents", json: ["file": "x"])
            #expect(json.status == .unsupportedMediaType && json.isProblem)
            let street = try await multipart(app, "/api/v1/imports/residents", file: "a.csv", data: Data(csv.utf8), as: .street)
            #expect(street.status == .forbidden)
            let template = try await app.call(.GET, "/api/v1/imports/template")
            #expect(template.status == .ok && template.body.starts(with: [0x50, 0x4B]))
        }
    }

    func multipart(_ app: Application, _ path: String, file: String, data: Data, as user: TestUser = .worker) async throws -> APIResponse {
        let boundary = "linli-test-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += data
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .authorization, value: "Bearer \(try app.token(user))")
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let r = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }
}

/// GB18030 bytes of a text, made with iconv (as Excel on a Chinese Windows saves CSV).
func gb18030(_ text: String) -> Data? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
    p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    do { try p.run() } catch { return nil }
    input.fileHandleForWriting.write(Data(text.utf8))
    try? input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return p.terminationStatus == 0 ? data : nil
}

@Suite("Import page for community workers", .serialized)
struct ImportPageTests {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, contentType: String? = nil, body: Data? = nil) async throws -> APIResponse {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        let r = try await app.testing().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(data: $0) })
        return APIResponse(status: r.status, headers: r.headers, body: Data(buffer: r.body))
    }

    @Test("upload with the CSRF token, see the problems, confirm, see the result; no script; a forged form is refused")
    func pageFlow() async throws {
        try await withTestApp(residents: 300) { app in
            let token = try app.token(.worker)
            let f = try await Fixture.load(app)
            let form = try await send(app, .GET, "/console/import", token: token)
            #expect(form.status == .ok && form.text.contains("enctype=\"multipart/form-data\"") && !form.text.contains("<script"))
            let csrf = try #require(form.text.range(of: #"name="csrf" value=""#).map { String(form.text[$0.upperBound...].prefix { $0 != "\"" }) })
            var bad = try f.row(7); bad[1] = "123"
            let csv = try ([Fixture.header] + (0..<4).map { try f.row($0) } + [bad]).map { $0.joined(separator: ",") }.joined(separator: "\n")
            func multipart(_ csrf: String) -> Data {
                let b = "xyz"
                return Data("--\(b)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n--\(b)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名单.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(b)--\r\n".utf8)
            }
            let forged = try await send(app, .POST, "/console/import", token: token, contentType: "multipart/form-data; boundary=xyz", body: multipart("nope"))
            #expect(forged.status == .forbidden)
            let posted = try await send(app, .POST, "/console/import", token: token, contentType: "multipart/form-data; boundary=xyz", body: multipart(csrf))
            let location = try #require(posted.headers.first(name: .location))
            var page = try await send(app, .GET, location, token: token)
            for _ in 0..<200 where !page.text.contains("确认导入") {
                try await Task.sleep(for: .milliseconds(20))
                page = try await send(app, .GET, location, token: token)
            }
            #expect(page.text.contains("确认导入合格的 4 人") && page.text.contains("<td>6</td><td>公民身份号码</td>"))
            let before = try await app.rowCount("residents")
            let confirmed = try await send(app, .POST, location + "/confirm", token: token, contentType: "application/x-www-form-urlencoded",
                                           body: Data("csrf=\(try urlEncoded(csrf))".utf8))
            #expect(confirmed.status == .seeOther || confirmed.status == .found)
            for _ in 0..<200 where !page.text.contains("已导入") {
                try await Task.sleep(for: .milliseconds(20))
                page = try await send(app, .GET, location, token: token)
            }
            #expect(page.text.contains("已导入 4 人"))
            #expect(try await app.rowCount("residents") == before + 4)
            let other = try await send(app, .GET, location, token: try app.token(.otherWorker))
            #expect(other.status == .notFound)
        }
    }
}
