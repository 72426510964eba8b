import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 区划调整: the orders of one's area, the form that drafts one, an order's page with its preview (before
/// and after figures) and its approve / cancel / apply-now buttons, a division's history (区划沿革) and the accounts an
/// order left for the security administrator. Forms carry the CSRF token; a refused form re-renders with its messages.
struct BoundaryPages {
    func boot(_ routes: Routes) {
        let b = routes.grouped("console", "boundary")
        b.get(needs: .permission(.boundaryRead), use: list)
        b.get("new", needs: .permission(.boundaryManage), use: newForm)
        b.post("new", needs: .permission(.boundaryManage), use: create)
        b.get("accounts", needs: .permission(.accountsManage), use: accounts)
        b.post("accounts", ":id", needs: .permission(.accountsManage), use: resolve)
        b.get("divisions", ":code", needs: .permission(.registryRead), use: division)
        b.get(":id", needs: .permission(.boundaryRead), use: order)
        b.post(":id", "approve", needs: .permission(.boundaryManage), use: approve)
        b.post(":id", "cancel", needs: .permission(.boundaryManage), use: cancel)
        b.post(":id", "apply", needs: .permission(.boundaryManage), use: apply)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("区划调整", "/console/boundary")]
    static let clause: Markup = "<p class=\"muted\">规划：“按照以房管人管户管单位和一定规模要求对社区进行合理区划调整”；“适当撤并小型社区、整合空心社区、缩减自然社区、搬迁偏远社区、打造中心社区,消除社区管理的空白”。</p>"

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.boundaryRead)
        let orders = try await req.boundary.list(in: req.registryScope)
        let names = try await BoundaryService.names(req, orders)
        let rows = orders.map { o -> [Markup] in
            ["<a href=\"/console/boundary/\(o.id)\">\(o.summary(names: names))</a>", Markup.text(o.kind.label), Markup.text(o.effectiveOn.description),
             Markup.text(o.documentNo), Markup.text(o.state.label)]
        }
        let retired = try await req.boundary.retired(in: req.registryScope).filter { $0.level == .community }
        let retiredRows = retired.map { r -> [Markup] in
            [Markup.text("\(r.name)（\(r.code)）"), Markup.text(r.retiredOn),
             r.successorCode.map { c -> Markup in "<a href=\"/console/boundary/divisions/\(c)\">\(names[c] ?? c)（\(c)）</a>" } ?? "—"]
        }
        let body: Markup = """
            <h1>区划调整</h1>
            \(Self.clause)
            \(user.may(.boundaryManage) ? "<p><a class=\"button\" href=\"/console/boundary/new\">拟定调整令</a></p>" : Markup.empty)
            <h2>调整令</h2>
            \(Console.table(["调整内容", "方式", "生效日期", "批准文号", "状态"], rows, empty: "本辖区没有区划调整令"))
            <h2>已撤销的村/社区</h2>
            \(Console.table(["原村/社区", "撤销日期", "由谁承继"], retiredRows, empty: "本辖区没有撤销的村/社区"))
            """
        return Console.page(req, user, title: "区划调整", crumbs: [Crumb("工作台", "/console"), Crumb("区划调整")], body: body)
    }

    struct OrderForm: Content {
        var csrf: String?
        var kind: String?
        var sources: String?
        var new_names: String?
        var receiving_street: String?
        var target: String?
        var buildings: String?
        var effective_on: String?
        var document_no: String?
        var document_title: String?

        static func split(_ s: String?) -> [String] {
            (s ?? "").split(whereSeparator: { ",，、; \n\r\t".contains($0) }).map(String.init).filter { !$0.isEmpty }
        }

        /// Buildings as typed: one per line, `楼栋编号` or `楼栋编号=序号` (the new community's number in the names, from 1).
        func body() throws -> BoundaryService.OrderBody {
            var map: [String: Int] = [:]
            for line in (buildings ?? "").split(whereSeparator: \.isNewline) {
                let parts = line.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard let id = parts.first, !id.isEmpty else { continue }
                let index = parts.count > 1 ? Int(parts[1]).map { $0 - 1 } : 0
                guard let index else { throw RegistryError.invalid([FieldError("buildings", "“\(line.prefix(60))”：序号应为数字")]) }
                map[id] = index
            }
            return .init(kind: kind, sources: Self.split(sources), newNames: Self.split(new_names), receivingStreet: receiving_street, target: target,
                         buildings: map, effectiveOn: effective_on, documentNo: document_no, documentTitle: document_title)
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.boundaryManage)
        return try await render(req, user, OrderForm(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ v: OrderForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let today = req.application.linli.today().description
        let streets = try await DivisionQueries(req.db).all(in: req.registryScope, level: .street)
        let body: Markup = """
            <h1>拟定区划调整令</h1>
            \(Self.clause)
            \(Console.formErrors(errors))
            <form method="post" action="/console/boundary/new">\(Console.csrfField(user))
            \(Console.select("调整方式", name: "kind", options: [("", "请选择")] + BoundaryKind.allCases.map { ($0.rawValue, $0.label) }, selected: v.kind,
                             error: err("kind"), required: true))
            \(Console.field("涉及的区划代码", name: "sources", value: v.sources, error: err("sources"), required: true,
                            hint: "合并：两个以上村/社区（或同一社区的网格）代码；拆分：一个村/社区；调整楼栋：迁出的村/社区或网格。以逗号分隔", extra: "maxlength=\"400\""))
            \(Console.field("新区划名称", name: "new_names", value: v.new_names, error: err("new_names"), hint: "合并填一个，拆分按顺序填两个以上，以逗号分隔；调整楼栋不填",
                            extra: "maxlength=\"200\""))
            \(Console.select("接收的镇/街道", name: "receiving_street", options: [("", "（同一镇/街道内合并不必选）")] + streets.map { ($0.code, $0.name) },
                             selected: v.receiving_street, error: err("receiving_street")))
            \(Console.field("迁入的网格代码", name: "target", value: v.target, error: err("target"), hint: "仅调整楼栋时填写（15位）", extra: "maxlength=\"15\" inputmode=\"numeric\""))
            \(Console.textarea("楼栋", name: "buildings", value: v.buildings, error: err("buildings"), maxLength: 200_000))
            <p class="muted">拆分：每行“楼栋编号=序号”，序号为新名称的次序（从1起），每幢楼都要分配；调整楼栋：每行一个楼栋编号。</p>
            \(Console.field("生效日期", name: "effective_on", value: v.effective_on, error: err("effective_on"), type: "date", required: true, extra: "min=\"\(today)\""))
            \(Console.field("批准文号", name: "document_no", value: v.document_no, error: err("document_no"), required: true, extra: "maxlength=\"100\""))
            \(Console.field("批准文件标题", name: "document_title", value: v.document_title, error: err("document_title"), required: true, extra: "maxlength=\"100\""))
            <button type="submit">保存为草稿</button></form>
            """
        return Console.page(req, user, title: "拟定区划调整令", crumbs: Self.crumbs + [Crumb("拟定")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.boundaryManage)
        let form = (try? req.content.decode(OrderForm.self)) ?? OrderForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let o = try await req.boundary.create(try BoundaryService.input(try form.body()), in: req.registryScope, by: req.auditActor)
            return req.redirect(to: "/console/boundary/\(o.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        }
    }

    func figures(_ title: String, _ rows: [BoundaryFigures]) -> Markup {
        let body = rows.map { f -> [Markup] in
            [Markup.text("\(f.name)（\(f.code)）"), "\(f.residents)", "\(f.households)", "\(f.elders)", "\(f.openRequests)", "\(f.careRoll)",
             "\(f.buildings)", "\(f.grids)"]
        }
        return "<h3>\(title)</h3>" + Console.table(["区划", "在册居民", "户数", "60岁以上", "未办结诉求", "居家养老在册", "楼栋", "网格"], body)
    }

    func order(req: Request) async throws -> Response {
        let user = try req.webUser(.boundaryRead)
        let q = req.boundary
        let o = try await q.find(try req.pathUUID(), in: req.registryScope)
        let names = try await BoundaryService.names(req, [o])
        var preview = Markup.empty
        if o.state == .draft || o.state == .approved {
            do {
                let started = ContinuousClock.now
                let p = try await q.preview(o.id, in: req.registryScope)
                let ms = (ContinuousClock.now - started).components
                let millis = ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000
                let created = p.plan.created.filter { $0.level != .grid || o.kind == .merge }.map { d -> Markup in
                    "<li>\(d.name)（\(d.code)，\(d.level.label)）</li>"
                }
                preview = "<h2>预览（用时 \(Int(millis)) 毫秒）</h2>" + figures("调整前", p.before) + figures("调整后", p.after)
                    + (created.isEmpty ? Markup.empty : "<h3>将新设的区划（代码按上级区划下未用过的下一个编号，已撤销的代码不再使用）</h3><ul>\(created)</ul>")
            } catch RegistryError.conflictingState(let why) {
                preview = "<p role=\"alert\">\(why)</p>"
            }
        }
        var actions = Markup.empty
        if user.may(.boundaryManage) {
            func button(_ path: String, _ label: String) -> Markup {
                "<form method=\"post\" action=\"/console/boundary/\(o.id)/\(path)\" class=\"inline\">\(Console.csrfField(user))<input type=\"hidden\" name=\"version\" value=\"\(o.version)\"><button type=\"submit\">\(label)</button></form>"
            }
            if o.state == .draft { actions += button("approve", "批准") }
            if o.state == .approved && o.effectiveOn <= req.application.linli.today() { actions += button("apply", "立即实施") }
            if o.state == .draft || o.state == .approved { actions += button("cancel", "撤销") }
        }
        let applied: Markup = o.plan.map { plan -> Markup in
            let rows = plan.codes.sorted { $0.key < $1.key }.map { k, v -> [Markup] in
                [Markup.text("\(names[k] ?? k)（\(k)）"), "<a href=\"/console/boundary/divisions/\(v)\">\(names[v] ?? v)（\(v)）</a>"]
            }
            return "<h2>实施结果</h2>" + Console.table(["撤销的区划", "承继的区划"], rows)
        } ?? Markup.empty
        let flash: Markup = req.formQuery("done").map { _ in "<p role=\"status\">已保存。</p>" } ?? Markup.empty
        let body: Markup = """
            <h1>\(o.summary(names: names))</h1>
            \(flash)
            <dl class="facts"><dt>方式</dt><dd>\(o.kind.label)</dd><dt>状态</dt><dd>\(o.state.label)</dd><dt>生效日期</dt><dd>\(o.effectiveOn.description)</dd>
            <dt>批准文件</dt><dd>\(o.documentNo) \(o.documentTitle)</dd><dt>拟定人</dt><dd>\(Self.actor(o.createdBy))</dd>
            \(o.approvedBy.map { a -> Markup in "<dt>批准登记</dt><dd>\(Self.actor(a))</dd>" }.orEmpty)</dl>
            \(actions)
            \(preview)
            \(applied)
            """
        return Console.page(req, user, title: "区划调整令", crumbs: Self.crumbs + [Crumb(o.documentNo)], body: body)
    }

    /// An account's name, or the platform itself for a command's or the demo's writes (stored as "(cli)", "(demo)").
    static func actor(_ username: String) -> String {
        username.hasPrefix("(") ? (username == "(demo)" ? "系统（演示数据）" : "系统（命令行）") : username
    }

    struct VersionForm: Content { var csrf: String?; var version: String? }

    func act(_ req: Request, _ step: String) async throws -> Response {
        let user = try req.webUser(.boundaryManage)
        let form = (try? req.content.decode(VersionForm.self)) ?? VersionForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        guard let version = form.version.flatMap({ Int($0) }) else { throw RegistryError.invalid([FieldError("version", "缺少版本号，请刷新页面后重试")]) }
        switch step {
        case "apply": _ = try await BoundaryService.apply(req, id, version: version)
        default: _ = try await req.boundary.decide(id, approve: step == "approve", version: version, in: req.registryScope, by: req.auditActor)
        }
        return req.redirect(to: "/console/boundary/\(id)?done=1", redirectType: .normal)
    }

    func approve(req: Request) async throws -> Response { try await act(req, "approve") }
    func cancel(req: Request) async throws -> Response { try await act(req, "cancel") }
    func apply(req: Request) async throws -> Response { try await act(req, "apply") }

    /// 区划沿革 of a division: what it succeeded and the records that came into it; for a retired one, its successor.
    func division(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        let raw = req.parameters.get("code") ?? ""
        guard let code = try? DivisionCode(raw), req.registryScope.contains(code: code.value) else { throw RegistryError.notFound("区划") }
        let q = req.boundary
        let live = try await DivisionQueries(req.db).find(code: code.value, in: req.registryScope)
        let retired = try await q.retiredDivision(code.value, in: req.registryScope)
        guard let name = live?.name ?? retired?.name else { throw RegistryError.notFound("区划") }
        let predecessors = try await q.predecessors(of: code.value)
        let kinds = ["resident": "居民", "household": "户", "building": "楼栋", "dwelling": "房屋", "unit": "驻区单位", "request": "诉求", "account": "账号"]
        let arrivals = try await q.arrivals(into: code.value).map { a -> [Markup] in
            [Markup.text(a.on), Markup.text(a.from), Markup.text(kinds[a.kind] ?? a.kind), "\(a.count)"]
        }
        let pre = predecessors.map { p -> [Markup] in
            [Markup.text("\(p.name)（\(p.code)，\(p.level.label)）"), Markup.text(p.retiredOn), Markup.text(p.successorCode ?? "—")]
        }
        let status: Markup = retired.map { r -> Markup in
            "<p role=\"status\">该区划已于 \(r.retiredOn) 撤销\(r.successorCode.map { c -> Markup in "，由 <a href=\"/console/boundary/divisions/\(c)\">\(c)</a> 承继" }.orEmpty)。</p>"
        } ?? Markup.empty
        let body: Markup = """
            <h1>\(name) · 区划沿革</h1>
            \(status)
            <h2>前身</h2>
            \(Console.table(["原区划", "撤销日期", "承继者"], pre, empty: "没有前身：未经合并或拆分"))
            <h2>因区划调整迁入的记录</h2>
            \(Console.table(["生效日期", "原区划代码", "记录", "数量"], arrivals, empty: "没有因区划调整迁入的记录"))
            """
        return Console.page(req, user, title: "区划沿革", crumbs: [Crumb("工作台", "/console"), Crumb("区划沿革")], body: body)
    }

    /// The small "区划沿革" section of a resident's, household's or building's page: empty when the record never moved.
    static func historySection(_ req: Request, record: UUID) async throws -> Markup {
        let scope = req.registryScope
        let entries = try await req.boundary.history(of: record).filter { scope.contains(code: $0.oldCode) || scope.contains(code: $0.newCode) }
        guard !entries.isEmpty else { return Markup.empty }
        let rows = entries.map { e -> [Markup] in [Markup.text(e.effectiveOn), Markup.text(e.oldCode), Markup.text(e.newCode), Markup.text(e.documentNo)] }
        return "<section aria-labelledby=\"boundary-history-h\"><h2 id=\"boundary-history-h\">区划沿革</h2>"
            + Console.table(["生效日期", "原区划代码", "现区划代码", "批准文号"], rows) + "</section>"
    }

    func accounts(req: Request) async throws -> Response {
        let user = try req.webUser(.accountsManage)
        let flags = try await req.boundary.accountFlags()
        let rows = flags.map { f -> [Markup] in
            [Markup.text(f.username), Markup.text(f.oldCode), Markup.text(f.newCode),
             "<form method=\"post\" action=\"/console/boundary/accounts/\(f.id)\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\">已核查</button></form>"]
        }
        let body: Markup = """
            <h1>区划调整后待核查的账号</h1>
            <p class="muted">这些账号原属的区划已拆分撤销，已暂归第一个承继区划；请核对其管辖范围（在账号管理中修改），核对后标记为已核查。</p>
            \(Console.table(["账号", "原区划", "暂归区划", ""], rows, empty: "没有待核查的账号"))
            """
        return Console.page(req, user, title: "待核查的账号", crumbs: [Crumb("工作台", "/console"), Crumb("待核查的账号")], body: body)
    }

    func resolve(req: Request) async throws -> Response {
        let user = try req.webUser(.accountsManage)
        let form = (try? req.content.decode(VersionForm.self)) ?? VersionForm()
        try req.checkCSRF(user, form.csrf)
        try await req.boundary.resolveFlag(try req.pathUUID(), by: req.auditActor)
        return req.redirect(to: "/console/boundary/accounts", redirectType: .normal)
    }
}
