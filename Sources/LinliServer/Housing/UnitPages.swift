import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's units (驻区单位): the list of one's area (name or its pinyin initials, kind, opening facilities),
/// .xlsx export (audited), the form that adds or edits a unit, a unit's page.
struct UnitPages {
    func boot(_ routes: Routes) {
        let u = routes.grouped("console", "housing", "units")
        u.get(needs: .permission(.housingRead), use: list)
        u.get("export.xlsx", needs: .permission(.housingRead), use: export)
        u.get("new", needs: .permission(.housingWrite), use: newForm)
        u.post("new", needs: .permission(.housingWrite), use: create)
        u.get(":id", needs: .permission(.housingRead), use: unit)
        u.get(":id", "edit", needs: .permission(.housingWrite), use: editForm)
        u.post(":id", "edit", needs: .permission(.housingWrite), use: update)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("驻区单位", "/console/housing/units")]

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let scope = try req.narrowedScope()
        let text = try req.queryString("q", maxLength: 30), kind = try req.queryEnum("kind", UnitKind.self), opens = try req.queryBool("opens_facilities")
        let page = try await req.housing.units(in: scope, text: text, kind: kind, opens: opens, page: req.consolePage(perPage: 30))
        let rows = page.items.map { u -> [Markup] in
            ["<a href=\"/console/housing/units/\(u.id)\">\(u.name)</a>", Markup.text(u.creditCode), Markup.text(u.kind.label),
             "<a href=\"/console/housing/buildings/\(u.buildingId)\">\(u.buildingName ?? "—")</a>", Markup.text(u.employees.map(String.init) ?? "—"),
             Markup.text(u.opensFacilities ? "是" : "否")]
        }
        let query: [(String, String?)] = [("q", text), ("kind", kind?.rawValue), ("opens_facilities", opens.map { $0 ? "true" : "false" }), ("division", req.formQuery("division"))]
        var exportQuery = URLComponents()
        exportQuery.queryItems = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        let body: Markup = """
            <h1>驻区单位</h1>
            <p class="muted">规划：“督促驻区单位将文化、教育、体育等活动设施向社区居民免费或低收费开放,实现社区资源共建共享”。</p>
            \(HousingPages.links)
            <p>\(user.may(.housingWrite) ? "<a class=\"button\" href=\"/console/housing/units/new\">登记单位</a> · " : Markup.empty)<a href="/console/housing/units/export.xlsx\(exportQuery.string ?? "")">导出（.xlsx，记入审计）</a></p>
            <form method="get" action="/console/housing/units" class="filters">
            \(Console.field("名称、拼音首字母或信用代码", name: "q", value: text, extra: "maxlength=\"30\""))
            \(Console.select("类别", name: "kind", options: [("", "全部")] + UnitKind.allCases.map { ($0.rawValue, $0.label) }, selected: kind?.rawValue))
            \(Console.select("向居民开放设施", name: "opens_facilities", options: [("", "全部"), ("true", "开放"), ("false", "未开放")], selected: opens.map { $0 ? "true" : "false" }))
            \(Console.field("区划代码", name: "division", value: req.formQuery("division"), hint: "村/社区、网格或镇/街道代码", extra: "maxlength=\"15\" inputmode=\"numeric\""))
            <button type="submit">查询</button></form>
            <p>共 \(page.total) 个</p>
            \(Console.table(["单位名称", "统一社会信用代码", "类别", "所在楼栋", "从业人数", "开放设施"], rows, empty: "没有符合条件的单位"))
            \(Console.pager(page, path: "/console/housing/units", query: query))
            """
        return Console.page(req, user, title: "驻区单位", crumbs: [Crumb("工作台", "/console"), Crumb("驻区单位")], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.housingRead)
        return try await HousingService.exportUnits(req)
    }

    struct UnitForm: Content {
        var csrf: String?
        var name: String?
        var credit_code: String?
        var kind: String?
        var building_id: String?
        var contact_name: String?
        var contact_phone: String?
        var employees: String?
        var opens_facilities: String?
        var safety_person: String?
        var version: String?

        func body() throws -> HousingService.UnitBody {
            var employees: Int?
            if let e = self.employees?.trimmedOrNil {
                guard let v = Int(e) else { throw RegistryError.invalid([FieldError("employees", "从业人数应为整数")]) }
                employees = v
            }
            return .init(name: name, creditCode: credit_code, kind: kind, buildingId: building_id, contactName: contact_name, contactPhone: contact_phone,
                         employees: employees, opensFacilities: opens_facilities == "true", safetyPerson: safety_person, version: version.flatMap { Int($0) })
        }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        return try await render(req, user, UnitForm(building_id: try req.queryUUID("building")?.uuidString), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ v: UnitForm, errors: [FieldError], status: HTTPResponseStatus, editing: UnitRecord? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        var buildings = try await HousingPages.buildingOptions(req)
        if let b = v.building_id, !buildings.contains(where: { $0.0 == b }), let id = UUID(uuidString: b),
           let found = try await BuildingQueries(req.db).find(id: id, in: req.registryScope) {
            buildings.insert((b, found.name), at: 0)
        }
        let title = editing == nil ? "登记单位" : "修改单位信息"
        let action = editing.map { "/console/housing/units/\($0.id)/edit" } ?? "/console/housing/units/new"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(editing.map { _ -> Markup in "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\">" }.orEmpty)
            \(Console.field("单位名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("统一社会信用代码", name: "credit_code", value: v.credit_code, error: err("credit_code"), required: true, hint: "18位，见营业执照或登记证书", extra: "maxlength=\"22\""))
            \(Console.select("单位类别", name: "kind", options: [("", "请选择")] + UnitKind.allCases.map { ($0.rawValue, $0.label) }, selected: v.kind, error: err("kind"), required: true))
            \(Console.select("所在楼栋", name: "building_id", options: [("", "请选择")] + buildings, selected: v.building_id, error: err("building_id"), required: true))
            \(Console.field("联系人", name: "contact_name", value: v.contact_name, error: err("contact_name"), extra: "maxlength=\"30\""))
            \(Console.field("联系电话", name: "contact_phone", value: v.contact_phone, error: err("contact_phone"), type: "tel", hint: "列表和导出中只显示脱敏号码", extra: "maxlength=\"20\" inputmode=\"tel\""))
            \(Console.field("从业人数", name: "employees", value: v.employees, error: err("employees"), extra: "inputmode=\"numeric\" maxlength=\"7\""))
            \(Console.select("向居民开放活动设施（共建共享）", name: "opens_facilities", options: [("false", "否"), ("true", "是")], selected: v.opens_facilities ?? "false"))
            \(Console.field("安全责任人", name: "safety_person", value: v.safety_person, error: err("safety_person"), extra: "maxlength=\"30\""))
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (editing.map { [Crumb($0.name, "/console/housing/units/\($0.id)")] } ?? []) + [Crumb(editing == nil ? "登记" : "修改")]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(UnitForm.self)) ?? UnitForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let u = try await HousingService.createUnit(req, try form.body())
            return req.redirect(to: "/console/housing/units/\(u.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict)
        }
    }

    func unit(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let u = try await HousingService.findUnit(req, id: try req.pathUUID())
        let body: Markup = """
            <h1>\(u.name)</h1>
            \(HousingPages.links)
            <dl class="facts"><dt>统一社会信用代码</dt><dd>\(u.creditCode)</dd><dt>类别</dt><dd>\(u.kind.label)</dd>
            <dt>所在楼栋</dt><dd><a href="/console/housing/buildings/\(u.buildingId)">\(u.buildingName ?? "—")</a></dd>
            <dt>联系人</dt><dd>\(u.contactName ?? "—") \(u.contactPhoneMasked ?? "")</dd><dt>从业人数</dt><dd>\(u.employees.map(String.init) ?? "—")</dd>
            <dt>向居民开放设施</dt><dd>\(u.opensFacilities ? "是（共建共享）" : "否")</dd><dt>安全责任人</dt><dd>\(u.safetyPerson ?? "—")</dd></dl>
            \(user.may(.housingWrite) ? "<p><a href=\"/console/housing/units/\(u.id)/edit\">修改</a></p>" : Markup.empty)
            """
        return Console.page(req, user, title: u.name, crumbs: Self.crumbs + [Crumb(u.name)], body: body)
    }

    /// The edit form, filled from the entry; the full phone is read for it (an audited view).
    func editForm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let u = try await HousingService.findUnit(req, id: try req.pathUUID())
        let phone = try await req.housing.unitPhone(of: u.id, by: req.housingActor)
        let v = UnitForm(name: u.name, credit_code: u.creditCode, kind: u.kind.rawValue, building_id: u.buildingId.uuidString, contact_name: u.contactName,
                         contact_phone: phone, employees: u.employees.map(String.init), opens_facilities: u.opensFacilities ? "true" : "false",
                         safety_person: u.safetyPerson, version: String(u.version))
        return try await render(req, user, v, errors: [], status: .ok, editing: u)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(UnitForm.self)) ?? UnitForm()
        try req.checkCSRF(user, form.csrf)
        let u = try await HousingService.findUnit(req, id: try req.pathUUID())
        do {
            _ = try await HousingService.updateUnit(req, id: u.id, try form.body())
            return req.redirect(to: "/console/housing/units/\(u.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity, editing: u)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict, editing: u)
        } catch RegistryError.staleVersion {
            return try await render(req, user, form, errors: [FieldError("version", "该单位信息已被他人修改，请重新打开编辑页后再改")], status: .conflict, editing: u)
        }
    }
}
