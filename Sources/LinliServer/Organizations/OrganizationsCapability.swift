import FluentKit
import LinliCore
import LinliData
import Vapor

/// 社会组织: the register of social organizations (登记 with a 统一社会信用代码, community-based ones 备案), annual
/// reports and status, the 社会组织孵化基地, support (培育+补贴+奖励) and purchased services (政府购买服务, 资助项目,
/// 合同外包) with milestones, payments and evaluations; the portal's list of active organizations; the plan's targets.
struct OrganizationsCapability: Capability {
    let name = "organizations"
    var grants: [Role: Set<Permission>] { OrganizationsPermissions.grants }
    let audit: (any AuditAction.Type)? = OrganizationsAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(18, CreateOrganizations())] }

    func routes(_ routes: CapabilityRoutes) throws {
        OrganizationsAPI().boot(routes.api)
        OrganizationsPages().boot(routes.pages)
        OrganizationPages().boot(routes.pages)
        OrganizationsProjectPages().boot(routes.pages)
        OrganizationsPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { OrganizationsDemo() }
    var measures: (any MeasureSource)? { OrganizationsMeasures() }
    var indicators: [IndicatorDefinition] { OrganizationsIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { OrganizationsIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "社会组织", href: "/console/organizations", needs: .organizationsRead, group: .participation)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await OrganizationsHome.contribution(req, user) }
}

/// 社会组织 on the home page: the area's organizations on the books and in incubation; for a resident, the portal's list.
enum OrganizationsHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.role == .resident { return HomeContribution(links: ["<li><a href=\"/notices/organizations\">社区社会组织</a></li>"]) }
        guard user.may(.organizationsRead) else { return HomeContribution() }
        let f = try await req.organizations.figures(in: req.registryScope)
        return HomeContribution(figures: ["<div class=\"tile\"><span>在册社会组织（本年新增）</span><b>\(f.onBooks)（\(f.newThisYear)）</b></div>"],
                                links: ["<li><a href=\"/console/organizations\">社会组织（登记备案、孵化、扶持、购买服务）</a></li>"])
    }
}
