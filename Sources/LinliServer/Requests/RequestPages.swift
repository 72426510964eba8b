import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's request pages, on the same service layer as the API (`RequestService`), scoped as the API.
///
/// `GET /console/requests` — the queue. Query: `status` (reported, accepted, dispatched, in_progress, resolved, closed, …),
///   `card` (yellow, red), `category`, `level` (community, street, district), `area`, `page`. Filter form button: 筛选.
/// `GET /console/requests/board` — 督办: red and yellow counts, per community, the list most overdue first (`page`).
/// `GET /console/requests/{id}` — the request's facts, its timeline, and a form per action the user may take now:
///   `POST /console/requests/{id}/actions` with `csrf`, `action`, `version` (hidden), `note` (内部备注, never public; `reason` is
///   taken as well), `reply` (答复群众, shown on the tracking page and in Open311; where a reason is needed one of the two),
///   `handler` (派遣: a division code or `dept:CODE`), `photos[]` (开始处置、办结, multipart).
///   Buttons: 受理, 不予受理, 派遣, 开始处置, 办结, 核查, 结案, 回退, 上报上级.
///   `POST /console/requests/{id}/contact` (`csrf`), button 查看联系方式: the reporter's full contact, audited.
/// `GET /console/requests/{id}/photos/{photo}` — a step's photo.
struct RequestPages {
    func boot(_ routes: Routes) {
        let web = routes.grouped("console", "requests")
        web.get(needs: .permission(.requestsRead), use: queue)
        web.get("board", needs: .permission(.requestsSupervise), use: board)
        web.get(":id", needs: .permission(.requestsRead), use: show)
        web.on(.POST, ":id", "actions", needs: .permission(.requestsHandle), body: .collect(maxSize: "32mb"), use: act)
        web.post(":id", "contact", needs: .permission(.requestsHandle), use: contact)
        web.get(":id", "photos", ":photo", needs: .permission(.requestsRead), use: photo)
    }

    static let tabs: [(String, String)] = [("reported", "待受理"), ("accepted", "已受理"), ("dispatched", "已派遣"), ("in_progress", "处置中"),
                                           ("resolved", "已办结（待核查）"), ("closed", "已结案"), ("", "全部")]

    // MARK: Queue

    func queue(req: Request) async throws -> Response {
        let user = try req.webUser(.requestsRead)
        let filter = try RequestService.requestFilter(req)
        let page = try req.pageRequest()
        let q = req.requestQueries, now = req.nowSeconds
        let result = try await q.list(in: req.requestScope, filter: filter, now: now, page: page)
        let names = try await RequestNames.load(q)
        let status = req.formQuery("status") ?? "", card = req.formQuery("card"), category = req.formQuery("category")
        let level = req.formQuery("level"), area = req.formQuery("area")
        let keep: [(String, String?)] = [("status", status.isEmpty ? nil : status), ("card", card), ("category", category), ("level", level),
                                         ("area", area)]
        func link(_ items: [(String, String?)]) -> String {
            var c = URLComponents()
            c.path = "/console/requests"
            let qi = items.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
            c.queryItems = qi.isEmpty ? nil : qi
            return c.string ?? "/console/requests"
        }
        let tabs = Self.tabs.map { value, label -> Markup in
            let items = [("status", value.isEmpty ? nil : value)] + keep.dropFirst()
            return "<a href=\"\(link(items))\"\(value == status ? " aria-current=\"page\"" : "")>\(label)</a>"
        }.joined()
        let rows = result.items.map { r -> [Markup] in
            ["<a href=\"/console/requests/\(r.id.uuidString.lowercased())\">\(r.number)</a>",
             Markup.text(names.categories[r.categoryCode]?.name ?? r.categoryCode),
             Markup.text(Self.truncated(r.description, 40)),
             Markup.text(r.address ?? "—"),
             Markup.text(r.status.label),
             Self.badge(r.card(now: now)),
             Markup.text(Console.time(r.reportedAt))]
        }
        let statusOptions = [("", "全部")] + RequestStatus.allCases.map { ($0.rawValue, $0.label) }
        let body: Markup = """
            <h1>诉求事项</h1>
            <nav class="tabs" aria-label="按状态">\(tabs)</nav>
            <form method="get" action="/console/requests" class="searchbar" aria-label="筛选">
              \(Console.select("状态", name: "status", options: statusOptions, selected: status))
              \(Console.select("时限牌", name: "card", options: [("", "全部"), ("yellow", "黄牌（即将超时）"), ("red", "红牌（已超时）")], selected: card))
              \(Self.categorySelect(names, selected: category, label: "类别", empty: "全部类别", groups: true))
              \(Console.select("层级", name: "level", options: [("", "全部")] + HandlingLevel.allCases.map { ($0.rawValue, $0.label) }, selected: level))
              \(area.map { "<input type=\"hidden\" name=\"area\" value=\"\($0)\">" } ?? "")
              <button type="submit">筛选</button>
            </form>
            \(Console.table(["编号", "类别", "描述", "地点", "状态", "时限牌", "上报时间"], rows, empty: "没有符合条件的事项"))
            \(Console.pager(result, path: "/console/requests", query: keep))
            """
        return Console.page(req, user, title: "诉求事项", crumbs: [Crumb("工作台", "/console"), Crumb("诉求事项")], body: body)
    }

    static func truncated(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n)) + "…" : s }

    static func badge(_ card: DeadlineCard) -> Markup {
        switch card {
        case .none: return "<span class=\"badge\">正常</span>"
        case .yellow: return "<span class=\"badge yellow\">黄牌</span>"
        case .red: return "<span class=\"badge red\">红牌</span>"
        }
    }

    /// The category tree as a select with one group per parent; `groups` lets a parent itself be chosen (filters).
    static func categorySelect(_ names: RequestNames, selected: String?, label: String, empty: String, groups: Bool, name: String = "category",
                               id: String? = nil, error: String? = nil, required: Bool = false) -> Markup {
        let all = names.categories.values.sorted { $0.code < $1.code }
        let fid = id ?? "f-" + name
        func option(_ c: RequestCategoryRecord, _ text: String) -> Markup {
            "<option value=\"\(c.code)\"\(c.code == selected ? " selected" : "")>\(text)</option>"
        }
        let opts = all.filter { $0.parentCode == nil && ($0.active || groups) }.map { g -> Markup in
            let leaves = all.filter { $0.parentCode == g.code && ($0.active || groups) }
            return "<optgroup label=\"\(g.name)\">\(groups ? option(g, "全部" + g.name) : .empty)\(leaves.map { option($0, $0.name) })</optgroup>"
        }
        return """
            <div class="field\(error == nil ? "" : " invalid")">
              <label for="\(fid)">\(label)\(required ? "<span class=\"req\" aria-hidden=\"true\">*</span>" : "")</label>
              <select id="\(fid)" name="\(name)"\(required ? " required" : "")\(error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(fid)-err\"")><option value="">\(empty)</option>\(opts)</select>
              \(error.map { "<p id=\"\(fid)-err\" class=\"field-error\">\($0)</p>" } ?? "")
            </div>
            """
    }

    // MARK: Board

    func board(req: Request) async throws -> Response {
        let user = try req.webUser(.requestsSupervise)
        let q = req.requestQueries, now = req.nowSeconds
        let s = try await q.supervision(in: req.requestScope, now: now, page: try req.pageRequest())
        let names = try await RequestNames.load(q)
        let divisions = try await Self.divisionNames(req)
        let perCommunity = s.byCommunity.map { c -> [Markup] in
            let name = Markup.text(c.communityCode.isEmpty ? "（未落到社区）" : divisions[c.communityCode] ?? c.communityCode)
            let cell: Markup = c.communityCode.isEmpty ? name : "<a href=\"/console/requests?area=\(c.communityCode)\">\(name)</a>"
            return [cell, "\(c.yellow)", "\(c.red)"]
        }
        let rows = s.items.map { r -> [Markup] in
            let overdue = now - r.dueAt
            let due = overdue >= 0 ? "已超时 \(Self.duration(overdue))" : "剩余 \(Self.duration(-overdue))"
            return ["<a href=\"/console/requests/\(r.id.uuidString.lowercased())\">\(r.number)</a>",
                    Markup.text(names.categories[r.categoryCode]?.name ?? r.categoryCode),
                    Markup.text(Self.truncated(r.description, 30)),
                    Markup.text(r.communityCode.flatMap { divisions[$0] } ?? "—"),
                    Markup.text(r.status.label + "（" + r.level.label + "）"),
                    Self.badge(r.card(now: now)),
                    "\(Console.time(r.dueAt))<br><small>\(due)</small>"]
        }
        let page = ResultPage(items: s.items, total: s.total, page: s.page, perPage: s.perPage)
        let body: Markup = """
            <h1>督办</h1>
            <div class="tiles">
              <a class="tile \(s.red > 0 ? "red" : "")" href="/console/requests?card=red"><span>红牌（已超时）</span><b>\(s.red)</b></a>
              <a class="tile \(s.yellow > 0 ? "yellow" : "")" href="/console/requests?card=yellow"><span>黄牌（即将超时）</span><b>\(s.yellow)</b></a>
            </div>
            <h2>各社区</h2>
            \(Console.table(["社区", "黄牌", "红牌"], perCommunity, empty: "没有黄牌、红牌事项"))
            <h2>事项（超时最久的在前）</h2>
            \(Console.table(["编号", "类别", "描述", "社区", "状态", "时限牌", "处置时限"], rows, empty: "没有黄牌、红牌事项"))
            \(Console.pager(page, path: "/console/requests/board", query: []))
            """
        return Console.page(req, user, title: "督办", crumbs: [Crumb("工作台", "/console"), Crumb("督办")], body: body)
    }

    static func duration(_ seconds: Int64) -> String {
        let h = seconds / 3600
        return h >= 24 ? "\(h / 24) 天 \(h % 24) 小时" : h > 0 ? "\(h) 小时" : "\(max(1, seconds / 60)) 分钟"
    }

    /// Every division's name, in one query (a district has a few hundred).
    static func divisionNames(_ req: Request) async throws -> [String: String] {
        Dictionary(try await DivisionQueries(req.db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: One request

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.requestsRead)
        guard let r = try await req.requestQueries.find(id: try req.pathUUID(), in: req.requestScope) else { throw RegistryError.notFound("事项") }
        let done = req.formQuery("done").flatMap(RequestAction.init(rawValue:))
        return try await Self.render(req, user, r, notice: done.map { "已完成：\($0.label)" })
    }

    struct ActionForm: Content {
        var csrf: String?
        var action: String?
        var note: String?
        var reason: String?
        var reply: String?
        var handler: String?
        var version: Int?
        var photos: [File]?
    }

    func act(req: Request) async throws -> Response {
        let user = try req.webUser(.requestsHandle)
        let id = try req.pathUUID()
        let form: ActionForm
        do { form = try req.content.decode(ActionForm.self) } catch let refused as ProblemError {
            throw refused
        } catch {
            throw ProblemError.badRequest("body", "表单内容无法读取，请刷新页面后重试")
        }
        try req.checkCSRF(user, form.csrf)
        let note = [form.note, form.reason].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        // A file input left empty still sends a part without a name or bytes.
        let photos = (form.photos ?? []).filter { $0.data.readableBytes > 0 || !$0.filename.isEmpty }
        do {
            _ = try await RequestService.takeStep(req, id: id, action: form.action, note: note, reply: form.reply, handler: form.handler,
                                               version: form.version, photos: photos)
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: req)
            guard [400, 403, 409, 422].contains(problem.status),
                  let r = try await req.requestQueries.find(id: id, in: req.requestScope) else { throw error }
            await ProblemMiddleware.audit(problem, request: req)
            let errors = (problem.errors ?? []).map { FieldError($0.field, $0.message) }
            return try await Self.render(req, user, r, failure: (form.action ?? "", problem.detail, errors),
                                         status: HTTPResponseStatus(statusCode: problem.status))
        }
        return req.redirect(to: "/console/requests/\(id.uuidString.lowercased())?done=\(form.action ?? "")", redirectType: .normal)
    }

    func contact(req: Request) async throws -> Response {
        let user = try req.webUser(.requestsHandle)
        let form = (try? req.content.decode(WebPages.CSRFForm.self)) ?? WebPages.CSRFForm()
        try req.checkCSRF(user, form.csrf)
        guard let r = try await req.requestQueries.find(id: try req.pathUUID(), in: req.requestScope) else { throw RegistryError.notFound("事项") }
        let contact = try await RequestService.contact(of: r, req: req)
        return try await Self.render(req, user, r, contact: .some(contact))
    }

    func photo(req: Request) async throws -> Response {
        _ = try req.webUser(.requestsRead)
        return try await RequestService.photoResponse(req)
    }

    static func roleLabel(_ raw: String) -> String {
        if let role = Role(rawValue: raw) { return role.label }
        switch raw {
        case "reporter": return "上报人"
        case "system": return "系统"
        default: return raw
        }
    }

    /// The request's page; `failure` is the action refused (its name, the message, the fields' messages).
    static func render(_ req: Request, _ user: WebUser, _ r: RequestRecord, notice: String? = nil,
                       failure: (action: String, message: String, errors: [FieldError])? = nil, contact: String?? = nil,
                       status: HTTPResponseStatus = .ok) async throws -> Response {
        let q = req.requestQueries, now = req.nowSeconds
        let names = try await RequestNames.load(q)
        let steps = try await q.steps(of: r.id)
        let divisions = try await divisionNames(req)
        let building = try await r.buildingId.asyncMap { try await BuildingQueries(req.db).find(id: $0, in: .everything) } ?? nil
        let e = Markup.text
        let id = r.id.uuidString.lowercased()
        let category = names.categories[r.categoryCode]
        func unit(_ code: String?) -> String { names.unitName(code, divisions: divisions) ?? "—" }
        let attributes = r.attributeValues.sorted { $0.key < $1.key }.map { k, v -> Markup in
            let a = category?.attributeList.first { $0.code == k }
            return "<dt>\(e(a?.description ?? k))</dt><dd>\(e(a?.values?[v] ?? v))</dd>"
        }
        var facts: [(String, Markup)] = [
            ("编号", e(r.number)), ("类别", e(category?.name ?? r.categoryCode)), ("状态", e(r.status.label)),
            ("描述", e(r.description)), ("地点", e(r.address ?? "—")),
        ]
        if let b = building { facts.append(("楼栋", e("\(b.name)（\(b.address)）"))) }
        facts += [("所在区域", e(unit(r.areaCode))), ("层级", e(r.level.label)), ("受理单位", e(unit(r.holderCode))),
                  ("处置单位", e(unit(r.handler)))]
        let reporter = [r.reporterName.map { $0.isEmpty ? "" : Masking.name($0) }, r.contactMasked].compactMap { $0 }.filter { !$0.isEmpty }
        facts.append(("上报人", e(reporter.isEmpty ? "匿名" : reporter.joined(separator: " "))))
        if let contact {
            facts.append(("联系方式（完整）", "<strong>\(e(contact ?? "未留联系方式"))</strong>"))
        }
        facts += [("上报时间", e(Console.time(r.reportedAt))), ("处置时限", "\(Console.time(r.dueAt)) \(badge(r.card(now: now)))")]
        if let t = r.resolvedAt { facts.append(("办结时间", e(Console.time(t)))) }
        if let t = r.closedAt { facts.append(("结案时间", e(Console.time(t)))) }
        if r.escalations > 0 { facts.append(("上报上级次数", "\(r.escalations)")) }
        if r.reopened > 0 { facts.append(("重新办理次数", "\(r.reopened)")) }
        if let rating = r.rating {
            facts.append(("群众评价", e("\(rating) 分（\(Satisfaction.label(rating))）" + (r.ratingComment.map { "：" + $0 } ?? ""))))
        }
        // A resident reading their own request sees what they were told, not the staff's notes.
        let internalNotes = user.may(.requestsHandle)
        let timeline = steps.map { s -> Markup in
            let label = s.action.label
            let to = s.toStatus.label
            let photos = s.photos.map { p -> Markup in
                let href = "/console/requests/\(id)/photos/\(p.uuidString.lowercased())"
                return "<a href=\"\(href)\"><img src=\"\(href)\" alt=\"\(e(label))照片\" width=\"96\" height=\"96\" loading=\"lazy\"></a>"
            }
            let note: Markup = internalNotes ? s.note.map { "<p class=\"note\"><small>内部备注：</small>\($0)</p>" } ?? .empty : .empty
            let reply: Markup = s.reply.map { "<p class=\"note\"><small>答复群众：</small>\($0)</p>" } ?? .empty
            return """
                <li><b>\(e(label))</b> → \(e(to))\(s.action == .action(.dispatch) ? " · 派往 \(unit(s.handler))" : "")
                <br><small>\(Console.time(s.at)) · \(e(s.actor))（\(e(roleLabel(s.actorRole)))）</small>
                \(note)\(reply)\(photos.isEmpty ? "" : "<p class=\"photos\">\(photos)</p>")</li>
                """
        }
        // A resident (their own requests, read only) may verify by the rules, but acts on the portal, not here.
        let allowed = user.may(.requestsHandle) ? RequestService.allowedActions(r, req: req) : []
        var forms: [Markup] = []
        for action in allowed {
            forms.append(try await actionForm(req, user, r, action, failure: failure?.action == action.rawValue ? failure?.errors ?? [] : [],
                                              divisions: divisions, names: names))
        }
        if user.may(.requestsHandle), contact == nil {
            forms.append("""
                <form method="post" action="/console/requests/\(id)/contact" class="act">
                  \(Console.csrfField(user))
                  <button type="submit" class="secondary">查看联系方式</button> <small class="muted">（查看完整联系方式将记入审计日志）</small>
                </form>
                """)
        }
        let body: Markup = """
            <h1>事项 \(e(r.number))：\(e(category?.name ?? r.categoryCode))</h1>
            \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(failure.map { "<div class=\"error\" role=\"alert\"><p>\($0.message)</p></div>" }.orEmpty)
            <dl class="facts">\(facts.map { (f: (String, Markup)) -> Markup in "<dt>\(f.0)</dt><dd>\(f.1)</dd>" })\(attributes)</dl>
            <section aria-labelledby="act-h"><h2 id="act-h">办理</h2>
            \(forms.isEmpty ? "<p class=\"muted\">当前没有您可以进行的操作。</p>" : forms.joined(separator: "\n"))
            </section>
            <section aria-labelledby="steps-h"><h2 id="steps-h">办理过程</h2><ol class="timeline">\(timeline)</ol></section>
            """
        return Console.page(req, user, title: "事项 \(r.number)", crumbs: [Crumb("工作台", "/console"), Crumb("诉求事项", "/console/requests"),
                                                                          Crumb("事项 \(r.number)")], body: body, status: status)
    }

    /// The form of one action: hidden `action` and `version`, the internal note and the public reply (one of them a reason
    /// where needed), a unit for a dispatch, photos.
    static func actionForm(_ req: Request, _ user: WebUser, _ r: RequestRecord, _ action: RequestAction, failure errors: [FieldError],
                           divisions: [String: String], names: RequestNames) async throws -> Markup {
        let a = action.rawValue
        func error(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        func messageLine(_ fid: String, _ msg: String?) -> Markup { msg.map { "<p id=\"\(fid)-err\" class=\"field-error\">\($0)</p>" }.orEmpty }
        let withPhotos = [.start, .resolve].contains(action)
        var fields = Markup.empty
        if action == .dispatch {
            let fid = "f-\(a)-handler"
            let own = r.holderCode
            let below = divisions.keys.filter { $0 != own && RequestRules.mayDispatch(to: $0, holder: own) }.sorted()
            let departments = try await req.requestQueries.departments()
            let suggested = names.categories[r.categoryCode]?.departmentCode
            var opts: Markup = "<option value=\"\">请选择</option><optgroup label=\"本级\"><option value=\"\(own)\">\(divisions[own] ?? own)</option></optgroup>"
            if !below.isEmpty {
                opts += "<optgroup label=\"下级\">\(below.map { (c: String) -> Markup in "<option value=\"\(c)\">\(divisions[c] ?? c)</option>" })</optgroup>"
            }
            let units = departments.map { d -> Markup in
                "<option value=\"dept:\(d.code)\"\(d.code == suggested ? " selected" : "")>\(d.name)</option>"
            }
            opts += "<optgroup label=\"区职能部门\">\(units)</optgroup>"
            let msg = error("handler")
            fields += """
                <div class="field\(msg == nil ? "" : " invalid")"><label for="\(fid)">处置单位<span class="req" aria-hidden="true">*</span></label>
                <select id="\(fid)" name="handler" required\(msg == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(fid)-err\"")>\(opts)</select>\(messageLine(fid, msg))</div>
                """
        }
        // Two fields, so that no one writes to the reporter by mistake: the note stays with the staff, the reply is public.
        if action.needsNote {
            fields += "<p class=\"muted\">\(action.label)须说明理由：填写内部备注或答复群众，至少一项。</p>"
        }
        for (name, label) in [("note", "内部备注（不公开）"), ("reply", "答复群众（公开，群众可在查询页看到）")] {
            let fid = "f-\(a)-\(name)"
            let msg = error(name)
            fields += """
                <div class="field\(msg == nil ? "" : " invalid")"><label for="\(fid)">\(label)</label>
                <textarea id="\(fid)" name="\(name)" rows="2" maxlength="1000"\(msg == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(fid)-err\"")></textarea>\(messageLine(fid, msg))</div>
                """
        }
        if withPhotos {
            let pid = "f-\(a)-photos"
            let msg = error("photos")
            fields += """
                <div class="field\(msg == nil ? "" : " invalid")"><label for="\(pid)">照片（可不传，最多6张，每张不超过5MB）</label>
                <input id="\(pid)" name="photos[]" type="file" accept="image/*" capture="environment" multiple\(msg == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"\(pid)-err\"")>\(messageLine(pid, msg))</div>
                """
        }
        let danger = [.refuse, .return, .escalate].contains(action)
        return """
            <form method="post" action="/console/requests/\(r.id.uuidString.lowercased())/actions" class="act" aria-label="\(action.label)"\(withPhotos ? " enctype=\"multipart/form-data\"" : "")>
              \(Console.csrfField(user))
              <input type="hidden" name="action" value="\(a)"><input type="hidden" name="version" value="\(r.version)">
              <h3>\(action.label)</h3>\(fields)
              <button type="submit"\(danger ? " class=\"danger\"" : "")>\(action.label)</button>
            </form>
            """
    }
}

extension Optional {
    func asyncMap<U>(_ f: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
