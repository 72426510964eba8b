import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 就业援助 pages: the register with its filters (动态管理: who has not been contacted in 30 days)
/// and the registration form. A person's page is `EmploymentPersonPages`, posts and the roll `EmploymentJobsPages`.
struct EmploymentPages {
    func boot(_ routes: Routes) {
        let e = routes.grouped("console", "employment")
        e.get(needs: .permission(.employmentRead), use: list)
        e.get("new", needs: .permission(.employmentWrite), use: newRegistration)
        e.post("new", needs: .permission(.employmentWrite), use: register)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("就业援助", "/console/employment")]

    static func tabs(_ current: String, _ user: WebUser) -> Markup {
        var items = [("失业登记", "/console/employment")]
        if user.may(.employmentWrite) { items.append(("办理登记", "/console/employment/new")) }
        items.append(("公益性岗位", "/console/employment/posts"))
        if user.may(.employmentJobs) { items.append(("岗位补贴名册", "/console/employment/allowances")) }
        items.append(("安置期限", "/console/employment/settings"))
        return "<p class=\"tabs\">\(items.map { l, h -> Markup in h == current ? "<b>\(l)</b>" : "<a href=\"\(h)\">\(l)</a>" }.joined(separator: " · "))</p>"
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentRead)
        var filter = EmploymentFilter()
        let status = req.formQuery("status") ?? "open"
        filter.status = RegistrationStatus(rawValue: status)
        filter.designated = req.formFlag("designated") ? true : nil
        filter.overdueContact = req.formFlag("overdue_contact")
        let category = req.formQuery("category")
        filter.category = category.flatMap(DifficultyCategory.init(rawValue:))
        let scope = try req.narrowedScope(), division = req.formQuery("division")
        let q = req.employment, today = req.application.linli.today()
        let page = try await q.registrations(in: scope, filter: filter, page: req.consolePage(perPage: 30))
        let f = try await q.figures(in: scope)
        let rows = page.items.map { r -> [Markup] in
            let d = RegistrationListDTO(r, today: today)
            return ["<a href=\"/console/employment/\(d.id)\">\(d.name)</a>", Markup.text(d.idNumberMasked), Markup.text(d.registeredOn),
                    d.status == .open ? "<span class=\"badge\">在册</span>" : "<span class=\"badge\">已退出</span>",
                    d.designated ? "<span class=\"badge yellow\">就业困难人员</span>" : "—",
                    d.contactOverdue ? "<span class=\"badge red\">\(d.lastContactOn)（超过30天）</span>" : Markup.text(d.lastContactOn)]
        }
        let tiles: [Markup] = [("在册失业人员", f.registered, ""), ("就业困难人员", f.designated, "yellow"), ("超过30天未联系", f.overdue, "red"),
                               ("公益性岗位在岗", f.placed, "")]
            .map { (t: (String, Int, String)) -> Markup in "<div class=\"tile \(t.1 > 0 ? t.2 : "")\"><span>\(t.0)</span><b>\(t.1)</b></div>" }
        let body: Markup = """
            <h1>就业援助</h1>
            \(Self.tabs("/console/employment", user))
            <p class="muted">实行失业人员动态管理：登记后每月至少联系一次，超过30天未联系的列为待办；就业困难人员优先推荐就业、安置公益性岗位。</p>
            <div class="tiles">\(tiles)</div>
            <form method="get" action="/console/employment" class="filters">
              \(Console.select("状态", name: "status", options: [("open", "在册"), ("exited", "已退出"), ("all", "全部")], selected: status))
              \(Console.select("就业困难人员", name: "designated", options: [("", "全部"), ("true", "仅就业困难人员")], selected: filter.designated == true ? "true" : nil))
              \(Console.select("类别", name: "category", options: [("", "全部类别")] + DifficultyCategory.allCases.map { ($0.rawValue, $0.shortLabel) }, selected: category))
              \(Console.select("动态管理", name: "overdue_contact", options: [("", "全部"), ("true", "超过30天未联系")], selected: filter.overdueContact ? "true" : nil))
              <button type="submit">筛选</button>
            </form>
            \(Console.table(["姓名", "公民身份号码", "登记日期", "状态", "认定", "最近联系"], rows, empty: "没有符合条件的失业登记"))
            \(Console.pager(page, path: "/console/employment", query: [("division", division), ("status", status), ("designated", filter.designated == true ? "true" : nil),
                                                                     ("category", category), ("overdue_contact", filter.overdueContact ? "true" : nil)]))
            """
        return Console.page(req, user, title: "就业援助", crumbs: [Crumb("工作台", "/console"), Crumb("就业援助")], body: body)
    }

    // MARK: 失业登记

    struct RegistrationForm: Content {
        var csrf: String?
        var resident_id: String?
        var registered_on: String?
        var reason: String?
        var last_job: String?
        var skills: String?
        var wishes: String?
        var categories: [String]?
        var category_note: String?
    }

    func newRegistration(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentWrite)
        return try await render(req, user, key: req.formQuery("resident"), form: RegistrationForm(registered_on: req.application.linli.today().description),
                                errors: [], status: .ok)
    }

    /// The resident by ID number or id, in scope.
    static func resident(_ req: Request, _ key: String?) async throws -> ResidentRecord? {
        guard let key = key?.trimmedOrNil else { return nil }
        if let id = UUID(uuidString: key) { return try await req.residents.find(id: id, in: req.registryScope) }
        return try await req.residents.find(idNumber: key.uppercased(), in: req.registryScope)
    }

    func render(_ req: Request, _ user: WebUser, key: String?, form: RegistrationForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let found = try await Self.resident(req, key)
        var parts: [Markup] = ["<h1>失业登记</h1>", Self.tabs("/console/employment/new", user),
                               "<p class=\"muted\">劳动年龄（16至59岁）的居民从人口登记中选取；同一居民只能有一条在册登记。登记后“失业人员”标记自动加上，退出登记时自动去掉。</p>"]
        parts.append("""
            <form method="get" action="/console/employment/new" class="filters">
            \(Console.field("公民身份号码", name: "resident", value: found == nil ? key : nil, error: key != nil && found == nil ? "本辖区人口登记中没有这个身份号码" : nil,
                            required: true, extra: "maxlength=\"36\" autocomplete=\"off\""))
            <button type="submit">查找居民</button></form>
            """)
        if !errors.isEmpty { parts.append("<p class=\"muted\">登记未保存：</p>\(Console.formErrors(errors))") }
        if let r = found {
            let checked = Set(form.categories ?? [])
            let boxes = DifficultyCategory.allCases.map { c -> Markup in
                "<label><input type=\"checkbox\" name=\"categories[]\" value=\"\(c.rawValue)\"\(checked.contains(c.rawValue) ? " checked" : "")> \(c.label)</label>"
            }
            parts.append("""
                <form method="post" action="/console/employment/new">\(Console.csrfField(user))
                <input type="hidden" name="resident_id" value="\(r.id.uuidString)">
                <p><b>\(r.name)</b>（\(r.sex.label)，\(r.birthDate)出生，\(r.idMasked)，户号 \(r.householdNumber)）\(err("resident_id").map { "<span class=\"field-error\">\($0)</span>" }.orEmpty)</p>
                \(Console.field("登记日期", name: "registered_on", value: form.registered_on, error: err("registered_on"), type: "date", required: true))
                \(Console.field("失业原因", name: "reason", value: form.reason, error: err("reason"), required: true, extra: "maxlength=\"200\""))
                \(Console.field("原工作单位和岗位", name: "last_job", value: form.last_job, error: err("last_job"), extra: "maxlength=\"200\""))
                \(Console.field("技能特长", name: "skills", value: form.skills, error: err("skills"), extra: "maxlength=\"200\""))
                \(Console.field("就业意愿", name: "wishes", value: form.wishes, error: err("wishes"), extra: "maxlength=\"200\""))
                <fieldset class="\(err("categories") == nil ? "" : "invalid")"><legend>就业困难人员认定（符合的类别；不认定则不选）</legend>\(boxes)
                \(err("categories").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
                \(Console.field("认定说明（选“其他”时必填）", name: "category_note", value: form.category_note, error: err("category_note"), extra: "maxlength=\"200\""))
                <button type="submit">登记</button></form>
                """)
        }
        return Console.page(req, user, title: "失业登记", crumbs: Self.crumbs + [Crumb("办理登记")], body: parts.joined(separator: "\n"), status: status)
    }

    func register(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentWrite)
        let form = try req.content.decode(RegistrationForm.self)
        try req.checkCSRF(user, form.csrf)
        do {
            let body = EmploymentService.RegistrationBody(residentId: form.resident_id.flatMap(UUID.init(uuidString:)), registeredOn: form.registered_on,
                                                          reason: form.reason, lastJob: form.last_job, skills: form.skills, wishes: form.wishes,
                                                          categories: form.categories, categoryNote: form.category_note)
            let r = try await EmploymentService.register(req, body)
            return req.redirect(to: "/console/employment/\(r.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, key: form.resident_id, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await render(req, user, key: form.resident_id, form: form, errors: [error], status: .conflict)
        }
    }
}
