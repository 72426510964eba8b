import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A worker of `division` added by `user` (寺巷社区 by the street by default).
    func communityWorker(name: String = "王丽娟", division: String = "321271002001", post: String = "social_worker", account: String? = nil,
                         as user: TestUser = .street) async throws -> APIResponse {
        var body: [String: Any] = ["name": name, "post": post, "employment": "full_time", "division_code": division, "phone": "13912345678",
                                   "hired_on": "2020-03-01"]
        if let account { body["account"] = account }
        return try await call(.POST, "/api/v1/workers", json: body, as: user)
    }

    func addedWorker(name: String = "王丽娟", division: String = "321271002001", account: String? = nil, as user: TestUser = .street) async throws -> String {
        let r = try await communityWorker(name: name, division: division, account: account, as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string)
    }
}

@Suite("社工队伍: the API", .serialized)
struct WorkersTests {
    @Test("the register: added within the street, bad input at its field, the phone sealed and masked, the account linked once, stale 409")
    func register() async throws {
        try await withTestApp(residents: 300) { app in
            let created = try await app.communityWorker(account: "worker")
            #expect(created.status == .created && created.json["phone"].string == "139****5678" && created.json["account"].string == "worker", "\(created.text)")
            let id = try #require(created.json["id"].string), uuid = try #require(UUID(uuidString: id))
            let stored = try #require(try await app.sql().raw("SELECT phone_cipher FROM workers WHERE id = \(bind: uuid)").first())
            #expect(try stored.decode(column: "phone_cipher", as: Data.self).range(of: Data("13912345678".utf8)) == nil)

            let bad = try await app.call(.POST, "/api/v1/workers", json: ["name": "", "post": "chief", "division_code": "321271002001"], as: .street)
            #expect(bad.status == .unprocessableEntity && bad.isProblem && bad.json.errorFields == ["post"], "\(bad.text)")
            let missing = try await app.call(.POST, "/api/v1/workers", json: ["name": "", "division_code": "321271002001", "hired_on": "2027-01-01"], as: .street)
            #expect(missing.status == .unprocessableEntity && Set(missing.json.errorFields) == ["name", "post", "employment", "hired_on"], "\(missing.text)")
            let elsewhere = try await app.communityWorker(division: "321271003001")
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.json.errorFields == ["division_code"], "\(elsewhere.text)")
            let noAccount = try await app.communityWorker(name: "李四", account: "nobody")
            #expect(noAccount.status == .unprocessableEntity && noAccount.json.errorFields == ["account"], "\(noAccount.text)")
            let twice = try await app.communityWorker(name: "李四", account: "worker")
            #expect(twice.status == .conflict && twice.json.errorFields == ["account"], "\(twice.text)")
            #expect(try await app.communityWorker(as: .worker).status == .forbidden)
            let plain = try await app.call(.POST, "/api/v1/workers", rawBody: "x", contentType: "text/plain", as: .street)
            #expect(plain.status == .unsupportedMediaType)
            #expect(try await app.rowCount("workers") == 1)

            // Edit at the version read; the same version again is stale.
            let edit: [String: Any] = ["name": "王丽娟", "post": "deputy_director", "employment": "contract", "division_code": "321271002001", "version": 1,
                                       "title": "社工师", "registration_no": "JS0001", "registered_on": "2024-01-01", "registration_valid_to": "2026-08-31",
                                       "phone": "13912345678", "account": "worker"]
            let edited = try await app.call(.PATCH, "/api/v1/workers/\(id)", json: edit, as: .street)
            #expect(edited.status == .ok && edited.json["post"].string == "deputy_director" && edited.json["version"].int == 2, "\(edited.text)")
            let stale = try await app.call(.PATCH, "/api/v1/workers/\(id)", json: edit, as: .street)
            #expect(stale.status == .conflict, "\(stale.text)")
            var huge = edit
            huge["version"] = Int(Int64.max)
            #expect(try await app.call(.PATCH, "/api/v1/workers/\(id)", json: huge, as: .street).status == .conflict)

            // Scope: another street's officer does not find it; the district does; the list masks phones.
            #expect(try await app.call(.GET, "/api/v1/workers", as: .street).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/workers?division=321271003000", as: .district).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/workers?expiring=true", as: .district).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/workers?q=wlj", as: .district).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/workers", as: .worker).status == .forbidden)
            // A full view is audited.
            let before = try await app.rowCount("audit_log WHERE action = 'workers.view'")
            #expect(try await app.call(.GET, "/api/v1/workers/\(id)", as: .district).status == .ok)
            let phone = try await app.call(.GET, "/api/v1/workers/\(id)/phone", as: .district)
            #expect(phone.status == .ok && phone.json["phone"].string == "13912345678")
            #expect(try await app.rowCount("audit_log WHERE action = 'workers.view'") == before + 2)

            // The linked account reads its own record, read-only; an unlinked one finds none.
            let me = try await app.call(.GET, "/api/v1/workers/me", as: .worker)
            #expect(me.status == .ok && me.json["worker"]["name"].string == "王丽娟", "\(me.text)")
            #expect(try await app.call(.GET, "/api/v1/workers/me", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.PATCH, "/api/v1/workers/\(id)", json: edit, as: .worker).status == .forbidden)

            // Home tiles: the registration ending on 2026-08-31 (within 90 days) and last year's appraisal not done.
            let home = try await app.page("/console", as: .street)
            #expect(home.status == .ok && home.text.contains("社工注册90天内到期") && home.text.contains("2025年度未考核的社工"))
            let portal = try await app.page("/", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("href=\"/notices/workers\""))
            let own = try await app.page("/console", as: .worker)
            #expect(own.status == .ok && own.text.contains("/console/workers/me"))
        }
    }

    @Test("qualifications, training and appraisals: future dates, scores and hours out of range, a second appraisal of a year, another street's worker")
    func records() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.addedWorker()
            let other = try await app.addedWorker(name: "赵六", division: "321271003001", as: .district)
            func post(_ path: String, _ body: [String: Any], as user: TestUser = .street) async throws -> APIResponse {
                try await app.call(.POST, "/api/v1/workers/\(path)", json: body, as: user)
            }
            let future = try await post("\(id)/qualifications", ["level": "full", "certificate_no": "ZS2019001", "obtained_on": "2026-07-01"])
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["obtained_on"], "\(future.text)")
            let q = try await post("\(id)/qualifications", ["level": "full", "certificate_no": "ZS2019001", "obtained_on": "2019-06-01"])
            #expect(q.status == .created && q.json[0]["level"].string == "full", "\(q.text)")
            let again = try await post("\(id)/qualifications", ["level": "full", "certificate_no": "ZS2019002", "obtained_on": "2020-06-01"])
            #expect(again.status == .conflict && again.json.errorFields == ["level"], "\(again.text)")
            #expect(try await app.call(.GET, "/api/v1/workers?qualified=true", as: .street).json["total"].int == 1)

            for hours in [2001, -1, Int(Int64.min)] {
                let r = try await post("\(id)/training", ["year": 2025, "hours": hours])
                #expect(r.status == .unprocessableEntity && r.json.errorFields == ["hours"], "\(hours): \(r.text)")
            }
            #expect(try await post("\(id)/training", ["year": 2025, "hours": 1e300]).status == .badRequest)
            #expect(try await post("\(id)/training", ["year": 2025, "hours": 40]).status == .ok)
            let replaced = try await post("\(id)/training", ["year": 2025, "hours": 56])
            #expect(replaced.status == .ok && replaced.json[0]["hours"].int == 56 && replaced.json.array.count == 1, "\(replaced.text)")

            let outside = try await post("\(id)/appraisals", ["year": 2025, "scores": [80, 101]])
            #expect(outside.status == .unprocessableEntity && outside.json.errorFields == ["scores"], "\(outside.text)")
            let extreme = try await post("\(id)/appraisals", ["year": 2025, "scores": [Int(Int64.min), Int(Int64.max)]])
            #expect(extreme.status == .unprocessableEntity && extreme.json.errorFields == ["scores"], "\(extreme.text)")
            let mismatch = try await post("\(id)/appraisals", ["year": 2025, "scores": [80, 82, 84], "result": "excellent"])
            #expect(mismatch.status == .unprocessableEntity && mismatch.json.errorFields == ["result"], "\(mismatch.text)")
            let a = try await post("\(id)/appraisals", ["year": 2025, "scores": [92, 90, 94]])
            #expect(a.status == .created && a.json["result"].string == "excellent" && a.json["mean"].double == 92, "\(a.text)")
            let dup = try await post("\(id)/appraisals", ["year": 2025, "scores": [80, 80]])
            #expect(dup.status == .conflict && dup.json.errorFields == ["year"], "\(dup.text)")
            // Another street's worker is outside the street officer's scope: 404, as if it did not exist; nothing written.
            let foreign = try await post("\(other)/appraisals", ["year": 2025, "scores": [80, 80]])
            #expect(foreign.status == .notFound, "\(foreign.text)")
            #expect(try await app.rowCount("worker_appraisals") == 1)
            #expect(try await post("\(other)/appraisals", ["year": 2025, "scores": [80, 80]], as: .district).status == .created)

            // The grade: the district's scale; 社会工作师 +2, 优秀 +1 → grade 4 of the staff class.
            let scale: [String: Any] = ["grades": ["head": [600_000, 630_000, 660_000, 690_000, 720_000], "deputy": [500_000, 520_000, 540_000, 560_000, 580_000],
                                                   "staff": [400_000, 420_000, 440_000, 460_000, 480_000]],
                                        "steps": Dictionary(uniqueKeysWithValues: GradeStepReason.allCases.map { ($0.rawValue, PayScale.defaultSteps[$0]!) })]
            #expect(try await app.call(.PUT, "/api/v1/workers/pay-scale", json: scale, as: .street).status == .forbidden)
            var badScale = scale
            badScale["grades"] = ["head": [600_000, 500_000], "deputy": [1], "staff": [Int(Int64.max)]]
            let refused = try await app.call(.PUT, "/api/v1/workers/pay-scale", json: badScale, as: .district)
            #expect(refused.status == .unprocessableEntity && Set(refused.json.errorFields) == ["grades.head", "grades.staff"], "\(refused.text)")
            #expect(try await app.call(.PUT, "/api/v1/workers/pay-scale", json: scale, as: .district).status == .ok)
            let file = try await app.call(.GET, "/api/v1/workers/\(id)", as: .street)
            #expect(file.json["grade"].int == 4 && file.json["monthly_fen"].int == 460_000, "\(file.text)")
            #expect(file.json["grade_history"].array.map { $0["grade"].int } == [1, 3, 4])
        }
    }

    @Test("reserve lists: once at a time per list (409), the district's list for the district (403), removal kept with its reason")
    func reserves() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.addedWorker()
            let r = try await app.call(.POST, "/api/v1/workers/\(id)/reserves", json: ["level": "street", "reason": "年纪轻、成绩突出"], as: .street)
            #expect(r.status == .created && r.json["listed_by"].string == "street", "\(r.text)")
            let twice = try await app.call(.POST, "/api/v1/workers/\(id)/reserves", json: ["level": "street", "reason": "再列"], as: .street)
            #expect(twice.status == .conflict && twice.json.errorFields == ["level"], "\(twice.text)")
            #expect(try await app.call(.POST, "/api/v1/workers/\(id)/reserves", json: ["level": "district", "reason": "推荐"], as: .street).status == .forbidden)
            let noReason = try await app.call(.POST, "/api/v1/workers/\(id)/reserves", json: ["level": "district"], as: .district)
            #expect(noReason.status == .unprocessableEntity && noReason.json.errorFields == ["reason"])
            #expect(try await app.call(.GET, "/api/v1/workers/reserves", as: .street).json.array.count == 1)
            let rid = try #require(r.json["id"].string)
            #expect(try await app.call(.POST, "/api/v1/workers/reserves/\(rid)/removal", json: ["reason": "调离社区"], as: .street).status == .noContent)
            #expect(try await app.call(.POST, "/api/v1/workers/reserves/\(rid)/removal", json: ["reason": "再移"], as: .street).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/workers/reserves", as: .street).json.array.count == 0)
            let all = try await app.call(.GET, "/api/v1/workers/reserves?removed=true", as: .street)
            #expect(all.json[0]["removal_reason"].string == "调离社区", "\(all.text)")
        }
    }

    @Test("figures per community and the portal's list: names and posts, no phone")
    func figuresAndPortal() async throws {
        try await withTestApp(residents: 300) { app in
            let id = try await app.addedWorker()
            _ = try await app.addedWorker(name: "张三", division: "321271002001")
            _ = try await app.call(.POST, "/api/v1/workers/\(id)/qualifications", json: ["level": "assistant", "certificate_no": "ZS1", "obtained_on": "2019-06-01"], as: .street)
            _ = try await app.call(.POST, "/api/v1/workers/\(id)/appraisals", json: ["year": 2025, "scores": [50, 55]], as: .street)
            let f = try await app.call(.GET, "/api/v1/workers/figures", as: .street)
            #expect(f.status == .ok, "\(f.text)")
            let row = try #require(f.json.array.first { $0["code"].string == "321271002001" })
            #expect(row["workers"].int == 2 && row["qualified"].int == 1 && row["appraisals"]["incompetent"].int == 1 && (row["residents"].int ?? 0) > 0, "\(row)")
            #expect(try await app.call(.GET, "/api/v1/workers/figures?year=99999", as: .street).status == .badRequest)

            let portal = try await app.page("/notices/workers?community=321271002001", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("王丽娟") && portal.text.contains("社工"))
            #expect(!portal.text.contains("5678"))
            let api = try await app.call(.GET, "/api/v1/workers/public?community=321271002001", as: .anonymous)
            #expect(api.status == .ok && api.json.array.count == 2 && api.json[0]["phone"].string == nil, "\(api.text)")
            #expect(try await app.call(.GET, "/api/v1/workers/public?community=321271002999", as: .anonymous).status == .notFound)
            #expect(try await app.page("/notices/workers?community=abc", as: .anonymous).status == .notFound)

            // The plan's "近400人,其中具备专业技术职称19人" as live counts: one titled of three, one certified.
            _ = try await app.call(.POST, "/api/v1/workers", json: ["name": "孙七", "post": "member", "employment": "contract", "division_code": "321271002001",
                                                                  "title": "社工师"], as: .street)
            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            func reading(_ code: String) -> JSONValue { JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("workers.count")["numerator"].int == 3, "\(reading("workers.count").raw ?? "")")
            #expect(reading("workers.titled")["numerator"].int == 1)
            #expect(reading("workers.qualified_share")["numerator"].int == 1 && reading("workers.qualified_share")["denominator"].int == 3)
            #expect((reading("workers.per_1000")["value"].double ?? 0) > 0)

            // Report-once measures: by community, filtered, and the training hours of the reference date's year.
            _ = try await app.call(.POST, "/api/v1/workers/\(id)/training", json: ["year": 2026, "hours": 40], as: .street)
            let context = MeasureContext(db: app.db, date: testToday, cipher: testCipher)
            let communities = ["321271002001", "321271003001"]
            let values = try await Capabilities.measures.values([MeasureQuery(measure: "workers.count"), MeasureQuery(measure: "workers.count", filters: ["qualified": "yes"]),
                                                                 MeasureQuery(measure: "workers.count", filters: ["post": "member"]),
                                                                 MeasureQuery(measure: "workers.training_hours")], communities: communities, context: context)
            #expect(values == [["321271002001": 3], ["321271002001": 1], ["321271002001": 1], ["321271002001": 40]], "\(values)")
        }
    }
}
