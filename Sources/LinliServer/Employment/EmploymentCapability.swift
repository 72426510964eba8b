import FluentKit
import LinliCore
import LinliData
import Vapor

/// 就业援助: the unemployment register with 动态管理 (a monthly contact), 就业困难人员 designation, public-welfare
/// posts and placements, and the street's monthly allowance roll.
struct EmploymentCapability: Capability {
    let name = "employment"
    var grants: [Role: Set<Permission>] { EmploymentPermissions.grants }
    let audit: (any AuditAction.Type)? = EmploymentAudit.self
    var migrations: [NumberedMigration] { [NumberedMigration(14, CreateEmployment())] }

    func routes(_ routes: CapabilityRoutes) throws {
        EmploymentAPI().boot(routes.api)
        EmploymentPages().boot(routes.pages)
        EmploymentPersonPages().boot(routes.pages)
        EmploymentJobsPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { EmploymentDemo() }
    var measures: (any MeasureSource)? { EmploymentMeasures() }
    var indicators: [IndicatorDefinition] { EmploymentIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { EmploymentIndicatorCounts() }
    var sections: [ConsoleSection] { [ConsoleSection(label: "就业援助", href: "/console/employment", needs: .employmentRead, group: .services)] }

    /// Those who keep in touch (grid and community workers) see who is overdue for a contact.
    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.employmentRead) else { return HomeContribution() }
        var home = HomeContribution(links: ["<li><a href=\"/console/employment\">就业援助（失业登记、就业困难人员、公益性岗位）</a></li>"])
        if user.may(.employmentWrite) {
            let overdue = try await req.employment.overdueContacts(in: req.registryScope)
            home.todo.append("""
                <section aria-labelledby="employment-h"><h2 id="employment-h">就业援助</h2>
                <div class="tiles">\(HomePage.todoTile("超过30天未联系的失业人员", overdue, "/console/employment?overdue_contact=true", "red"))</div></section>
                """)
        }
        return home
    }
}
