import Foundation
import LinliCore
import LinliData
import Vapor

/// An organization's console page: its entry (the phone masked — the full number is a separate, audited view),
/// annual reports, status, the incubation base, the support ledger with totals per year, and its projects; the
/// forms for each, shown to those who may use them. A refused form comes back with its messages.
struct OrganizationPages {
    func boot(_ routes: Routes) {
        let o = routes.grouped("console", "organizations")
        o.get(":id", needs: .permission(.organizationsRead), use: show)
        o.get(":id", "phone", needs: .permission(.organizationsRead), use: phone)
        o.post(":id", "reports", needs: .permission(.organizationsWrite), use: report)
        o.post(":id", "status", needs: .permission(.organizationsWrite), use: status)
        o.post(":id", "incubation", needs: .permission(.organizationsSupport), use: incubation)
        o.post(":id", "support", needs: .permission(.organizationsSupport), use: support)
    }

    struct Form: Content {
        var csrf: String?
        var year: String?
        var received_on: String?
        var action: String?
        var date: String?
        var version: String?
        var entered_on: String?
        var graduated_on: String?
        var note: String?
        var kind: String?
        var amount: String?
        var on_date: String?
        var giver: String?
        var document_no: String?
    }

    func show(req: Request) async throws -> Response {
        try await render(req, errors: [], message: req.formQuery("done").map { _ in "已保存。" }, status: .ok)
    }

    func render(_ req: Request, errors: [FieldError], message: String?, status: HTTPResponseStatus, phone: String? = nil) async throws -> Response {
        let user = try req.webUser(.organizationsRead)
        let o = try await OrganizationsService.find(req, id: try req.pathUUID()), q = req.organizations
        let today = req.application.linli.today().description
        let reports = try await q.reports(of: o.id), stays = try await q.incubations(of: o.id), support = try await q.support(of: o.id)
        let projects = try await q.projects(in: req.registryScope, organization: o.id, page: PageRequest(page: 1, perPage: 50))
        let own = req.registryScope.contains(code: o.divisionCode)
        let mayEdit = own && (o.registration == .filed ? user.may(.organizationsWrite) : user.may(.organizationsRegister))
        let csrf = Console.csrfField(user)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }

        var forms: Markup = .empty
        if own && user.may(.organizationsWrite) && o.status != .deregistered {
            forms += """
                <section><h2>登记年度报告</h2><form method="post" action="/console/organizations/\(o.id)/reports" class="filters">\(csrf)
                \(Console.field("报告年度", name: "year", value: String(req.application.linli.today().year - 1), error: err("year"), type: "number", required: true, extra: "min=\"2000\" step=\"1\""))
                \(Console.field("收到日期", name: "received_on", value: today, error: err("received_on"), type: "date", required: true, extra: "max=\"\(today)\""))
                <button type="submit">登记</button></form></section>
                """
        }
        let actions = OrganizationWorkflow.actions(from: o.status)
        if mayEdit && !actions.isEmpty {
            forms += """
                <section><h2>变更状态</h2><form method="post" action="/console/organizations/\(o.id)/status" class="filters">\(csrf)
                <input type="hidden" name="version" value="\(o.version)">
                \(Console.select("变更为", name: "action", options: actions.map { ($0.rawValue, $0.label) }, required: true))
                \(Console.field("日期", name: "date", value: today, error: err("date"), type: "date", required: true, extra: "max=\"\(today)\""))
                <button type="submit">确认变更</button></form></section>
                """
        }
        if own && user.may(.organizationsSupport) && o.status != .deregistered {
            let incubationForm: Markup = o.incubating
                ? "\(Console.field("出壳日期", name: "graduated_on", value: today, error: err("graduated_on"), type: "date", required: true, extra: "max=\"\(today)\""))<button type=\"submit\">登记出壳</button>"
                : "\(Console.field("入驻日期", name: "entered_on", value: today, error: err("entered_on"), type: "date", required: true, extra: "max=\"\(today)\""))\(Console.field("说明", name: "note", extra: "maxlength=\"200\""))<button type=\"submit\">入驻孵化基地</button>"
            forms += """
                <section><h2>社会组织孵化基地</h2><form method="post" action="/console/organizations/\(o.id)/incubation" class="filters">\(csrf)\(incubationForm)</form></section>
                <section><h2>登记扶持（培育、补贴、奖励）</h2><form method="post" action="/console/organizations/\(o.id)/support">\(csrf)
                \(Console.select("方式", name: "kind", options: [("", "请选择")] + SupportKind.allCases.map { ($0.rawValue, $0.label) }, error: err("kind"), required: true))
                \(Console.field("金额（元）", name: "amount", error: err("amount_fen"), hint: "资金、补贴、奖励须填写；场地、培训可不填", extra: "inputmode=\"decimal\" maxlength=\"12\""))
                \(Console.field("日期", name: "on_date", value: today, error: err("on_date"), type: "date", required: true, extra: "max=\"\(today)\""))
                \(Console.field("给予单位", name: "giver", error: err("giver"), required: true, extra: "maxlength=\"60\""))
                \(Console.field("文号", name: "document_no", extra: "maxlength=\"60\""))
                \(Console.field("说明", name: "note", extra: "maxlength=\"300\""))
                <button type="submit">登记</button></form></section>
                """
        }
        let stayRows = stays.map { s -> [Markup] in [Markup.text(s.enteredOn), Markup.text(s.graduatedOn ?? "在孵"), Markup.text(s.note ?? "")] }
        let supportRows = support.map { s -> [Markup] in
            [Markup.text(s.onDate), Markup.text(s.kind.label), Markup.text(s.amountFen.map { Money.yuan($0) + "元" } ?? "—"), Markup.text(s.giver),
             Markup.text(s.documentNo ?? ""), Markup.text(s.note ?? "")]
        }
        let totals = OrganizationsQueries.totals(support).map { t -> [Markup] in ["\(t.year)年", "\(t.entries)", Markup.text(Money.yuan(t.amountFen) + "元")] }
        let projectRows = projects.items.map { p -> [Markup] in
            ["<a href=\"/console/organizations/projects/\(p.id)\">\(p.title)</a>", Markup.text(p.mode.label), Markup.text(p.buyer),
             Markup.text(Money.yuan(p.contractFen) + "元"), Markup.text("\(p.startsOn) 至 \(p.endsOn)"), Markup.text(p.score.map(String.init) ?? "—")]
        }
        let phoneLine: Markup = phone.map { Markup.text($0) } ?? "\(o.phoneMasked) <a href=\"/console/organizations/\(o.id)/phone\">查看完整号码（记入审计）</a>"
        let body: Markup = """
            <h1>\(o.name) \(OrganizationsPages.badge(o.status))\(o.incubating ? " <span class=\"badge\">在孵</span>" : Markup.empty)</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p>类型：\(o.kind.label)（\(o.registration.label)）<br>统一社会信用代码：\(o.creditCode ?? "—（备案）")<br>服务领域：\(o.field.label)<br>
            所在（服务）区划：\(o.divisionName ?? o.divisionCode)<br>法定代表人（负责人）：\(o.legalPerson) · \(phoneLine)<br>
            成立日期：\(o.foundedOn) · \(o.registration.label)日期：\(o.registeredOn)\(o.statusOn.map { d -> Markup in "<br>状态变更日期：\(d)" }.orEmpty)</p>
            \(mayEdit ? "<p><a href=\"/console/organizations/\(o.id)/edit\">修改组织信息</a></p>" : Markup.empty)
            <h2>年度报告</h2>
            \(reports.isEmpty ? "<p class=\"empty\">尚无年度报告</p>" : "<p>\(reports.map { r -> Markup in "\(r.year)年度（\(r.receivedOn)收到）" }.joined(separator: "；"))</p>")
            <h2>孵化</h2>
            \(Console.table(["入驻日期", "出壳日期", "说明"], stayRows, empty: "未入驻孵化基地"))
            <h2>扶持台账</h2>
            \(Console.table(["年度", "笔数", "金额合计"], totals, empty: "尚无扶持记录"))
            \(Console.table(["日期", "方式", "金额", "给予单位", "文号", "说明"], supportRows, empty: ""))
            <h2>承接的项目</h2>
            \(Console.table(["项目", "方式", "购买（资助）单位", "合同金额", "服务期", "评估得分"], projectRows, empty: "尚未承接政府购买服务、资助项目或合同外包"))
            \(user.may(.organizationsProjects) && o.status != .deregistered ? "<p><a href=\"/console/organizations/projects/new?organization_id=\(o.id)\">为该组织登记项目</a></p>" : Markup.empty)
            \(forms)
            """
        return Console.page(req, user, title: o.name, crumbs: OrganizationsPages.crumbs + [Crumb(o.name)], body: body, status: status)
    }

    /// The full phone: a full view, audited.
    func phone(req: Request) async throws -> Response {
        _ = try req.webUser(.organizationsRead)
        let phone = try await req.organizations.phone(of: try req.pathUUID(), by: req.organizationsActor)
        return try await render(req, errors: [], message: nil, status: .ok, phone: phone)
    }

    /// Runs a form's write; a refusal re-renders the page with its messages.
    func handle(_ req: Request, _ needs: Permission, _ write: (Form, UUID) async throws -> Void) async throws -> Response {
        let user = try req.webUser(needs)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            try await write(form, id)
            return req.redirect(to: "/console/organizations/\(id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, errors: [e], message: nil, status: .conflict)
        } catch RegistryError.staleVersion {
            return try await render(req, errors: [OrganizationsService.stale], message: nil, status: .conflict)
        }
    }

    func report(req: Request) async throws -> Response {
        try await handle(req, .organizationsWrite) { f, id in
            _ = try await req.organizations.recordReport(id, year: f.year.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
                                                         receivedOn: try OrganizationsService.date(f.received_on, "received_on"), by: req.organizationsActor)
        }
    }

    func status(req: Request) async throws -> Response {
        try await handle(req, .organizationsWrite) { f, id in
            _ = try await OrganizationsService.changeStatus(req, id: id, .init(action: f.action, date: f.date, version: f.version.flatMap { Int($0) }))
        }
    }

    func incubation(req: Request) async throws -> Response {
        try await handle(req, .organizationsSupport) { f, id in
            if f.graduated_on != nil {
                _ = try await req.organizations.graduate(id, on: try OrganizationsService.date(f.graduated_on, "graduated_on"), by: req.organizationsActor)
            } else {
                _ = try await req.organizations.enterIncubation(id, on: try OrganizationsService.date(f.entered_on, "entered_on"), note: f.note, by: req.organizationsActor)
            }
        }
    }

    func support(req: Request) async throws -> Response {
        try await handle(req, .organizationsSupport) { f, id in
            var fen: Int?
            if let a = f.amount?.trimmingCharacters(in: .whitespaces), !a.isEmpty {
                guard let v = Money.fen(a) else { throw RegistryError.invalid([FieldError("amount_fen", "金额应为元，最多两位小数")]) }
                fen = v
            }
            _ = try await OrganizationsService.support(req, id: id, .init(kind: f.kind, amountFen: fen, onDate: f.on_date, giver: f.giver, documentNo: f.document_no,
                                                                          note: f.note))
        }
    }
}
