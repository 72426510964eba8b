import FluentKit
import LinliCore
import LinliData
import Vapor

/// 房屋和单位 (以房管人管户管单位): the dwellings of every building and the households living in them, a building's
/// occupancy, rental registration (landlord, tenants from the registry, contract, rent band, 群租, safety checks),
/// floating tenants due for a 居住证, and the units (驻区单位) of the buildings.
struct HousingCapability: Capability {
    let name = "housing"
    var grants: [Role: Set<Permission>] { HousingPermissions.grants }
    let audit: (any AuditAction.Type)? = HousingAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(29, CreateHousing())] }

    func routes(_ routes: CapabilityRoutes) throws {
        HousingAPI().boot(routes.api)
        HousingPages().boot(routes.pages)
        RentalPages().boot(routes.pages)
        UnitPages().boot(routes.pages)
        HousingImportPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { HousingDemo() }
    var indicators: [IndicatorDefinition] { HousingIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { HousingIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "房屋", href: "/console/housing", needs: .housingRead, group: .registry),
         ConsoleSection(label: "出租房屋", href: "/console/housing/rentals", needs: .housingRead, group: .registry),
         ConsoleSection(label: "驻区单位", href: "/console/housing/units", needs: .housingRead, group: .registry)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await HousingHome.contribution(req, user) }
}

/// 出租房屋 on the home page of those who keep it: contracts past their end, rentals with a check overdue, floating
/// tenants due for a 居住证, in the user's area.
enum HousingHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.housingRead) else { return HomeContribution() }
        let t = try await req.housing.todo(in: req.registryScope)
        let todo: [Markup] = ["""
            <section aria-labelledby="housing-h"><h2 id="housing-h">出租房屋</h2>
            <div class="tiles">\(HomePage.todoTile("租赁合同已到期", t.expired, "/console/housing/rentals?state=expired", "yellow"))\(HomePage.todoTile("安全检查逾期", t.overdue, "/console/housing/rentals?state=overdue", "red"))\(HomePage.todoTile("流动人口待办居住证", t.permits, "/console/housing/permits", "yellow"))</div></section>
            """]
        return HomeContribution(todo: todo, links: ["<li><a href=\"/console/housing\">房屋、出租房屋和驻区单位</a></li>"])
    }
}
