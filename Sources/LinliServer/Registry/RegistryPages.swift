import Foundation
import LinliCore
import LinliData
import Vapor

/// The registry in the console: the division tree down to grid → building → household → resident,
/// one search box, a resident's profile (masked, with an audited "show full"), create and edit forms,
/// and the events of a life (birth, move, death, move-out). Handlers call the same queries as the API.
///
/// Form field names are the API's: `name`, `id_number`, `phone`, `household_number`, `relation`,
/// `residence_status`, `tags`, `origin`, `occurred_on`, `note`, `version`, `kind`; search `q`.
/// Buttons: 搜索, 登记, 保存修改, 显示完整号码, 记录变动.
struct RegistryPages {
    func boot(_ routes: Routes) {
        let web = routes.grouped("console")
        web.get("residents", needs: .permission(.registryRead), use: residents)
        web.get("residents", "new", needs: .permission(.registryWrite), use: newResident)
        web.get("residents", "export", needs: .permission(.registryRead), use: export)
        web.post("residents", needs: .permission(.registryWrite), use: createResident)
        web.get("residents", ":id", needs: .permission(.registryRead), use: profile)
        web.post("residents", ":id", "full", needs: .permission(.registryFullView), use: showFull)
        web.get("residents", ":id", "edit", needs: .permission(.registryWrite), use: editResident)
        web.post("residents", ":id", "edit", needs: .permission(.registryWrite), use: updateResident)
        web.post("residents", ":id", "events", needs: .permission(.registryWrite), use: recordEvent)
        web.get("divisions", needs: .permission(.registryRead), use: division)
        web.get("buildings", ":id", needs: .permission(.registryRead), use: building)
        web.get("households", ":id", needs: .permission(.registryRead), use: household)
    }

    // MARK: Search and lists

    /// `?q=` a name, pinyin (initials) or an ID number; `?tag=`, `?life_status=` filter.
    func residents(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        let q = req.formQuery("q")
        var filter = ResidentFilter()
        filter.tag = req.formQuery("tag").flatMap(ResidentTag.init(rawValue:)).flatMap { ResidentTag.shown([$0], partyMembers: user.may(.partyMembers)).first }
        let lifeStatus = req.formQuery("life_status")
        if lifeStatus == "all" { filter.lifeStatus = nil } else if let s = lifeStatus.flatMap(LifeStatus.init(rawValue:)) { filter.lifeStatus = s }
        let page = req.consolePage(perPage: 20)
        var message: String?
        var result: ResultPage<ResidentRecord>
        if let q {
            switch ResidentQueries.classify(q) {
            case .success(let kind): result = try await req.residents.search(kind, in: req.registryScope, filter: filter, page: page)
            case .failure(let e):
                message = e.message
                result = ResultPage(items: [], total: 0, page: 1, perPage: page.perPage)
            }
        } else {
            result = try await req.residents.list(in: req.registryScope, filter: filter, page: page)
        }
        let today = req.application.linli.today()
        let rows: [[Markup]] = result.items.map { r in
            [link("/console/residents/\(r.id)", r.name), Markup.text(r.sex.label), "\(age(r, today))", Markup.text(r.idMasked),
             Markup.text(r.phoneMasked ?? "—"), link("/console/households/\(r.householdId)", r.householdNumber),
             Markup.text(r.relation.label), Markup.text(r.lifeStatus.label)]
        }
        let tagOptions = [("", "全部人群")] + ResidentTag.shown(ResidentTag.allCases, partyMembers: user.may(.partyMembers)).map { ($0.rawValue, $0.label) }
        let statusOptions = [("", "在册"), ("deceased", "已死亡"), ("moved_out", "已迁出"), ("all", "全部")]
        let body: Markup = """
            <h1>居民</h1>
            <form method="get" action="/console/residents" class="searchbar" role="search">
              \(Console.field("查找", name: "q", value: q, error: message, type: "search",
                              hint: "姓名、拼音或拼音首字母（如 zs）、身份证号码", extra: "autofocus maxlength=\"30\""))
              \(Console.select("人群", name: "tag", options: tagOptions, selected: filter.tag?.rawValue ?? ""))
              \(Console.select("状态", name: "life_status", options: statusOptions, selected: lifeStatus ?? ""))
              <button type="submit">搜索</button>
            </form>
            <p class="actions">\(user.may(.registryWrite) ? "<a class=\"button secondary\" href=\"/console/residents/new\">登记居民</a>" : "")
              <a class="button secondary" href="/console/residents/export?format=xlsx">导出 Excel（号码已遮蔽）</a></p>
            \(Console.table(["姓名", "性别", "年龄", "公民身份号码", "联系电话", "户号", "与户主关系", "状态"], rows,
                            empty: q == nil ? "暂无居民" : "没有找到符合条件的居民"))
            \(Console.pager(result, path: "/console/residents", query: [("q", q), ("tag", filter.tag?.rawValue), ("life_status", lifeStatus)]))
            """
        return Console.page(req, user, title: q == nil ? "居民" : "查找居民", crumbs: [Crumb("工作台", "/console"), Crumb("居民")], body: body)
    }

    /// Everyone in the user's area as .xlsx or .csv (`?format=`), numbers masked; audited.
    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.registryRead)
        return try await ListExport.residents(req, scope: req.registryScope)
    }

    // MARK: Division tree

    /// `?code=` a division in the user's area (default: the whole area): its children, and a grid's buildings.
    func division(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        let scope = req.registryScope
        let code = req.formQuery("code") ?? user.account.divisionCode
        let divisions = DivisionQueries(req.db)
        guard let here = try await divisions.find(code: code, in: scope) else { throw RegistryError.notFound("区划") }
        let level = here.level
        var body: Markup = "<h1>\(here.name)</h1><dl class=\"facts\"><dt>层级</dt><dd>\(level.label)"
            + (here.kind.map { "（\($0.rawValue)）" } ?? .empty) + "</dd><dt>区划代码</dt><dd>\(here.code)</dd></dl>"
        let stats = try await RegistryStats.compute(on: req.db, in: RegistryScope(validatedCode: here.code), today: req.application.linli.today())
        body += "<div class=\"tiles\"><div class=\"tile\"><span>居民</span><b>\(stats.residents)</b></div><div class=\"tile\"><span>户</span><b>\(stats.households)</b></div>"
            + "<div class=\"tile\"><span>楼栋</span><b>\(stats.buildings)</b></div><div class=\"tile\"><span>60岁以上</span><b>\(stats.residentsAged60Plus)</b></div></div>"
        if let child = level.child {
            let children = try await divisions.all(in: RegistryScope(validatedCode: here.code), level: child).filter { $0.parentCode == here.code }
            body += "<h2>下辖\(child.label)（\(children.count)）</h2>"
            body += Console.table(["名称", "区划代码"], children.map { (c: DivisionRecord) -> [Markup] in [link("/console/divisions?code=\(c.code)", c.name), Markup.text(c.code)] })
        } else {
            let page = req.consolePage(perPage: 30)
            let buildings = try await BuildingQueries(req.db).list(in: scope, gridCode: here.code, page: page)
            body += "<h2>楼栋</h2>" + Console.table(["楼栋", "地址", "层数"], buildings.items.map {
                [link("/console/buildings/\($0.id)", $0.name), Markup.text($0.address), Markup.text($0.floors.map(String.init) ?? "—")]
            }) + Console.pager(buildings, path: "/console/divisions", query: [("code", here.code)])
        }
        if level == .community || level == .grid { body += "<p><a href=\"/console/boundary/divisions/\(here.code)\">区划沿革</a></p>" }
        let crumbs = try await trail(to: here, req: req, user: user)
        return Console.page(req, user, title: here.name, crumbs: crumbs, body: body)
    }

    /// 工作台 › the user's own division › … › `division` (the last one without a link unless `linkLast`).
    func trail(to division: DivisionRecord, req: Request, user: WebUser, linkLast: Bool = false) async throws -> [Crumb] {
        var chain = [division]
        let queries = DivisionQueries(req.db), top = user.account.divisionCode
        while let parent = chain.first?.parentCode, chain.first?.code != top,
              let record = try await queries.find(code: parent, in: req.registryScope) {
            chain.insert(record, at: 0)
        }
        var crumbs = [Crumb("工作台", "/console")]
        for (i, d) in chain.enumerated() {
            crumbs.append(Crumb(d.name, i == chain.count - 1 && !linkLast ? nil : "/console/divisions?code=\(d.code)"))
        }
        return crumbs
    }

    func building(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let b = try await BuildingQueries(req.db).find(id: id, in: req.registryScope) else { throw RegistryError.notFound("楼栋") }
        let page = req.consolePage(perPage: 30)
        let households = try await HouseholdQueries(req.db).list(in: req.registryScope, buildingID: id, gridCode: nil, page: page)
        let body: Markup = """
            <h1>\(b.name)</h1>
            <dl class="facts"><dt>地址</dt><dd>\(b.address)</dd><dt>层数</dt><dd>\(b.floors.map(String.init) ?? "—")</dd>
            <dt>位置</dt><dd>北纬 \(String(format: "%.5f", b.latitude))，东经 \(String(format: "%.5f", b.longitude))</dd></dl>
            <h2>住户（\(households.total)）</h2>
            \(Console.table(["户号", "门牌/室号"], households.items.map { [link("/console/households/\($0.id)", $0.number), Markup.text($0.room)] }))
            \(Console.pager(households, path: "/console/buildings/\(id)", query: []))
            """
        var crumbs = try await gridTrail(b.gridCode, req: req, user: user)
        crumbs.append(Crumb(b.name))
        return Console.page(req, user, title: b.name, crumbs: crumbs, body: body)
    }

    func gridTrail(_ gridCode: String, req: Request, user: WebUser) async throws -> [Crumb] {
        guard let grid = try await DivisionQueries(req.db).find(code: gridCode, in: req.registryScope) else { return [Crumb("工作台", "/console")] }
        return try await trail(to: grid, req: req, user: user, linkLast: true)
    }

    func household(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let h = try await HouseholdQueries(req.db).find(id: id, in: req.registryScope) else { throw RegistryError.notFound("户") }
        let members = try await req.residents.members(ofHousehold: id, in: req.registryScope)
        let today = req.application.linli.today()
        // 以房管人: the dwelling the household lives in (set on the dwelling's page of the housing capability).
        let dwelling = try await req.housing.dwelling(ofHousehold: id, in: req.registryScope)
        let dwellingCell: Markup = dwelling.map { link("/console/housing/\($0.id)", "\($0.number)（\($0.use.label)）") }
            ?? (user.may(.housingWrite) ? link("/console/housing/buildings/\(h.buildingId)", "未登记，在本楼栋的房屋中登记") : "未登记")
        let boundaryHistory = try await BoundaryPages.historySection(req, record: id)
        let body: Markup = """
            <h1>户号 \(h.number)</h1>
            <dl class="facts"><dt>楼栋</dt><dd>\(link("/console/buildings/\(h.buildingId)", h.buildingName))</dd><dt>门牌/室号</dt><dd>\(h.room)</dd><dt>房屋</dt><dd>\(dwellingCell)</dd></dl>
            <h2>家庭成员（\(members.count)）</h2>
            \(Console.table(["姓名", "与户主关系", "性别", "年龄", "公民身份号码", "状态"], members.map { r in
                [link("/console/residents/\(r.id)", r.name), Markup.text(r.relation.label), Markup.text(r.sex.label),
                 "\(age(r, today))", Markup.text(r.idMasked), Markup.text(r.lifeStatus.label)]
            }))
            \(user.may(.registryWrite) ? "<p class=\"actions\"><a class=\"button secondary\" href=\"/console/residents/new?household_number=\(h.number)\">登记本户新成员（含出生登记）</a></p>" : "")
            \(boundaryHistory)
            """
        var crumbs = try await gridTrail(h.gridCode, req: req, user: user)
        crumbs.append(Crumb(h.buildingName, "/console/buildings/\(h.buildingId)"))
        crumbs.append(Crumb("户号 \(h.number)"))
        return Console.page(req, user, title: "户号 \(h.number)", crumbs: crumbs, body: body)
    }

    // MARK: A resident's profile

    func profile(req: Request) async throws -> Response {
        let user = try req.webUser(.registryRead)
        return try await renderProfile(req, user, full: nil)
    }

    /// The full numbers on the profile, after an explicit request (POST, CSRF) that the audit log records.
    func showFull(req: Request) async throws -> Response {
        let user = try req.webUser(.registryFullView)
        try req.checkCSRF(user, try? req.content.get(String.self, at: "csrf"))
        guard let full = try await req.residents.fullNumbers(of: try residentID(req), in: req.registryScope, by: req.auditActor) else {
            throw RegistryError.notFound("居民")
        }
        return try await renderProfile(req, user, full: (full.idNumber, full.phone))
    }

    func renderProfile(_ req: Request, _ user: WebUser, full: (id: String, phone: String?)?, eventErrors: [FieldError] = [],
                       eventForm: EventForm? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let id = try residentID(req)
        guard let r = try await req.residents.find(id: id, in: req.registryScope) else { throw RegistryError.notFound("居民") }
        let today = req.application.linli.today()
        let household = try await HouseholdQueries(req.db).find(id: r.householdId, in: req.registryScope)
        let members = try await req.residents.members(ofHousehold: r.householdId, in: req.registryScope).filter { $0.id != r.id }
        let events = (try await req.residents.history(of: id, in: req.registryScope) ?? [])
            .filter { ResidentTag.historyShown(changes: $0.changes, partyMembers: user.may(.partyMembers)) }
        let boundaryHistory = try await BoundaryPages.historySection(req, record: id)
        let tags = ResidentTag.shown(ResidentTag.effective(recorded: r.recordedTags, birthDate: CivilDate(r.birthDate) ?? today, today: today),
                                     partyMembers: user.may(.partyMembers))
        let active = r.lifeStatus == .active
        let numbers = full.map { (f: (id: String, phone: String?)) -> Markup in
            "<dt>公民身份号码</dt><dd><strong>\(f.id)</strong> <span class=\"badge yellow\">完整号码（已记入审计日志）</span></dd><dt>联系电话</dt><dd>\(f.phone ?? "—")</dd>"
        } ?? "<dt>公民身份号码</dt><dd>\(r.idMasked)</dd><dt>联系电话</dt><dd>\(r.phoneMasked ?? "—")</dd>"
        let fullButton: Markup = full == nil && user.may(.registryFullView)
            ? "<form method=\"post\" action=\"/console/residents/\(id)/full\" class=\"inline\">\(Console.csrfField(user))<button type=\"submit\" class=\"secondary\">显示完整号码</button></form>" : ""
        let editLink: Markup = user.may(.registryWrite) && active ? "<a class=\"button secondary\" href=\"/console/residents/\(id)/edit\">编辑</a>" : ""
        // The care file: an elder's, or for someone under 60 the way into care (a plan with the reason).
        let careLink: Markup = user.may(.careRead) && active ? "<a class=\"button secondary\" href=\"/console/care/\(id)\">养老档案</a>" : ""
        let timeline: Markup = events.isEmpty ? "<p class=\"empty\">暂无记录</p>" : "<ol class=\"timeline\">" + events.map { (e: ResidentEventRecord) -> Markup in
            let kind = e.kind.label
            return "<li><b>\(kind)</b> \(e.occurredOn)"
                + (e.note.map { "<br><span class=\"muted\">\($0)</span>" } ?? .empty) + "</li>"
        }.joined() + "</ol>"
        let body: Markup = """
            <h1>\(r.name)</h1>
            <div class="actions">\(fullButton) \(editLink) \(careLink)</div>
            <dl class="facts">
              <dt>性别</dt><dd>\(r.sex.label)</dd>
              <dt>出生日期</dt><dd>\(r.birthDate)（\(age(r, today)) 岁）</dd>
              \(numbers)
              <dt>户号</dt><dd>\(link("/console/households/\(r.householdId)", r.householdNumber))\(household.map { "，\($0.buildingName) \($0.room)" } ?? "")</dd>
              <dt>与户主关系</dt><dd>\(r.relation.label)</dd>
              <dt>户籍类型</dt><dd>\(r.residenceStatus.label)</dd>
              <dt>人群标签</dt><dd>\(tags.isEmpty ? "—" : tags.map { (t: ResidentTag) -> Markup in "<span class=\"badge\">\(t.label)</span>" }.joined(separator: " "))</dd>
              <dt>状态</dt><dd>\(r.lifeStatus.label)</dd>
              <dt>网格</dt><dd>\(r.gridCode)</dd>
            </dl>
            <h2>同户成员</h2>
            \(Console.table(["姓名", "与户主关系", "公民身份号码"], members.map {
                [link("/console/residents/\($0.id)", $0.name), Markup.text($0.relation.label), Markup.text($0.idMasked)]
            }, empty: "无其他成员"))
            <h2>变动记录</h2>
            \(timeline)
            \(boundaryHistory)
            \(user.may(.registryWrite) && active ? eventFormHTML(r, user, errors: eventErrors, form: eventForm) : "")
            <p class="muted noprint">打印本页即得居民信息表（打印时不含导航和操作按钮）。</p>
            """
        var crumbs = try await gridTrail(r.gridCode, req: req, user: user)
        crumbs.append(Crumb("户号 \(r.householdNumber)", "/console/households/\(r.householdId)"))
        crumbs.append(Crumb(r.name))
        return Console.page(req, user, title: "\(r.name) · 居民信息", crumbs: crumbs, body: body, status: status)
    }

    struct EventForm: Content {
        var csrf: String?
        var kind: String?
        var occurred_on: String?
        var household_number: String?
        var relation: String?
        var note: String?
        var version: Int?
    }

    func eventFormHTML(_ r: ResidentRecord, _ user: WebUser, errors: [FieldError], form: EventForm?) -> Markup {
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let kinds = [("move", "户间迁移"), ("death", "死亡登记"), ("move_out", "迁出")]
        return """
            <section class="noprint" aria-labelledby="ev-h"><h2 id="ev-h">记录变动</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/residents/\(r.id)/events">
              \(Console.csrfField(user))<input type="hidden" name="version" value="\(r.version)">
              <div class="grid2">
              \(Console.select("变动类型", name: "kind", options: kinds, selected: form?.kind, error: error("kind"), required: true))
              \(Console.field("发生日期", name: "occurred_on", value: form?.occurred_on, error: error("occurred_on"), type: "date", required: true))
              \(Console.field("迁入户号（户间迁移时填写）", name: "household_number", value: form?.household_number,
                              error: error("to_household_id") ?? error("household_number")))
              \(Console.select("在新户中与户主关系（户间迁移时填写）", name: "relation", options: [("", "—")] + HouseholdRelation.allCases.map { ($0.rawValue, $0.label) },
                               selected: form?.relation, error: error("relation")))
              </div>
              \(Console.textarea("备注", name: "note", value: form?.note, error: error("note"), maxLength: 500))
              <button type="submit">记录变动</button>
            </form></section>
            """
    }

    func recordEvent(req: Request) async throws -> Response {
        let user = try req.webUser(.registryWrite)
        let form = (try? req.content.decode(EventForm.self)) ?? EventForm()
        try req.checkCSRF(user, form.csrf)
        let id = try residentID(req)
        do {
            guard let kind = form.kind.flatMap(ResidentEventKind.init(rawValue:)), [.move, .death, .moveOut].contains(kind) else {
                throw RegistryError.invalid([FieldError("kind", "请选择变动类型：户间迁移、死亡登记或迁出")])
            }
            var toHousehold: UUID?
            if kind == .move {
                guard let number = blankToNil(form.household_number) else {
                    throw RegistryError.invalid([FieldError("household_number", "户间迁移须填写迁入的户号")])
                }
                guard let h = try await HouseholdQueries(req.db).find(number: number, in: req.registryScope) else {
                    throw RegistryError.invalid([FieldError("household_number", "您的管辖范围内没有户号 \(number)")])
                }
                toHousehold = h.id
            }
            let change = ResidentChange(kind: kind, occurredOn: blankToNil(form.occurred_on), toHouseholdID: toHousehold,
                                        relation: blankToNil(form.relation), note: blankToNil(form.note), version: form.version ?? 0)
            _ = try await req.residents.record(change, for: id, in: req.registryScope, by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await renderProfile(req, user, full: nil, eventErrors: errors, eventForm: form, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/residents/\(id)")
    }

    // MARK: Create and edit

    struct ResidentForm: Content {
        var csrf: String?
        var name: String?
        var id_number: String?
        var phone: String?
        var household_number: String?
        var relation: String?
        var residence_status: String?
        var tags: [String]?
        var origin: String?
        var occurred_on: String?
        var note: String?
        var version: Int?
    }

    func newResident(req: Request) async throws -> Response {
        let user = try req.webUser(.registryWrite)
        var form = ResidentForm()
        form.household_number = req.formQuery("household_number")
        form.origin = "registered"
        return renderForm(req, user, form: form, errors: [], editing: nil)
    }

    func createResident(req: Request) async throws -> Response {
        let user = try req.webUser(.registryWrite)
        let form = try decodeForm(req)
        try req.checkCSRF(user, form.csrf)
        do {
            // The household is named by its number here; every other field is checked by the same rules as the API.
            var householdError: FieldError?
            var householdID: UUID?
            if let number = blankToNil(form.household_number) {
                householdID = try await HouseholdQueries(req.db).find(number: number, in: req.registryScope)?.id
                if householdID == nil { householdError = FieldError("household_number", "您的管辖范围内没有户号 \(number)") }
            } else {
                householdError = FieldError("household_number", "请填写户号")
            }
            let draft = ResidentDraft(name: blankToNil(form.name), idNumber: blankToNil(form.id_number), phone: blankToNil(form.phone),
                                      householdID: householdID, relation: blankToNil(form.relation),
                                      residenceStatus: blankToNil(form.residence_status), tags: form.tags ?? [],
                                      origin: blankToNil(form.origin), occurredOn: blankToNil(form.occurred_on), note: blankToNil(form.note))
            do {
                let r = try await req.residents.create(draft, in: req.registryScope, by: req.auditActor)
                return req.redirect(to: "/console/residents/\(r.id)")
            } catch RegistryError.invalid(let errors) where householdError != nil {
                throw RegistryError.invalid([householdError!] + errors.filter { $0.field != "household_id" })
            }
        } catch RegistryError.invalid(let errors) {
            return renderForm(req, user, form: form, errors: errors, editing: nil, status: .unprocessableEntity)
        } catch RegistryError.conflict(let field) {
            return renderForm(req, user, form: form, errors: [field], editing: nil, status: .conflict)
        }
    }

    func editResident(req: Request) async throws -> Response {
        let user = try req.webUser(.registryWrite)
        guard let r = try await req.residents.find(id: try residentID(req), in: req.registryScope) else { throw RegistryError.notFound("居民") }
        let form = ResidentForm(name: r.name, id_number: nil, phone: nil, household_number: r.householdNumber, relation: r.relation.rawValue,
                                residence_status: r.residenceStatus.rawValue, tags: r.recordedTags.map(\.rawValue), note: nil, version: r.version)
        return renderForm(req, user, form: form, errors: [], editing: r)
    }

    func updateResident(req: Request) async throws -> Response {
        let user = try req.webUser(.registryWrite)
        let form = try decodeForm(req)
        try req.checkCSRF(user, form.csrf)
        let id = try residentID(req)
        guard let current = try await req.residents.find(id: id, in: req.registryScope) else { throw RegistryError.notFound("居民") }
        do {
            // Blank number fields keep the stored numbers (the form never shows them in full).
            let patch = ResidentPatch(name: blankToNil(form.name), idNumber: blankToNil(form.id_number),
                                      phone: blankToNil(form.phone).map { .some($0) }, relation: blankToNil(form.relation),
                                      residenceStatus: blankToNil(form.residence_status), tags: form.tags ?? [],
                                      note: blankToNil(form.note), version: form.version ?? 0)
            _ = try await req.residents.update(id: id, patch, in: req.registryScope, by: req.auditActor)
            return req.redirect(to: "/console/residents/\(id)")
        } catch RegistryError.invalid(let errors) {
            return renderForm(req, user, form: form, errors: errors, editing: current, status: .unprocessableEntity)
        } catch RegistryError.conflict(let field) {
            return renderForm(req, user, form: form, errors: [field], editing: current, status: .conflict)
        } catch RegistryError.staleVersion(let now) {
            let message = "该居民的信息已被他人修改（当前版本 \(now)），请重新打开编辑页后再改"
            return renderForm(req, user, form: form, errors: [FieldError("version", message)], editing: current, status: .conflict)
        }
    }

    /// Checkbox lists arrive as `tags[]` or repeated `tags`; both decode.
    func decodeForm(_ req: Request) throws -> ResidentForm {
        var form = (try? req.content.decode(ResidentForm.self)) ?? ResidentForm()
        if form.tags == nil, let one = try? req.content.get(String.self, at: "tags") { form.tags = [one] }
        return form
    }

    func renderForm(_ req: Request, _ user: WebUser, form: ResidentForm, errors: [FieldError], editing: ResidentRecord?,
                    status: HTTPResponseStatus = .ok) -> Response {
        func error(_ f: String) -> String? {
            let messages = errors.filter { $0.field == f || ($0.field == "household_id" && f == "household_number") }.map(\.message)
            return messages.isEmpty ? nil : messages.joined(separator: "；")
        }
        let chosen = Set(form.tags ?? [])
        let tagBoxes = ResidentTag.handTyped.map { (t: ResidentTag) -> Markup in
            "<label class=\"check\"><input type=\"checkbox\" name=\"tags[]\" value=\"\(t.rawValue)\"\(chosen.contains(t.rawValue) ? " checked" : "")> \(t.label)</label>"
        }.joined()
        let action = editing.map { "/console/residents/\($0.id)/edit" } ?? "/console/residents"
        let origins = [("registered", "建档登记"), ("birth", "出生登记"), ("move_in", "迁入登记")]
        let other = errors.filter { !["name", "id_number", "phone", "household_number", "household_id", "relation", "residence_status",
                                      "tags", "origin", "occurred_on", "note", "version"].contains($0.field) }
        let body: Markup = """
            <h1>\(editing == nil ? "登记居民" : "编辑居民信息")</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)" novalidate>
              \(Console.csrfField(user))
              \(editing.map { "<input type=\"hidden\" name=\"version\" value=\"\(form.version ?? $0.version)\">" } ?? "")
              \(error("version").map { "<p class=\"error\">\($0)</p>" } ?? "")
              <div class="grid2">
              \(Console.field("姓名", name: "name", value: form.name, error: error("name"), required: editing == nil, extra: "maxlength=\"30\" autocomplete=\"off\""))
              \(Console.field("公民身份号码", name: "id_number", value: form.id_number, error: error("id_number"), required: editing == nil,
                              hint: editing == nil ? "18位，末位可为 X；性别和出生日期由号码得出" : "不改则留空（当前 \(editing?.idMasked ?? "")）",
                              extra: "maxlength=\"18\" autocomplete=\"off\" inputmode=\"text\""))
              \(Console.field("联系电话", name: "phone", value: form.phone, error: error("phone"), type: "tel",
                              hint: editing == nil ? "手机号码或固定电话，可不填" : "不改则留空（当前 \(editing?.phoneMasked ?? "未登记")）", extra: "maxlength=\"20\""))
              \(editing == nil ? Console.field("户号", name: "household_number", value: form.household_number, error: error("household_number"), required: true,
                                               hint: "须为您管辖范围内已有的户") : "")
              \(Console.select("与户主关系", name: "relation", options: HouseholdRelation.allCases.map { ($0.rawValue, $0.label) },
                               selected: form.relation, error: error("relation"), required: true))
              \(Console.select("户籍类型", name: "residence_status", options: ResidenceStatus.allCases.map { ($0.rawValue, $0.label) },
                               selected: form.residence_status, error: error("residence_status")))
              \(editing == nil ? Console.select("登记方式", name: "origin", options: origins, selected: form.origin, error: error("origin")) : "")
              \(editing == nil ? Console.field("发生日期（出生、迁入时填写）", name: "occurred_on", value: form.occurred_on, error: error("occurred_on"), type: "date") : "")
              </div>
              <fieldset><legend>人群标签</legend>\(tagBoxes)\(error("tags").map { "<p class=\"field-error\">\($0)</p>" } ?? "")</fieldset>
              \(Console.textarea("备注", name: "note", value: form.note, error: error("note"), maxLength: 500))
              \(other.isEmpty ? "" : "<p class=\"error\">\(other.map(\.message).joined(separator: "；"))</p>")
              <button type="submit">\(editing == nil ? "登记" : "保存修改")</button>
            </form>
            """
        var crumbs = [Crumb("工作台", "/console"), Crumb("居民", "/console/residents")]
        if let editing { crumbs.append(Crumb(editing.name, "/console/residents/\(editing.id)")) }
        crumbs.append(Crumb(editing == nil ? "登记居民" : "编辑"))
        return Console.page(req, user, title: editing == nil ? "登记居民" : "编辑 \(editing!.name)", crumbs: crumbs, body: body, status: status)
    }

    // MARK: Helpers

    func residentID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw RegistryError.notFound("居民") }
        return id
    }

    func blankToNil(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    func link(_ href: String, _ text: String) -> Markup { "<a href=\"\(href)\">\(text)</a>" }
    func age(_ r: ResidentRecord, _ today: CivilDate) -> Int { CivilDate(r.birthDate)?.age(on: today) ?? 0 }
}
