import Foundation
import LinliCore
import LinliData
import Vapor

/// The home page of each role: what needs the user's action today, then the key figures of their area.
enum HomePage {
    static func render(_ req: Request, _ user: WebUser) async throws -> Markup {
        let area = try await areaName(req, user)
        var parts: [Markup] = ["<h1>\(user.account.displayName)，您好</h1>",
                               "<p class=\"muted\">\(user.role.label) · \(area)</p>"]
        if user.may(.requestsRead) { parts.append(try await todo(req, user)) }
        if user.may(.careRead) { parts.append(try await careTodo(req)) }
        if user.may(.registryRead) { parts.append(try await areaFigures(req, user)) }
        parts.append(links(user))
        return parts.joined(separator: "\n")
    }

    static func areaName(_ req: Request, _ user: WebUser) async throws -> String {
        if user.role == .department, let code = user.account.departmentCode {
            let name = try await req.requestQueries.departments().first { $0.code == code }?.name
            return name ?? code
        }
        let code = user.account.divisionCode
        return try await DivisionQueries(req.db).find(code: code)?.name ?? code
    }

    /// Requests waiting in the user's area (or department): to accept, close to the limit, overdue, to verify.
    static func todo(_ req: Request, _ user: WebUser) async throws -> Markup {
        let q = req.requestQueries, scope = req.requestScope, now = req.nowSeconds
        func count(_ statuses: [RequestStatus], card: DeadlineCard? = nil) async throws -> Int {
            var f = RequestFilter()
            f.statuses = statuses
            f.card = card
            return try await q.list(in: scope, filter: f, now: now, page: PageRequest(page: 1, perPage: 1)).total
        }
        let open: [RequestStatus] = RequestStatus.allCases.filter(\.isOpen)
        func tile(_ label: String, _ n: Int, _ href: String, _ tone: String) -> Markup {
            "<a class=\"tile \(n > 0 ? tone : "")\" href=\"\(href)\"><span>\(label)</span><b>\(n)</b></a>"
        }
        // A department receives requests already dispatched to it: its work is to start and finish them.
        let first = user.role == .department
            ? tile("待处置", try await count([.dispatched]), "/console/requests?status=dispatched", "yellow")
                + tile("处置中", try await count([.inProgress]), "/console/requests?status=in_progress", "")
            : tile("待受理", try await count([.reported]), "/console/requests?status=reported", "yellow")
        let last = user.role == .department ? .empty : tile("待核查", try await count([.resolved]), "/console/requests?status=resolved", "green")
        let yellow = try await count(open, card: .yellow), red = try await count(open, card: .red)
        return """
            <section aria-labelledby="todo-h"><h2 id="todo-h">今日待办</h2>
            <div class="tiles">
              \(first)
              \(tile("即将超时（黄牌）", yellow, "/console/requests?card=yellow", "yellow"))
              \(tile("已超时（红牌）", red, "/console/requests?card=red", "red"))
              \(last)
            </div></section>
            """
    }

    static func areaFigures(_ req: Request, _ user: WebUser) async throws -> Markup {
        let stats = try await RegistryStats.compute(on: req.db, in: req.registryScope, today: req.application.linli.today())
        var tiles = [("居民", stats.residents), ("户", stats.households), ("60岁以上老人", stats.residentsAged60Plus),
                     ("楼栋", stats.buildings), ("网格", stats.grids)]
        if stats.communities > 1 { tiles.append(("社区", stats.communities)) }
        var rows = tiles.map { (t: (String, Int)) -> Markup in "<div class=\"tile\"><span>\(t.0)</span><b>\(t.1)</b></div>" }
        if user.may(.requestsRead) {
            let f = try await req.requestQueries.figures(in: req.requestScope)
            rows.append("<div class=\"tile\"><span>在办事项</span><b>\(f.open)</b></div>")
            if let rate = f.onTimeRate { rows.append("<div class=\"tile\"><span>按时办结率</span><b>\(percent(rate))</b></div>") }
            if let s = f.meanSatisfaction { rows.append("<div class=\"tile\"><span>群众满意度（5分制）</span><b>\(String(format: "%.2f", s))</b></div>") }
        }
        return "<section aria-labelledby=\"fig-h\"><h2 id=\"fig-h\">辖区概况</h2><div class=\"tiles\">\(rows)</div></section>"
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    static func links(_ user: WebUser) -> Markup {
        var items: [Markup] = []
        if user.may(.registryRead) { items.append("<li><a href=\"/console/residents\">查找居民（姓名、拼音首字母或身份证号）</a></li>") }
        if user.may(.registryWrite) { items.append("<li><a href=\"/console/residents/new\">登记居民（含出生登记）</a></li>") }
        if user.may(.requestsRead) { items.append("<li><a href=\"/console/requests\">诉求事项</a></li>") }
        if user.may(.requestsSupervise) { items.append("<li><a href=\"/console/requests/board\">督办（黄牌、红牌）</a></li>") }
        if user.may(.careRead) { items.append("<li><a href=\"/console/care\">居家养老（名册、评估、照护计划、紧急呼叫）</a></li>") }
        if user.may(.indicatorsRead) { items.append("<li><a href=\"/console/indicators\">规划指标（发展目标）</a></li>") }
        if user.may(.registryWrite) { items.append("<li><a href=\"/console/import\">导入居民信息（Excel / CSV）</a></li>") }
        if user.role.isAdministrator {
            items.append("<li>管理员的账号、审计和备份操作通过接口（/api/v1/accounts、/api/v1/audit）和命令行 <code>linli</code> 进行。</li>")
        }
        items.append("<li><a href=\"/console/password\">修改密码</a>（会话 30 分钟无操作后自动结束）</li>")
        return "<section aria-labelledby=\"links-h\"><h2 id=\"links-h\">常用功能</h2><ul>\(items)</ul></section>"
    }
}
