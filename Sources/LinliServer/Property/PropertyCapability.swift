import FluentKit
import LinliCore
import LinliData
import Vapor

/// 物业管理 (四位一体): the compounds (小区) of each community with their buildings, year built and the old-compound flag,
/// today's management (a property service company under contract, the community's 准物业管理, or nobody — a gap the street
/// sees), the property service companies with their credit codes and contracts, each company with a department account
/// so that requests about its compounds can be dispatched to it through the requests workflow. Menu: 居民自治.
struct PropertyCapability: Capability {
    let name = "property"
    var grants: [Role: Set<Permission>] { PropertyPermissions.grants }
    let audit: (any AuditAction.Type)? = PropertyAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(33, CreateProperty()), NumberedMigration(33, CreatePropertyCommittees()),
                                        NumberedMigration(34, CreatePropertyRatings()), NumberedMigration(35, CreatePropertyMeetings())] }

    func routes(_ routes: CapabilityRoutes) throws {
        PropertyAPI().boot(routes.api)
        CommitteeAPI().boot(routes.api)
        CoordinationAPI().boot(routes.api)
        PropertyPages().boot(routes.pages)
        CoordinationPages().boot(routes.pages)
        PropertyRatingAPI().boot(routes.api)
        PropertyRatingPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { PropertyDemo() }
    var indicators: [IndicatorDefinition] { PropertyIndicators.definitions + PropertyIndicators.ratingDefinitions }
    var indicatorCounts: (any IndicatorSource)? { PropertyIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "物业管理", href: "/console/property", needs: .propertyRead, group: .selfGovernment)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await PropertyHome.contribution(req, user) }
}

/// 物业管理 on the home page: the compounds of the area nobody manages (no contract in force, no 准物业管理).
enum PropertyHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.propertyRead) else { return HomeContribution() }
        let q = req.property, scope = req.registryScope
        let t = try await q.todo(in: scope)
        let ending = try await q.committeesEndingSoon(in: scope).count, without = try await q.compoundsWithoutCommittee(in: scope).count
        let todo: [Markup] = ["""
            <section aria-labelledby="property-h"><h2 id="property-h">物业管理</h2>
            <div class="tiles">\(HomePage.todoTile("无人管理的小区", t.unmanaged, "/console/property?mode=none", "red"))\(HomePage.todoTile("业主委员会任期将满（90天内）", ending, "/console/property/committees", "yellow"))\(HomePage.todoTile("应成立而未成立业主委员会的小区", without, "/console/property/committees", "yellow"))</div></section>
            """]
        return HomeContribution(todo: todo, links: ["<li><a href=\"/console/property\">物业管理（小区、物业服务企业）</a></li>"])
    }
}
