import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

extension Application {
    /// A community-based organization filed (备案) in 寺巷社区 by its community worker.
    func filedOrganization(name: String = "寺巷社区夕阳红志愿服务队", as user: TestUser = .worker) async throws -> (id: String, version: Int) {
        let r = try await call(.POST, "/api/v1/organizations", json: [
            "name": name, "kind": "community", "field": "volunteer", "legal_person": "王建国", "phone": "13912345678",
            "founded_on": "2020-03-01", "registered_on": "2020-04-01", "division_code": "321271002001",
        ], as: user)
        #expect(r.status == .created, "\(r.text)")
        return (try #require(r.json["id"].string), try #require(r.json["version"].int))
    }

    /// A registered 社会团体 with a valid code, by the street.
    func registeredOrganization(code: String = "5132129153MEA76YF9", division: String = "321271002000") async throws -> APIResponse {
        try await call(.POST, "/api/v1/organizations", json: [
            "name": "寺巷街道老年人协会", "kind": "social_group", "field": "elderly", "credit_code": code, "legal_person": "李秀英", "phone": "0523-86881234",
            "founded_on": "2018-05-01", "registered_on": "2018-06-12", "division_code": division,
        ], as: .street)
    }

    /// A project of `organization` bought by the district: contract `fen`, term as given.
    func orgProject(_ organization: String, fen: Int = 100_000, starts: String = "2026-01-01", ends: String = "2026-12-31",
                    as user: TestUser = .district) async throws -> APIResponse {
        try await call(.POST, "/api/v1/organizations/projects", json: [
            "organization_id": organization, "title": "居家养老上门服务", "mode": "purchase", "buyer": "区民政局", "contract_fen": fen,
            "signed_on": "2025-12-20", "starts_on": starts, "ends_on": ends, "deliverables": "每月上门服务200人次",
        ], as: user)
    }

    func payment(_ project: String, fen: Int, date: String = "2026-06-30", people: Int = 10) async throws -> APIResponse {
        try await call(.POST, "/api/v1/organizations/projects/\(project)/milestones", json: [
            "description": "阶段服务完成", "on_date": date, "payment_fen": fen, "beneficiaries": people,
        ], as: .district)
    }
}

@Suite("社会组织: the API", .serialized)
struct OrganizationsTests {
    @Test("登记 and 备案: the credit code checked, a duplicate 409, bad input refused at its field and nothing written")
    func register() async throws {
        try await withTestApp(residents: 600) { app in
            // The community worker files; it may not register.
            let filed = try await app.filedOrganization()
            let code = try await app.call(.POST, "/api/v1/organizations", json: [
                "name": "x", "kind": "community", "field": "volunteer", "credit_code": "5132129153MEA76YF9", "legal_person": "王", "phone": "13912345678",
                "founded_on": "2020-03-01", "registered_on": "2020-04-01", "division_code": "321271002001"])
            #expect(code.status == .unprocessableEntity && code.isProblem && code.json.errorFields == ["credit_code"], "\(code.text)")
            let asWorker = try await app.call(.POST, "/api/v1/organizations", json: [
                "name": "x", "kind": "social_group", "field": "elderly", "credit_code": "5132129153MEA76YF9", "legal_person": "王", "phone": "13912345678",
                "founded_on": "2020-03-01", "registered_on": "2020-04-01", "division_code": "321271002001"])
            #expect(asWorker.status == .forbidden, "\(asWorker.text)")
            #expect(try await app.call(.POST, "/api/v1/organizations", json: ["name": "x"], as: .dept).status == .forbidden)
            let plain = try await app.call(.POST, "/api/v1/organizations", rawBody: "x", contentType: "text/plain", as: .street)
            #expect(plain.status == .unsupportedMediaType)

            let wrongCheck = try await app.registeredOrganization(code: "5132129153MEA76YF8")
            #expect(wrongCheck.status == .unprocessableEntity && wrongCheck.json.errorFields == ["credit_code"], "\(wrongCheck.text)")
            #expect(wrongCheck.json["errors"][0]["message"].string?.contains("第18位应为9") == true)
            let missing = try await app.call(.POST, "/api/v1/organizations", json: [
                "name": "某基金会", "kind": "foundation", "field": "charity", "legal_person": "王", "phone": "13912345678",
                "founded_on": "2027-01-01", "registered_on": "2020-04-01", "division_code": "321271999000"], as: .street)
            #expect(missing.status == .unprocessableEntity && Set(missing.json.errorFields) == ["credit_code", "founded_on", "registered_on"], "\(missing.text)")
            let badKind = try await app.call(.POST, "/api/v1/organizations", json: ["kind": "club"], as: .street)
            #expect(badKind.status == .unprocessableEntity && badKind.json.errorFields == ["kind"], "\(badKind.text)")
            let elsewhere = try await app.registeredOrganization(division: "321271003000")
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.json.errorFields == ["division_code"], "\(elsewhere.text)")
            #expect(try await app.rowCount("organizations") == 1)

            let registered = try await app.registeredOrganization()
            #expect(registered.status == .created && registered.json["credit_code"].string == "5132129153MEA76YF9" && registered.json["phone"].string == "052*******234",
                    "\(registered.text)")
            // The same code typed in lower case with spaces is the same code.
            let duplicate = try await app.registeredOrganization(code: "51321291 53mea76yf9")
            #expect(duplicate.status == .conflict && duplicate.json.errorFields == ["credit_code"], "\(duplicate.text)")
            #expect(try await app.rowCount("organizations") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.create'") == 2)
            let filedID = try #require(UUID(uuidString: filed.id))
            let stored = try #require(try await app.sql().raw("SELECT phone_cipher FROM organizations WHERE id = \(bind: filedID)").first())
            #expect(try stored.decode(column: "phone_cipher", as: Data.self).range(of: Data("13912345678".utf8)) == nil)

            // Scope: the street's organization is seen by its communities; another community sees neither.
            #expect(try await app.call(.GET, "/api/v1/organizations", as: .worker).json["total"].int == 2)
            #expect(try await app.call(.GET, "/api/v1/organizations", as: .otherWorker).json["total"].int == 0)
            #expect(try await app.call(.GET, "/api/v1/organizations/\(filed.id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/organizations/\(UUID())", as: .district).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/organizations", as: .grid).status == .forbidden)
            let search = try await app.call(.GET, "/api/v1/organizations?q=sxsq", as: .district)
            #expect(search.status == .ok && search.json["total"].int == 1 && search.json["items"][0]["name"].string == "寺巷社区夕阳红志愿服务队", "\(search.text)")
            #expect(try await app.call(.GET, "/api/v1/organizations?q=协会", as: .district).json["total"].int == 1)
            #expect(try await app.call(.GET, "/api/v1/organizations?kind=nope", as: .district).status == .badRequest)

            // Edits carry the version read; a code used by another organization is 409; a worker does not edit a registered one.
            var body: [String: Any] = ["name": "寺巷社区夕阳红志愿服务队", "kind": "community", "field": "elderly", "legal_person": "王建国", "phone": "13912345678",
                                       "founded_on": "2020-03-01", "registered_on": "2020-04-01", "division_code": "321271002001", "version": filed.version]
            let edited = try await app.call(.PATCH, "/api/v1/organizations/\(filed.id)", json: body)
            #expect(edited.status == .ok && edited.json["field"].string == "elderly" && edited.json["version"].int == filed.version + 1, "\(edited.text)")
            let stale = try await app.call(.PATCH, "/api/v1/organizations/\(filed.id)", json: body)
            #expect(stale.status == .conflict, "\(stale.text)")
            let street = try #require(registered.json["id"].string)
            #expect(try await app.call(.PATCH, "/api/v1/organizations/\(street)", json: body).status == .forbidden)
            body["kind"] = "social_service"
            body["credit_code"] = "5132129153MEA76YF9"
            body["version"] = filed.version + 1
            let taken = try await app.call(.PATCH, "/api/v1/organizations/\(filed.id)", json: body, as: .street)
            #expect(taken.status == .conflict && taken.json.errorFields == ["credit_code"], "\(taken.text)")

            // The full phone is a full view, audited.
            let phone = try await app.call(.GET, "/api/v1/organizations/\(filed.id)/phone", as: .worker)
            #expect(phone.status == .ok && phone.json["phone"].string == "13912345678")
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.view'") == 1)
        }
    }

    @Test("status by the table, annual reports once a year, versions checked")
    func statusAndReports() async throws {
        try await withTestApp(residents: 600) { app in
            let o = try await app.filedOrganization()
            let future = try await app.call(.POST, "/api/v1/organizations/\(o.id)/status", json: ["action": "mark_dormant", "date": "2026-07-01", "version": o.version])
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["date"], "\(future.text)")
            let dormant = try await app.call(.POST, "/api/v1/organizations/\(o.id)/status", json: ["action": "mark_dormant", "date": "2026-06-01", "version": o.version])
            #expect(dormant.status == .ok && dormant.json["status"].string == "dormant", "\(dormant.text)")
            let stale = try await app.call(.POST, "/api/v1/organizations/\(o.id)/status", json: ["action": "revive", "date": "2026-06-02", "version": o.version])
            #expect(stale.status == .conflict)
            let gone = try await app.call(.POST, "/api/v1/organizations/\(o.id)/status", json: ["action": "deregister", "date": "2026-06-02", "version": o.version + 1])
            #expect(gone.status == .ok && gone.json["status"].string == "deregistered")
            let back = try await app.call(.POST, "/api/v1/organizations/\(o.id)/status", json: ["action": "revive", "date": "2026-06-03", "version": o.version + 2])
            #expect(back.status == .conflict, "\(back.text)")

            #expect(try await app.call(.POST, "/api/v1/organizations/\(o.id)/reports", json: ["year": 2025, "received_on": "2026-03-15"]).status == .conflict)
            let live = try await app.filedOrganization(name: "寺巷社区读书会")
            let report = try await app.call(.POST, "/api/v1/organizations/\(live.id)/reports", json: ["year": 2025, "received_on": "2026-03-15"])
            #expect(report.status == .created && report.json[0]["year"].int == 2025, "\(report.text)")
            let again = try await app.call(.POST, "/api/v1/organizations/\(live.id)/reports", json: ["year": 2025, "received_on": "2026-03-16"])
            #expect(again.status == .conflict && again.json.errorFields == ["year"])
            let bad = try await app.call(.POST, "/api/v1/organizations/\(live.id)/reports", json: ["year": 2027, "received_on": "2026-07-16"])
            #expect(bad.status == .unprocessableEntity && Set(bad.json.errorFields) == ["year", "received_on"], "\(bad.text)")
            #expect(try await app.rowCount("organization_reports") == 1)
        }
    }

    @Test("the incubation base and the support ledger: dates checked, money kinds need an amount, totals per year")
    func incubationAndSupport() async throws {
        try await withTestApp(residents: 600) { app in
            let o = try await app.filedOrganization()
            #expect(try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["entered_on": "2025-09-01"], as: .worker).status == .forbidden)
            let entered = try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["entered_on": "2025-09-01"], as: .street)
            #expect(entered.status == .ok && entered.json[0]["graduated_on"].raw == nil, "\(entered.text)")
            #expect(try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["entered_on": "2025-10-01"], as: .street).status == .conflict)
            let early = try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["graduated_on": "2025-09-01"], as: .street)
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["graduated_on"], "\(early.text)")
            let future = try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["graduated_on": "2026-07-01"], as: .street)
            #expect(future.status == .unprocessableEntity && future.json.errorFields == ["graduated_on"])
            let file = try await app.call(.GET, "/api/v1/organizations/\(o.id)", as: .district)
            #expect(file.json["organization"]["incubating"].raw as? Bool == true)
            let out = try await app.call(.POST, "/api/v1/organizations/\(o.id)/incubation", json: ["graduated_on": "2026-06-01"], as: .street)
            #expect(out.status == .ok && out.json[0]["graduated_on"].string == "2026-06-01", "\(out.text)")

            let noAmount = try await app.call(.POST, "/api/v1/organizations/\(o.id)/support", json: ["kind": "subsidy", "on_date": "2026-05-01", "giver": "区民政局"], as: .street)
            #expect(noAmount.status == .unprocessableEntity && noAmount.json.errorFields == ["amount_fen"], "\(noAmount.text)")
            for (kind, fen, date) in [("award", 500_000, "2026-05-01"), ("subsidy", 200_000, "2026-02-01"), ("funding", 100_000, "2025-11-01")] {
                let r = try await app.call(.POST, "/api/v1/organizations/\(o.id)/support", json: [
                    "kind": kind, "amount_fen": fen, "on_date": date, "giver": "区民政局", "document_no": "泰高民〔2026〕3号"], as: .street)
                #expect(r.status == .created, "\(r.text)")
            }
            #expect(try await app.call(.POST, "/api/v1/organizations/\(o.id)/support", json: ["kind": "venue", "on_date": "2026-05-01", "giver": "街道"], as: .street).status == .created)
            let totals = try await app.call(.GET, "/api/v1/organizations/\(o.id)", as: .worker).json["support_totals"]
            #expect(totals[0]["year"].int == 2026 && totals[0]["amount_fen"].int == 700_000 && totals[0]["entries"].int == 3, "\(totals.raw ?? "")")
            #expect(totals[1]["year"].int == 2025 && totals[1]["amount_fen"].int == 100_000)
        }
    }

    @Test("projects: payments never over the contract, evaluation only after the term and only once, unknown ids refused")
    func projects() async throws {
        try await withTestApp(residents: 600) { app in
            let o = try await app.filedOrganization()
            #expect(try await app.orgProject(o.id, as: .worker).status == .forbidden)
            let unknown = try await app.orgProject(UUID().uuidString)
            #expect(unknown.status == .unprocessableEntity && unknown.json.errorFields == ["organization_id"])
            let backwards = try await app.orgProject(o.id, starts: "2026-03-01", ends: "2026-02-01")
            #expect(backwards.status == .unprocessableEntity && backwards.json.errorFields == ["ends_on"], "\(backwards.text)")
            let created = try await app.orgProject(o.id, as: .dept)
            #expect(created.status == .created && created.json["buyer"].string == "区民政局" && created.json["buyer_code"].raw == nil, "\(created.text)")
            let p = try #require(created.json["id"].string)
            // A department's code as the buyer is kept with the department's name.
            let byCode = try await app.call(.POST, "/api/v1/organizations/projects", json: [
                "organization_id": o.id, "title": "社区助餐", "mode": "grant", "buyer": "mz", "contract_fen": 5000,
                "signed_on": "2026-01-05", "starts_on": "2026-02-01", "ends_on": "2026-12-31", "deliverables": "助餐"], as: .district)
            #expect(byCode.status == .created && byCode.json["buyer"].string == "区民政局" && byCode.json["buyer_code"].string == "MZ", "\(byCode.text)")
            #expect(try await app.payment(p, fen: 60_000).status == .created)
            let over = try await app.payment(p, fen: 50_000)
            #expect(over.status == .unprocessableEntity && over.json.errorFields == ["payment_fen"], "\(over.text)")
            #expect(over.json["errors"][0]["message"].string?.contains("最多还可拨付400元") == true)
            let before = try await app.payment(p, fen: 0, date: "2025-12-31")
            #expect(before.status == .unprocessableEntity && before.json.errorFields == ["on_date"])
            let last = try await app.payment(p, fen: 40_000, people: 25)
            #expect(last.status == .created && last.json["paid_after_fen"].int == 100_000 && last.json["seq"].int == 2, "\(last.text)")
            let early = try await app.call(.POST, "/api/v1/organizations/projects/\(p)/evaluation", json: ["score": 90, "version": 1])
            #expect(early.status == .forbidden)
            let notEnded = try await app.call(.POST, "/api/v1/organizations/projects/\(p)/evaluation", json: ["score": 90, "version": 1], as: .district)
            #expect(notEnded.status == .unprocessableEntity && notEnded.json.errorFields == ["score"], "\(notEnded.text)")
            let file = try await app.call(.GET, "/api/v1/organizations/projects/\(p)", as: .worker)
            #expect(file.status == .ok && file.json["project"]["paid_fen"].int == 100_000 && file.json["project"]["beneficiaries"].int == 35
                    && file.json["milestones"].array.count == 2, "\(file.text)")

            let ended = try #require(try await app.orgProject(o.id, starts: "2025-01-01", ends: "2026-06-30").json["id"].string)
            let high = try await app.call(.POST, "/api/v1/organizations/projects/\(ended)/evaluation", json: ["score": 101, "version": 1], as: .district)
            #expect(high.status == .unprocessableEntity && high.json.errorFields == ["score"])
            let scored = try await app.call(.POST, "/api/v1/organizations/projects/\(ended)/evaluation", json: ["score": 88, "note": "按期完成", "version": 1], as: .district)
            #expect(scored.status == .ok && scored.json["score"].int == 88 && scored.json["evaluated_on"].string == "2026-06-30", "\(scored.text)")
            #expect(try await app.call(.POST, "/api/v1/organizations/projects/\(ended)/evaluation", json: ["score": 90, "version": 2], as: .district).status == .conflict)
            #expect(try await app.payment(ended, fen: 1).status == .conflict)
            #expect(try await app.call(.GET, "/api/v1/organizations/projects/\(ended)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/organizations/projects?organization_id=\(o.id)", as: .district).json["total"].int == 3)
            #expect(try await app.rowCount("organization_milestones") == 2)
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.project.milestone'") == 2)
        }
    }

    @Test("the portal lists active organizations without personal data; the indicators count them; the register exports as .xlsx, audited")
    func portalIndicatorsExport() async throws {
        try await withTestApp(residents: 600) { app in
            let o = try await app.filedOrganization()
            let dormant = try await app.filedOrganization(name: "寺巷社区书画社")
            #expect(try await app.call(.POST, "/api/v1/organizations/\(dormant.id)/status", json: ["action": "mark_dormant", "date": "2026-06-01", "version": 1]).status == .ok)
            #expect(try await app.registeredOrganization().status == .created)
            let home = try await app.page("/", as: .anonymous)
            #expect(home.status == .ok && home.text.contains("href=\"/notices/organizations\""))
            let portal = try await app.page("/notices/organizations", as: .anonymous)
            #expect(portal.status == .ok && portal.text.contains("寺巷社区夕阳红志愿服务队") && portal.text.contains("寺巷街道老年人协会"), "\(portal.status)")
            #expect(!portal.text.contains("寺巷社区书画社") && !portal.text.contains("王建国") && !portal.text.contains("李秀英") && !portal.text.contains("86881234") && !portal.text.contains("13912345678"))
            let api = try await app.call(.GET, "/api/v1/organizations/public", as: .anonymous)
            #expect(api.status == .ok && api.json["total"].int == 2 && !api.text.contains("王建国") && !api.text.contains(o.id))

            let indicators = try await app.call(.GET, "/api/v1/indicators", as: .district)
            func reading(_ code: String) -> JSONValue { JSONValue(indicators.json["indicators"].array.first { $0["indicator"]["code"].string == code }?.raw) }
            #expect(reading("plan.social_orgs")["numerator"].int == 3, "\(reading("plan.social_orgs").raw ?? "")")
            #expect(reading("plan.social_orgs")["status"].string == "behind")
            // Registered in 2020 and 2018: none this year.
            #expect(reading("plan.social_orgs_new")["numerator"].int == 0)

            let xlsx = try await app.call(.GET, "/api/v1/organizations/export.xlsx", as: .district)
            #expect(xlsx.status == .ok && xlsx.body.prefix(2) == Data("PK".utf8))
            #expect(try await app.rowCount("audit_log WHERE action = 'organizations.export'") == 1)
        }
    }

    @Test("the demo: a few hundred organizations with valid codes, a dozen in incubation, projects paid within their contracts")
    func demo() async throws {
        try await withTestApp(residents: 600) { app in
            let s = try await DemoOrganizations.load(on: app.db, cipher: testCipher, seed: 42, today: testToday, now: 1_782_000_000)
            #expect(s.organizations > 100 && s.registered > 10 && s.incubating >= 10 && s.projects >= 20, "\(s)")
            for row in try await app.sql().raw("SELECT credit_code FROM organizations WHERE credit_code IS NOT NULL").all() {
                let code = try row.decode(column: "credit_code", as: String.self)
                #expect(CreditCode.check(code) == nil, "\(code)")
            }
            #expect(try await app.rowCount("organizations WHERE registration = 'filed' AND credit_code IS NOT NULL") == 0)
            #expect(try await app.rowCount("organization_projects WHERE paid_fen > contract_fen") == 0)
            let mismatched = try await app.sql().raw("""
                SELECT COUNT(*) AS n FROM organization_projects p WHERE p.paid_fen <> (SELECT COALESCE(SUM(m.payment_fen), 0) FROM organization_milestones m WHERE m.project_id = p.id)
                """).first()?.decode(column: "n", as: Int.self)
            #expect(mismatched == 0)
            #expect(try await app.rowCount("organizations WHERE incubating = \(app.db.isSQLite ? "1" : "true")") == s.incubating)
            #expect(try await app.rowCount("organization_projects WHERE score IS NOT NULL AND ends_on > '2026-06-30'") == 0)
        }
    }
}
