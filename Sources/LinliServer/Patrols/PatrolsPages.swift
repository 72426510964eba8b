import Foundation
import LinliCore
import LinliData
import Vapor

/// 我的巡查: a walker's round on a phone — start one in the grid, add each building or point visited with what was
/// found (a finding is reported as a grid event in the same step), end it. One form at a time, one column below 40rem.
struct PatrolsPages {
    func boot(_ routes: Routes) {
        let r = routes.grouped("console", "patrols", "round")
        r.get(needs: .permission(.patrolsWalk), use: mine)
        r.post("start", needs: .permission(.patrolsWalk), use: start)
        r.post(":id", "visit", needs: .permission(.patrolsWalk), use: visit)
        r.post(":id", "end", needs: .permission(.patrolsWalk), use: end)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("网格巡查", "/console/patrols")]

    struct StartForm: Content { var csrf: String?; var grid_code: String? }
    struct VisitForm: Content {
        var csrf: String?
        var building_id: String?
        var latitude: String?
        var longitude: String?
        var finding: String?
        var note: String?
        var category_code: String?
        var description: String?

        /// The numbers as typed: a figure that is not one is named at its field.
        func input() throws -> VisitInput {
            var errors = FieldErrors()
            func number(_ raw: String?, _ field: String) -> Double? {
                guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
                guard let v = Double(t), v.isFinite else { errors.add(field, "请填写数字（度，如 32.45）"); return nil }
                return v
            }
            let lat = number(latitude, "latitude"), lon = number(longitude, "longitude")
            guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
            return try PatrolsService.input(.init(buildingId: building_id, latitude: lat, longitude: lon, finding: finding, note: note,
                                                  categoryCode: category_code, description: description))
        }
    }

    func mine(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsWalk)
        return try await render(req, user, visit: VisitForm(), errors: [], status: .ok)
    }

    /// The page: the open round with its visits and the visit form, or the start form and this week's figure.
    func render(_ req: Request, _ user: WebUser, visit v: VisitForm, errors: [FieldError], status: HTTPResponseStatus, startGrid: String? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let q = req.patrols
        let norm = try await q.settings().weeklyNorm
        let open = try await q.openRound(of: user.account.id)
        var body: Markup = """
            <h1>我的巡查</h1>
            <p class="muted">规划：“推进社区网格化管理”；“建立社区群防群治网、治安巡逻网、电子巡更网、安全监管网和管理服务网等五大网络”。</p>
            \(Console.formErrors(errors))
            \(req.formQuery("event").map { "<p class=\"notice\" role=\"status\">已记录巡查点，发现的问题已上报为网格事件（编号 \($0)）。</p>" }.orEmpty)
            """
        if let open, let detail = try await q.detail(open.id, in: req.registryScope) {
            let rows = detail.visits.map { x -> [Markup] in
                [Markup.text(String(x.seq)), Markup.text(Console.time(x.visitedAt)), Markup.text(Self.place(x)), Markup.text(x.finding.label),
                 x.requestId.map { "<a href=\"/console/requests/\($0)\">\(x.requestSeq.map(String.init) ?? "")</a>" } ?? Markup.text(x.note ?? "—")]
            }
            let buildings = try await q.buildings(of: open.gridCode)
            let categories = try await req.requestQueries.categories().filter { $0.isLeaf && $0.active && $0.parentCode != PoliceOffice.groupCode }
            body = body + """
                <section aria-labelledby="open-h"><h2 id="open-h">\(open.gridName ?? open.gridCode) · \(Console.time(open.startedAt)) 开始</h2>
                <p>已记录巡查点 <b>\(open.visits)</b> 个，发现问题 <b>\(open.findings)</b> 件。</p>
                \(Console.table(["序号", "时间", "巡查点", "结果", "网格事件/记录"], rows, empty: "尚未记录巡查点"))</section>
                <section aria-labelledby="visit-h"><h2 id="visit-h">记录巡查点</h2>
                <form method="post" action="/console/patrols/round/\(open.id)/visit">\(Console.csrfField(user))
                \(Console.select("楼栋", name: "building_id", options: [("", "（按经纬度记录巡查点）")] + buildings.map { ($0.id.uuidString, $0.name) },
                                 selected: v.building_id, error: err("building_id")))
                <fieldset><legend>或巡查点经纬度（不在楼栋时，须在本网格内）</legend>
                \(Console.field("纬度", name: "latitude", value: v.latitude, error: err("latitude"), extra: "inputmode=\"decimal\" maxlength=\"12\""))
                \(Console.field("经度", name: "longitude", value: v.longitude, error: err("longitude"), extra: "inputmode=\"decimal\" maxlength=\"12\""))
                </fieldset>
                <fieldset\(err("finding") == nil ? Markup.empty : " class=\"invalid\"")><legend>巡查结果<span class="req" aria-hidden="true">*</span></legend>
                <label class="choice"><input type="radio" name="finding" value="none"\(v.finding == "event" ? Markup.empty : " checked")> 未发现问题</label>
                <label class="choice"><input type="radio" name="finding" value="event"\(v.finding == "event" ? " checked" : Markup.empty)> 发现问题，上报网格事件</label>
                \(err("finding").map { "<p class=\"field-error\">\($0)</p>" }.orEmpty)</fieldset>
                \(Console.select("事件类别（发现问题时）", name: "category_code", options: [("", "请选择")] + categories.map { ($0.code, "\($0.code) \($0.name)") },
                                 selected: v.category_code, error: err("category_code")))
                \(Console.textarea("问题描述（发现问题时）", name: "description", value: v.description, error: err("description")))
                \(Console.field("巡查记录", name: "note", value: v.note, error: err("note"), hint: "可不填，最多200字", extra: "maxlength=\"200\""))
                <button type="submit">记录巡查点</button></form></section>
                <form method="post" action="/console/patrols/round/\(open.id)/end">\(Console.csrfField(user))
                <button type="submit" class="secondary">结束本轮巡查</button></form>
                """
        } else {
            var gridField: Markup = .empty
            if user.account.divisionCode.count == 15 {
                let done = try await q.rounds(grid: user.account.divisionCode, week: q.thisWeek)
                body = body + "<div class=\"tiles\">\(HomePage.figure("本周已完成巡查", "\(done) / \(norm) 次"))</div>"
            } else {
                let grids = try await q.grids(in: req.registryScope)
                gridField = Console.select("巡查网格", name: "grid_code", options: [("", "请选择")] + grids.map { ($0.code, $0.name) },
                                           selected: startGrid, error: err("grid_code"), required: true)
            }
            body = body + """
                <form method="post" action="/console/patrols/round/start">\(Console.csrfField(user))\(gridField)
                <button type="submit">开始巡查</button></form>
                <p><a href="/console/patrols/rounds?mine=true">我的巡查记录</a></p>
                """
        }
        return Console.page(req, user, title: "我的巡查", crumbs: Self.crumbs + [Crumb("我的巡查")], body: body, status: status, wide: false)
    }

    static func place(_ v: VisitRecord) -> String {
        if let b = v.buildingName { return b }
        if let lat = v.latitude, let lon = v.longitude { return String(format: "%.5f, %.5f", lat, lon) }
        return "—"
    }

    func start(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsWalk)
        let form = (try? req.content.decode(StartForm.self)) ?? StartForm()
        try req.checkCSRF(user, form.csrf)
        do {
            _ = try await req.patrols.start(grid: form.grid_code, by: req.patrolsActor)
            return req.redirect(to: "/console/patrols/round", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, visit: VisitForm(), errors: errors, status: .unprocessableEntity, startGrid: form.grid_code)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, visit: VisitForm(), errors: [e], status: .conflict)
        }
    }

    func visit(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsWalk)
        let form = (try? req.content.decode(VisitForm.self)) ?? VisitForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let recorded = try await req.patrols.visit(try req.pathUUID(), try form.input(), by: req.patrolsActor)
            let done = recorded.request.map { "?event=\($0.seq)" } ?? ""
            return req.redirect(to: "/console/patrols/round\(done)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, visit: form, errors: errors, status: .unprocessableEntity)
        }
    }

    func end(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsWalk)
        let form = (try? req.content.decode(StartForm.self)) ?? StartForm()
        try req.checkCSRF(user, form.csrf)
        let r = try await req.patrols.end(try req.pathUUID(), by: req.patrolsActor)
        return req.redirect(to: "/console/patrols/rounds/\(r.id)", redirectType: .normal)
    }
}
