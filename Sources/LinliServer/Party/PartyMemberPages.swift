import Foundation
import LinliCore
import LinliData
import Vapor

/// 党员名册 (`party.members`, every page read audited): the roll with its filters, a member's page, registering a
/// resident as a member (found by ID number, or from the resident's page), changing the organization, 报到 and
/// groups, and 转出. The registry's 党员 tag follows these writes.
struct PartyMemberPages {
    func boot(_ routes: Routes) {
        let m = routes.grouped("console", "party", "members")
        m.get(needs: .permission(.partyMembers), use: roll)
        m.get("new", needs: .permission(.partyWrite), use: new)
        m.post(needs: .permission(.partyWrite), use: create)
        m.get(":id", needs: .permission(.partyMembers), use: show)
        m.post(":id", "edit", needs: .permission(.partyWrite), use: edit)
        m.post(":id", "remove", needs: .permission(.partyWrite), use: remove)
    }

    static let crumbs = PartyPages.crumbs + [Crumb("党员名册", "/console/party/members")]

    func roll(req: Request) async throws -> Response {
        let user = try req.webUser(.partyMembers)
        let page = try await PartyService.roll(req, page: req.consolePage(perPage: 30))
        let f = try PartyService.filter(req)
        let orgs = try await req.party.orgs(in: req.registryScope).filter(\.kind.holdsMembers)
        let rows = page.items.map { m -> [Markup] in
            ["<a href=\"/console/party/members/\(m.id)\">\(m.name)</a>", Markup.text(m.idMasked), Markup.text(m.orgName ?? "\(m.outsideOrg ?? "—")（外单位）"),
             Markup.text(m.joinedOn), Markup.text(m.expectedToReport ? (m.reportedOn.map { "已报到（\($0)）" } ?? "未报到") : "本社区组织")]
        }
        let reported = f.reported.map { $0 ? "true" : "false" }
        let body: Markup = """
            <h1>党员名册</h1>
            <p class="muted">党员信息属敏感个人信息，每次查看均记入审计日志。党员须是人口信息库中登记的居民；“党员”标签随本名册更新。</p>
            <form method="get" action="/console/party/members" class="filters">
            \(Console.field("姓名或拼音首字母", name: "q", value: f.text, extra: "maxlength=\"20\""))
            \(Console.select("所在党组织", name: "org", options: [("", "全部")] + orgs.map { ($0.id.uuidString, $0.name) }, selected: f.orgId?.uuidString))
            \(Console.select("在职党员报到", name: "reported", options: [("", "全部"), ("true", "已报到"), ("false", "未报到")], selected: reported))
            <button type="submit">查询</button></form>
            \(user.may(.partyWrite) ? "<p class=\"actions\"><a href=\"/console/party/members/new\">登记党员</a></p>" : Markup.empty)
            \(Console.table(["姓名", "身份证号", "所在党组织", "入党日期", "到居住社区报到"], rows, empty: "没有符合条件的党员"))
            \(Console.pager(page, path: "/console/party/members", query: [("q", f.text), ("org", f.orgId?.uuidString), ("group", f.groupId?.uuidString), ("reported", reported)]))
            """
        return Console.page(req, user, title: "党员名册", crumbs: PartyPages.crumbs + [Crumb("党员名册")], body: body)
    }

    struct Form: Content {
        var csrf: String?
        var resident: String?
        var id_number: String?
        var org_id: String?
        var outside_org: String?
        var joined_on: String?
        var reported_on: String?
        var group_ids: [String]?
        var reason: String?
        var version: String?
    }

    /// The organization, 报到 and group fields, shared by the new and the edit forms.
    func placement(_ req: Request, _ form: Form, _ err: (String) -> String?) async throws -> Markup {
        let orgs = try await req.party.orgs(in: req.registryScope)
        let chosen = Set(form.group_ids ?? [])
        let groups = orgs.filter { $0.kind == .group }.map { g -> Markup in
            "<label class=\"choice\"><input type=\"checkbox\" name=\"group_ids[]\" value=\"\(g.id.uuidString)\"\(chosen.contains(g.id.uuidString) ? " checked" : Markup.empty)> \(g.name)（\(g.divisionName ?? g.divisionCode)）</label>"
        }
        return """
            \(Console.select("所在党组织（本辖区）", name: "org_id", options: [("", "（组织关系在外单位）")] + orgs.filter(\.kind.holdsMembers).map { ($0.id.uuidString, "\($0.name)（\($0.divisionName ?? $0.divisionCode)）") },
                             selected: form.org_id, error: err("org_id")))
            \(Console.field("外单位党组织名称（组织关系不在本辖区时）", name: "outside_org", value: form.outside_org, error: err("outside_org"), extra: "maxlength=\"60\""))
            \(Console.field("入党日期", name: "joined_on", value: form.joined_on, error: err("joined_on"), type: "date", required: true))
            \(Console.field("到居住社区报到日期（在职党员进社区）", name: "reported_on", value: form.reported_on, error: err("reported_on"), type: "date"))
            <fieldset\(err("group_ids") == nil ? Markup.empty : " class=\"invalid\"")><legend>参加的党小组（含功能型党小组）</legend>
            \(groups.isEmpty ? "<p class=\"empty\">本辖区尚无党小组</p>" : groups.joined())
            \(err("group_ids").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
            """
    }

    func new(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        var form = Form()
        form.resident = req.formQuery("resident")
        return try await renderNew(req, user, form, errors: [], status: .ok)
    }

    func renderNew(_ req: Request, _ user: WebUser, _ form: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        var who: Markup = Console.field("身份证号", name: "id_number", value: form.id_number, error: err("resident_id"), required: true,
                                        hint: "党员须是人口信息库中登记的居民", extra: "maxlength=\"18\" autocomplete=\"off\"")
        if let id = form.resident.flatMap({ UUID(uuidString: $0) }), let r = try await req.residents.find(id: id, in: req.registryScope) {
            who = """
                <p>居民：<a href="/console/residents/\(r.id)">\(r.name)</a>（\(r.idMasked)）</p>
                <input type="hidden" name="resident" value="\(r.id.uuidString)">
                \(err("resident_id").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)
                """
        }
        let body: Markup = """
            <h1>登记党员</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/party/members">\(Console.csrfField(user))
            \(who)
            \(try await placement(req, form, err))
            <button type="submit">登记</button></form>
            """
        return Console.page(req, user, title: "登记党员", crumbs: Self.crumbs + [Crumb("登记党员")], body: body, status: status, wide: false)
    }

    func input(_ req: Request, _ form: Form) async throws -> PartyMemberInput {
        var resident = form.resident.flatMap { UUID(uuidString: $0) }
        if resident == nil, let n = form.id_number?.trimmingCharacters(in: .whitespaces), !n.isEmpty {
            resident = try await req.residents.find(idNumber: n.uppercased(), in: req.registryScope)?.id
            if resident == nil { throw RegistryError.invalid([FieldError("resident_id", "人口信息库中没有这个身份证号的本辖区居民，请先登记")]) }
        }
        return try PartyService.member(.init(residentId: resident?.uuidString, orgId: form.org_id, outsideOrg: form.outside_org, joinedOn: form.joined_on,
                                             reportedOn: form.reported_on, groupIds: form.group_ids))
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        do {
            let m = try await req.party.addMember(try await input(req, form), by: req.partyActor)
            return req.redirect(to: "/console/party/members/\(m.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderNew(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderNew(req, user, form, errors: [e], status: .conflict)
        }
    }

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.partyMembers)
        let d = try await PartyService.memberDetail(req, try req.pathUUID())
        var form = Form()
        form.org_id = d.member.orgId?.uuidString; form.outside_org = d.member.outsideOrg; form.joined_on = d.member.joinedOn
        form.reported_on = d.member.reportedOn; form.group_ids = d.groups.map(\.id.uuidString)
        return try await render(req, user, d, form, errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ d: PartyMemberDetail, _ form: Form, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let m = d.member
        let facts: [(String, Markup)] = [
            ("姓名", "<a href=\"/console/residents/\(m.residentId)\">\(m.name)</a>"), ("身份证号", Markup.text(m.idMasked)),
            ("所在党组织", m.orgId.map { "<a href=\"/console/party/orgs/\($0)\">\(m.orgName ?? "")</a>" } ?? Markup.text("\(m.outsideOrg ?? "—")（外单位）")),
            ("入党日期", Markup.text(m.joinedOn)),
            ("到居住社区报到", Markup.text(m.expectedToReport ? (m.reportedOn.map { "已报到（\($0)）" } ?? "未报到") : "组织关系在居住社区")),
            ("参加的党小组", Markup.text(d.groups.isEmpty ? "—" : d.groups.map(\.name).joined(separator: "、"))),
            ("本年党员志愿服务", Markup.text(String(format: "%.1f 小时", Double(d.minutesThisYear) / 60))),
        ]
        var forms: Markup = .empty
        if user.may(.partyWrite) {
            forms = """
                <h2>变更组织关系、报到和党小组</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/party/members/\(m.id)/edit">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(String(m.version))">
                \(try await placement(req, form, err))
                <button type="submit">保存</button></form>
                <h2>转出或注销</h2>
                <form method="post" action="/console/party/members/\(m.id)/remove">\(Console.csrfField(user))
                <input type="hidden" name="version" value="\(String(m.version))">
                \(Console.field("原因", name: "reason", value: form.reason, error: err("reason"), required: true, hint: "如：组织关系转出至某单位；去世", extra: "maxlength=\"200\""))
                <button type="submit" class="secondary">转出</button></form>
                """
        }
        let body: Markup = """
            <h1>\(m.name)</h1>
            <dl class="facts">\(facts.map { k, v -> Markup in "<dt>\(k)</dt><dd>\(v)</dd>" })</dl>
            \(forms)
            """
        return Console.page(req, user, title: "党员 \(m.name)", crumbs: Self.crumbs + [Crumb(m.name)], body: body, status: status, wide: false)
    }

    func edit(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            let m = try await req.party.updateMember(id, try await input(req, form), version: try requireVersion(form.version.flatMap { Int($0) }), by: req.partyActor)
            return req.redirect(to: "/console/party/members/\(m.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, try await PartyService.memberDetail(req, id), form, errors: errors, status: .unprocessableEntity)
        }
    }

    func remove(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(Form.self)) ?? Form()
        try req.checkCSRF(user, form.csrf)
        let id = try req.pathUUID()
        do {
            try await req.party.removeMember(id, version: try requireVersion(form.version.flatMap { Int($0) }), reason: form.reason, by: req.partyActor)
            return req.redirect(to: "/console/party/members", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, try await PartyService.memberDetail(req, id), form, errors: errors, status: .unprocessableEntity)
        }
    }
}
