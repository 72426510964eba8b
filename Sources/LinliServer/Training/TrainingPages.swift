import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's 再就业培训 pages: the courses of one's area, opening a course, a course with its trainees
/// (enrolment and the day's attendance), a trainee (completion, certificate, the follow-up six months on), and
/// the follow-ups due. Forms post with the CSRF token; a refused form comes back with its messages (422).
struct TrainingPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "training")
        p.get(needs: .permission(.trainingRead), use: list)
        p.get("new", needs: .permission(.trainingCourses), use: newCourse)
        p.post(needs: .permission(.trainingCourses), use: open)
        p.get("follow-ups", needs: .permission(.trainingRead), use: due)
        p.get(":id", needs: .permission(.trainingRead), use: course)
        p.post(":id", "enrolments", needs: .permission(.trainingWrite), use: enrol)
        p.post(":id", "sessions", needs: .permission(.trainingWrite), use: session)
        p.get("enrolments", ":id", needs: .permission(.trainingRead), use: trainee)
        p.post("enrolments", ":id", "completion", needs: .permission(.trainingWrite), use: complete)
        p.post("enrolments", ":id", "follow-up", needs: .permission(.trainingWrite), use: followUp)
    }

    static let home = Crumb("工作台", "/console")
    static let root = Crumb("再就业培训", "/console/training")

    static func tabs(_ current: String, _ user: WebUser) -> Markup {
        var items = [("培训班", "/console/training")]
        if user.may(.trainingCourses) { items.append(("开设培训班", "/console/training/new")) }
        items.append(("待回访", "/console/training/follow-ups"))
        return "<p class=\"tabs\">\(items.map { l, h -> Markup in h == current ? "<b>\(l)</b>" : "<a href=\"\(h)\">\(l)</a>" }.joined(separator: " · "))</p>"
    }

    static func form(_ req: Request, _ user: WebUser) throws -> [String: String] {
        let f = (try? req.content.decode([String: String].self)) ?? [:]
        try req.checkCSRF(user, f["csrf"])
        return f
    }

    static func message(_ errors: [FieldError], _ field: String) -> String? {
        let m = errors.filter { $0.field == field }.map(\.message)
        return m.isEmpty ? nil : m.joined(separator: "；")
    }

    static func phase(_ c: TrainingCourseRecord, today: CivilDate) -> Markup {
        let t = today.description
        if c.startsOn > t { return "<span class=\"badge\">未开班</span>" }
        if c.endsOn < t { return "<span class=\"badge green\">已结业</span>" }
        return "<span class=\"badge yellow\">培训中</span>"
    }

    // MARK: The courses

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.trainingRead)
        let kind = req.formQuery("kind").flatMap(TrainingKind.init(rawValue:))
        let phase = req.formQuery("phase").flatMap(TrainingCourseFilter.Phase.init(rawValue:))
        let q = req.training, today = req.application.linli.today()
        let page = try await q.courses(in: req.registryScope, filter: TrainingCourseFilter(kind: kind, phase: phase), page: req.consolePage(perPage: 20))
        let figures = try await q.figures(of: page.items.map(\.id), in: req.registryScope)
        let rows = page.items.map { c -> [Markup] in
            let f = figures[c.id] ?? TrainingCourseFigures()
            return ["<a href=\"/console/training/\(c.id)\">\(c.name)</a>", "\(c.kind.label)", "\(c.startsOn) 至 \(c.endsOn)", Self.phase(c, today: today),
                    "\(c.enrolled)/\(c.capacity)", "\(f.trainees)", "\(f.completed)", "\(f.followedUp > 0 ? "\(f.employed)/\(f.followedUp)" : "—")"]
        }
        let kinds = [("", "全部类别")] + TrainingKind.allCases.map { ($0.rawValue, $0.label) }
        let phases = [("", "全部")] + TrainingCourseFilter.Phase.allCases.map { ($0.rawValue, $0.label) }
        let body: Markup = """
            <h1>再就业培训</h1>
            \(Self.tabs("/console/training", user))
            <p>街道（镇）和区开设的培训班。出勤率达到\(TrainingRules.attendanceToComplete)%方可结业；结业满\(TrainingRules.followUpMonths)个月做就业跟踪回访，回访结果计入“培训后就业率”。本辖区学员、结业和回访就业人数只计您辖区内的学员。</p>
            <form method="get" action="/console/training" class="filters">
            \(Console.select("类别", name: "kind", options: kinds, selected: kind?.rawValue))
            \(Console.select("状态", name: "phase", options: phases, selected: phase?.rawValue))
            <button type="submit">筛选</button>
            </form>
            <p>共 \(page.total) 期</p>
            \(Console.table(["培训班", "类别", "培训时间", "状态", "报名/名额", "本辖区学员", "结业", "回访就业/已回访"], rows, empty: "暂无培训班"))
            \(Console.pager(page, path: "/console/training", query: [("kind", kind?.rawValue), ("phase", phase?.rawValue)]))
            """
        return Console.page(req, user, title: "再就业培训", crumbs: [Self.home, Crumb("再就业培训")], body: body)
    }

    func newCourse(req: Request) async throws -> Response {
        try renderNew(req, try req.webUser(.trainingCourses), form: [:], errors: [])
    }

    func renderNew(_ req: Request, _ user: WebUser, form f: [String: String], errors: [FieldError], status: HTTPResponseStatus = .ok) throws -> Response {
        func e(_ name: String) -> String? { Self.message(errors, name) }
        let kinds = [("", "请选择")] + TrainingKind.allCases.map { ($0.rawValue, $0.label) }
        let body: Markup = """
            <h1>开设培训班</h1>
            \(Self.tabs("/console/training/new", user))
            \(Console.formErrors(errors))
            <form method="post" action="/console/training" class="stack">
            \(Console.csrfField(user))
            \(Console.field("培训班名称", name: "name", value: f["name"], error: e("name"), required: true, hint: "如：育婴员培训班（第3期）"))
            \(Console.select("培训类别", name: "kind", options: kinds, selected: f["kind"], error: e("kind"), required: true))
            \(Console.field("工种", name: "trade", value: f["trade"], error: e("trade"), hint: "职业技能培训填写，如：养老护理员"))
            \(Console.field("培训机构", name: "provider", value: f["provider"], error: e("provider"), required: true))
            \(Console.field("开班日期", name: "starts_on", value: f["starts_on"], error: e("starts_on"), type: "date", required: true))
            \(Console.field("结业日期", name: "ends_on", value: f["ends_on"], error: e("ends_on"), type: "date", required: true))
            \(Console.field("学时", name: "hours", value: f["hours"], error: e("hours"), type: "number", required: true))
            \(Console.field("名额（人）", name: "capacity", value: f["capacity"], error: e("capacity"), type: "number", required: true))
            <button type="submit">开设</button>
            </form>
            """
        return Console.page(req, user, title: "开设培训班", crumbs: [Self.home, Self.root, Crumb("开设培训班")], body: body, status: status)
    }

    func open(req: Request) async throws -> Response {
        let user = try req.webUser(.trainingCourses)
        let f = try Self.form(req, user)
        let draft = CourseDraft(name: f["name"] ?? "", kind: f["kind"], trade: f["trade"], provider: f["provider"] ?? "", startsOn: f["starts_on"],
                                endsOn: f["ends_on"], hours: f["hours"].flatMap { Int($0) }, capacity: f["capacity"].flatMap { Int($0) })
        do {
            let c = try await req.training.openCourse(draft, by: req.trainingActor)
            return req.redirect(to: "/console/training/\(c.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try renderNew(req, user, form: f, errors: errors, status: .unprocessableEntity)
        }
    }

    func due(req: Request) async throws -> Response {
        let user = try req.webUser(.trainingRead)
        let page = try await req.training.followUpsDue(in: req.registryScope, page: req.consolePage(perPage: 30))
        let rows = page.items.map { e -> [Markup] in
            ["<a href=\"/console/training/enrolments/\(e.id)\">\(e.name)</a>", "\(e.idMasked)", "\(e.resultOn ?? "—")", "\(e.followupDueOn ?? "—")"]
        }
        let body: Markup = """
            <h1>培训待回访学员</h1>
            \(Self.tabs("/console/training/follow-ups", user))
            <p>结业满\(TrainingRules.followUpMonths)个月尚未登记就业跟踪回访结果的学员，按到期先后排列。</p>
            <p>共 \(page.total) 人</p>
            \(Console.table(["学员", "公民身份号码", "结业日期", "回访到期"], rows, empty: "没有待回访的学员"))
            \(Console.pager(page, path: "/console/training/follow-ups", query: []))
            """
        return Console.page(req, user, title: "培训待回访学员", crumbs: [Self.home, Self.root, Crumb("待回访")], body: body)
    }
}
