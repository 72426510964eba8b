import Foundation
import LinliCore
import LinliData
import Vapor

/// 公益性岗位 in the console: the posts of the area with their places, a post with its placements and the
/// placement form, the street's monthly allowance roll (and its .xlsx, audited), and the placement term.
struct EmploymentJobsPages {
    func boot(_ routes: Routes) {
        let e = routes.grouped("console", "employment")
        e.get("posts", needs: .permission(.employmentRead), use: posts)
        e.post("posts", needs: .permission(.employmentJobs), use: createPost)
        e.get("posts", ":id", needs: .permission(.employmentRead), use: post)
        e.post("posts", ":id", "placements", needs: .permission(.employmentJobs), use: place)
        e.post("placements", ":id", "end", needs: .permission(.employmentJobs), use: endPlacement)
        e.get("allowances", needs: .permission(.employmentJobs), use: roll)
        e.get("allowances.xlsx", needs: .permission(.employmentJobs), use: rollExport)
        e.get("settings", needs: .permission(.employmentRead), use: settings)
        e.post("settings", needs: .permission(.employmentConfigure), use: saveSettings)
    }

    struct PostForm: Content {
        var csrf: String?
        var title: String?
        var employer: String?
        var community_code: String?
        var hours_per_week: String?
        var monthly_allowance: String?
        var places: String?
    }

    func posts(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentRead)
        return try await renderPosts(req, user, form: PostForm(hours_per_week: "40"), errors: [], status: .ok)
    }

    func renderPosts(_ req: Request, _ user: WebUser, form: PostForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let page = try await req.employment.posts(in: try req.narrowedScope(), page: req.consolePage(perPage: 30))
        let rows = page.items.map { p -> [Markup] in
            ["<a href=\"/console/employment/posts/\(p.id)\">\(p.title)</a>", Markup.text(p.employer), Markup.text(p.communityName ?? p.communityCode),
             "\(p.hoursPerWeek)小时/周", "\(p.monthlyAllowance)元/月", "\(p.filled ?? 0) / \(p.places)"]
        }
        var parts: [Markup] = ["<h1>公益性岗位</h1>", EmploymentPages.tabs("/console/employment/posts", user),
                               "<p class=\"muted\">加大城市社区公益性岗位开发，优先安置就业困难人员；安置期限由区统一规定。</p>",
                               Console.table(["岗位", "用人单位", "村/社区", "工时", "岗位补贴", "在岗/名额"], rows, empty: "本辖区尚无公益性岗位"),
                               Console.pager(page, path: "/console/employment/posts", query: [("division", req.formQuery("division"))])]
        if user.may(.employmentJobs) {
            let communities = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community)
            parts.append("""
                <h2 id="new-post">开发岗位</h2>\(Console.formErrors(errors))
                <form method="post" action="/console/employment/posts">\(Console.csrfField(user))
                \(Console.field("岗位名称", name: "title", value: form.title, error: err("title"), required: true, extra: "maxlength=\"100\""))
                \(Console.field("用人单位", name: "employer", value: form.employer, error: err("employer"), required: true, extra: "maxlength=\"100\""))
                \(Console.select("村/社区", name: "community_code", options: communities.map { ($0.code, $0.name) }, selected: form.community_code, error: err("community_code")))
                \(Console.field("每周工时", name: "hours_per_week", value: form.hours_per_week, error: err("hours_per_week"), type: "number", required: true, extra: "min=\"1\" max=\"44\""))
                \(Console.field("每月岗位补贴（元）", name: "monthly_allowance", value: form.monthly_allowance, error: err("monthly_allowance"), type: "number", required: true, extra: "min=\"0\""))
                \(Console.field("岗位数", name: "places", value: form.places, error: err("places"), type: "number", required: true, extra: "min=\"1\""))
                <button type="submit">保存岗位</button></form>
                """)
        }
        return Console.page(req, user, title: "公益性岗位", crumbs: EmploymentPages.crumbs + [Crumb("公益性岗位")], body: parts.joined(separator: "\n"), status: status)
    }

    func createPost(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentJobs)
        let form = try req.content.decode(PostForm.self)
        try req.checkCSRF(user, form.csrf)
        var errors: [FieldError] = []
        func int(_ raw: String?, _ field: String) -> Int? {
            guard let raw = raw?.trimmedOrNil else { return nil }
            guard let v = Int(raw) else { errors.append(FieldError(field, "请填写整数")); return nil }
            return v
        }
        let input = PostInput(title: form.title, employer: form.employer, communityCode: form.community_code, hoursPerWeek: int(form.hours_per_week, "hours_per_week"),
                              monthlyAllowance: int(form.monthly_allowance, "monthly_allowance"), places: int(form.places, "places"))
        do {
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            let p = try await req.employment.createPost(input, by: req.employmentActor)
            return req.redirect(to: "/console/employment/posts/\(p.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderPosts(req, user, form: form, errors: errors, status: .unprocessableEntity)
        }
    }

    struct PlaceForm: Content {
        var csrf: String?
        var resident: String?
        var start_on: String?
        var end_on: String?
    }

    func post(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentRead)
        return try await renderPost(req, user, id: try req.pathUUID(), form: PlaceForm(), errors: [], status: .ok)
    }

    func renderPost(_ req: Request, _ user: WebUser, id: UUID, form: PlaceForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        guard let p = try await req.employment.post(id, in: req.registryScope) else { throw RegistryError.notFound("公益性岗位") }
        let today = req.application.linli.today()
        let term = try await req.employment.termMonths().months
        let jobs = user.may(.employmentJobs)
        let placements = try await req.employment.placements(ofPost: id)
        func holding(_ x: EmploymentPlacementRecord) -> Bool { !(CivilDate(x.untilOn).map { $0 < today } ?? false) }
        let rows = placements.map { x -> [Markup] in
            [Markup.text(Masking.name(x.name ?? "")), Markup.text(x.idMasked ?? ""), Markup.text(x.startOn), Markup.text(x.untilOn),
             holding(x) ? "<span class=\"badge yellow\">在岗</span>" : "<span class=\"badge\">已结束</span>", Markup.text(x.endedReason ?? "—")]
        }
        // 提前离岗, one small form per placement still holding its place: the place is free from the next day.
        let endForms = jobs ? placements.filter(holding).map { x -> Markup in
            """
            <details><summary>提前离岗：\(Masking.name(x.name ?? ""))（\(x.startOn)上岗）</summary>
            <form method="post" action="/console/employment/placements/\(x.id)/end">\(Console.csrfField(user))
            <input type="hidden" name="version" value="\(x.version)"><input type="hidden" name="post" value="\(p.id.uuidString)">
            <div class="field"><label for="end-on-\(x.id)">离岗日期</label><input id="end-on-\(x.id)" name="ended_on" type="date" value="\(today.description)" required></div>
            <div class="field"><label for="end-why-\(x.id)">离岗原因</label><input id="end-why-\(x.id)" name="ended_reason" maxlength="200" required></div>
            <button type="submit">提前离岗</button></form></details>
            """
        } : []
        var parts: [Markup] = ["""
            <h1>\(p.title)</h1>
            <p>\(p.employer) · \(p.communityName ?? p.communityCode) · 每周\(p.hoursPerWeek)小时 · 每月补贴\(p.monthlyAllowance)元 · 在岗 \(p.filled ?? 0) / \(p.places)</p>
            \(Console.formErrors(errors.filter { $0.field.hasPrefix("ended_") }))
            \(Console.table(["姓名", "公民身份号码", "上岗日期", "安置至", "状态", "离岗原因"], rows, empty: "尚无安置"))
            \(endForms)
            """]
        if user.may(.employmentJobs) {
            parts.append("""
                <h2 id="place">安置就业困难人员</h2>\(Console.formErrors(errors.filter { !$0.field.hasPrefix("ended_") }))
                <form method="post" action="/console/employment/posts/\(p.id)/placements">\(Console.csrfField(user))
                \(Console.field("公民身份号码", name: "resident", value: form.resident, error: err("resident_id") ?? err("post_id"), required: true,
                                hint: "须为已认定的就业困难人员，且有在册失业登记", extra: "maxlength=\"36\" autocomplete=\"off\""))
                \(Console.field("上岗日期", name: "start_on", value: form.start_on ?? today.description, error: err("start_on"), type: "date", required: true))
                \(Console.field("安置结束日期", name: "end_on", value: form.end_on, error: err("end_on"), type: "date", required: true, hint: "安置期限不超过\(term)个月"))
                <button type="submit">安置</button></form>
                """)
        }
        return Console.page(req, user, title: p.title, crumbs: EmploymentPages.crumbs + [Crumb("公益性岗位", "/console/employment/posts"), Crumb(p.title)],
                            body: parts.joined(separator: "\n"), status: status)
    }

    func place(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentJobs)
        let form = try req.content.decode(PlaceForm.self)
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            let resident = try await EmploymentPages.resident(req, form.resident)
            guard let resident else { throw RegistryError.invalid([FieldError("resident_id", "本辖区人口登记中没有这个身份号码")]) }
            _ = try await EmploymentService.place(req, post: id, resident: resident.id, start: form.start_on, end: form.end_on)
            return req.redirect(to: "/console/employment/posts/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderPost(req, user, id: id, form: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await renderPost(req, user, id: id, form: form, errors: [error], status: .conflict)
        }
    }

    struct EndForm: Content { var csrf: String?; var version: Int?; var post: String?; var ended_on: String?; var ended_reason: String? }

    func endPlacement(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentJobs)
        let form = try req.content.decode(EndForm.self)
        try req.checkCSRF(user, form.csrf)
        guard let post = form.post.flatMap(UUID.init(uuidString:)) else { throw RegistryError.notFound("公益性岗位") }
        do {
            _ = try await req.employment.endPlacement(try req.pathUUID(), on: form.ended_on, reason: form.ended_reason,
                                                      version: try requireVersion(form.version), by: req.employmentActor)
            return req.redirect(to: "/console/employment/posts/\(post)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderPost(req, user, id: post, form: PlaceForm(), errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: 岗位补贴名册

    func roll(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentJobs)
        let today = req.application.linli.today()
        let streets = try await DivisionQueries(req.db).all(in: req.registryScope, level: .street)
        let street = req.formQuery("street") ?? streets.first?.code
        let monthRaw = req.formQuery("month")
        let m = try EmploymentService.month(monthRaw, today: today)
        let month = String(format: "%04d-%02d", m.year, m.month)
        var table: Markup = "<p class=\"muted\">请选择街道。</p>"
        if let street {
            let lines = try await req.employment.allowanceRoll(street: street, year: m.year, month: m.month, in: req.registryScope)
            let rows = lines.map { l -> [Markup] in
                [Markup.text(Masking.name(l.name)), Markup.text(l.idMasked), Markup.text(l.postTitle), Markup.text(l.startOn), Markup.text(l.untilOn),
                 "\(l.monthlyAllowance)", "\(l.days)", "\(l.amount)"]
            }
            table = """
                <p>\(month) 共 \(lines.count) 人，合计 \(lines.reduce(0) { $0 + $1.amount }) 元。
                  <a href="/console/employment/allowances.xlsx?street=\(street)&amp;month=\(month)">导出名册（.xlsx，记入审计）</a></p>
                \(Console.table(["姓名", "公民身份号码", "岗位", "上岗日期", "安置至", "月补贴（元）", "天数", "本月补贴（元）"], rows, empty: "本月没有在岗人员"))
                """
        }
        let body: Markup = """
            <h1>岗位补贴名册</h1>
            \(EmploymentPages.tabs("/console/employment/allowances", user))
            <p class="muted">当月在岗的全部人员：整月在岗按月补贴全额，月中上岗或离岗按在岗天数折算（四舍五入到元）。</p>
            <form method="get" action="/console/employment/allowances" class="filters">
              \(Console.select("街道（镇）", name: "street", options: streets.map { ($0.code, $0.name) }, selected: street))
              \(Console.field("月份", name: "month", value: month, type: "month"))
              <button type="submit">查看</button>
            </form>
            \(table)
            """
        return Console.page(req, user, title: "岗位补贴名册", crumbs: EmploymentPages.crumbs + [Crumb("岗位补贴名册")], body: body)
    }

    func rollExport(req: Request) async throws -> Response {
        _ = try req.webUser(.employmentJobs)
        let street = try EmploymentService.street(req)
        let m = try EmploymentService.month(req.formQuery("month"), today: req.application.linli.today())
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await req.employment.exportRoll(street: street, year: m.year, month: m.month, to: path, by: req.employmentActor)
        return ListExport.download(path: path, name: String(format: "公益性岗位补贴名册-%@-%04d-%02d.xlsx", street, m.year, m.month), format: "xlsx")
    }

    // MARK: 安置期限

    struct SettingsForm: Content { var csrf: String?; var months: String?; var version: Int? }

    func settings(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentRead)
        return try await renderSettings(req, user, errors: [], status: .ok)
    }

    func renderSettings(_ req: Request, _ user: WebUser, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let t = try await req.employment.termMonths()
        let form: Markup = user.may(.employmentConfigure) ? """
            <form method="post" action="/console/employment/settings">\(Console.csrfField(user))<input type="hidden" name="version" value="\(t.version)">
            \(Console.field("安置期限（月）", name: "months", value: String(t.months), error: errors.first?.message, type: "number", required: true, extra: "min=\"1\" max=\"60\""))
            <button type="submit">保存</button></form>
            """ : .empty
        let body: Markup = """
            <h1>安置期限</h1>
            \(EmploymentPages.tabs("/console/employment/settings", user))
            <p>公益性岗位安置期限：<b>\(t.months)</b>个月（默认36个月，由区统一规定）。安置结束日期不得晚于上岗日期加上这一期限。</p>
            \(form)
            """
        return Console.page(req, user, title: "安置期限", crumbs: EmploymentPages.crumbs + [Crumb("安置期限")], body: body, status: status)
    }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentConfigure)
        let form = try req.content.decode(SettingsForm.self)
        try req.checkCSRF(user, form.csrf)
        do {
            guard let raw = form.months?.trimmedOrNil, let months = Int(raw) else {
                throw RegistryError.invalid([FieldError("placement_term_months", "安置期限应为1至60个月")])
            }
            _ = try await req.employment.saveTerm(months, version: try requireVersion(form.version), by: req.employmentActor)
            return req.redirect(to: "/console/employment/settings", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderSettings(req, user, errors: errors, status: .unprocessableEntity)
        }
    }
}
