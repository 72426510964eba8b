import FluentKit
import LinliCore
import LinliData
import Vapor

/// 志愿者: 实行社区志愿者注册和签约制度，强化志愿者服务绩效管理 — registration and agreement, teams, activities with
/// sign-ups and check-in, verified hours, stars and the service certificate; the residents' portal (实名核验,
/// register, sign, sign up, check in by code, one's hours) and the public check of a certificate.
struct VolunteersCapability: Capability {
    let name = "volunteers"
    var grants: [Role: Set<Permission>] { VolunteersPermissions.grants }
    let audit: (any AuditAction.Type)? = VolunteersAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(19, CreateVolunteers())] }

    func routes(_ routes: CapabilityRoutes) throws {
        VolunteersAPI().boot(routes.api)
        VolunteersPages().boot(routes.pages)
        VolunteerActivityPages().boot(routes.pages)
        VolunteersPerformancePages().boot(routes.pages)
        VolunteerTeamPages().boot(routes.pages)
        VolunteersPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { VolunteersDemo() }
    var measures: (any MeasureSource)? { VolunteersMeasures() }
    var indicators: [IndicatorDefinition] { VolunteersIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { VolunteersIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "志愿者", href: "/console/volunteers", needs: .volunteersRead, group: .participation)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/volunteer\">我的志愿服务</a></li>"]) }
        guard user.may(.volunteersRead) else { return HomeContribution() }
        let registered = try await req.volunteers.registeredCount(in: req.registryScope)
        var todo: [Markup] = []
        if user.may(.volunteersActivities) {
            let pending = try await req.volunteers.toVerify(in: req.registryScope)
            todo.append("""
                <section aria-labelledby="volunteers-h"><h2 id="volunteers-h">志愿者</h2>
                <div class="tiles">\(HomePage.todoTile("待核实的服务时长（活动结束7天内）", pending, "/console/volunteers/activities", "yellow"))</div></section>
                """)
        }
        return HomeContribution(todo: todo, figures: ["<div class=\"tile\"><span>注册志愿者</span><b>\(registered)</b></div>"],
                                links: ["<li><a href=\"/console/volunteers\">志愿者（注册签约、活动、服务时长）</a></li>",
                                        "<li><a href=\"/console/volunteers/performance\">志愿者服务绩效</a></li>"])
    }
}
