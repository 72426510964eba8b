import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

/// The worker's community (寺巷街道), another community of the same street, and one of another street.
let disclosureCommunity = "321271002001"

extension Application {
    /// A notice published through the API; returns its id.
    @discardableResult
    func disclosureNotice(_ kind: String = "government", community: String = disclosureCommunity, publishOn: String = "2026-06-30", endOn: String? = nil,
                          minimumDays: Int = 0, as user: TestUser = .worker) async throws -> String {
        var body: [String: Any] = ["community_code": community, "kind": kind, "title": "社区\(kind)公开", "body": "第一行\n第二行<b>", "publish_on": publishOn,
                                   "minimum_days": minimumDays]
        if let endOn { body["end_on"] = endOn }
        let r = try await call(.POST, "/api/v1/disclosure/notices", json: body, as: user)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string, "\(r.text)")
    }

    /// A ledger entry through the API; returns its id.
    func ledgerEntry(_ direction: String = "income", on day: String = "2026-02-10", subject: String = "上级拨款", amountFen: Int64 = 500_000,
                     voucher: String, community: String = disclosureCommunity) async throws -> String {
        let r = try await call(.POST, "/api/v1/disclosure/ledger", json: ["community_code": community, "direction": direction, "on_date": day, "subject": subject,
                                                                         "counterpart": "街道办事处", "amount_fen": amountFen, "voucher_no": voucher], as: .worker)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"].string, "\(r.text)")
    }

    func approveEntry(_ id: String) async throws {
        let r = try await call(.POST, "/api/v1/disclosure/ledger/\(id)/approve", as: .street)
        #expect(r.status == .ok, "\(r.text)")
    }

    func publishStatement(_ quarter: String, community: String = disclosureCommunity) async throws -> APIResponse {
        try await call(.POST, "/api/v1/disclosure/statements", json: ["community_code": community, "quarter": quarter], as: .street)
    }
}

@Suite("四个公开: the API", .serialized)
struct DisclosureTests {
    @Test("notices: published in the four kinds, bad input refused at its field with nothing written, scope and permissions")
    func notices() async throws {
        try await withTestApp(residents: 300) { app in
            let base: [String: Any] = ["community_code": disclosureCommunity, "kind": "affairs", "title": "公示", "body": "内容", "publish_on": "2026-06-30"]
            var early = base
            early["end_on"] = "2026-06-29"
            let r1 = try await app.call(.POST, "/api/v1/disclosure/notices", json: early, as: .worker)
            #expect(r1.status == .unprocessableEntity && r1.isProblem && r1.json.errorFields == ["end_on"], "\(r1.text)")
            var huge = base
            huge["minimum_days"] = Int.min
            let r2 = try await app.call(.POST, "/api/v1/disclosure/notices", json: huge, as: .worker)
            #expect(r2.status == .unprocessableEntity && r2.json.errorFields == ["minimum_days"], "\(r2.text)")
            var badKind = base
            badKind["kind"] = "other"
            #expect(try await app.call(.POST, "/api/v1/disclosure/notices", json: badKind, as: .worker).json.errorFields == ["kind"])
            #expect(try await app.call(.POST, "/api/v1/disclosure/notices", rawBody: "x", contentType: "text/plain", as: .worker).status == .unsupportedMediaType)
            #expect(try await app.call(.POST, "/api/v1/disclosure/notices", json: base, as: .grid).status == .forbidden)
            var elsewhere = base
            elsewhere["community_code"] = "321271003001"
            #expect(try await app.call(.POST, "/api/v1/disclosure/notices", json: elsewhere, as: .worker).status == .notFound)
            #expect(try await app.rowCount("disclosure_notices") == 0)

            let id = try await app.disclosureNotice("affairs")
            let list = try await app.call(.GET, "/api/v1/disclosure/notices?community=\(disclosureCommunity)", as: .district)
            #expect(list.status == .ok && list.json["total"].int == 1, "\(list.text)")
            #expect(try await app.call(.GET, "/api/v1/disclosure/notices/\(id)", as: .otherWorker).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/disclosure/notices?community=321271099001", as: .district).status == .notFound)
            #expect(try await app.call(.GET, "/api/v1/disclosure/notices?community=\(disclosureCommunity)", as: .otherWorker).status == .notFound)
            let pub = try await app.call(.GET, "/api/v1/disclosure/public?community=\(disclosureCommunity)", as: .anonymous)
            #expect(pub.status == .ok && pub.json["items"].array.count == 1 && pub.json["items"][0]["created_by"].string == "", "\(pub.text)")
        }
    }

    @Test("a withdrawal: refused within the minimum period (nothing written), then kept with who, when, why and the text as it was")
    func withdrawal() async throws {
        try await withTestApp(residents: 300) { app in
            let held = try await app.disclosureNotice("affairs", publishOn: "2026-06-26", endOn: "2026-07-10", minimumDays: 7)
            let early = try await app.call(.POST, "/api/v1/disclosure/notices/\(held)/withdraw", json: ["reason": "有误", "version": 1], as: .worker)
            #expect(early.status == .unprocessableEntity && early.json.errorFields == ["minimum_days"], "\(early.text)")
            #expect(early.text.contains("2026-07-03"))
            #expect(try await app.rowCount("disclosure_notices WHERE status = 'withdrawn'") == 0)
            #expect(try await app.rowCount("disclosure_notice_history") == 1)

            let free = try await app.disclosureNotice("service", publishOn: "2026-06-20", minimumDays: 7)
            for version in [9, Int.max] {
                let stale = try await app.call(.POST, "/api/v1/disclosure/notices/\(free)/withdraw", json: ["reason": "已过期", "version": version], as: .worker)
                #expect(stale.status == .conflict, "\(stale.text)")
            }
            let ok = try await app.call(.POST, "/api/v1/disclosure/notices/\(free)/withdraw", json: ["reason": "服务时间已调整", "version": 1], as: .worker)
            #expect(ok.status == .ok && ok.json["status"].string == "withdrawn" && ok.json["withdrawn_reason"].string == "服务时间已调整", "\(ok.text)")
            let again = try await app.call(.POST, "/api/v1/disclosure/notices/\(free)/withdraw", json: ["reason": "再撤", "version": 2], as: .worker)
            #expect(again.status == .conflict && again.json.errorFields == ["status"], "\(again.text)")
            let file = try await app.call(.GET, "/api/v1/disclosure/notices/\(free)", as: .worker)
            let history = file.json["history"].array
            #expect(history.map { $0["action"].string } == ["publish", "withdraw"], "\(file.text)")
            #expect(history.last?["body"].string == "第一行\n第二行<b>" && history.last?["by"].string == "worker")
            #expect(try await app.rowCount("audit_log WHERE action = 'disclosure.withdraw'") == 1)
            // Withdrawn: gone from the public list, still readable on its page as withdrawn.
            let pub = try await app.call(.GET, "/api/v1/disclosure/public?community=\(disclosureCommunity)", as: .anonymous)
            #expect(pub.json["items"].array.count == 1)
            let page = try await app.page("/notices/public/\(disclosureCommunity)/\(free)", as: .anonymous)
            #expect(page.status == .ok && page.text.contains("撤回。原因：服务时间已调整"), "\(page.status)")
        }
    }

    @Test("the ledger: amounts refused at the field, the street approves, a statement of the quarter, no edit after, reversing entries")
    func ledger() async throws {
        try await withTestApp(residents: 300) { app in
            for amount: Int64 in [0, -5, Int64.min, 10_000_000_001] {
                let r = try await app.call(.POST, "/api/v1/disclosure/ledger", json: ["community_code": disclosureCommunity, "direction": "expense", "on_date": "2026-02-01",
                                                                                     "subject": "办公经费", "counterpart": "文具店", "amount_fen": amount, "voucher_no": "V1"],
                                           as: .worker)
                #expect(r.status == .unprocessableEntity && r.json.errorFields == ["amount_fen"], "\(amount) \(r.text)")
            }
            let huge = try await app.call(.POST, "/api/v1/disclosure/ledger", rawBody: "{\"community_code\":\"\(disclosureCommunity)\",\"amount_fen\":1e300}",
                                          contentType: "application/json", as: .worker)
            #expect(huge.status == .badRequest, "\(huge.text)")
            #expect(try await app.rowCount("disclosure_ledger_entries") == 0)

            let income = try await app.ledgerEntry(voucher: "2026-0001")
            let expense = try await app.ledgerEntry("expense", on: "2026-03-05", subject: "社区活动", amountFen: 120_000, voucher: "2026-0002")
            let dup = try await app.call(.POST, "/api/v1/disclosure/ledger", json: ["community_code": disclosureCommunity, "direction": "expense", "on_date": "2026-03-01",
                                                                                   "subject": "x", "counterpart": "y", "amount_fen": 1, "voucher_no": "2026-0001"], as: .worker)
            #expect(dup.status == .conflict && dup.json.errorFields == ["voucher_no"], "\(dup.text)")
            #expect(try await app.call(.POST, "/api/v1/disclosure/ledger/\(income)/approve", as: .worker).status == .forbidden)
            let waiting = try await app.publishStatement("2026-Q1")
            #expect(waiting.status == .unprocessableEntity && waiting.json.errorFields == ["quarter"], "\(waiting.text)")
            try await app.approveEntry(income)
            try await app.approveEntry(expense)
            let twice = try await app.call(.POST, "/api/v1/disclosure/ledger/\(income)/approve", as: .street)
            #expect(twice.status == .conflict && twice.json.errorFields == ["status"])
            let notEnded = try await app.publishStatement("2026-Q3")
            #expect(notEnded.status == .unprocessableEntity && notEnded.json.errorFields == ["quarter"], "\(notEnded.text)")

            let s = try await app.publishStatement("2026-Q1")
            #expect(s.status == .created, "\(s.text)")
            #expect(s.json["opening_fen"].int == 0 && s.json["income_fen"].int == 500_000 && s.json["expense_fen"].int == 120_000 && s.json["closing_fen"].int == 380_000,
                    "\(s.text)")
            let notice = try #require(s.json["notice_id"].string)
            let n = try await app.call(.GET, "/api/v1/disclosure/notices/\(notice)", as: .worker)
            #expect(n.json["notice"]["kind"].string == "finance" && n.json["notice"]["body"].string?.contains("期末余额：3800.00") == true, "\(n.text)")

            // Published: never edited; a correction is a reversing entry, in the quarter of its date.
            let edit = try await app.call(.PATCH, "/api/v1/disclosure/ledger/\(expense)", json: ["direction": "expense", "on_date": "2026-03-05", "subject": "社区活动",
                                                                                                 "counterpart": "街道办事处", "amount_fen": 100_000, "voucher_no": "2026-0002",
                                                                                                 "version": 2], as: .worker)
            #expect(edit.status == .conflict && edit.json.errorFields == ["status"], "\(edit.text)")
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE amount_fen = 120000") == 1)
            let intoQ1 = try await app.ledgerEntryRefused(on: "2026-03-30")
            #expect(intoQ1.json.errorFields == ["on_date"], "\(intoQ1.text)")
            let rev = try await app.call(.POST, "/api/v1/disclosure/ledger/\(expense)/reverse", json: [String: Any](), as: .worker)
            #expect(rev.status == .created && rev.json["reverses_id"].string?.lowercased() == expense.lowercased() && rev.json["quarter"].string == "2026-Q2",
                    "\(rev.text)")
            #expect(rev.json["voucher_no"].string == "冲2026-0002")
            let revTwice = try await app.call(.POST, "/api/v1/disclosure/ledger/\(expense)/reverse", json: [String: Any](), as: .worker)
            #expect(revTwice.status == .conflict, "\(revTwice.text)")
            let ledger = try await app.call(.GET, "/api/v1/disclosure/ledger?community=\(disclosureCommunity)&quarter=2026-Q1", as: .district)
            #expect(ledger.json.array.map { $0["status"].string } == ["published", "published"], "\(ledger.text)")
            #expect(try await app.publishStatement("2026-Q1").status == .conflict)
            #expect(try await app.rowCount("disclosure_statements") == 1)

            let xlsx = try await app.call(.GET, "/api/v1/disclosure/ledger.xlsx?community=\(disclosureCommunity)&quarter=2026-Q1", as: .district)
            #expect(xlsx.status == .ok && xlsx.body.starts(with: Data("PK".utf8)))
            #expect(try await app.rowCount("audit_log WHERE action = 'disclosure.export'") == 1)
            #expect(try await app.call(.PUT, "/api/v1/disclosure/ledger.xlsx", as: .district).status == .methodNotAllowed)
        }
    }

    @Test("the standard: four kinds current and the last ended quarter's statement published; a community missing either is out")
    func standing() async throws {
        try await withTestApp(residents: 300) { app in
            let other = "321271002002"
            for kind in ["government", "affairs", "finance", "service"] {
                try await app.disclosureNotice(kind, publishOn: kind == "service" ? "2026-01-10" : "2026-06-01", endOn: kind == "service" ? "2026-12-31" : nil)
                try await app.disclosureNotice(kind, community: other, publishOn: kind == "service" ? "2026-03-01" : "2026-06-01",
                                               endOn: kind == "service" ? "2026-03-20" : nil, as: .street)
            }
            let db = app.db
            func standing() async throws -> Set<String> {
                try await DisclosureStanding.communitiesMeetingStandard(on: db, prefix: "321271", today: testToday)
            }
            #expect(try await DisclosureStanding.fourCurrent(on: db, prefix: "321271", today: testToday) == [disclosureCommunity])
            #expect(try await standing().isEmpty, "no statement of 2026-Q1 yet")
            let e = try await app.ledgerEntry(voucher: "A1")
            try await app.approveEntry(e)
            #expect(try await app.publishStatement("2026-Q1").status == .created)
            #expect(try await standing() == [disclosureCommunity])
            #expect(try await DisclosureStanding.communitiesMeetingStandard(on: db, prefix: "321271003", today: testToday).isEmpty)
            // Within Q2's grace (to 31 July) Q1's statement still counts; from 1 August Q2's is needed.
            #expect(try await DisclosureStanding.communitiesMeetingStandard(on: db, prefix: "321271", today: CivilDate("2026-07-31")!) == [disclosureCommunity])
            #expect(try await DisclosureStanding.communitiesMeetingStandard(on: db, prefix: "321271", today: CivilDate("2026-08-01")!).isEmpty)

            let ind = try await app.call(.GET, "/api/v1/indicators?division=321271002000", as: .district)
            #expect(ind.status == .ok, "\(ind.text)")
            let four = ind.json["indicators"].array.first { $0["indicator"]["code"].string == "disclosure.four_current" }
            #expect(four?["numerator"].double == 1 && (four?["denominator"].double ?? 0) > 1, "\(ind.text.prefix(400))")
            let affairs = ind.json["indicators"].array.first { $0["indicator"]["code"].string == "disclosure.notices_year.affairs" }
            #expect(affairs?["value"].double == 2, "\(ind.text.prefix(400))")
        }
    }

    @Test("the demo: notices of the four kinds per community, a year of approved entries, the ended quarters' statements, one reversal")
    func demo() async throws {
        try await withTestApp(residents: 300) { app in
            let s = try await DemoDisclosure.load(on: app.db, seed: 42, today: testToday, now: 1_782_777_600)
            let communities = try await app.rowCount("divisions WHERE level = 'community'")
            #expect(s.statements > communities * 3 && s.entries > communities * 40, "\(s)")
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE reverses_id IS NOT NULL") == 1)
            #expect(try await app.rowCount("disclosure_statements") == s.statements)
            #expect(try await app.rowCount("disclosure_notices WHERE statement_id IS NOT NULL") == s.statements)
            // Each statement's closing balance is the next one's opening balance.
            let sql = try app.sql()
            #expect(try await sql.raw("""
                SELECT a.id FROM disclosure_statements a JOIN disclosure_statements b ON a.community_code = b.community_code
                WHERE b.quarter = (SELECT min(c.quarter) FROM disclosure_statements c WHERE c.community_code = a.community_code AND c.quarter > a.quarter)
                  AND a.closing_fen <> b.opening_fen
                """).all().isEmpty)
            let current = try await DisclosureStanding.fourCurrent(on: app.db, prefix: "", today: testToday)
            #expect(current.count < communities && current.count > communities / 2, "a few communities are not current: \(current.count) of \(communities)")
            let meets = try await DisclosureStanding.communitiesMeetingStandard(on: app.db, prefix: "", today: testToday)
            #expect(!meets.isEmpty && meets.isSubset(of: current))
        }
    }
}

extension Application {
    func ledgerEntryRefused(on day: String) async throws -> APIResponse {
        let r = try await call(.POST, "/api/v1/disclosure/ledger", json: ["community_code": disclosureCommunity, "direction": "income", "on_date": day, "subject": "上级拨款",
                                                                         "counterpart": "街道办事处", "amount_fen": 100, "voucher_no": "late-1"], as: .worker)
        #expect(r.status == .unprocessableEntity, "\(r.text)")
        return r
    }
}
