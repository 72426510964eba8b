import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 救助金发放 pages: the rolls with the form to generate one, a roll with its lines (names
/// masked), the street's check, the bank's file and 已发放. Forms post with the CSRF token; the data layer is
/// the API's, so scope, rules and audit are the same.
struct AssistancePayrollPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "assistance", "payrolls")
        p.get(needs: .permission(.assistanceReview), use: list)
        p.post(needs: .permission(.assistanceReview), use: generate)
        p.get(":id", needs: .permission(.assistanceReview), use: show)
        p.post(":id", "check", needs: .permission(.assistanceReview), use: check)
        p.post(":id", "paid", needs: .permission(.assistanceReview), use: paid)
        p.get(":id", "export", needs: .permission(.assistanceReview), use: export)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("救助金发放", "/console/assistance/payrolls")]

    static func form(_ req: Request, _ user: WebUser) throws -> [String: String] {
        let f = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, f["csrf"])
        return f
    }

    static func yuan(_ n: Int) -> String { "\(n) 元" }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceReview)
        let page = try await req.assistance.rolls(in: req.registryScope, month: nil, page: req.consolePage(perPage: 30))
        let month = AssistanceMonth.of(req.application.linli.today())
        let street = req.registryScope.prefix.count == 9 ? req.registryScope.prefix + "000" : ""
        let rows = page.items.map { r -> [Markup] in
            ["<a href=\"/console/assistance/payrolls/\(r.id)\">\(r.month)</a>", "\(r.streetName ?? r.streetCode)", "\(r.status.label)",
             "\(r.lines)", "\(Self.yuan(r.total))"]
        }
        let body: Markup = """
            <h1>救助金发放</h1>
            \(AssistancePages.tabs("/console/assistance/payrolls", user))
            <p>每月按街道（镇）从已批准的救助案件生成发放名册：按月发放的类别自起始月份起每月一笔，临时救助和医疗救助在批准当月一笔。名册核对前可重新生成；核对、发放后不再变动，发放有误以更正记录补发或扣回。</p>
            <form method="post" action="/console/assistance/payrolls">
            \(Console.csrfField(user))
            \(Console.field("街道（镇）代码", name: "street_code", value: street, required: true, hint: "9位区划代码"))
            \(Console.field("发放月份", name: "month", value: month, type: "month", required: true))
            <button type="submit">生成名册</button>
            </form>
            \(Console.table(["月份", "街道（镇）", "状态", "笔数", "合计"], rows, empty: "尚未生成发放名册"))
            \(Console.pager(page, path: "/console/assistance/payrolls", query: []))
            """
        return Console.page(req, user, title: "救助金发放", crumbs: [Self.crumbs[0], Crumb("救助金发放")], body: body)
    }

    func generate(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceReview)
        let f = try Self.form(req, user)
        let r = try await req.assistance.generateRoll(street: f["street_code"], month: f["month"], by: req.assistanceActor)
        return req.redirect(to: "/console/assistance/payrolls/\(r.id.uuidString)", redirectType: .normal)
    }

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.assistanceReview)
        let id = try req.pathUUID(), q = req.assistance
        guard let roll = try await q.roll(id, in: req.registryScope) else { throw RegistryError.notFound("发放名册") }
        let lines = try await q.lines(of: id, in: req.registryScope, page: req.consolePage(perPage: 50))
        let rows = lines.items.map { p -> [Markup] in
            ["\(p.caseNumber ?? "")", "\(Masking.name(p.applicantName ?? ""))", "\(p.kind.shortLabel)", "\(Self.yuan(p.amount))", "\(p.month)",
             "\(p.communityName ?? p.communityCode)", p.correctionOf == nil ? "" : "更正：\(p.note ?? "")"]
        }
        var actions: Markup = "<a href=\"/console/assistance/payrolls/\(roll.id)/export\">导出银行发放文件（.xlsx，含完整身份证号，记入审计）</a>"
        switch roll.status {
        case .generated:
            actions += """
                <form method="post" action="/console/assistance/payrolls" class="inline">\(Console.csrfField(user))
                <input type="hidden" name="street_code" value="\(roll.streetCode)"><input type="hidden" name="month" value="\(roll.month)">
                <button type="submit">重新生成</button></form>
                <form method="post" action="/console/assistance/payrolls/\(roll.id)/check" class="inline">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(roll.version)"><button type="submit">核对无误</button></form>
                """
        case .checked:
            actions += """
                <form method="post" action="/console/assistance/payrolls/\(roll.id)/paid" class="inline">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(roll.version)"><button type="submit">银行已发放</button></form>
                """
        case .paid: break
        }
        let body: Markup = """
            <h1>\(roll.month) 救助金发放名册</h1>
            <p>\(roll.streetName ?? roll.streetCode) · \(roll.status.label) · \(roll.lines) 笔 · 合计 \(Self.yuan(roll.total))</p>
            <p>生成：\(roll.generatedBy) \(Console.time(roll.generatedAt))\(roll.checkedBy.map { "；核对：\($0)" } ?? "")\(roll.paidBy.map { "；发放确认：\($0)" } ?? "")</p>
            <div class="actions">\(actions)</div>
            \(Console.table(["案件编号", "申请人", "类别", "金额", "所属期", "社区", "备注"], rows, empty: "本月没有应发放的案件"))
            \(Console.pager(lines, path: "/console/assistance/payrolls/\(roll.id.uuidString)", query: []))
            """
        return Console.page(req, user, title: "\(roll.month) 救助金发放名册", crumbs: Self.crumbs + [Crumb(roll.month)], body: body)
    }

    func advance(_ req: Request, to target: AssistanceRollStatus) async throws -> Response {
        let user = try req.webUser(.assistanceReview)
        let f = try Self.form(req, user)
        let r = try await req.assistance.advanceRoll(try req.pathUUID(), to: target, version: f["version"].flatMap { Int($0) }, by: req.assistanceActor)
        return req.redirect(to: "/console/assistance/payrolls/\(r.id.uuidString)", redirectType: .normal)
    }

    func check(req: Request) async throws -> Response { try await advance(req, to: .checked) }
    func paid(req: Request) async throws -> Response { try await advance(req, to: .paid) }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.assistanceReview)
        return try await AssistancePayrollExport.download(req)
    }

    /// A case's payments, for the case page: month, kind, amount, status, corrections with their reason.
    static func history(_ payments: [AssistancePaymentRecord]) -> Markup {
        let rows = payments.map { p -> [Markup] in
            ["\(p.month)", "\(p.kind.shortLabel)", "\(yuan(p.amount))", "\(p.status.label)", "\(p.rollMonth ?? "")",
             p.correctionOf == nil ? "" : "更正：\(p.note ?? "")"]
        }
        return "<h2>发放记录</h2>" + Console.table(["所属期", "类别", "金额", "状态", "名册月份", "备注"], rows, empty: "尚无发放记录")
    }
}
