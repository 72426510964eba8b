import Foundation
import LinliCore
import LinliData
import Vapor

/// The residents' portal: 我的志愿服务 for a signed-in resident (实名核验 first, then register, sign the agreement,
/// sign up for the community's activities, check in and out with the code shown on site, one's hours), and the
/// public 志愿服务记录证明查验 (a certificate's code → the masked name, hours by year, issue date).
struct VolunteersPortalPages {
    func boot(_ routes: Routes) {
        routes.get("volunteer", needs: .permission(.volunteersRegister), use: home)
        routes.post("volunteer", "link", needs: .permission(.volunteersRegister), use: link)
        routes.post("volunteer", "register", needs: .permission(.volunteersRegister), use: register)
        routes.post("volunteer", "sign", needs: .permission(.volunteersRegister), use: sign)
        routes.post("volunteer", "withdraw", needs: .permission(.volunteersRegister), use: withdraw)
        routes.post("volunteer", "signup", needs: .permission(.volunteersRegister), use: signUp)
        routes.post("volunteer", "check", needs: .permission(.volunteersRegister), use: check)
        routes.get("volunteer", "certificate", needs: .open, use: certificate)
    }

    struct Form: Content {
        var csrf: String?
        var name: String?
        var id_number: String?
        var skills: [String]?
        var skill_note: String?
        var service_areas: [String]?
        var availability: [String]?
        var guardian_name: String?
        var guardian_relation: String?
        var guardian_consent_on: String?
        var version: String?
        var activity_id: String?
        var code: String?

        var registration: VolunteersPages.RegisterForm {
            VolunteersPages.RegisterForm(skills: skills, skill_note: skill_note, service_areas: service_areas, availability: availability,
                                         guardian_name: guardian_name, guardian_relation: guardian_relation, guardian_consent_on: guardian_consent_on)
        }
    }

    func home(req: Request) async throws -> Response {
        let user = try req.webUser(.volunteersRegister)
        return try await render(req, user, form: Form(), errors: [], message: nil, status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, form: Form, errors: [FieldError], message: String?, status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let csrf = Console.csrfField(user)
        let own = try await VolunteersService.ownVolunteer(req)
        let notice: Markup = message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty
        var body: Markup = "<h1>我的志愿服务</h1>\(notice)"
        guard let resident = own.resident else {
            body += """
                <p>报名志愿者前，请先完成实名核验：填写您的姓名和公民身份号码，与社区登记的信息一致即可。</p>
                \(Console.formErrors(errors))
                <form method="post" action="/volunteer/link">\(csrf)
                \(Console.field("姓名", name: "name", value: form.name, error: err("name"), required: true, extra: "maxlength=\"30\" autocomplete=\"name\""))
                \(Console.field("公民身份号码", name: "id_number", error: err("id_number"), required: true, extra: "maxlength=\"18\" autocomplete=\"off\""))
                <button type="submit">核验</button></form>
                """
            return PortalPages.page(req, title: "我的志愿服务", body: body, status: status)
        }
        guard let v = own.volunteer else {
            body += """
                <p>您已通过实名核验（\(Masking.name(resident.name))）。实行社区志愿者注册和签约制度：填写下面的信息申请注册，社区确认后签订志愿服务协议。</p>
                \(Console.formErrors(errors))
                <form method="post" action="/volunteer/register">\(csrf)
                \(VolunteersPages.registrationFields(form.registration, errors: errors, portal: true))
                <button type="submit">申请注册志愿者</button></form>
                """
            return PortalPages.page(req, title: "我的志愿服务", body: body, status: status)
        }
        body += "<p>状态：<b id=\"volunteer-state\">\(v.state.label)</b> · 累计服务时长：<b id=\"volunteer-hours\">\(VolunteerRules.hoursText(v.minutes))</b>\(v.star.map { "（\($0.label)）" } ?? "")</p>"
        body += Console.formErrors(errors)
        switch v.state {
        case .applied: body += "<p>您的申请已提交，请等待社区确认。</p>"
        case .confirmed:
            body += """
                <p>社区已确认您的注册。请阅读并签订《志愿服务协议》（\(VolunteerRules.currentTermsVersion)）：志愿者自愿、无偿参加社区组织的志愿服务，遵守活动安排，按时签到签退；社区为志愿者记录服务时长、提供必要的安全保障和培训。</p>
                <form method="post" action="/volunteer/sign">\(csrf)<input type="hidden" name="version" value="\(v.version)"><button type="submit">同意并签订协议</button></form>
                """
        case .withdrawn: body += "<p>您已退出志愿者队伍；如需重新加入，请联系社区。</p>"
        case .signed:
            let upcoming = try await req.volunteers.activities(in: RegistryScope(validatedCode: v.communityCode), upcoming: true, page: PageRequest(page: 1, perPage: 20))
            let items = upcoming.items.map { a -> Markup in
                let full = a.taken >= a.places
                return """
                    <li><b>\(a.title)</b> · \(VolunteerActivityPages.time(a.startsAt)) 至 \(VolunteerActivityPages.time(a.endsAt)) · \(a.place) · 名额 \(a.taken)/\(a.places)
                    <form method="post" action="/volunteer/signup" class="inline">\(csrf)<input type="hidden" name="activity_id" value="\(a.id)"><button type="submit"\(full ? " disabled" : "")>\(full ? "名额已满" : "报名")</button></form></li>
                    """
            }
            body += """
                <h2>签到、签退</h2>
                <form method="post" action="/volunteer/check">\(csrf)
                \(Console.field("现场签到码", name: "code", error: err("code") ?? err("time"), required: true, hint: "活动开始前30分钟至结束后30分钟内有效；第一次为签到，第二次为签退", extra: "maxlength=\"12\" autocomplete=\"off\" autocapitalize=\"characters\""))
                <button type="submit">提交</button></form>
                <h2>可报名的活动</h2>
                \(items.isEmpty ? "<p class=\"empty\">近期没有可报名的活动。</p>" : "<ul class=\"timeline\">\(items)</ul>")
                """
        }
        let mine = try await req.volunteers.signups(ofVolunteer: v.id, limit: 30).map { (s, a) -> [Markup] in
            [Markup.text(a.title), Markup.text(VolunteerActivityPages.time(a.startsAt)), Markup.text(s.checkInAt == nil ? "未签到" : s.checkOutAt == nil ? "已签到" : "已签退"),
             Markup.text(s.verifiedMinutes.map(VolunteerRules.hoursText) ?? "待核实")]
        }
        let years = try await req.volunteers.minutesByYear(of: v.id).map { [Markup.text("\($0.year)年"), Markup.text(VolunteerRules.hoursText($0.minutes))] }
        body += """
            <h2>我的活动</h2>
            \(Console.table(["活动", "时间", "签到", "核实时长"], mine, empty: "您还没有报名过活动"))
            <h2>分年度服务时长</h2>
            \(Console.table(["年度", "时长"], years, empty: "尚无核实的服务时长"))
            <p class="muted">需要志愿服务记录证明的，请到社区开具；任何人可在<a href="/volunteer/certificate">证明查验</a>页面输入验证码查验。</p>
            """
        if v.state != .withdrawn {
            body += """
                <h2>退出志愿者队伍</h2>
                <p class="muted">退出后不再报名活动；已核实的服务时长和出具的证明保留。如需重新加入，请联系社区。</p>
                <form method="post" action="/volunteer/withdraw">\(csrf)<input type="hidden" name="version" value="\(v.version)"><button type="submit" class="secondary">退出</button></form>
                """
        }
        return PortalPages.page(req, title: "我的志愿服务", body: body, status: status)
    }

    /// Runs a step and shows the page again, with the message of a refusal at its field.
    func act(_ req: Request, message: String, _ body: (WebUser, Form) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.volunteersRegister)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        do {
            try await body(user, form)
            return try await render(req, user, form: Form(), errors: [], message: message, status: .ok)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form: form, errors: errors, message: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form: form, errors: [e], message: nil, status: .conflict)
        } catch RegistryError.conflictingState(let m) {
            return try await render(req, user, form: form, errors: [FieldError("state", m)], message: nil, status: .conflict)
        }
    }

    func link(req: Request) async throws -> Response {
        try await act(req, message: "实名核验通过。") { user, form in
            guard VolunteersService.linkLimiter.allow(user.account.id.uuidString, now: req.application.linli.now()) else {
                throw RegistryError.invalid([FieldError("id_number", "核验次数过多，请10分钟后再试")])
            }
            _ = try await req.accountLink.link(account: user.account.id, name: form.name, idNumber: form.id_number, scope: req.registryScope, by: req.auditActor)
        }
    }

    func register(req: Request) async throws -> Response {
        try await act(req, message: "申请已提交，请等待社区确认。") { _, form in
            let b = VolunteersService.RegistrationBody(skills: form.skills, skillNote: form.skill_note, serviceAreas: form.service_areas,
                                                       availability: form.availability, guardianName: form.guardian_name,
                                                       guardianRelation: form.guardian_relation, guardianConsentOn: form.guardian_consent_on)
            guard let r = try await VolunteersService.ownVolunteer(req).resident else { throw RegistryError.conflictingState("请先完成实名核验") }
            var actor = req.volunteersActor
            actor.scope = RegistryScope(validatedCode: r.gridCode)
            let input = try VolunteersService.registration(b, today: req.application.linli.today())
            _ = try await req.volunteers.register(resident: r.id, input, as: .selfOnPortal, by: actor)
        }
    }

    func sign(req: Request) async throws -> Response {
        try await act(req, message: "您已签订志愿服务协议，可以报名参加志愿活动了。") { _, form in
            let v = try await VolunteersAPI.ownVolunteer(req)
            _ = try await req.volunteers.step(v.id, .sign, version: try requireVersion(form.version.flatMap { Int($0) }), signature: .portal,
                                              by: req.volunteersActor, ownResident: v.residentId)
        }
    }

    func withdraw(req: Request) async throws -> Response {
        try await act(req, message: "您已退出志愿者队伍。") { _, form in
            let v = try await VolunteersAPI.ownVolunteer(req)
            _ = try await req.volunteers.step(v.id, .withdraw, version: try requireVersion(form.version.flatMap { Int($0) }), by: req.volunteersActor,
                                              ownResident: v.residentId)
        }
    }

    func signUp(req: Request) async throws -> Response {
        try await act(req, message: "报名成功。请按时参加，到场后输入现场签到码签到。") { _, form in
            let v = try await VolunteersAPI.ownVolunteer(req)
            guard let id = form.activity_id.flatMap(UUID.init(uuidString:)),
                  try await req.volunteers.activity(id, in: RegistryScope(validatedCode: v.communityCode)) != nil else {
                throw RegistryError.invalid([FieldError("activity_id", "请选择本社区的志愿活动")])
            }
            _ = try await req.volunteers.signUp(activity: id, volunteer: v.id, own: true, by: req.volunteersActor)
        }
    }

    func check(req: Request) async throws -> Response {
        try await act(req, message: "已记录。") { _, form in
            let v = try await VolunteersAPI.ownVolunteer(req)
            _ = try await req.volunteers.checkByCode(form.code, volunteer: v.id, by: req.volunteersActor)
        }
    }

    /// Public: anyone types a certificate's code and sees whether it is valid.
    func certificate(req: Request) async throws -> Response {
        let code = try req.queryString("code", maxLength: 20)
        var result = Markup.empty
        var status = HTTPResponseStatus.ok
        if let code {
            if let c = try await req.volunteers.certificate(code: code) {
                let rows = c.years.map { [Markup.text("\($0.year)年"), Markup.text(VolunteerRules.hoursText($0.minutes))] }
                result = """
                    <section aria-labelledby="result-h"><h2 id="result-h">查验结果：<span class="badge" id="certificate-valid">证明有效</span></h2>
                    <p>志愿者：<b>\(c.nameMasked)</b>（\(c.communityName)）<br>累计服务时长：\(VolunteerRules.hoursText(c.minutes))<br>出具日期：\(c.issuedOn)</p>
                    \(Console.table(["年度", "服务时长"], rows, empty: "尚无核实的服务时长"))</section>
                    """
            } else {
                status = .notFound
                result = "<p class=\"notice\" role=\"alert\" id=\"certificate-invalid\">没有这个验证码的证明，请核对验证码。</p>"
            }
        }
        let body: Markup = """
            <h1>志愿服务记录证明查验</h1>
            <p>输入证明上的验证码，查验证明是否由社区出具。</p>
            <form method="get" action="/volunteer/certificate">
            \(Console.field("验证码", name: "code", value: code, required: true, extra: "maxlength=\"20\" autocomplete=\"off\" autocapitalize=\"characters\""))
            <button type="submit">查验</button></form>
            \(result)
            """
        return PortalPages.page(req, title: "志愿服务记录证明查验", body: body, status: status)
    }
}
