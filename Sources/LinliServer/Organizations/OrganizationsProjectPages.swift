import Foundation
import LinliCore
import LinliData
import Vapor

/// 政府购买服务, 资助项目, 合同外包 in the console: the projects of one's area, the form that records a contract, and a
/// project's page — its terms, milestones with payments (never past the contract amount), people served, the
/// evaluation once the term has ended, and the place for the volunteer activities done under it.
struct OrganizationsProjectPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "organizations", "projects")
        p.get(needs: .permission(.organizationsRead), use: list)
        p.get("new", needs: .permission(.organizationsProjects), use: newForm)
        p.post("new", needs: .permission(.organizationsProjects), use: create)
        p.get(":id", needs: .permission(.organizationsRead), use: show)
        p.post(":id", "milestones", needs: .permission(.organizationsProjects), use: milestone)
        p.post(":id", "evaluation", needs: .permission(.organizationsProjects), use: evaluate)
    }

    static let crumbs = OrganizationsPages.crumbs + [Crumb("购买服务项目", "/console/organizations/projects")]

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsRead)
        let page = try await req.organizations.projects(in: try req.narrowedScope(), page: req.consolePage(perPage: 30))
        let rows = page.items.map { p -> [Markup] in
            ["<a href=\"/console/organizations/projects/\(p.id)\">\(p.title)</a>", Markup.text(p.organizationName ?? ""), Markup.text(p.mode.label),
             Markup.text(p.buyer), Markup.text(Money.yuan(p.contractFen) + "元"), Markup.text(Money.yuan(p.paidFen) + "元"),
             Markup.text("\(p.startsOn) 至 \(p.endsOn)"), Markup.text(p.score.map(String.init) ?? "—")]
        }
        let body: Markup = """
            <h1>政府购买服务、资助项目、合同外包</h1>
            <p class="muted">通过政府购买服务、资助项目、合同外包等方式，支持社会组织参与社区服务。按阶段成果拨付，累计拨付不超过合同金额；服务期满后评估。</p>
            \(user.may(.organizationsProjects) ? "<p><a class=\"button\" href=\"/console/organizations/projects/new\">登记项目</a></p>" : Markup.empty)
            \(Console.table(["项目", "承接组织", "方式", "购买（资助）单位", "合同金额", "已拨付", "服务期", "评估得分"], rows, empty: "尚无项目"))
            \(Console.pager(page, path: "/console/organizations/projects", query: [("division", req.formQuery("division"))]))
            """
        return Console.page(req, user, title: "购买服务项目", crumbs: OrganizationsPages.crumbs + [Crumb("购买服务项目")], body: body)
    }

    struct ProjectForm: Content {
        var csrf: String?
        var organization_id: String?
        var title: String?
        var mode: String?
        var buyer: String?
        var contract: String?
        var signed_on: String?
        var starts_on: String?
        var ends_on: String?
        var deliverables: String?
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsProjects)
        return try await renderForm(req, user, ProjectForm(organization_id: req.formQuery("organization_id")), errors: [], status: .ok)
    }

    func renderForm(_ req: Request, _ user: WebUser, _ v: ProjectForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let today = req.application.linli.today().description
        let departments = try await req.organizations.departments()
        let org = try await v.organization_id.flatMap(UUID.init(uuidString:)).asyncMap { try await req.organizations.organization($0, in: req.registryScope) } ?? nil
        let pick: Markup = org.map { o -> Markup in "<p>承接组织：<b>\(o.name)</b></p><input type=\"hidden\" name=\"organization_id\" value=\"\(o.id)\">" }
            ?? "\(Console.field("承接组织编号", name: "organization_id", value: v.organization_id, error: err("organization_id"), required: true, hint: "请从社会组织页面的“为该组织登记项目”进入"))"
        let body: Markup = """
            <h1>登记项目</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/organizations/projects/new">\(Console.csrfField(user))
            \(pick)
            \(Console.field("项目名称", name: "title", value: v.title, error: err("title"), required: true, extra: "maxlength=\"80\""))
            \(Console.select("方式", name: "mode", options: [("", "请选择")] + ProjectMode.allCases.map { ($0.rawValue, $0.label) }, selected: v.mode, error: err("mode"), required: true))
            \(Console.field("购买（资助）单位", name: "buyer", value: v.buyer, error: err("buyer"), required: true, hint: "区级部门可填部门代码（如 MZ 区民政局），街道填办事处名称", extra: "maxlength=\"60\" list=\"departments\""))
            <datalist id="departments">\(departments.map { d -> Markup in "<option value=\"\(d.code)\">\(d.name)</option>" })</datalist>
            \(Console.field("合同金额（元）", name: "contract", value: v.contract, error: err("contract_fen"), required: true, extra: "inputmode=\"decimal\" maxlength=\"12\""))
            \(Console.field("签订日期", name: "signed_on", value: v.signed_on ?? today, error: err("signed_on"), type: "date", required: true, extra: "max=\"\(today.description)\""))
            \(Console.field("服务期开始", name: "starts_on", value: v.starts_on, error: err("starts_on"), type: "date", required: true))
            \(Console.field("服务期结束", name: "ends_on", value: v.ends_on, error: err("ends_on"), type: "date", required: true))
            \(Console.textarea("服务内容与交付成果", name: "deliverables", value: v.deliverables, error: err("deliverables"), required: true))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "登记项目", crumbs: Self.crumbs + [Crumb("登记项目")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsProjects)
        let f = (try? req.content.decode(ProjectForm.self)) ?? ProjectForm()
        try req.checkCSRF(user, f.csrf)
        do {
            var fen: Int?
            if let c = f.contract?.trimmingCharacters(in: .whitespaces), !c.isEmpty {
                guard let v = Money.fen(c) else { throw RegistryError.invalid([FieldError("contract_fen", "合同金额应为元，最多两位小数")]) }
                fen = v
            }
            let p = try await OrganizationsService.createProject(req, .init(organizationId: f.organization_id.flatMap(UUID.init(uuidString:)), title: f.title,
                                                                            mode: f.mode, buyer: f.buyer, contractFen: fen, signedOn: f.signed_on,
                                                                            startsOn: f.starts_on, endsOn: f.ends_on, deliverables: f.deliverables))
            return req.redirect(to: "/console/organizations/projects/\(p.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderForm(req, user, f, errors: errors, status: .unprocessableEntity)
        }
    }

    struct StepForm: Content {
        var csrf: String?
        var description: String?
        var on_date: String?
        var payment: String?
        var beneficiaries: String?
        var score: String?
        var note: String?
        var version: String?
    }

    func show(req: Request) async throws -> Response {
        try await render(req, errors: [], values: StepForm(), message: req.formQuery("done").map { _ in "已保存。" }, status: .ok)
    }

    func render(_ req: Request, errors: [FieldError], values v: StepForm, message: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.organizationsRead)
        let p = try await OrganizationsService.findProject(req, id: try req.pathUUID())
        let steps = try await req.organizations.milestones(of: p.id)
        let activities = try await req.volunteers.activities(ofProject: p.id, in: req.registryScope)
        let today = req.application.linli.today()
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let rows = steps.map { m -> [Markup] in
            ["\(m.seq)", Markup.text(m.onDate), Markup.text(m.description), Markup.text(Money.yuan(m.paymentFen) + "元"), Markup.text(Money.yuan(m.paidAfterFen) + "元"),
             "\(m.beneficiaries)"]
        }
        var forms: Markup = .empty
        let own = req.registryScope.contains(code: p.divisionCode) || user.role == .department
        if user.may(.organizationsProjects) && own && p.score == nil {
            let left = Money.yuan(max(0, p.contractFen - p.paidFen))
            forms += """
                <section><h2>登记阶段成果和拨付</h2><form method="post" action="/console/organizations/projects/\(p.id)/milestones">\(Console.csrfField(user))
                \(Console.textarea("阶段成果", name: "description", value: v.description, error: err("description"), required: true, maxLength: 500))
                \(Console.field("日期", name: "on_date", value: v.on_date ?? today.description, error: err("on_date"), type: "date", required: true, extra: "max=\"\(today.description)\""))
                \(Console.field("拨付金额（元）", name: "payment", value: v.payment, error: err("payment_fen"), hint: "本次可拨付至多\(left)元；不拨付填0",
                                extra: "inputmode=\"decimal\" maxlength=\"12\""))
                \(Console.field("本阶段服务人次", name: "beneficiaries", value: v.beneficiaries, error: err("beneficiaries"), type: "number", extra: "min=\"0\" step=\"1\""))
                <button type="submit">登记</button></form></section>
                """
            if let end = CivilDate(p.endsOn), today >= end {
                forms += """
                    <section><h2>结项评估</h2><form method="post" action="/console/organizations/projects/\(p.id)/evaluation">\(Console.csrfField(user))
                    <input type="hidden" name="version" value="\(p.version)">
                    \(Console.field("评估得分（0–100）", name: "score", value: v.score, error: err("score"), type: "number", required: true, extra: "min=\"0\" max=\"100\" step=\"1\""))
                    \(Console.field("评估意见", name: "note", value: v.note, error: err("note"), extra: "maxlength=\"500\""))
                    <button type="submit">保存评估</button></form></section>
                    """
            } else {
                forms += "<p class=\"muted\">服务期至\(p.endsOn)结束，期满后可进行结项评估。</p>"
            }
        }
        // The volunteers' activities done under the project (published with its project_id), in the viewer's area.
        let activityRows = activities.map { a -> [Markup] in
            [user.may(.volunteersRead) ? "<a href=\"/console/volunteers/activities/\(a.id)\">\(a.title)</a>" : Markup.text(a.title),
             Markup.text(VolunteerActivityPages.time(a.startsAt)), Markup.text(a.place), "\(a.taken) / \(a.places)"]
        }
        let body: Markup = """
            <h1>\(p.title)</h1>
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p>方式：\(p.mode.label)<br>承接组织：<a href="/console/organizations/\(p.organizationId)">\(p.organizationName ?? "")</a><br>购买（资助）单位：\(p.buyer)<br>
            合同金额：\(Money.yuan(p.contractFen))元 · 已拨付：\(Money.yuan(p.paidFen))元<br>签订日期：\(p.signedOn) · 服务期：\(p.startsOn) 至 \(p.endsOn)<br>
            累计服务人次：\(p.beneficiaries)<br>评估：\(p.score.map { "\($0)分（\(p.evaluatedOn ?? "")）" } ?? "尚未评估")\(p.evaluationNote.map { d -> Markup in " · \(d)" }.orEmpty)</p>
            <h2>服务内容与交付成果</h2><p>\(p.deliverables)</p>
            <h2>阶段成果和拨付</h2>
            \(Console.table(["序号", "日期", "阶段成果", "拨付", "累计拨付", "服务人次"], rows, empty: "尚无阶段成果"))
            <section id="project-activities"><h2>志愿服务活动</h2>
            \(Console.table(["活动", "开始时间", "地点", "已报名/名额"], activityRows, empty: "本项目下尚无志愿服务活动"))</section>
            \(forms)
            """
        return Console.page(req, user, title: p.title, crumbs: Self.crumbs + [Crumb(p.title)], body: body, status: status)
    }

    func milestone(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsProjects)
        let f = (try? req.content.decode(StepForm.self)) ?? StepForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            var fen: Int?
            if let c = f.payment?.trimmingCharacters(in: .whitespaces), !c.isEmpty {
                guard let v = Money.fen(c) else { throw RegistryError.invalid([FieldError("payment_fen", "拨付金额应为元，最多两位小数")]) }
                fen = v
            }
            var people: Int?
            if let b = f.beneficiaries?.trimmingCharacters(in: .whitespaces), !b.isEmpty {
                guard let n = Int(b) else { throw RegistryError.invalid([FieldError("beneficiaries", "服务人次应为整数")]) }
                people = n
            }
            _ = try await OrganizationsService.milestone(req, project: id, .init(description: f.description, onDate: f.on_date, paymentFen: fen, beneficiaries: people))
            return req.redirect(to: "/console/organizations/projects/\(id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, values: f, message: nil, status: .unprocessableEntity)
        }
    }

    func evaluate(req: Request) async throws -> Response {
        let user = try req.webUser(.organizationsProjects)
        let f = (try? req.content.decode(StepForm.self)) ?? StepForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            let score = try f.score.flatMap { s -> Int? in
                let t = s.trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return nil }
                guard let n = Int(t) else { throw RegistryError.invalid([FieldError("score", "评估得分应为0到100的整数")]) }
                return n
            }
            _ = try await req.organizations.evaluate(id, score: score, note: f.note, version: try requireVersion(f.version.flatMap { Int($0) }), by: req.organizationsActor)
            return req.redirect(to: "/console/organizations/projects/\(id)?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, errors: errors, values: f, message: nil, status: .unprocessableEntity)
        } catch RegistryError.staleVersion {
            return try await render(req, errors: [OrganizationsService.stale], values: f, message: nil, status: .conflict)
        }
    }
}
