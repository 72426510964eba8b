import Foundation
import LinliCore
import LinliData
@testable import LinliServer
import SQLKit
import Testing
import Vapor

@Suite("四个公开: the console's pages and the portal", .serialized)
struct DisclosurePagesTests {
    @Test("publish a notice from the console, refusals at their fields with nothing written, withdraw it; the ledger page records, approves, publishes")
    func console() async throws {
        try await withTestApp(residents: 300) { app in
            let overview = try await app.page("/console/disclosure", as: .district)
            #expect(overview.status == .ok && overview.text.contains("不及时"), "\(overview.status)")
            #expect(try await app.page("/console/disclosure/notices/new?community=\(disclosureCommunity)", as: .grid).status == .forbidden)
            let fields = [("community", disclosureCommunity), ("kind", "service"), ("title", "老年人助餐服务时间调整"), ("body", "自7月1日起……"),
                          ("publish_on", "2026-06-30"), ("minimum_days", "0")]
            let bad = try await app.submit("/console/disclosure/notices/new", fields + [("end_on", "2026-06-01")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("截止日期不能早于发布日期") && bad.text.contains("aria-invalid"), "\(bad.status)")
            #expect(try await app.submit("/console/disclosure/notices/new", fields, csrf: false).status == .forbidden)
            #expect(try await app.rowCount("disclosure_notices") == 0)
            let made = try await app.submit("/console/disclosure/notices/new", fields)
            #expect(made.status == .seeOther, "\(made.text)")
            let location = try #require(made.location)
            let view = try await app.page(location)
            #expect(view.status == .ok && view.text.contains("老年人助餐服务时间调整") && view.text.contains("撤回原因"))
            let withdrawn = try await app.submit("\(location)/withdraw", [("reason", "时间另行通知"), ("version", "1")])
            #expect(withdrawn.status == .seeOther, "\(withdrawn.text)")
            #expect(try await app.page(location).text.contains("已撤回：时间另行通知"))

            let ledger = try await app.page("/console/disclosure/ledger?community=\(disclosureCommunity)&quarter=2026-Q1")
            #expect(ledger.status == .ok && ledger.text.contains("本季度尚无账目"))
            let entry = [("community", disclosureCommunity), ("direction", "expense"), ("on_date", "2026-03-02"), ("subject", "社区活动"), ("counterpart", "文体队"),
                         ("voucher_no", "P-1")]
            let zero = try await app.submit("/console/disclosure/ledger", entry + [("amount", "0")])
            #expect(zero.status == .unprocessableEntity && zero.text.contains("金额应大于0"), "\(zero.status)")
            let silly = try await app.submit("/console/disclosure/ledger", entry + [("amount", "1e300")])
            #expect(silly.status == .unprocessableEntity && silly.text.contains("金额应为元"), "\(silly.status)")
            let ancient = try await app.submit("/console/disclosure/ledger", entry.filter { $0.0 != "on_date" } + [("on_date", "0500-01-01"), ("amount", "1")])
            #expect(ancient.status == .unprocessableEntity && ancient.text.contains("记账日期不能早于"), "\(ancient.status)")
            #expect(try await app.rowCount("disclosure_ledger_entries") == 0)
            for edge in ["0001-Q1", "9999-Q4"] {
                #expect(try await app.page("/console/disclosure/ledger?community=\(disclosureCommunity)&quarter=\(edge)").status == .ok, "\(edge)")
            }
            #expect(try await app.submit("/console/disclosure/ledger", entry + [("amount", "350.5")]).status == .seeOther)
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE amount_fen = 35050") == 1)
            let pending = try await app.page("/console/disclosure/pending", as: .street)
            #expect(pending.status == .ok && pending.text.contains("P-1"))
            // The street's home page shows the entry waiting for it; the worker's has no such tile.
            let streetHome = try await app.page("/console", as: .street)
            #expect(streetHome.status == .ok && streetHome.text.contains("待审核的收支账目</span><b>1</b>"))
            let workerHome = try await app.page("/console")
            #expect(workerHome.status == .ok && workerHome.text.contains("居务公开（四个公开、财务收支）"))
            #expect(!workerHome.text.contains("待审核的收支账目"))
            let id = try #require(try await app.sql().raw("SELECT id FROM disclosure_ledger_entries").first()?.decode(column: "id", as: UUID.self))
            // The pending entry edited on the console: the form filled from it; a stale form is 409 and changes nothing.
            let editing = try await app.page("/console/disclosure/ledger?community=\(disclosureCommunity)&quarter=2026-Q1&edit=\(id)")
            #expect(editing.status == .ok && editing.text.contains("修改账目（凭证号 P-1）") && editing.text.contains("value=\"350.50\""))
            let edit = entry.filter { $0.0 != "community" } + [("amount", "360"), ("version", "1")]
            let saved = try await app.submit("/console/disclosure/ledger/\(id)/edit", edit)
            #expect(saved.status == .seeOther, "\(saved.text)")
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE amount_fen = 36000 AND version = 2") == 1)
            let stale = try await app.submit("/console/disclosure/ledger/\(id)/edit", entry.filter { $0.0 != "community" } + [("amount", "1"), ("version", "1")])
            #expect(stale.status == .conflict && stale.text.contains("已被他人修改"))
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE amount_fen = 36000") == 1)
            #expect(try await app.submit("/console/disclosure/ledger/\(id)/approve", [("back", "pending")], as: .street).status == .seeOther)
            let late = try await app.submit("/console/disclosure/ledger/\(id)/edit", entry.filter { $0.0 != "community" } + [("amount", "1"), ("version", "3")])
            #expect(late.status == .conflict)
            #expect(try await app.rowCount("disclosure_ledger_entries WHERE amount_fen = 36000") == 1)
            let publish = try await app.submit("/console/disclosure/statements", [("community", disclosureCommunity), ("quarter", "2026-Q1")], as: .street)
            #expect(publish.status == .seeOther, "\(publish.text)")
            let after = try await app.page("/console/disclosure/ledger?community=\(disclosureCommunity)&quarter=2026-Q1", as: .district)
            #expect(after.text.contains("收支公开表已于 2026-06-30 公开") && after.text.contains("360.00"), "\(after.text)")
            let again = try await app.submit("/console/disclosure/statements", [("community", disclosureCommunity), ("quarter", "2026-Q1")], as: .street)
            #expect(again.status == .conflict && again.text.contains("已公开"))
            let xlsx = try await app.page("/console/disclosure/ledger/export?community=\(disclosureCommunity)&quarter=2026-Q1", as: .district)
            #expect(xlsx.status == .ok && xlsx.body.starts(with: Data("PK".utf8)))
        }
    }

    @Test("the portal: communities by street, a community's notices by kind, a notice, its A4 sheet and the screen that steps without script")
    func portal() async throws {
        try await withTestApp(residents: 300) { app in
            let a = try await app.disclosureNotice("government", publishOn: "2026-06-01")
            let b = try await app.disclosureNotice("service", publishOn: "2026-06-20")
            let future = try await app.disclosureNotice("affairs", publishOn: "2026-07-10")
            let list = try await app.page("/notices/public", as: .anonymous)
            #expect(list.status == .ok && list.text.contains("/notices/public/\(disclosureCommunity)") && list.text.contains("居务公开"))
            let c = try await app.page("/notices/public/\(disclosureCommunity)", as: .anonymous)
            #expect(c.status == .ok && c.text.contains("政务公开") && c.text.contains("目前没有公开中的事务信息"), "\(c.status)")
            #expect(!c.text.contains("社区affairs公开"), "not yet published")
            let n = try await app.page("/notices/public/\(disclosureCommunity)/\(a)", as: .anonymous)
            #expect(n.status == .ok && n.text.contains("第二行&lt;b&gt;") && !n.text.contains("第二行<b>"))
            #expect(try await app.page("/notices/public/\(disclosureCommunity)/\(future)", as: .anonymous).status == .notFound)
            #expect(try await app.page("/notices/public/321271002002/\(a)", as: .anonymous).status == .notFound)
            #expect(try await app.page("/notices/public/321271099001", as: .anonymous).status == .notFound)
            // An attachment: a text file refused at the field, a PDF kept and downloadable from the notice's page.
            let (txt, txtType) = multipart([], files: [(name: "attachments[]", filename: "说明.txt", type: "application/pdf", bytes: Array("not a pdf".utf8))])
            let refused = try await app.call(.POST, "/api/v1/disclosure/notices/\(a)/attachments", data: txt, contentType: txtType, as: .worker)
            #expect(refused.status == .unprocessableEntity && refused.json.errorFields == ["attachments"], "\(refused.text)")
            #expect(try await app.rowCount("disclosure_attachments") == 0)
            let pdf = Array("%PDF-1.4\n% 公示名单\n".utf8)
            let (body, type) = multipart([], files: [(name: "attachments[]", filename: "名单.pdf", type: "application/pdf", bytes: pdf)])
            #expect(try await app.call(.POST, "/api/v1/disclosure/notices/\(a)/attachments", data: body, contentType: type, as: .grid).status == .forbidden)
            let up = try await app.call(.POST, "/api/v1/disclosure/notices/\(a)/attachments", data: body, contentType: type, as: .worker)
            #expect(up.status == .created, "\(up.text)")
            let fileID = try #require(up.json.array.first?["id"].string)
            let withFile = try await app.page("/notices/public/\(disclosureCommunity)/\(a)", as: .anonymous)
            #expect(withFile.text.contains("名单.pdf") && withFile.text.contains("/files/"))
            let download = try await app.page("/notices/public/\(disclosureCommunity)/\(a)/files/\(fileID)", as: .anonymous)
            #expect(download.status == .ok && Array(download.body) == pdf && download.headers.first(name: .contentType) == "application/pdf")
            #expect(try await app.page("/notices/public/\(disclosureCommunity)/\(b)/files/\(fileID)", as: .anonymous).status == .notFound)
            let print = try await app.page("/notices/public/\(disclosureCommunity)/\(a)/print", as: .anonymous)
            #expect(print.status == .ok && print.text.contains("/assets/notice-board.css") && print.text.contains("class=\"board\""))
            let css = try await app.page("/assets/notice-board.css", as: .anonymous)
            #expect(css.status == .ok && css.text.contains("@page { size: A4"))
            let screen = try await app.page("/notices/public/\(disclosureCommunity)/screen", as: .anonymous)
            #expect(screen.status == .ok && !screen.text.contains("<script"), "\(screen.status)")
            #expect(screen.text.contains("http-equiv=\"refresh\"") && screen.text.contains("screen?i=1") && screen.text.contains("1/2"))
            let second = try await app.page("/notices/public/\(disclosureCommunity)/screen?i=1", as: .anonymous)
            #expect(second.text.contains("screen?i=0") && second.text.contains("2/2"), "wraps to the first")
            let wild = try await app.page("/notices/public/\(disclosureCommunity)/screen?i=-99999999999999999999", as: .anonymous)
            #expect(wild.status == .ok)
        }
    }
}
