import FluentKit
import LinliCore
import LinliData
import Vapor

/// 社工队伍: the register of community workers (post, community, form of employment, professional title,
/// registration), their qualifications, training hours, annual appraisals, the district's 岗位等级薪酬体系 with each
/// worker's grade, the reserve lists (后备干部), the figures per community, and the portal's list of who serves a community.
struct WorkersCapability: Capability {
    let name = "workers"
    var grants: [Role: Set<Permission>] { WorkersPermissions.grants }
    let audit: (any AuditAction.Type)? = WorkersAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(26, CreateWorkers())] }

    func routes(_ routes: CapabilityRoutes) throws {
        WorkersAPI().boot(routes.api)
        WorkersPages().boot(routes.pages)
        WorkerPages().boot(routes.pages)
        WorkersAdminPages().boot(routes.pages)
        WorkersPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { WorkersDemo() }
    var measures: (any MeasureSource)? { WorkersMeasures() }
    var indicators: [IndicatorDefinition] { WorkersIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { WorkersIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "社工队伍", href: "/console/workers", needs: .workersRead, group: .workforce),
         ConsoleSection(label: "我的档案", href: "/console/workers/me", needs: .workersOwn, group: .workforce)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await WorkersHome.contribution(req, user) }
}

/// 社工队伍 on the home page: for streets and the district, registrations ending within 90 days and last year's
/// appraisals not yet done; for a resident, who serves their community.
enum WorkersHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident {
            return HomeContribution(links: ["<li><a href=\"/notices/workers?community=\(String(user.account.divisionCode.prefix(12)))\">本社区工作者</a></li>"])
        }
        if user.may(.workersOwn) { return HomeContribution(links: ["<li><a href=\"/console/workers/me\">我的档案（社工队伍）</a></li>"]) }
        guard user.may(.workersRead) else { return HomeContribution() }
        let t = try await req.workers.todo(in: req.registryScope)
        let todo: [Markup] = ["""
            <section aria-labelledby="workers-h"><h2 id="workers-h">社工队伍</h2>
            <div class="tiles">\(HomePage.todoTile("社工注册90天内到期", t.expiring, "/console/workers?expiring=true", "yellow"))\(HomePage.todoTile("\(req.application.linli.today().year - 1)年度未考核的社工", t.unappraised, "/console/workers", "yellow"))</div></section>
            """]
        return HomeContribution(todo: todo, links: ["<li><a href=\"/console/workers\">社工队伍（花名册、考核、后备干部、岗位等级薪酬）</a></li>"])
    }
}
