import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's roster of community workers: the list of one's area (name or pinyin initials, post, form of
/// employment, qualified, registration ending), .xlsx export (audited) and the forms that add or edit a worker.
/// A worker's page is `WorkerPages`; figures, the pay scale and the reserve list are `WorkersAdminPages`.
struct WorkersPages {
    func boot(_ routes: Routes) {
        let w = routes.grouped("console", "workers")
        w.get(needs: .permission(.workersRead), use: list)
        w.get("export.xlsx", needs: .permission(.workersRead), use: export)
        w.get("new", needs: .permission(.workersManage), use: newForm)
        w.post("new", needs: .permission(.workersManage), use: create)
        w.get(":id", "edit", needs: .permission(.workersManage), use: editForm)
        w.post(":id", "edit", needs: .permission(.workersManage), use: update)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("社工队伍", "/console/workers")]
    static let links: Markup = """
        <p><a href="/console/workers">花名册</a> · <a href="/console/workers/figures">队伍统计</a> · <a href="/console/workers/reserves">后备干部</a> · <a href="/console/workers/grades">岗位等级薪酬</a></p>
        """

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.workersRead)
        let scope = try req.narrowedScope(), q = req.workers
        let filter = try WorkersService.filter(req)
        let page = try await q.list(in: scope, filter, page: req.consolePage(perPage: 30))
        let todo = try await q.todo(in: scope)
        let rows = page.items.map { w -> [Markup] in
            ["<a href=\"/console/workers/\(w.id)\">\(w.name)</a>", Markup.text(w.divisionName ?? w.divisionCode), Markup.text(w.post.label),
             Markup.text(w.employment.label), Markup.text(w.qualification?.label ?? "—"), Markup.text(w.title ?? "—"),
             Markup.text(w.registrationValidTo ?? "—"), Markup.text(w.phoneMasked ?? "—")]
        }
        func options<T: RawRepresentable>(_ all: [T], _ label: (T) -> String) -> [(String, String)] where T.RawValue == String {
            [("", "全部")] + all.map { ($0.rawValue, label($0)) }
        }
        let query: [(String, String?)] = [("q", filter.text), ("post", filter.post?.rawValue), ("employment", filter.employment?.rawValue),
                                          ("qualified", filter.qualified.map { $0 ? "true" : "false" }), ("expiring", filter.expiring ? "true" : nil),
                                          ("division", req.formQuery("division"))]
        var exportQuery = URLComponents()
        exportQuery.queryItems = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        let body: Markup = """
            <h1>社工队伍</h1>
            <p class="muted">规划：“积极推进社区工作者职业化进程……出台社区工作者绩效考核办法,实施职业水平评价、专业技术职务聘任、注册管理等制度。”</p>
            \(Self.links)
            <div class="tiles"><div class="tile"><span>符合条件的工作者</span><b>\(page.total)</b></div>
            <div class="tile"><span>注册90天内到期</span><b><a href="/console/workers?expiring=true">\(todo.expiring)</a></b></div>
            <div class="tile"><span>\(req.application.linli.today().year - 1)年度未考核</span><b>\(todo.unappraised)</b></div></div>
            <p>\(user.may(.workersManage) ? "<a class=\"button\" href=\"/console/workers/new\">登记社区工作者</a> · " : Markup.empty)<a href="/console/workers/export.xlsx\(exportQuery.string ?? "")">导出花名册（.xlsx，记入审计）</a></p>
            <form method="get" action="/console/workers" class="filters">
            \(Console.field("姓名或拼音首字母", name: "q", value: filter.text, extra: "maxlength=\"30\""))
            \(Console.select("岗位", name: "post", options: options(WorkerPost.allCases, \.label), selected: filter.post?.rawValue))
            \(Console.select("用工方式", name: "employment", options: options(EmploymentForm.allCases, \.label), selected: filter.employment?.rawValue))
            \(Console.select("职业水平", name: "qualified", options: [("", "全部"), ("true", "持证"), ("false", "未持证")],
                             selected: filter.qualified.map { $0 ? "true" : "false" }))
            \(Console.field("区划代码", name: "division", value: req.formQuery("division"), hint: "村/社区或镇/街道代码", extra: "maxlength=\"12\" inputmode=\"numeric\""))
            <button type="submit">查询</button></form>
            \(Console.table(["姓名", "所在区划", "岗位", "用工方式", "职业水平", "专业技术职称", "注册有效期至", "联系电话"], rows, empty: "没有符合条件的社区工作者"))
            \(Console.pager(page, path: "/console/workers", query: query))
            """
        return Console.page(req, user, title: "社工队伍", crumbs: [Crumb("工作台", "/console"), Crumb("社工队伍")], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.workersRead)
        return try await WorkersService.export(req)
    }

    struct WorkerForm: Content {
        var csrf: String?
        var name: String?
        var post: String?
        var employment: String?
        var division_code: String?
        var title: String?
        var phone: String?
        var hired_on: String?
        var registration_no: String?
        var registered_on: String?
        var registration_valid_to: String?
        var account: String?
        var version: String?

        var body: WorkersService.WorkerBody {
            .init(name: name, post: post, employment: employment, divisionCode: division_code, title: title, phone: phone, hiredOn: hired_on,
                  registrationNo: registration_no, registeredOn: registered_on, registrationValidTo: registration_valid_to, account: account,
                  version: version.flatMap { Int($0) })
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.workersManage)
        return try await render(req, user, WorkerForm(), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ v: WorkerForm, errors: [FieldError], status: HTTPResponseStatus, editing: WorkerRecord? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let today = req.application.linli.today().description
        let divisions = try await DivisionQueries(req.db).all(in: req.registryScope).filter { $0.level != .grid }.sorted { $0.code < $1.code }
        let title = editing == nil ? "登记社区工作者" : "修改社区工作者信息"
        let action = editing.map { "/console/workers/\($0.id)/edit" } ?? "/console/workers/new"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(editing.map { _ -> Markup in "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">" }.orEmpty)
            \(Console.field("姓名", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"30\""))
            \(Console.select("所在区划", name: "division_code", options: [("", "请选择")] + divisions.map { ($0.code, $0.name) }, selected: v.division_code,
                             error: err("division_code"), required: true))
            \(Console.select("岗位", name: "post", options: [("", "请选择")] + WorkerPost.allCases.map { ($0.rawValue, $0.label) }, selected: v.post,
                             error: err("post"), required: true))
            \(Console.select("用工方式", name: "employment", options: [("", "请选择")] + EmploymentForm.allCases.map { ($0.rawValue, $0.label) },
                             selected: v.employment, error: err("employment"), required: true))
            \(Console.field("专业技术职称", name: "title", value: v.title, error: err("title"), hint: "如助理社工师、社工师、高级社工师；没有不填", extra: "maxlength=\"30\""))
            \(Console.field("联系电话", name: "phone", value: v.phone, error: err("phone"), type: "tel", hint: "列表和导出中只显示脱敏号码", extra: "maxlength=\"20\" inputmode=\"tel\""))
            \(Console.field("入职日期", name: "hired_on", value: v.hired_on, error: err("hired_on"), type: "date", extra: "max=\"\(today)\""))
            \(Console.field("注册证号", name: "registration_no", value: v.registration_no, error: err("registration_no"), hint: "注册管理：证号、注册日期、有效期一并填写",
                            extra: "maxlength=\"40\""))
            \(Console.field("注册日期", name: "registered_on", value: v.registered_on, error: err("registered_on"), type: "date", extra: "max=\"\(today)\""))
            \(Console.field("注册有效期至", name: "registration_valid_to", value: v.registration_valid_to, error: err("registration_valid_to"), type: "date"))
            \(Console.field("平台账号", name: "account", value: v.account, error: err("account"), hint: "工作者本人的平台账号（用户名），关联后本人可查看自己的档案",
                            extra: "maxlength=\"40\""))
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (editing.map { [Crumb($0.name, "/console/workers/\($0.id)")] } ?? []) + [Crumb(editing == nil ? "登记" : "修改")]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    /// The edit form, filled from the entry; the full phone is read for it (an audited view).
    func editForm(req: Request) async throws -> Response {
        let user = try req.webUser(.workersManage)
        let w = try await WorkersService.find(req, id: try req.pathUUID())
        let phone = try await req.workers.phone(of: w.id, by: req.workersActor)
        let v = WorkerForm(name: w.name, post: w.post.rawValue, employment: w.employment.rawValue, division_code: w.divisionCode, title: w.title, phone: phone,
                           hired_on: w.hiredOn, registration_no: w.registrationNo, registered_on: w.registeredOn, registration_valid_to: w.registrationValidTo,
                           account: w.accountUsername, version: String(w.version))
        return try await render(req, user, v, errors: [], status: .ok, editing: w)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.workersManage)
        let form = (try? req.content.decode(WorkerForm.self)) ?? WorkerForm()
        try req.checkCSRF(user, form.csrf)
        let w = try await WorkersService.find(req, id: try req.pathUUID())
        do {
            _ = try await WorkersService.update(req, id: w.id, form.body)
            return req.redirect(to: "/console/workers/\(w.id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity, editing: w)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict, editing: w)
        } catch RegistryError.staleVersion {
            return try await render(req, user, form, errors: [FieldError("version", "该工作者的信息已被他人修改，请重新打开编辑页后再改")], status: .conflict, editing: w)
        }
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.workersManage)
        let form = (try? req.content.decode(WorkerForm.self)) ?? WorkerForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let w = try await WorkersService.create(req, form.body)
            return req.redirect(to: "/console/workers/\(w.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict)
        }
    }
}
