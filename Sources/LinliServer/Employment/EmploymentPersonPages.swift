import Foundation
import LinliCore
import LinliData
import Vapor

/// A registered person's page (a full view, audited): the registration, the household's social-assistance case
/// beside it, contacts, referrals and placements, and the forms for a contact, a referral, the designation and
/// the exit. Forms post with the CSRF token and re-render with the message at the field when refused.
struct EmploymentPersonPages {
    func boot(_ routes: Routes) {
        let e = routes.grouped("console", "employment")
        e.get(":id", needs: .permission(.employmentRead), use: show)
        e.post(":id", "contacts", needs: .permission(.employmentWrite), use: contact)
        e.post(":id", "referrals", needs: .permission(.employmentWrite), use: refer)
        e.post(":id", "designation", needs: .permission(.employmentWrite), use: designate)
        e.post(":id", "exit", needs: .permission(.employmentWrite), use: exit)
        e.post(":id", "placement", needs: .permission(.employmentJobs), use: place)
    }

    struct Form: Content {
        var csrf: String?
        var version: Int?
        var contacted_on: String?
        var way: String?
        var content: String?
        var referred_on: String?
        var employer: String?
        var post: String?
        var result: String?
        var categories: [String]?
        var category_note: String?
        var exit_reason: String?
        var exit_on: String?
        var exit_employer: String?
        var exit_note: String?
        var post_id: String?
        var start_on: String?
        var end_on: String?
    }

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentRead)
        return try await render(req, user, id: try req.pathUUID(), form: Form(), errors: [], which: nil, status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, id: UUID, form: Form, errors: [FieldError], which: String?, status: HTTPResponseStatus) async throws -> Response {
        let file = try await EmploymentService.file(req, id: id)
        let r = file.registration, today = req.application.linli.today().description
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        func alert(_ form: String) -> Markup { which == form ? Console.formErrors(errors) : .empty }
        let assistance: Markup = file.householdAssistance.isEmpty ? "<p class=\"muted\">本户没有社会救助案件。</p>" : """
            <ul>\(file.householdAssistance.map { (c: HouseholdCaseDTO) -> Markup in "<li>\(c.kindLabel)：\(c.stageLabel)（\(c.number)）</li>" })</ul>
            """
        let contacts = file.contacts.map { c -> [Markup] in [Markup.text(c.contactedOn), Markup.text(c.way.label), Markup.text(c.content), Markup.text(c.recordedBy)] }
        let referrals = file.referrals.map { x -> [Markup] in [Markup.text(x.referredOn), Markup.text(x.employer), Markup.text(x.post), Markup.text(x.result.label)] }
        let placements = file.placements.map { p -> [Markup] in
            [Markup.text(p.postTitle ?? ""), Markup.text(p.startOn), Markup.text(p.untilOn), "\(p.monthlyAllowance)元/月", Markup.text(p.endedReason ?? "—")]
        }
        // The person's re-employment courses, for those who may see training.
        let taken = user.may(.trainingRead) ? try await req.training.enrolments(ofResident: r.residentId, in: req.registryScope) : []
        let courses = taken.map { t, name -> [Markup] in
            let e = t
            return ["<a href=\"/console/training/enrolments/\(e.id)\">\(name)</a>", Markup.text(e.enrolledOn),
                    Markup.text(e.result.map { "\($0.label) \(e.resultOn ?? "")" } ?? "在训"),
                    Markup.text(e.followupOn == nil ? "—" : e.followupEmployed == true ? "已就业" : "未就业")]
        }
        var parts: [Markup] = ["""
            <h1>\(r.name)</h1>
            <p>\(r.sex.label)，\(r.birthDate)出生，\(r.idNumberMasked) · 失业登记 \(r.registeredOn) ·
              <span class="badge">\(r.status.label)</span>\(r.designated ? " <span class=\"badge yellow\">就业困难人员</span>" : "")\(r.contactOverdue ? " <span class=\"badge red\">超过30天未联系</span>" : "")</p>
            <dl class="facts">
              <dt>失业原因</dt><dd>\(r.reason)</dd><dt>原工作</dt><dd>\(r.lastJob ?? "—")</dd>
              <dt>技能特长</dt><dd>\(r.skills ?? "—")</dd><dt>就业意愿</dt><dd>\(r.wishes ?? "—")</dd>
              <dt>认定类别</dt><dd>\(r.categories.isEmpty ? "未认定" : r.categories.map(\.shortLabel).joined(separator: "、"))\(r.categoryNote.map { "（\($0)）" } ?? "")</dd>
              <dt>最近联系</dt><dd>\(r.lastContactOn)</dd>
              \(r.exitReason.map { (x: EmploymentExitReason) -> Markup in "<dt>退出</dt><dd>\(x.label)，\(r.exitOn ?? "")\(r.exitEmployer.map { "，\($0)" } ?? "")</dd>" } ?? .empty)
            </dl>
            <h2>本户社会救助</h2>\(assistance)
            <h2>联系记录</h2>\(Console.table(["日期", "方式", "内容", "记录人"], contacts, empty: "尚无联系记录"))
            <h2>推荐就业</h2>\(Console.table(["日期", "用人单位", "岗位", "结果"], referrals, empty: "尚无推荐记录"))
            <h2>公益性岗位安置</h2>\(Console.table(["岗位", "上岗日期", "安置至", "补贴", "离岗原因"], placements, empty: "没有安置记录"))
            <h2>再就业培训</h2>\(Console.table(["培训班", "报名日期", "结业情况", "就业跟踪"], courses, empty: "没有参加培训"))
            """]
        if user.may(.employmentWrite), r.status == .open {
            let base = "/console/employment/\(r.id)"
            let checked = Set(form.categories ?? r.categories.map(\.rawValue))
            let boxes = DifficultyCategory.allCases.map { c -> Markup in
                "<label><input type=\"checkbox\" name=\"categories[]\" value=\"\(c.rawValue)\"\(checked.contains(c.rawValue) ? " checked" : "")> \(c.label)</label>"
            }
            parts.append("""
                <h2 id="contact">登记联系</h2>\(alert("contact"))
                <form method="post" action="\(base)/contacts">\(Console.csrfField(user))
                \(Console.field("联系日期", name: "contacted_on", value: form.contacted_on ?? today, error: which == "contact" ? err("contacted_on") : nil, type: "date", required: true))
                \(Console.select("方式", name: "way", options: ContactWay.allCases.map { ($0.rawValue, $0.label) }, selected: form.way, error: which == "contact" ? err("way") : nil))
                \(Console.textarea("内容", name: "content", value: form.content, error: which == "contact" ? err("content") : nil, required: true, maxLength: 500))
                <button type="submit">保存联系记录</button></form>
                <h2 id="referral">推荐就业</h2>\(alert("referral"))
                <form method="post" action="\(base)/referrals">\(Console.csrfField(user))
                \(Console.field("推荐日期", name: "referred_on", value: form.referred_on ?? today, error: which == "referral" ? err("referred_on") : nil, type: "date", required: true))
                \(Console.field("用人单位", name: "employer", value: form.employer, error: which == "referral" ? err("employer") : nil, required: true, extra: "maxlength=\"100\""))
                \(Console.field("岗位", name: "post", value: form.post, error: which == "referral" ? err("post") : nil, required: true, extra: "maxlength=\"100\""))
                \(Console.select("结果", name: "result", options: ReferralResult.allCases.map { ($0.rawValue, $0.label) }, selected: form.result))
                <button type="submit">保存推荐记录</button></form>
                <h2 id="designation">就业困难人员认定</h2>\(alert("designation"))
                <form method="post" action="\(base)/designation">\(Console.csrfField(user))<input type="hidden" name="version" value="\(r.version)">
                <fieldset class="\(which == "designation" && err("categories") != nil ? "invalid" : "")"><legend>类别（至少一项，须与登记信息相符）</legend>\(boxes)
                \((which == "designation" ? err("categories") : nil).map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
                \(Console.field("认定说明", name: "category_note", value: form.category_note ?? r.categoryNote, error: which == "designation" ? err("category_note") : nil, extra: "maxlength=\"200\""))
                <button type="submit">保存认定</button></form>
                <h2 id="exit">退出登记</h2>\(alert("exit"))
                <form method="post" action="\(base)/exit">\(Console.csrfField(user))<input type="hidden" name="version" value="\(r.version)">
                \(Console.select("退出原因", name: "exit_reason", options: [("", "请选择")] + EmploymentExitReason.typed.map { ($0.rawValue, $0.label) }, selected: form.exit_reason,
                                 error: which == "exit" ? err("exit_reason") : nil))
                \(Console.field("退出日期", name: "exit_on", value: form.exit_on ?? today, error: which == "exit" ? err("exit_on") : nil, type: "date", required: true))
                \(Console.field("就业单位（实现就业时必填）", name: "exit_employer", value: form.exit_employer, error: which == "exit" ? err("exit_employer") : nil, extra: "maxlength=\"100\""))
                \(Console.field("备注", name: "exit_note", value: form.exit_note, error: which == "exit" ? err("exit_note") : nil, extra: "maxlength=\"200\""))
                <button type="submit">退出登记</button></form>
                """)
        }
        if user.may(.employmentJobs), r.status == .open, r.designated {
            // The street's posts with a free place today, to place the person from their own page.
            let street = RegistryScope(validatedCode: String(r.gridCode.prefix(9)) + "000")
            let open = try await req.employment.posts(in: street, page: PageRequest(page: 1, perPage: 100)).items.filter { ($0.filled ?? 0) < $0.places }
            let term = try await req.employment.termMonths().months
            parts.append(open.isEmpty ? "<h2 id=\"placement\">安置公益性岗位</h2><p class=\"muted\">本街道暂无空余的公益性岗位。</p>" : """
                <h2 id="placement">安置公益性岗位</h2>\(alert("placement"))
                <form method="post" action="/console/employment/\(r.id)/placement">\(Console.csrfField(user))
                \(Console.select("岗位", name: "post_id", options: open.map { ($0.id.uuidString, "\($0.title)（\($0.communityName ?? $0.communityCode)，空余\($0.places - ($0.filled ?? 0))个）") },
                                 selected: form.post_id, error: which == "placement" ? (err("post_id") ?? err("resident_id")) : nil))
                \(Console.field("上岗日期", name: "start_on", value: form.start_on ?? today, error: which == "placement" ? err("start_on") : nil, type: "date", required: true))
                \(Console.field("安置结束日期", name: "end_on", value: form.end_on, error: which == "placement" ? err("end_on") : nil, type: "date", required: true,
                                hint: "安置期限不超过\(term)个月"))
                <button type="submit">安置</button></form>
                """)
        }
        return Console.page(req, user, title: "失业登记 · \(r.name)", crumbs: EmploymentPages.crumbs + [Crumb(r.name)], body: parts.joined(separator: "\n"), status: status)
    }

    /// Runs a form's write; a refusal re-renders the page with the messages at that form's fields.
    func handle(_ req: Request, _ which: String, _ write: (Request, UUID, Form) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.employmentWrite)
        let form = try req.content.decode(Form.self)
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            try await write(req, id, form)
            return req.redirect(to: "/console/employment/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, form: form, errors: errors, which: which, status: .unprocessableEntity)
        }
    }

    func place(req: Request) async throws -> Response {
        let user = try req.webUser(.employmentJobs)
        let form = try req.content.decode(Form.self)
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        guard let r = try await req.employment.registration(id, in: req.registryScope) else { throw RegistryError.notFound("失业登记") }
        do {
            guard let post = form.post_id.flatMap(UUID.init(uuidString:)) else { throw RegistryError.invalid([FieldError("post_id", "请选择岗位")]) }
            _ = try await EmploymentService.place(req, post: post, resident: r.residentId, start: form.start_on, end: form.end_on)
            return req.redirect(to: "/console/employment/posts/\(post)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, id: id, form: form, errors: errors, which: "placement", status: .unprocessableEntity)
        } catch RegistryError.conflict(let error) {
            return try await render(req, user, id: id, form: form, errors: [error], which: "placement", status: .conflict)
        }
    }

    func contact(req: Request) async throws -> Response {
        try await handle(req, "contact") { req, id, f in
            _ = try await req.employment.contact(id, on: f.contacted_on, way: f.way.flatMap(ContactWay.init(rawValue:)), content: f.content, by: req.employmentActor)
        }
    }

    func refer(req: Request) async throws -> Response {
        try await handle(req, "referral") { req, id, f in
            _ = try await req.employment.refer(id, on: f.referred_on, employer: f.employer, post: f.post, result: f.result.flatMap(ReferralResult.init(rawValue:)),
                                               by: req.employmentActor)
        }
    }

    func designate(req: Request) async throws -> Response {
        try await handle(req, "designation") { req, id, f in
            _ = try await req.employment.designate(id, categories: try EmploymentService.categories(f.categories), note: f.category_note,
                                                   version: try requireVersion(f.version), by: req.employmentActor)
        }
    }

    func exit(req: Request) async throws -> Response {
        try await handle(req, "exit") { req, id, f in
            _ = try await EmploymentService.exit(req, id: id, reason: f.exit_reason, on: f.exit_on, employer: f.exit_employer, note: f.exit_note, version: f.version)
        }
    }
}
