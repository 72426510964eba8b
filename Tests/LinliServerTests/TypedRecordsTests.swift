import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// Records carry their enum-valued columns as enums: a stored value the code does not know (written by
/// hand or by another program) makes the read fail as an internal error, never shown raw or defaulted.
@Suite("Typed records")
struct TypedRecordsTests {
    /// A 500 problem that does not repeat the stored value or name the code's types.
    func expectInternalError(_ r: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == .internalServerError, "\(r.text)", sourceLocation: sourceLocation)
        #expect(r.isProblem, sourceLocation: sourceLocation)
        #expect(r.json["detail"].string == "服务器内部错误，请稍后重试", sourceLocation: sourceLocation)
        for leak in ["bogus", "StoredValueError", "DecodingError"] {
            #expect(!r.text.contains(leak), "\(leak) in \(r.text)", sourceLocation: sourceLocation)
        }
    }

    @Test("a request's stored status and step: known values read as themselves, an unknown one is a 500")
    func requestStatus() async throws {
        try await withTestApp { app in
            let id = try #require(try await app.submitRequest()["id"].string)
            let uuid = try #require(UUID(uuidString: id))
            let sql = try app.sql()
            // A raw value that is not the case's name reads back as the same string.
            try await sql.raw("UPDATE requests SET status = 'in_progress' WHERE id = \(bind: uuid)").run()
            let known = try await app.call(.GET, "/api/v1/requests/\(id)")
            #expect(known.status == .ok, "\(known.text)")
            #expect(known.json["status"].string == "in_progress")
            #expect(known.json["status_label"].string == RequestStatus.inProgress.label)
            #expect(known.json["steps"][0]["action"].string == "report")
            #expect(known.json["steps"][0]["action_label"].string == "上报")

            try await sql.raw("UPDATE requests SET status = 'bogus' WHERE id = \(bind: uuid)").run()
            expectInternalError(try await app.call(.GET, "/api/v1/requests/\(id)"))
            expectInternalError(try await app.call(.GET, "/api/v1/requests"))
            await #expect(throws: StoredValueError.self) { try await app.requestQueries.find(id: uuid, in: .everything) }
            let page = try await app.page("/console/requests/\(id)")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("bogus"))

            try await sql.raw("UPDATE requests SET status = 'reported' WHERE id = \(bind: uuid)").run()
            #expect(try await app.call(.GET, "/api/v1/requests/\(id)").status == .ok)
            try await sql.raw("UPDATE request_steps SET action = 'bogus' WHERE request_id = \(bind: uuid)").run()
            expectInternalError(try await app.call(.GET, "/api/v1/requests/\(id)"))
        }
    }

    @Test("a resident's stored life status: a known value reads as itself, an unknown one is a 500 on the API and the console")
    func residentLifeStatus() async throws {
        try await withTestApp { app in
            let list = try await app.call(.GET, "/api/v1/residents?per_page=2")
            #expect(list.status == .ok)
            let items = list.json["items"].array
            try #require(items.count == 2)
            let moved = try #require(items[0]["id"].string), broken = try #require(items[1]["id"].string)
            let sql = try app.sql()
            try await sql.raw("UPDATE residents SET life_status = 'moved_out' WHERE id = \(bind: try #require(UUID(uuidString: moved)))").run()
            let known = try await app.call(.GET, "/api/v1/residents/\(moved)")
            #expect(known.status == .ok, "\(known.text)")
            #expect(known.json["life_status"].string == "moved_out")

            try await sql.raw("UPDATE residents SET life_status = 'bogus' WHERE id = \(bind: try #require(UUID(uuidString: broken)))").run()
            expectInternalError(try await app.call(.GET, "/api/v1/residents/\(broken)"))
            let page = try await app.page("/console/residents/\(broken)")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("bogus"))
        }
    }

    @Test("a division whose stored level is not known fails the read of it and of the tree")
    func divisionLevel() async throws {
        try await withTestApp { app in
            let sql = try app.sql()
            try await sql.raw("UPDATE divisions SET level = 'bogus' WHERE code = '321271002001001'").run()
            expectInternalError(try await app.call(.GET, "/api/v1/divisions/321271002001001"))
            expectInternalError(try await app.call(.GET, "/api/v1/divisions"))
        }
    }

    @Test("a care plan's stored services and an assessment's level: known values read as themselves, an unknown one is a 500")
    func carePlan() async throws {
        try await withTestApp(residents: 600) { app in
            let id = try await app.newPerson(born: "1948-02-02", sequence: 631)
            let meals: [String: Any] = ["service": "meals", "frequency": "on_call", "provider_kind": "facility", "provider_name": "社区助餐点"]
            let created = try await app.call(.PUT, "/api/v1/care/elders/\(id)/plan", json: ["services": [meals], "starts_on": "2026-06-01"])
            #expect(created.status == .created, "\(created.text)")
            let scores = Dictionary(uniqueKeysWithValues: BarthelItem.allCases.map { ($0.rawValue, $0.allowedScores.max() ?? 0) })
            let assessed = try await app.call(.POST, "/api/v1/care/elders/\(id)/assessments", json: ["scores": scores])
            #expect(assessed.status == .created, "\(assessed.text)")
            let file = try await app.call(.GET, "/api/v1/care/elders/\(id)")
            #expect(file.status == .ok, "\(file.text)")
            #expect(file.json["plan"]["services"][0]["frequency"].string == "on_call")
            #expect(file.json["plan"]["services"][0]["frequency_label"].string == CareFrequency.onCall.label)
            #expect(file.json["assessments"][0]["level"].string == "independent")

            let sql = try app.sql(), uuid = try #require(UUID(uuidString: id))
            try await sql.raw("UPDATE care_assessments SET level = 'bogus' WHERE resident_id = \(bind: uuid)").run()
            expectInternalError(try await app.call(.GET, "/api/v1/care/elders/\(id)"))
            try await sql.raw("UPDATE care_assessments SET level = 'independent' WHERE resident_id = \(bind: uuid)").run()
            #expect(try await app.call(.GET, "/api/v1/care/elders/\(id)").status == .ok)
            try await sql.raw("UPDATE care_plans SET services = \(bind: "[{\"frequency\":\"bogus\",\"provider_kind\":\"facility\",\"provider_name\":\"x\",\"service\":\"meals\"}]") WHERE resident_id = \(bind: uuid)").run()
            expectInternalError(try await app.call(.GET, "/api/v1/care/elders/\(id)"))
            let page = try await app.page("/console/care/\(id)")
            #expect(page.status == .internalServerError)
            #expect(!page.text.contains("bogus"))
        }
    }

    @Test("the step action of the trail keeps its raw values")
    func stepAction() {
        #expect(RequestStepAction(rawValue: "report") == .report)
        #expect(RequestStepAction(rawValue: "dispatch") == .action(.dispatch))
        #expect(RequestStepAction(rawValue: "bogus") == nil)
        for a in RequestAction.allCases { #expect(RequestStepAction.action(a).rawValue == a.rawValue) }
        #expect(RequestStepAction.report.rawValue == "report")
    }
}
