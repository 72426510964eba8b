import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 社会组织 register: the list of one's area (search by name or pinyin initials, kind, status, field,
/// in incubation), its figures and .xlsx export (audited), and the form that registers (登记) or files (备案) an
/// organization. An organization's own page is `OrganizationPages`; projects are `OrganizationsProjectPages`.
struct OrganizationsPages {
    func boot(_ routes: Routes) {
        let o = routes.grouped("console", "organizations")
        o.get(needs: .permission(.organizationsRead), use: list)
        o.get("export.xlsx", needs: .permission(.organizationsRead), use: export)
        o.get("new", needs: .permission(.organizationsWrite), use: newForm)
        o.post("new", needs: .permission(.organizationsWrite), use: create)
        o.get(":id", "edit", needs: .permission(.organizationsWrite), use: editForm)
        o.post(":id", "edit", needs: .permission(.organizationsWrite), use: update)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("社会组织", "/console/organizations")]

    static func badge(_ s: OrganizationStatus) -> Markup {
        switch s {
        case .active: return "<span class=\"badge\">正常活动</span>"
        case .dormant: return "<span class=\"badge yellow\">休眠</span>"
        case .deregistered: return "<span class=\"badge red\">已注销</span>"
        }
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsRead)
        let scope = try req.narrowedScope(), q = req.organizations
        let filter = try OrganizationsService.filter(req)
        let page = try await q.list(in: scope, filter, page: req.consolePage(perPage: 30))
        let f = try await q.figures(in: scope)
        let rows = page.items.map { o -> [Markup] in
            ["<a href=\"/console/organizations/\(o.id)\">\(o.name)</a>\(o.incubating ? " <span class=\"badge\">在孵</span>" : Markup.empty)",
             Markup.text(o.kind.label), Markup.text(o.field.label), Markup.text(o.creditCode ?? "备案"), Markup.text(o.divisionName ?? o.divisionCode),
             Markup.text(o.registeredOn), Self.badge(o.status)]
        }
        func options<T: RawRepresentable>(_ all: [T], _ label: (T) -> String) -> [(String, String)] where T.RawValue == String {
            [("", "全部")] + all.map { ($0.rawValue, label($0)) }
        }
        let query: [(String, String?)] = [("q", filter.text), ("kind", filter.kind?.rawValue), ("status", filter.status?.rawValue),
                                          ("field", filter.field?.rawValue), ("incubating", filter.incubating.map { $0 ? "true" : "false" }),
                                          ("division", req.formQuery("division"))]
        var exportQuery = URLComponents()
        exportQuery.queryItems = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        let body: Markup = """
            <h1>社会组织</h1>
            <p class="muted">采取“培育+补贴+奖励+购买”方式，大力扶持参与社区服务的社会组织。规划目标：社会组织450家以上，每年登记40家以上。</p>
            <div class="tiles"><div class="tile"><span>在册（未注销）</span><b>\(f.onBooks)</b></div><div class="tile"><span>正常活动</span><b>\(f.active)</b></div>
            <div class="tile"><span>本年新登记、备案</span><b>\(f.newThisYear)</b></div><div class="tile"><span>在孵化基地</span><b>\(f.incubating)</b></div></div>
            <p>\(user.may(.organizationsWrite) ? "<a class=\"button\" href=\"/console/organizations/new\">登记或备案社会组织</a> · " : Markup.empty)<a href="/console/organizations/projects">政府购买服务、资助项目、合同外包</a> · <a href="/console/organizations/export.xlsx\(exportQuery.string ?? "")">导出名录（.xlsx，记入审计）</a></p>
            <form method="get" action="/console/organizations" class="filters">
            \(Console.field("名称或拼音首字母", name: "q", value: filter.text, extra: "maxlength=\"30\""))
            \(Console.select("类型", name: "kind", options: options(OrganizationKind.allCases, \.label), selected: filter.kind?.rawValue))
            \(Console.select("状态", name: "status", options: options(OrganizationStatus.allCases, \.label), selected: filter.status?.rawValue))
            \(Console.select("服务领域", name: "field", options: options(OrganizationField.allCases, \.label), selected: filter.field?.rawValue))
            \(Console.select("孵化", name: "incubating", options: [("", "全部"), ("true", "在孵")], selected: filter.incubating == true ? "true" : nil))
            <button type="submit">查询</button></form>
            \(Console.table(["名称", "类型", "服务领域", "统一社会信用代码", "所在区划", "登记（备案）日期", "状态"], rows, empty: "没有符合条件的社会组织"))
            \(Console.pager(page, path: "/console/organizations", query: query))
            """
        return Console.page(req, user, title: "社会组织", crumbs: [Crumb("工作台", "/console"), Crumb("社会组织")], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.organizationsRead)
        return try await OrganizationsService.export(req)
    }

    struct OrgForm: Content {
        var csrf: String?
        var name: String?
        var kind: String?
        var field: String?
        var credit_code: String?
        var legal_person: String?
        var phone: String?
        var founded_on: String?
        var registered_on: String?
        var division_code: String?
        var version: String?

        var body: OrganizationsService.OrganizationBody {
            .init(name: name, kind: kind, field: field, creditCode: credit_code, legalPerson: legal_person, phone: phone, foundedOn: founded_on,
                  registeredOn: registered_on, divisionCode: division_code, version: version.flatMap { Int($0) })
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsWrite)
        let division = user.account.divisionCode.count == 12 ? user.account.divisionCode : nil
        return try await render(req, user, OrgForm(kind: user.may(.organizationsRegister) ? nil : OrganizationKind.community.rawValue, division_code: division),
                                errors: [], status: .ok)
    }

    /// The form of a new organization, or of `editing` (with its version).
    func render(_ req: Request, _ user: WebUser, _ v: OrgForm, errors: [FieldError], status: HTTPResponseStatus,
                editing: OrganizationRecord? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let today = req.application.linli.today().description
        let kinds = OrganizationKind.allCases.filter { user.may(.organizationsRegister) || $0 == .community }
        // The divisions of the caller's area an organization may be in: streets (registered ones) and communities.
        let dq = DivisionQueries(req.db)
        let divisions = (try await dq.all(in: req.registryScope, level: .street) + (try await dq.all(in: req.registryScope, level: .community)))
            .sorted { $0.code < $1.code }
        let title = editing == nil ? "登记或备案社会组织" : "修改社会组织信息"
        let action = editing.map { "/console/organizations/\($0.id)/edit" } ?? "/console/organizations/new"
        let body: Markup = """
            <h1>\(title)</h1>
            <p class="muted">社会团体、民办非企业单位（社会服务机构）、基金会在民政部门登记，填写统一社会信用代码；社区社会组织在所在村（社区）备案，不填代码。</p>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(editing.map { _ -> Markup in "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">" }.orEmpty)
            \(Console.field("组织名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.select("类型", name: "kind", options: [("", "请选择")] + kinds.map { ($0.rawValue, $0.label) }, selected: v.kind, error: err("kind"), required: true))
            \(Console.field("统一社会信用代码", name: "credit_code", value: v.credit_code, error: err("credit_code"), hint: "登记的组织填写18位代码（见登记证书）；备案的社区社会组织不填",
                            extra: "maxlength=\"24\" autocapitalize=\"characters\""))
            \(Console.select("服务领域", name: "field", options: [("", "请选择")] + OrganizationField.allCases.map { ($0.rawValue, $0.label) }, selected: v.field,
                             error: err("field"), required: true))
            \(Console.select("所在（服务）区划", name: "division_code", options: [("", "请选择")] + divisions.map { ($0.code, $0.name) }, selected: v.division_code,
                             error: err("division_code"), required: true))
            \(Console.field("法定代表人（负责人）", name: "legal_person", value: v.legal_person, error: err("legal_person"), required: true, extra: "maxlength=\"30\""))
            \(Console.field("联系电话", name: "phone", value: v.phone, error: err("phone"), type: "tel", required: true, hint: "列表和导出中只显示脱敏号码",
                            extra: "maxlength=\"20\" inputmode=\"tel\""))
            \(Console.field("成立日期", name: "founded_on", value: v.founded_on, error: err("founded_on"), type: "date", required: true, extra: "max=\"\(today)\""))
            \(Console.field("登记（备案）日期", name: "registered_on", value: v.registered_on, error: err("registered_on"), type: "date", required: true,
                            extra: "max=\"\(today)\""))
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (editing.map { [Crumb($0.name, "/console/organizations/\($0.id)")] } ?? []) + [Crumb(editing == nil ? "登记或备案" : "修改")]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    /// The edit form, filled from the entry; the full phone is read for it (an audited view).
    func editForm(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsWrite)
        let o = try await OrganizationsService.find(req, id: try req.pathUUID())
        let phone = try await req.organizations.phone(of: o.id, by: req.organizationsActor)
        let v = OrgForm(name: o.name, kind: o.kind.rawValue, field: o.field.rawValue, credit_code: o.creditCode, legal_person: o.legalPerson, phone: phone,
                        founded_on: o.foundedOn, registered_on: o.registeredOn, division_code: o.divisionCode, version: String(o.version))
        return try await render(req, user, v, errors: [], status: .ok, editing: o)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsWrite)
        let form = (try? req.content.decode(OrgForm.self)) ?? OrgForm()
        try req.checkCSRF(user, form.csrf)
        let o = try await OrganizationsService.find(req, id: try req.pathUUID())
        do {
            _ = try await OrganizationsService.update(req, id: o.id, form.body)
            return req.redirect(to: "/console/organizations/\(o.id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity, editing: o)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict, editing: o)
        } catch RegistryError.staleVersion {
            // The form keeps what was typed at the old version, so the way on is to reopen it.
            return try await render(req, user, form, errors: [FieldError("version", "该社会组织的信息已被他人修改，请重新打开编辑页后再改")],
                                    status: .conflict, editing: o)
        }
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsWrite)
        let form = (try? req.content.decode(OrgForm.self)) ?? OrgForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let o = try await OrganizationsService.create(req, form.body)
            return req.redirect(to: "/console/organizations/\(o.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict)
        }
    }
}
