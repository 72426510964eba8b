import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 居家养老 pages: the roll with its filters, an elder's care file with the assessment, plan,
/// record and call forms, the emergency calls and the facilities. Forms post with the CSRF token; the data
/// layer is the API's, so scope, rules and audit are the same.
struct CarePages {
    func boot(_ routes: Routes) {
        let care = routes.grouped("console", "care")
        care.get(needs: .permission(.careRead), use: roll)
        care.get("calls", needs: .permission(.careRead), use: calls)
        care.post("calls", ":id", needs: .permission(.careWrite), use: actOnCall)
        care.get("facilities", needs: .permission(.careRead), use: facilities)
        care.post("facilities", needs: .permission(.careFacilities), use: createFacility)
        care.get("assessments", ":id", needs: .permission(.careFullView), use: fullAssessment)
        care.get(":id", needs: .permission(.careRead), use: file)
        care.post(":id", "assessments", needs: .permission(.careWrite), use: assess)
        care.post(":id", "plan", needs: .permission(.careWrite), use: savePlan)
        care.post(":id", "records", needs: .permission(.careWrite), use: addRecord)
        care.post(":id", "calls", needs: .permission(.careWrite), use: logCall)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("居家养老", "/console/care")]

    static func form(_ req: Request, _ user: WebUser) throws -> [String: String] {
        let f = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, f["csrf"])
        return f
    }

    static func tabs(_ current: String) -> Markup {
        let items = [("名册", "/console/care"), ("紧急呼叫", "/console/care/calls"), ("养老服务设施", "/console/care/facilities")]
        return "<p class=\"tabs\">\(items.map { l, h -> Markup in h == current ? "<b>\(l)</b>" : "<a href=\"\(h)\">\(l)</a>" }.joined(separator: " · "))</p>"
    }

    // MARK: The roll

    func roll(req: Request) async throws -> Response {
        let user = try req.webUser(.careRead)
        var filter = CareFilter()
        let level = req.formQuery("level"), flag = req.formQuery("flag")
        if level == "unassessed" { filter.unassessed = true } else { filter.level = level.flatMap(CareLevel.init(rawValue:)) }
        filter.flag = flag.flatMap(CareFlag.init(rawValue:))
        filter.due = req.formFlag("due")
        filter.missedVisit = req.formFlag("missed_visit")
        // Officers narrow the roll to one 村/社区 of their area (`division`; outside it 404 as in the API).
        let scope = try req.narrowedScope(), division = req.formQuery("division")
        let communities = req.registryScope.prefix.count < 12 ? try await req.care.communityAreas(in: req.registryScope) : []
        let page = try await req.care.roll(in: scope, filter: filter, page: req.consolePage(perPage: 30))
        let figures = try await req.care.figures(in: scope)
        let today = req.application.linli.today()
        let rows = page.items.map { r -> [Markup] in
            let e = CareElderDTO(r, today: today)
            let flags = e.flags.compactMap { CareFlag(rawValue: $0)?.label }.joined(separator: "、")
            return ["<a href=\"/console/care/\(e.id)\">\(e.name)</a>", Markup.text(e.idNumberMasked), "\(e.age)",
                    "\(e.levelLabel)\(e.score.map { "（\($0)分）" } ?? "")", Markup.text(flags),
                    e.assessmentDue ? "<span class=\"badge yellow\">待评估</span>" : Markup.text(e.nextDue ?? ""),
                    e.visitMissed ? "<span class=\"badge red\">漏访</span>" : Markup.text(e.lastVisitOn ?? "—"), e.hasPlan ? "有" : "—"]
        }
        let levelOptions = [("", "全部分级")] + CareLevel.allCases.map { ($0.rawValue, $0.label) } + [("unassessed", "未评估")]
        let flagOptions = [("", "全部")] + CareFlag.allCases.map { ($0.rawValue, $0.label) }
        let tiles = [("60岁以上老人", figures.elders, ""), ("已评估", figures.assessed, ""), ("待评估", figures.due, "yellow"),
                     ("有照护计划", figures.withPlan, ""), ("独居老人", figures.livingAlone, ""), ("漏访独居老人", figures.missedVisits, "red"),
                     ("未办结呼叫", figures.openCalls, "red")]
            .map { (t: (String, Int, String)) -> Markup in "<div class=\"tile \(t.1 > 0 ? t.2 : "")\"><span>\(t.0)</span><b>\(t.1)</b></div>" }
        let body: Markup = """
            <h1>居家养老名册</h1>
            \(Self.tabs("/console/care"))
            <p class="muted">名册由人口登记自动产生：年满60周岁的在册居民即在册，死亡或迁出即离册。</p>
            <div class="tiles">\(tiles)</div>
            <form method="get" action="/console/care" class="filters">
              \(communities.count > 1 ? Console.select("村/社区", name: "division", options: [("", "全部")] + communities.map { ($0.code, $0.name) },
                                                         selected: division) : "")
              \(Console.select("分级", name: "level", options: levelOptions, selected: level))
              \(Console.select("标记", name: "flag", options: flagOptions, selected: flag))
              \(Console.select("评估", name: "due", options: [("", "全部"), ("true", "到期待评估")], selected: filter.due ? "true" : nil))
              \(Console.select("巡访", name: "missed_visit", options: [("", "全部"), ("true", "漏访的独居老人")], selected: filter.missedVisit ? "true" : nil))
              <button type="submit">筛选</button>
            </form>
            \(Console.table(["姓名", "公民身份号码", "年龄", "分级", "标记", "下次评估", "最近巡访", "照护计划"], rows, empty: "没有符合条件的老人"))
            \(Console.pager(page, path: "/console/care", query: [("division", division), ("level", level), ("flag", flag), ("due", filter.due ? "true" : nil),
                                                                 ("missed_visit", filter.missedVisit ? "true" : nil)]))
            """
        return Console.page(req, user, title: "居家养老名册", crumbs: [Crumb("工作台", "/console"), Crumb("居家养老")], body: body)
    }

    // MARK: The care file

    func file(req: Request) async throws -> Response {
        let user = try req.webUser(.careRead)
        return try await renderFile(req, user, id: try req.pathUUID(), errors: [], form: nil, status: .ok)
    }

    func renderFile(_ req: Request, _ user: WebUser, id: UUID, errors: [FieldError], form: String?, status: HTTPResponseStatus) async throws -> Response {
        let q = req.care, scope = req.registryScope, today = req.application.linli.today()
        // In care: 60 or more, or younger with a plan that records the reason. An active resident under 60 without
        // one is shown the plan form only, with the reason to fill in (reached from the resident's profile).
        let r: CareElderRecord, enrolled: Bool
        if let x = try await q.inCare(id, in: scope) {
            (r, enrolled) = (x, true)
        } else if case let (x, life)? = try await q.elder(id, in: scope), life == .active {
            (r, enrolled) = (x, false)
        } else {
            throw RegistryError.notFound("养老服务对象")
        }
        let e = CareElderDTO(r, today: today)
        let assessments = try await q.assessments(of: id, in: scope)
        let plan = try await q.plan(of: id, in: scope)
        let records = try await q.records(of: id, in: scope, limit: 20)
        let calls = try await q.calls(in: scope, status: nil, resident: id, page: PageRequest(page: 1, perPage: 10)).items
        let write = user.may(.careWrite)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let flags = e.flags.compactMap { CareFlag(rawValue: $0)?.label }.joined(separator: "、")
        let header: Markup = """
            <h1>\(e.name)的养老档案</h1>
            <p>\(e.idNumberMasked) · \(e.age)岁 · 网格 \(e.gridCode)\(flags.isEmpty ? "" : " · " + flags)
            · <a href="/console/residents/\(id)">居民信息</a></p>
            """
        guard enrolled else {
            var parts: [Markup] = [header, """
                <p class="notice">该居民未满60周岁，不在养老服务名册上。因失能、残疾或特殊困难纳入居家养老的，制定照护计划并填写\(Under60Reason.label)后，\
                即可登记评估、服务记录和紧急呼叫。</p>
                """]
            if let form { parts.append("<p class=\"muted\">\(form)未保存：</p>\(Console.formErrors(errors))") }
            if write { parts.append(Self.planForm(user, id: id, plan: nil, under60: true, today: today, open: true, err: err)) }
            return Console.page(req, user, title: e.name + "的养老档案", crumbs: Self.crumbs + [Crumb(e.name)], body: parts.joined(separator: "\n"),
                                status: status)
        }
        var parts: [Markup] = [header + """
            <div class="tiles">
              <div class="tile"><span>分级</span><b>\(e.levelLabel)</b></div>
              <div class="tile"><span>Barthel 指数</span><b>\(e.score.map(String.init) ?? "—")</b></div>
              <div class="tile \(e.assessmentDue ? "yellow" : "")"><span>下次评估</span><b>\(e.nextDue ?? "待评估")</b></div>
              <div class="tile \(e.visitMissed ? "red" : "")"><span>最近关爱巡访</span><b>\(e.lastVisitOn ?? "—")</b></div>
            </div>
            """]
        if let form { parts.append("<p class=\"muted\">\(form)未保存：</p>\(Console.formErrors(errors))") }
        // Assessments: totals only; the items behind an audited link.
        parts.append("<h2>能力评估</h2>" + Console.table(["评估日期", "总分", "依赖程度", "分级", "评估人", "下次评估", ""], assessments.map { a in
            [Markup.text(a.assessedOn), "\(a.total)", Markup.text(DependencyBand.of(total: a.total).label),
             Markup.text(a.level.label), Markup.text(a.assessor), Markup.text(a.nextDue),
             user.may(.careFullView) ? "<a href=\"/console/care/assessments/\(a.id)\">查看各项得分（记入审计）</a>" : ""]
        }, empty: "尚未评估"))
        if write {
            let selects = BarthelItem.allCases.map { item in
                Console.select(item.label, name: "s_\(item.rawValue)", options: item.allowedScores.reversed().map { (String($0), "\($0)分") },
                               error: err("scores.\(item.rawValue)"))
            }
            parts.append("""
                <details\(form == "评估" ? " open" : "")><summary>登记评估（Barthel 指数）</summary>
                <form method="post" action="/console/care/\(id)/assessments">\(Console.csrfField(user))
                \(selects)
                \(Console.field("评估日期", name: "assessed_on", value: today.description, error: err("assessed_on"), type: "date"))
                \(Console.textarea("备注", name: "note", error: err("note"), maxLength: 500))
                <button type="submit">保存评估</button></form>
                <p class="muted">总分100或61–99为自理，41–60为半失能，40及以下为失能（WS/T 431-2013）；自理12个月、其他6个月后复评。</p></details>
                """)
        }
        // The plan.
        parts.append("<h2>照护计划</h2>")
        if let plan {
            parts.append("<p>自 \(plan.startsOn)\(plan.endsOn.map { " 至 " + $0 } ?? "")（版本 \(plan.version)）</p>"
                + (plan.under60Reason.map { "<p>\(Under60Reason.label)：\($0)</p>" } ?? .empty)
                + Console.table(["服务", "频次", "提供方"], plan.services.map {
                    [Markup.text($0.service.label), Markup.text($0.frequency.label),
                     Markup.text($0.providerKind.label + "：" + $0.providerName)]
                }))
        } else {
            parts.append("<p class=\"empty\">尚无照护计划</p>")
        }
        if write { parts.append(Self.planForm(user, id: id, plan: plan, under60: e.age < CareRules.minimumAge, today: today, open: form == "照护计划", err: err)) }
        // Records.
        parts.append("<h2>服务记录</h2>" + Console.table(["时间", "服务", "时长", "提供方", "老人反馈", "满意度"], records.map { r in
            [Markup.text(Console.time(r.providedAt)), Markup.text(r.service.label), "\(r.durationMinutes)分钟",
             Markup.text(r.providerName), Markup.text(r.feedback ?? ""), r.satisfaction.map { "\($0)分" } ?? ""]
        }, empty: "暂无服务记录"))
        if write {
            parts.append("""
                <details\(form == "服务记录" ? " open" : "")><summary>登记服务</summary>
                <form method="post" action="/console/care/\(id)/records">\(Console.csrfField(user))
                \(Console.select("服务", name: "service", options: CareService.allCases.map { ($0.rawValue, $0.label) }, error: err("service")))
                \(Console.field("服务时间", name: "provided_at", value: String(WireTime.string(Int64(req.application.linli.now().timeIntervalSince1970)).prefix(16)),
                                error: err("provided_at"), type: "datetime-local", required: true))
                \(Console.field("时长（分钟）", name: "duration_minutes", value: "30", error: err("duration_minutes"), type: "number", required: true))
                \(Console.select("提供方类型", name: "provider_kind", options: CareProviderKind.allCases.map { ($0.rawValue, $0.label) }, selected: "worker"))
                \(Console.field("提供方名称", name: "provider_name", value: user.account.displayName, error: err("provider_name"), required: true))
                \(Console.textarea("老人的反馈", name: "feedback", error: err("feedback"), maxLength: 500))
                \(Console.select("满意度", name: "satisfaction", options: [("", "未评价")] + (1...5).reversed().map { (String($0), "\($0)分") }, error: err("satisfaction")))
                <button type="submit">保存记录</button></form></details>
                """)
        }
        // Calls.
        parts.append("<h2>紧急呼叫</h2>" + Self.callTable(calls, user: user, back: "/console/care/\(id)"))
        if write {
            parts.append("""
                <form method="post" action="/console/care/\(id)/calls">\(Console.csrfField(user))
                \(Console.field("派给（责任人或服务方，可空）", name: "assigned_to", error: err("assigned_to")))
                \(Console.field("情况", name: "note", error: err("note")))
                <button type="submit">登记紧急呼叫</button></form>
                """)
        }
        return Console.page(req, user, title: e.name + "的养老档案", crumbs: Self.crumbs + [Crumb(e.name)], body: parts.joined(separator: "\n"),
                            status: status)
    }

    /// The plan form: the services ticked with frequency and provider, the dates, and for someone under 60 the reason.
    static func planForm(_ user: WebUser, id: UUID, plan: CarePlanRecord?, under60: Bool, today: CivilDate, open: Bool,
                         err: (String) -> String?) -> Markup {
        let rows = CareService.allCases.map { s -> Markup in
            let current = plan?.services.first { $0.service == s }
            return """
                <fieldset><legend><label><input type="checkbox" name="svc_\(s.rawValue)" value="on"\(current == nil ? "" : " checked")> \(s.label)</label></legend>
                \(Console.select("频次", name: "freq_\(s.rawValue)", options: CareFrequency.allCases.map { ($0.rawValue, $0.label) }, selected: current?.frequency.rawValue))
                \(Console.select("提供方类型", name: "kind_\(s.rawValue)", options: CareProviderKind.allCases.map { ($0.rawValue, $0.label) }, selected: current?.providerKind.rawValue))
                \(Console.field("提供方名称", name: "name_\(s.rawValue)", value: current?.providerName))
                </fieldset>
                """
        }
        let reason: Markup = under60
            ? Console.field("\(Under60Reason.label)（如\(Under60Reason.examples.joined(separator: "、"))）", name: Under60Reason.field,
                            value: plan?.under60Reason, error: err(Under60Reason.field), required: true, extra: "maxlength=\"\(Under60Reason.maximumLength)\"")
            : .empty
        return """
            <details\(open ? " open" : "")><summary>\(plan == nil ? "制定" : "修改")照护计划</summary>
            <form method="post" action="/console/care/\(id)/plan">\(Console.csrfField(user))
            \(plan.map { "<input type=\"hidden\" name=\"version\" value=\"\($0.version)\">" } ?? "")
            \(reason)
            \(err("services").map { "<p class=\"field-error\">\($0)</p>" } ?? "")
            \(rows)
            \(Console.field("开始日期", name: "starts_on", value: plan?.startsOn ?? today.description, error: err("starts_on"), type: "date", required: true))
            \(Console.field("结束日期", name: "ends_on", value: plan?.endsOn, error: err("ends_on"), type: "date"))
            <button type="submit">保存计划</button></form></details>
            """
    }

    static func callTable(_ calls: [CareCallRecord], user: WebUser, back: String) -> Markup {
        Console.table(["接警时间", "老人", "状态", "派给", "响应", "办结", ""], calls.map { c -> [Markup] in
            let dto = CareCallDTO(c)
            var action = Markup.empty
            if user.may(.careWrite) {
                let steps = CareCallAction.allCases.filter { $0.next(from: c.status) != nil }
                action = steps.map { a -> Markup in
                    let label = a == .assign ? "派单" : a == .respond ? "已到达响应" : "办结"
                    let extra: Markup = a == .assign ? "<input name=\"assigned_to\" aria-label=\"派给\" placeholder=\"责任人\" required maxlength=\"50\">" : ""
                    let form: Markup = "<form method=\"post\" action=\"/console/care/calls/\(c.id)\" class=\"inline\">\(Console.csrfField(user))"
                    return form + "<input type=\"hidden\" name=\"action\" value=\"\(a.rawValue)\"><input type=\"hidden\" name=\"version\" value=\"\(c.version)\">"
                        + "<input type=\"hidden\" name=\"back\" value=\"\(back)\">\(extra)<button type=\"submit\">\(label)</button></form>"
                }.joined(separator: " ")
            }
            return [Markup.text(Console.time(c.receivedAt)), "<a href=\"/console/care/\(c.residentId)\">\(c.residentName ?? "")</a>",
                    Markup.text(dto.statusLabel), Markup.text(c.assignedTo ?? "—"),
                    Markup.text(c.respondedAt.map { Console.time($0) + String(format: "（%.0f分钟）", dto.responseMinutes ?? 0) } ?? "—"),
                    Markup.text(c.closedAt.map(Console.time) ?? "—"), action]
        }, empty: "暂无紧急呼叫")
    }

    /// Runs a write of the care file; field problems re-render the file with the messages (422).
    func write(_ req: Request, _ name: String, _ body: (WebUser, UUID, [String: String]) async throws -> Void) async throws -> Response {
        let user = try req.webUser(.careWrite)
        let id = try req.pathUUID()
        let f = try Self.form(req, user)
        do {
            try await body(user, id, f)
        } catch RegistryError.invalid(let errors) {
            return try await renderFile(req, user, id: id, errors: errors, form: name, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/care/\(id)", redirectType: .normal)
    }

    func assess(req: Request) async throws -> Response {
        try await write(req, "评估") { user, id, f in
            var scores: [String: Int] = [:]
            for item in BarthelItem.allCases { if let v = f["s_\(item.rawValue)"].flatMap({ Int($0) }) { scores[item.rawValue] = v } }
            _ = try await req.care.assess(id, scores: scores, assessedOn: f["assessed_on"].flatMap { $0.isEmpty ? nil : $0 },
                                          note: f["note"].flatMap { $0.isEmpty ? nil : $0 }, in: req.registryScope, by: req.auditActor)
        }
    }

    func savePlan(req: Request) async throws -> Response {
        try await write(req, "照护计划") { user, id, f in
            let services = CareService.allCases.filter { f["svc_\($0.rawValue)"] == "on" }.map { s in
                CarePlanService(service: s.rawValue, frequency: f["freq_\(s.rawValue)"] ?? "", providerKind: f["kind_\(s.rawValue)"] ?? "",
                                providerName: f["name_\(s.rawValue)"] ?? "")
            }
            let draft = CarePlanDraft(services: services, startsOn: f["starts_on"], endsOn: f["ends_on"].flatMap { $0.isEmpty ? nil : $0 },
                                      note: nil, version: f["version"].flatMap { Int($0) }, under60Reason: f[Under60Reason.field])
            _ = try await req.care.savePlan(id, draft, in: req.registryScope, by: req.auditActor)
        }
    }

    func addRecord(req: Request) async throws -> Response {
        try await write(req, "服务记录") { user, id, f in
            // The form's local time is Beijing time.
            let at = f["provided_at"].flatMap { raw -> Date? in
                let text = raw.count == 16 ? raw + ":00+08:00" : raw
                return ISO8601DateFormatter().date(from: text)
            }
            let d = CareRecordDraft(service: f["service"], providedAt: at, durationMinutes: f["duration_minutes"].flatMap { Int($0) },
                                    providerKind: f["provider_kind"], providerName: f["provider_name"],
                                    feedback: f["feedback"].flatMap { $0.isEmpty ? nil : $0 }, satisfaction: f["satisfaction"].flatMap { Int($0) })
            _ = try await req.care.addRecord(id, d, in: req.registryScope, by: req.auditActor)
        }
    }

    func logCall(req: Request) async throws -> Response {
        try await write(req, "紧急呼叫") { user, id, f in
            _ = try await req.care.logCall(resident: id, receivedAt: nil, assignedTo: f["assigned_to"].flatMap { $0.isEmpty ? nil : $0 },
                                           note: f["note"].flatMap { $0.isEmpty ? nil : $0 }, in: req.registryScope, by: req.auditActor)
        }
    }

    /// The item scores of an assessment: audited before they are shown.
    func fullAssessment(req: Request) async throws -> Response {
        let user = try req.webUser(.careFullView)
        guard case let (a, scores)? = try await req.care.fullAssessment(try req.pathUUID(), in: req.registryScope, by: req.auditActor) else {
            throw RegistryError.notFound("评估记录")
        }
        let rows = BarthelItem.allCases.map { (i: BarthelItem) -> [Markup] in [Markup.text(i.label), "\(scores.scores[i] ?? 0)", "\(i.maximum)"] }
        let body: Markup = """
            <h1>评估各项得分</h1>
            <p>\(a.assessedOn) · 总分 \(a.total) · \(DependencyBand.of(total: a.total).label) · \(a.level.label) · 评估人 \(a.assessor)</p>
            <p class="muted">本次查看已记入审计日志。</p>
            \(Console.table(["项目", "得分", "满分"], rows))
            <p><a href="/console/care/\(a.residentId)">返回养老档案</a></p>
            """
        return Console.page(req, user, title: "评估各项得分", crumbs: Self.crumbs + [Crumb("养老档案", "/console/care/\(a.residentId)"), Crumb("评估得分")],
                            body: body, wide: false)
    }

    // MARK: Calls

    func calls(req: Request) async throws -> Response {
        let user = try req.webUser(.careRead)
        let open = req.formFlag("open")
        let page = try await req.care.calls(in: req.registryScope, status: nil, open: open, page: req.consolePage(perPage: 30))
        let (calls, _) = try await req.care.callFigures(in: req.registryScope)
        let body: Markup = """
            <h1>紧急呼叫</h1>
            \(Self.tabs("/console/care/calls"))
            <p>共 \(calls.calls) 次，已响应 \(calls.responded) 次，30分钟内响应 \(calls.withinTarget) 次\(calls.meanMinutes.map { String(format: "，平均响应 %.1f 分钟", $0) } ?? "")。
            \(open ? "<a href=\"/console/care/calls\">显示全部</a>" : "<a href=\"/console/care/calls?open=true\">只看未办结</a>")</p>
            \(Self.callTable(page.items, user: user, back: "/console/care/calls"))
            \(Console.pager(page, path: "/console/care/calls", query: [("open", open ? "true" : nil)]))
            """
        return Console.page(req, user, title: "紧急呼叫", crumbs: Self.crumbs + [Crumb("紧急呼叫")], body: body)
    }

    func actOnCall(req: Request) async throws -> Response {
        let user = try req.webUser(.careWrite)
        let id = try req.pathUUID()
        let f = try Self.form(req, user)
        guard let action = f["action"].flatMap(CareCallAction.init(rawValue:)) else {
            throw RegistryError.invalid([FieldError("action", "操作应为派单、响应或办结")])
        }
        _ = try await req.care.act(on: id, action: action, assignedTo: f["assigned_to"], note: nil, version: Int(f["version"] ?? "") ?? 0,
                                   in: req.registryScope, by: req.auditActor)
        let back = f["back"].flatMap { $0.hasPrefix("/console/care") && !$0.contains("//") ? $0 : nil } ?? "/console/care/calls"
        return req.redirect(to: back, redirectType: .normal)
    }

    // MARK: Facilities

    func facilities(req: Request) async throws -> Response {
        let user = try req.webUser(.careRead)
        return try await renderFacilities(req, user, errors: [], status: .ok)
    }

    func renderFacilities(_ req: Request, _ user: WebUser, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let list = try await req.care.facilities(in: req.registryScope)
        let areas = try await req.care.communityAreas(in: req.registryScope)
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let met = areas.filter(\.meetsStandard).count
        var body: Markup = """
            <h1>养老服务设施</h1>
            \(Self.tabs("/console/care/facilities"))
            <h2>居家养老服务场所面积（城市社区≥300㎡，农村≥450㎡）</h2>
            <p>\(met) / \(areas.count) 个村/社区达标。</p>
            \(Console.table(["村/社区", "城乡", "场所面积（㎡）", "标准（㎡）", "达标", "床位", "护理型床位"], areas.map { a -> [Markup] in
                [Markup.text(a.name), Markup.text(a.setting.label), Markup.text(IndicatorFormat.number(a.homeCareArea)), Markup.text(IndicatorFormat.number(a.minimum)),
                 a.meetsStandard ? "<span class=\"badge green\">达标</span>" : "<span class=\"badge red\">未达标</span>", "\(a.beds)", "\(a.nursingBeds)"]
            }))
            <h2>设施</h2>
            \(Console.table(["名称", "类型", "村/社区代码", "面积（㎡）", "床位", "护理型床位"], list.map { f -> [Markup] in
                [Markup.text(f.name), Markup.text(f.kind.label), Markup.text(f.communityCode),
                 Markup.text(IndicatorFormat.number(f.floorArea)), "\(f.beds)", "\(f.nursingBeds)"]
            }, empty: "尚未登记设施"))
            """
        if user.may(.careFacilities) {
            body += """
                <h2>登记设施</h2>
                \(Console.formErrors(errors))
                <form method="post" action="/console/care/facilities">\(Console.csrfField(user))
                \(Console.field("名称", name: "name", error: err("name"), required: true))
                \(Console.select("类型", name: "kind", options: CareFacilityKind.allCases.map { ($0.rawValue, $0.label) }, error: err("kind")))
                \(Console.select("村/社区", name: "community_code", options: areas.map { ($0.code, $0.name) }, error: err("community_code")))
                \(Console.field("建筑面积（㎡）", name: "floor_area", error: err("floor_area"), type: "number", required: true, extra: "step=\"0.1\" min=\"0\""))
                \(Console.field("床位数", name: "beds", value: "0", error: err("beds"), type: "number"))
                \(Console.field("护理型床位数", name: "nursing_beds", value: "0", error: err("nursing_beds"), type: "number"))
                <button type="submit">登记</button></form>
                """
        }
        return Console.page(req, user, title: "养老服务设施", crumbs: Self.crumbs + [Crumb("养老服务设施")], body: body, status: status)
    }

    func createFacility(req: Request) async throws -> Response {
        let user = try req.webUser(.careFacilities)
        let f = try Self.form(req, user)
        do {
            _ = try await req.care.saveFacility(nil, CareFacilityDraft(name: f["name"], kind: f["kind"], communityCode: f["community_code"],
                                                                       floorArea: f["floor_area"].flatMap { Double($0) }, beds: f["beds"].flatMap { Int($0) },
                                                                       nursingBeds: f["nursing_beds"].flatMap { Int($0) }),
                                                in: req.registryScope, by: req.auditActor)
        } catch RegistryError.invalid(let errors) {
            return try await renderFacilities(req, user, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: "/console/care/facilities", redirectType: .normal)
    }
}
