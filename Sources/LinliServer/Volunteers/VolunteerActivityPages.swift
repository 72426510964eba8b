import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 志愿活动 pages: the activities of one's area and the form that publishes one; an activity's page
/// (its check-in code to show on site, sign-ups, adding a volunteer, check-in/out, verifying hours); the printable
/// 志愿服务记录证明.
struct VolunteerActivityPages {
    func boot(_ routes: Routes) {
        let v = routes.grouped("console", "volunteers")
        v.get("activities", needs: .permission(.volunteersRead), use: list)
        v.post("activities", needs: .permission(.volunteersActivities), use: create)
        v.get("activities", ":id", needs: .permission(.volunteersRead), use: activity)
        v.post("activities", ":id", "add", needs: .permission(.volunteersActivities), use: add)
        v.post("activities", ":id", "cancel", needs: .permission(.volunteersActivities), use: cancel)
        v.post("signups", ":id", "check", needs: .permission(.volunteersActivities), use: check)
        v.post("signups", ":id", "verify", needs: .permission(.volunteersActivities), use: verify)
        v.get("certificates", ":code", needs: .permission(.volunteersRead), use: certificate)
    }

    static let crumbs = VolunteersPages.crumbs + [Crumb("志愿活动", "/console/volunteers/activities")]

    /// Times are shown and typed in Beijing time.
    static let offset: Int64 = 8 * 3600

    static func time(_ t: Int64) -> String {
        let day = CivilDate(dayNumber: Int((t + offset) / 86_400))
        let s = Int((t + offset) % 86_400)
        return day.description + String(format: " %02d:%02d", s / 3600, s % 3600 / 60)
    }

    /// "2026-06-30T09:00" (datetime-local) or "2026-06-30 09:00", Beijing time.
    static func parseTime(_ raw: String?) -> Int64? {
        guard let raw = raw?.trimmedOrNil, raw.count >= 16 else { return nil }
        let day = raw.prefix(10), clock = raw.dropFirst(11).prefix(5)
        guard let d = CivilDate(day), let h = Int(clock.prefix(2)), let m = Int(clock.suffix(2)), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return Int64(d.dayNumber) * 86_400 + Int64(h * 3600 + m * 60) - offset
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        return try await render(req, user, form: ActivityForm(), errors: [], status: .ok)
    }

    struct ActivityForm: Content {
        var csrf: String?
        var title: String?
        var place: String?
        var detail: String?
        var starts_at: String?
        var ends_at: String?
        var places: String?
        var skills: [String]?
        /// Who publishes it besides the community: one of its teams, a social organization, or a project of one
        /// (政府购买服务) the activity is done under — each optional.
        var team_id: String?
        var organization_id: String?
        var project_id: String?
    }

    func render(_ req: Request, _ user: WebUser, form f: ActivityForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ n: String) -> String? { errors.first { $0.field == n }?.message }
        let page = try await req.volunteers.activities(in: try req.narrowedScope(), page: req.consolePage(perPage: 30))
        let rows = page.items.map { a -> [Markup] in
            ["<a href=\"/console/volunteers/activities/\(a.id)\">\(a.title)</a>\(a.cancelledOn == nil ? Markup.empty : "（已取消）")", Markup.text(Self.time(a.startsAt)), Markup.text(a.place),
             Markup.text("\(a.taken) / \(a.places)"), Markup.text(a.teamName ?? "—")]
        }
        let run = user.may(.volunteersActivities)
        let teams = run ? try await VolunteerFormOptions.teams(req) : [], organizations = run ? try await VolunteerFormOptions.organizations(req) : []
        let projects = run ? try await VolunteerFormOptions.projects(req) : []
        let form: Markup = user.may(.volunteersActivities) ? """
            <h2>发布志愿活动</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/volunteers/activities">\(Console.csrfField(user))
            \(Console.field("活动名称", name: "title", value: f.title, error: err("title"), required: true, extra: "maxlength=\"60\""))
            \(Console.field("地点", name: "place", value: f.place, error: err("place"), required: true, extra: "maxlength=\"120\""))
            \(Console.field("开始时间", name: "starts_at", value: f.starts_at, error: err("starts_at"), type: "datetime-local", required: true))
            \(Console.field("结束时间", name: "ends_at", value: f.ends_at, error: err("ends_at"), type: "datetime-local", required: true))
            \(Console.field("名额", name: "places", value: f.places, error: err("places"), type: "number", required: true, extra: "min=\"1\" max=\"10000\""))
            \(VolunteersPages.checkboxes("需要的技能", name: "skills", VolunteerSkill.self, checked: f.skills ?? [], error: err("skills"), label: \.label))
            \(Console.textarea("活动内容", name: "detail", value: f.detail, maxLength: 1000))
            \(teams.isEmpty ? Markup.empty : Console.select("发布的服务队（可不填）", name: "team_id", options: [("", "（本社区）")] + teams,
                                                          selected: f.team_id, error: err("team_id")))
            \(organizations.isEmpty ? Markup.empty : Console.select("发布的社会组织（可不填）", name: "organization_id", options: [("", "—")] + organizations,
                                                                  selected: f.organization_id, error: err("organization_id")))
            \(projects.isEmpty ? Markup.empty : Console.select("所属购买服务项目（可不填）", name: "project_id", options: [("", "—")] + projects,
                                                             selected: f.project_id, error: err("project_id")))
            <button type="submit">发布</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>志愿活动</h1>
            \(Console.table(["活动", "开始时间", "地点", "已报名/名额", "服务队"], rows, empty: "尚无志愿活动"))
            \(Console.pager(page, path: "/console/volunteers/activities", query: [("division", req.formQuery("division"))]))
            \(form)
            """
        return Console.page(req, user, title: "志愿活动", crumbs: VolunteersPages.crumbs + [Crumb("志愿活动")], body: body, status: status)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(ActivityForm.self)) ?? ActivityForm()
        try req.checkCSRF(user, form.csrf)
        do {
            var typed: [FieldError] = []
            let start = Self.parseTime(form.starts_at), end = Self.parseTime(form.ends_at)
            if form.starts_at?.trimmedOrNil != nil && start == nil { typed.append(FieldError("starts_at", "时间格式应为 YYYY-MM-DD HH:MM")) }
            if form.ends_at?.trimmedOrNil != nil && end == nil { typed.append(FieldError("ends_at", "时间格式应为 YYYY-MM-DD HH:MM")) }
            let places = form.places?.trimmedOrNil.flatMap { Int($0) }
            if form.places?.trimmedOrNil != nil && places == nil { typed.append(FieldError("places", "名额应为整数")) }
            if !typed.isEmpty { throw RegistryError.invalid(typed) }
            var input = VolunteerActivityInput(title: form.title, place: form.place, detail: form.detail,
                                               skills: try VolunteersService.values(form.skills, VolunteerSkill.self, field: "skills", label: \.label),
                                               startsAt: start, endsAt: end, places: places)
            input.teamId = try VolunteerFormOptions.id(form.team_id, field: "team_id", label: "服务队")
            input.organizationId = try VolunteerFormOptions.id(form.organization_id, field: "organization_id", label: "社会组织")
            input.projectId = try VolunteerFormOptions.id(form.project_id, field: "project_id", label: "购买服务项目")
            let a = try await req.volunteers.createActivity(input, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/activities/\(a.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form: form, errors: errors, status: .unprocessableEntity)
        }
    }

    func activity(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        return try await renderActivity(req, user, id: try req.pathUUID(), errors: [], status: .ok)
    }

    func renderActivity(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let q = req.volunteers
        guard let a = try await q.activity(id, in: req.registryScope) else { throw RegistryError.notFound("志愿活动") }
        let cancelled = a.cancelledOn != nil
        let run = user.may(.volunteersActivities) && !cancelled
        let now = req.nowSeconds
        let signups = try await q.signups(of: a.id).map { s -> [Markup] in
            let checkLabel = s.checkInAt == nil ? "签到" : "签退"
            let checkCell: Markup = run && s.checkOutAt == nil ? """
                <form method="post" action="/console/volunteers/signups/\(s.id)/check" class="inline">\(Console.csrfField(user))<button type="submit">\(checkLabel)</button></form>
                """ : Markup.empty
            let verifyCell: Markup = run && VolunteerRules.mayVerify(end: a.endsAt, now: now) && now >= a.startsAt ? """
                <form method="post" action="/console/volunteers/signups/\(s.id)/verify" class="inline">\(Console.csrfField(user))
                <input id="h-\(s.id)" aria-label="核实时长（小时）" name="hours" size="4" inputmode="decimal" value="\(s.verifiedMinutes.map { String(format: "%.1f", Double($0) / 60) } ?? s.proposedMinutes.map { String(format: "%.1f", Double($0) / 60) } ?? "")">
                <button type="submit">核实</button></form>
                """ : Markup.text(s.verifiedMinutes == nil ? "未核实" : "已确定")
            return [Markup.text(Masking.name(s.name)), Markup.text(s.via == "portal" ? "网上报名" : "组织者添加"),
                    Markup.text(s.checkInAt.map(Self.time) ?? "—"), Markup.text(s.checkOutAt.map(Self.time) ?? "—"),
                    Markup.text(s.proposedMinutes.map(VolunteerRules.hoursText) ?? "—"), Markup.text(s.verifiedMinutes.map(VolunteerRules.hoursText) ?? "—"),
                    checkCell + verifyCell]
        }
        let add: Markup = run ? """
            <h2>添加志愿者</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/volunteers/activities/\(a.id)/add">\(Console.csrfField(user))
            \(Console.field("志愿者公民身份号码", name: "id_number", error: errors.first { ["id_number", "volunteer_id", "places", "time"].contains($0.field) }?.message,
                            required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
            <button type="submit">添加</button></form>
            """ : Markup.empty
        let cancel: Markup = run && now < a.startsAt ? """
            <h2>取消活动</h2>
            <form method="post" action="/console/volunteers/activities/\(a.id)/cancel">\(Console.csrfField(user))
            \(Console.field("取消原因", name: "reason", error: errors.first { $0.field == "reason" }?.message, required: true, extra: "maxlength=\"200\""))
            <button type="submit" class="secondary">取消活动</button></form>
            """ : Markup.empty
        let state: Markup = a.cancelledOn.map { "<p class=\"error\" role=\"status\">本活动已于\($0)取消：\(a.cancelReason ?? "")</p>" }.orEmpty
        let code: Markup = run ? "<p class=\"notice\">现场签到码：<b id=\"activity-code\">\(a.code)</b>（活动开始前30分钟至结束后30分钟内有效，志愿者在“我的志愿服务”中输入）</p>" : Markup.empty
        let body: Markup = """
            <h1>\(a.title)</h1>
            <p>\(Self.time(a.startsAt)) 至 \(Self.time(a.endsAt)) · \(a.place) · 名额 \(a.taken) / \(a.places)\(a.teamName.map { " · \($0)" } ?? "")</p>
            \(a.skillList.isEmpty ? Markup.empty : "<p>需要的技能：\(a.skillList.map(\.label).joined(separator: "、"))</p>")
            \(a.detail.map { "<p>\($0)</p>" }.orEmpty)
            \(state)
            \(run ? Markup.empty : Console.formErrors(errors))
            \(code)
            <h2>报名和服务时长</h2>
            <p class="muted">时长按签到签退计算，不超过活动时长；活动结束后7天内核实，之后即确定。</p>
            \(Console.table(["姓名", "报名方式", "签到", "签退", "建议时长", "核实时长", "操作"], signups, empty: "尚无人报名"))
            \(add)
            \(cancel)
            """
        return Console.page(req, user, title: a.title, crumbs: Self.crumbs + [Crumb(a.title)], body: body, status: status)
    }

    struct AddForm: Content {
        var csrf: String?
        var id_number: String?
        var hours: String?
        var reason: String?
    }

    func cancel(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(AddForm.self)) ?? AddForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            _ = try await req.volunteers.cancel(activity: id, reason: form.reason, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/activities/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderActivity(req, user, id: id, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflictingState(let m) {
            return try await renderActivity(req, user, id: id, errors: [FieldError("reason", m)], status: .conflict)
        }
    }

    func add(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(AddForm.self)) ?? AddForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            let linli = req.application.linli
            guard let r = try await ResidentQueries(req.db, cipher: linli.cipher, today: linli.today()).find(idNumber: form.id_number ?? "", in: req.registryScope),
                  let v = try await req.volunteers.volunteer(resident: r.id) else {
                throw RegistryError.invalid([FieldError("id_number", "本辖区没有登记这个公民身份号码的志愿者")])
            }
            _ = try await req.volunteers.signUp(activity: id, volunteer: v.id, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/activities/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderActivity(req, user, id: id, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderActivity(req, user, id: id, errors: [e], status: .conflict)
        }
    }

    func check(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(AddForm.self)) ?? AddForm()
        try req.checkCSRF(user, form.csrf)
        let s = try await req.volunteers.check(signup: try req.pathUUID(), by: req.volunteersActor)
        return req.redirect(to: "/console/volunteers/activities/\(s.activityId)", redirectType: .normal)
    }

    func verify(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(AddForm.self)) ?? AddForm()
        try req.checkCSRF(user, form.csrf)
        let minutes = form.hours.flatMap { VolunteerRules.minutes(fromHours: $0) }
        if form.hours?.trimmedOrNil != nil && minutes == nil { throw RegistryError.invalid([FieldError("hours", "时长应为数字，如 2.5")]) }
        let (s, _) = try await req.volunteers.verify(signup: try req.pathUUID(), minutes: minutes, by: req.volunteersActor)
        return req.redirect(to: "/console/volunteers/activities/\(s.activityId)", redirectType: .normal)
    }

    /// The printable certificate: the full name (the person's own document), hours by year, the code to check it.
    func certificate(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        guard let code = req.parameters.get("code"), let c = try await req.volunteers.certificate(code: code),
              let v = try await req.volunteers.volunteer(c.volunteerId, in: req.registryScope) else { throw RegistryError.notFound("志愿服务记录证明") }
        let rows = c.years.map { [Markup.text("\($0.year)年"), Markup.text(VolunteerRules.hoursText($0.minutes))] }
        let body: Markup = """
            <article class="certificate">
            <h1>志愿服务记录证明</h1>
            <p>兹证明 <b>\(v.name)</b>（公民身份号码 \(v.idMasked)）为\(c.communityName)注册志愿者，截至\(c.issuedOn)，经核实的志愿服务时长累计 <b>\(VolunteerRules.hoursText(c.minutes))</b>\(VolunteerStar.of(minutes: c.minutes).map { "，为\($0.label)" } ?? "")。</p>
            \(Console.table(["年度", "服务时长"], rows, empty: "尚无核实的服务时长"))
            <p>验证码：<b id="certificate-code">\(c.code)</b>　可在邻里社区服务门户“志愿服务记录证明查验”页面输入验证码查验。</p>
            <p>出具单位：\(c.communityName)　出具日期：\(c.issuedOn)</p>
            </article>
            """
        return Console.page(req, user, title: "志愿服务记录证明", crumbs: VolunteersPages.crumbs + [Crumb(Masking.name(v.name), "/console/volunteers/\(v.id)"), Crumb("证明")],
                            body: body)
    }
}
