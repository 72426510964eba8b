import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// The worker's community, and another street's (the other worker's); the test department is CG.
let reportsCommunity = "321271002001"
let reportsOtherCommunity = "321271003001"

extension Application {
    /// An admitted task of the test department (CG) for the two communities.
    func reportsTask(kind: String = "data", department: String = "CG", communities: [String] = [reportsCommunity, reportsOtherCommunity]) async throws -> UUID {
        try await AdmittedTasks.insertAdmitted(department: department, kind: kind, title: "市容环境数据报表", validFrom: CivilDate(year: 2026, month: 1, day: 1)!,
                                               validTo: CivilDate(year: 2026, month: 12, day: 31)!, communities: communities, by: "test", on: db)
    }

    static var reportFields: [[String: Any]] {
        [["header": "常住人口", "kind": "measure", "measure": "registry.residents"],
         ["header": "60周岁以上老人", "kind": "measure", "measure": "registry.residents", "filters": ["age_min": "60"]],
         ["header": "户数", "kind": "measure", "measure": "registry.households"],
         ["header": "巡查发现问题（件）", "kind": "number"]]
    }

    func reportBody(task: UUID?, fields: [[String: Any]] = Application.reportFields, title: String = "市容环境月报") -> [String: Any] {
        var b: [String: Any] = ["title": title, "reference_date": "2026-05-31", "due_date": "2026-07-10", "fields": fields]
        if let task { b["task_id"] = task.uuidString }
        return b
    }

    /// A form published by the department; returns its id.
    func reportForm(fields: [[String: Any]] = Application.reportFields) async throws -> String {
        let task = try await reportsTask()
        let r = try await call(.POST, "/api/v1/reports/forms", json: reportBody(task: task, fields: fields), as: .dept)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string, "\(r.text)")
    }

    /// Residents of a community on the registry today, counted independently of the catalogue.
    func activeResidents(_ community: String) async throws -> Int {
        let row = try await sql().raw("SELECT count(*) AS n FROM residents WHERE grid_code LIKE \(bind: community + "%") AND life_status = 'active'").first()
        return try #require(row).decode(column: "n", as: Int.self)
    }

    func auditCount(_ action: String) async throws -> Int {
        let row = try await sql().raw("SELECT count(*) AS n FROM audit_log WHERE action = \(bind: action)").first()
        return try #require(row).decode(column: "n", as: Int.self)
    }
}

@Suite("一表通: the API", .serialized)
struct ReportsTests {
    @Test("publishing: only under the department's admitted 数据报表 task; a field naming a missing measure or a filter it does not take is 422 at that field, nothing written")
    func publishing() async throws {
        try await withTestApp(residents: 300) { app in
            let task = try await app.reportsTask()
            func refused(_ body: [String: Any], _ fields: [String], status: HTTPResponseStatus = .unprocessableEntity) async throws {
                let r = try await app.call(.POST, "/api/v1/reports/forms", json: body, as: .dept)
                #expect(r.status == status && r.isProblem && r.json.errorFields == fields, "\(r.text)")
            }
            var f = Application.reportFields
            f[1]["measure"] = "registry.nothing"
            try await refused(app.reportBody(task: task, fields: f), ["fields[1].measure"])
            f = Application.reportFields
            f[1]["filters"] = ["colour": "red"]
            try await refused(app.reportBody(task: task, fields: f), ["fields[1].filters.colour"])
            f[1]["filters"] = ["age_min": "-3"]
            try await refused(app.reportBody(task: task, fields: f), ["fields[1].filters.age_min"])
            f = Application.reportFields
            f[0]["kind"] = "guess"
            try await refused(app.reportBody(task: task, fields: f), ["fields[0].kind"])
            try await refused(app.reportBody(task: UUID()), ["task_id"])
            try await refused(app.reportBody(task: try await app.reportsTask(kind: "service")), ["task_id"])
            try await refused(app.reportBody(task: try await app.reportsTask(department: "MZ")), ["task_id"])
            var late = app.reportBody(task: task)
            late["due_date"] = "2027-01-05"
            try await refused(late, ["due_date"])
            #expect(try await app.call(.POST, "/api/v1/reports/forms", json: app.reportBody(task: task), as: .worker).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/reports/forms", rawBody: "x", contentType: "text/plain", as: .dept).status == .unsupportedMediaType)
            #expect(try await app.rowCount("report_forms") == 0)

            let r = try await app.call(.POST, "/api/v1/reports/forms", json: app.reportBody(task: task), as: .dept)
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["automatic_share"].double == 75 && r.json["fields"][1]["filters"]["age_min"].string == "60", "\(r.text)")
            #expect(r.json["communities"].strings == [reportsCommunity, reportsOtherCommunity])
            let id = try #require(r.json["id"].string)
            // The department's own forms; each community sees the form; a street elsewhere does not.
            #expect(try await app.call(.GET, "/api/v1/reports/forms", as: .dept).json["total"].int == 1)
            let seen = try await app.call(.GET, "/api/v1/reports/forms/\(id)", as: .otherWorker)
            #expect(seen.status == .ok && seen.json["communities"].strings == [reportsOtherCommunity], "\(seen.text)")
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(id)", as: .street).json["communities"].strings == [reportsCommunity])
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(UUID())", as: .dept).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/reports/forms", as: .grid).status == .forbidden)
        }
    }

    @Test("a return: opened already filled from the registry as of the reference date, the typed field checked, submitted once (409 after, nothing written), frozen")
    func returns() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            let path = "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)"
            let residents = try await app.activeResidents(reportsCommunity)
            #expect(residents > 0)
            let open = try await app.call(.GET, path, as: .worker)
            #expect(open.status == .ok && open.json["status"].string == "not_started", "\(open.text)")
            #expect(open.json["values"][0].string == String(residents) && open.json["values"][3].isNull, "\(open.text)")
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns/\(reportsOtherCommunity)", as: .worker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns/321271002999", as: .dept).status == .notFound)

            let missing = try await app.call(.POST, path + "/submit", json: ["values": [NSNull(), NSNull(), NSNull(), NSNull()]], as: .worker)
            #expect(missing.status == .unprocessableEntity && missing.json.errorFields == ["values[3]"], "\(missing.text)")
            let typedAuto = try await app.call(.POST, path + "/submit", json: ["values": ["5", NSNull(), NSNull(), "3"]], as: .worker)
            #expect(typedAuto.status == .unprocessableEntity && typedAuto.json.errorFields == ["values[0]"], "\(typedAuto.text)")
            let huge = try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), "99999999999999999999"]], as: .worker)
            #expect(huge.status == .unprocessableEntity && huge.json.errorFields == ["values[3]"], "\(huge.text)")
            let float = try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), 1e300]], as: .worker)
            #expect(float.status == .badRequest, "\(float.text)")
            #expect(try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), 7]], as: .dept).status == .forbidden)
            #expect(try await app.rowCount("report_returns") == 0)

            let saved = try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), 7]], as: .worker)
            #expect(saved.status == .ok && saved.json["status"].string == "draft" && saved.json["values"][3].string == "7", "\(saved.text)")
            let done = try await app.call(.POST, path + "/submit", json: ["values": [NSNull(), NSNull(), NSNull(), "12"]], as: .worker)
            #expect(done.status == .ok && done.json["status"].string == "submitted" && done.json["values"][3].string == "12", "\(done.text)")
            #expect(done.json["values"][0].string == String(residents))
            let submits = try await app.auditCount("reports.submit")
            let again = try await app.call(.POST, path + "/submit", json: ["values": [NSNull(), NSNull(), NSNull(), "13"]], as: .worker)
            #expect(again.status == .conflict && again.isProblem && again.json.errorFields == ["status"], "\(again.text)")
            #expect(try await app.call(.PUT, path, json: ["values": [NSNull(), NSNull(), NSNull(), "13"]], as: .worker).status == .conflict)
            #expect(try await app.auditCount("reports.submit") == submits)

            // Frozen: a resident leaves the registry after the return was submitted; the return keeps its value.
            try await app.sql().raw("""
                UPDATE residents SET life_status = 'deceased' WHERE id = (SELECT id FROM residents WHERE grid_code LIKE \(bind: reportsCommunity + "%") AND life_status = 'active' ORDER BY id LIMIT 1)
                """).run()
            #expect(try await app.activeResidents(reportsCommunity) == residents - 1)
            let kept = try await app.call(.GET, path, as: .dept)
            #expect(kept.status == .ok && kept.json["values"][0].string == String(residents) && kept.json["values"][3].string == "12", "\(kept.text)")

            // Sent back with a comment; the community corrects and resubmits with the platform's value now.
            let noComment = try await app.call(.POST, path + "/send-back", json: ["comment": " "], as: .dept)
            #expect(noComment.status == .unprocessableEntity && noComment.json.errorFields == ["comment"], "\(noComment.text)")
            #expect(try await app.call(.POST, path + "/send-back", json: ["comment": "请核对"], as: .worker).status == .forbidden)
            let back = try await app.call(.POST, path + "/send-back", json: ["comment": "巡查问题数与台账不一致，请核对"], as: .dept)
            #expect(back.status == .ok && back.json["status"].string == "returned" && back.json["comment"].string == "巡查问题数与台账不一致，请核对", "\(back.text)")
            #expect(try await app.call(.POST, path + "/send-back", json: ["comment": "再退"], as: .dept).status == .conflict)
            let fixed = try await app.call(.POST, path + "/submit", json: ["values": [NSNull(), NSNull(), NSNull(), 10]], as: .worker)
            #expect(fixed.status == .ok && fixed.json["status"].string == "submitted" && fixed.json["values"][0].string == String(residents - 1), "\(fixed.text)")
            #expect(try await app.auditCount("reports.send_back") == 1)
        }
    }

    @Test("the department's table: communities × its columns, the open community prefilled; one .xlsx in its layout that openpyxl reads; audited")
    func table() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            let done = try await app.call(.POST, "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)/submit",
                                          json: ["values": [NSNull(), NSNull(), NSNull(), 4]], as: .worker)
            #expect(done.status == .ok, "\(done.text)")
            let t = try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns", as: .dept)
            #expect(t.status == .ok && t.json["columns"].strings == ["常住人口", "60周岁以上老人", "户数", "巡查发现问题（件）"], "\(t.text)")
            #expect(t.json["submitted"].int == 1 && t.json["rows"].array.count == 2)
            let other = t.json["rows"][1]
            #expect(other["community_code"].string == reportsOtherCommunity && other["status"].string == "not_started")
            let others = try await app.activeResidents(reportsOtherCommunity)
            #expect(other["values"][0].string == String(others), "\(t.text)")
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns", as: .worker).json["rows"].array.count == 1)

            let exports = try await app.auditCount("reports.export")
            let x = try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns.xlsx", as: .dept)
            #expect(x.status == .ok && x.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            #expect(try await app.auditCount("reports.export") == exports + 1)
            let file = NSTemporaryDirectory() + "report-\(UUID().uuidString).xlsx"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try x.body.write(to: URL(fileURLWithPath: file))
            let rows = try openpyxlRows(file)
            #expect(rows.first == ["村/社区", "填报状态", "常住人口", "60周岁以上老人", "户数", "巡查发现问题（件）"])
            #expect(rows.count == 3)
            let first = try #require(rows.dropFirst().first)
            let residents = try await app.activeResidents(reportsCommunity)
            #expect(first[1] == "已报送" && first[2] == "int:\(residents)" && first[5] == "int:4", "\(rows)")
        }
    }

    @Test("editing: in place before any return has started; a new version after, the old returns kept with the old version; stale versions 409")
    func versions() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            var body = app.reportBody(task: nil, title: "市容环境月报（修订）")
            body["version"] = 1
            let plain = try await app.call(.PATCH, "/api/v1/reports/forms/\(id)", json: body, as: .dept)
            #expect(plain.status == .ok && plain.json["id"].string == id && plain.json["version"].int == 2 && plain.json["version_no"].int == 1, "\(plain.text)")
            #expect(try await app.call(.PATCH, "/api/v1/reports/forms/\(id)", json: body, as: .dept).status == .conflict, "stale version")
            var badField = body
            badField["version"] = 2
            badField["fields"] = [["header": "x", "kind": "measure", "measure": "registry.residents", "filters": ["tag": "unicorn"]]]
            let refused = try await app.call(.PATCH, "/api/v1/reports/forms/\(id)", json: badField, as: .dept)
            #expect(refused.status == .unprocessableEntity && refused.json.errorFields == ["fields[0].filters.tag"], "\(refused.text)")

            let saved = try await app.call(.PUT, "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)", json: ["values": [NSNull(), NSNull(), NSNull(), 3]], as: .worker)
            #expect(saved.status == .ok, "\(saved.text)")
            body["version"] = 2
            body["fields"] = Array(Application.reportFields.prefix(3)) + [["header": "巡查发现问题", "kind": "number"], ["header": "备注", "kind": "text"]]
            let next = try await app.call(.PATCH, "/api/v1/reports/forms/\(id)", json: body, as: .dept)
            #expect(next.status == .ok && next.json["version_no"].int == 2 && next.json["fields"].array.count == 5, "\(next.text)")
            let newID = try #require(next.json["id"].string)
            #expect(newID != id)
            let old = try await app.call(.GET, "/api/v1/reports/forms/\(id)", as: .dept)
            #expect(old.json["status"].string == "superseded")
            let oldReturn = try await app.call(.GET, "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)", as: .worker)
            #expect(oldReturn.json["status"].string == "draft" && oldReturn.json["values"][3].string == "3", "\(oldReturn.text)")
            let late = try await app.call(.PUT, "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)", json: ["values": [NSNull(), NSNull(), NSNull(), 4]], as: .worker)
            #expect(late.status == .conflict, "\(late.text)")
            #expect(try await app.call(.GET, "/api/v1/reports/forms/\(newID)/returns/\(reportsCommunity)", as: .worker).json["status"].string == "not_started")
            #expect(try await app.call(.GET, "/api/v1/reports/forms", as: .dept).json["total"].int == 1)
            #expect(try await app.auditCount("reports.new_version") == 1)
        }
    }

    @Test("the share filled automatically per form and in total, and the hours saved, in the indicators")
    func indicators() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.reportForm()
            _ = try await app.call(.POST, "/api/v1/reports/forms/\(id)/returns/\(reportsCommunity)/submit", json: ["values": [NSNull(), NSNull(), NSNull(), 4]], as: .worker)
            let table = try await IndicatorQueries(app.db).compute(in: .everything, today: testToday, catalog: Capabilities.indicatorCatalog,
                                                                sources: Capabilities.indicatorSources)
            let district = try #require(table.divisions.first).code
            #expect(table.reading("reports.automatic_share", for: district)?.value == 75)
            #expect(table.reading("reports.automatic_share", for: reportsOtherCommunity)?.value == 75)
            #expect(table.reading("reports.hours_saved", for: reportsCommunity)?.value == 9.0 / 60, "3 automatic fields × 3 minutes")
            #expect(table.reading("reports.hours_saved", for: reportsOtherCommunity)?.value == 0)
        }
    }
}

/// The rows of the first sheet as openpyxl reads them: text as is, numbers as `int:n`.
func openpyxlRows(_ path: String) throws -> [[String]] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", """
        import json, sys, openpyxl
        ws = openpyxl.load_workbook(sys.argv[1]).active
        print(json.dumps([[("int:%d" % c) if isinstance(c, (int, float)) else ("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]))
        """, path]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "openpyxl could not read the file")
    return try JSONDecoder().decode([[String]].self, from: data)
}
