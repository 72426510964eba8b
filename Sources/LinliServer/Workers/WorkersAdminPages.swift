import Foundation
import LinliCore
import LinliData
import Vapor

/// The figures per community (or per street for the district), the district's pay scale and the reserve lists.
struct WorkersAdminPages {
    func boot(_ routes: Routes) {
        let w = routes.grouped("console", "workers")
        w.get("figures", needs: .permission(.workersRead), use: figures)
        w.get("grades", needs: .permission(.workersRead), use: grades)
        w.post("grades", needs: .permission(.workersGrades), use: saveGrades)
        w.get("reserves", needs: .permission(.workersRead), use: reserves)
        w.post("reserves", ":id", "removal", needs: .permission(.workersManage), use: removeReserve)
    }

    /// A share as "12.3%" (nothing to divide: "—").
    static func share(_ a: Int, _ b: Int) -> String { b == 0 ? "—" : String(format: "%.1f%%", Double(a) * 100 / Double(b)) }

    func figures(req: Request) async throws -> Response {
        let user = try req.webUser(.workersRead)
        let scope = try req.narrowedScope(), year = try WorkersService.year(req)
        var rows = try await req.workers.figures(in: scope, year: year)
        // The district reads one row per street (its staff and its communities together); a street, one per community.
        if scope.prefix.count <= 6 {
            let streets = Dictionary(uniqueKeysWithValues: try await DivisionQueries(req.db).all(in: scope, level: .street).map { ($0.code, $0.name) })
            var by: [String: WorkerFiguresRow] = [:]
            for r in rows {
                let code = String(r.code.prefix(9)) + "000"
                by[code, default: WorkerFiguresRow(code: code, name: streets[code] ?? "区直属")].add(r)
            }
            rows = by.values.sorted { $0.code < $1.code }
        }
        var total = WorkerFiguresRow(code: "", name: "合计")
        for r in rows { total.add(r) }
        func line(_ r: WorkerFiguresRow, link: Bool) -> [Markup] {
            let name: Markup = link && r.code.count == 12 ? "<a href=\"/console/workers?division=\(r.code)\">\(r.name)</a>" : Markup.text(r.name)
            return [name, "\(r.workers)", Markup.text(r.residents > 0 ? String(format: "%.2f", Double(r.workers) * 1000 / Double(r.residents)) : "—"),
                    Markup.text(Self.share(r.qualified, r.workers)), "\(r.titled)", "\(r.trainingHours)",
                    Markup.text(r.trained == 0 ? "—" : String(format: "%.1f", Double(r.trainingHours) / Double(r.trained)))] + r.results.map { "\($0)" }
        }
        // Per 1,000 residents and the year's results as charts: across 12–60 rows a column of numbers is hard to compare.
        let per1000 = rows.filter { $0.residents > 0 }.map { (label: $0.name, value: Double($0.workers) * 1000 / Double($0.residents)) }
            .sorted { $0.value > $1.value }
        let charts: Markup = """
            <div class="charts"><figure>\(SVGChart.bar(title: "每千名居民社区工作者数", items: per1000, unit: "人"))</figure>
            <figure>\(SVGChart.donut(title: "\(year)年度考核结果", parts: zip(AppraisalResult.allCases, total.results).map { ($0.label, Int64($1)) }))</figure></div>
            """
        let headers = ["区划", "工作者", "每千名居民", "持证比例", "有职称", "\(year)年培训学时", "人均学时"] + AppraisalResult.allCases.map { "\(year)年\($0.label)" }
        let body: Markup = """
            <h1>社工队伍统计</h1>
            \(WorkersPages.links)
            <form method="get" action="/console/workers/figures" class="filters">
            \(Console.field("年度", name: "year", value: String(year), type: "number", extra: "min=\"2000\" max=\"\(req.application.linli.today().year)\""))
            <button type="submit">查看</button></form>
            <p class="muted">规划：“全区现有社工人员近400人,其中具备专业技术职称19人。”居民数取自最近一次月度指标快照（没有快照时按在册居民统计）。</p>
            \(Console.table(headers, rows.map { line($0, link: true) } + [line(total, link: false)], empty: "本辖区没有社区工作者"))
            \(charts)
            """
        return Console.page(req, user, title: "社工队伍统计", crumbs: WorkersPages.crumbs + [Crumb("统计")], body: body)
    }

    struct GradesForm: Content {
        var csrf: String?
        var head: String?
        var deputy: String?
        var staff: String?
        /// The steps as typed, by `GradeStepReason` (read one by one: their field names are `step_…`).
        var steps: [String: String]? = nil
    }

    static func stepField(_ r: GradeStepReason) -> String { "step_" + r.rawValue.replacingOccurrences(of: ".", with: "_") }

    func grades(req: Request) async throws -> Response {
        try await renderGrades(req, errors: [], form: nil, status: .ok, message: req.formQuery("done").map { _ in "已保存。" })
    }

    func renderGrades(_ req: Request, errors: [FieldError], form: GradesForm?, status: HTTPResponseStatus, message: String?) async throws -> Response {
        let user = try req.webUser(.workersRead)
        let scale = try await req.workers.payScale()
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        func typed(_ c: PostClass) -> String {
            (scale.grades[c] ?? []).map { Money.yuan($0) }.joined(separator: " ")
        }
        let top = PostClass.allCases.map { scale.grades[$0]?.count ?? 0 }.max() ?? 0
        let rows = PostClass.allCases.map { c -> [Markup] in
            [Markup.text(c.label)] + (0..<top).map { i in Markup.text(scale.amount(c, grade: i + 1).map { Money.yuan($0) } ?? "") }
        }
        var editor: Markup = .empty
        if user.may(.workersGrades) {
            let f = form
            let classes = PostClass.allCases.map { c -> Markup in
                let v = c == .head ? f?.head : c == .deputy ? f?.deputy : f?.staff
                return Console.field(c.label, name: c.rawValue, value: v ?? typed(c), error: err("grades.\(c.rawValue)"),
                                     hint: "各级月薪（元），从1级起，用空格分隔，最多30级", extra: "maxlength=\"400\"")
            }
            let steps = GradeStepReason.allCases.map { r -> Markup in
                Console.field(r.label, name: Self.stepField(r), value: f?.steps?[r.rawValue] ?? String(scale.steps[r] ?? 0), error: err(r.rawValue),
                              type: "number", extra: "min=\"-3\" max=\"3\"")
            }
            editor = """
                <section><h2>修改岗位等级薪酬表</h2><form method="post" action="/console/workers/grades">\(Console.csrfField(user))
                \(classes.joined())<h3>调整级数</h3><div class="filters">\(steps.joined())</div>
                <button type="submit">保存</button></form></section>
                """
        }
        let body: Markup = """
            <h1>岗位等级薪酬体系</h1>
            \(WorkersPages.links)
            \(message.map { "<p class=\"notice\" role=\"status\">\($0)</p>" }.orEmpty)
            \(Console.formErrors(errors))
            <p class="muted">工作者从所在岗位类别的1级起，按取得的最高职业水平证书和历年考核结果逐级调整（不低于1级、不高于最高级）。</p>
            \(Console.table(["岗位类别"] + (0..<top).map { "\($0 + 1)级" }, rows, empty: "区里尚未设置岗位等级薪酬表"))
            \(Console.table(["事由", "调整级数"], GradeStepReason.allCases.map { [Markup.text($0.label), Markup.text(String(format: "%+d", scale.steps[$0] ?? 0))] }))
            \(editor)
            """
        return Console.page(req, user, title: "岗位等级薪酬体系", crumbs: WorkersPages.crumbs + [Crumb("岗位等级薪酬")], body: body, status: status)
    }

    func saveGrades(req: Request) async throws -> Response {
        let user = try req.webUser(.workersGrades)
        var form = (try? req.content.decode(GradesForm.self)) ?? GradesForm()
        try req.checkCSRF(user, form.csrf)
        form.steps = Dictionary(uniqueKeysWithValues: GradeStepReason.allCases.map { ($0.rawValue, (try? req.content.get(String.self, at: Self.stepField($0))) ?? "") })
        do {
            var grades: [PostClass: [Int]] = [:], steps: [GradeStepReason: Int] = [:]
            for c in PostClass.allCases {
                let raw = (c == .head ? form.head : c == .deputy ? form.deputy : form.staff) ?? ""
                let parts = raw.split { $0 == " " || $0 == "," || $0 == "，" }
                guard parts.count <= PayScale.maxGrades else { throw RegistryError.invalid([FieldError("grades.\(c.rawValue)", "最多\(PayScale.maxGrades)级")]) }
                grades[c] = try parts.map { p in
                    guard p.count <= 12, let fen = Money.fen(String(p)) else { throw RegistryError.invalid([FieldError("grades.\(c.rawValue)", "月薪应为元，最多两位小数")]) }
                    return fen
                }
            }
            for r in GradeStepReason.allCases {
                guard let t = form.steps?[r.rawValue]?.trimmingCharacters(in: .whitespaces), t.count <= 3, let v = Int(t) else {
                    throw RegistryError.invalid([FieldError(r.rawValue, "调整级数应为−3到3的整数")])
                }
                steps[r] = v
            }
            _ = try await req.workers.setPayScale(PayScale(grades: grades, steps: steps), by: req.workersActor)
            return req.redirect(to: "/console/workers/grades?done=1", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderGrades(req, errors: errors, form: form, status: .unprocessableEntity, message: nil)
        }
    }

    struct RemovalForm: Content { var csrf: String?; var reason: String? }

    func reserves(req: Request) async throws -> Response {
        try await renderReserves(req, errors: [], status: .ok)
    }

    func renderReserves(_ req: Request, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let user = try req.webUser(.workersRead)
        let removed = req.formFlag("removed")
        let list = try await req.workers.reserves(in: try req.narrowedScope(), removed: removed)
        let mayRemove = user.may(.workersManage)
        let rows = list.map { r -> [Markup] in
            var cells: [Markup] = ["<a href=\"/console/workers/\(r.workerId)\">\(r.workerName ?? "")</a>", Markup.text(r.post?.label ?? ""),
                                   Markup.text(r.divisionCode ?? ""), Markup.text(r.level.label), Markup.text(r.listedOn), Markup.text(r.reason)]
            if let d = r.removedOn {
                cells.append(Markup.text("\(d)移出：\(r.removalReason ?? "")"))
            } else if mayRemove && (r.level == .street || user.may(.workersGrades)) {
                cells.append("""
                    <form method="post" action="/console/workers/reserves/\(r.id)/removal">\(Console.csrfField(user))<input name="reason" maxlength="300" required placeholder="移出理由" aria-label="移出理由"> <button type="submit">移出</button></form>
                    """)
            } else {
                cells.append("在名单上")
            }
            return cells
        }
        let body: Markup = """
            <h1>后备干部</h1>
            \(WorkersPages.links)
            \(Console.formErrors(errors))
            <p class="muted">规划：“探索建立将年纪轻、成绩突出的社区工作者列入区、街道后备干部制度”。在工作者的档案页列入名单。</p>
            <p>\(removed ? "<a href=\"/console/workers/reserves\">只看在名单上的</a>" : "<a href=\"/console/workers/reserves?removed=true\">含已移出的</a>")</p>
            \(Console.table(["姓名", "岗位", "区划", "名单", "列入日期", "理由", "状态"], rows, empty: "名单上暂无人员"))
            """
        return Console.page(req, user, title: "后备干部", crumbs: WorkersPages.crumbs + [Crumb("后备干部")], body: body, status: status)
    }

    func removeReserve(req: Request) async throws -> Response {
        let user = try req.webUser(.workersManage)
        let form = (try? req.content.decode(RemovalForm.self)) ?? RemovalForm()
        try req.checkCSRF(user, form.csrf)
        do {
            try await req.workers.removeReserve(try req.pathUUID(), reason: form.reason, by: req.workersActor)
            return req.redirect(to: "/console/workers/reserves", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderReserves(req, errors: errors, status: .unprocessableEntity)
        }
    }
}
