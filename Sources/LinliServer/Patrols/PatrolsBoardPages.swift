import Foundation
import LinliCore
import LinliData
import Vapor

/// The street's board (grids that missed the weekly norm last week, and those short of it this week so far), the
/// rounds of one's area with a round's detail, the export (.xlsx, audited) and the district's norm.
struct PatrolsBoardPages {
    func boot(_ routes: Routes) {
        let p = routes.grouped("console", "patrols")
        p.get(needs: .permission(.patrolsRead), use: board)
        p.get("rounds", needs: .permission(.patrolsRead), use: rounds)
        p.get("rounds", "export.xlsx", needs: .permission(.patrolsRead), use: export)
        p.get("rounds", ":id", needs: .permission(.patrolsRead), use: detail)
        p.get("settings", needs: .permission(.patrolsSettings), use: settingsForm)
        p.post("settings", needs: .permission(.patrolsSettings), use: saveSettings)
    }

    static let links: Markup = """
        <p><a href="/console/patrols">巡查看板</a> · <a href="/console/patrols/rounds">巡查记录</a> · <a href="/console/patrols/round">我的巡查</a></p>
        """

    func board(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsRead)
        let all = try req.queryBool("all") ?? false
        let b = try await req.patrols.board(in: try req.narrowedScope())
        let shown = all ? b.rows : b.rows.filter { !PatrolRules.met(rounds: $0.lastWeek, norm: b.norm) || !PatrolRules.met(rounds: $0.thisWeek, norm: b.norm) }
        func cell(_ n: Int) -> Markup {
            PatrolRules.met(rounds: n, norm: b.norm) ? Markup.text("\(n)") : "<span class=\"badge red\">\(n)（差\(PatrolRules.shortfall(rounds: n, norm: b.norm))次）</span>"
        }
        let rows = shown.map { r -> [Markup] in
            [Markup.text(r.communityName ?? "—"), "<a href=\"/console/patrols/rounds?grid=\(r.gridCode)\">\(r.gridName)</a>", cell(r.lastWeek), cell(r.thisWeek)]
        }
        let body: Markup = """
            <h1>网格巡查</h1>
            <p class="muted">规划：“推进社区网格化管理”。每个网格每周应巡查 <b>\(b.norm)</b> 次（至少记录一个巡查点的巡查计入）\(user.may(.patrolsSettings) ? " · <a href=\"/console/patrols/settings\">修改规定次数</a>" : Markup.empty)。</p>
            \(Self.links)
            <div class="tiles">\(HomePage.figure("网格数", "\(b.rows.count)"))\(HomePage.figure("上周未达标", "\(b.missedLastWeek.count)"))\(HomePage.figure("本周尚未达标", "\(b.behindThisWeek.count)"))</div>
            <p>上周：\(b.lastWeek.label)；本周：\(b.thisWeek.label)（截至目前）。\((all ? "<a href=\"/console/patrols\">只看未达标的网格</a>" : "<a href=\"/console/patrols?all=true\">显示全部网格</a>") as Markup)</p>
            \(Console.table(["村/社区", "网格", "上周巡查次数", "本周已巡查次数"], rows, empty: all ? "本辖区没有网格" : "所有网格上周均已达标，本周也已达标"))
            """
        return Console.page(req, user, title: "网格巡查", crumbs: [Crumb("工作台", "/console"), Crumb("网格巡查")], body: body)
    }

    func rounds(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsRead)
        let filter = try PatrolsService.filter(req)
        let page = try await req.patrols.rounds(in: try req.narrowedScope(), filter, page: req.consolePage(perPage: 30))
        let rows = page.items.map { r -> [Markup] in
            ["<a href=\"/console/patrols/rounds/\(r.id)\">\(Console.time(r.startedAt))</a>", Markup.text(r.gridName ?? r.gridCode), Markup.text(r.walkerName),
             Markup.text(r.status.label), Markup.text("\(r.visits)"), Markup.text("\(r.findings)"), Markup.text(r.counted ? "是" : "否")]
        }
        let query: [(String, String?)] = [("grid", filter.grid), ("week", filter.week?.description), ("status", filter.status?.rawValue),
                                          ("mine", filter.walker == nil ? nil : "true"), ("division", req.formQuery("division"))]
        var exportQuery = URLComponents()
        exportQuery.queryItems = query.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
        let body: Markup = """
            <h1>巡查记录</h1>
            \(Self.links)
            <p><a href="/console/patrols/rounds/export.xlsx\(exportQuery.string ?? "")">导出巡查记录（.xlsx，记入审计）</a></p>
            <form method="get" action="/console/patrols/rounds" class="filters">
            \(Console.field("网格代码", name: "grid", value: filter.grid, extra: "maxlength=\"15\" inputmode=\"numeric\""))
            \(Console.field("周", name: "week", value: filter.week?.description, hint: "如 \(req.patrols.thisWeek.description)", extra: "maxlength=\"8\""))
            \(Console.select("状态", name: "status", options: [("", "全部")] + RoundStatus.allCases.map { ($0.rawValue, $0.label) }, selected: filter.status?.rawValue))
            <button type="submit">查询</button></form>
            \(Console.table(["开始时间", "网格", "巡查人", "状态", "巡查点", "发现问题", "计入次数"], rows, empty: "没有符合条件的巡查记录"))
            \(Console.pager(page, path: "/console/patrols/rounds", query: query))
            """
        return Console.page(req, user, title: "巡查记录", crumbs: PatrolsPages.crumbs + [Crumb("巡查记录")], body: body)
    }

    func export(req: Request) async throws -> Response {
        _ = try req.webUser(.patrolsRead)
        return try await PatrolsService.export(req)
    }

    func detail(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsRead)
        let d = try await PatrolsService.find(req, id: try req.pathUUID())
        let r = d.round
        let rows = d.visits.map { x -> [Markup] in
            [Markup.text(String(x.seq)), Markup.text(Console.time(x.visitedAt)), Markup.text(PatrolsPages.place(x)), Markup.text(x.finding.label),
             x.requestId.map { "<a href=\"/console/requests/\($0)\">网格事件 \(x.requestSeq.map(String.init) ?? "")</a>" } ?? Markup.text("—"), Markup.text(x.note ?? "—")]
        }
        let body: Markup = """
            <h1>巡查 · \(r.gridName ?? r.gridCode)</h1>
            \(Self.links)
            <dl class="facts"><dt>巡查人</dt><dd>\(r.walkerName)</dd><dt>开始</dt><dd>\(Console.time(r.startedAt))</dd>
            <dt>结束</dt><dd>\(r.endedAt.map(Console.time) ?? "巡查中")</dd><dt>所在周</dt><dd>\(PatrolWeek(code: r.week)?.label ?? "")</dd>
            <dt>巡查点</dt><dd>\(r.visits)</dd><dt>发现问题</dt><dd>\(r.findings)</dd><dt>计入本周巡查次数</dt><dd>\(r.counted ? "是" : r.endedAt == nil ? "结束后计入" : "否（未记录巡查点）")</dd></dl>
            \(Console.table(["序号", "时间", "巡查点", "结果", "网格事件", "记录"], rows, empty: "没有巡查点"))
            """
        return Console.page(req, user, title: "巡查详情", crumbs: PatrolsPages.crumbs + [Crumb("巡查记录", "/console/patrols/rounds"), Crumb("巡查详情")],
                            body: body)
    }

    struct SettingsForm: Content { var csrf: String?; var weekly_norm: String?; var version: String? }

    func settingsForm(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsSettings)
        let s = try await req.patrols.settings()
        return renderSettings(req, user, SettingsForm(weekly_norm: String(s.weeklyNorm), version: String(s.version)), errors: [], status: .ok)
    }

    func renderSettings(_ req: Request, _ user: WebUser, _ v: SettingsForm, errors: [FieldError], status: HTTPResponseStatus) -> Response {
        let body: Markup = """
            <h1>巡查规定次数</h1>
            \(Console.formErrors(errors))
            <form method="post" action="/console/patrols/settings">\(Console.csrfField(user))
            <input type="hidden" name="version" value="\(v.version ?? "")">
            \(Console.field("每个网格每周巡查次数", name: "weekly_norm", value: v.weekly_norm, error: errors.first { $0.field == "weekly_norm" || $0.field == "version" }?.message,
                            type: "number", required: true, hint: "\(PatrolRules.normBounds.lowerBound)至\(PatrolRules.normBounds.upperBound)次",
                            extra: "min=\"1\" max=\"21\" inputmode=\"numeric\""))
            <button type="submit">保存</button></form>
            """
        return Console.page(req, user, title: "巡查规定次数", crumbs: PatrolsPages.crumbs + [Crumb("规定次数")], body: body, status: status, wide: false)
    }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.webUser(.patrolsSettings)
        let form = (try? req.content.decode(SettingsForm.self)) ?? SettingsForm()
        try req.checkCSRF(user, form.csrf)
        let raw = form.weekly_norm?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            guard raw.isEmpty || Int(raw) != nil else { throw RegistryError.invalid([FieldError("weekly_norm", "请填写整数")]) }
            _ = try await req.patrols.setNorm(Int(raw), version: Int(form.version ?? "") ?? -1, by: req.auditActor)
            return req.redirect(to: "/console/patrols", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return renderSettings(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.staleVersion {
            return renderSettings(req, user, form, errors: [FieldError("version", "规定次数已被他人修改，请重新打开本页后再改")], status: .conflict)
        }
    }
}
