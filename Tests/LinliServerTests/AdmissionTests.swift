import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A second district officer (the leading group's 审定; the test user `district` does the 初审): their token.
    func admissionLeader() async throws -> String {
        let hash = try await password.async.hash(TestUser.password)
        let account = try await AccountQueries(db).create(username: "leader", displayName: "领导小组", role: Role.districtOfficer.rawValue,
                                                          divisionCode: DemoDistrict.districtCode, passwordHash: hash,
                                                          totpCipher: try testCipher.seal(Base32.encode(testTOTPSecret)), by: .system("test"))
        let token = UUID().uuidString + UUID().uuidString
        _ = try await AccountQueries(db).openSession(account: account, tokenHash: LinliServer.Sessions.hash(token), ip: "127.0.0.1", now: test.clock.now,
                                                     lifetime: 3600, totpStep: nil, by: .system("test"))
        return token
    }

    static var admissionBody: [String: Any] {
        [
        "title": "就业失业登记月报", "content": "每月5日前报送本社区就业失业登记情况", "kind": "data", "basis": "《就业服务与就业管理规定》", "reach": "street",
        "street_code": "321271002000", "frequency": "monthly", "valid_from": "2026-07-01", "valid_to": "2027-06-30", "staff": "公益性岗位1名",
        "funds_fen": 600_000, "power": "",
        ]
    }

    /// A task applied for by the department `dept` (CG) through the API: its id and version.
    func admissionApply(_ body: [String: Any] = Application.admissionBody) async throws -> (id: String, version: Int) {
        let r = try await call(.POST, "/api/v1/admission/tasks", json: body, as: .dept)
        #expect(r.status == .created, "\(r.text)")
        return (try #require(r.json["task"]["id"].string, "\(r.text)"), try #require(r.json["task"]["version"].int))
    }

    func admissionStep(_ id: String, _ step: String, decision: String? = nil, note: String? = nil, version: Int, as user: TestUser = .district,
                       token: String? = nil) async throws -> APIResponse {
        var body: [String: Any] = ["version": version]
        if let decision { body["decision"] = decision }
        if let note { body["note"] = note }
        return try await call(.POST, "/api/v1/admission/tasks/\(id)/\(step)", json: body, as: user, token: token)
    }

    /// Applies, submits, passes the 初审 (as `district`) and admits (as the leader): the task's id.
    func admittedTask(leader: String, _ body: [String: Any] = Application.admissionBody) async throws -> String {
        let (id, v) = try await admissionApply(body)
        let s = try await admissionStep(id, "submit", version: v, as: .dept)
        #expect(s.status == .ok, "\(s.text)")
        let p = try await admissionStep(id, "review", decision: "pass", version: v + 1)
        #expect(p.status == .ok, "\(p.text)")
        let a = try await admissionStep(id, "decide", decision: "admit", note: "按月报送", version: v + 2, token: leader)
        #expect(a.status == .ok && a.json["task"]["status"].string == "admitted", "\(a.text)")
        return id
    }
}

@Suite("事项准入: the API", .serialized)
struct AdmissionTests {
    @Test("an application: bad input refused at its field with nothing written; only a department applies; the department sees its own")
    func application() async throws {
        try await withTestApp(residents: 300) { app in
            for bad in [Int64.min, -1, Int64.max] as [Int64] {
                var body = Application.admissionBody
                body["funds_fen"] = bad
                let r = try await app.call(.POST, "/api/v1/admission/tasks", json: body, as: .dept)
                #expect(r.status == .unprocessableEntity && r.isProblem && r.json.errorFields == ["funds_fen"], "\(bad): \(r.text)")
            }
            var huge = Application.admissionBody
            huge["funds_fen"] = 1e300
            let h = try await app.call(.POST, "/api/v1/admission/tasks", json: huge, as: .dept)
            #expect(h.status.code >= 400 && h.status.code < 500, "\(h.text)")
            var early = Application.admissionBody
            early["valid_to"] = "2026-06-01"
            #expect(try await app.call(.POST, "/api/v1/admission/tasks", json: early, as: .dept).json.errorFields == ["valid_to"])
            var unknown = Application.admissionBody
            unknown["reach"] = "list"
            unknown["communities"] = ["321271099001"]
            let u = try await app.call(.POST, "/api/v1/admission/tasks", json: unknown, as: .dept)
            #expect(u.status == .unprocessableEntity && u.json.errorFields == ["communities"], "\(u.text)")
            #expect(try await app.call(.POST, "/api/v1/admission/tasks", rawBody: "x", contentType: "text/plain", as: .dept).status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/admission/tasks", json: Application.admissionBody, as: .district).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/admission/tasks", json: Application.admissionBody, as: .worker).status == .forbidden)
            #expect(try await app.rowCount("admission_tasks") == 0)
            #expect(try await app.rowCount("admission_task_communities") == 0)

            let (id, _) = try await app.admissionApply()
            let file = try await app.call(.GET, "/api/v1/admission/tasks/\(id)", as: .dept)
            #expect(file.status == .ok && file.json["task"]["status"].string == "draft", "\(file.text)")
            let communities = file.json["communities"].array.compactMap(\.string)
            #expect(!communities.isEmpty && communities.allSatisfy { $0.hasPrefix("321271002") }, "a street's communities: \(communities)")
            // A draft is the department's: a worker does not see it, nor does it reach the 准入清单.
            let seen = try await app.call(.GET, "/api/v1/admission/tasks/\(id)", as: .worker)
            #expect(seen.status == .notFound, "\(seen.text)")
            let list = try await app.call(.GET, "/api/v1/admission/list", as: .anonymous)
            #expect(list.status == .ok && list.json["total"].int == 0, "\(list.text)")
            #expect(try await app.call(.GET, "/api/v1/admission/tasks/not-a-uuid", as: .dept).status == .badRequest)
        }
    }

    @Test("the review: submitted, 初审 by one district account, 审定 by another; the 准入清单 and the seam see it; each step audited")
    func review() async throws {
        try await withTestApp(residents: 300) { app in
            let leader = try await app.admissionLeader()
            let (id, v) = try await app.admissionApply()
            // No 初审 of a draft; no 审定 before the 初审.
            let early = try await app.admissionStep(id, "review", decision: "pass", version: v)
            #expect(early.status == .conflict && early.json.errorFields == ["status"], "\(early.text)")
            #expect(try await app.admissionStep(id, "submit", version: v, as: .dept).status == .ok)
            let skip = try await app.admissionStep(id, "decide", decision: "admit", version: v + 1, token: leader)
            #expect(skip.status == .conflict, "\(skip.text)")
            #expect(try await app.admissionStep(id, "review", decision: "pass", version: v + 1, as: .dept).status == .forbidden)
            let stale = try await app.admissionStep(id, "review", decision: "pass", version: v)
            #expect(stale.status == .conflict, "\(stale.text)")
            let bad = try await app.admissionStep(id, "review", decision: "admit", version: v + 1)
            #expect(bad.status == .unprocessableEntity && bad.json.errorFields == ["decision"], "\(bad.text)")
            #expect(try await app.admissionStep(id, "review", decision: "pass", version: v + 1).status == .ok)
            // Four eyes: the account that did the 初审 cannot do the 审定.
            let same = try await app.admissionStep(id, "decide", decision: "admit", version: v + 2)
            #expect(same.status == .conflict && same.json.errorFields == ["status"], "\(same.text)")
            let done = try await app.admissionStep(id, "decide", decision: "admit", note: "按月报送，不得另行增加报表", version: v + 2, token: leader)
            #expect(done.status == .ok && done.json["task"]["status"].string == "admitted" && done.json["task"]["decided_by"].string == "leader", "\(done.text)")
            #expect(done.json["steps"].array.compactMap { $0["action"].string } == ["submit", "pass", "admit"], "\(done.text)")

            let uuid = try #require(UUID(uuidString: id))
            let seam = try #require(try await AdmittedTasks.find(uuid, on: app.db))
            #expect(seam.kind == "data" && seam.departmentCode == "CG" && seam.validFrom == CivilDate("2026-07-01"))
            let list = try await app.call(.GET, "/api/v1/admission/list", as: .anonymous)
            #expect(list.status == .ok && list.json["total"].int == 1 && list.json["items"][0]["created_by"].string == "", "\(list.text)")
            let portal = try await app.page("/notices/admission", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("就业失业登记月报") && portal.text.contains("每个村/社区每年6000.00元"), "\(portal.text.prefix(300))")
            #expect(try await app.call(.GET, "/api/v1/admission/tasks/\(id)", as: .worker).status == .ok, "an admitted task is everyone's")

            let audited = try await app.sql().raw("SELECT action FROM audit_log WHERE action LIKE 'admission.%'").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(Set(audited) == ["admission.apply", "admission.submit", "admission.pass", "admission.admit"], "\(audited)")
        }
    }

    @Test("sent back: a reason is required; the department amends (stale version 409) and resubmits; a refusal needs a reason and ends it")
    func sendBack() async throws {
        try await withTestApp(residents: 300) { app in
            let (id, v) = try await app.admissionApply()
            #expect(try await app.admissionStep(id, "submit", version: v, as: .dept).status == .ok)
            let noReason = try await app.admissionStep(id, "review", decision: "send_back", version: v + 1)
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["note"], "\(noReason.text)")
            let back = try await app.admissionStep(id, "review", decision: "send_back", note: "请补充工作量测算", version: v + 1)
            #expect(back.status == .ok && back.json["task"]["status"].string == "returned", "\(back.text)")
            var amended = Application.admissionBody
            amended["staff"] = "公益性岗位1名，每月约8个工时"
            amended["version"] = v + 1
            let stale = try await app.call(.PATCH, "/api/v1/admission/tasks/\(id)", json: amended, as: .dept)
            #expect(stale.status == .conflict, "\(stale.text)")
            amended["version"] = v + 2
            let edited = try await app.call(.PATCH, "/api/v1/admission/tasks/\(id)", json: amended, as: .dept)
            #expect(edited.status == .ok && edited.json["task"]["staff"].string == "公益性岗位1名，每月约8个工时", "\(edited.text)")
            #expect(try await app.admissionStep(id, "submit", version: v + 3, as: .dept).status == .ok)
            let refusedNoReason = try await app.admissionStep(id, "review", decision: "refuse", version: v + 4)
            #expect(refusedNoReason.status == .unprocessableEntity && refusedNoReason.json.errorFields == ["note"])
            let refused = try await app.admissionStep(id, "review", decision: "refuse", note: "属部门职责，不得转嫁社区", version: v + 4)
            #expect(refused.status == .ok && refused.json["task"]["status"].string == "refused", "\(refused.text)")
            let after = try await app.call(.PATCH, "/api/v1/admission/tasks/\(id)", json: amended.merging(["version": v + 5]) { $1 }, as: .dept)
            #expect(after.status == .conflict, "\(after.text)")
            #expect(try await AdmittedTasks.find(try #require(UUID(uuidString: id)), on: app.db) == nil)
            let figures = try await app.call(.GET, "/api/v1/admission/departments", as: .district)
            let cg = figures.json.array.first { $0["code"].string == "CG" }
            #expect(figures.status == .ok && cg?["refused"].int == 1 && cg?["admitted"].int == 0, "\(figures.text)")
        }
    }

    @Test("a community: its admitted tasks, refusals of unadmitted tasks counted per department, funds arrived against promised, checks counted")
    func community() async throws {
        try await withTestApp(residents: 300) { app in
            let leader = try await app.admissionLeader()
            let id = try await app.admittedTask(leader: leader)
            var check = Application.admissionBody
            check["kind"] = "check"
            check["title"] = "消防安全检查考核"
            check["funds_fen"] = 0
            _ = try await app.admittedTask(leader: leader, check)
            let c = "321271002001"
            let push: [String: Any] = ["community_code": c, "department_code": "WM", "title": "创建迎检材料三天内报送", "pushed_on": "2026-06-20", "channel": "chat"]
            var future = push
            future["pushed_on"] = "2026-07-01"
            let f = try await app.call(.POST, "/api/v1/admission/pushes", json: future, as: .worker)
            #expect(f.status == .unprocessableEntity && f.json.errorFields == ["pushed_on"], "\(f.text)")
            var nobody = push
            nobody["department_code"] = "XX"
            #expect(try await app.call(.POST, "/api/v1/admission/pushes", json: nobody, as: .worker).json.errorFields == ["department_code"])
            var elsewhere = push
            elsewhere["community_code"] = "321271003001"
            #expect(try await app.call(.POST, "/api/v1/admission/pushes", json: elsewhere, as: .worker).status == .notFound)
            #expect(try await app.call(.POST, "/api/v1/admission/pushes", json: push, as: .dept).status == .forbidden)
            #expect(try await app.rowCount("admission_pushes") == 0)
            #expect(try await app.call(.POST, "/api/v1/admission/pushes", json: push, as: .worker).status == .created)

            let funds: [String: Any] = ["task_id": id, "community_code": c, "year": 2026, "amount_fen": 400_000, "received_on": "2026-03-01"]
            var negative = funds
            negative["amount_fen"] = Int64.min
            let n = try await app.call(.POST, "/api/v1/admission/funds", json: negative, as: .worker)
            #expect(n.status == .unprocessableEntity && n.json.errorFields == ["amount_fen"], "\(n.text)")
            var other = funds
            other["community_code"] = "321271003001"
            #expect(try await app.call(.POST, "/api/v1/admission/funds", json: other, as: .otherWorker).json.errorFields == ["task_id"], "not one of its communities")
            #expect(try await app.rowCount("admission_funds") == 0)
            #expect(try await app.call(.POST, "/api/v1/admission/funds", json: funds, as: .worker).status == .created)

            func view() async throws -> APIResponse { try await app.call(.GET, "/api/v1/admission/community?community=\(c)", as: .worker) }
            var v = try await view()
            #expect(v.status == .ok && v.json["tasks"].array.count == 2 && v.json["unadmitted_refused"].int == 1, "\(v.text)")
            let data = v.json["tasks"].array.first { $0["task"]["id"].string == id }
            #expect(data?["promised_fen"].int == 600_000 && data?["arrived_fen"].int == 400_000 && (data?["funds_executed"].raw as? Bool) == false, "\(v.text)")
            #expect(v.json["checks_and_plaques"].int == 0, "the check starts on 1 July, after today")
            var more = funds
            more["amount_fen"] = 200_000
            #expect(try await app.call(.POST, "/api/v1/admission/funds", json: more, as: .street).status == .created)
            v = try await view()
            #expect((v.json["tasks"].array.first { $0["task"]["id"].string == id }?["funds_executed"].raw as? Bool) == true, "\(v.text)")
            #expect(try await app.call(.GET, "/api/v1/admission/community?community=321271003001", as: .worker).status == .notFound)

            let figures = try await app.call(.GET, "/api/v1/admission/departments", as: .district)
            #expect(figures.json.array.first { $0["code"].string == "WM" }?["unadmitted"].int == 1, "\(figures.text)")
            #expect(figures.json.array.first { $0["code"].string == "CG" }?["admitted"].int == 2, "\(figures.text)")

            let ind = try await app.call(.GET, "/api/v1/indicators", as: .district)
            #expect(ind.status == .ok, "\(ind.text.prefix(300))")
            func reading(_ code: String) -> JSONValue? { ind.json["indicators"].array.first { $0["indicator"]["code"].string == code } }
            #expect(reading("admission.admitted")?["value"].double == 2, "\(String(describing: reading("admission.admitted")))")
            #expect(reading("admission.unadmitted")?["value"].double == 1)
            let executed = reading("admission.funds_executed")
            #expect(executed?["numerator"].double == 1 && (executed?["denominator"].double ?? 0) > 1, "\(String(describing: executed))")
        }
    }

    @Test("insertAdmitted makes a task like any admitted one: on the list, with a basis and a step saying how it was listed")
    func insertAdmitted() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await AdmittedTasks.insertAdmitted(department: "TJ", kind: "data", title: "人口抽样调查", validFrom: CivilDate("2026-01-01")!,
                                                            validTo: CivilDate("2026-12-31")!, communities: ["321271002001"], by: "test", on: app.db)
            let t = try await app.call(.GET, "/api/v1/admission/tasks/\(id)", as: .worker)
            #expect(t.status == .ok && t.json["task"]["status"].string == "admitted" && !(t.json["task"]["basis"].string ?? "").isEmpty, "\(t.text)")
            #expect(t.json["steps"].array.count == 1 && t.json["communities"].array.count == 1, "\(t.text)")
            let page = try await app.page("/console/admission/tasks/\(id)", as: .worker)
            #expect(page.status == .ok && page.text.contains("人口抽样调查"), "\(page.status)")
        }
    }

    @Test("two 审定 at once on the same version: one admits, the other is a 409; one step written")
    func raceDecide() async throws {
        try await withTestApp(residents: 300) { app in
            let leader = try await app.admissionLeader()
            let (id, v) = try await app.admissionApply()
            #expect(try await app.admissionStep(id, "submit", version: v, as: .dept).status == .ok)
            #expect(try await app.admissionStep(id, "review", decision: "pass", version: v + 1).status == .ok)
            async let a = app.admissionStep(id, "decide", decision: "admit", version: v + 2, token: leader)
            async let b = app.admissionStep(id, "decide", decision: "refuse", note: "重复", version: v + 2, token: leader)
            let statuses = [try await a.status, try await b.status].map(\.code).sorted()
            #expect(statuses == [200, 409], "\(statuses)")
            let decided = try await app.rowCount("admission_steps WHERE action IN ('admit', 'refuse')")
            #expect(decided == 1)
        }
    }

    @Test("the demo: applications of many departments in every state, refusals of unadmitted tasks, funds for most, indicators read")
    func demo() async throws {
        try await withTestApp(residents: 300) { app in
            let s = try await DemoAdmission.load(on: app.db, seed: 42, today: testToday, now: 1_782_777_600)
            #expect(s.tasks == 24 && s.admitted >= 12 && s.pushes > 0 && s.funds > 0, "\(s)")
            let departments = try await app.sql().raw("SELECT COUNT(DISTINCT department_code) AS n FROM admission_tasks").first()?.decode(column: "n", as: Int.self)
            #expect((departments ?? 0) >= 12)
            for status in ["admitted", "refused", "submitted", "reviewed", "draft"] {
                #expect(try await app.rowCount("admission_tasks WHERE status = '\(status)'") > 0, "\(status)")
            }
            #expect(try await app.rowCount("admission_steps WHERE action = 'send_back'") == 3)
            let list = try await app.page("/notices/admission", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("区退役军人事务局"), "\(list.status)")
            let ind = try await app.call(.GET, "/api/v1/indicators", as: .district)
            let executed = ind.json["indicators"].array.first { $0["indicator"]["code"].string == "admission.funds_executed" }
            let value = try #require(executed?["value"].double, "\(String(describing: executed))")
            #expect(value > 50 && value < 100, "most funds arrived, not all: \(value)")
            let checks = ind.json["indicators"].array.first { $0["indicator"]["code"].string == "admission.checks_plaques" }
            #expect((checks?["value"].double ?? 0) > 0, "\(String(describing: checks))")
            let overview = try await app.page("/console/admission", as: .district)
            #expect(overview.status == .ok && overview.text.contains("区文明办"), "\(overview.status)")
        }
    }
}
