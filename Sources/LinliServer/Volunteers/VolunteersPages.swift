import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 志愿者 pages: the roll (search by pinyin initials, state), registering a resident by their
/// 公民身份号码, a volunteer's file (confirm, paper agreement, withdraw; hours by year; correction; certificate).
/// Activities are in `VolunteerActivityPages`. Forms post with the CSRF token; the data layer is the API's.
struct VolunteersPages {
    func boot(_ routes: Routes) {
        let v = routes.grouped("console", "volunteers")
        v.get(needs: .permission(.volunteersRead), use: list)
        v.get("roll.xlsx", needs: .permission(.volunteersWrite), use: export)
        v.get("new", needs: .permission(.volunteersWrite), use: newVolunteer)
        v.post("new", needs: .permission(.volunteersWrite), use: create)
        v.get(":id", needs: .permission(.volunteersRead), use: file)
        v.post(":id", "step", needs: .permission(.volunteersWrite), use: step)
        v.post(":id", "correct", needs: .permission(.volunteersActivities), use: correct)
        v.post(":id", "certificate", needs: .permission(.volunteersActivities), use: certificate)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("志愿者", "/console/volunteers")]

    static func checkboxes<T: RawRepresentable & CaseIterable>(_ legend: String, name: String, _ type: T.Type, checked: [String], error: String?,
                                                                label: (T) -> String) -> Markup where T.RawValue == String {
        let invalid: Markup = error == nil ? Markup.empty : " aria-invalid=\"true\" aria-describedby=\"f-\(name)-err\""
        let boxes = T.allCases.map { c -> Markup in
            "<label class=\"inline\"><input type=\"checkbox\" name=\"\(name)[]\" value=\"\(c.rawValue)\"\(checked.contains(c.rawValue) ? " checked" : "")\(invalid)> \(label(c))</label> "
        }
        return """
            <fieldset class="field\(error == nil ? "" : " invalid")"><legend>\(legend)</legend>\(boxes)
            \(error.map { "<p id=\"f-\(name)-err\" class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
            """
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        var f = VolunteersQueries.Filter()
        f.state = try req.queryEnum("state", VolunteerState.self)
        f.search = try req.queryString("q", maxLength: 20)
        let page = try await req.volunteers.volunteers(in: try req.narrowedScope(), filter: f, page: req.consolePage(perPage: 30))
        let rows = page.items.map { v -> [Markup] in
            ["<a href=\"/console/volunteers/\(v.id)\">\(Masking.name(v.name))</a>", Markup.text(v.idMasked), Markup.text(v.communityName ?? v.communityCode),
             Markup.text(v.state.label), Markup.text(VolunteerRules.hoursText(v.minutes)), Markup.text(v.star?.label ?? "—"), Markup.text(v.lastServedOn ?? "—")]
        }
        let states = [("", "全部状态")] + VolunteerState.allCases.map { ($0.rawValue, $0.label) }
        let body: Markup = """
            <h1>志愿者</h1>
            <p class="muted">实行社区志愿者注册和签约制度，强化志愿者服务绩效管理。名单中的姓名、身份号码均已脱敏。</p>
            <p>\(user.may(.volunteersWrite) ? "<a class=\"button\" href=\"/console/volunteers/new\">登记志愿者</a> <a href=\"/console/volunteers/roll.xlsx\">导出志愿者名册（.xlsx）</a> " : Markup.empty)<a href="/console/volunteers/activities">志愿活动</a> <a href="/console/volunteers/teams">志愿服务队</a> <a href="/console/volunteers/performance">服务绩效</a></p>
            <form method="get" action="/console/volunteers" class="inline">
            \(Console.field("姓名或拼音首字母", name: "q", value: f.search, extra: "maxlength=\"20\""))
            \(Console.select("状态", name: "state", options: states, selected: f.state?.rawValue))
            <button type="submit">查询</button></form>
            \(Console.table(["姓名", "公民身份号码", "村/社区", "状态", "累计时长", "星级", "最近服务"], rows, empty: "没有符合条件的志愿者"))
            \(Console.pager(page, path: "/console/volunteers", query: [("q", f.search), ("state", f.state?.rawValue), ("division", req.formQuery("division"))]))
            """
        return Console.page(req, user, title: "志愿者", crumbs: [Crumb("工作台", "/console"), Crumb("志愿者")], body: body)
    }

    func export(req: Request) async throws -> Response { try await VolunteersService.export(req) }

    // MARK: Registering

    struct RegisterForm: Content {
        var csrf: String?
        var id_number: String?
        var skills: [String]?
        var skill_note: String?
        var service_areas: [String]?
        var availability: [String]?
        var registered_on: String?
        var guardian_name: String?
        var guardian_relation: String?
        var guardian_consent_on: String?

        var body: VolunteersService.RegistrationBody {
            VolunteersService.RegistrationBody(residentId: nil, skills: skills, skillNote: skill_note, serviceAreas: service_areas, availability: availability,
                                               registeredOn: registered_on, guardianName: guardian_name, guardianRelation: guardian_relation,
                                               guardianConsentOn: guardian_consent_on)
        }
    }

    /// The registration's fields, shared with the portal (which leaves out the ID number and the date).
    static func registrationFields(_ v: RegisterForm, errors: [FieldError], portal: Bool) -> Markup {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        return """
            \(checkboxes("技能", name: "skills", VolunteerSkill.self, checked: v.skills ?? [], error: err("skills"), label: \.label))
            \(Console.field("其他技能", name: "skill_note", value: v.skill_note, error: err("skill_note"), extra: "maxlength=\"200\""))
            \(checkboxes("服务类别", name: "service_areas", VolunteerServiceArea.self, checked: v.service_areas ?? [], error: err("service_areas"), label: \.label))
            \(checkboxes("可服务时间", name: "availability", VolunteerAvailability.self, checked: v.availability ?? [], error: err("availability"), label: \.label))
            \(portal ? Markup.empty : Console.field("注册日期", name: "registered_on", value: v.registered_on, error: err("registered_on"), type: "date", required: true))
            <fieldset class="field\(err("guardian") == nil ? "" : " invalid")"><legend>监护人同意（未满18周岁必填）</legend>
            \(Console.field("监护人姓名", name: "guardian_name", value: v.guardian_name, extra: "maxlength=\"30\""))
            \(Console.field("与志愿者关系", name: "guardian_relation", value: v.guardian_relation, extra: "maxlength=\"10\""))
            \(Console.field("同意日期", name: "guardian_consent_on", value: v.guardian_consent_on, error: err("guardian"), type: "date"))
            </fieldset>
            """
    }

    func newVolunteer(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersWrite)
        return renderForm(req, user, values: RegisterForm(registered_on: req.application.linli.today().description), errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, values v: RegisterForm, errors: [FieldError], status: HTTPResponseStatus) -> Response {
        let idError = errors.first { $0.field == "id_number" || $0.field == "resident_id" }?.message
        let body: Markup = """
            <h1>登记志愿者</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/volunteers/new">\(Console.csrfField(user))
            \(Console.field("居民公民身份号码", name: "id_number", value: v.id_number, error: idError, required: true,
                            hint: "须为本辖区户籍或居住登记在册的居民", extra: "maxlength=\"18\" autocomplete=\"off\""))
            \(Self.registrationFields(v, errors: errors, portal: false))
            <button type="submit">登记</button></form>
            """
        return Console.page(req, user, title: "登记志愿者", crumbs: Self.crumbs + [Crumb("登记志愿者")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersWrite)
        let form = (try? req.content.decode(RegisterForm.self)) ?? RegisterForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let number = form.id_number?.trimmedOrNil ?? ""
            guard let r = try await ResidentQueries(req.db, cipher: req.application.linli.cipher, today: req.application.linli.today())
                .find(idNumber: number, in: req.registryScope) else {
                throw RegistryError.invalid([FieldError("id_number", "本辖区没有登记这个公民身份号码的居民")])
            }
            let v = try await req.volunteers.register(resident: r.id, try VolunteersService.registration(form.body, today: req.application.linli.today()),
                                                      as: .worker, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/\(v.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return renderForm(req, user, values: form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return renderForm(req, user, values: form, errors: [e], status: .conflict)
        }
    }

    // MARK: A volunteer's file

    func file(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRead)
        return try await renderFile(req, user, id: try req.pathUUID(), errors: [], status: .ok)
    }

    func renderFile(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], status: HTTPResponseStatus, notice: Markup = .empty) async throws -> Response {
        let q = req.volunteers
        guard let v = try await q.volunteer(id, in: req.registryScope) else { throw RegistryError.notFound("志愿者") }
        let years = try await q.minutesByYear(of: v.id)
        let entries = try await q.hours(of: v.id, limit: 50).map { h -> [Markup] in
            [Markup.text(h.servedOn), Markup.text(h.activityTitle ?? "—"), Markup.text(h.kind == "correction" ? "更正" : "核实"),
             Markup.text(VolunteerRules.hoursText(h.minutes)), Markup.text(h.reason ?? "")]
        }
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let steps = VolunteerStep.allCases.filter { $0.next(from: v.state) != nil && user.may(.volunteersWrite) }.map { s -> Markup in
            """
            <form method="post" action="/console/volunteers/\(v.id)/step" class="inline">\(Console.csrfField(user))
            <input type="hidden" name="step" value="\(s.rawValue)"><input type="hidden" name="version" value="\(v.version)">
            <button type="submit"\(s == .withdraw ? Markup(" class=\"secondary\"") : Markup.empty)>\(s == .sign ? "登记纸质协议签署（\(VolunteerRules.currentTermsVersion)）" : s.label)</button></form>
            """
        }
        let guardian: Markup = v.guardianName.map { name -> Markup in
            "<p>监护人同意：\(Masking.name(name))（\(v.guardianRelation ?? "")），\(v.guardianConsentOn ?? "")</p>"
        }.orEmpty
        let run: Markup = user.may(.volunteersActivities) ? """
            <h2>更正服务时长</h2>
            <p class="muted">活动结束7天后时长即确定；如有差错，在此登记一条更正（原记录不改），须写明原因。</p>
            \(Console.formErrors(errors))
            <form method="post" action="/console/volunteers/\(v.id)/correct">\(Console.csrfField(user))
            \(Console.field("更正时长（小时，减少填负数）", name: "hours", error: err("hours"), required: true, extra: "inputmode=\"decimal\""))
            \(Console.field("服务日期", name: "served_on", error: err("served_on"), type: "date", required: true))
            \(Console.field("更正原因", name: "reason", error: err("reason"), required: true, extra: "maxlength=\"200\""))
            <button type="submit">登记更正</button></form>
            <form method="post" action="/console/volunteers/\(v.id)/certificate">\(Console.csrfField(user))<button type="submit">出具志愿服务记录证明</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>\(Masking.name(v.name))</h1>
            \(notice)
            <p>公民身份号码：\(v.idMasked) · \(v.communityName ?? v.communityCode) · 状态：<b>\(v.state.label)</b></p>
            <p>注册：\(v.registeredOn)（\(v.registeredVia == "portal" ? "居民网上申请" : "社区登记")）\(v.confirmedOn.map { " · 确认：\($0)" } ?? "")\(v.signedOn.map { " · 签约：\($0)" } ?? "")\(v.termsVersion.map { "（协议\($0)，\(v.signature?.label ?? "")）" } ?? "")\(v.withdrawnOn.map { " · 退出：\($0)" } ?? "")</p>
            \(guardian)
            <p>技能：\((v.skillList.map(\.label) + [v.skillNote].compactMap { $0 }).joined(separator: "、"))；服务类别：\(v.areaList.map(\.label).joined(separator: "、"))；可服务时间：\(v.availabilityList.map(\.label).joined(separator: "、"))</p>
            <p>累计服务时长：<b>\(VolunteerRules.hoursText(v.minutes))</b>\(v.star.map { "（\($0.label)）" } ?? "")</p>
            <p>\(steps)</p>
            <h2>分年度服务时长</h2>
            \(Console.table(["年度", "时长"], years.map { [Markup.text(String($0.year)), Markup.text(VolunteerRules.hoursText($0.minutes))] }, empty: "尚无核实的服务时长"))
            <h2>服务记录</h2>
            \(Console.table(["服务日期", "活动", "类型", "时长", "更正原因"], entries, empty: "尚无服务记录"))
            \(run)
            """
        return Console.page(req, user, title: "志愿者", crumbs: Self.crumbs + [Crumb(Masking.name(v.name))], body: body, status: status)
    }

    struct StepForm: Content {
        var csrf: String?
        var step: String?
        var version: String?
    }

    func step(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersWrite)
        let form = (try? req.content.decode(StepForm.self)) ?? StepForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        _ = try await req.volunteers.step(id, try VolunteersService.step(form.step), version: try requireVersion(form.version.flatMap { Int($0) }),
                                          signature: .paper, by: req.volunteersActor)
        return req.redirect(to: "/console/volunteers/\(id)", redirectType: .normal)
    }

    struct CorrectForm: Content {
        var csrf: String?
        var hours: String?
        var served_on: String?
        var reason: String?
    }

    func correct(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(CorrectForm.self)) ?? CorrectForm()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            let minutes = form.hours.flatMap { VolunteerRules.minutes(fromHours: $0) }
            if form.hours?.trimmedOrNil != nil && minutes == nil { throw RegistryError.invalid([FieldError("hours", "时长应为数字，如 1.5 或 -2")]) }
            _ = try await req.volunteers.correct(volunteer: id, minutes: minutes, reason: form.reason,
                                                 servedOn: try VolunteersService.date(form.served_on, field: "served_on"), activity: nil, by: req.volunteersActor)
            return req.redirect(to: "/console/volunteers/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderFile(req, user, id: id, errors: errors, status: .unprocessableEntity)
        }
    }

    func certificate(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersActivities)
        let form = (try? req.content.decode(StepForm.self)) ?? StepForm()
        try req.checkCSRF(user, form.csrf)
        let c = try await req.volunteers.issueCertificate(volunteer: try req.pathUUID(), by: req.volunteersActor)
        return req.redirect(to: "/console/volunteers/certificates/\(c.code)", redirectType: .normal)
    }
}
