import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 一表通 pages: the forms of one's area with the share each fills automatically and in total;
/// a form's returns side by side (its .xlsx); a community's return to review, complete and submit (or, for the
/// department, to send back); a list field's roll, masked unless revealed.
struct ReportsPages {
    func boot(_ routes: Routes) {
        let r = routes.grouped("console", "reports")
        r.get(needs: .permission(.reportsRead), use: forms)
        r.get(":id", needs: .permission(.reportsRead), use: table)
        r.get(":id", "returns.xlsx", needs: .permission(.reportsRead), use: export)
        r.get(":id", "returns", ":community", needs: .permission(.reportsRead), use: openReturn)
        r.post(":id", "returns", ":community", needs: .permission(.reportsFill), use: save)
        r.post(":id", "returns", ":community", "send-back", needs: .permission(.reportsDesign), use: sendBack)
        r.get(":id", "returns", ":community", "lists", ":field", needs: .permission(.reportsRead), use: list)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("一表通", "/console/reports")]

    static func percent(_ a: Int64, _ b: Int64) -> String {
        b == 0 ? "—" : String(format: "%.1f%%", Double(a) * 100 / Double(b))
    }

    func forms(req: Request) async throws -> Response {
        let user = try req.webUser(.reportsRead)
        let actor = req.reportsActor
        let page = try await req.reports.forms(by: actor, page: req.consolePage(perPage: 30))
        let totals = try await req.reports.fieldTotals(by: actor)
        let names = try await req.admission.departmentNames()
        let rows = page.items.map { f -> [Markup] in
            ["<a href=\"/console/reports/\(f.id)\">\(f.title)</a>\(f.versionNo > 1 ? " <span class=\"badge\">第\(f.versionNo)版</span>" : Markup.empty)",
             Markup.text(names[f.departmentCode] ?? f.departmentCode), Markup.text(f.referenceDate), Markup.text(f.dueDate),
             Markup.text("\(f.automaticCount)/\(f.fieldCount)栏 · \(Self.percent(Int64(f.automaticCount), Int64(f.fieldCount)))")]
        }
        let body: Markup = """
            <h1>一表通</h1>
            <p class="muted">规划：“严格实行行政事务进社区审批准入制度”，推动形成“资源共享、协同服务、便民利民、安全可控”的社区服务信息化发展格局。部门的报表须列入社区工作事项准入清单（数据报表类），平台已有的数据按统计日期自动填报，社区只填写其余栏目。</p>
            <p>现行报表 \(page.total) 张，共 \(Int(totals.fields)) 栏，其中平台自动填报 \(Int(totals.automatic)) 栏（\(Self.percent(totals.automatic, totals.fields))）。</p>
            \(Console.table(["报表", "部门", "统计日期", "报送截止", "自动填报"], rows, empty: "暂无下发到本辖区的报表"))
            \(Console.pager(page, path: "/console/reports", query: []))
            """
        return Console.page(req, user, title: "一表通", crumbs: [Crumb("工作台", "/console"), Crumb("一表通")], body: body)
    }

    func table(req: Request) async throws -> Response {
        let user = try req.webUser(.reportsRead)
        let t = try await ReportsTable.table(req, try req.pathUUID())
        let f = t.form
        let head = ["村/社区", "状态"] + t.columns
        let rows = t.rows.map { r -> [Markup] in
            ["<a href=\"/console/reports/\(f.id)/returns/\(r.communityCode)\">\(r.communityName ?? r.communityCode)</a>",
             Markup.text(r.statusLabel)] + r.values.map { Markup.text($0 ?? "") }
        }
        let fields = f.fields.enumerated().map { i, x -> Markup in
            "<li>\(i + 1). \(x.header)：\(x.kind.label)\(x.measure.map { m in Markup.text("（\(Capabilities.measures.definition(m)?.label ?? m)）") } ?? Markup.empty)</li>"
        }
        let body: Markup = """
            <h1>\(f.title)\(f.versionNo > 1 ? " <span class=\"badge\">第\(f.versionNo)版</span>" : Markup.empty)</h1>
            <p>统计日期 \(f.referenceDate)，报送截止 \(f.dueDate)；已报送 \(t.submitted)/\(t.rows.count) 个村/社区；平台自动填报 \(String(format: "%.1f%%", f.automaticShare))。
            <a class="button" href="/console/reports/\(f.id)/returns.xlsx">导出 Excel</a></p>
            \(f.status == "current" ? Markup.empty : "<p class=\"error\">该报表已有新版本，以下为旧版本的填报。</p>")
            <details><summary>栏目（\(f.fields.count)栏）</summary><ul>\(fields)</ul></details>
            \(Console.table(head, rows, empty: "没有可查看的村/社区"))
            """
        return Console.page(req, user, title: f.title, crumbs: Self.crumbs + [Crumb(f.title)], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.reportsRead)
        return try await ReportsTable.export(req, try req.pathUUID())
    }

    func openReturn(req: Request) async throws -> Response {
        try await render(req, errors: [], typed: nil, status: .ok)
    }

    func render(_ req: Request, errors: [FieldError], typed: [String?]?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.reportsRead)
        let (f, c) = try await ReportsService.target(req)
        let r = try await ReportsService.returnDTO(req, f, c)
        let fields = f.fieldList
        let editable = user.may(.reportsFill) && f.isCurrent && r.status != ReturnStatus.submitted.rawValue
        func err(_ i: Int) -> String? { errors.first { $0.field == "values[\(i)]" }?.message }
        let items = fields.enumerated().map { i, x -> Markup in
            let value = (typed.flatMap { i < $0.count ? $0[i] : nil }) ?? (i < r.values.count ? r.values[i] : nil)
            switch x.kind {
            case .measure:
                let d = x.measure.flatMap { Capabilities.measures.definition($0) }
                return "<div class=\"field\"><span class=\"label\">\(x.header)</span> <b>\(value ?? "—")</b> \(d?.unit ?? "") <small class=\"muted\">平台自动填报\(d.map { Markup.text("：\($0.label)。\($0.note)") } ?? Markup.text("：数据项暂未接入"))</small></div>"
            case .list:
                return "<div class=\"field\"><span class=\"label\">\(x.header)</span> <b>\(value ?? "—")</b> <a href=\"/console/reports/\(f.id)/returns/\(c)/lists/\(i)\">查看名单</a> <small class=\"muted\">平台自动生成</small></div>"
            case .number, .text:
                if !editable { return "<div class=\"field\"><span class=\"label\">\(x.header)</span> <b>\(value ?? "")</b></div>" }
                return Console.field(x.header, name: "v\(i)", value: value, error: err(i), type: x.kind == .number ? "number" : "text", required: true,
                                     extra: x.kind == .number ? "step=\"1\" inputmode=\"numeric\"" : "maxlength=\"\(ReportRules.textMax)\"")
            }
        }
        let fill: Markup = editable ? """
            <form method="post" action="/console/reports/\(f.id)/returns/\(c)">\(Console.csrfField(user))
            \(items)
            <button type="submit" name="action" value="save">保存</button> <button type="submit" name="action" value="submit">核对无误，报送</button></form>
            """ : "\(items)"
        let sendBack: Markup = user.may(.reportsDesign) && r.status == ReturnStatus.submitted.rawValue ? """
            <form method="post" action="/console/reports/\(f.id)/returns/\(c)/send-back">\(Console.csrfField(user))
            \(Console.textarea("退回意见", name: "comment", error: errors.first { $0.field == "comment" }?.message, required: true, maxLength: ReportRules.commentMax))
            <button type="submit">退回更正</button></form>
            """ : .empty
        let body: Markup = """
            <h1>\(r.communityName ?? c) · \(f.title)</h1>
            <p>统计日期 \(f.referenceDate)，报送截止 \(f.dueDate)。状态：<span class="badge">\(r.statusLabel)</span></p>
            \(r.comment.map { (text: String) -> Markup in "<p class=\"error\">部门退回意见：\(text)</p>" } ?? Markup.empty)
            \(Console.formErrors(errors))
            \(fill)
            \(sendBack)
            """
        return Console.page(req, user, title: f.title, crumbs: Self.crumbs + [Crumb(f.title, "/console/reports/\(f.id)"), Crumb(r.communityName ?? c)],
                            body: body, status: status, wide: false)
    }

    func save(req: Request) async throws -> Response {
        let user = try req.webUser(.reportsFill)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, form["csrf"])
        let (f, c) = try await ReportsService.target(req)
        let typed = f.fieldList.indices.map { form["v\($0)"] }
        let submit = form["action"] == "submit"
        do {
            var auto: [Int: String] = [:]
            if submit { auto = try await ReportsService.frozen(req, f, community: c) }
            _ = try await req.reports.saveReturn(form: f.id, community: c, typed: typed, automatic: auto, submit: submit, by: req.reportsActor)
            return req.redirect(to: "/console/reports/\(f.id)/returns/\(c)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, typed: typed, status: .unprocessableEntity)
        }
    }

    func sendBack(req: Request) async throws -> Response {
        let user = try req.webUser(.reportsDesign)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, form["csrf"])
        let (f, c) = try await ReportsService.target(req)
        do {
            _ = try await req.reports.sendBack(form: f.id, community: c, comment: form["comment"], by: req.reportsActor)
            return req.redirect(to: "/console/reports/\(f.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, typed: nil, status: .unprocessableEntity)
        }
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.reportsRead)
        let (f, c) = try await ReportsService.target(req)
        guard let index = req.parameters.get("field").flatMap({ Int($0) }), (0..<ReportRules.fieldsMax).contains(index) else { throw RegistryError.notFound("名单栏目") }
        let reveal = req.formFlag("reveal") && user.may(.reportsReveal)
        guard let found = try await ReportsService.listRows(req, f, field: index, community: c, reveal: reveal) else { throw RegistryError.notFound("名单栏目") }
        let (d, rows) = found
        if reveal {
            try await AuditLog.record(AuditEvent(ReportsAudit.listView, target: .reportForm(f.id), detail: ["community": c, "field": String(index), "rows": String(rows.count)]),
                                      by: req.auditActor, on: req.db, now: req.application.linli.now())
        }
        let header = f.fieldList[index].header
        let shown = rows.prefix(500).map { $0.map { Markup.text($0) } }
        let body: Markup = """
            <h1>\(header)</h1>
            <p>\(rows.count) 人\(rows.count > 500 ? "（显示前500人，完整名单请导出）" : "")。\(!reveal && user.may(.reportsReveal) ? "<a href=\"?reveal=true\">查看完整信息（将记录审计日志）</a>" : Markup.empty)</p>
            \(Console.table(d.columns.map(\.label), Array(shown), empty: "名单为空"))
            """
        return Console.page(req, user, title: header, crumbs: Self.crumbs + [Crumb(f.title, "/console/reports/\(f.id)"), Crumb(header)], body: body)
    }
}
