import FluentKit
import LinliCore
import LinliData
import Vapor

/// 网格巡查 and 社区警务室: grid workers' patrol rounds (a building or a point of the grid at a time, a finding becoming a
/// grid event in one step), the weekly norm per grid with the street's board of grids that missed it, and the police
/// office's services as request categories routed straight to its department account (seeded by the migration).
/// The menu is 网上受理: a round is the grid's side of event reporting, and its findings land in that queue.
struct PatrolsCapability: Capability {
    let name = "patrols"
    var grants: [Role: Set<Permission>] { PatrolsPermissions.grants }
    let audit: (any AuditAction.Type)? = PatrolsAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(31, CreatePatrols())] }

    func routes(_ routes: CapabilityRoutes) throws {
        PatrolsAPI().boot(routes.api)
        PatrolsPages().boot(routes.pages)
        PatrolsBoardPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { PatrolsDemo() }
    var indicators: [IndicatorDefinition] { PatrolsIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { PatrolsIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "网格巡查", href: "/console/patrols", needs: .patrolsRead, group: .requests)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await PatrolsHome.contribution(req, user) }
}

/// 网格巡查 on the home page: a walker's week against the norm (and the open round); for streets and the district, the
/// grids that missed the norm last week and those short of it this week.
enum PatrolsHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.patrolsRead) else { return HomeContribution() }
        let q = req.patrols
        if user.may(.patrolsWalk) {
            let open = try await q.openRound(of: user.account.id)
            let norm = try await q.settings().weeklyNorm
            var tiles: [Markup] = []
            if user.account.divisionCode.count == 15 {
                let done = try await q.rounds(grid: user.account.divisionCode, week: q.thisWeek)
                tiles.append(HomePage.todoTile("本周巡查（规定\(norm)次）", done, "/console/patrols/round", done < norm ? "yellow" : ""))
            }
            if open != nil { tiles.append(HomePage.todoTile("进行中的巡查（未结束）", 1, "/console/patrols/round", "yellow")) }
            guard !tiles.isEmpty else {
                return HomeContribution(links: ["<li><a href=\"/console/patrols/round\">我的巡查（开始、记录巡查点、结束）</a></li>"])
            }
            let todo: [Markup] = ["""
                <section aria-labelledby="patrols-h"><h2 id="patrols-h">网格巡查</h2>
                <div class="tiles">\(tiles.joined())</div></section>
                """]
            return HomeContribution(todo: todo, links: ["<li><a href=\"/console/patrols/round\">我的巡查（开始、记录巡查点、结束）</a></li>"])
        }
        let board = try await q.board(in: req.registryScope)
        let todo: [Markup] = ["""
            <section aria-labelledby="patrols-h"><h2 id="patrols-h">网格巡查</h2>
            <div class="tiles">\(HomePage.todoTile("上周巡查未达标的网格", board.missedLastWeek.count, "/console/patrols", "red"))\(HomePage.todoTile("本周尚未达标的网格", board.behindThisWeek.count, "/console/patrols", "yellow"))</div></section>
            """]
        return HomeContribution(todo: todo, links: ["<li><a href=\"/console/patrols\">网格巡查（各网格每周巡查次数）</a></li>"])
    }
}
