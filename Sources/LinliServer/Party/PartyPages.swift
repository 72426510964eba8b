import Foundation
import LinliCore
import LinliData
import Vapor

/// 社区党建 in the console: the area's figures and its organizations in their tree (街道社会工作党委 → 社区党委/党总支/
/// 党支部 → 党小组), an organization's page, and the form of a new organization. Secretaries' names are masked for
/// readers without `party.members`.
struct PartyPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "party")
        p.get(needs: .permission(.partyRead), use: overview)
        p.get("orgs", "new", needs: .permission(.partyWrite), use: newOrg)
        p.post("orgs", needs: .permission(.partyWrite), use: createOrg)
        p.get("orgs", ":id", needs: .permission(.partyRead), use: org)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("社区党建", "/console/party")]
    static let clause = "规划：“深化社区党建……建立和完善区、街道和社区三级党员服务中心……推进社区功能型党小组建设……强化党员干部参与社区服务”。"

    static func secretary(_ o: PartyOrgRecord, names: Bool) -> String {
        guard let n = o.secretaryName else { return "—" }
        return names ? n : Masking.name(n)
    }

    static func kind(_ o: PartyOrgRecord) -> String { o.functionalKind.map { "\($0.label)党小组" } ?? o.kind.label }

    static func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : String(format: "%.1f%%", Double(a) * 100 / Double(b)) }

    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.partyRead)
        let scope = try req.narrowedScope()
        let q = req.party, names = user.may(.partyMembers)
        let f = try await q.figures(in: scope, year: req.application.linli.today().year)
        let orgs = try await q.orgs(in: scope)
        // Groups are listed on their organization's page; the tree here stops at branches.
        let rows = orgs.filter { $0.kind != .group }.map { o -> [Markup] in
            let groups = orgs.filter { $0.parentId == o.id && $0.kind == .group }.count
            return [Markup.text(o.divisionName ?? o.divisionCode), "<a href=\"/console/party/orgs/\(o.id)\">\(o.name)</a>", Markup.text(Self.kind(o)),
                    Markup.text(Self.secretary(o, names: names)), Markup.text(o.kind == .workCommittee ? "—" : String(o.members)), Markup.text(String(groups))]
        }
        var actions: [Markup] = []
        if names { actions.append("<a href=\"/console/party/members\">党员名册</a>") }
        actions.append("<a href=\"/console/party/centres\">党员服务中心</a>")
        actions.append("<a href=\"/console/party/brands\">党建品牌与党员志愿服务</a>")
        if user.may(.partyWrite) { actions.append("<a href=\"/console/party/orgs/new\">新建党组织</a>") }
        let body: Markup = """
            <h1>社区党建</h1>
            <p class="muted">\(Self.clause)</p>
            <div class="tiles">
            \(HomePage.figure("居住在本辖区的党员", String(f.members)))
            \(HomePage.figure("在职党员到社区报到率", "\(Self.percent(f.reported, f.expected))（\(f.reported)/\(f.expected)）"))
            \(HomePage.figure("本年参与社区服务的党员", "\(f.served)（\(Self.percent(f.served, f.members))）"))
            \(HomePage.figure("本年党员志愿服务时长", String(format: "%.0f 小时", Double(f.minutes) / 60)))
            \(HomePage.figure("功能型党小组", String(f.functionalGroups)))
            </div>
            <p class="actions">\(actions.joined(separator: " · "))</p>
            <h2>党组织</h2>
            \(Console.table(["所在区划", "组织名称", "类别", "书记", "党员", "党小组"], rows, empty: "本辖区尚未建立党组织"))
            """
        return Console.page(req, user, title: "社区党建", crumbs: [Crumb("工作台", "/console"), Crumb("社区党建")], body: body)
    }

    func org(req: Request) async throws -> Response {
        let user = try req.webUser(.partyRead)
        let names = user.may(.partyMembers)
        guard let d = try await req.party.orgDetail(try req.pathUUID(), in: req.registryScope, year: req.application.linli.today().year) else {
            throw RegistryError.notFound("党组织")
        }
        let o = d.org
        let facts: [(String, Markup)] = [
            ("类别", Markup.text(Self.kind(o))), ("所在区划", Markup.text(o.divisionName ?? o.divisionCode)),
            ("上级组织", d.parent.map { "<a href=\"/console/party/orgs/\($0.id)\">\($0.name)</a>" } ?? Markup.text("—")),
            (o.kind == .group ? "组长" : "书记", Markup.text(Self.secretary(o, names: names))),
            ("党员", o.kind == .workCommittee ? Markup.text("—") : (names ? "<a href=\"/console/party/members?\(o.kind == .group ? "group" : "org")=\(o.id)\">\(o.members) 名</a>" : Markup.text("\(o.members) 名"))),
            ("本年党员志愿服务", Markup.text(String(format: "%d 名党员，%.1f 小时", d.servedThisYear, Double(d.minutesThisYear) / 60))),
        ]
        var hint: Markup = .empty
        if o.kind.holdsMembers, let should = PartyRules.kindFor(members: o.members + d.children.filter { $0.kind == .branch }.map(\.members).reduce(0, +)),
           should != o.kind, o.kind != .branch || should != .branch {
            hint = "<p class=\"notice\">按党员人数，本组织宜设为\(should.label)（正式党员三人以上设支部，五十人以上设总支，一百人以上设党委）。</p>"
        }
        let children = d.children.map { c -> [Markup] in
            ["<a href=\"/console/party/orgs/\(c.id)\">\(c.name)</a>", Markup.text(Self.kind(c)), Markup.text(Self.secretary(c, names: names)), Markup.text(String(c.members))]
        }
        let brands = d.brands.map { b -> [Markup] in
            [Markup.text(b.name), Markup.text(b.startedOn), Markup.text(String(b.activities)), Markup.text(String(format: "%.1f", Double(b.minutes) / 60))]
        }
        let body: Markup = """
            <h1>\(o.name)</h1>
            <dl class="facts">\(facts.map { k, v -> Markup in "<dt>\(k)</dt><dd>\(v)</dd>" })</dl>
            \(hint)
            <h2>下设组织与党小组</h2>
            \(Console.table(["名称", "类别", "书记（组长）", "党员"], children, empty: "没有下设组织"))
            <h2>党建品牌</h2>
            \(Console.table(["品牌", "创建日期", "本年活动", "本年服务时长（小时）"], brands, empty: "暂无党建品牌"))
            """
        return Console.page(req, user, title: o.name, crumbs: Self.crumbs + [Crumb(o.name)], body: body)
    }

    struct OrgForm: Content {
        var csrf: String?
        var name: String?
        var kind: String?
        var functional_kind: String?
        var parent_id: String?
        var division_code: String?
    }

    func newOrg(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        var form = OrgForm()
        form.parent_id = req.formQuery("parent")
        return try await renderOrg(req, user, form, errors: [], status: .ok)
    }

    func renderOrg(_ req: Request, _ user: WebUser, _ form: OrgForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let orgs = try await req.party.orgs(in: req.registryScope).filter { $0.kind != .group }
        let divisions = try await DivisionQueries(req.db).all(in: req.registryScope).filter { $0.level == .street || $0.level == .community }
        let body: Markup = """
            <h1>新建党组织</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/party/orgs">\(Console.csrfField(user))
            \(Console.field("组织名称", name: "name", value: form.name, error: err("name"), required: true, extra: "maxlength=\"40\""))
            \(Console.select("组织类别", name: "kind", options: [("", "请选择")] + PartyOrgKind.allCases.map { ($0.rawValue, $0.label) }, selected: form.kind, error: err("kind"), required: true))
            \(Console.select("功能型党小组类别（仅党小组）", name: "functional_kind", options: [("", "（不是功能型党小组）")] + FunctionalKind.allCases.map { ($0.rawValue, $0.label) },
                             selected: form.functional_kind, error: err("functional_kind")))
            \(Console.select("上级组织", name: "parent_id", options: [("", "（街道社会工作党委不设上级）")] + orgs.map { ($0.id.uuidString, "\($0.name)（\($0.kind.label)）") },
                             selected: form.parent_id, error: err("parent_id")))
            \(Console.select("所在区划", name: "division_code", options: [("", "（党小组随上级组织）")] + divisions.map { ($0.code, $0.name) },
                             selected: form.division_code, error: err("division_code")))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "新建党组织", crumbs: Self.crumbs + [Crumb("新建党组织")], body: body, status: status, wide: false)
    }

    func createOrg(req: Request) async throws -> Response {
        let user = try req.webUser(.partyWrite)
        let form = (try? req.content.decode(OrgForm.self)) ?? OrgForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let input = try PartyService.org(.init(name: form.name, kind: form.kind, functionalKind: form.functional_kind, parentId: form.parent_id,
                                                   divisionCode: form.division_code))
            let o = try await req.party.createOrg(input, by: req.partyActor)
            return req.redirect(to: "/console/party/orgs/\(o.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderOrg(req, user, form, errors: errors, status: .unprocessableEntity)
        }
    }
}
