import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 事项准入 pages: the overview (what waits for one's step, the figures per department), the list of
/// tasks, the application form (new and amended), and a task with its steps and the form of the next step.
struct AdmissionPages {
    func boot(_ routes: Routes) {
        let a = routes.grouped("console", "admission")
        a.get(needs: .permission(.admissionRead), use: overview)
        a.get("tasks", needs: .permission(.admissionRead), use: tasks)
        a.get("tasks", "new", needs: .permission(.admissionApply), use: newTask)
        a.post("tasks", "new", needs: .permission(.admissionApply), use: create)
        a.get("tasks", ":id", needs: .permission(.admissionRead), use: task)
        a.get("tasks", ":id", "edit", needs: .permission(.admissionApply), use: editTask)
        a.post("tasks", ":id", "edit", needs: .permission(.admissionApply), use: update)
        a.post("tasks", ":id", "act", needs: .permission(.admissionRead), use: act)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("事项准入", "/console/admission")]
    static let clause = "规划：“严格实行行政事务进社区审批准入制度，对‘人随事转、费随事转、权随事转’的执行情况进行严格监督，精简条线的检查考核和牌子增挂”。"

    static func taskRows(_ tasks: [AdmissionTaskRecord], names: [String: String]) -> [[Markup]] {
        tasks.map { t -> [Markup] in
            ["<a href=\"/console/admission/tasks/\(t.id)\">\(t.title)</a>", Markup.text(names[t.departmentCode] ?? t.departmentCode), Markup.text(t.kind.label),
             Markup.text("\(t.validFrom) 至 \(t.validTo)"), badge(t.status)]
        }
    }

    static func badge(_ s: AdmissionStatus) -> Markup {
        switch s {
        case .admitted: return "<span class=\"badge\">已准入</span>"
        case .refused: return "<span class=\"badge red\">不予准入</span>"
        default: return "<span class=\"badge grey\">\(s.label)</span>"
        }
    }

    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionRead)
        let q = req.admission, actor = req.admissionActor
        let names = try await q.departmentNames()
        var parts: [Markup] = []
        if user.may(.admissionApply) {
            let own = try await q.tasks(by: actor, page: PageRequest(page: 1, perPage: 20))
            parts.append("""
                <h2>本部门的申请</h2>
                <p><a class="button" href="/console/admission/tasks/new">申请事项准入</a></p>
                \(Console.table(["事项", "部门", "类别", "期限", "状态"], Self.taskRows(own.items, names: names), empty: "尚无申请"))
                \(own.total > own.items.count ? "<p><a href=\"/console/admission/tasks\">全部 \(own.total) 项</a></p>" as Markup : Markup.empty)
                """)
        }
        if user.may(.admissionReview) {
            let waiting = try await q.waiting(for: .submitted)
            parts.append("<h2>待初审（民政）</h2>\(Console.table(["事项", "部门", "类别", "期限", "状态"], Self.taskRows(waiting, names: names), empty: "没有待初审的申请"))")
        }
        if user.may(.admissionDecide) {
            let waiting = try await q.waiting(for: .reviewed)
            parts.append("<h2>待审定（领导小组）</h2>\(Console.table(["事项", "部门", "类别", "期限", "状态"], Self.taskRows(waiting, names: names), empty: "没有待审定的申请"))")
        }
        if user.may(.admissionCommunity), user.account.divisionCode.count == 12, !user.account.divisionCode.hasSuffix("000") {
            parts.append("<p><a class=\"button\" href=\"/console/admission/community?community=\(user.account.divisionCode)\">本社区的准入事项、拒绝登记和经费</a></p>")
        } else if user.may(.admissionCommunity) || user.may(.admissionReview) {
            let communities = try await DivisionQueries(req.db).all(in: req.registryScope, level: .community).prefix(400)
            parts.append("""
                <form method="get" action="/console/admission/community" class="inline">
                \(Console.select("查看村/社区", name: "community", options: communities.map { ($0.code, $0.name) }))
                <button type="submit">查看</button></form>
                """)
        }
        let figures = try await q.departmentFigures(scope: req.registryScope)
        let rows = figures.map { f -> [Markup] in
            [Markup.text(f.name), Markup.text(String(f.admitted)), Markup.text(String(f.refused)), Markup.text(String(f.pending)),
             f.unadmitted > 0 ? "<span class=\"badge red\">\(f.unadmitted)</span>" : Markup.text("0")]
        }
        let body: Markup = """
            <h1>行政事务进社区准入</h1>
            <p class="muted">\(Self.clause)</p>
            <p><a href="/console/admission/tasks">全部事项</a> · <a href="/notices/admission">门户上的准入清单</a></p>
            \(parts.joined())
            <h2>各部门准入情况</h2>
            <p class="muted">“未准入被拒”为本年部门未经准入向村/社区布置、被村/社区登记拒绝的事项（辖区内）。</p>
            \(Console.table(["部门", "已准入", "不予准入", "审核中", "未准入被拒"], rows, empty: "尚无部门事项"))
            """
        return Console.page(req, user, title: "事项准入", crumbs: [Crumb("工作台", "/console"), Crumb("事项准入")], body: body)
    }

    func tasks(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionRead)
        let q = req.admission
        let status = req.formQuery("status").flatMap(AdmissionStatus.init(rawValue:))
        let kind = req.formQuery("kind").flatMap(AdmissionTaskKind.init(rawValue:))
        let page = try await q.tasks(status: status, kind: kind, by: req.admissionActor, page: req.consolePage(perPage: 30))
        let names = try await q.departmentNames()
        let body: Markup = """
            <h1>事项</h1>
            <form method="get" action="/console/admission/tasks" class="inline">
            \(Console.select("状态", name: "status", options: [("", "全部")] + AdmissionStatus.allCases.map { ($0.rawValue, $0.label) }, selected: status?.rawValue))
            \(Console.select("类别", name: "kind", options: [("", "全部")] + AdmissionTaskKind.allCases.map { ($0.rawValue, $0.label) }, selected: kind?.rawValue))
            <button type="submit">筛选</button></form>
            \(Console.table(["事项", "部门", "类别", "期限", "状态"], Self.taskRows(page.items, names: names), empty: "没有符合条件的事项"))
            \(Console.pager(page, path: "/console/admission/tasks", query: [("status", status?.rawValue), ("kind", kind?.rawValue)]))
            """
        return Console.page(req, user, title: "事项", crumbs: Self.crumbs + [Crumb("事项")], body: body)
    }

    struct TaskForm: Content {
        var csrf: String?
        var title: String?
        var content: String?
        var kind: String?
        var basis: String?
        var reach: String?
        var street_code: String?
        var communities: String?
        var frequency: String?
        var valid_from: String?
        var valid_to: String?
        var staff: String?
        var funds_yuan: String?
        var power: String?
        var version: String?

        init() {}
        init(_ t: AdmissionTaskRecord, communities: [String]) {
            title = t.title; content = t.content; kind = t.kind.rawValue; basis = t.basis; reach = t.reach.rawValue; street_code = t.streetCode
            self.communities = t.reach == .list ? communities.joined(separator: " ") : nil; frequency = t.frequency.rawValue; valid_from = t.validFrom
            valid_to = t.validTo; staff = t.staff; funds_yuan = DisclosureRules.yuan(t.fundsFen); power = t.power; version = String(t.version)
        }

        func input() throws -> AdmissionTaskInput {
            let fen: Int64?
            switch DisclosureRules.fen(fromYuan: funds_yuan) {
            case .none: throw RegistryError.invalid([FieldError("funds_fen", "经费应为不超过两位小数的金额（元）")])
            case .some(let v): fen = v
            }
            let list = (communities ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == "，" || $0 == "\n" || $0 == "、" }).map(String.init)
            return try AdmissionService.task(AdmissionService.TaskBody(title: title, content: content, kind: kind, basis: basis, reach: reach,
                                                                       streetCode: street_code, communities: list, frequency: frequency, validFrom: valid_from,
                                                                       validTo: valid_to, staff: staff, fundsFen: fen, power: power))
        }
    }

    func render(_ req: Request, _ user: WebUser, _ v: TaskForm, id: UUID?, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let streets = try await DivisionQueries(req.db).all(in: .everything, level: .street)
        let action = id.map { "/console/admission/tasks/\($0)/edit" } ?? "/console/admission/tasks/new"
        let body: Markup = """
            <h1>\(id == nil ? "申请事项准入" : "修改申请")</h1>
            <p class="muted">部门需要村/社区承担的工作事项，须经区民政部门初审、社区减负工作领导小组审定，列入准入清单后方可进入社区。</p>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(v.version.map { "<input type=\"hidden\" name=\"version\" value=\"\($0)\">" as Markup }.orEmpty)
            \(Console.field("事项名称", name: "title", value: v.title, error: err("title"), required: true, extra: "maxlength=\"\(AdmissionRules.titleMax)\""))
            \(Console.select("事项类别", name: "kind", options: AdmissionTaskKind.allCases.map { ($0.rawValue, $0.label) }, selected: v.kind, error: err("kind"), required: true))
            \(Console.textarea("事项内容", name: "content", value: v.content, error: err("content"), required: true, maxLength: AdmissionRules.contentMax))
            \(Console.textarea("依据（法律法规、上级文件）", name: "basis", value: v.basis, error: err("basis"), required: true, maxLength: AdmissionRules.basisMax))
            \(Console.select("适用范围", name: "reach", options: AdmissionReach.allCases.map { ($0.rawValue, $0.label) }, selected: v.reach, error: err("reach"), required: true))
            \(Console.select("镇（街道）（范围为一个镇/街道时）", name: "street_code", options: [("", "—")] + streets.map { ($0.code, $0.name) }, selected: v.street_code,
                             error: err("street_code")))
            \(Console.textarea("村/社区代码（范围为指定村/社区时，空格或逗号分隔）", name: "communities", value: v.communities, error: err("communities"), maxLength: 8000))
            \(Console.select("频次", name: "frequency", options: AdmissionFrequency.allCases.map { ($0.rawValue, $0.label) }, selected: v.frequency,
                             error: err("frequency"), required: true))
            \(Console.field("开始日期", name: "valid_from", value: v.valid_from, error: err("valid_from"), type: "date", required: true))
            \(Console.field("结束日期", name: "valid_to", value: v.valid_to, error: err("valid_to"), type: "date", required: true))
            \(Console.field("人随事转（配备人员或工作时数）", name: "staff", value: v.staff, error: err("staff"), extra: "maxlength=\"\(AdmissionRules.staffMax)\""))
            \(Console.field("费随事转（每个村/社区每年，元）", name: "funds_yuan", value: v.funds_yuan, error: err("funds_fen"), required: true,
                            hint: "没有随事转的经费填0", extra: "inputmode=\"decimal\""))
            \(Console.textarea("权随事转（下放的权限）", name: "power", value: v.power, error: err("power"), maxLength: AdmissionRules.powerMax))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: id == nil ? "申请事项准入" : "修改申请", crumbs: Self.crumbs + [Crumb(id == nil ? "申请" : "修改")], body: body,
                            status: status, wide: false)
    }

    func newTask(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionApply)
        var v = TaskForm()
        v.reach = AdmissionReach.district.rawValue
        v.funds_yuan = "0"
        return try await render(req, user, v, id: nil, errors: [], status: .ok)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionApply)
        let f = (try? req.content.decode(TaskForm.self)) ?? TaskForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let t = try await req.admission.apply(try f.input(), by: req.admissionActor)
            return req.redirect(to: "/console/admission/tasks/\(t.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, f, id: nil, errors: errors, status: .unprocessableEntity)
        }
    }

    func editTask(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionApply)
        let q = req.admission
        let t = try await q.task(try req.pathUUID(), by: req.admissionActor)
        return try await render(req, user, TaskForm(t, communities: try await q.communities(of: t.id)), id: t.id, errors: [], status: .ok)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionApply)
        let f = (try? req.content.decode(TaskForm.self)) ?? TaskForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            _ = try await req.admission.edit(id, try f.input(), version: try requireVersion(f.version.flatMap { Int($0) }), by: req.admissionActor)
            return req.redirect(to: "/console/admission/tasks/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, f, id: id, errors: errors, status: .unprocessableEntity)
        }
    }

    func task(req: Request) async throws -> Response { try await renderTask(req, errors: [], note: nil, status: .ok) }

    func renderTask(_ req: Request, errors: [FieldError], note: String?, status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.admissionRead)
        let q = req.admission, actor = req.admissionActor
        let t = try await q.task(try req.pathUUID(), by: actor)
        let names = try await q.departmentNames(), communities = try await q.communities(of: t.id)
        let steps = try await q.steps(of: t.id).map { s -> [Markup] in
            [Markup.text(DisclosurePortalPages.day(s.at)), Markup.text(s.action.label), Markup.text(s.byUser), Markup.text(s.note ?? "")]
        }
        var actions: [AdmissionAction] = []
        if user.may(.admissionApply), user.account.departmentCode == t.departmentCode { actions += AdmissionWorkflow.actions(for: .apply, in: t.status) }
        if user.may(.admissionReview) { actions += AdmissionWorkflow.actions(for: .review, in: t.status) }
        if user.may(.admissionDecide) { actions += AdmissionWorkflow.actions(for: .decide, in: t.status) }
        let decisions = actions.filter { $0 != .edit }
        let form: Markup = decisions.isEmpty ? .empty : """
            <h2>办理</h2>
            \(Console.formErrors(errors))
            <form method="post" action="/console/admission/tasks/\(t.id)/act">\(Console.csrfField(user))
            <input type="hidden" name="version" value="\(t.version)">
            \(Console.select("处理意见", name: "decision", options: decisions.map { ($0.rawValue, $0.label) }, error: errors.first { $0.field == "decision" || $0.field == "status" }?.message,
                             required: true))
            \(Console.textarea("意见说明（准入条件、不予准入理由或需修改的内容）", name: "note", value: note, error: errors.first { $0.field == "note" }?.message,
                               maxLength: AdmissionRules.noteMax))
            <button type="submit">提交</button></form>
            """
        // A 数据报表 task's forms (一表通), for those who may read them.
        var formsPart = Markup.empty
        if t.kind == .data, user.may(.reportsRead), user.role != .department || user.account.departmentCode == t.departmentCode {
            let forms = try await req.reports.forms(underTask: t.id).map { f -> [Markup] in
                ["<a href=\"/console/reports/\(f.id)\">\(f.title)</a>", Markup.text(f.referenceDate), Markup.text(f.dueDate), Markup.text("\(f.automaticCount)/\(f.fieldCount)")]
            }
            formsPart = "<h2>本事项下的报表（一表通）</h2>\(Console.table(["报表", "统计日期", "报送截止", "平台自动填报栏目"], forms, empty: "尚未下发报表"))"
        }
        let reach: String
        switch t.reach {
        case .district: reach = "全区 \(communities.count) 个村/社区"
        case .street: reach = "\(t.streetCode ?? "") 所属 \(communities.count) 个村/社区"
        case .list: reach = "指定 \(communities.count) 个村/社区：\(communities.prefix(20).joined(separator: "、"))\(communities.count > 20 ? "等" : "")"
        }
        let body: Markup = """
            <p class="muted">\(names[t.departmentCode] ?? t.departmentCode) · \(t.kind.label) · \(Self.badge(t.status))</p>
            <h1>\(t.title)</h1>
            \(t.note.map { "<p class=\"notice\">最近意见：\($0)</p>" as Markup }.orEmpty)
            <dl class="facts">
            <dt>事项内容</dt><dd>\(t.content)</dd>
            <dt>依据</dt><dd>\(t.basis)</dd>
            <dt>适用范围</dt><dd>\(reach)</dd>
            <dt>频次</dt><dd>\(t.frequency.label)</dd>
            <dt>准入期限</dt><dd>\(t.validFrom) 至 \(t.validTo)</dd>
            <dt>人随事转</dt><dd>\(t.staff.isEmpty ? "无" : t.staff)</dd>
            <dt>费随事转</dt><dd>每个村/社区每年 \(DisclosureRules.yuan(t.fundsFen)) 元</dd>
            <dt>权随事转</dt><dd>\(t.power.isEmpty ? "无" : t.power)</dd>
            </dl>
            \(actions.contains(.edit) ? "<p><a class=\"button\" href=\"/console/admission/tasks/\(t.id)/edit\">修改申请</a></p>" as Markup : Markup.empty)
            <h2>办理记录</h2>
            \(Console.table(["日期", "步骤", "经办人", "意见"], steps, empty: "尚未提交"))
            \(formsPart)
            \(form)
            """
        return Console.page(req, user, title: t.title, crumbs: Self.crumbs + [Crumb(t.title)], body: body, status: status, wide: false)
    }

    struct ActForm: Content {
        var csrf: String?
        var decision: String?
        var note: String?
        var version: String?
    }

    func act(req: Request) async throws -> Response {
        let user = try req.webUser(.admissionRead)
        let f = (try? req.content.decode(ActForm.self)) ?? ActForm()
        try req.checkCSRF(user, f.csrf)
        let id = try req.pathUUID()
        do {
            let action = try AdmissionService.action(f.decision, allowed: AdmissionAction.allCases.filter { $0 != .edit })
            _ = try await req.admission.act(id, action, note: f.note, version: try requireVersion(f.version.flatMap { Int($0) }), by: req.admissionActor)
            return req.redirect(to: "/console/admission/tasks/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderTask(req, errors: errors, note: f.note, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await renderTask(req, errors: [e], note: f.note, status: .conflict)
        }
    }
}
